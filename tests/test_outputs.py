"""Outputs checked before any work, files of any name, and output failures as one line with their own
exit code (README "Exit codes")."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from taskparse import batch
from taskparse.cli import main
from taskparse.models import Location, Notice, Result, Source, Task

openpyxl = pytest.importorskip("openpyxl")

S000 = SAMPLES / "000_2795aed58e8eed1f.txt"
S002 = SAMPLES / "002_ce67ead115768d45.txt"
S004 = SAMPLES / "004_4ed748fdf1ac17b6.txt"


def _run(*args: str, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def _one_line(res) -> str:
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert "Traceback" not in res.output
    return lines[0]


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "notices"
    d.mkdir()
    for p in (S000, S002, S004):
        shutil.copy(p, d / p.name)
    return d


# --- bad -o / -f: exit 2 before any input is read, nothing written ----------------------------------

BAD_OUTPUTS = [
    ("xls", ["{one}", "-o", "{tmp}/out.xls"]),
    ("docx", ["{one}", "-o", "{tmp}/out.docx"]),
    ("txt", ["{one}", "-o", "{tmp}/out.txt"]),
    ("no-suffix-one-file", ["{one}", "-o", "{tmp}/out"]),
    ("csv-into-xlsx", ["{one}", "-f", "csv", "-o", "{tmp}/x.xlsx"]),
    ("json-into-csv", ["{one}", "-f", "json", "-o", "{tmp}/x.csv"]),
    ("folder-into-json", ["{dir}", "-o", "{tmp}/all.json"]),
    ("two-files-into-json", ["{one}", "{two}", "-o", "{tmp}/all.json"]),
    ("xlsx-to-stdout", ["{one}", "-f", "xlsx"]),
    ("sqlite-to-stdout", ["{dir}", "-f", "sqlite"]),
    ("update-and-force", ["{one}", "-o", "{tmp}/x.xlsx", "--update", "--force"]),
    ("resume-into-json", ["{one}", "-o", "{tmp}/x.json", "--resume"]),
    ("output-is-input", ["{one}", "-o", "{one}", "-f", "json"]),
    ("folder-into-existing-file", ["{dir}", "-o", "{tmp}/notes.md/"]),
]


@pytest.mark.parametrize("args", [a for _, a in BAD_OUTPUTS], ids=[i for i, _ in BAD_OUTPUTS])
def test_bad_output_refused_before_reading(tmp_path, folder, monkeypatch, args):
    one = tmp_path / "one.txt"
    shutil.copy(S004, one)
    two = tmp_path / "two.txt"
    shutil.copy(S002, two)
    (tmp_path / "notes.md").write_text("我的笔记", encoding="utf-8")

    def no_reading(*a, **k):
        raise AssertionError("an input was read before the output was checked")

    monkeypatch.setattr(batch, "parse_one", no_reading)
    monkeypatch.setattr(batch, "run_parallel", no_reading)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    args = [a.format(one=one, two=two, dir=folder, tmp=tmp_path) for a in args]
    res = _run(*args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert one.read_bytes() == S004.read_bytes()


def test_bad_suffix_message_is_one_chinese_line(tmp_path):
    line = _one_line(_run(str(S004), "-o", str(tmp_path / "out.xls")))
    assert line.startswith("taskparse: 不支持的输出文件后缀 .xls")
    line = _one_line(_run(str(S004), "-f", "csv", "-o", str(tmp_path / "x.xlsx")))
    assert "-f csv 与输出文件" in line
    line = _one_line(_run(str(S004), "-o", str(tmp_path / "x.xls"), "--lang", "en"))
    assert line.startswith("taskparse: output suffix .xls is not one taskparse writes")


def test_folder_with_trailing_slash_is_a_folder(tmp_path, folder):
    out = tmp_path / "out.d"
    res = _run(str(folder), "-o", f"{out}/", "-j", "1")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name + ".json" for p in folder.iterdir())


# --- what a run says -------------------------------------------------------------------------------

def test_single_file_says_what_it_wrote(tmp_path):
    out = tmp_path / "tasks.json"
    res = _run(str(S000), "-o", str(out))
    assert res.exit_code == 0
    assert _one_line(res) == f"taskparse: 已写入 {out}：115 项任务，1 条提示"  # unit_near_miss


def test_no_tasks_is_said_with_a_reason(tmp_path):
    src = tmp_path / "说明.txt"
    src.write_text("关于做好今年工作的说明\n\n请各单位认真做好相关工作，确保取得实效。\n", encoding="utf-8")
    out = tmp_path / "t.json"
    res = _run(str(src), "-o", str(out))
    assert res.exit_code == 0
    lines = res.stderr.splitlines()
    assert lines[0] == f"taskparse: {src}：提示：没有找到任务：没有找到“牵头单位”“责任单位”一类的条款，也没有编号的任务"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["tasks"] == [] and [w["code"] for w in data["warnings"]] == ["no_tasks"]


def test_numbered_items_without_duties_say_so(tmp_path):
    """Numbered items but no clause: the reason says the items are there (it said "no numbered tasks")."""
    src = tmp_path / "清单.txt"
    src.write_text("一、项目建设\n1.推进重大项目建设。          县发改局\n2.强化要素保障。          县自然资源局\n",
                   encoding="utf-8")
    out = tmp_path / "t.json"
    res = _run(str(src), "-o", str(out))
    assert res.exit_code == 0
    assert res.stderr.splitlines()[0] == (f"taskparse: {src}：提示：没有找到任务：有编号的条目，但都没有“牵头单位”“责任单位”"
                                          "一类的分工（可能分工另列，或以空格排在行尾）")


def test_missing_file_is_not_unsupported(tmp_path):
    res = _run(str(tmp_path / "没有.txt"))
    assert res.exit_code == batch.EXIT_INPUT == 11
    assert _one_line(res) == f"taskparse: {tmp_path / '没有.txt'}：文件不存在 — 检查路径"


def test_typo_of_a_command_is_a_usage_error(tmp_path):
    res = _run("unit", str(S004))
    assert res.exit_code == 2
    line = _one_line(res)
    assert "units" in line and "convert" in line
    res = _run("-V")
    assert res.exit_code == 0 and "taskparse" in res.output


def test_every_option_has_help():
    for cmd in ("convert", "units"):
        ctx = main.commands[cmd].make_context(cmd, ["x"])
        for param in main.commands[cmd].params:
            if isinstance(param, __import__("click").Option):
                assert param.help, f"{cmd} {param.opts}"
        ctx.close()


def test_summary_lists_only_failures(tmp_path, folder):
    for i in range(23):
        (folder / f"坏{i:02d}.txt").write_bytes(b"")
    out = tmp_path / "all.jsonl"
    res = _run(str(folder), "-o", str(out), "-j", "2")
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert lines[:-2] == [f"taskparse: {folder / f'坏{i:02d}.txt'}：文件里没有文字" for i in range(23)]
    assert lines[-2].startswith("taskparse: 共 26 个文件：成功 3，失败 23；233 项任务")
    assert lines[-1] == f"taskparse: 结果在：{out}"
    res = _run(str(folder), "-o", str(out), "-j", "2", "--verbose")
    assert "┃ 文件" in res.stderr and "│ 115 " in res.stderr  # the table lists the files that converted too


def test_failed_files_are_rows_of_the_files_sheet(tmp_path, folder):
    (folder / "坏.txt").write_bytes(b"")
    out = tmp_path / "ledger.xlsx"
    res = _run(str(folder), "-o", str(out), "-j", "1")
    assert res.exit_code == 1
    ws = openpyxl.load_workbook(out)["文件"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["坏.txt"][8] == f"{folder / '坏.txt'}：文件里没有文字"
    assert rows[S000.name][8] == "成功" and rows[S000.name][6] == 115


# --- files of any name -----------------------------------------------------------------------------

GBK_NAME = "重点任务分工.txt".encode("gbk")


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names")
@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sqlite", ".xlsx", "/"])
def test_names_that_are_not_utf8(tmp_path, suffix):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(S004, os.path.join(os.fsencode(d), GBK_NAME))
    shutil.copy(S002, d / "普通.txt")
    (d / "换\n行.txt").write_bytes(b"")  # fails: its line must stay one line
    out = tmp_path / ("out" + suffix)
    res = _run(str(d), "-o", str(out), "-j", "2")
    assert res.exit_code == 1, res.output
    errors = [ln for ln in res.stderr.splitlines() if "文件里没有文字" in ln]
    assert errors == [f"taskparse: {d}/换\\n行.txt：文件里没有文字"]
    if suffix == "/":
        names = sorted(os.listdir(os.fsencode(out)))
        assert names == sorted([GBK_NAME + b".json", "普通.txt.json".encode()])  # byte for byte
        data = json.loads((Path(os.fsdecode(os.path.join(os.fsencode(out), GBK_NAME + b".json"))))
                          .read_text(encoding="utf-8"))
        assert data["source"]["path"].endswith("重点任务分工.txt") and len(data["tasks"]) == 66
    elif suffix == ".jsonl":
        sources = {json.loads(ln)["source"] for ln in out.read_text(encoding="utf-8").splitlines()}
        assert sources == {f"{d}/重点任务分工.txt", f"{d}/普通.txt"}
    elif suffix == ".sqlite":
        con = sqlite3.connect(out)
        assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 66 + 52
        con.close()
    else:
        assert out.stat().st_size > 0


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_links_out_of_the_folder_are_not_followed(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(S000, outside / "外面.txt")
    shutil.copy(S004, d / "里面.txt")
    os.symlink(outside / "外面.txt", d / "链接.txt")
    os.symlink(d / "里面.txt", d / "sub" / "内部链接.txt")  # inside the folder: fine
    os.symlink(outside, d / "目录链接")
    out = tmp_path / "all.jsonl"
    res = _run(str(d), "-o", str(out), "-j", "1")
    assert res.exit_code == 0, res.output
    assert f"{d}/链接.txt：链接指向输入文件夹之外，已跳过" in res.stderr
    assert f"{d}/目录链接：链接指向输入文件夹之外，已跳过" in res.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 66 + 66
    res = _run(str(d), "-o", str(out), "-j", "1", "--follow-links")
    assert res.exit_code == 0, res.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 66 + 66 + 115 + 115  # the file and the folder


# --- permissions, as a user without root's override ---------------------------------------------

def _as_other_user(*args: str) -> subprocess.CompletedProcess:
    """Run taskparse without root's power to read and write anything (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH dropped from the bounding set before exec), so permission bits apply."""
    import ctypes

    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("LC_ALL", None)
    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        if os.geteuid() == 0:
            for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
                if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                    raise OSError(ctypes.get_errno(), "prctl")

    try:
        return subprocess.run([sys.executable, "-m", "taskparse", *args], capture_output=True, env=env,
                              preexec_fn=drop, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot drop the permission override here: {exc}")


@pytest.fixture
def shared_dir(tmp_path):
    yield tmp_path
    for p in tmp_path.rglob("*"):
        if p.is_dir():
            p.chmod(0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file_and_folder(shared_dir):
    d = shared_dir / "in"
    (d / "锁住").mkdir(parents=True)
    shutil.copy(S004, d / "好.txt")
    shutil.copy(S000, d / "锁住" / "里面.txt")
    shutil.copy(S002, d / "不可读.txt")
    (d / "不可读.txt").chmod(0)
    (d / "锁住").chmod(0)
    res = _as_other_user(str(d / "不可读.txt"))
    err = res.stderr.decode()
    assert res.returncode == 11, err
    assert err == f"taskparse: {d / '不可读.txt'}：没有读取权限 — 检查文件权限\n"
    out = shared_dir / "all.jsonl"
    res = _as_other_user(str(d), "-o", str(out), "-j", "1")
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert f"{d / '锁住'}：文件夹无法读取，已跳过" in err
    assert f"{d / '不可读.txt'}：没有读取权限" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 66
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("suffix", [".json", ".xlsx", ".sqlite", "/"])
def test_output_permission_denied(shared_dir, suffix):
    locked = shared_dir / "只读"
    locked.mkdir()
    locked.chmod(0o555)
    src = shared_dir / "n.txt"
    shutil.copy(S004, src)
    src.chmod(0o644)
    out = locked / ("out" + suffix)
    res = _as_other_user(str(src), "-o", f"{out}/" if suffix == "/" else str(out))
    err = res.stderr.decode()
    assert res.returncode == 12, err
    assert err.splitlines()[-1].startswith(f"taskparse: 无法写入 {out}") and "没有权限" in err
    assert "Traceback" not in err and "内部错误" not in err
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "jsonl"])
@pytest.mark.parametrize("code,exit_code,words", [(errno.ENOSPC, 13, "磁盘已满"), (errno.EROFS, 12, "只读"),
                                                  (errno.EACCES, 12, "没有权限")], ids=["full", "read-only", "denied"])
def test_output_errors_by_errno(tmp_path, monkeypatch, fmt, code, exit_code, words):
    """The failures a real disk gives (raised where the OS raises them: creating or syncing the file)."""
    import taskparse.writers as writers

    def failing(*a, **k):
        raise OSError(code, os.strerror(code))

    target = "fsync" if code == errno.ENOSPC and fmt != "xlsx" else "mkstemp"
    if target == "fsync":
        monkeypatch.setattr(writers.os, "fsync", failing)
    else:
        monkeypatch.setattr(writers.tempfile, "mkstemp", failing)
    out = tmp_path / f"out.{fmt}"
    res = _run(str(S004), "-o", str(out))
    assert res.exit_code == exit_code
    line = res.stderr.splitlines()[-1]
    assert line.startswith(f"taskparse: 无法写入 {out}：") and words in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_xlsx_disk_full_while_zipping(tmp_path, monkeypatch):
    import xlsxwriter

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.Workbook, "_store_workbook", full)
    out = tmp_path / "l.xlsx"
    res = _run(str(S004), "-o", str(out))
    assert res.exit_code == 13
    assert res.stderr.splitlines()[-1] == f"taskparse: 无法写入 {out}：磁盘已满 — 清理空间或换一个磁盘后重试"
    assert list(tmp_path.iterdir()) == []


def test_locked_database(tmp_path, monkeypatch):
    from taskparse.writers import sqlite_writer

    out = tmp_path / "t.sqlite"
    assert _run(str(S002), "-o", str(out)).exit_code == 0
    monkeypatch.setattr(sqlite_writer, "BUSY_TIMEOUT_S", 0.3)
    holder = sqlite3.connect(out, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        res = _run(str(S004), "-o", str(out))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert res.exit_code == 14
    assert res.stderr.splitlines()[-1] == f"taskparse: 无法写入 {out}：数据库被其他程序锁定 — 关闭正在使用它的程序后重试"
    con = sqlite3.connect(out)
    assert con.execute("SELECT count(*) FROM notices").fetchone()[0] == 1
    con.close()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_two_runs_into_one_new_database_lose_nothing(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d, files in ((a, [S000, S002]), (b, [S004, SAMPLES / "001_c7910ee8fea0e822.txt"])):
        d.mkdir()
        for p in files:
            shutil.copy(p, d / p.name)
    out = tmp_path / "shared.sqlite"
    env = {**os.environ, "LANG": "C.UTF-8"}
    procs = [subprocess.Popen([sys.executable, "-m", "taskparse", str(d), "-o", str(out), "-j", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for d in (a, b)]
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]
    assert [rc for rc, _ in results] == [0, 0], results
    con = sqlite3.connect(out)
    assert con.execute("SELECT count(*) FROM notices").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 115 + 52 + 66 + 146
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "shared.sqlite"]


# --- CSV cells that a spreadsheet would run ---------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\",\"点此\")", "+86 电话", "-1 项", "@SUM(A1)", "  =1+1", "\t=A1"]


def _result() -> Result:
    tasks = [Task(id=str(i), seq=i, number=str(i), text=text, units=["=财政局"], location=Location(line=i))
             for i, text in enumerate(FORMULAS + ["普通任务 = 不是公式"], start=1)]
    return Result(source=Source(path="@x.txt", format="txt"), notice=Notice(title="t"), tasks=tasks)


def test_convert_csv_neutralises_formulas():
    from taskparse.writers import csv_writer

    rows = list(csv.DictReader(io.StringIO(csv_writer.dumps([_result()]))))
    assert [r["重点任务"] for r in rows] == ["'" + f for f in FORMULAS] + ["普通任务 = 不是公式"]
    assert {r["责任单位"] for r in rows} == {"'=财政局"} and {r["来源文件"] for r in rows} == {"'@x.txt"}


def test_units_csv_neutralises_formulas():
    from taskparse.units import dumps_csv, rows

    out = list(csv.DictReader(io.StringIO(dumps_csv(rows([_result()])))))
    assert {r["单位"] for r in out} == {"'=财政局"}
    assert [r["重点任务"] for r in out] == ["'" + f for f in FORMULAS] + ["普通任务 = 不是公式"]


# --- --resume ------------------------------------------------------------------------------------

def test_resume_skips_done_files(tmp_path, folder):
    out = tmp_path / "out"
    assert _run(str(folder), "-o", f"{out}/", "-j", "1").exit_code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    os.utime(folder / S002.name)  # newer than its output now
    res = _run(str(folder), "-o", f"{out}/", "-j", "1", "--resume")
    assert res.exit_code == 0, res.output
    assert "跳过 2 个已是最新的文件（--resume）" in res.stderr
    assert "共 1 个文件：成功 1" in res.stderr
    assert {p.name for p in out.iterdir() if p.stat().st_mtime_ns != stamps[p.name]} == {S002.name + ".json"}


def test_resume_skips_notices_in_the_database(tmp_path, folder):
    db = tmp_path / "t.sqlite"
    assert _run(str(folder / S000.name), "-o", str(db)).exit_code == 0
    res = _run(str(folder), "-o", str(db), "-j", "1", "--resume")
    assert res.exit_code == 0, res.output
    assert "跳过 1 个已是最新的文件" in res.stderr and "共 2 个文件" in res.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM notices").fetchone()[0] == 3
    con.close()


# --- units on a terminal and in a pipe ------------------------------------------------------------

def test_units_never_cut_in_a_pipe():
    import taskparse

    res = _run("units", str(S000))
    assert res.exit_code == 0
    texts = [t.text for t in taskparse.parse_file(S000).tasks if t.units or t.lead_units]
    assert len(texts) > 100
    assert res.stdout.count("…") == sum(t.count("…") for t in texts)  # none added
    cells = [ln.split("│")[4] for ln in res.stdout.splitlines() if ln.count("│") >= 6]  # the 重点任务 column
    flat = "".join("".join(c.split()) for c in cells)
    missing = [t for t in texts if "".join(t.split()) not in flat]
    assert missing == []


def test_units_wrap_on_a_narrow_terminal():
    from rich.console import Console

    import taskparse
    from taskparse.units import render, rows

    r = taskparse.parse_file(S000)
    console = Console(record=True, width=80)
    console.print(render(rows([r], "财政局"), several_sources=False, width=80))
    lines = console.export_text().splitlines()
    assert max(len(ln) for ln in lines) <= 80
    head = next(ln for ln in lines if "重点任务" in ln)
    task_cell = head.split("│")[4] if "│" in head else head
    assert len(task_cell) >= 30  # the task column gets half the width, not 12 characters


# --- the memory budget of a worker ---------------------------------------------------------------

def test_memory_budget_fails_the_file_not_the_batch(tmp_path, folder):
    env = {**os.environ, "LANG": "C.UTF-8"}
    out = tmp_path / "all.jsonl"
    res = subprocess.run([sys.executable, "-m", "taskparse", str(folder), "-o", str(out), "-j", "2", "--memory", "1"],
                         capture_output=True, env=env, timeout=300)
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 4 and all("1 MB" in ln and "内存" in ln and "上限" in ln for ln in lines[:3]), lines
    assert not out.exists()
    res = subprocess.run([sys.executable, "-m", "taskparse", str(folder), "-o", str(out), "-j", "2"],
                         capture_output=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert len(out.read_text(encoding="utf-8").splitlines()) == 115 + 52 + 66
