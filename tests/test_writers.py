"""The ledger writers (xlsx, SQLite, JSONL) on the seed notices, and atomic replacement.

Hand counts used below (checked against the sample text, not the program):
- 004: task 2 is text line 21, "2、健全突发公共卫生事件监测预警……（牵头领导：孙恒民。承办单位：区卫生健康局、
  大安镇、区人力资源和社会保障局等，各镇街）" under "二、抓好常态化疫情防控".
- 004: 区卫生健康局 is named by the tasks on lines 20, 21, 22 and 74 (`grep -n 区卫生健康局`), never as lead
  (the .txt cannot show the bold that marks leads).
- 财政局 (including 县财政局): 10 tasks in 000 (`grep -c 财政局`: 10 lines, one task each; 2 of them 县财政局),
  16 in 001 (15 lines, plus task 116 whose "县财\\n\\n政局" is split over lines 303/305; 5 of them 县财政局).
"""
from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

import taskparse
from conftest import SAMPLES
from taskparse.models import Location, Notice, Result, Source, Task, Warning
from taskparse.writers import OutputError, csv_writer, json_writer, jsonl_writer, sqlite_writer, write, xlsx_writer

openpyxl = pytest.importorskip("openpyxl")

S000 = SAMPLES / "000_2795aed58e8eed1f.txt"
S001 = SAMPLES / "001_c7910ee8fea0e822.txt"
S004 = SAMPLES / "004_4ed748fdf1ac17b6.txt"
TASKS = {S000.name: 115, S001.name: 146, S004.name: 66}  # the hand-checked expected files


@pytest.fixture(scope="module")
def parsed() -> dict[str, Result]:
    return {p.name: taskparse.parse_file(p) for p in (S000, S001, S004)}


def _sheet_rows(path: Path, name: str) -> list[list]:
    ws = openpyxl.load_workbook(path)[name]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _records(path: Path, name: str = "台账") -> list[dict]:
    """The rows of a sheet as dicts by header."""
    rows = _sheet_rows(path, name)
    return [dict(zip(rows[0], r)) for r in rows[1:]]


# --- xlsx ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ledger_004(parsed, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("xlsx") / "ledger.xlsx"
    xlsx_writer.write([parsed[S004.name]], dest)
    return dest


def test_xlsx_sheets_and_header(ledger_004):
    wb = openpyxl.load_workbook(ledger_004)
    assert wb.sheetnames == ["台账", "按单位", "单位汇总", "到期", "提示", "文件", "_taskparse"]
    assert wb["_taskparse"].sheet_state == "veryHidden"
    header = [c.value for c in wb["台账"][1]]
    assert header == ["序号", "通知标题", "文号", "章节", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限",
                      "到期日", "进展情况", "备注", "原文条款", "来源文件", "原文位置", "任务编号", "变动", "_taskparse"]
    assert wb["台账"].column_dimensions["R"].hidden  # the per-row key
    assert all(c.font.b for c in wb["台账"][1])
    assert wb["台账"].max_row == 1 + TASKS[S004.name]


def test_xlsx_known_task_cells(ledger_004):
    row = next(r for r in _records(ledger_004) if r["任务编号"] == "二.2")
    assert row["序号"] == 2
    assert row["通知标题"] == "关于分解落实2021年政府工作报告任务目标的通知"
    assert row["文号"] == "济兖政发〔2021〕1号"
    assert row["章节"] == "二、抓好常态化疫情防控"
    assert row["重点任务"].startswith("健全突发公共卫生事件监测预警、预防控制、医疗救治等机制")
    assert row["重点任务"].endswith("培养一批医德高尚、医术精湛的学科带头人。")
    assert row["牵头领导"] == "孙恒民"
    assert row["牵头单位"] in (None, "")
    assert row["责任单位"] == "区卫生健康局、大安镇、区人力资源和社会保障局、各镇街"
    assert row["原文条款"].startswith("牵头领导：孙恒民")
    assert row["到期日"] in (None, "")  # no 完成时限, so no 到期日
    assert row["进展情况"] in (None, "")  # 进展情况 is the user's column
    assert row["来源文件"] == S004.name  # the name a clerk knows, not the path
    assert row["原文位置"] == "第21行"


def test_xlsx_layout(ledger_004):
    wb = openpyxl.load_workbook(ledger_004)
    for ws in wb:
        if ws.sheet_state == "veryHidden":
            continue
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # one page wide (1 is the default, so it may be left out), as many pages tall as needed
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    ws = wb["台账"]
    assert ws.auto_filter.ref == f"A1:Q{1 + TASKS[S004.name]}"  # the hidden key column is not filtered
    assert all(ws.cell(2, c).alignment.wrap_text for c in range(2, 18) if c != 10)  # all text columns (10: 到期日)
    # 重点任务 is long text: it gets the widest column; 序号 stays narrow
    widths = {ws.cell(1, c).value: ws.column_dimensions[ws.cell(1, c).column_letter].width for c in range(1, 18)}
    assert widths["重点任务"] == max(widths.values())
    assert widths["序号"] < 10


def test_xlsx_by_unit_counts(ledger_004):
    rows = _sheet_rows(ledger_004, "按单位")
    assert rows[0] == ["单位", "印刷名称", "角色", "序号", "任务编号", "重点任务", "完成时限", "到期日", "来源文件",
                       "原文位置"]
    mine = [r for r in rows[1:] if r[0] == "济宁市兖州区卫生健康局"]  # printed 区卫生健康局 in 济宁市兖州区's notice
    assert [r[9] for r in mine] == ["第20行", "第21行", "第22行", "第74行"]
    assert {r[1] for r in mine} == {"区卫生健康局"} and {r[2] for r in mine} == {"责任"}
    summary = {r[0]: r[1:] for r in _sheet_rows(ledger_004, "单位汇总")[1:]}
    assert summary["济宁市兖州区卫生健康局"] == ["区卫生健康局", 0, 4, 4]


def test_xlsx_warnings_and_files_sheets(ledger_004):
    warns = _sheet_rows(ledger_004, "提示")
    assert warns[0] == ["来源文件", "代码", "说明", "位置"]
    assert [r[1] for r in warns[1:]] == ["bold_lead_unknown"]  # the .txt cannot show the 黑体 leads
    assert warns[1][2].startswith("通知以黑体标明牵头单位")  # in Chinese, by its code
    files = _sheet_rows(ledger_004, "文件")
    assert files[1] == [S004.name, "txt", "关于分解落实2021年政府工作报告任务目标的通知", "济兖政发〔2021〕1号",
                        "济宁市兖州区人民政府", "2021-01-21", 66, 1, "成功", str(S004)]


def test_xlsx_several_notices_share_sheets(parsed, tmp_path):
    dest = tmp_path / "all.xlsx"
    xlsx_writer.write([parsed[S000.name], parsed[S001.name]], dest)
    rows = _records(dest)
    assert len(rows) == TASKS[S000.name] + TASKS[S001.name]
    assert [sum(r["来源文件"] == p.name for r in rows) for p in (S000, S001)] == [TASKS[S000.name], TASKS[S001.name]]
    by_unit = [r for r in _sheet_rows(dest, "按单位")[1:] if "财政局" in r[0]]
    assert len(by_unit) == 10 + 16  # no task names both 县财政局 and 财政局
    # one office of one county in both notices: 财政局 8 + 11 tasks, 县财政局 2 + 5
    summary = {r[0]: r[1:] for r in _sheet_rows(dest, "单位汇总")[1:] if "财政局" in r[0]}
    assert summary == {"金乡县财政局": ["县财政局、财政局", 0, 26, 26]}


def _result(text: str, **task) -> Result:
    return Result(source=Source(path="x.docx", format="docx", sha256="0" * 64), notice=Notice(title="t"),
                  tasks=[Task(id="1", seq=1, number="1", text=text, location=Location(line=7), **task)],
                  warnings=[Warning(code="no_clause", message="no 责任单位 found", location=Location(line=7)),
                            Warning(code="skipped_number", message="jump")])


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)"],
                         ids=["equals", "plus", "minus", "at"])
def test_xlsx_formula_like_text_stays_text(tmp_path, text):
    dest = tmp_path / "f.xlsx"
    xlsx_writer.write([_result(text, units=["=A1"])], dest)
    with zipfile.ZipFile(dest) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    row = _records(dest)[0]
    assert row["重点任务"] == text and row["责任单位"] == "=A1"


def test_xlsx_control_characters_dropped_and_extra_columns(tmp_path):
    dest = tmp_path / "c.xlsx"
    r = _result("甲\x00乙\x07丙\x1b丁\ufffe", extra={"配合单位": "县\x0c委办", "进展情况": "已完成"})
    xlsx_writer.write([r], dest)
    rows = _sheet_rows(dest, "台账")
    assert rows[0][-2:] == ["配合单位", "_taskparse"]  # unknown table columns follow 变动, then the hidden key
    row = _records(dest)[0]
    assert row["重点任务"] == "甲乙丙丁"
    assert row["配合单位"] == "县委办"
    assert row["进展情况"] == "已完成"  # a progress column of a table notice fills 进展情况
    assert row["备注"] == "no 责任单位 found"  # the task's own warning, not the notice-wide one
    assert row["原文位置"] == "第1项"  # Word shows no paragraph numbers: the item


def test_display_width_counts_cjk_double():
    assert xlsx_writer._display_width("abc") == 3
    assert xlsx_writer._display_width("财政局") == 6
    assert xlsx_writer._display_width("ＡＢ“1”") == 9
    assert xlsx_writer._display_width("长一点\nab") == 6


@pytest.mark.parametrize("fmt,loc,task_id,want", [
    ("pdf", Location(page=3, line=12), "1", "第3页"),
    ("docx", Location(line=12), "三.(一).4", "三、（一）第4项"),
    ("doc", Location(line=12), "2#2", "第2项"),
    ("txt", Location(line=12), "1", "第12行"),
    ("html", Location(), "1", "")], ids=["pdf", "docx", "doc-duplicate-id", "txt", "none"])
def test_position_text(fmt, loc, task_id, want):
    assert xlsx_writer._position(fmt, loc, task_id) == want


# --- jsonl -----------------------------------------------------------------------------------------

def test_jsonl_one_task_per_line(parsed, tmp_path):
    dest = tmp_path / "t.jsonl"
    jsonl_writer.write([parsed[S000.name], parsed[S004.name]], dest)
    raw = dest.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert len(records) == TASKS[S000.name] + TASKS[S004.name]
    assert {r["source"] for r in records} == {str(S000), str(S004)}
    second = next(r for r in records if r["source"] == str(S004) and r["id"] == "二.2")
    assert second["notice"] == "关于分解落实2021年政府工作报告任务目标的通知"
    assert second["leaders"] == ["孙恒民"] and second["location"] == {"line": 21, "page": None}
    assert jsonl_writer.dumps([parsed[S000.name], parsed[S004.name]]) == raw.decode("utf-8")


def test_jsonl_line_separators_stay_inside_a_line(tmp_path):
    dest = tmp_path / "t.jsonl"
    jsonl_writer.write([_result("甲\u2028乙\x85丙")], dest)
    lines = dest.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["text"] == "甲\u2028乙\x85丙"


# --- sqlite ----------------------------------------------------------------------------------------

def _q(db: Path, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


UNIT_QUERY = "SELECT path, task_id FROM unit_tasks WHERE unit LIKE ? ORDER BY path, seq"


def test_sqlite_unit_across_notices(parsed, tmp_path):
    db = tmp_path / "t.sqlite"
    sqlite_writer.write([parsed[S000.name], parsed[S001.name]], db)
    rows = _q(db, UNIT_QUERY, "%财政局%")
    assert len(rows) == 10 + 16
    assert sum(p == str(S000) for p, _ in rows) == 10
    assert ("%s" % S001, "三.(六).116") in rows  # the split 县财\n政局
    assert _q(db, "SELECT count(*) FROM tasks")[0][0] == TASKS[S000.name] + TASKS[S001.name]
    assert _q(db, "SELECT role, count(*) FROM task_units WHERE unit = '财政局' GROUP BY role") == [("unit", 19)]
    # the same query through the tables, as documented
    joined = _q(db, "SELECT count(*) FROM task_units tu JOIN tasks t ON t.id = tu.task_rowid "
                    "JOIN notices n ON n.id = t.notice_id WHERE tu.unit LIKE '%财政局%'")
    assert joined[0][0] == 26
    indexes = {r[0] for r in _q(db, "SELECT sql FROM sqlite_master WHERE type = 'index'")}
    assert any("task_units(unit)" in (s or "") for s in indexes)
    assert any("tasks(notice_id)" in (s or "") for s in indexes)


def test_sqlite_rerun_replaces_rows(parsed, tmp_path):
    db = tmp_path / "t.sqlite"
    sqlite_writer.write([parsed[S000.name], parsed[S001.name]], db)
    before = _q(db, "SELECT count(*) FROM notices UNION ALL SELECT count(*) FROM tasks "
                    "UNION ALL SELECT count(*) FROM task_units UNION ALL SELECT count(*) FROM warnings")
    sqlite_writer.write([parsed[S001.name]], db)
    sqlite_writer.write([parsed[S000.name], parsed[S001.name]], db)
    after = _q(db, "SELECT count(*) FROM notices UNION ALL SELECT count(*) FROM tasks "
                   "UNION ALL SELECT count(*) FROM task_units UNION ALL SELECT count(*) FROM warnings")
    assert after == before
    # 001 has one skipped_number warning; 000 and 001 one unit_near_miss each
    assert before[0][0] == 2 and before[3][0] == 3
    sqlite_writer.write([parsed[S004.name]], db)  # a new file is added to the same database
    assert _q(db, "SELECT count(*) FROM notices")[0][0] == 3
    assert sum(p != str(S004) for p, _ in _q(db, UNIT_QUERY, "%财政局%")) == 26


def test_sqlite_refuses_other_files(tmp_path, parsed):
    dest = tmp_path / "notes.sqlite"
    dest.write_text("not a database", encoding="utf-8")
    with pytest.raises(OutputError, match="不是 SQLite 数据库"):
        sqlite_writer.write([parsed[S004.name]], dest)
    assert dest.read_text(encoding="utf-8") == "not a database"


# --- interrupted writes ----------------------------------------------------------------------------

class Boom(Exception):
    pass


def _fail_after(n: int, real, exc: BaseException):
    calls = {"n": 0}

    def wrapper(*args, **kw):
        calls["n"] += 1
        if calls["n"] > n:
            raise exc
        return real(*args, **kw)

    return wrapper


# (format, suffix, module, function to break, calls that succeed first)
INTERRUPTS = [("jsonl", ".jsonl", jsonl_writer, "_line", 30), ("xlsx", ".xlsx", xlsx_writer, "_add_sheet", 2),
              ("sqlite", ".sqlite", sqlite_writer, "_insert", 1), ("csv", ".csv", csv_writer, "rows", 0),
              ("json", ".json", json_writer, "dumps", 0)]


@pytest.mark.parametrize("fmt,suffix,module,func,ok_calls", INTERRUPTS, ids=[i[0] for i in INTERRUPTS])
@pytest.mark.parametrize("exc", [Boom("disk full"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_interrupted_write_keeps_old_file(parsed, tmp_path, monkeypatch, fmt, suffix, module, func, ok_calls, exc):
    dest = tmp_path / f"out{suffix}"
    write([parsed[S004.name]], dest, fmt)
    old = dest.read_bytes()
    monkeypatch.setattr(module, func, _fail_after(ok_calls, getattr(module, func), exc))
    with pytest.raises(type(exc)):
        write([parsed[S000.name], parsed[S001.name]], dest, fmt)
    assert dest.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == [dest.name]  # no temp file, no journal left


@pytest.mark.parametrize("fmt,suffix,module,func,ok_calls", INTERRUPTS, ids=[i[0] for i in INTERRUPTS])
def test_interrupted_first_write_leaves_nothing(parsed, tmp_path, monkeypatch, fmt, suffix, module, func, ok_calls):
    dest = tmp_path / f"out{suffix}"
    monkeypatch.setattr(module, func, _fail_after(ok_calls, getattr(module, func), Boom("disk full")))
    with pytest.raises(Boom):
        write([parsed[S000.name], parsed[S001.name]], dest, fmt)
    assert list(tmp_path.iterdir()) == []
