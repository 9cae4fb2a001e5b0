"""Batch benchmark: a folder of copied sample notices through `taskparse DIR -o x.jsonl`, and a
re-run with --resume over the same, unchanged folder.

Runs each (files, jobs) case as a subprocess and reports wall time, files/s, the speed-up of
--jobs 2 over --jobs 1, CPU time (CPU/wall near the job count means the cores were ours) and
peak memory.  Each case runs --repeat times and keeps the fastest run, since the cores may be
shared with other work (the load average is printed before each case).  Peak memory is ru_maxrss
of the largest single process (the master or one worker), read in a fresh wrapper process each
time because RUSAGE_CHILDREN only ever grows.

The --resume cases convert the folder once into -o DIR/ (skips by modification time) and into
-o x.sqlite (skips by SHA-256), then run the same command again with --resume: the speed-up is the
first run's wall time over the re-run's.

    python bench/bench_batch.py                   # 200 and 1000 copies of the .txt samples; --resume on 200
    python bench/bench_batch.py --all-formats     # every supported sample file, copied round-robin
    python bench/bench_batch.py --sizes 20 --jobs 1 2 4 --resume-sizes
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# the wrapper: runs the command, then reports its wall time and its descendants' peak RSS
MEASURE = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss in KiB on Linux
print(json.dumps({"rc": rc, "wall": wall, "rss_mib": ru.ru_maxrss / 1024, "cpu": ru.ru_utime + ru.ru_stime}))
"""


def sample_files(all_formats: bool) -> list[Path]:
    if not all_formats:
        return sorted(SAMPLES.glob("[0-9][0-9][0-9]_*.txt"))
    sys.path.insert(0, str(ROOT / "src"))
    from taskparse.batch import discover

    return [p for p in discover(SAMPLES) if p.name[:3].isdigit()]


def make_folder(base: Path, files: list[Path], n: int) -> Path:
    """``n`` files copied round-robin from ``files`` into base/n/ (100 per subfolder)."""
    folder = base / f"n{n}"
    for i in range(n):
        src = files[i % len(files)]
        sub = folder / f"part{i // 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, sub / f"{i:04d}_{src.name}")
    return folder


def installed_env() -> dict[str, str]:
    """The environment taskparse runs in once installed: its bytecode compiled (pip does so on install; a
    source checkout writes it on the first run) and kept.  A machine with PYTHONDONTWRITEBYTECODE set (this
    project's is) would otherwise compile every module from source in every process: about 60 ms of start-up
    that no user pays, and the part of a run that --jobs cannot split."""
    import compileall

    spec = importlib.util.find_spec("taskparse")
    if spec is not None and spec.origin:
        compileall.compile_dir(str(Path(spec.origin).parent), quiet=1)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


ENV: dict[str, str] | None = None  # set by main()


def measure(folder: Path, out: Path, jobs: int, *extra: str) -> dict:
    cmd = [sys.executable, "-m", "taskparse", str(folder), "-o", str(out), "--jobs", str(jobs), *extra]
    done = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True, env=ENV)
    res = json.loads(done.stdout)
    if res["rc"] not in (0, 1):
        raise SystemExit(f"taskparse failed with exit code {res['rc']}: {' '.join(cmd)}")
    res["lines"] = sum(1 for _ in out.open(encoding="utf-8")) if out.suffix == ".jsonl" else None
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[200, 1000], help="number of files per run")
    ap.add_argument("--resume-sizes", type=int, nargs="*", default=[200],
                    help="folders converted once, then again with --resume (none: skip these cases)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to compare")
    ap.add_argument("--all-formats", action="store_true", help="copy every sample format, not only .txt")
    ap.add_argument("--out", choices=["jsonl", "sqlite", "xlsx", "csv"], default="jsonl",
                    help="combined output format (jsonl, csv and sqlite are streamed; xlsx holds every result)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case; the fastest counts")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    files = sample_files(args.all_formats)
    if not files:
        raise SystemExit(f"no sample files in {SAMPLES}")
    global ENV
    ENV = installed_env()
    print(f"{len(files)} distinct sample files ({'all formats' if args.all_formats else '.txt'}), "
          f"copied round-robin; output .{args.out}; best of {args.repeat}; {os.cpu_count()} cores; "
          f"load average before: {os.getloadavg()[0]:.2f}; bytecode compiled and kept, as once installed",
          file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="taskparse-bench-") as tmp:
        base = Path(tmp)
        if args.sizes:
            jobs_table(base, files, args)
        if args.resume_sizes:
            resume_table(base, files, args)


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def jobs_table(base: Path, files: list[Path], args: argparse.Namespace) -> None:
    header = (f"{'files':>6} {'jobs':>5} {'wall s':>8} {'files/s':>8} {'speed-up':>9} {'CPU s':>7} {'CPU/wall':>9} "
              f"{'peak MiB':>9} {'tasks':>7} {'load':>6}")
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        folder = make_folder(base, files, n)
        first = None
        for jobs in args.jobs:
            before = load()
            runs = [measure(folder, base / f"out-{n}-{jobs}-{i}.{args.out}", jobs) for i in range(args.repeat)]
            r = min(runs, key=lambda x: x["wall"])
            r["rss_mib"] = max(x["rss_mib"] for x in runs)
            first = first or r["wall"]
            print(f"{n:>6} {jobs:>5} {r['wall']:>8.2f} {n / r['wall']:>8.1f} {first / r['wall']:>8.2f}x "
                  f"{r['cpu']:>7.2f} {r['cpu'] / r['wall']:>9.2f} {r['rss_mib']:>9.1f} "
                  f"{'-' if r['lines'] is None else r['lines']:>7} {before:>6}", flush=True)


def resume_table(base: Path, files: list[Path], args: argparse.Namespace) -> None:
    """First run, then the same command with --resume over the unchanged folder (best of --repeat each;
    every first run writes a fresh output, every re-run skips all files)."""
    jobs = max(args.jobs)
    header = (f"\n{'files':>6} {'output':>8} {'first s':>8} {'re-run s':>9} {'speed-up':>9} {'re-run CPU s':>13} "
              f"{'load':>6}")
    print(header)
    print("-" * (len(header) - 1))
    for n in args.resume_sizes:
        folder = base / f"n{n}" if (base / f"n{n}").is_dir() else make_folder(base, files, n)
        for kind in ("DIR/", "sqlite"):
            before = load()
            firsts, reruns = [], []
            for i in range(args.repeat):
                out = base / (f"dir-{n}-{i}" if kind == "DIR/" else f"db-{n}-{i}.sqlite")
                firsts.append(measure(folder, out, jobs))
                reruns.append(measure(folder, out, jobs, "--resume"))
            f = min(firsts, key=lambda x: x["wall"])
            r = min(reruns, key=lambda x: x["wall"])
            print(f"{n:>6} {kind:>8} {f['wall']:>8.2f} {r['wall']:>9.3f} {f['wall'] / r['wall']:>8.1f}x "
                  f"{r['cpu']:>13.3f} {before:>6}", flush=True)


if __name__ == "__main__":
    main()
