"""`taskparse units`: the by-unit view on the seed notices.

Hand counts (from the sample text, see test_writers.py): in 000, 财政局 is named by 10 tasks, 8 as
"财政局" and 2 as "县财政局" (items 38 and 90), never as lead — one office, 金乡县财政局; in 004,
区卫生健康局 (济宁市兖州区卫生健康局) by the tasks on lines 20, 21, 22 and 74 (items 1, 2, 3, 45).
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from taskparse.cli import main

openpyxl = pytest.importorskip("openpyxl")

S000 = SAMPLES / "000_2795aed58e8eed1f.txt"
S001 = SAMPLES / "001_c7910ee8fea0e822.txt"
S004 = SAMPLES / "004_4ed748fdf1ac17b6.txt"
ITEMS_000 = {"三.(三).38", "三.(四).50", "三.(五).65", "三.(六).90", "五.107", "五.109", "五.112", "五.113", "五.114",
             "五.115"}


@pytest.fixture
def runner():
    return CliRunner()


def test_table_for_one_unit(runner):
    res = runner.invoke(main, ["units", str(S000), "--unit", "财政局"])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "金乡县财政局" in out and "印作 县财政局、财政局" in out and "牵头 0 · 责任 10" in out
    assert all(item in out for item in ITEMS_000)
    assert "1 个单位，10 行（单位-任务）" in res.stderr


def test_no_match_is_not_an_error(runner):
    res = runner.invoke(main, ["units", str(S000), "--unit", "不存在的单位"])
    assert res.exit_code == 0
    assert res.stdout == ""
    assert "没有单位名称包含“不存在的单位”" in res.stderr


def test_jsonl_to_stdout(runner):
    res = runner.invoke(main, ["units", str(S004), "--unit", "区卫生健康局", "-f", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["unit"], r["printed"], r["role"], r["number"]) for r in recs] == [
        ("济宁市兖州区卫生健康局", "区卫生健康局", "unit", n) for n in ("1", "2", "3", "45")]


def test_json_file_groups_by_unit(runner, tmp_path):
    out = tmp_path / "units.json"
    res = runner.invoke(main, ["units", str(S000), "--unit", "财政局", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [(u["unit"], u["printed"], u["lead_count"], u["unit_count"], u["total"]) for u in data] == [
        ("金乡县财政局", ["县财政局", "财政局"], 0, 10, 10)]  # item 38 prints 县财政局
    assert {t["id"] for u in data for t in u["tasks"]} == ITEMS_000


def test_csv_file(runner, tmp_path):
    out = tmp_path / "units.csv"
    res = runner.invoke(main, ["units", str(S000), "--unit", "财政局", "-o", str(out)])
    assert res.exit_code == 0, res.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 10 and {r["任务编号"] for r in rows} == ITEMS_000
    assert {r["单位"] for r in rows} == {"金乡县财政局"} and {r["印刷名称"] for r in rows} == {"财政局", "县财政局"}
    assert {r["角色"] for r in rows} == {"责任"}  # a word for people, not the code "unit"


def test_xlsx_file_across_two_notices(runner, tmp_path):
    out = tmp_path / "units.xlsx"
    res = runner.invoke(main, ["units", str(S000), str(S001), "--unit", "财政局", "-o", str(out), "-j", "1"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    by_unit = list(wb["按单位"].iter_rows(min_row=2, values_only=True))
    assert len(by_unit) == 10 + 16 and {r[0] for r in by_unit} == {"金乡县财政局"}
    assert {r[1] for r in by_unit} == {"财政局", "县财政局"}
    summary = {r[0]: r[1:] for r in wb["单位汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary == {"金乡县财政局": ("县财政局、财政局", 0, 26, 26)}
    assert wb["台账"].max_row == 1 + 26  # only the tasks naming a matching unit


def test_sqlite_file(runner, tmp_path):
    import sqlite3

    out = tmp_path / "units.sqlite"
    res = runner.invoke(main, ["units", str(S000), "--unit", "财政局", "-o", str(out)])
    assert res.exit_code == 0, res.output
    con = sqlite3.connect(out)
    assert con.execute("SELECT count(*) FROM unit_tasks WHERE unit LIKE '%财政局%'").fetchone()[0] == 10
    # the whole notice is stored, so a shared database never loses the other tasks of a file
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 115
    con.close()


def test_xlsx_needs_an_output_file(runner):
    res = runner.invoke(main, ["units", str(S000), "-f", "xlsx"])
    assert res.exit_code == 2
    assert res.stderr == "taskparse: -f xlsx 需要 -o 文件\n"


def test_empty_folder(runner, tmp_path):
    res = runner.invoke(main, ["units", str(tmp_path)])
    assert res.exit_code == 1
    assert "没有找到可读取的文件" in res.stderr


def test_brackets_in_a_task_are_not_markup():
    from rich.console import Console

    from taskparse.models import Notice, Result, Source, Task
    from taskparse.units import render, rows

    r = Result(source=Source(path="x.txt", format="txt"), notice=Notice(),
               tasks=[Task(id="1", seq=1, number="1", text="落实[bold]“三个100%”[/bold]要求", units=["[red]局"])])
    console = Console(record=True, width=200)
    console.print(render(rows([r]), several_sources=False))
    out = console.export_text()
    assert "[bold]“三个100%”[/bold]" in out and "[red]局" in out
