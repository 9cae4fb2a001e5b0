"""Command line: options -> library calls; library errors -> one line and an exit code.

Exit codes (README "Exit codes"): 0 all files converted, 1 some files failed in a batch, 2 usage
error (checked before any input is read), 3-10 the error class of a single failed file (see
errors.py; 10 timed out), 11 an input missing or unreadable, 12 an output not writable (permission,
read-only disk), 13 disk full, 14 database locked, 130 interrupted (SIGINT), 143 terminated (SIGTERM).
"""
from __future__ import annotations

import difflib
import os
import signal
import sys
import traceback

import click

from .errors import Interrupted, TaskparseError
from .messages import set_language, t

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
OUTPUT_FORMATS = ["json", "csv", "jsonl", "xlsx", "sqlite"]


def _err(msg: str) -> None:
    click.echo(f"taskparse: {msg}", err=True)


def _fail(exc: BaseException, debug: bool) -> int:
    """Report an exception as one line (traceback only with --debug); return its exit code."""
    if debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    if isinstance(exc, TaskparseError):
        _err(exc.line())
        return exc.exit_code
    _err(t("internal", detail=f"{type(exc).__name__}: {exc}"))
    return 3


def _interrupted(exc: Interrupted | KeyboardInterrupt) -> int:
    from .batch import EXIT_INTERRUPTED

    if isinstance(exc, Interrupted):
        _err(t("interrupted", done=exc.done, total=exc.total))
        return EXIT_INTERRUPTED.get(exc.signum, 130)
    _err(t("interrupted", done=0, total="?"))
    return 130


def _on_sigterm(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def _use_aliases(path: str | None) -> None:
    """Check a --aliases file and hand it to the parsing (also in worker processes) through the
    environment; a bad file is a usage error with its line."""
    if path is None:
        return
    import os

    from .canon import AliasFileError, load_aliases
    from .postparse import ALIASES_ENV

    try:
        load_aliases(path)
    except (AliasFileError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"--aliases {path}: {exc}（格式：印刷名称,规范名称[,地方]，UTF-8）") from exc
    except OSError as exc:
        raise click.UsageError(f"--aliases {path}: 无法读取（{exc.strerror}）") from exc
    os.environ[ALIASES_ENV] = os.path.abspath(path)


ALIASES_OPTION = click.option(
    "--aliases", "aliases", type=click.Path(dir_okay=False, path_type=str), default=None,
    help="A CSV of unit names, printed,canonical[,place], on top of the built-in short and long forms.")


def _set_ocr(mode: str | None, jobs: int | None, inputs: tuple[str, ...]) -> None:
    """The OCR mode reaches worker processes through the environment (TASKPARSE_OCR; auto when
    unset).  One recognising process already uses every core, so when several files may be parsed
    at once each process gets its share of the cores (more threads than cores was 27 % slower).
    OCR is slow: a terminal gets a line of progress per recognised page."""
    from .extractors import ocr

    if mode is not None:
        os.environ[ocr.MODE_ENV] = mode
    cores = os.cpu_count() or 1
    if ocr.THREADS_ENV not in os.environ and (len(inputs) > 1 or any(os.path.isdir(i) for i in inputs)):
        os.environ[ocr.THREADS_ENV] = str(max(1, cores // max(1, jobs or cores)))
    if sys.stderr.isatty():
        ocr.progress = lambda done, total, path: click.echo(
            "\r" + t("progress.ocr", path=path or "", done=done, total=total), err=True, nl=done == total)


class _DefaultGroup(click.Group):
    """`taskparse FILE ...` means `taskparse convert FILE ...`; `taskparse units ...` is a subcommand.
    A first word that is neither a command nor an existing path but close to a command name is a
    usage error (a typo of ``units`` is not a file to convert)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        """click's usage errors as one line (``taskparse: 用法错误：…``) instead of a usage block."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name or "taskparse", complete_var, False, **extra)
        except click.ClickException as exc:
            if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):  # bare `taskparse`: the help
                click.echo(exc.format_message(), err=True)
            else:
                _err(t("usage.click", detail=exc.format_message()))
            sys.exit(exc.exit_code)
        except click.Abort:
            _err(t("interrupted", done=0, total="?"))
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help", "--version", "-V"):
            first = args[0]
            if not first.startswith("-") and not os.path.exists(first):
                guess = difflib.get_close_matches(first, list(self.commands), n=1, cutoff=0.6)
                if guess:
                    _language_from(args)
                    _err(t("usage.no_command", name=first, guess=guess[0]))
                    ctx.exit(EXIT_USAGE)
            args = ["convert", *args]
        return super().parse_args(ctx, args)


def _language_from(args: list[str]) -> None:
    if "--lang" in args:
        i = args.index("--lang")
        if i + 1 < len(args) and args[i + 1] in ("zh", "en"):
            set_language(args[i + 1])


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    set_language(value)
    return value


LANG_OPTION = click.option("--lang", type=click.Choice(["zh", "en"]), default=None, expose_value=False,
                           is_eager=True, callback=_set_lang,
                           help="Language of messages and of headers for people: zh (default) or en "
                                "(also chosen by a LANG that starts with en).")


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "-V", "--version", package_name="taskparse", prog_name="taskparse",
                      help="Show the version and exit.")
def main() -> None:
    """Turn task-division notices (责任分工 / 任务分解) into a task ledger.

    \b
    taskparse notice.pdf -o tasks.json     one file (json, csv, jsonl, xlsx, sqlite); same as
                                           taskparse convert notice.pdf -o tasks.json
    taskparse notices/ -o out/             every notice below a folder, mirrored into out/
    taskparse notices/ -o ledger.xlsx      a whole folder into one ledger (--update to refresh it)
    taskparse - < notice.txt               standard input
    taskparse units FILE|DIR --unit 财政局  the tasks of one unit
    taskparse units DIR --list             every unit, with the names printed for it
    taskparse due DIR --before 2026-12-31  tasks by due date
    taskparse review FILE|DIR -o x.html    a page to check the tasks against the notice
    """


def _batch_options(f):
    for deco in reversed([
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Parallel processes for several files (default: number of cores)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
                     help="Seconds one file may take in a folder run before it counts as failed."),
        click.option("--memory", "memory_mb", type=click.IntRange(min=0), default=2048, show_default=True,
                     help="MB of memory one worker may use in a folder run (0: no limit); a file that needs "
                          "more fails on its own."),
        click.option("--update", is_flag=True,
                     help="Merge into an existing .xlsx ledger, keeping what people wrote in it."),
        click.option("--force", is_flag=True,
                     help="Replace an existing output even if edited or not written by taskparse (the old "
                          "file is kept as NAME.bak)."),
        click.option("--follow-links", is_flag=True, help="Follow links that lead out of an input folder."),
        ALIASES_OPTION,
        LANG_OPTION,
        click.option("--debug", is_flag=True, help="Show tracebacks."),
    ]):
        f = deco(f)
    return f


@main.command("convert")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(allow_dash=True, path_type=str, readable=False))
@click.option("-o", "--output", "output", type=click.Path(allow_dash=True, path_type=str, readable=False),
              default=None,
              help="Output file (.json .csv .jsonl .xlsx .sqlite .db) or a folder (ending in /, or existing). "
                   "Several inputs: a folder or one combined .xlsx/.sqlite/.jsonl/.csv. Default: JSON to stdout.")
@click.option("-f", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Output format (default: from -o's suffix, else json); must agree with the suffix.")
@_batch_options
@click.option("--resume", is_flag=True,
              help="Skip inputs already done: output newer than the input (-o FOLDER/) or the file already "
                   "in the database (-o .sqlite).")
@click.option("-v", "--verbose", is_flag=True, help="List every file in the summary, not only the failures.")
@click.option("--ocr", "ocr_mode", type=click.Choice(["never", "auto", "always"]), default=None,
              help="Recognise scanned pages and images (needs: pip install 'taskparse[ocr]'): auto (default) = "
                   "pages without text, always = every page, never = report scans as errors.")
def convert(inputs: tuple[str, ...], output: str | None, fmt: str | None, jobs: int | None, timeout: float,
            memory_mb: int, update: bool, force: bool, follow_links: bool, aliases: str | None, debug: bool,
            resume: bool, verbose: bool, ocr_mode: str | None) -> None:
    """Convert notices (files, folders, or - for stdin) into tasks."""
    from . import batch

    _use_aliases(aliases)
    if update and force:
        raise click.UsageError(t("usage.update_force"))
    opts = batch.Options(output=output, fmt=fmt, jobs=jobs, timeout=timeout, memory_mb=memory_mb, debug=debug,
                         mode="update" if update else "force" if force else "refuse", resume=resume,
                         follow_links=follow_links, verbose=verbose,
                         prepare=lambda: _set_ocr(ocr_mode, jobs, inputs))  # only when a file is parsed
    sys.exit(_guarded(lambda: batch.run(list(inputs), opts, echo=_err), debug))


@main.command("units")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(allow_dash=True, path_type=str, readable=False))
@click.option("--unit", "unit", default=None,
              help="Only units whose printed or canonical name contains this text.")
@click.option("--list", "listing", is_flag=True, help="List every unit (canonical name, printed forms, counts).")
@click.option("-o", "--output", "output", type=click.Path(path_type=str, readable=False), default=None,
              help="Write the by-unit table to a file (.json .csv .jsonl .xlsx .sqlite).")
@click.option("-f", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Format of the by-unit rows (default: a table on the terminal, or from -o's suffix).")
@_batch_options
def units_cmd(inputs: tuple[str, ...], unit: str | None, listing: bool, output: str | None, fmt: str | None,
              jobs: int | None, timeout: float, memory_mb: int, update: bool, force: bool, follow_links: bool,
              aliases: str | None, debug: bool) -> None:
    """List, for each unit, the tasks it leads and the tasks it shares."""
    from . import batch

    _use_aliases(aliases)
    if update and force:
        raise click.UsageError(t("usage.update_force"))
    opts = batch.Options(output=output, fmt=fmt, jobs=jobs, timeout=timeout, memory_mb=memory_mb, debug=debug,
                         mode="update" if update else "force" if force else "refuse", follow_links=follow_links)
    sys.exit(_guarded(lambda: batch.run_units(list(inputs), unit, opts, echo=_err, listing=listing), debug))


@main.command("due")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(allow_dash=True, path_type=str, readable=False))
@click.option("--before", "before", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only tasks due on or before this date (YYYY-MM-DD).")
@click.option("--unit", "unit", default=None, help="Only tasks naming a unit whose printed or canonical name "
                                                   "contains this text.")
@click.option("-o", "--output", "output", type=click.Path(path_type=str, readable=False), default=None,
              help="Write the list to a file (.json/.jsonl/.csv).")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default=None,
              help="Format of the list (default: a table on the terminal, or from -o's suffix).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel processes for several files (default: number of cores).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
              help="Seconds one file may take in a folder run before it counts as failed.")
@click.option("--follow-links", is_flag=True, help="Follow links that lead out of an input folder.")
@ALIASES_OPTION
@LANG_OPTION
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def due_cmd(inputs: tuple[str, ...], before, unit: str | None, output: str | None, fmt: str | None,
            jobs: int | None, timeout: float, follow_links: bool, aliases: str | None, debug: bool) -> None:
    """List tasks by due date (完成时限 as a date), overdue ones marked."""
    from . import batch

    _use_aliases(aliases)
    opts = batch.Options(output=output, fmt=fmt, jobs=jobs, timeout=timeout, debug=debug, follow_links=follow_links)
    sys.exit(_guarded(lambda: batch.run_due(list(inputs), before.date() if before else None, unit, opts,
                                            echo=_err), debug))


def _guarded(work, debug: bool) -> int:
    """Run a command: usage errors go to click (exit 2); a signal ends it with 130/143 and one line;
    anything else is one line (a traceback only with --debug)."""
    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (tests)
        pass
    try:
        return work()
    except click.UsageError as exc:  # found by taskparse, not by option parsing: one line
        _err(exc.format_message())
        return EXIT_USAGE
    except (Interrupted, KeyboardInterrupt) as exc:
        return _interrupted(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        from .writers import OutputError

        if isinstance(exc, OutputError):
            _err(str(exc))
            return exc.exit_code
        return _fail(exc, debug)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@main.command("review")
@click.argument("source", type=click.Path(exists=True, path_type=str))
@click.option("-o", "--output", "output", type=click.Path(path_type=str), default=None,
              help="The page (.html) for a file, or a folder of pages plus index.html for a folder. "
                   "Default for a file: stdout.")
@click.option("-f", "--format", "fmt", type=click.Choice(["html", "json"]), default=None,
              help="html: the review page (default); json: the tasks with their spans and the extracted text.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def review_cmd(source: str, output: str | None, fmt: str | None, debug: bool) -> None:
    """A page to check a ledger against its notice: every task beside its source text."""
    from pathlib import Path

    from . import review

    fmt = review.format_of(output, fmt)
    src, dest = Path(source), Path(output) if output else None
    try:
        if src.is_dir():
            if dest is None:
                raise click.UsageError("给文件夹生成核对页时需要用 -o 指定输出文件夹")
            outcomes = review.review_folder(src, dest, fmt)
        else:
            if dest is not None and dest.exists() and dest.resolve() == src.resolve():
                raise click.UsageError(f"输出文件 {dest} 就是输入文件，请换一个 -o")
            outcome, text = review.review_one(src, dest, fmt)
            if text is not None:
                click.echo(text, nl=False)
            outcomes = [outcome]
    except click.UsageError:
        raise
    except Exception as exc:  # noqa: BLE001
        sys.exit(_fail(exc, debug))
    for o in outcomes:
        if o.error:
            _err(o.error)
    failed = [o for o in outcomes if o.error]
    if src.is_dir() and dest is not None:
        where = dest / "index.html" if fmt == "html" else dest
        _err(f"已生成 {len(outcomes) - len(failed)} 个核对页，{len(failed)} 个文件失败：{where}")
        sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)
    sys.exit(failed[0].exit_code if failed else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
