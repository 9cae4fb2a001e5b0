"""Canonical units and due dates in the outputs: JSON, SQLite, the xlsx ledger, `taskparse units
--unit/--list`, `taskparse due` and `--aliases`, on a composed county notice whose every expected value
follows from its text (issuer 金乡县人民政府, dated 2021-02-10)."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import pytest
from click.testing import CliRunner

import taskparse
from conftest import SAMPLES
from taskparse.cli import main
from taskparse.postparse import ALIASES_ENV

openpyxl = pytest.importorskip("openpyxl")

NOTICE = """金乡县人民政府
关于印发2021年重点工作责任分工的通知
各镇人民政府（街道办事处），县政府各部门：
现将2021年重点工作责任分工印发给你们，请认真贯彻落实。
1.完善财政资金直达机制。（牵头单位：县财政局；责任单位：财政局、县发改局；完成时限：2021年6月底前）
2.推进重大项目建设。（责任单位：县发展和改革局；完成时限：长期坚持）
3.做好上级资金争取工作。（责任单位：市财政局；完成时限：每季度）
4.开展营商环境评价，3月底前完成。（责任单位：县委办）
5.编制远景规划。（责任单位：县政府办；完成时限：2030年12月31日）
6.推进自然资源确权登记。（责任单位：自然资源局、自然资源和规划局）
金乡县人民政府
2021年2月10日
"""


@pytest.fixture(autouse=True)
def no_env_aliases(monkeypatch):
    monkeypatch.delenv(ALIASES_ENV, raising=False)


@pytest.fixture
def notice(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


@pytest.fixture
def runner():
    return CliRunner()


def test_json_fields(runner, notice):
    res = runner.invoke(main, [str(notice)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["schema_version"] == 2
    t1, t2, t3, t4, t5, t6 = data["tasks"]
    assert t1["lead_units"] == ["县财政局"] and t1["lead_units_canonical"] == ["金乡县财政局"]
    assert t1["units"] == ["财政局", "县发改局"] and t1["units_canonical"] == ["金乡县财政局", "金乡县发展和改革局"]
    assert t1["due"] == {"date": "2021-06-30", "kind": "by", "every": None, "from": "deadline"}
    assert t2["due"] == {"date": None, "kind": "ongoing", "every": None, "from": "deadline"}
    assert t3["units_canonical"] == ["市财政局"]  # the city's office, not the county's
    assert t3["due"] == {"date": None, "kind": "recurring", "every": "quarter", "from": "deadline"}
    assert t4["deadline"] is None and t4["due"] == {"date": "2021-03-31", "kind": "by", "every": None, "from": "text"}
    assert t4["units_canonical"] == ["金乡县委办公室"] and t5["units_canonical"] == ["金乡县人民政府办公室"]
    assert t6["due"] is None and len(set(t6["units_canonical"])) == 2  # never merged …
    assert [w["code"] for w in data["warnings"]] == ["unit_near_miss"]  # … but warned about
    offices = {u["canonical"]: u["printed"] for u in data["canonical_units"]}
    assert offices["金乡县财政局"] == ["县财政局", "财政局"]
    assert offices["金乡县发展和改革局"] == ["县发改局", "县发展和改革局"]


def test_schema_1_fields_unchanged(notice):
    """Old readers keep working: every version-1 field is there with its old meaning."""
    t = taskparse.parse_file(notice).tasks[0]
    assert (t.lead_units, t.units, t.deadline) == (["县财政局"], ["财政局", "县发改局"], "2021年6月底前")


def test_sqlite_columns_and_view(runner, notice, tmp_path):
    db = tmp_path / "t.sqlite"
    assert runner.invoke(main, [str(notice), "-o", str(db)]).exit_code == 0
    con = sqlite3.connect(db)
    got = con.execute("SELECT DISTINCT task_id, unit, role FROM unit_tasks WHERE canonical = '金乡县财政局' "
                      "ORDER BY task_id, role").fetchall()
    assert got == [("1", "县财政局", "lead"), ("1", "财政局", "unit")]
    assert con.execute("SELECT task_id, due_date, due_kind FROM tasks ORDER BY seq").fetchall() == [
        ("1", "2021-06-30", "by"), ("2", None, "ongoing"), ("3", None, "recurring"), ("4", "2021-03-31", "by"),
        ("5", "2030-12-31", "by"), ("6", None, None)]
    con.close()


def test_sqlite_database_of_schema_1_gets_the_new_columns(notice, tmp_path):
    db = tmp_path / "old.sqlite"
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE notices (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, path TEXT, format TEXT,
            title TEXT, doc_number TEXT, issuer TEXT, date TEXT, parsed_at TEXT NOT NULL);
        CREATE TABLE tasks (id INTEGER PRIMARY KEY, notice_id INTEGER NOT NULL REFERENCES notices(id)
            ON DELETE CASCADE, task_id TEXT NOT NULL, seq INTEGER, number TEXT, section TEXT, text TEXT,
            leaders TEXT, lead_units TEXT, units TEXT, deadline TEXT, clause TEXT, line INTEGER, page INTEGER,
            extra TEXT);
        CREATE TABLE task_units (task_rowid INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE, unit TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('lead', 'unit')), position INTEGER NOT NULL);
        CREATE VIEW unit_tasks AS SELECT tu.unit FROM task_units tu;
        INSERT INTO notices (sha256, path, parsed_at) VALUES ('old', 'old.txt', '2021-01-01');
    """)
    con.close()
    from taskparse.writers import sqlite_writer

    sqlite_writer.write([taskparse.parse_file(notice)], db)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM notices").fetchone()[0] == 2  # the old row is kept
    assert con.execute("SELECT count(DISTINCT task_id) FROM unit_tasks WHERE canonical = '金乡县财政局'").fetchone() == (1,)
    assert con.execute("SELECT due_date FROM unit_tasks WHERE task_id = '5'").fetchone() == ("2030-12-31",)
    con.close()


def test_xlsx_due_date_overdue_rule_and_due_sheet(runner, notice, tmp_path):
    out = tmp_path / "ledger.xlsx"
    assert runner.invoke(main, [str(notice), "-o", str(out)]).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["台账"]
    header = [c.value for c in ws[1]]
    col = header.index("到期日") + 1
    assert header[col - 2] == "完成时限"
    dates = [ws.cell(r, col).value for r in range(2, 8)]
    assert dates[0] == datetime(2021, 6, 30) and ws.cell(2, col).number_format == "yyyy-mm-dd"
    assert dates[1] is None and dates[3] == datetime(2021, 3, 31) and dates[4] == datetime(2030, 12, 31)
    letter = ws.cell(1, col).column_letter
    rules = [(str(rng.sqref), rule.formula) for rng in ws.conditional_formatting for rule in rng.rules]
    assert rules == [(f"{letter}2:{letter}7", [f"AND(ISNUMBER(${letter}2),${letter}2<TODAY())"])]
    due = [list(r) for r in wb["到期"].iter_rows(min_row=2, values_only=True)]
    # dated first, earliest first; then recurring, then ongoing; task 6 has no deadline
    assert [(r[0], r[1], r[8]) for r in due] == [(datetime(2021, 3, 31), "截止（文中）", "4"),
                                                (datetime(2021, 6, 30), "截止", "1"),
                                                (datetime(2030, 12, 31), "截止", "5"),
                                                (None, "每季度", "3"), (None, "长期", "2")]
    assert [(str(rng.sqref)) for rng in wb["到期"].conditional_formatting] == ["A2:A6"]
    by_unit = [list(r) for r in wb["按单位"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[4], r[7]) for r in by_unit if r[0] == "金乡县财政局"] == [("金乡县财政局", "1", datetime(2021, 6, 30))]
    assert [str(rng.sqref) for rng in wb["按单位"].conditional_formatting] == [f"H2:H{1 + len(by_unit)}"]


def test_units_groups_by_office_and_lead_wins(runner, notice):
    res = runner.invoke(main, ["units", str(notice), "--unit", "财政局", "-f", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    # task 1 names the county's office twice (县财政局 leads, 财政局 shares): one row, as lead
    assert [(r["unit"], r["printed"], r["role"], r["id"]) for r in recs] == [
        ("金乡县财政局", "县财政局", "lead", "1"), ("市财政局", "市财政局", "unit", "3")]


def test_units_match_canonical_name(runner, notice):
    res = runner.invoke(main, ["units", str(notice), "--unit", "金乡县发展和改革局", "-f", "jsonl"])
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["printed"], r["id"]) for r in recs] == [("县发改局", "1"), ("县发展和改革局", "2")]


def test_units_list(runner, notice):
    res = runner.invoke(main, ["units", str(notice), "--list", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = {u["unit"]: u for u in json.loads(res.stdout)}
    assert data["金乡县财政局"]["printed"] == {"县财政局": 1}  # task 1 lists it once, as lead
    assert data["金乡县发展和改革局"]["printed"] == {"县发改局": 1, "县发展和改革局": 1}
    assert data["金乡县发展和改革局"]["total"] == 2
    res = runner.invoke(main, ["units", str(notice), "--list"])
    assert "金乡县发展和改革局" in res.stdout and "县发改局（1）、县发展和改革局（1）" in res.stdout


def test_units_on_the_samples_group_by_office_and_place(runner):
    files = [str(SAMPLES / f"{s}.txt") for s in ("000_2795aed58e8eed1f", "001_c7910ee8fea0e822",
                                                  "002_ce67ead115768d45", "003_605f38698d05405f",
                                                  "004_4ed748fdf1ac17b6")]
    res = runner.invoke(main, ["units", *files, "--unit", "财政局", "--list", "-f", "json", "-j", "1"])
    data = {u["unit"]: u["printed"] for u in json.loads(res.stdout)}
    # hand counts of tasks naming each form: 000 县财政局 2 / 财政局 8, 001 5 / 11; 002 市财政局 3 / 财政局 4
    assert data == {"金乡县财政局": {"县财政局": 7, "财政局": 19}, "新密市财政局": {"市财政局": 3, "财政局": 4},
                    "济宁市兖州区财政局": {"区财政局": 4}, "海盐县财政局": {"县财政局": 2}}


def test_due_command(runner, notice):
    res = runner.invoke(main, ["due", str(notice), "--before", "2021-12-31", "-f", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["id"], r["due_date"]) for r in recs] == [("4", "2021-03-31"), ("1", "2021-06-30")]
    res = runner.invoke(main, ["due", str(notice), "--unit", "县政府办", "-f", "jsonl"])
    assert [json.loads(line)["id"] for line in res.stdout.splitlines()] == ["5"]
    res = runner.invoke(main, ["due", str(notice)])
    assert res.exit_code == 0
    assert "2021-03-31 已逾期" in res.stdout or date.today() <= date(2021, 3, 31)
    assert "5 项任务" in res.stderr


def test_due_bad_date_is_a_usage_error(runner, notice):
    res = runner.invoke(main, ["due", str(notice), "--before", "明年"])
    assert res.exit_code == 2


def test_aliases_file(runner, notice, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("printed,canonical,place\n自然资源局,自然资源和规划局,金乡县\n", encoding="utf-8")
    res = runner.invoke(main, [str(notice), "--aliases", str(aliases)])
    assert res.exit_code == 0, res.output
    t6 = json.loads(res.stdout)["tasks"][5]
    assert t6["units_canonical"] == ["金乡县自然资源和规划局", "金乡县自然资源和规划局"]
    assert json.loads(res.stdout)["warnings"] == []


def test_bad_aliases_file_one_line(runner, notice, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("自然资源局\n", encoding="utf-8")
    res = runner.invoke(main, [str(notice), "--aliases", str(aliases)])
    assert res.exit_code == 2
    assert "第 1 行" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["units", str(notice), "--aliases", str(tmp_path / "missing.csv")])
    assert res.exit_code == 2 and "无法读取" in res.output


def test_json_reads_back_into_the_models(notice):
    """A written result (``"from"`` for due's source) validates back into an equal Result."""
    from taskparse.models import Result

    r = taskparse.parse_file(notice)
    assert Result.model_validate_json(r.model_dump_json()) == r
    assert '"from":"text"' in r.model_dump_json()
