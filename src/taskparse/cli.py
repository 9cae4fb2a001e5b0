"""Command line: options -> library calls; library errors -> one line and an exit code.

Exit codes: 0 all files converted, 1 some files failed in a batch, 2 usage error,
3-9 the error class of a single failed file (see errors.py).
"""
from __future__ import annotations

import sys
import traceback

import click

from .errors import TaskparseError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
OUTPUT_FORMATS = ["json", "csv", "jsonl", "xlsx", "sqlite"]


def _err(msg: str) -> None:
    click.echo(f"taskparse: {msg}", err=True)


def _fail(exc: BaseException, debug: bool, path: str | None = None) -> int:
    """Report an exception as one line (traceback only with --debug); return its exit code."""
    if debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    if isinstance(exc, TaskparseError):
        _err(exc.line())
        return exc.exit_code
    where = f"{path}: " if path else ""
    _err(f"{where}internal error ({type(exc).__name__}: {exc}) — please report it with the file; rerun with --debug for details")
    return 3


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


class _DefaultGroup(click.Group):
    """`taskparse FILE ...` means `taskparse convert FILE ...`; `taskparse units ...` is a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help", "--version"):
            args = ["convert", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="taskparse")
def main() -> None:
    """Turn task-division notices (责任分工 / 任务分解) into a task ledger.

    \b
    taskparse notice.pdf -o tasks.json     one file (json, csv, jsonl, xlsx, sqlite)
    taskparse notices/ -o out/             every notice below a folder, mirrored into out/
    taskparse notices/ -o ledger.xlsx      a whole folder into one ledger
    taskparse - < notice.txt               standard input
    taskparse units FILE|DIR --unit 财政局  the tasks of one unit
    taskparse review FILE|DIR -o x.html    a page to check the tasks against the notice
    taskparse units DIR --list             every unit, with the names printed for it
    taskparse due DIR --before 2026-12-31  tasks by due date
    """


@main.command("convert")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@click.option("-o", "--output", "output", type=click.Path(allow_dash=True, path_type=str), default=None,
              help="Output file (format from its suffix) or, for a folder input, an output folder or one "
                   "combined .xlsx/.sqlite/.jsonl/.csv file. Default: JSON to stdout.")
@click.option("-f", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Output format (default: from -o's suffix, else json).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel processes for a folder (default: number of cores).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
              help="Seconds one file may take in a folder run before it counts as failed.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@ALIASES_OPTION
def convert(inputs: tuple[str, ...], output: str | None, fmt: str | None, jobs: int | None,
            timeout: float, debug: bool, aliases: str | None) -> None:
    """Convert notices (files, folders, or - for stdin) into tasks."""
    from . import batch

    _use_aliases(aliases)
    try:
        code = batch.run(list(inputs), output, fmt, jobs, timeout, debug, echo=_err)
    except click.UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        code = _fail(exc, debug)
    sys.exit(code)


@main.command("units")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@click.option("--unit", "unit", default=None,
              help="Only units whose printed or canonical name contains this text.")
@click.option("--list", "listing", is_flag=True, help="List every unit (canonical name, printed forms, counts).")
@ALIASES_OPTION
@click.option("-o", "--output", "output", type=click.Path(path_type=str), default=None,
              help="Write the by-unit table to a file (.json/.csv/.jsonl/.xlsx/.sqlite).")
@click.option("-f", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None)
@click.option("--debug", is_flag=True)
def units_cmd(inputs: tuple[str, ...], unit: str | None, listing: bool, aliases: str | None, output: str | None,
              fmt: str | None, jobs: int | None, debug: bool) -> None:
    """List, for each unit, the tasks it leads and the tasks it shares."""
    from . import batch

    _use_aliases(aliases)
    try:
        code = batch.run_units(list(inputs), unit, output, fmt, jobs, debug, echo=_err, listing=listing)
    except click.UsageError:
        raise
    except Exception as exc:  # noqa: BLE001
        code = _fail(exc, debug)
    sys.exit(code)


@main.command("due")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@click.option("--before", "before", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only tasks due on or before this date (YYYY-MM-DD).")
@click.option("--unit", "unit", default=None, help="Only tasks naming a unit whose printed or canonical name "
                                                   "contains this text.")
@click.option("-o", "--output", "output", type=click.Path(path_type=str), default=None,
              help="Write the list to a file (.json/.jsonl/.csv).")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default=None)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None)
@ALIASES_OPTION
@click.option("--debug", is_flag=True)
def due_cmd(inputs: tuple[str, ...], before, unit: str | None, output: str | None, fmt: str | None,
            jobs: int | None, aliases: str | None, debug: bool) -> None:
    """List tasks by due date (完成时限 as a date), overdue ones marked."""
    from . import batch

    _use_aliases(aliases)
    try:
        code = batch.run_due(list(inputs), before.date() if before else None, unit, output, fmt, jobs, debug,
                             echo=_err)
    except click.UsageError:
        raise
    except Exception as exc:  # noqa: BLE001
        code = _fail(exc, debug)
    sys.exit(code)


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
