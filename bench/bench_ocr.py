"""OCR speed and clean-up counts on scanned notices (needs the taskparse[ocr] extra).

    python scripts/make_scans.py /tmp/scans --styles plain150          # scans of the seed samples
    python bench/bench_ocr.py /tmp/scans --out /tmp/ocr_out [--dpi 200]
    python ../shared/tools/compare.py /tmp/ocr_out/NAME.json samples/expected/SEED.json

For each scan: pages, seconds (wall, in this process, one file at a time), wall and CPU seconds
per page (CPU: user+system of all of onnxruntime's threads — steadier than wall on a shared machine), and
how often each clean-up rule of extractors/ocr.py changed a recognised line (the rules are kept
only where they fire on real scans).  Writes each result as JSON into --out for compare.py.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import taskparse  # noqa: E402
from taskparse.extractors import ocr  # noqa: E402
from taskparse.writers import json_writer  # noqa: E402

RULES = {"lone [ or ]": ocr._LONE_BRACKET, "page number dashes": ocr._PAGE_NUMBER_DASHES, "文号 brackets": ocr._DOC_NUMBER,
         "( -> （": ocr._HALF_OPEN, ") -> ）": ocr._HALF_CLOSE, ": -> ：": ocr._HALF_COLON,
         "; -> ；": ocr._HALF_SEMI, ", -> ，": ocr._HALF_COMMA}


def _cache_engine(folder: Path) -> None:
    """Wrap the recogniser: its output for a page image is stored under the image's hash."""
    import hashlib

    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    engine = ocr._engine()

    class Cached:
        def __call__(self, pixels, **kwargs):  # type: ignore[no-untyped-def]
            key = hashlib.sha256(np.ascontiguousarray(pixels).tobytes() + repr(sorted(kwargs.items())).encode())
            path = folder / f"{key.hexdigest()[:32]}.json"
            if path.exists():
                return json.loads(path.read_text(encoding="utf-8")), None
            found, elapsed = engine(pixels, **kwargs)
            plain = [[[[float(v) for v in p] for p in quad], text, float(score)] for quad, text, score in found or ()]
            path.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
            return plain, elapsed

    class CachedRec:  # the second read of long lines (ocr._second_read) calls the recogniser alone
        def __call__(self, crops):  # type: ignore[no-untyped-def]
            digest = hashlib.sha256()
            for c in crops:
                digest.update(repr(c.shape).encode() + np.ascontiguousarray(c).tobytes())
            path = folder / f"rec_{digest.hexdigest()[:32]}.json"
            if path.exists():
                return json.loads(path.read_text(encoding="utf-8")), None
            result, elapsed = engine.text_rec(crops)
            plain = [[text, float(score)] for text, score in result]
            path.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
            return plain, elapsed

    cached = Cached()
    cached.text_rec = CachedRec()  # type: ignore[attr-defined]
    ocr._engine = lambda: cached  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", type=Path, help="scan files or folders of them")
    ap.add_argument("--out", type=Path, required=True, help="folder for the JSON results")
    ap.add_argument("--dpi", type=int, default=None, help=f"render PDF pages at this dpi (default {ocr.RENDER_DPI})")
    ap.add_argument("--no-second-read", action="store_true",
                    help="leave long lines as first read (ocr.SECOND_READ_RATIO off), to measure what it adds")
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep the recogniser's raw output per page image here and reuse it: rescoring after a "
                         "layout, clean-up or parser change then takes seconds (timings are then meaningless)")
    args = ap.parse_args(argv)
    if not ocr.available():
        print("the OCR extra is not installed: pip install -e '.[ocr]'", file=sys.stderr)
        return 2
    if args.dpi:  # and let the recogniser see the whole resolution of an A4 page
        ocr.RENDER_DPI = args.dpi
        ocr.MAX_SIDE_PX = max(ocr.MAX_SIDE_PX, round(11.7 * args.dpi))
    if args.no_second_read:
        ocr.SECOND_READ_RATIO = float("inf")
    fired: Counter[str] = Counter()
    real_clean = ocr.clean

    def counting_clean(text: str) -> str:
        for name, pattern in RULES.items():
            if pattern.search(text):
                fired[name] += 1
        return real_clean(text)

    ocr.clean = counting_clean  # type: ignore[assignment]
    real_add = ocr.add_marks

    def counting_add(first: str, second: str) -> str:
        out = real_add(first, second)
        fired["second read: marks added"] += len(out) - len(first)
        return out

    ocr.add_marks = counting_add  # type: ignore[assignment]
    pages_done = [0]
    ocr.progress = lambda done, total, path: pages_done.__setitem__(0, pages_done[0] + 1)
    files = [f for p in args.inputs for f in (sorted(p.iterdir()) if p.is_dir() else [p]) if f.is_file()]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.cache:
        _cache_engine(args.cache)
    ocr._engine()  # load the models before timing
    total_pages, total_s, total_cpu = 0, 0.0, 0.0
    print(f"{'file':48} {'pages':>5} {'s':>7} {'s/page':>7} {'cpu/page':>8} {'tasks':>5}")
    for f in files:
        before = pages_done[0]
        t0, c0 = time.perf_counter(), time.process_time()
        result = taskparse.parse_file(f)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        pages = pages_done[0] - before
        total_pages += pages
        total_s += took
        total_cpu += cpu
        json_writer.write([result], args.out / f"{f.stem}.json")
        print(f"{f.name:48} {pages:5d} {took:7.1f} {took / max(pages, 1):7.2f} {cpu / max(pages, 1):8.2f} "
              f"{len(result.tasks):5d}", flush=True)
    print(f"{'all':48} {total_pages:5d} {total_s:7.1f} {total_s / max(total_pages, 1):7.2f} "
          f"{total_cpu / max(total_pages, 1):8.2f}")
    print("clean-up rules that changed a line:", json.dumps(dict(fired), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
