"""Hostile and broken files through the command line, one process each, under a memory and a
time limit: exit code, stderr line, wall seconds and peak RSS per file.

    python bench/bench_hostile.py FILE_OR_DIR ...  [--mem-mb 1024] [--timeout 60] [--markdown]
    python bench/bench_hostile.py --mutants 1000 [--seed 17] [--jobs 2] [--keep DIR]

Each file runs as ``python -m taskparse FILE`` with its address space capped (RLIMIT_AS, the
limit Linux enforces; RLIMIT_RSS is not) and is killed after ``--timeout`` seconds.  Peak RSS
is the child's own ru_maxrss (os.wait4).  The corpus is made by scripts/make_bad_inputs.py
(small files in tests/bad_inputs/, big ones with ``--big DIR``).

``--mutants N`` makes N mutants of the bundled samples (seeded: byte flips, cuts, zeroed and
repeated stretches), runs each the same way and counts internal errors (exit 3, a traceback, or
DamagedStructure's "reader failed" — an exception a reader should have named), hangs and runs
over budget (the memory cap hit, or peak RSS over the cap); ``--keep DIR`` saves the mutants that
fall in one of those classes.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass
class Outcome:
    name: str
    code: int | str  # exit code, or "timeout" / "signal N"
    stderr: list[str]
    seconds: float
    peak_mb: float


def run_one(path: Path, mem_mb: int, timeout: float, args: tuple[str, ...] = ()) -> Outcome:
    """Run taskparse on one file under the limits; the stdout is thrown away."""
    limit = mem_mb * MB

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "taskparse", str(path), *args], stdout=subprocess.DEVNULL,
                                stderr=err, preexec_fn=limits)
        timed_out = False
        while True:  # wait4, not wait: the child's own peak RSS comes with it
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                proc.kill()
                timed_out = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - start
        proc.returncode = 0  # reaped here; keep Popen from waiting again
        err.seek(0)
        lines = [ln for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    code: int | str
    if timed_out:
        code = "timeout"
    elif os.WIFSIGNALED(status):
        code = f"signal {os.WTERMSIG(status)}"
    else:
        code = os.WEXITSTATUS(status)
    return Outcome(path.name, code, lines, seconds, usage.ru_maxrss / 1024)


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One seeded mutation of ``data`` and its description."""
    out = bytearray(data)
    how = rng.choice(("flip", "flip", "flip", "cut", "zero", "repeat"))
    if how == "flip":
        n = rng.randint(1, 16)
        for _ in range(n):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out), f"{n} bytes flipped"
    if how == "cut":
        at = rng.randrange(1, len(out))
        return bytes(out[:at]), f"cut at {at}"
    start = rng.randrange(len(out))
    size = min(rng.randint(1, 4096), len(out) - start)
    if how == "zero":
        out[start:start + size] = bytes(size)
        return bytes(out), f"{size} bytes zeroed at {start}"
    return bytes(out[:start + size] + out[start:]), f"{size} bytes at {start} repeated"


def classify(o: Outcome, mem_mb: int) -> str:
    text = " ".join(o.stderr)
    if o.code == "timeout":
        return "hang"
    if "needs more memory" in text or o.peak_mb >= mem_mb or str(o.code).startswith("signal"):
        return "over budget"
    if o.code == 3 or "Traceback" in text or "reader failed" in text or "internal error" in text:
        return "internal error"
    return "ok"


def run_mutants(count: int, seed: int, jobs: int, mem_mb: int, timeout: float, keep: Path | None) -> int:
    from concurrent.futures import ThreadPoolExecutor
    from collections import Counter

    sources = sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.suffix in
                     (".txt", ".docx", ".doc", ".wps", ".pdf", ".html", ".rtf"))
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="mutants_"))
    jobs_list = []
    for i in range(count):
        src = rng.choice(sources)
        data, how = mutate(src.read_bytes(), rng)
        f = work / f"m{i:04d}_{src.stem[:24]}{src.suffix}"
        f.write_bytes(data)
        jobs_list.append((f, src.name, how))
    with ThreadPoolExecutor(jobs) as pool:
        outcomes = list(pool.map(lambda job: run_one(job[0], mem_mb, timeout), jobs_list))
    classes: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for (f, src, how), o in zip(jobs_list, outcomes):
        cls = classify(o, mem_mb)
        classes[cls] += 1
        codes[str(o.code)] += 1
        if cls != "ok":
            print(f"{cls}: {f.name} ({src}, {how}): exit {o.code}, {o.seconds:.1f}s, {o.peak_mb:.0f}MB: "
                  f"{o.stderr[-1][:160] if o.stderr else ''}")
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(f, keep / f.name)
    shutil.rmtree(work)
    worst_s = max(outcomes, key=lambda o: o.seconds)
    worst_mb = max(outcomes, key=lambda o: o.peak_mb)
    print(f"{count} mutants of {len(sources)} samples (seed {seed}): "
          + ", ".join(f"{k} {v}" for k, v in sorted(classes.items())))
    print("exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items())))
    print(f"slowest {worst_s.seconds:.1f} s ({worst_s.name}), largest {worst_mb.peak_mb:.0f} MB ({worst_mb.name})")
    return 0 if classes["ok"] == count else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--mem-mb", type=int, default=1024, help="address-space cap per process (default 1024)")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--mutants", type=int, default=0, metavar="N", help="run N mutants of the samples instead")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="copy failing mutants here")
    args = ap.parse_args(argv)
    if args.mutants:
        return run_mutants(args.mutants, args.seed, args.jobs, args.mem_mb, args.timeout, args.keep)
    files = sorted(f for p in args.paths for f in ([p] if p.is_file() else p.iterdir())
                   if f.is_file() and f.suffix not in (".json", ".md"))
    if args.markdown:
        print("| file | size | exit | stderr | s | peak MB |\n|---|---|---|---|---|---|")
    for f in files:
        o = run_one(f, args.mem_mb, args.timeout)
        line = o.stderr[0].replace(str(f), f.name)[:150] if o.stderr else ""
        more = f" (+{len(o.stderr) - 1} lines)" if len(o.stderr) > 1 else ""
        size = f"{f.stat().st_size / 1024:,.0f} KB"
        if args.markdown:
            print(f"| {f.name} | {size} | {o.code} | {line.replace('|', '/')}{more} | {o.seconds:.1f} | {o.peak_mb:.0f} |")
        else:
            print(f"{f.name:34} {size:>10} {str(o.code):>8} {o.seconds:6.1f}s {o.peak_mb:6.0f}MB  {line}{more}", flush=True)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main())
