"""The 台账 as a living document: a clerk fills it in Excel/WPS (here: openpyxl on the real file), the
notice is revised, and a re-run must keep every cell they filled where it belongs.

Seed 004 numbers its 66 tasks 1..66 across its sections; 二 holds 1-5 (lines 20-24 of the .txt).
The revised notice below drops item 4 (全民健身), edits item 2 and adds a new item after item 5, then
numbers the items 1..66 again: item 5 becomes 二.4, the new one 二.5, items 6.. keep their ids.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from taskparse.cli import main

openpyxl = pytest.importorskip("openpyxl")

S004 = SAMPLES / "004_4ed748fdf1ac17b6.txt"
S000 = SAMPLES / "000_2795aed58e8eed1f.txt"
NUMBERED = re.compile(r"^(\d+)、")
EDIT_FROM, EDIT_TO = "加快区疾控中心和大安卫生院建设", "加快区疾控中心建设"
NEW_TASK = "加强应急物资储备体系建设，完善应急预案和演练。（牵头领导：孙恒民。承办单位：区应急管理局，各镇街）"


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _revised(src: Path, dest: Path) -> None:
    """Seed 004 with item 4 removed, item 2 edited, a new item after item 5, renumbered."""
    lines = src.read_text(encoding="utf-8").split("\n")
    out = []
    for line in lines:
        m = NUMBERED.match(line)
        if m and m.group(1) == "4":
            continue
        if m and m.group(1) == "2":
            assert EDIT_FROM in line
            line = line.replace(EDIT_FROM, EDIT_TO)
        out.append(line)
        if m and m.group(1) == "5":
            out.append("5、" + NEW_TASK)
    n = 0
    for i, line in enumerate(out):
        if NUMBERED.match(line):
            n += 1
            out[i] = NUMBERED.sub(f"{n}、", line)
    dest.write_text("\n".join(out), encoding="utf-8")


def _records(path: Path, sheet: str = "台账") -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], ("" if v is None else v for v in r))) for r in rows[1:]]  # an empty cell is ""


def _fill(path: Path, fills: dict[str, dict[str, str]], new_column: str | None = None) -> None:
    """As a clerk would: type into cells of the rows whose task text starts with a key; maybe add a
    column of their own at the right."""
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    header = [c.value for c in ws[1]]
    if new_column:
        ws.cell(1, len(header) + 1, new_column)
        header.append(new_column)
    col = {h: i + 1 for i, h in enumerate(header)}
    done = set()
    for r in range(2, ws.max_row + 1):
        text = ws.cell(r, col["重点任务"]).value or ""
        for start, cells in fills.items():
            if text.startswith(start):
                for h, v in cells.items():
                    ws.cell(r, col[h], v)
                done.add(start)
    assert done == set(fills)
    wb.save(path)


T1 = "坚持“外防输入、内防反弹”"
T2 = "健全突发公共卫生事件监测预警"
T4 = "广泛开展全民健身运动"
T5 = "加强食品药品安全监管"


@pytest.fixture
def ledger(tmp_path):
    notice = tmp_path / "通知.txt"
    shutil.copy(S004, notice)
    out = tmp_path / "ledger.xlsx"
    res = _run(str(notice), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines()[-1] == f"taskparse: 已写入 {out}：66 项任务，1 条提示"
    return notice, out


def test_update_keeps_every_filled_cell_where_it_belongs(ledger):
    notice, out = ledger
    rows = _records(out)
    assert len(rows) == 66 and all(r["进展情况"] == "" for r in rows)
    t30 = rows[29]["重点任务"]
    t10 = rows[9]
    assert t10["任务编号"] == "三.10"
    _fill(out, {T2: {"进展情况": "疾控中心主体完工"}, T4: {"进展情况": "已开展3次"},
                T5: {"进展情况": "抽检合格率99%", "督办人": "王科长"}, t30[:12]: {"进展情况": "按期推进", "督办人": "李主任"},
                t10["重点任务"][:12]: {"责任单位": "区科技局（已核对）"}}, new_column="督办人")
    filled = out.read_bytes()

    # a plain re-run refuses, in one line, and changes nothing
    res = _run(str(notice), "-o", str(out))
    assert res.exit_code == 2
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and "--update" in lines[0] and "--force" in lines[0] and "手工修改" in lines[0]
    assert out.read_bytes() == filled

    _revised(S004, notice)
    res = _run(str(notice), "-o", str(out), "--update")
    assert res.exit_code == 0, res.output
    assert "新增 1，修改 1，删除 1" in res.stderr

    rows = _records(out)
    assert len(rows) == 66  # one removed, one added
    by_text = {r["重点任务"][:12]: r for r in rows}
    edited = next(r for r in rows if r["重点任务"].startswith(T2))
    assert EDIT_TO in edited["重点任务"] and edited["进展情况"] == "疾控中心主体完工" and edited["变动"] == "已修改"
    moved = next(r for r in rows if r["重点任务"].startswith(T5))
    assert moved["任务编号"] == "二.4"  # renumbered, still found
    assert (moved["进展情况"], moved["督办人"], moved["变动"]) == ("抽检合格率99%", "王科长", "")
    new = next(r for r in rows if r["重点任务"] == NEW_TASK.split("（")[0])
    assert (new["任务编号"], new["变动"], new["进展情况"], new["督办人"]) == ("二.5", "新增", "", "")
    assert new["责任单位"] == "区应急管理局、各镇街"
    kept = by_text[t30[:12]]
    assert (kept["进展情况"], kept["督办人"]) == ("按期推进", "李主任")
    assert by_text[t10["重点任务"][:12]]["责任单位"] == "区科技局（已核对）"  # a person's correction wins
    assert not any(r["重点任务"].startswith(T4) for r in rows)
    filled_cells = [(r["任务编号"], r["进展情况"]) for r in rows if r["进展情况"]]
    assert len(filled_cells) == 3
    # the vanished task and what the clerk wrote about it are on 已删除
    deleted = _records(out, "已删除")
    assert len(deleted) == 1
    assert deleted[0]["重点任务"].startswith(T4) and deleted[0]["进展情况"] == "已开展3次"
    assert deleted[0]["删除日期"]
    # 按单位 follows the corrected cell
    units = _records(out, "按单位")
    assert any(u["单位"] == "区科技局（已核对）" for u in units)

    # still edited: a plain run refuses again; --force keeps a .bak of exactly what was there
    merged = out.read_bytes()
    assert _run(str(notice), "-o", str(out)).exit_code == 2
    res = _run(str(notice), "-o", str(out), "--force")
    assert res.exit_code == 0, res.output
    bak = out.with_name("ledger.xlsx.bak")
    assert f"taskparse: 旧文件已另存为 {bak}" in res.stderr.splitlines()
    assert bak.read_bytes() == merged
    assert all(r["进展情况"] == "" for r in _records(out))
    assert "督办人" not in _records(out)[0]


def test_unedited_ledger_is_simply_replaced(ledger):
    notice, out = ledger
    res = _run(str(notice), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert not list(out.parent.glob("*.bak"))


def test_sorted_rows_still_match(ledger):
    """Sorting by a column moves the hidden key with its row."""
    notice, out = ledger
    wb = openpyxl.load_workbook(out)
    ws = wb["台账"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    values.reverse()
    for r, row in enumerate(values, start=2):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    wb.save(out)
    _fill(out, {T1: {"备注": "月底复核"}})
    res = _run(str(notice), "-o", str(out), "--update")
    assert res.exit_code == 0, res.output
    rows = _records(out)
    assert rows[0]["任务编号"] == "二.1"  # a refreshed notice comes back in document order
    first = next(r for r in rows if r["重点任务"].startswith(T1))
    assert first["备注"] == "月底复核" and first["变动"] == ""
    assert sum(1 for r in rows if r["备注"]) == 1


def test_update_adds_a_notice_and_keeps_the_others(ledger, tmp_path):
    notice, out = ledger
    _fill(out, {T2: {"进展情况": "已完成"}})
    other = tmp_path / "另一个通知.txt"
    shutil.copy(S000, other)
    res = _run(str(other), "-o", str(out), "--update")
    assert res.exit_code == 0, res.output
    rows = _records(out)
    assert len(rows) == 66 + 115
    assert sum(r["来源文件"] == "通知.txt" for r in rows) == 66
    assert next(r for r in rows if r["重点任务"].startswith(T2))["进展情况"] == "已完成"
    assert sum(r["变动"] == "新增" for r in rows) == 115
    files = _records(out, "文件")
    assert sorted(f["来源文件"] for f in files) == ["另一个通知.txt", "通知.txt"]


def test_foreign_workbook_is_never_replaced(tmp_path):
    out = tmp_path / "我的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "自己做的表"
    wb.save(out)
    before = out.read_bytes()
    for extra in ([], ["--update"]):
        res = _run(str(S004), "-o", str(out), *extra)
        assert res.exit_code == 2
        assert len(res.stderr.splitlines()) == 1 and "不是 taskparse" in res.stderr
        assert out.read_bytes() == before
    res = _run(str(S004), "-o", str(out), "--force")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "我的表.xlsx.bak").read_bytes() == before


def test_folder_files_not_written_by_taskparse_are_kept(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(S004, d / "a.txt")
    shutil.copy(S000, d / "b.txt")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt.json").write_text("我自己的笔记", encoding="utf-8")
    res = _run(str(d), "-o", str(out), "-j", "1")
    assert res.exit_code == 1
    assert (out / "a.txt.json").read_text(encoding="utf-8") == "我自己的笔记"
    assert "a.txt.json 不是 taskparse 生成的文件" in res.stderr
    assert (out / "b.txt.json").exists()
    # taskparse's own output is replaced on a re-run; --force replaces the note and keeps it as .bak
    res = _run(str(d), "-o", str(out), "-j", "1", "--force")
    assert res.exit_code == 0, res.output
    assert (out / "a.txt.json.bak").read_text(encoding="utf-8") == "我自己的笔记"
    assert '"schema_version"' in (out / "a.txt.json").read_text(encoding="utf-8")


def test_english_ledger(tmp_path):
    out = tmp_path / "l.xlsx"
    res = _run(str(S004), "-o", str(out), "--lang", "en")
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines()[-1] == f"taskparse: wrote {out}: tasks 66, warnings 1"
    header = [c.value for c in openpyxl.load_workbook(out)["台账"][1]]
    assert header[:5] == ["No.", "Notice", "Doc. number", "Section", "Task"]


def test_ledger_of_an_earlier_version_is_not_replaced(tmp_path):
    """Before the merge a 台账 carried no key: its edits cannot be told apart, so it is left alone."""
    out = tmp_path / "旧台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["序号", "章节", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限", "进展情况", "备注", "来源文件",
               "原文位置", "任务编号"])
    ws.append([1, "二、抓好常态化疫情防控", "坚持……", "", "", "区卫生健康局", "", "已完成", "", "a.txt", "第20行", "二.1"])
    wb.save(out)
    before = out.read_bytes()
    res = _run(str(S004), "-o", str(out), "--update")
    assert res.exit_code == 2
    assert "旧版 taskparse" in res.stderr and "--force" in res.stderr
    assert out.read_bytes() == before
