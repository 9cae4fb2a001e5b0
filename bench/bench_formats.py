"""Extraction speed per input format.

    python bench/bench_formats.py [--repeat N] [--long-dir DIR]

Times ``taskparse.extractors.extract`` on every file in samples/ and tests/fixtures/{doc,pdf}/
(best of N runs), then on a 30-40 page 公文-layout PDF (and the same notice as .doc), built from
seed 001 with LibreOffice by tests/fixtures/make_fixtures.py --long into DIR when no sample that
long exists.  The PDF rows also time raw pypdfium2 ``get_text_range()`` on the same file in the
same run, so the ratios show what characters with boxes, bold, line building and paragraph joining
cost (extractor / raw) and what the whole conversion costs (``taskparse.parse_file`` / raw).  Each is
the best of N by the wall clock and, separately, by this process's CPU time (steadier on a shared
machine: other processes do not count).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from taskparse import parse_file  # noqa: E402
from taskparse.errors import TaskparseError  # noqa: E402
from taskparse.extractors import extract  # noqa: E402
from taskparse.sniff import SUFFIXES  # noqa: E402

LONG_PAGES = range(30, 41)


def best_of(fn, repeat: int) -> float:
    return best_of_both(fn, repeat)[0]


def best_of_both(fn, repeat: int) -> tuple[float, float]:
    """Best wall-clock seconds and best CPU seconds of ``repeat`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def raw_pdfium(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    chars = 0
    for page in pdf:
        tp = page.get_textpage()
        chars += len(tp.get_text_range())
        tp.close()
        page.close()
    n = len(pdf)
    pdf.close()
    return n


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    n = len(pdf)
    pdf.close()
    return n


def files() -> list[Path]:
    out = []
    for folder in (ROOT / "samples", ROOT / "tests" / "fixtures" / "doc", ROOT / "tests" / "fixtures" / "pdf"):
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
    return out


def long_files(long_dir: Path) -> tuple[Path | None, Path | None]:
    for p in sorted((ROOT / "samples").glob("*.pdf")):
        if page_count(p) in LONG_PAGES:
            return p, None
    pdf, doc = long_dir / "seed001_long.pdf", long_dir / "seed001_long.doc"
    if not pdf.exists():
        script = ROOT / "tests" / "fixtures" / "make_fixtures.py"
        try:
            subprocess.run([sys.executable, str(script), "--long", str(long_dir)], check=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            print(f"cannot build the long PDF ({exc}); skipping the pages/s row", file=sys.stderr)
            return None, None
    return pdf, (doc if doc.exists() else None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--long-dir", type=Path, default=Path(tempfile.gettempdir()) / "taskparse-bench")
    args = ap.parse_args()

    per_format: dict[str, list[tuple[float, int]]] = defaultdict(list)
    rows = []
    for path in files():
        try:
            doc = extract(path)
            kind = doc.format
        except TaskparseError as exc:
            kind = f"({exc.kind})"
        except ImportError:  # an extractor not written yet
            rows.append((str(path.relative_to(ROOT)), "(no extractor)", path.stat().st_size, float("nan")))
            continue
        seconds = best_of(lambda: _try(path), args.repeat)
        size = path.stat().st_size
        per_format[kind].append((seconds, size))
        rows.append((str(path.relative_to(ROOT)), kind, size, seconds))

    print(f"{'file':48} {'format':14} {'KB':>8} {'ms':>9}")
    for name, kind, size, seconds in rows:
        print(f"{name:48} {kind:14} {size / 1024:8.1f} {seconds * 1000:9.2f}")
    print()
    print(f"{'format':14} {'files':>5} {'total ms':>9} {'MB/s':>8}")
    for kind, items in sorted(per_format.items()):
        total = sum(s for s, _ in items)
        mb = sum(b for _, b in items) / 1e6
        print(f"{kind:14} {len(items):5} {total * 1000:9.2f} {mb / total if total else 0:8.2f}")

    pdf, doc = long_files(args.long_dir)
    if pdf is not None:
        pages = page_count(pdf)
        timed = {"taskparse pdf extractor": best_of_both(lambda: extract(pdf), args.repeat),
                 "taskparse.parse_file": best_of_both(lambda: parse_file(pdf), args.repeat),
                 "raw pypdfium2 text range": best_of_both(lambda: raw_pdfium(pdf), args.repeat)}
        print()
        print(f"long PDF {pdf.name}: {pages} pages, best of {args.repeat}")
        print(f"  {'':26} {'wall ms':>8} {'pages/s':>8} {'CPU ms':>8} {'pages/s':>8}")
        for name, (wall, cpu) in timed.items():
            print(f"  {name:26} {wall * 1000:8.1f} {pages / wall:8.0f} {cpu * 1000:8.1f} {pages / cpu:8.0f}")
        raw_wall, raw_cpu = timed["raw pypdfium2 text range"]
        for label, name in (("extractor", "taskparse pdf extractor"), ("parse_file", "taskparse.parse_file")):
            wall, cpu = timed[name]
            print(f"  {'ratio ' + label + ' / raw':26} {wall / raw_wall:7.2f}x {'':8} {cpu / raw_cpu:7.2f}x")
        if doc is not None:
            secs = best_of(lambda: extract(doc), args.repeat)
            size = doc.stat().st_size
            print(f"same notice as .doc ({size / 1024:.0f} KB): {secs * 1000:.1f} ms, {size / 1e6 / secs:.2f} MB/s")
    return 0


def _try(path: Path) -> None:
    try:
        extract(path)
    except TaskparseError:
        pass


if __name__ == "__main__":
    sys.exit(main())
