"""Running the pipeline over files and folders: output checks, discovery, parallel workers with a
per-file time and memory budget, outputs, interrupts and the summary.  Used by cli.py; prints only
through ``echo`` (and rich on stderr for progress and ``--verbose``)."""
from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import Interrupted, TaskparseError, TooLarge
from .limits import MAX_INPUT_BYTES
from .messages import t, warning_text
from .sniff import SUFFIXES

if TYPE_CHECKING:  # the models load with the first parse (a --resume re-run that parses nothing needs none)
    from .models import Result

# suffixes picked up when walking a folder (.csv/.tsv are outputs more often than notices)
FOLDER_SUFFIXES = {s for s in SUFFIXES if s not in (".csv", ".tsv")}
WORKER_POLL_S = 0.05  # how often the master checks on its workers (and on SIGINT/SIGTERM)
# files sent to a worker ahead of the one it parses, so it starts the next at once instead of waiting
# for the master to be scheduled (on a busy machine that wait is a good part of a small file's time)
WORKER_AHEAD = 1
# combined formats written result by result as files finish, so memory stays flat in the number of files
STREAMED = {"jsonl", "sqlite", "csv"}
WORKER_MEMORY_MB = 2048  # default address-space budget of one worker process (--memory) …
OCR_WORKER_MEMORY_MB = 3072  # … and with the OCR extra (recognising one page takes about 2.5 GB)


def default_memory_mb(ocr_mode: str | None = None) -> int:
    """The --memory default: more when scans may be recognised (the OCR extra installed, OCR not off).
    Asked without importing the readers (a --resume re-run imports nothing it does not need), so the
    names of extractors.ocr (MODE_ENV, the rapidocr module of ``available()``) are spelled out here."""
    import importlib.util

    mode = (ocr_mode or os.environ.get("TASKPARSE_OCR", "auto")).strip().lower()
    if mode != "never" and importlib.util.find_spec("rapidocr_onnxruntime") is not None:
        return OCR_WORKER_MEMORY_MB
    return WORKER_MEMORY_MB
PIPE_WIDTH = 200  # the --verbose table when stderr is not a terminal (rich would assume 80)  # failed files listed in the summary without --verbose
EXIT_INPUT = 11  # an input that does not exist or cannot be read
EXIT_INTERRUPTED: dict[int, int] = {int(signal.SIGINT): 130, int(signal.SIGTERM): 143}
SKIPPED = "skipped"  # an Outcome that is only a note (a link out of the folder): not a failure
SHOWN_WARNINGS = ("needs_ocr", "bold_lead_unknown", "no_tasks")  # printed on stderr for a single file


@dataclass
class Outcome:
    """What happened to one input file."""

    path: str
    result: Result | None = None
    error: str | None = None  # one line
    kind: str | None = None  # error kind (errors.py) or "timeout" / "internal" / "input"
    exit_code: int = 0
    seconds: float = 0.0
    tasks: int = 0  # counts kept for the summary after a streamed result is released
    warnings: int = 0
    payload: bytes | None = None  # the result as the writer's bytes (writers.render), made where it was parsed

    def __post_init__(self) -> None:
        if self.result is not None:
            self.tasks, self.warnings = len(self.result.tasks), len(self.result.warnings)


@dataclass
class Options:
    output: str | None = None
    fmt: str | None = None
    jobs: int | None = None
    timeout: float = 300.0
    memory_mb: int = WORKER_MEMORY_MB
    debug: bool = False
    mode: str = "refuse"  # refuse / update / force (existing outputs)
    resume: bool = False
    follow_links: bool = False
    verbose: bool = False
    # run once before the first file is parsed (the OCR set-up, which imports the readers and the
    # parser: a --resume run with nothing to parse skips that)
    prepare: Callable[[], None] | None = None


def _prepare(opts: Options) -> None:
    if opts.prepare is not None:
        prepare, opts.prepare = opts.prepare, None
        prepare()


# --- names -----------------------------------------------------------------------------------------

def shown(path: str | os.PathLike | None) -> str:
    """A path as one safe line: names that are not UTF-8 (GBK names unpacked on Linux) decoded as
    GB18030 when they are that, else with \\xNN escapes; control characters escaped."""
    if path is None:
        return ""
    s = os.fspath(path)
    if any("\udc80" <= ch <= "\udcff" for ch in s):
        raw = os.fsencode(s)
        try:
            s = raw.decode("gb18030")
        except UnicodeDecodeError:
            s = raw.decode("utf-8", "backslashreplace")
    if s.isprintable():
        return s
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in s)


# --- discovery -------------------------------------------------------------------------------------

def discover(folder: Path, exclude: Path | None = None, follow_links: bool = False,
             problems: list[Outcome] | None = None) -> list[Path]:
    """Every file below ``folder`` with a supported suffix, in a stable order.  Links that lead out
    of ``folder`` are skipped unless ``follow_links``; unreadable sub-folders and skipped links are
    added to ``problems``."""
    found = []
    root = folder.resolve()
    seen_dirs: set[tuple[int, int]] = set()

    def onerror(exc: OSError) -> None:
        if problems is not None:
            name = shown(exc.filename or folder)
            problems.append(Outcome(os.fspath(exc.filename or folder), error=t("in.folder_unreadable", path=name),
                                    kind="input", exit_code=EXIT_INPUT))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=onerror, followlinks=follow_links):
        d = Path(dirpath)
        if exclude is not None and _inside(d, exclude):
            dirnames[:] = []
            continue
        if follow_links:  # a link loop would walk forever
            with contextlib.suppress(OSError):
                st = d.stat()
                if (st.st_dev, st.st_ino) in seen_dirs:
                    dirnames[:] = []
                    continue
                seen_dirs.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(n for n in dirnames if not n.startswith("."))
        if not follow_links and problems is not None:  # os.walk does not enter them; say so
            for link in sorted(n for n in _linked_dirs(d) if not n.startswith(".")):
                if not _inside(d / link, root):
                    problems.append(Outcome(str(d / link), error=t("in.link_outside", path=shown(d / link)),
                                            kind=SKIPPED))
        for name in sorted(filenames):
            if name.startswith((".", "~$")) or Path(name).suffix.lower() not in FOLDER_SUFFIXES:
                continue
            p = d / name
            if not follow_links and p.is_symlink() and not _inside(p, root):
                if problems is not None:
                    problems.append(Outcome(str(p), error=t("in.link_outside", path=shown(p)), kind=SKIPPED))
                continue
            found.append(p)
    return found


def _linked_dirs(d: Path) -> list[str]:
    """Names of the links to folders in ``d`` (os.walk lists them with the files when not following)."""
    try:
        with os.scandir(d) as it:
            return [e.name for e in it if e.is_symlink() and e.is_dir()]
    except OSError:
        return []


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


# --- one file --------------------------------------------------------------------------------------

def _error_line(exc: TaskparseError, path: str) -> str:
    """The library error for people: its class in the catalogue (the library's own words with
    --lang en)."""
    from .messages import language

    name = shown(exc.path or path)
    key = getattr(exc, "catalogue_key", f"error.{exc.kind}")
    if language() == "en" or key not in _KINDS:
        exc.path = name
        return exc.line()
    return t(key, path=name, detail=exc.message)


_KINDS = {"error.unsupported", "error.corrupt", "error.encrypted", "error.needs-ocr", "error.needs-ocr-extra",
          "error.too-large", "error.empty"}


def _check_readable(path: str) -> Outcome | None:
    """A missing or unreadable input: one line and its own exit code (not "unsupported format")."""
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode):
            with open(path, "rb"):
                pass
    except FileNotFoundError:
        return Outcome(path, error=t("in.missing", path=shown(path)), kind="input", exit_code=EXIT_INPUT)
    except PermissionError:
        return Outcome(path, error=t("in.denied", path=shown(path)), kind="input", exit_code=EXIT_INPUT)
    except OSError as exc:
        return Outcome(path, error=t("in.unreadable", path=shown(path), detail=exc.strerror or exc),
                       kind="input", exit_code=EXIT_INPUT)
    return None


def _no_tasks(result: Result, document: object) -> Result:
    """A notice with no tasks gets a ``no_tasks`` warning naming the likely reason (the message is the
    catalogue's English reason, which ``warning_text`` turns back into the reader's language)."""
    from .document import Table
    from .messages import CATALOGUE
    from .models import Location, Warning

    if result.tasks:
        return result
    if any(w.code == "needs_ocr" for w in result.warnings):
        key = "reason.image"
    elif any(isinstance(b, Table) for b in getattr(document, "blocks", [])):
        key = "reason.table"
    elif _numbered_lines(document) >= 2:
        key = "reason.unassigned"
    else:
        key = "reason.labels"
    w = Warning(code="no_tasks", message=CATALOGUE[key][1], location=Location())
    return result.model_copy(update={"warnings": [*result.warnings, w]})


def _numbered_lines(document: object, enough: int = 2) -> int:
    """How many lines of the document start with an item number (counted up to ``enough``)."""
    from .document import Line
    from .parser.lines import marker_of

    found = 0
    for b in getattr(document, "blocks", []):
        if isinstance(b, Line) and marker_of(b.text.strip()[:12]) is not None:
            found += 1
            if found >= enough:
                break
    return found


def parse_one(path: str, debug: bool = False) -> Outcome:
    """Parse one file (or '-' for stdin) into an Outcome; never raises for bad input."""
    from . import parse_document
    from .extractors import extract, extract_bytes

    start = time.perf_counter()
    name = shown(path)
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                raise TooLarge(f"standard input is over the {MAX_INPUT_BYTES // (1024 * 1024)} MB limit", "<stdin>",
                               "split the document or convert it to text first")
            document = extract_bytes(data, "<stdin>")
        else:
            problem = _check_readable(path)
            if problem is not None:
                return problem
            document = extract(path)
        result = _no_tasks(parse_document(document), document)
        if result.source.path is not None and result.source.path != shown(result.source.path):
            # a name that is not UTF-8 cannot go into JSON/CSV/SQLite text: the readable form does
            result = result.model_copy(update={"source": result.source.model_copy(
                update={"path": shown(result.source.path)})})
        return Outcome(path, result=result, seconds=time.perf_counter() - start)
    except TaskparseError as exc:
        return Outcome(path, error=_error_line(exc, path), kind=exc.kind, exit_code=exc.exit_code,
                       seconds=time.perf_counter() - start)
    except RecursionError:
        return Outcome(path, error=t("in.nested", path=name), kind="corrupt", exit_code=5,
                       seconds=time.perf_counter() - start)
    except MemoryError:
        return Outcome(path, error=t("in.memory", path=name, mb=_memory_budget_mb() or "?"), kind="too-large",
                       exit_code=8, seconds=time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one bad file must not end a batch
        if debug:
            import traceback

            traceback.print_exc()
        return Outcome(path, error=t("in.internal", path=name, detail=f"{type(exc).__name__}: {exc}"),
                       kind="internal", exit_code=3, seconds=time.perf_counter() - start)


def rendered(outcome: Outcome, render: Callable[[Result], bytes] | None) -> Outcome:
    """``outcome`` with its result made into the writer's bytes by ``render`` (and the Result dropped:
    bytes cost the writing process nothing to receive, a Result costs unpickling)."""
    if render is None or outcome.result is None:
        return outcome
    try:
        outcome.payload = render(outcome.result)
    except MemoryError:
        return Outcome(outcome.path, error=t("in.memory", path=shown(outcome.path), mb=_memory_budget_mb() or "?"),
                       kind="too-large", exit_code=8, seconds=outcome.seconds)
    except Exception as exc:  # noqa: BLE001 - one bad file must not end a batch
        return Outcome(outcome.path, error=t("in.internal", path=shown(outcome.path),
                                             detail=f"{type(exc).__name__}: {exc}"),
                       kind="internal", exit_code=3, seconds=outcome.seconds)
    outcome.result = None
    return outcome


# --- workers with a per-file time and memory budget ----------------------------------------------

_BUDGET = {"mb": 0}


def _memory_budget_mb() -> int:
    return _BUDGET["mb"]


def _worker_setup(memory_mb: int) -> None:
    """In a worker: Ctrl-C is the master's business (it stops the workers); die with the master;
    at most ``memory_mb`` of address space (a runaway file fails with MemoryError)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: never an orphan if the master is killed
    if memory_mb > 0:
        with contextlib.suppress(Exception):
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            _BUDGET["mb"] = memory_mb


def _worker(tasks: mp.Queue, results: Connection, debug: bool, memory_mb: int,
            render: Callable[[Result], bytes] | None = None) -> None:
    """Parse the paths sent on ``tasks`` (and ``render`` each result into the writer's bytes, so the
    master only writes); each outcome goes back pickled on ``results``, a pipe
    written in this thread (a Queue would pickle and write in a thread of its own, which fails
    silently when the memory budget is spent).  Never prints a traceback of its own."""
    try:
        _worker_setup(memory_mb)
        while True:
            item = tasks.get()
            if item is None:
                return
            index, path = item
            outcome = rendered(parse_one(path, debug), render)
            try:
                data = pickle.dumps((index, outcome), protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                outcome = Outcome(path, error=t("in.memory", path=shown(path), mb=memory_mb), kind="too-large",
                                  exit_code=8, seconds=outcome.seconds)
                data = pickle.dumps((index, outcome), protocol=pickle.HIGHEST_PROTOCOL)
            del outcome
            results.send_bytes(data)
    except BaseException:  # noqa: BLE001 - out of memory or stopped: the master reports this file
        os._exit(70)


@contextlib.contextmanager
def _signals_as_flag() -> Iterator[dict[str, int | None]]:
    """SIGINT and SIGTERM only set a flag while the master runs its loop; the loop stops at a safe
    point (never inside a writer)."""
    flag: dict[str, int | None] = {"signum": None}

    def handler(signum: int, frame: object) -> None:
        flag["signum"] = signum

    try:
        old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield flag
        return
    try:
        yield flag
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def run_parallel(paths: list[str], jobs: int, timeout: float, debug: bool = False,
                 on_done: Callable[[Outcome], None] | None = None, memory_mb: int = WORKER_MEMORY_MB,
                 done_before: int = 0, total: int | None = None,
                 render: Callable[[Result], bytes] | None = None) -> list[Outcome]:
    """Parse ``paths`` with ``jobs`` worker processes (each result made into bytes by ``render``
    there when given); a file that takes longer than ``timeout``
    seconds (or dies, e.g. over its memory budget) is failed and its worker replaced.  Outcomes come
    back in input order.  SIGINT/SIGTERM stop the workers and raise Interrupted."""
    ctx: Any = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")  # fork or spawn
    outcomes: list[Outcome | None] = [None] * len(paths)
    jobs = max(1, min(jobs, len(paths)))
    workers: list[dict] = []
    pending = list(enumerate(paths))
    total = len(paths) + done_before if total is None else total

    def start_worker() -> dict:
        q: mp.Queue = ctx.Queue()
        receive, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_worker, args=(q, send, debug, memory_mb, render), daemon=True)
        p.start()
        send.close()  # the worker's end: EOF here once the worker is gone
        return {"proc": p, "queue": q, "conn": receive, "jobs": [], "since": 0.0}

    def receive_ready() -> list[tuple[int, Outcome]]:
        got = []
        for conn in wait([w["conn"] for w in workers], timeout=WORKER_POLL_S):
            assert isinstance(conn, Connection)
            try:
                got.append(pickle.loads(conn.recv_bytes()))
            except (EOFError, OSError):
                pass  # a worker that died: found below by is_alive()
        return got

    def left_in_pipe(w: dict) -> list[tuple[int, Outcome]]:
        """Outcomes a worker sent before it died (it may die on the file it was sent ahead)."""
        got = []
        with contextlib.suppress(EOFError, OSError):
            while w["conn"].poll():
                got.append(pickle.loads(w["conn"].recv_bytes()))
        return got

    def accept(index: int, outcome: Outcome, refill: bool = True) -> None:
        outcomes[index] = outcome
        if on_done:
            on_done(outcome)
        for w in workers:
            if w["jobs"] and w["jobs"][0][0] == index:
                w["jobs"].pop(0)
                w["since"] = time.monotonic()  # it starts on the next one it was sent
                if refill:
                    feed(w)
                break

    def feed(w: dict) -> None:
        """Send ``w`` a file when it has none, and one more ahead while others still wait for one."""
        if pending and not w["jobs"]:
            w["since"] = time.monotonic()  # the first file sent is the one it parses now
        while pending and (not w["jobs"] or (len(w["jobs"]) <= WORKER_AHEAD and len(pending) >= len(workers))):
            job = pending.pop(0)
            w["jobs"].append(job)
            w["queue"].put(job)

    remaining = len(paths)
    interrupted = False
    with _signals_as_flag() as flag:
        try:
            for _ in range(jobs):
                w = start_worker()
                workers.append(w)
                feed(w)
            while remaining:
                if flag["signum"] is not None:
                    interrupted = True
                    raise Interrupted(flag["signum"], done_before + len(paths) - remaining, total)
                for index, outcome in receive_ready():
                    remaining -= 1
                    accept(index, outcome)
                now = time.monotonic()
                for i, w in enumerate(workers):
                    dead = bool(w["jobs"]) and not w["proc"].is_alive()
                    if dead:
                        for index, outcome in left_in_pipe(w):
                            remaining -= 1
                            accept(index, outcome, refill=False)
                        if not w["jobs"]:  # it died with nothing started: nothing to blame
                            w["conn"].close()
                            workers[i] = start_worker()
                            feed(workers[i])
                            continue
                    job = w["jobs"][0] if w["jobs"] else None
                    if job is not None and (now - w["since"] > timeout or dead):
                        pending[:0] = w["jobs"][1:]  # sent ahead, never started: another worker takes them
                        w["proc"].kill()
                        w["proc"].join(1)
                        w["conn"].close()
                        idx, path = job
                        if dead and memory_mb > 0:
                            msg, kind, code = t("in.died", path=shown(path), mb=memory_mb), "too-large", 8
                        elif dead:
                            msg, kind, code = t("in.crashed", path=shown(path)), "internal", 3
                        else:
                            msg, kind, code = t("in.timeout", path=shown(path), seconds=timeout), "timeout", 10
                        outcome = Outcome(path, error=msg, kind=kind, exit_code=code, seconds=now - w["since"])
                        outcomes[idx] = outcome
                        remaining -= 1
                        if on_done:
                            on_done(outcome)
                        workers[i] = start_worker()
                        feed(workers[i])
        except KeyboardInterrupt:
            interrupted = True
            raise Interrupted(signal.SIGINT, done_before + len(paths) - remaining, total) from None
        finally:
            _stop_workers(workers, now=interrupted)
    return [o for o in outcomes if o is not None]


def _stop_workers(workers: list[dict], now: bool) -> None:
    if not now:
        for w in workers:
            with contextlib.suppress(OSError, ValueError):
                w["queue"].put(None)
    for w in workers:
        if now:
            w["proc"].kill()
        w["proc"].join(0.5)
        if w["proc"].is_alive():
            w["proc"].kill()
            w["proc"].join(0.5)
        w["conn"].close()


# --- output plan: checked before any input is read ------------------------------------------------

@dataclass
class Plan:
    kind: str  # stdout / file / combined / dir
    fmt: str
    dest: Path | None = None
    targets: dict[int, Path] = field(default_factory=dict)  # dir mode: input index -> output file


def plan_output(inputs: list[str], output: str | None, fmt: str | None, several: bool) -> Plan:
    """Where the outputs go, or a click.UsageError (exit 2) before anything is read."""
    from .writers import COMBINED, FORMATS

    if output in (None, "-"):
        out_fmt = fmt or "json"
        if out_fmt not in ("json", "jsonl", "csv"):
            raise click.UsageError(t("usage.needs_output", fmt=out_fmt))
        return Plan("stdout", out_fmt)
    dest = Path(output)
    is_dir = dest.is_dir() or output.endswith(("/", os.sep)) or (several and not dest.suffix and not dest.exists())
    if is_dir:
        if dest.exists() and not dest.is_dir():
            raise click.UsageError(t("usage.output_is_file", dest=shown(dest)))
        return Plan("dir", fmt or "json", dest)
    suffix = dest.suffix.lower()
    if suffix not in FORMATS:
        raise click.UsageError(t("usage.bad_suffix", suffix=shown(suffix or dest.name)))
    want = FORMATS[suffix]
    if fmt is not None and fmt != want:
        raise click.UsageError(t("usage.fmt_mismatch", fmt=fmt, dest=shown(dest), want=suffix.lstrip(".")))
    if several:
        if want not in COMBINED:
            raise click.UsageError(t("usage.folder_single"))
        return Plan("combined", want, dest)
    return Plan("file", want, dest)


def _check_not_input(dest: Path, inputs: Sequence[str]) -> None:
    if not dest.exists():
        return
    for p in inputs:
        if p != "-" and os.path.exists(p) and os.path.samefile(p, dest):
            raise click.UsageError(t("usage.output_is_input", dest=shown(dest)))


def mirrored(dest_dir: Path, root: Path, src: Path, fmt: str) -> Path:
    """Output path for ``src`` under ``dest_dir``: the same relative path plus the format suffix
    (byte for byte: a name that is not UTF-8 stays as it was).  Never escapes ``dest_dir``."""
    rel = src.relative_to(root) if root != src else Path(src.name)
    out = (dest_dir / rel).with_name(rel.name + "." + fmt)
    if not _inside(out, dest_dir):
        raise click.UsageError(t("usage.outside", dest=shown(dest_dir), path=shown(out)))
    return out


# --- the convert command ---------------------------------------------------------------------------

@dataclass
class Run:
    """A convert run: what it was given, and what it did (for the summary)."""

    opts: Options
    echo: Callable[[str], None]
    started: float = field(default_factory=time.perf_counter)
    skipped: int = 0
    written: list[Path] = field(default_factory=list)

    def backed_up(self, bak: Path) -> None:
        self.echo(t("ledger.backup", bak=shown(bak)))


def run(inputs: list[str], opts: Options, echo: Callable[[str], None]) -> int:
    """The convert command; returns the exit code.  Raises click.UsageError (exit 2) before any input
    is read when the output cannot work; Interrupted when stopped by a signal."""
    from .writers import OutputConflict, OutputError, check_existing

    state = Run(opts, echo)
    folders = [i for i in inputs if i != "-" and os.path.isdir(i)]
    several = len(inputs) > 1 or bool(folders)
    plan = plan_output(inputs, opts.output, opts.fmt, several)
    if opts.resume and not (plan.kind == "dir" or (plan.kind in ("combined", "file") and plan.fmt == "sqlite")):
        raise click.UsageError(t("usage.resume_needs"))
    problems: list[Outcome] = []
    entries = list(_entries(inputs, opts.follow_links, problems,
                            exclude=plan.dest if plan.kind == "dir" else None))
    if plan.dest is not None and plan.kind != "dir":
        _check_not_input(plan.dest, [str(p) for _, p, _ in entries])
        if plan.dest.is_dir():
            raise click.UsageError(t("usage.output_is_dir", dest=shown(plan.dest)))
        try:
            check_existing(plan.dest, plan.fmt, opts.mode)
        except OutputConflict as exc:
            raise click.UsageError(str(exc)) from None
    try:
        if plan.kind == "file" and len(entries) == 1 and not problems:
            if opts.resume and plan.dest is not None and not _not_in_database([entries[0][1]], plan.dest, state):
                echo(t("summary.skipped", n=state.skipped))
                return 0
            return _single(entries[0][1], plan, state)
        if plan.kind == "stdout" and len(inputs) == 1 and not folders:
            return _single(inputs[0], plan, state)
        if plan.kind == "dir":
            outcomes = _to_dir(entries, plan, state, problems)
        elif plan.kind == "stdout":
            outcomes = _parse_many([str(p) for _, p, _ in entries], opts)
            _to_stdout([o.result for o in outcomes if o.result is not None], plan.fmt)
        else:
            outcomes = _combined(entries, plan, state)
    except OutputError as exc:
        echo(str(exc))
        return exc.exit_code
    return _summary(problems + outcomes, state, plan)


def _entries(inputs: list[str], follow_links: bool, problems: list[Outcome],
             exclude: Path | None) -> Iterator[tuple[Path, str, Path]]:
    """(root, path as given, path to take relative to root) for every input file, in order."""
    files = [Path(i) for i in inputs if i != "-" and not os.path.isdir(i)]
    try:  # files given one by one keep their folders relative to what they share
        common = Path(os.path.commonpath([str(f.resolve().parent) for f in files])) if len(files) > 1 else None
    except (ValueError, OSError):  # different drives
        common = None
    for inp in inputs:
        p = Path(inp)
        if inp != "-" and p.is_dir():
            for f in discover(p, exclude, follow_links, problems):
                yield p, str(f), f
        elif inp == "-":
            yield Path("."), "-", Path("stdin")
        elif common is not None:
            yield common, inp, p.resolve()
        else:
            yield p.parent, inp, p


def _single(path: str, plan: Plan, state: Run) -> int:
    """One input to one output (or stdout): its error class is the exit code."""
    from .writers import write

    _prepare(state.opts)
    outcome = parse_one(path, state.opts.debug)
    if outcome.result is None:
        state.echo(outcome.error or "failed")
        return outcome.exit_code or 3
    result = outcome.result
    for w in result.warnings:
        if w.code in SHOWN_WARNINGS:
            state.echo(t("warning.line", path=shown(path), text=warning_text(w.code, w.message)))
    if plan.kind == "stdout":
        _to_stdout([result], plan.fmt)
        state.echo(t("done.stdout", tasks=len(result.tasks), warnings=len(result.warnings)))
        return 0
    assert plan.dest is not None
    report = write([result], plan.dest, plan.fmt, **_write_options(plan.fmt, state.opts), on_backup=state.backed_up)
    _report_merge(report, plan.dest, state)
    state.echo(t("done.single", dest=shown(plan.dest), tasks=len(result.tasks), warnings=len(result.warnings)))
    return 0


def _write_options(fmt: str, opts: Options, failed: Sequence[tuple[str, str]] = ()) -> dict[str, object]:
    if fmt == "xlsx":
        return {"mode": opts.mode, "failed": list(failed)}
    return {"mode": opts.mode}


def _report_merge(report: object, dest: Path, state: Run) -> None:
    from .writers.xlsx_writer import MergeReport

    if isinstance(report, MergeReport):  # (the other writers report nothing)
        state.echo(t("ledger.merged", dest=shown(dest), added=report.added, changed=report.changed,
                     removed=report.removed, kept=report.kept))


def _to_dir(entries: list[tuple[Path, str, Path]], plan: Plan, state: Run, problems: list[Outcome]) -> list[Outcome]:
    """Each notice into its own file under the folder, written as soon as it is parsed."""
    from .writers import RENDERED, OutputConflict, OutputError, check_existing, render, write, write_bytes

    assert plan.dest is not None
    targets: dict[str, list[Path]] = {}
    used: set[Path] = set()
    todo: list[str] = []
    for root, given, src in entries:
        target = mirrored(plan.dest, root, src, plan.fmt)
        k = 2
        while target in used:  # x/a.txt and y/a.txt given as files: never overwrite one with the other
            target = target.with_name(f"{Path(given).name}.{k}.{plan.fmt}")
            k += 1
        used.add(target)
        if state.opts.resume and given != "-" and _up_to_date(target, given):
            state.skipped += 1
            continue
        try:
            check_existing(target, plan.fmt, state.opts.mode)
        except OutputConflict as exc:
            problems.append(Outcome(given, error=str(exc), kind="output", exit_code=2))
            continue
        targets.setdefault(given, []).append(target)
        todo.append(given)

    def sink(o: Outcome) -> None:
        if o.result is None and o.payload is None:
            return
        target = targets[o.path].pop(0)
        report = None
        try:
            if o.payload is not None:
                write_bytes(o.payload, target, plan.fmt, state.opts.mode)
            elif o.result is not None:
                report = write([o.result], target, plan.fmt, **_write_options(plan.fmt, state.opts))
        except OutputError:
            raise  # a folder that cannot be written, a full disk: the rest would fail the same way
        except TaskparseError as exc:
            o.error, o.kind, o.exit_code, o.result, o.tasks, o.warnings = exc.line(), "output", exc.exit_code, None, 0, 0
            o.payload = None
            return
        _report_merge(report, target, state)
        state.written.append(target)
        o.result = o.payload = None  # written: only its counts stay

    maker = partial(render, plan.fmt) if plan.fmt in RENDERED else None
    return _parse_many(todo, state.opts, on_result=sink, render=maker)


def _up_to_date(target: Path, src: str) -> bool:
    try:
        return target.stat().st_mtime >= os.stat(src).st_mtime
    except OSError:
        return False


def _combined(entries: list[tuple[Path, str, Path]], plan: Plan, state: Run) -> list[Outcome]:
    from .writers import write

    assert plan.dest is not None
    paths = [given for _, given, _ in entries]
    if state.opts.resume and plan.fmt == "sqlite":
        paths = _not_in_database(paths, plan.dest, state)
    if plan.fmt in STREAMED:
        return _stream(plan.dest, plan.fmt, paths, state)
    outcomes = _parse_many(paths, state.opts)
    ok = [o.result for o in outcomes if o.result is not None]
    failed = [(shown(o.path), o.error or "") for o in outcomes if o.result is None]
    if ok:
        report = write(ok, plan.dest, plan.fmt, **_write_options(plan.fmt, state.opts, failed),
                       on_backup=state.backed_up)
        _report_merge(report, plan.dest, state)
        state.written.append(plan.dest)
    return outcomes


def _not_in_database(paths: list[str], dest: Path, state: Run) -> list[str]:
    import hashlib

    from .writers.sqlite_writer import known_hashes

    known = known_hashes(dest)
    keep = []
    for p in paths:
        if p != "-" and known:
            try:
                with open(p, "rb") as fh:
                    digest = hashlib.sha256(fh.read(MAX_INPUT_BYTES + 1)).hexdigest()
            except OSError:
                digest = ""
            if digest in known:
                state.skipped += 1
                continue
        keep.append(p)
    return keep


class _NothingWritten(Exception):
    """Cancels a streamed output when no file converted, so an existing output stays as it was."""


def _stream(dest: Path, fmt: str, paths: list[str], state: Run) -> list[Outcome]:
    """Parse ``paths`` into one combined ``dest``, writing each result in input order as soon as
    the files before it are done, then releasing it (only its counts stay for the summary)."""
    from .writers import OutputError, backup, is_output_failure, output_error, render, stream_bytes

    order: dict[str, list[int]] = {}  # path -> its places in the order _parse_many returns
    for i, p in enumerate((["-"] if "-" in paths else []) + [p for p in paths if p != "-"]):
        order.setdefault(p, []).append(i)
    ready: dict[int, Outcome] = {}
    progress = {"next": 0, "written": 0}
    outcomes: list[Outcome] = []
    if not paths:
        return []
    try:
        if state.opts.mode == "force" and fmt != "sqlite":
            bak = backup(dest)
            if bak is not None:
                state.backed_up(bak)
        with stream_bytes(dest, fmt) as add:
            def sink(o: Outcome) -> None:
                ready[order[o.path].pop(0)] = o
                while progress["next"] in ready:
                    done = ready.pop(progress["next"])
                    progress["next"] += 1
                    if done.payload is not None:
                        add(done.payload)
                        progress["written"] += 1
                        done.payload = None

            outcomes = _parse_many(paths, state.opts, on_result=sink, render=partial(render, fmt))
            if not progress["written"]:
                raise _NothingWritten
        state.written.append(dest)
    except _NothingWritten:
        pass
    except Exception as exc:
        if is_output_failure(exc) and not isinstance(exc, OutputError):
            raise output_error(exc, dest) from exc
        raise
    return outcomes


def _parse_many(paths: list[str], opts: Options, on_result: Callable[[Outcome], None] | None = None,
                render: Callable[[Result], bytes] | None = None) -> list[Outcome]:
    """Parse ``paths`` in worker processes; ``on_result`` gets each outcome as it comes (in any order),
    its result made into bytes by ``render`` when given.  Returns the outcomes in input order."""
    if not paths:
        return []
    _prepare(opts)
    jobs = opts.jobs or os.cpu_count() or 1
    with _progress(len(paths)) as advance:
        def done(o: Outcome) -> None:
            advance()
            if on_result is not None:
                on_result(o)

        first = []
        if "-" in paths:
            try:
                first = [rendered(parse_one("-", opts.debug), render)]
            except KeyboardInterrupt:
                raise Interrupted(signal.SIGINT, 0, len(paths)) from None
            paths = [p for p in paths if p != "-"]
            done(first[0])
        outcomes = run_parallel(paths, jobs, opts.timeout, opts.debug, on_done=done, memory_mb=opts.memory_mb,
                                done_before=len(first), total=len(first) + len(paths),
                                render=render) if paths else []
    return first + outcomes


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal (yields ``advance()``); nothing otherwise, not even rich."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        bar = progress.add_task(t("progress.parsing"), total=total)
        yield lambda: progress.advance(bar)


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
        raise click.UsageError(t("usage.needs_output", fmt=fmt))
    sys.stdout.flush()


def _summary(outcomes: list[Outcome], state: Run, plan: Plan) -> int:
    """Counts and the failures (every file with --verbose), then where the output went."""
    echo = state.echo
    for o in outcomes:
        if o.kind == SKIPPED:
            echo(o.error or "")
    outcomes = [o for o in outcomes if o.kind != SKIPPED]
    failed = [o for o in outcomes if o.error is not None]
    if state.opts.verbose:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title="taskparse", show_lines=False)
        for col in ("file", "tasks", "warnings", "error"):
            table.add_column(t(f"summary.head.{col}"), overflow="fold")
        for o in outcomes:
            if o.error is None:
                table.add_row(Text(shown(o.path)), str(o.tasks), str(o.warnings), "")  # Text: "[..]" is not markup
            else:
                table.add_row(Text(shown(o.path)), "-", "-", Text(o.error or ""))
        console = Console(stderr=True)
        if not console.is_terminal:
            console = Console(stderr=True, width=PIPE_WIDTH)
        console.print(table)
    for o in failed:
        echo(o.error or f"{shown(o.path)}: failed")
    if state.skipped:
        echo(t("summary.skipped", n=state.skipped))
    if not outcomes:
        if not state.skipped:
            echo(t("summary.no_files"))
            return 1
        return 0
    echo(t("summary.counts", files=len(outcomes), ok=len(outcomes) - len(failed), failed=len(failed),
           tasks=sum(o.tasks for o in outcomes), warnings=sum(o.warnings for o in outcomes),
           wall=time.perf_counter() - state.started))
    if plan.dest is not None:
        if state.written or plan.kind == "dir":
            echo(t("summary.written", dest=shown(plan.dest)))
        elif plan.dest.exists():
            echo(t("summary.nothing_written", dest=shown(plan.dest)))
    return 1 if failed else 0


# --- the units command -----------------------------------------------------------------------------

def run_units(inputs: list[str], unit: str | None, opts: Options, echo: Callable[[str], None],
              listing: bool = False) -> int:
    """The units command (by-unit view; ``listing``: the list of canonical units)."""
    from .units import run as units_run
    from .writers import OutputConflict, OutputError, check_existing

    if opts.output not in (None, "-"):
        plan = plan_output(inputs, opts.output, opts.fmt, several=False)
        assert plan.dest is not None
        try:
            check_existing(plan.dest, plan.fmt, opts.mode)
        except OutputConflict as exc:
            raise click.UsageError(str(exc)) from None
    elif opts.fmt not in (None, "json", "jsonl", "csv"):
        raise click.UsageError(t("usage.needs_output", fmt=opts.fmt))
    results, failed, code = _results_of(inputs, opts, echo)
    if code is not None:
        return code
    try:
        units_run(results, unit, opts.output, opts.fmt, listing, mode=opts.mode)
    except OutputError as exc:
        echo(str(exc))
        return exc.exit_code
    return 1 if failed else 0


def _results_of(inputs: list[str], opts: Options, echo: Callable[[str], None]) -> tuple[list[Result], bool, int | None]:
    """Parse the inputs of a command that reads every notice before it writes (units, due): the
    results, whether anything failed, and an exit code when there is nothing to go on with."""
    problems: list[Outcome] = []
    expanded = [given for _, given, _ in _entries(inputs, opts.follow_links, problems, None)]
    for o in problems:
        echo(o.error or "")
    problems = [o for o in problems if o.kind != SKIPPED]
    if not expanded:
        echo(t("summary.no_files"))
        return [], True, 1
    outcomes = _parse_many(expanded, opts) if len(expanded) > 1 else [parse_one(expanded[0], opts.debug)]
    for o in outcomes:
        if o.result is None:
            echo(o.error or f"{shown(o.path)}: failed")
    results = [o.result for o in outcomes if o.result is not None]
    if not results:
        return [], True, max((o.exit_code for o in outcomes), default=1) or 1
    return results, bool(problems) or any(o.result is None for o in outcomes), None


def run_due(inputs: list[str], before, unit: str | None, opts: Options, echo: Callable[[str], None]) -> int:
    """The due command (tasks by due date)."""
    from .dueview import run as due_run
    from .writers import OutputError

    if opts.output not in (None, "-"):
        plan_output(inputs, opts.output, opts.fmt, several=False)
    results, failed, code = _results_of(inputs, opts, echo)
    if code is not None:
        return code
    try:
        due_run(results, before, unit, opts.output, opts.fmt)
    except OutputError as exc:
        echo(str(exc))
        return exc.exit_code
    return 1 if failed else 0
