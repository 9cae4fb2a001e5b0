"""Folder runs into one combined file: stable order under --jobs, the summary, failures.

The five seed notices hold 115 + 146 + 52 + 73 + 66 = 452 hand-checked tasks (tests/expected) and
four warnings (001 skips item 4; 004 marks its leads in bold, which a .txt cannot show; two unit names
that are near but not merged: 环境卫生服务中心 / 市容环境卫生服务中心 in 000, 蒜都发展投资有限公司 /
山东蒜都发展投资有限公司 in 001).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from taskparse.cli import main

openpyxl = pytest.importorskip("openpyxl")

SEEDS = sorted(SAMPLES.glob("[0-9][0-9][0-9]_*.txt"))
TASKS = {"000": 115, "001": 146, "002": 52, "003": 73, "004": 66}


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "notices"
    (d / "2024").mkdir(parents=True)
    for i, p in enumerate(SEEDS):
        shutil.copy(p, (d / "2024" if i % 2 else d) / p.name)
    return d


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_seed_set():
    assert [p.name[:3] for p in SEEDS] == list(TASKS)


# every output kind of a folder run: a combined file, or one file per notice in -o DIR/ (-f FORMAT)
KINDS = [".jsonl", ".csv", ".sqlite", ".xlsx", "dir-json", "dir-jsonl", "dir-csv"]


def _convert(inputs: list[str], out: Path, kind: str, *extra: str):
    args = [*inputs, "-o", f"{out}/", "-f", kind[4:]] if kind.startswith("dir-") else [*inputs, "-o", str(out)]
    return _run(*args, *extra)


def _out(base: Path, kind: str) -> Path:
    return base if kind.startswith("dir-") else base.with_name(base.name + kind)


def _content(out: Path, kind: str) -> object:
    """What a folder run wrote, comparable between runs: the bytes of every file written, the rows
    of every table (SQLite, less the time each notice was parsed), the cells of every sheet (.xlsx)."""
    if kind.startswith("dir-"):
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    if kind == ".sqlite":
        con = sqlite3.connect(out)
        try:
            return {t: [r[:-1] if t == "notices" else r for r in con.execute(f"SELECT * FROM {t} ORDER BY rowid")]
                    for t in ("notices", "tasks", "task_units", "warnings")}
        finally:
            con.close()
    if kind == ".xlsx":
        wb = openpyxl.load_workbook(out)
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    return out.read_bytes()


@pytest.mark.parametrize("kind", KINDS)
def test_jobs_2_equals_jobs_1(folder, tmp_path, kind):
    (folder / "2024" / "empty.txt").write_bytes(b"")  # a failure among them changes nothing either
    one, two = _out(tmp_path / "one", kind), _out(tmp_path / "two", kind)
    assert _convert([str(folder)], one, kind, "--jobs", "1").exit_code == 1
    res = _convert([str(folder)], two, kind, "--jobs", "2")
    assert res.exit_code == 1, res.output
    assert "共 6 个文件：成功 5，失败 1；452 项任务，4 条提示" in res.stderr
    first, second = _content(one, kind), _content(two, kind)
    assert first == second
    if kind.startswith("dir-"):
        assert len(first) == 5  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", [".jsonl", ".csv", ".sqlite"])
def test_order_kept_when_the_first_file_is_the_slowest(tmp_path, kind):
    """The first notice is 40 copies of a seed: the other worker finishes the rest first, and the
    combined output still follows the input order."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "000_big.txt").write_text(SEEDS[0].read_text(encoding="utf-8") * 40, encoding="utf-8")
    for p in SEEDS[1:]:
        shutil.copy(p, d / p.name)
    out = _out(tmp_path / "all", kind)
    res = _convert([str(d)], out, kind, "--jobs", "2")
    assert res.exit_code == 0, res.output
    if kind == ".sqlite":
        con = sqlite3.connect(out)
        paths = [r[0] for r in con.execute("SELECT path FROM notices ORDER BY id")]
        con.close()
    elif kind == ".csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1:]
        paths = list(dict.fromkeys(r[0] for r in rows))
    else:
        paths = list(dict.fromkeys(json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()))
    assert [Path(p).name for p in paths] == ["000_big.txt"] + [p.name for p in SEEDS[1:]]


def test_files_sent_ahead_of_a_timed_out_file_still_convert(tmp_path):
    """A worker is sent the file after the one it parses; when that one times out, the file sent
    ahead goes to the next worker instead of being lost or blamed."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "0_slow.txt").write_text("一、\n（一）\n1.\n（1）\n①\n" * 50_000, encoding="utf-8")
    for p in SEEDS[2:]:
        shutil.copy(p, d / p.name)
    out = tmp_path / "all.jsonl"
    res = _run(str(d), "-o", str(out), "--jobs", "1", "--timeout", "1")
    assert res.exit_code == 1, res.output
    assert "共 4 个文件：成功 3，失败 1；191 项任务" in res.stderr  # 52 + 73 + 66
    assert "0_slow.txt：超过 1 秒仍未完成" in res.stderr


def test_a_worker_that_dies_blames_only_its_own_file(tmp_path, monkeypatch):
    """The file parsed before the one a worker dies on (sent ahead) keeps its result; the one after
    goes to a new worker."""
    from taskparse import batch

    real = batch.parse_one

    def dying(path: str, debug: bool = False):
        if path.endswith("die.txt"):
            os._exit(9)  # in the worker process (forked from this one)
        return real(path, debug)

    monkeypatch.setattr(batch, "parse_one", dying)
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEEDS[2], d / "a.txt")
    shutil.copy(SEEDS[2], d / "die.txt")
    shutil.copy(SEEDS[4], d / "e.txt")
    out = tmp_path / "all.jsonl"
    res = _run(str(d), "-o", str(out), "--jobs", "1", "--memory", "0")
    assert res.exit_code == 1, res.output
    assert "共 3 个文件：成功 2，失败 1；118 项任务" in res.stderr  # 52 + 66
    assert "die.txt：读取时程序崩溃" in res.stderr
    assert [Path(s).name for s in dict.fromkeys(json.loads(line)["source"] for line in out.read_text(
        encoding="utf-8").splitlines())] == ["a.txt", "e.txt"]


@pytest.mark.parametrize("kind", [".sqlite", "dir-json", "dir-jsonl", "dir-csv"])
def test_resume_skips_unchanged_files_and_parses_a_changed_one(folder, tmp_path, kind):
    out = _out(tmp_path / "out", kind)
    assert _convert([str(folder)], out, kind, "--jobs", "2").exit_code == 0
    before = _content(out, kind)
    changed = folder / "2024" / SEEDS[3].name  # 003 (73 tasks) now holds 002's text (52 tasks)
    changed.write_bytes(SEEDS[2].read_bytes() + b"\n")  # a new SHA-256: not 002 again
    later = time.time() + 10
    os.utime(changed, (later, later))  # newer than its output
    res = _convert([str(folder)], out, kind, "--jobs", "2", "--resume")
    assert res.exit_code == 0, res.output
    assert "跳过 4 个已是最新的文件（--resume）" in res.stderr
    assert "共 1 个文件：成功 1，失败 0；52 项任务" in res.stderr
    after = _content(out, kind)
    if kind == ".sqlite":
        old_ids = {r[0] for r in before["notices"]}  # type: ignore[index]
        added = [r for r in after["notices"] if r[0] not in old_ids]  # type: ignore[index]
        # the four unchanged notices keep their rows (not deleted and written again); one is added
        assert [r for r in after["notices"] if r[0] in old_ids] == before["notices"]  # type: ignore[index]
        assert len(added) == 1 and added[0][2] == str(changed)
        assert sum(1 for r in after["tasks"] if r[1] == added[0][0]) == 52  # type: ignore[index]
    else:
        name = str(Path("2024") / f"{changed.name}.{kind[4:]}")
        assert {k for k in after if after[k] != before[k]} == {name}  # type: ignore[union-attr,index]
        lines = after[name].decode("utf-8-sig").splitlines()  # type: ignore[index]
        tasks = {"json": lambda: len(json.loads("\n".join(lines))["tasks"]), "jsonl": lambda: len(lines),
                 "csv": lambda: len(lines) - 1}[kind[4:]]()
        assert tasks == 52


@pytest.mark.parametrize("kind", [".sqlite", "dir-json"])
def test_resume_over_an_unchanged_folder_parses_nothing(folder, tmp_path, kind):
    out = _out(tmp_path / "out", kind)
    assert _convert([str(folder)], out, kind).exit_code == 0
    before = _content(out, kind)
    res = _convert([str(folder)], out, kind, "--resume")
    assert res.exit_code == 0, res.output
    assert "跳过 5 个已是最新的文件（--resume）" in res.stderr
    assert "共 " not in res.stderr  # no file was parsed
    assert _content(out, kind) == before


def test_jsonl_in_stable_order_with_summary(folder, tmp_path):
    out = tmp_path / "all.jsonl"
    res = _run(str(folder), "-o", str(out), "--jobs", "2")
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == sum(TASKS.values())
    sources = list(dict.fromkeys(r["source"] for r in recs))
    # discovery order: files of a folder, sorted, then its subfolders
    assert [Path(s).name[:3] for s in sources] == ["000", "002", "004", "001", "003"]
    assert [sum(r["source"] == s for r in recs) for s in sources] == [TASKS[Path(s).name[:3]] for s in sources]
    assert "共 5 个文件：成功 5，失败 0；452 项任务，4 条提示；用时" in res.stderr


def test_folder_to_one_xlsx(folder, tmp_path):
    out = tmp_path / "ledger.xlsx"
    res = _run(str(folder), "-o", str(out))
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    rows = list(wb["台账"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 452
    assert len({r[13] for r in rows}) == 5  # 来源文件
    assert [r[1] for r in wb["提示"].iter_rows(min_row=2, values_only=True)] == [
        "unit_near_miss", "bold_lead_unknown", "skipped_number", "unit_near_miss"]  # 000, 004, then 001 in 2024/
    assert wb["文件"].max_row == 1 + 5


def test_folder_to_sqlite_twice(folder, tmp_path):
    out = tmp_path / "tasks.sqlite"
    for jobs in ("2", "1"):
        res = _run(str(folder), "-o", str(out), "-j", jobs)
        assert res.exit_code == 0, res.output
    con = sqlite3.connect(out)
    try:
        assert con.execute("SELECT count(*) FROM notices").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 452
        # 财政局 in 000 and 001, by hand (see test_writers.py): 10 + 16
        n = con.execute("SELECT count(*) FROM unit_tasks WHERE unit LIKE '%财政局%' AND (path LIKE '%000_%' "
                        "OR path LIKE '%001_%')").fetchone()[0]
        assert n == 26
    finally:
        con.close()


def test_failed_file_counted_and_others_written(folder, tmp_path):
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "all.jsonl"
    res = _run(str(folder), "-o", str(out), "-j", "2")
    assert res.exit_code == 1
    assert "共 6 个文件：成功 5，失败 1；452 项任务，4 条提示" in res.stderr
    assert "empty.txt" in res.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 452


def test_jsonl_to_stdout_for_a_folder(folder):
    res = _run(str(folder), "-f", "jsonl", "-j", "2")
    assert res.exit_code == 0, res.output
    assert len(res.stdout.splitlines()) == 452


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite", ".xlsx"])
def test_all_failed_keeps_the_old_output(tmp_path, suffix):
    out = tmp_path / f"all{suffix}"
    assert _run(str(SEEDS[4]), "-o", str(out)).exit_code == 0
    old = out.read_bytes()
    d = tmp_path / "bad"
    d.mkdir()
    (d / "a.txt").write_bytes(b"")
    (d / "b.txt").write_bytes(b"   \n")
    res = _run(str(d), "-o", str(out), "-j", "2")
    assert res.exit_code == 1
    assert "共 2 个文件：成功 0，失败 2；0 项任务，0 条提示" in res.stderr
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name, "bad"]


def test_stdin_and_folder_into_one_jsonl(folder, tmp_path):
    out = tmp_path / "all.jsonl"
    res = CliRunner().invoke(main, ["-", str(folder), "-o", str(out), "-j", "2"],
                             input=SEEDS[2].read_text(encoding="utf-8"))
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == sum(TASKS.values()) + TASKS["002"]
    assert recs[0]["source"] == "<stdin>" and recs[TASKS["002"]]["source"] != "<stdin>"


@pytest.mark.parametrize("suffix,func,ok_calls", [(".jsonl", "_append", 2), (".csv", "_append", 2),
                                                   (".sqlite", "_insert", 2)], ids=["jsonl", "csv", "sqlite"])
def test_streamed_output_interrupted_midway(folder, tmp_path, monkeypatch, suffix, func, ok_calls):
    import taskparse.writers
    from taskparse.writers import sqlite_writer

    out = tmp_path / f"all{suffix}"
    assert _run(str(SEEDS[4]), "-o", str(out)).exit_code == 0
    old = out.read_bytes()
    module = {".jsonl": taskparse.writers, ".csv": taskparse.writers, ".sqlite": sqlite_writer}[suffix]
    real, calls = getattr(module, func), {"n": 0}

    def failing(*args, **kw):
        calls["n"] += 1
        if calls["n"] > ok_calls:
            raise OSError("No space left on device")
        return real(*args, **kw)

    monkeypatch.setattr(module, func, failing)
    res = _run(str(folder), "-o", str(out), "-j", "2")
    assert res.exit_code != 0
    assert "No space left on device" in res.stderr
    assert calls["n"] == ok_calls + 1  # it did fail midway
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name, "notices"]


def test_brackets_in_file_names_shown_as_is(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEEDS[4], d / "[bold]通知.txt")
    res = _run(str(d), "-o", str(tmp_path / "all.jsonl"), "--verbose")
    assert res.exit_code == 0, res.output
    assert "[bold]通知.txt" in res.stderr


def test_worker_memory_default_leaves_room_for_ocr(monkeypatch):
    """Recognising a scanned page takes about 2.5 GB: with the OCR extra a folder run's workers get 3072 MB
    unless OCR is off; without it, 2048 MB."""
    import importlib.util

    from taskparse import batch

    monkeypatch.setenv("TASKPARSE_OCR", "never")
    assert batch.default_memory_mb() == batch.default_memory_mb("never") == 2048
    monkeypatch.delenv("TASKPARSE_OCR")
    installed = importlib.util.find_spec("rapidocr_onnxruntime") is not None
    assert batch.default_memory_mb() == (3072 if installed else 2048)
    assert batch.default_memory_mb("always") == (3072 if installed else 2048)
