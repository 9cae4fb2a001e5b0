"""Hostile and broken files through the command line, one process each, under a memory and a
time limit: exit code, stderr line, wall seconds and peak RSS per file.

    python bench/bench_hostile.py FILE_OR_DIR ...  [--mem-mb 1536] [--timeout 60] [--markdown]

Each file runs as ``python -m taskparse FILE`` with its address space capped (RLIMIT_AS, the
limit Linux enforces; RLIMIT_RSS is not) and is killed after ``--timeout`` seconds.  Peak RSS
is the child's own ru_maxrss (os.wait4).  The corpus is made by scripts/make_bad_inputs.py
(small files in tests/bad_inputs/, big ones with ``--big DIR``).
"""
from __future__ import annotations

import argparse
import os
import resource
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--mem-mb", type=int, default=1536, help="address-space cap per process (default 1536)")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
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
