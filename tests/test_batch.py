"""Folder runs into one combined file: stable order under --jobs, the summary, failures.

The five seed notices hold 115 + 146 + 52 + 73 + 66 = 452 hand-checked tasks (tests/expected) and
four warnings (001 skips item 4; 004 marks its leads in bold, which a .txt cannot show; two unit names
that are near but not merged: 环境卫生服务中心 / 市容环境卫生服务中心 in 000, 蒜都发展投资有限公司 /
山东蒜都发展投资有限公司 in 001).
"""
from __future__ import annotations

import json
import shutil
import sqlite3
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


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_jobs_2_equals_jobs_1(folder, tmp_path, suffix):
    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    assert _run(str(folder), "-o", str(one), "--jobs", "1").exit_code == 0
    res = _run(str(folder), "-o", str(two), "--jobs", "2")
    assert res.exit_code == 0, res.output
    assert one.read_bytes() == two.read_bytes()


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
