"""The bad-input corpus (tests/bad_inputs/, made by scripts/make_bad_inputs.py) through the CLI:
one clear line on stderr naming the file, the exit code of its error class, no traceback; in a
batch the samples still convert and the summary lists every bad file.  Also: output paths stay
inside the output folder, and a file that blocks or runs too long is failed (not a regular file /
--timeout) instead of hanging the run.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from taskparse import errors
from taskparse.cli import main
from taskparse.sniff import SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "bad_inputs"
MANIFEST_PATH = BAD / "MANIFEST.json"
SAMPLE_TXT = sorted((ROOT / "samples").glob("*.txt"))
MANIFEST = json.loads(MANIFEST_PATH.read_text(encoding="utf-8")) if MANIFEST_PATH.exists() else None
NO_MANIFEST = "tests/bad_inputs/MANIFEST.json is missing: run python scripts/make_bad_inputs.py"

# kind -> exit code, from the error classes themselves
EXIT_OF_KIND = {cls.kind: cls.exit_code for cls in (errors.TaskparseError, *errors.TaskparseError.__subclasses__())}


def _section(name: str) -> dict:
    return MANIFEST.get(name, {}) if MANIFEST else {}


def _ids(section: str) -> list:
    return sorted(_section(section)) if MANIFEST else [pytest.param(None, marks=pytest.mark.skip(reason=NO_MANIFEST))]


def _extractor_missing(name: str) -> str | None:
    """The reason to skip a file whose format's extractor is not in this checkout yet."""
    fmt = SUFFIXES.get(Path(name).suffix.lower())
    if fmt and importlib.util.find_spec(f"taskparse.extractors.{fmt}") is None:
        return f"taskparse.extractors.{fmt} is not there yet"
    return None


def _stderr_lines(res) -> list[str]:
    return [ln for ln in res.stderr.splitlines() if ln.strip()]


def _failure_lines(res) -> list[str]:
    """The per-file lines of a batch (the last two say the counts and where the output went)."""
    return [ln for ln in _stderr_lines(res)
            if ln.startswith("taskparse: ") and not ln.startswith(("taskparse: 共 ", "taskparse: 结果在："))]


@pytest.fixture
def runner():
    return CliRunner()


def test_manifest_lists_existing_files():
    if MANIFEST is None:
        pytest.skip(NO_MANIFEST)
    for section in ("errors", "recoverable", "tasks", "parses"):
        for name in _section(section):
            assert (BAD / name).is_file(), f"{section}: {name} is in the manifest but not in {BAD}"
    assert set(_section("errors").values()) <= set(EXIT_OF_KIND), "a kind the error classes do not define"


@pytest.mark.parametrize("name", _ids("errors"))
def test_bad_file_gives_one_line_and_its_exit_code(runner, name):
    kind = _section("errors")[name]
    res = runner.invoke(main, [str(BAD / name)])
    stdout, stderr = res.stdout, res.stderr
    for text in _section("must_not_contain").get(name, []):
        assert text not in stdout and text not in stderr, f"{name}: output contains {text!r}"
    allowed = _section("also_acceptable").get(name, [])
    if res.exit_code == 0 and any(a.startswith("parsed") for a in allowed):
        return  # e.g. an external entity left unresolved: parsing is safe too
    assert "Traceback" not in stderr
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    lines = _stderr_lines(res)
    assert len(lines) == 1, f"{name}: expected one line on stderr, got {lines}"
    assert name in lines[0]
    codes = {EXIT_OF_KIND[k] for k in [kind, *allowed] if k in EXIT_OF_KIND}
    assert res.exit_code in codes, f"{name}: exit {res.exit_code}, expected {kind} ({codes}): {lines[0]}"
    assert stdout == ""


@pytest.mark.parametrize("name", _ids("recoverable"))
def test_recoverable_file_parses(runner, name):
    reason = _extractor_missing(name)
    if reason:
        pytest.skip(reason)
    res = runner.invoke(main, [str(BAD / name)])
    assert res.exit_code == 0, res.stderr
    assert "Traceback" not in res.stderr
    data = json.loads(res.stdout)
    assert data["tasks"] or data["notice"]["title"], f"{name} parsed to nothing"


@pytest.mark.parametrize("name", _ids("tasks"))
def test_hostile_file_gives_all_its_tasks(runner, name):
    """Files that used to lose text silently (tag soup past libxml2's depth, a charset naming a
    non-text codec, superscript digits) must give exactly the tasks written into them."""
    res = runner.invoke(main, [str(BAD / name)])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data["tasks"]) == _section("tasks")[name], [t["number"] for t in data["tasks"]][:50]


@pytest.mark.parametrize("name", _ids("parses"))
def test_hostile_file_parses(runner, name):
    res = runner.invoke(main, [str(BAD / name)])
    assert res.exit_code == 0, res.stderr
    assert "Traceback" not in res.stderr


def test_ruled_table_only_pdf_gives_tasks(runner):
    """A PDF page that is nothing but a ruled task table (no title, no page number): the table's
    cells are its text.  This was 'no text and nothing drawn' (exit 9)."""
    res = runner.invoke(main, [str(BAD / "pdf_table_only.pdf")])
    assert res.exit_code == 0, res.stderr
    tasks = json.loads(res.stdout)["tasks"]
    assert tasks and all(t["text"] and (t["units"] or t["lead_units"]) for t in tasks)


def test_list_start_is_clamped_to_what_word_shows(runner):
    """A list starting at 2,000,000,000 in letters: Word's start range ends at 32767; a label that
    would still be longer than MAX_LIST_LABEL_CHARS letters is written in digits."""
    from taskparse.extractors import extract

    doc = extract(BAD / "docx_list_huge_start.docx")
    labels = [b.text.split(" ", 1)[0] for b in doc.lines()]
    assert labels[:3] == ["32767.", "32768.", "32769."] and len(labels) == 200


# --- every corpus file in its own process, under a memory and a time limit --------------------------

MB = 1024 * 1024
MEMORY_LIMIT = 1024 * MB  # address space of one run: the target is < 1 GB for any input <= 20 MB
HANG_SECONDS = 120  # a run still going after this is a hang (a kill switch, not a speed check)


def _run_limited(path: Path) -> tuple[int | str, list[str], float]:
    """(exit code or 'hang'/'signal N', stderr lines, peak RSS in MB) of `python -m taskparse path`."""
    import resource
    import subprocess
    import tempfile
    import time

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "taskparse", str(path)], stdout=subprocess.DEVNULL, stderr=err,
                                preexec_fn=limits)
        start = time.monotonic()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > HANG_SECONDS:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return "hang", [], 0.0
            time.sleep(0.05)
        proc.returncode = status
        err.seek(0)
        lines = [ln for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    code: int | str = os.WEXITSTATUS(status) if os.WIFEXITED(status) else f"signal {os.WTERMSIG(status)}"
    return code, lines, usage.ru_maxrss / 1024


def _expected_codes(manifest: dict, name: str) -> set[int]:
    if name in manifest.get("errors", {}):
        kinds = [manifest["errors"][name], *manifest.get("also_acceptable", {}).get(name, [])]
        codes = {EXIT_OF_KIND[k] for k in kinds if k in EXIT_OF_KIND}
        return codes | ({0} if any(k.startswith("parsed") for k in kinds) else set())
    return {0}


def _check_limited(path: Path, manifest: dict) -> None:
    code, lines, peak = _run_limited(path)
    assert code != "hang", f"{path.name}: still running after {HANG_SECONDS} s"
    assert not any("Traceback" in ln or "internal error" in ln for ln in lines), lines
    # a blow-up under the address-space cap surfaces as MemoryError -> "needs more memory": not a pass
    assert not any("needs more memory" in ln for ln in lines), f"{path.name}: hit the {MEMORY_LIMIT // MB} MB cap"
    assert code in _expected_codes(manifest, path.name), f"{path.name}: exit {code}: {lines}"
    # a failure is one line; a file that parses may add its 提示 lines and the one-line summary
    assert len(lines) <= 1 if code != 0 else all("提示" in ln or "已输出" in ln for ln in lines), lines
    assert peak < MEMORY_LIMIT / MB, f"{path.name}: peak RSS {peak:.0f} MB"


_LIMITED = sorted(n for section in ("errors", "recoverable", "tasks", "parses") for n in _section(section))


@pytest.mark.parametrize("name", _LIMITED or _ids("errors"))
def test_corpus_file_in_a_limited_process(name):
    """Each corpus file alone: no hang, no traceback, within 1 GB, its exit code, at most one line."""
    _check_limited(BAD / name, MANIFEST)


def _maker_module():
    spec = importlib.util.spec_from_file_location("make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """The big hostile files (megabytes each, not committed), made on demand."""
    folder = tmp_path_factory.mktemp("big_bad_inputs")
    return folder, _maker_module().big_cases(folder)


BIG_NAMES = ["text_markers_7mb.txt", "text_markers_14mb.txt", "html_wide_table.html", "rtf_wide_table.rtf",
             "html_big_image.html", "html_big_attribute.html", "docx_size_lie_2g.docx", "pdf_flate_bomb_1g.pdf"]


@pytest.mark.parametrize("name", BIG_NAMES)
def test_big_hostile_file_in_a_limited_process(big_corpus, name):
    folder, manifest = big_corpus
    assert name in manifest["files"], "BIG_NAMES and make_bad_inputs.BIG differ"
    _check_limited(folder / name, manifest)


def test_big_names_cover_the_generator():
    assert sorted(BIG_NAMES) == sorted(_maker_module().BIG)


def _corpus_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for section in ("errors", "recoverable"):
        for name in _section(section):
            shutil.copy(BAD / name, folder / name)
    for p in SAMPLE_TXT:
        shutil.copy(p, folder / p.name)
    return folder


def test_batch_over_corpus_and_samples(runner, tmp_path):
    if MANIFEST is None:
        pytest.skip(NO_MANIFEST)
    folder = _corpus_folder(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(main, [str(folder), "-o", str(out), "--jobs", "2"])
    assert res.exit_code == 1, res.stderr
    assert "Traceback" not in res.stderr
    for p in SAMPLE_TXT:
        data = json.loads((out / f"{p.name}.json").read_text(encoding="utf-8"))
        assert len(data["tasks"]) >= 20, p.name
    failed_lines = [ln for ln in _stderr_lines(res) if ln.startswith("taskparse: ")]
    for name in _section("errors"):
        if res.exit_code and (out / f"{name}.json").exists():
            assert any(a.startswith("parsed") for a in _section("also_acceptable").get(name, [])), name
            continue
        assert any(name in ln for ln in failed_lines), f"{name} is not listed among the failures"
        assert not (out / f"{name}.json").exists()
    for name in _section("recoverable"):
        if not _extractor_missing(name):
            assert (out / f"{name}.json").exists(), f"{name} should have converted"


# --- output paths ----------------------------------------------------------------------------------

def test_output_equal_to_an_input_is_refused_in_a_batch(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    shutil.copy(SAMPLE_TXT[0], a)
    shutil.copy(SAMPLE_TXT[1], b)
    before = a.read_bytes()
    res = runner.invoke(main, [str(a), str(b), "-o", str(a)])
    assert res.exit_code == 2
    assert a.read_bytes() == before
    res = runner.invoke(main, [str(folder), "-o", str(b), "-f", "csv"])
    assert res.exit_code == 2
    assert b.read_bytes() == SAMPLE_TXT[1].read_bytes()


def test_mirrored_outputs_stay_inside_the_output_folder(runner, tmp_path):
    """Odd names (dots, dashes, spaces, CJK) and inputs given through '..' land inside -o;
    names starting with '..' are converted when given explicitly."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    names = ["a..txt", "-x.txt", "a b.txt", "通知.txt", "sub/a..b.txt"]
    for n in names + ["..txt", "sub/..a.txt"]:  # the last two are hidden files: a folder walk skips them
        shutil.copy(SAMPLE_TXT[2], folder / n)
    out = tmp_path / "out"
    res = runner.invoke(main, [str(folder), "-o", str(out)])
    assert res.exit_code == 0, res.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted(f"{n}.json" for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # nothing beside the two folders

    out2 = tmp_path / "out2"
    via_dotdot = folder / "sub" / ".." / "a..txt"
    res = runner.invoke(main, [str(via_dotdot), str(folder / "sub" / "..a.txt"), "-o", str(out2)])
    assert res.exit_code == 0, res.stderr
    assert sorted(p.name for p in out2.rglob("*") if p.is_file()) == ["..a.txt.json", "a..txt.json"]
    assert all(p.resolve().is_relative_to(out2.resolve()) for p in out2.rglob("*"))


def test_mirrored_refuses_a_path_that_climbs_out():
    import click

    from taskparse.batch import mirrored

    root, dest = Path("/srv/in"), Path("/srv/out")
    with pytest.raises(click.UsageError):
        mirrored(dest, root, root / "sub" / ".." / ".." / ".." / "etc" / "passwd", "json")
    assert mirrored(dest, root, root / "sub" / "a.txt", "json") == dest / "sub" / "a.txt.json"


def test_output_folder_with_a_symlink_out_is_not_followed(runner, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE_TXT[2], folder / "sub" / "a.txt")
    shutil.copy(SAMPLE_TXT[3], folder / "b.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    res = runner.invoke(main, [str(folder), "-o", str(out)])
    assert list(elsewhere.iterdir()) == [], "an output was written through a symlink out of -o"
    assert res.exit_code != 0


def test_same_name_from_two_folders_does_not_overwrite(runner, tmp_path):
    """Two inputs x/a.txt and y/a.txt given as files: both results must survive (or the run must
    refuse); one silently replacing the other loses a notice."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    shutil.copy(SAMPLE_TXT[2], tmp_path / "x" / "a.txt")
    shutil.copy(SAMPLE_TXT[3], tmp_path / "y" / "a.txt")
    out = tmp_path / "out"
    res = runner.invoke(main, [str(tmp_path / "x" / "a.txt"), str(tmp_path / "y" / "a.txt"), "-o", str(out)])
    written = [p for p in out.rglob("*.json")] if out.exists() else []
    tasks = sorted(len(json.loads(p.read_text(encoding="utf-8"))["tasks"]) for p in written)
    assert res.exit_code != 0 or len(written) == 2, f"one output overwrote the other: {written} ({tasks} tasks)"


# --- a file that never finishes --------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_blocking_file_fails_and_the_others_convert(runner, tmp_path):
    """A FIFO named x.txt with no writer would block its reader forever: it is failed (refused
    as not a regular file, or given up by --timeout) and the batch goes on."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "x.txt")
    for p in SAMPLE_TXT[:2]:
        shutil.copy(p, folder / p.name)
    out = tmp_path / "out"
    res = runner.invoke(main, [str(folder), "-o", str(out), "--timeout", "2", "--jobs", "2"])
    assert res.exit_code == 1, res.stderr
    failures = _failure_lines(res)
    assert len(failures) == 1 and "x.txt" in failures[0], failures
    for p in SAMPLE_TXT[:2]:
        assert (out / f"{p.name}.json").exists()
    assert not (out / "x.txt.json").exists()


def test_slow_file_is_given_up_by_timeout(runner, tmp_path):
    """A file that takes far longer than --timeout (1.5 MB of bare numbering lines, within the line
    budget: seconds of parsing) is failed with the timeout line, its worker replaced, and the others convert."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "slow.txt").write_text("一、\n（一）\n1.\n（1）\n①\n" * 50_000, encoding="utf-8")
    for p in SAMPLE_TXT[:2]:
        shutil.copy(p, folder / p.name)
    out = tmp_path / "out"
    res = runner.invoke(main, [str(folder), "-o", str(out), "--timeout", "1", "--jobs", "2"])
    assert res.exit_code == 1, res.stderr
    failures = _failure_lines(res)
    assert len(failures) == 1 and "slow.txt" in failures[0] and "--timeout" in failures[0], failures
    for p in SAMPLE_TXT[:2]:
        assert (out / f"{p.name}.json").exists()
    assert not (out / "slow.txt.json").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_among_file_arguments_fails_alone(runner, tmp_path):
    os.mkfifo(tmp_path / "y.txt")
    shutil.copy(SAMPLE_TXT[0], tmp_path / "a.txt")
    out = tmp_path / "o"
    res = runner.invoke(main, [str(tmp_path / "y.txt"), str(tmp_path / "a.txt"), "-o", str(out), "--timeout", "1"])
    assert res.exit_code == 1, res.stderr
    assert "y.txt" in res.stderr
    assert (out / "a.txt.json").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_single_fifo_argument_is_refused_not_waited_on(tmp_path):
    """One file is read in the main process, where --timeout does not apply: a FIFO (or a device
    such as /dev/zero) must be refused as not a regular file instead of blocking or reading forever."""
    import subprocess

    os.mkfifo(tmp_path / "z.txt")
    try:
        res = subprocess.run([sys.executable, "-m", "taskparse", str(tmp_path / "z.txt")], capture_output=True,
                             timeout=15, text=True)
    except subprocess.TimeoutExpired:
        pytest.fail("taskparse blocked on a FIFO given as its only input")
    assert res.returncode not in (0, 1, 2)
    assert len([ln for ln in res.stderr.splitlines() if ln.strip()]) == 1 and "z.txt" in res.stderr


# --- found by fuzz/fuzz_extractors.py ---------------------------------------------------------------

def _patch_zip_headers(data: bytes, signature: bytes, offset: int, change) -> bytes:
    """Apply ``change(old) -> new`` to a 2-byte little-endian field of every zip header."""
    out = bytearray(data)
    i = out.find(signature)
    while i >= 0:
        old = int.from_bytes(out[i + offset:i + offset + 2], "little")
        out[i + offset:i + offset + 2] = change(old).to_bytes(2, "little")
        i = out.find(signature, i + 4)
    return bytes(out)


def _zip_needing_version_25(docx: bytes) -> bytes:
    # central directory "version needed to extract" = 255: zipfile raises NotImplementedError
    return _patch_zip_headers(docx, b"PK\x01\x02", 6, lambda v: 255)


def _zip_with_encrypted_members(docx: bytes) -> bytes:
    # general-purpose flag bit 0 (encrypted) in local and central headers: zipfile raises RuntimeError
    data = _patch_zip_headers(docx, b"PK\x01\x02", 8, lambda v: v | 1)
    return _patch_zip_headers(data, b"PK\x03\x04", 6, lambda v: v | 1)


@pytest.mark.parametrize("make, kinds", [
    (_zip_needing_version_25, ("corrupt", "unsupported")),
    (_zip_with_encrypted_members, ("encrypted", "corrupt")),
], ids=["zip_version_25", "zip_encrypted_members"])
def test_damaged_zip_headers_give_their_error(runner, tmp_path, make, kinds):
    """Was 'internal error (NotImplementedError: zip file version 25.5)' from sniff.py and
    extractors/docx.py, and 'internal error (RuntimeError: File … is encrypted)' from docx.py."""
    src = tmp_path / "notice.docx"
    src.write_bytes(make((ROOT / "samples" / "004_4ed748fdf1ac17b6.docx").read_bytes()))
    res = runner.invoke(main, [str(src)])
    lines = _stderr_lines(res)
    assert len(lines) == 1 and "notice.docx" in lines[0], lines
    assert "internal error" not in lines[0]
    assert res.exit_code in {EXIT_OF_KIND[k] for k in kinds}, lines[0]
