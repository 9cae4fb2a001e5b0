"""What canonical units and due dates cost after parsing: parse vs enrich time per seed notice, and
enrich on one synthetic notice with many distinct units (the near-miss pairs are the quadratic part).

    python bench/bench_postparse.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from taskparse.extractors import extract
from taskparse.models import Notice, Result, Source, Task
from taskparse.parser import parse
from taskparse.postparse import enrich

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def synthetic(n_units: int) -> Result:
    """One county notice whose tasks name ``n_units`` distinct offices, ten per task."""
    names = [f"县第{i}号工作指挥部" if i % 3 else f"第{i}号服务中心" for i in range(n_units)]
    tasks = [Task(id=str(k), seq=k + 1, number=str(k + 1), text="任务", units=names[k * 10:(k + 1) * 10],
                  deadline="2021年6月底前") for k in range((n_units + 9) // 10)]
    return Result(source=Source(format="txt"), notice=Notice(issuer="金乡县人民政府", date="2021-02-10"), tasks=tasks)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"{'notice':<28} {'tasks':>5} {'units':>5} {'parse ms':>9} {'enrich ms':>9}")
    for path in sorted(SAMPLES.glob("00?_*.txt")):
        doc = extract(path)
        result = parse(doc)
        t_parse = best(lambda: parse(doc), args.repeat)
        t_enrich = best(lambda: enrich(result), args.repeat)
        n_units = len({u for t in result.tasks for u in (*t.lead_units, *t.units)})
        print(f"{path.name:<28} {len(result.tasks):>5} {n_units:>5} {t_parse * 1000:>9.1f} {t_enrich * 1000:>9.1f}")
    for n in (1000, 4000):
        r = synthetic(n)
        print(f"{'synthetic, distinct units':<28} {len(r.tasks):>5} {n:>5} {'':>9} "
              f"{best(lambda: enrich(r), max(1, args.repeat // 2)) * 1000:>9.1f}")


if __name__ == "__main__":
    main()
