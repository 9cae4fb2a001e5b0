"""Running the pipeline over files and folders: discovery, parallel workers with a per-file
timeout, outputs, progress and the summary.  Used by cli.py; prints only through ``echo`` and
rich on stderr."""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from .errors import TaskparseError, TooLarge
from .limits import MAX_INPUT_BYTES
from .models import Result
from .sniff import SUFFIXES

# suffixes picked up when walking a folder (.csv/.tsv are outputs more often than notices)
FOLDER_SUFFIXES = {s for s in SUFFIXES if s not in (".csv", ".tsv")}
WORKER_POLL_S = 0.05  # how often the master checks on its workers
# combined formats written result by result as files finish, so memory stays flat in the number of files
STREAMED = {"jsonl", "sqlite"}


@dataclass
class Outcome:
    """What happened to one input file."""

    path: str
    result: Result | None = None
    error: str | None = None  # one line
    kind: str | None = None  # error kind (errors.py) or "timeout" / "internal"
    exit_code: int = 0
    seconds: float = 0.0
    tasks: int = 0  # counts kept for the summary after a streamed result is released
    warnings: int = 0

    def __post_init__(self) -> None:
        if self.result is not None:
            self.tasks, self.warnings = len(self.result.tasks), len(self.result.warnings)


# --- discovery -------------------------------------------------------------------------------------

def discover(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Every file below ``folder`` with a supported suffix, in a stable order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        d = Path(dirpath)
        if exclude is not None and _inside(d, exclude):
            dirnames[:] = []
            continue
        dirnames[:] = sorted(n for n in dirnames if not n.startswith("."))
        for name in sorted(filenames):
            if name.startswith((".", "~$")):
                continue
            if Path(name).suffix.lower() in FOLDER_SUFFIXES:
                found.append(d / name)
    return found


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


# --- one file --------------------------------------------------------------------------------------

def parse_one(path: str, debug: bool = False) -> Outcome:
    """Parse one file (or '-' for stdin) into an Outcome; never raises for bad input."""
    from . import parse_bytes, parse_file

    start = time.perf_counter()
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                raise TooLarge(f"standard input is over the {MAX_INPUT_BYTES // (1024 * 1024)} MB limit", "<stdin>",
                               "split the document or convert it to text first")
            result = parse_bytes(data, "<stdin>")
        else:
            result = parse_file(path)
        return Outcome(path, result=result, seconds=time.perf_counter() - start)
    except TaskparseError as exc:
        return Outcome(path, error=exc.line(), kind=exc.kind, exit_code=exc.exit_code,
                       seconds=time.perf_counter() - start)
    except RecursionError:
        return Outcome(path, error=f"{path}: the document is nested too deeply to read — check the file",
                       kind="corrupt", exit_code=5, seconds=time.perf_counter() - start)
    except MemoryError:
        return Outcome(path, error=f"{path}: the document needs more memory than is available — split it",
                       kind="too-large", exit_code=8, seconds=time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one bad file must not end a batch
        if debug:
            import traceback

            traceback.print_exc()
        return Outcome(path, error=f"{path}: internal error ({type(exc).__name__}: {exc}) — please report it "
                                   "with the file; rerun with --debug for details",
                       kind="internal", exit_code=3, seconds=time.perf_counter() - start)


# --- workers with a per-file timeout -------------------------------------------------------------

def _worker(tasks: mp.Queue, results: mp.Queue, debug: bool) -> None:
    while True:
        item = tasks.get()
        if item is None:
            return
        index, path = item
        results.put((index, parse_one(path, debug)))


def run_parallel(paths: list[str], jobs: int, timeout: float, debug: bool = False,
                 on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Parse ``paths`` with ``jobs`` worker processes; a file that takes longer than
    ``timeout`` seconds is failed and its worker replaced.  Outcomes come back in input order."""
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    outcomes: list[Outcome | None] = [None] * len(paths)
    jobs = max(1, min(jobs, len(paths)))
    workers: list[dict] = []
    pending = list(enumerate(paths))
    results: mp.Queue = ctx.Queue()

    def start_worker() -> dict:
        q: mp.Queue = ctx.Queue()
        p = ctx.Process(target=_worker, args=(q, results, debug), daemon=True)
        p.start()
        return {"proc": p, "queue": q, "job": None, "since": 0.0}

    def feed(w: dict) -> None:
        if pending and w["job"] is None:
            job = pending.pop(0)
            w["job"], w["since"] = job, time.monotonic()
            w["queue"].put(job)

    try:
        for _ in range(jobs):
            w = start_worker()
            workers.append(w)
            feed(w)
        remaining = len(paths)
        while remaining:
            try:
                index, outcome = results.get(timeout=WORKER_POLL_S)
            except queue.Empty:
                index = None
            if index is not None:
                outcomes[index] = outcome
                remaining -= 1
                if on_done:
                    on_done(outcome)
                for w in workers:
                    if w["job"] is not None and w["job"][0] == index:
                        w["job"] = None
                        feed(w)
                        break
            now = time.monotonic()
            for i, w in enumerate(workers):
                job = w["job"]
                dead = job is not None and not w["proc"].is_alive()
                if job is not None and (now - w["since"] > timeout or dead):
                    w["proc"].kill()
                    w["proc"].join(1)
                    idx, path = job
                    if dead:
                        msg = f"{path}: the reader crashed on this file — check the file; rerun with --debug"
                        kind, code = "internal", 3
                    else:
                        msg = f"{path}: gave up after {timeout:g} s — the file may be damaged; raise --timeout to try longer"
                        kind, code = "timeout", 10
                    outcome = Outcome(path, error=msg, kind=kind, exit_code=code, seconds=now - w["since"])
                    outcomes[idx] = outcome
                    remaining -= 1
                    if on_done:
                        on_done(outcome)
                    workers[i] = start_worker()
                    feed(workers[i])
    finally:
        for w in workers:
            try:
                w["queue"].put(None)
            except (OSError, ValueError):
                pass
        for w in workers:
            w["proc"].join(0.5)
            if w["proc"].is_alive():
                w["proc"].kill()
                w["proc"].join(0.5)
    return [o for o in outcomes if o is not None]


# --- outputs ---------------------------------------------------------------------------------------

def _check_not_input(dest: Path, inputs: list[Path]) -> None:
    for p in inputs:
        if p.exists() and dest.exists() and dest.resolve() == p.resolve():
            raise click.UsageError(f"the output {dest} is one of the inputs; choose another -o")


def mirrored(dest_dir: Path, root: Path, src: Path, fmt: str) -> Path:
    """Output path for ``src`` under ``dest_dir``: the same relative path plus the format suffix.
    Never escapes ``dest_dir``."""
    rel = src.relative_to(root) if root != src else Path(src.name)
    out = (dest_dir / rel).with_name(rel.name + "." + fmt)
    if not _inside(out, dest_dir):
        raise click.UsageError(f"refusing to write outside {dest_dir}: {out}")
    return out


def run(inputs: list[str], output: str | None, fmt: str | None, jobs: int | None, timeout: float, debug: bool,
        echo: Callable[[str], None]) -> int:
    """The convert command; returns the exit code."""
    from .writers import COMBINED, format_for, write

    started = time.perf_counter()
    expanded, folders = _expand(inputs)
    single = len(inputs) == 1 and not folders
    if single:
        outcome = parse_one(inputs[0], debug)
        if outcome.result is None:
            echo(outcome.error or "failed")
            return outcome.exit_code or 3
        for w in outcome.result.warnings:
            if w.code in ("needs_ocr", "bold_lead_unknown"):
                echo(f"{inputs[0]}: warning: {w.message}")
        out_fmt = format_for(output, fmt)
        if output in (None, "-"):
            _to_stdout([outcome.result], out_fmt)
        else:
            _check_not_input(Path(output), [Path(p) for p in expanded])
            write([outcome.result], output, out_fmt)
        return 0

    if output in (None, "-"):
        out_fmt = format_for(None, fmt)
        if out_fmt not in ("json", "jsonl", "csv"):
            raise click.UsageError(f"-f {out_fmt} needs -o FILE")
        outcomes = _parse_many(expanded, jobs, timeout, debug)
        _to_stdout([o.result for o in outcomes if o.result is not None], out_fmt)
        return _summary(outcomes, echo, started)
    dest = Path(output)
    out_fmt = format_for(output, fmt)
    combined = dest.suffix.lower() in (".xlsx", ".sqlite", ".sqlite3", ".db", ".jsonl", ".csv") and out_fmt in COMBINED
    _check_not_input(dest, [Path(p) for p in expanded])
    if combined and out_fmt in STREAMED:
        return _summary(_stream(dest, out_fmt, expanded, jobs, timeout, debug), echo, started)
    outcomes = _parse_many(expanded, jobs, timeout, debug, exclude=None if combined else dest)
    ok = [o.result for o in outcomes if o.result is not None]
    if combined:
        if ok:
            write(ok, dest, out_fmt)
    else:
        if dest.exists() and not dest.is_dir():
            raise click.UsageError(f"{dest} is a file; for several inputs -o must be a folder or a .xlsx/.sqlite/.jsonl/.csv file")
        roots = {str(orig): (root, src) for root, orig, src in _roots(inputs)}
        used: set[Path] = set()
        for o in outcomes:
            if o.result is not None:
                root, src = roots.get(o.path, (Path(o.path).parent, Path(o.path)))
                target = mirrored(dest, root, src, out_fmt)
                k = 2
                while target in used:  # x/a.txt and y/a.txt given as files: never overwrite one with the other
                    target = target.with_name(f"{Path(o.path).name}.{k}.{out_fmt}")
                    k += 1
                used.add(target)
                write([o.result], target, out_fmt)
    return _summary(outcomes, echo, started)


def _expand(inputs: list[str]) -> tuple[list[str], list[str]]:
    files, folders = [], []
    for inp in inputs:
        p = Path(inp)
        if inp != "-" and p.is_dir():
            folders.append(inp)
            files += [str(f) for f in discover(p)]
        else:
            files.append(inp)
    return files, folders


def _roots(inputs: list[str]) -> Iterator[tuple[Path, Path, Path]]:
    """(root, path as given, path to take relative to root) for every input file."""
    files = [Path(i) for i in inputs if i != "-" and not Path(i).is_dir()]
    try:  # files given one by one keep their folders relative to what they share
        common = Path(os.path.commonpath([str(f.resolve().parent) for f in files])) if files else None
    except ValueError:  # different drives
        common = None
    for inp in inputs:
        p = Path(inp)
        if inp != "-" and p.is_dir():
            for f in discover(p):
                yield p, f, f
        elif common is not None and len(files) > 1:
            yield common, p, p.resolve()
        else:
            yield p.parent, p, p


class _NothingWritten(Exception):
    """Cancels a streamed output when no file converted, so an existing output stays as it was."""


def _stream(dest: Path, fmt: str, paths: list[str], jobs: int | None, timeout: float,
            debug: bool) -> list[Outcome]:
    """Parse ``paths`` into one combined ``dest``, writing each result in input order as soon as
    the files before it are done, then releasing it (only its counts stay for the summary)."""
    import importlib

    module = importlib.import_module(f".writers.{fmt}_writer", __package__)
    order: dict[str, list[int]] = {}  # path -> its places in the order _parse_many returns
    for i, p in enumerate((["-"] if "-" in paths else []) + [p for p in paths if p != "-"]):
        order.setdefault(p, []).append(i)
    ready: dict[int, Outcome] = {}
    state = {"next": 0, "written": 0}
    outcomes: list[Outcome] = []
    try:
        with module.stream(dest) as add:
            def sink(o: Outcome) -> None:
                ready[order[o.path].pop(0)] = o
                while state["next"] in ready:
                    done = ready.pop(state["next"])
                    state["next"] += 1
                    if done.result is not None:
                        add(done.result)
                        state["written"] += 1
                        done.result = None

            outcomes = _parse_many(paths, jobs, timeout, debug, on_result=sink)
            if not state["written"]:
                raise _NothingWritten
    except _NothingWritten:
        pass
    return outcomes


def _parse_many(paths: list[str], jobs: int | None, timeout: float, debug: bool,
                exclude: Path | None = None, on_result: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    if exclude is not None:
        paths = [p for p in paths if p == "-" or not _inside(Path(p), exclude)]
    if not paths:
        return []
    jobs = jobs or os.cpu_count() or 1
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.console import Console

    console = Console(stderr=True)
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        bar = progress.add_task("parsing", total=len(paths))
        def done(o: Outcome) -> None:
            progress.advance(bar)
            if on_result is not None:
                on_result(o)

        if "-" in paths:
            first = [parse_one("-", debug)]
            paths = [p for p in paths if p != "-"]
            done(first[0])
        else:
            first = []
        outcomes = run_parallel(paths, jobs, timeout, debug, on_done=done) if paths else []
    return first + outcomes


def _to_stdout(results: list[Result], fmt: str) -> None:
    if fmt == "json":
        from .writers.json_writer import dumps

        sys.stdout.write(dumps(results) if results else "[]\n")
    elif fmt == "csv":
        from .writers.csv_writer import dumps

        sys.stdout.write(dumps(results))
    elif fmt == "jsonl":
        from .writers.jsonl_writer import dumps

        sys.stdout.write(dumps(results))
    else:
        raise click.UsageError(f"-f {fmt} needs -o FILE")
    sys.stdout.flush()


def _summary(outcomes: list[Outcome], echo: Callable[[str], None], started: float | None = None) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    failed = [o for o in outcomes if o.error is not None]
    tasks = sum(o.tasks for o in outcomes)
    warns = sum(o.warnings for o in outcomes)
    table = Table(title="taskparse", show_lines=False)
    for col in ("file", "tasks", "warnings", "error"):
        table.add_column(col, overflow="fold")
    for o in outcomes:
        if o.error is None:
            table.add_row(Text(o.path), str(o.tasks), str(o.warnings), "")  # Text: "[..]" in a name is not markup
        else:
            table.add_row(Text(o.path), "-", "-", Text(o.error or ""))
    console = Console(stderr=True)
    console.print(table)
    parsing = sum(o.seconds for o in outcomes)
    wall = "" if started is None else f" in {time.perf_counter() - started:.1f} s"
    console.print(f"{len(outcomes)} files, {tasks} tasks, {warns} warnings, {len(failed)} failed{wall} "
                  f"({parsing:.1f} s of parsing)")
    for o in failed:
        echo(o.error or f"{o.path}: failed")
    if not outcomes:
        echo("no supported files found")
        return 1
    return 1 if failed else 0


def run_units(inputs: list[str], unit: str | None, output: str | None, fmt: str | None, jobs: int | None,
              debug: bool, echo: Callable[[str], None], listing: bool = False) -> int:
    """The units command (by-unit view)."""
    from .units import run as units_run

    expanded, _ = _expand(inputs)
    if not expanded:
        echo("no supported files found")
        return 1
    outcomes = _parse_many(expanded, jobs, 300.0, debug) if len(expanded) > 1 else [parse_one(expanded[0], debug)]
    for o in outcomes:
        if o.result is None:
            echo(o.error or f"{o.path}: failed")
    results = [o.result for o in outcomes if o.result is not None]
    if not results:
        return max((o.exit_code for o in outcomes), default=1) or 1
    units_run(results, unit, output, fmt, listing)
    return 1 if any(o.result is None for o in outcomes) else 0


def run_due(inputs: list[str], before, unit: str | None, output: str | None, fmt: str | None, jobs: int | None,
            debug: bool, echo: Callable[[str], None]) -> int:
    """The due command (tasks by due date)."""
    from .dueview import run as due_run

    expanded, _ = _expand(inputs)
    if not expanded:
        echo("no supported files found")
        return 1
    outcomes = _parse_many(expanded, jobs, 300.0, debug) if len(expanded) > 1 else [parse_one(expanded[0], debug)]
    for o in outcomes:
        if o.result is None:
            echo(o.error or f"{o.path}: failed")
    results = [o.result for o in outcomes if o.result is not None]
    if not results:
        return max((o.exit_code for o in outcomes), default=1) or 1
    due_run(results, before, unit, output, fmt)
    return 1 if any(o.result is None for o in outcomes) else 0
