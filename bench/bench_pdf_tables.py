"""PDF table pages: extraction speed of the table samples, and the borderless-table search on
synthetic pages of growing size (is it linear?).

    python bench/bench_pdf_tables.py [--repeat 5]

Part 1 prints pages per second for every ``samples/*table*.pdf`` (best of ``--repeat``): ruled
tables and borderless ones (三线表, rules between rows, no rules, centred cells).
Part 2 times ``find_tables`` alone on one page of 1000 and 4000 visual lines of three kinds —
random three-part lines, one long table, and header lines alternating with lines across the
table (every region fails and is retried) — and prints the ratio t(4000)/t(1000): about 4 is linear.
CPU seconds (time.process_time), so a busy machine bends the ratios less.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from taskparse.extractors import _layout as layout, pdf  # noqa: E402
from taskparse.extractors._pdf_grid import find_tables  # noqa: E402

SIZE = 12.0


def _page(n: int, kind: str) -> list:
    rnd = random.Random(1)
    chars = []
    y = 1e6
    for i in range(n):
        y -= 14
        if kind == "random":
            parts = [(x, "任务单位") for x in sorted(rnd.sample(range(50, 700, 13), 3))]
        elif kind == "table":
            parts = [(80, "序号" if i == 0 else str(i % 90 + 1)), (120, "重点任务" if i == 0 else "推进产业园基础设施建设完善"),
                     (380, "牵头单位"), (470, "责任单位")]
        else:  # "retried": a header line, then a line across every column, again and again
            parts = [(80, "序号"), (200, "任务"), (400, "单位")] if i % 2 == 0 else [(60, "一、横跨全表的一行标题文字内容很长很长很长")]
        for x, text in parts:
            for j, ch in enumerate(text):
                chars.append(layout.Char(ch, x + j * SIZE, x + (j + 1) * SIZE, y, SIZE, False))
    return layout.visual_lines(chars, 1, 1e9)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    import pypdfium2

    print(f"{'sample':48s} pages      ms  pages/s")
    for f in sorted((ROOT / "samples").glob("*table*.pdf")):
        data = f.read_bytes()
        pages = len(pypdfium2.PdfDocument(data))
        best = min(_timed(lambda d=data, n=str(f): pdf.extract(d, n)) for _ in range(args.repeat))
        print(f"{f.name:48s} {pages:5d} {best * 1000:7.1f} {pages / best:8.0f}")
    print()
    print(f"{'find_tables on one page':24s} {'1000 lines':>11s} {'4000 lines':>11s}  ratio")
    for kind in ("random", "table", "retried"):
        small, big = _page(1000, kind), _page(4000, kind)
        t1 = min(_timed(lambda p=small: find_tables(p, [], None), cpu=True) for _ in range(args.repeat))
        t4 = min(_timed(lambda p=big: find_tables(p, [], None), cpu=True) for _ in range(args.repeat))
        print(f"{kind:24s} {t1 * 1000:9.1f}ms {t4 * 1000:9.1f}ms  {t4 / t1:5.1f}")
    return 0


def _timed(fn, cpu: bool = False) -> float:  # type: ignore[no-untyped-def]
    clock = time.process_time if cpu else time.perf_counter
    start = clock()
    fn()
    return clock() - start


if __name__ == "__main__":
    sys.exit(main())
