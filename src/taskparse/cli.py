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
from .messages import CATALOGUE, install_click_messages, language, set_language, t

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
OUTPUT_FORMATS = ["json", "csv", "jsonl", "xlsx", "sqlite"]


# --- help texts from the message catalogue (Chinese unless --lang en / LANG=en), read when shown ---------

install_click_messages()  # click's own option-parsing messages in the catalogue's language


class _Option(click.Option):
    """An option whose ``help`` is a catalogue key (``help.jobs``)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        key = self.help
        if not key or key not in CATALOGUE:
            return super().get_help_record(ctx)
        self.help = t(key)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = key


def _option(*decls: str, **kwargs):
    return click.option(*decls, cls=_Option, **kwargs)


class _Command(click.Command):
    """Command help, headings and the help option in the chosen language (``help`` is a catalogue key)."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = t("help.help")
        return option

    def _help_text(self) -> str:
        return t(self.help) if self.help in CATALOGUE else (self.help or "")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self._help_text()
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        first = self._help_text().split("\n")[0]
        return first if len(first) <= limit else first[: limit - 1] + "…"

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("help.usage"))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [r for r in (p.get_help_record(ctx) for p in self.get_params(ctx)
                               if not isinstance(p, click.Argument)) if r is not None]
        if records:
            with formatter.section(t("help.options")):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert isinstance(self, click.Group)
        commands = [(name, cmd) for name in self.list_commands(ctx)
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if commands:
            width = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section(t("help.commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(width)) for name, cmd in commands])


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


ALIASES_OPTION = _option(
    "--aliases", "aliases", type=click.Path(dir_okay=False, path_type=str), default=None, help="help.aliases")


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


class _DefaultGroup(_Command, click.Group):
    """`taskparse FILE ...` means `taskparse convert FILE ...`; `taskparse units ...` is a subcommand.
    A first word that is neither a command nor an existing path but close to a command name is a
    usage error (a typo of ``units`` is not a file to convert)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's usage errors as one line (``taskparse: 用法错误：…``) instead of a usage block."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        _language_from(list(sys.argv[1:] if args is None else args))  # click's own messages follow --lang too
        try:
            rv = super().main(args, prog_name or "taskparse", complete_var, False, **extra)
        except click.ClickException as exc:
            if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):  # bare `taskparse`: the help
                click.echo(exc.format_message(), err=True)
            else:
                detail = exc.format_message()
                if language() == "zh" and detail.endswith("."):
                    detail = detail[:-1] + "。"  # ("缺少参数 'INPUTS...'." as click ends it)
                _err(t("usage.click", detail=detail))
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


LANG_OPTION = _option("--lang", type=click.Choice(["zh", "en"]), default=None, expose_value=False,
                      is_eager=True, callback=_set_lang, help="help.lang")


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]}, help="help.main")
@click.version_option(None, "-V", "--version", package_name="taskparse", prog_name="taskparse", cls=_Option,
                      help="help.version")
def main() -> None:
    """The command group (its help: ``help.main`` in the message catalogue)."""


def _batch_options(f):
    for deco in reversed([
        _option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="help.jobs"),
        _option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True, help="help.timeout"),
        _option("--memory", "memory_mb", type=click.IntRange(min=0), default=None,
                help="help.memory"),
        _option("--update", is_flag=True, help="help.update"),
        _option("--force", is_flag=True, help="help.force"),
        _option("--follow-links", is_flag=True, help="help.follow_links"),
        ALIASES_OPTION,
        LANG_OPTION,
        _option("--debug", is_flag=True, help="help.debug"),
    ]):
        f = deco(f)
    return f


@main.command("convert", cls=_Command, help="help.convert")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(allow_dash=True, path_type=str, readable=False))
@_option("-o", "--output", "output", type=click.Path(allow_dash=True, path_type=str, readable=False),
         default=None, help="help.output")
@_option("-f", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None, help="help.format")
@_batch_options
@_option("--resume", is_flag=True, help="help.resume")
@_option("-v", "--verbose", is_flag=True, help="help.verbose")
@_option("--ocr", "ocr_mode", type=click.Choice(["never", "auto", "always"]), default=None, help="help.ocr")
def convert(inputs: tuple[str, ...], output: str | None, fmt: str | None, jobs: int | None, timeout: float,
            memory_mb: int | None, update: bool, force: bool, follow_links: bool, aliases: str | None, debug: bool,
            resume: bool, verbose: bool, ocr_mode: str | None) -> None:
    """Convert notices into tasks (its help: ``help.convert``)."""
    from . import batch

    _use_aliases(aliases)
    if update and force:
        raise click.UsageError(t("usage.update_force"))
    memory_mb = memory_mb if memory_mb is not None else batch.default_memory_mb(ocr_mode)
    opts = batch.Options(output=output, fmt=fmt, jobs=jobs, timeout=timeout, memory_mb=memory_mb, debug=debug,
                         mode="update" if update else "force" if force else "refuse", resume=resume,
                         follow_links=follow_links, verbose=verbose,
                         prepare=lambda: _set_ocr(ocr_mode, jobs, inputs))  # only when a file is parsed
    sys.exit(_guarded(lambda: batch.run(list(inputs), opts, echo=_err), debug))


@main.command("units", cls=_Command, help="help.units")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(allow_dash=True, path_type=str, readable=False))
@_option("--unit", "unit", default=None, help="help.unit")
@_option("--list", "listing", is_flag=True, help="help.list")
@_option("-o", "--output", "output", type=click.Path(path_type=str, readable=False), default=None,
         help="help.units_output")
@_option("-f", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None, help="help.units_format")
@_batch_options
def units_cmd(inputs: tuple[str, ...], unit: str | None, listing: bool, output: str | None, fmt: str | None,
              jobs: int | None, timeout: float, memory_mb: int | None, update: bool, force: bool, follow_links: bool,
              aliases: str | None, debug: bool) -> None:
    """Tasks by unit (its help: ``help.units``)."""
    from . import batch

    _use_aliases(aliases)
    if update and force:
        raise click.UsageError(t("usage.update_force"))
    memory_mb = memory_mb if memory_mb is not None else batch.default_memory_mb()
    opts = batch.Options(output=output, fmt=fmt, jobs=jobs, timeout=timeout, memory_mb=memory_mb, debug=debug,
                         mode="update" if update else "force" if force else "refuse", follow_links=follow_links)
    sys.exit(_guarded(lambda: batch.run_units(list(inputs), unit, opts, echo=_err, listing=listing), debug))


@main.command("due", cls=_Command, help="help.due")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(allow_dash=True, path_type=str, readable=False))
@_option("--before", "before", type=click.DateTime(["%Y-%m-%d"]), default=None, help="help.before")
@_option("--unit", "unit", default=None, help="help.due_unit")
@_option("-o", "--output", "output", type=click.Path(path_type=str, readable=False), default=None,
         help="help.due_output")
@_option("-f", "--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default=None, help="help.due_format")
@_option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="help.jobs")
@_option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True, help="help.timeout")
@_option("--follow-links", is_flag=True, help="help.follow_links")
@ALIASES_OPTION
@LANG_OPTION
@_option("--debug", is_flag=True, help="help.debug")
def due_cmd(inputs: tuple[str, ...], before, unit: str | None, output: str | None, fmt: str | None,
            jobs: int | None, timeout: float, follow_links: bool, aliases: str | None, debug: bool) -> None:
    """Tasks by due date (its help: ``help.due``)."""
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


@main.command("review", cls=_Command, help="help.review")
@click.argument("source", type=click.Path(exists=True, path_type=str))
@_option("-o", "--output", "output", type=click.Path(path_type=str), default=None, help="help.review_output")
@_option("-f", "--format", "fmt", type=click.Choice(["html", "json"]), default=None, help="help.review_format")
@_option("--debug", is_flag=True, help="help.debug")
def review_cmd(source: str, output: str | None, fmt: str | None, debug: bool) -> None:
    """The review page (its help: ``help.review``)."""
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
