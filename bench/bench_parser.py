"""Parser throughput: MB/s of ``parse_document`` on the seed notices and on a ~5 MB concatenation.

    python bench/bench_parser.py [--repeat N] [--big-mb 5]

Times are CPU seconds of this process (``time.process_time``), best of N, so another process on a
shared machine disturbs them less than wall time.  The documents are extracted once beforehand: the
figures are the parser alone (logical lines, tree, clauses, tasks), not reading the file.  The
parser remembers clause and unit-list parses, and the step after it resolved time limits (pure functions of the text); every run starts with those
caches cleared, so the seeds are timed as first parses.  The big concatenation repeats the seeds, so
from its second copy on it meets clauses it has seen: its figure shows linearity, not first-parse speed.  For scale,
the same run times one compiled-regex pass over the same text (``\\S+`` counted): the floor any
line-by-line parser in Python sits above.  The step after parsing (canonical units, due dates) is timed
apart.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import regex  # noqa: E402

from taskparse import postparse  # noqa: E402
from taskparse.extractors import extract_bytes  # noqa: E402
from taskparse.parser import clear_caches, parse  # noqa: E402

SEEDS = sorted((ROOT / "samples").glob("00[0-4]_*.txt"))[:5]


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        clear_caches()  # each run is a first parse: nothing remembered from the previous one
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--big-mb", type=float, default=5.0)
    a = ap.parse_args()
    texts = [p.read_bytes() for p in SEEDS]
    docs = [extract_bytes(t, p.name) for t, p in zip(texts, SEEDS)]
    size = sum(len(t) for t in texts)
    t = best_of(lambda: [parse(d) for d in docs], a.repeat)
    word = regex.compile(r"\S+")
    floor = best_of(lambda: [len(word.findall(t.decode("utf-8"))) for t in texts], a.repeat)
    print(f"seeds      {size / 1e6:6.2f} MB  parse {t * 1000:7.1f} ms  {size / t / 1e6:5.2f} MB/s   "
          f"(one regex pass: {floor * 1000:5.1f} ms)")

    copies = max(1, int(a.big_mb * 1e6 / size))
    big = b"\n".join(texts * copies)
    doc = extract_bytes(big, "big.txt")
    t_big = best_of(lambda: parse(doc), max(1, a.repeat // 2))
    print(f"big        {len(big) / 1e6:6.2f} MB  parse {t_big * 1000:7.1f} ms  {len(big) / t_big / 1e6:5.2f} MB/s   "
          f"(x{copies} the seeds: time ratio {t_big / t:.1f} for {len(big) / size:.1f}x the bytes)")

    results = [parse(d) for d in docs]
    t_post = best_of(lambda: [postparse.enrich(r) for r in results], a.repeat)
    print(f"after parsing (canonical units, due dates) on the seeds: {t_post * 1000:.1f} ms")


if __name__ == "__main__":
    main()
