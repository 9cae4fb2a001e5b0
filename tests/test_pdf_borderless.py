"""Borderless tables in PDFs: the bundled LibreOffice-made PDFs, and small pages laid out
character by character (12 pt characters, 12 pt wide) to pin down each rule."""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import taskparse
from conftest import SAMPLES
from taskparse.document import Line, Table
from taskparse.extractors import _layout as layout, pdf
from taskparse.extractors._pdf_grid import find_tables

BORDERLESS = {  # sample -> (extra header cells, what the rules are)
    "004_4ed748fdf1ac17b6_table_3line.pdf": [],
    "002_ce67ead115768d45_table_noborder.pdf": [],
    "003_605f38698d05405f_table_middle.pdf": ["进展情况"],
    "000_2795aed58e8eed1f_table_rows.pdf": [],
}
HEADER = ["序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限"]


@pytest.mark.parametrize("name", sorted(BORDERLESS))
def test_sample_is_one_table_with_a_row_per_task(name):
    doc = pdf.extract((SAMPLES / name).read_bytes(), name)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1, "the table continues over every page"
    rows = tables[0].rows
    assert [c.text for c in rows[0]] == HEADER + BORDERLESS[name]
    numbered = [r for r in rows[1:] if r[0].text.isdigit()]
    expected = json.loads((SAMPLES / "expected" / name.replace(".pdf", ".json")).read_text(encoding="utf-8"))
    assert [r[0].text for r in numbered] == [t["number"] for t in expected["tasks"]]
    assert [r[1].text.rstrip("。") for r in numbered][:3] == [t["text"].rstrip("。") for t in expected["tasks"]][:3]
    # the notice head before the table stays paragraphs
    assert any(isinstance(b, Line) and "〔" in b.text for b in doc.blocks)


def test_ruled_and_paragraph_pdfs_have_no_borderless_tables():
    for name in ("002_ce67ead115768d45.pdf", "004_4ed748fdf1ac17b6.pdf", "000_2795aed58e8eed1f.pdf"):
        doc = pdf.extract((SAMPLES / name).read_bytes(), name)
        assert not any(isinstance(b, Table) for b in doc.blocks), name
    ruled = pdf.extract((SAMPLES / "004_4ed748fdf1ac17b6_table.pdf").read_bytes())
    assert len([b for b in ruled.blocks if isinstance(b, Table)]) == 1


# ------------------------------------------------------------------ pages built char by char

SIZE = 12.0


def _page(rows: list[tuple[float, list[tuple[float, str]]]], bold_y: tuple[float, ...] = ()) -> list:
    """Visual lines of a page: each row is (baseline y, [(x, text), ...])."""
    chars = []
    for y, parts in rows:
        for x, text in parts:
            for i, ch in enumerate(text):
                chars.append(layout.Char(ch, x + i * SIZE, x + (i + 1) * SIZE, y, SIZE, y in bold_y))
    return layout.visual_lines(chars, 1, 842.0)


def _cells(grid, lines):
    out = []
    for kind, parts in grid.rows:
        if kind == "span":
            out.append("".join(lines[k].text for k in parts))
        else:
            out.append(tuple("".join(c.ch for c in sorted(col, key=lambda c: (-c.y, c.x0))) for col in parts))
    return out


A, B, C, D = 80.0, 120.0, 380.0, 470.0  # column starts: 序号, task (20 characters wide), 牵头单位, 责任单位


def test_wrapped_rows_split_where_the_number_column_starts_a_cell():
    lines = _page([
        (700, [(A, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (680, [(A + 6, "1"), (B, "推进产业园基础设施建设完善园区污水处理"), (C, "县经开区"), (D, "县发改局、县住建")]),
        (664, [(B, "等配套设施。"), (D, "局")]),
        (648, [(A + 6, "2"), (B, "深化放管服改革。"), (C, "县审批局"), (D, "县直各部门")]),
    ], bold_y=(700,))
    [grid] = find_tables(lines, [], None)
    assert _cells(grid, lines) == [
        ("序号", "重点任务", "牵头单位", "责任单位"),
        ("1", "推进产业园基础设施建设完善园区污水处理等配套设施。", "县经开区", "县发改局、县住建局"),
        ("2", "深化放管服改革。", "县审批局", "县直各部门"),
    ]


def test_bracketed_numbers_each_start_a_row():
    lines = _page([
        (700, [(A - 20, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (680, [(A - 20, "（9）"), (B, "推进产业园基础设施建设。"), (C, "县经开区"), (D, "县住建局")]),
        (664, [(A - 20, "（10）"), (B, "深化放管服改革。"), (C, "县审批局"), (D, "县直各部门")]),
        (648, [(A - 20, "（11）"), (B, "实施增收行动。"), (C, "县人社局"), (D, "县财政局")]),
    ], bold_y=(700,))
    [grid] = find_tables(lines, [], None)
    assert [c[0] for c in _cells(grid, lines)] == ["序号", "（9）", "（10）", "（11）"]


def test_table_without_a_number_column_splits_where_the_task_cell_ends():
    lines = _page([
        (700, [(B + 84, "工作任务"), (C, "牵头单位"), (D, "配合单位")]),
        (680, [(B, "推进产业园基础设施建设完善园区污水处理"), (C, "县经开区"), (D, "县住建局")]),
        (664, [(B, "等配套设施。")]),
        (648, [(B, "深化放管服改革。"), (C, "县审批局"), (D, "县直各部门")]),
    ], bold_y=(700,))
    [grid] = find_tables(lines, [], None)
    assert [row[0] for row in _cells(grid, lines)] == [
        "工作任务", "推进产业园基础设施建设完善园区污水处理等配套设施。", "深化放管服改革。"]


def test_short_first_row_under_a_plain_header_is_a_row():
    lines = _page([
        (700, [(B + 84, "工作任务"), (C, "牵头单位"), (D, "配合单位")]),
        (686, [(C + 12, "部门"), (D + 12, "部门")]),
        (668, [(B, "稳定粮食生产"), (C, "县农业局"), (D, "各乡镇")]),
        (652, [(B, "推进产业园建设。"), (C, "县经开区"), (D, "县住建局")]),
    ])
    [grid] = find_tables(lines, [], None)
    assert _cells(grid, lines) == [("工作任务", "牵头单位部门", "配合单位部门"), ("稳定粮食生产", "县农业局", "各乡镇"),
                                   ("推进产业园建设。", "县经开区", "县住建局")]


def test_header_cells_wrapped_above_and_below_the_header_line():
    # a narrow 序号 column wraps its header, centred vertically: 序 above the line, 号 below;
    # the heading under the header still crosses the 序号 | task gap
    lines = _page([
        (706, [(A, "序")]),
        (700, [(B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (694, [(A, "号")]),
        (680, [(A, "三、工作重点")]),
        (664, [(A + 2, "1"), (B, "加强冷链食品全链条管控。"), (C, "县卫健局"), (D, "各乡镇")]),
    ], bold_y=(706, 700, 694, 680))
    [grid] = find_tables(lines, [], None)
    assert _cells(grid, lines) == [("序号", "重点任务", "牵头单位", "责任单位"), "三、工作重点",
                                   ("1", "加强冷链食品全链条管控。", "县卫健局", "各乡镇")]


def test_heading_across_the_table_is_a_spanning_row_and_a_paragraph_ends_it():
    lines = _page([
        (700, [(A, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (682, [(A, "一、抓好常态化疫情防控")]),
        (664, [(A + 6, "1"), (B, "加强冷链食品全链条管控。"), (C, "县卫健局"), (D, "各乡镇")]),
        (646, [(A + 6, "2"), (B, "完善发热门诊。"), (C, "县卫健局"), (D, "县医院")]),
        (620, [(A, "以上任务请各单位认真落实，每季度末向县政府督查室报送进展情况。")]),
    ], bold_y=(700, 682))
    [grid] = find_tables(lines, [], None)
    cells = _cells(grid, lines)
    assert cells[1] == "一、抓好常态化疫情防控"
    assert [c[1] for c in cells[2:]] == ["加强冷链食品全链条管控。", "完善发热门诊。"]
    assert 4 not in grid.members  # the closing paragraph is not a row


def test_rows_cut_at_rules_between_them():
    lines = _page([
        (700, [(A, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (680, [(A + 6, "1"), (B, "推进产业园基础设施建设完善园区污水处理"), (C, "县经开区"), (D, "县住建局")]),
        (664, [(A + 6, "2"), (B, "深化放管服改革。"), (C, "县审批局"), (D, "县直各部门")]),
        (648, [(B, "推行一网通办。")]),
        (632, [(B, "实施增收行动。"), (C, "县人社局"), (D, "县财政局")]),
    ], bold_y=(700,))
    # rules under the header and between the rows: the third row has no 序号, yet is a row
    rules = [(y, 70.0, 600.0) for y in (693.0, 675.0, 643.0)]
    [grid] = find_tables(lines, rules, None)
    assert [c[:2] for c in _cells(grid, lines)[1:]] == [
        ("1", "推进产业园基础设施建设完善园区污水处理"), ("2", "深化放管服改革。推行一网通办。"), ("", "实施增收行动。")]
    # without the rules that row is read as the rest of row 2
    [grid] = find_tables(lines, [], None)
    assert len(_cells(grid, lines)) == 3


@pytest.mark.parametrize("rows", [
    # a signature block and a 抄送 line: wide gaps, no header words
    [(300, [(80, "县人民政府"), (300, "县委办公室"), (480, "县人大办")]),
     (280, [(80, "2024年1月5日"), (300, "2024年1月6日"), (480, "2024年1月7日")]),
     (260, [(80, "抄送：县委"), (300, "县人大"), (480, "县政协")])],
    # a form with 姓名 / 电话 columns
    [(300, [(80, "姓名"), (300, "职务"), (480, "电话")]),
     (280, [(80, "张三"), (300, "科长"), (480, "12345678")]),
     (260, [(80, "李四"), (300, "副科长"), (480, "87654321")])],
    # clauses laid out with tabs under each item: labels with their values are not a header
    [(300, [(80, "1．推进A工作")]),
     (280, [(80, "牵头单位：县发改局"), (300, "责任单位：县财政局"), (480, "完成时限：6月底")]),
     (260, [(80, "2．推进B工作")]),
     (240, [(80, "牵头单位：县住建局"), (300, "责任单位：各乡镇"), (480, "完成时限：年底")])],
    # header words for who, none for what
    [(300, [(80, "序号"), (300, "单位"), (480, "联系人")]),
     (280, [(80, "1"), (300, "县发改局"), (480, "张三")]),
     (260, [(80, "2"), (300, "县财政局"), (480, "李四")])],
])
def test_columns_without_task_header_words_are_not_a_table(rows):
    assert find_tables(_page(rows), [], None) == []


def test_parse_file_gives_the_tasks_of_a_borderless_sample():
    result = taskparse.parse_file(SAMPLES / "004_4ed748fdf1ac17b6_table_3line.pdf")
    first = result.tasks[0]
    assert first.section == ["二、抓好常态化疫情防控"]
    assert first.leaders == ["寇宁", "孙恒民"]
    assert first.units[:2] == ["区委统筹疫情防控和经济运行工作领导小组（指挥部）", "区卫生健康局"]


def test_table_without_numbers_goes_on_overleaf():
    # page 1 ends inside a task cell (a full line, no sentence end); page 2 opens with its tail
    page1 = _page([
        (700, [(B + 84, "工作任务"), (C, "牵头单位"), (D, "配合单位")]),
        (680, [(B, "推进产业园基础设施建设完善园区污水处理"), (C, "县经开区"), (D, "县住建局")]),
    ], bold_y=(700,))
    [first] = find_tables(page1, [], None)
    carry = first.columns
    assert carry.goes_on and carry.col0_open
    page2 = _page([
        (760, [(B, "等配套设施。")]),
        (744, [(B, "深化放管服改革。"), (C, "县审批局"), (D, "县直各部门")]),
    ])
    [second] = find_tables(page2, [], carry)
    assert second.joins_previous
    assert [row[0] for row in _cells(second, page2)] == ["等配套设施。", "深化放管服改革。"]


def test_heading_inside_the_task_column_of_a_table_without_numbers():
    # the heading fits inside the first (task) column, so it crosses no gap: its numbering tells
    lines = _page([
        (700, [(B + 84, "工作任务"), (C, "牵头单位"), (D, "配合单位")]),
        (682, [(B, "二、扩大有效投资")]),
        (664, [(B, "推进产业园建设。"), (C, "县经开区"), (D, "县住建局")]),
    ], bold_y=(700,))
    [grid] = find_tables(lines, [], None)
    assert _cells(grid, lines)[1:] == ["二、扩大有效投资", ("推进产业园建设。", "县经开区", "县住建局")]


def test_lines_overleaf_that_merely_fit_the_columns_are_not_the_table():
    page1 = _page([
        (700, [(A, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (680, [(A + 6, "1"), (B, "深化放管服改革。"), (C, "县审批局"), (D, "县直各部门")]),
    ], bold_y=(700,))
    [first] = find_tables(page1, [], None)
    carry = first.columns
    assert not carry.goes_on
    page2 = _page([(760, [(B + 40, "附件2")]), (744, [(B + 20, "县政府办公室关于调整")])])
    assert find_tables(page2, [], carry) == []


# ------------------------------------------------------------------ any layout at all

EXAMPLES = int(os.environ.get("TASKPARSE_PROPERTY_EXAMPLES", "200"))  # as in test_properties.py

WORDS = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限", "一、产业发展", "1", "12", "（3）", "县发改局、县财政局",
         "推进产业园建设完善园区配套设施。", "牵头单位：县发改局", "限", "年底前"]
_cell = st.tuples(st.integers(40, 700).map(float), st.sampled_from(WORDS))
_row = st.tuples(st.integers(0, 40), st.lists(_cell, min_size=1, max_size=5), st.booleans())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, max_size=30), rules=st.lists(st.integers(60, 760).map(float), max_size=6),
       carried=st.booleans())
def test_any_layout_gives_disjoint_tables_of_its_own_lines(rows, rules, carried):
    y, layout, bold = 780.0, [], []
    for step, cells, is_bold in rows:
        y -= 8 + step
        layout.append((y, cells))
        if is_bold:
            bold.append(y)
    lines = _page(layout, tuple(bold))
    carry = None
    if carried:
        carry = find_tables(_page([(800, [(A, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
                                   (780, [(A, "1"), (B, "推进产业园建设"), (C, "县经开区"), (D, "县住建局")])],
                                  (800,)), [], None)[0].columns
    found = find_tables(lines, [(r, 30.0, 800.0) for r in rules], carry)
    seen: set[int] = set()
    for grid in found:
        assert grid.members == sorted(grid.members) and not seen & set(grid.members)
        seen |= set(grid.members)
        assert all(0 <= k < len(lines) for k in grid.members)
        for kind, parts in grid.rows:
            if kind == "cells":
                assert len(parts) == grid.ncols
            else:
                assert set(parts) <= set(grid.members)


def test_title_above_the_header_is_not_header():
    # a title in the same size a line and a half above the header names 任务 too, but stands apart
    lines = _page([
        (730, [(B + 60, "重点工作任务分解表")]),
        (700, [(A, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (682, [(A, "一、抓好疫情防控")]),
        (664, [(A + 6, "1"), (B, "加强冷链食品全链条管控。"), (C, "县卫健局"), (D, "各乡镇")]),
    ])
    [grid] = find_tables(lines, [], None)
    assert 0 not in grid.members
    assert _cells(grid, lines)[1:] == ["一、抓好疫情防控", ("1", "加强冷链食品全链条管控。", "县卫健局", "各乡镇")]


def test_full_stop_hanging_into_the_padding_keeps_the_columns_apart():
    # the 。 of a full line hangs past the cell's text edge to within 2 pt of the next column
    hang = [layout.Char(ch, B + i * SIZE, B + (i + 1) * SIZE, 664.0, SIZE, False)
            for i, ch in enumerate("推进产业园基础设施建设完善园区污水处理配套。")]
    lines = _page([
        (700, [(A, "序号"), (B + 84, "重点任务"), (C, "牵头单位"), (D, "责任单位")]),
        (680, [(A + 6, "1"), (B, "推进产业园基础设施建设完善园区污水处理"), (C, "县经开区"), (D, "县住建局")]),
        (664, [(A + 6, "2"), (C, "县审批局"), (D, "县直各部门")]),
        (648, [(A + 6, "3"), (B, "实施增收行动。"), (C, "县人社局"), (D, "县财政局")]),
    ], bold_y=(700,))
    shift = C - 2 - hang[-1].x1  # the hanging 。 ends 2 pt before 牵头单位's text
    row2 = next(ln for ln in lines if ln.text.startswith("2"))
    row2.chars[1:1] = [layout.Char(c.ch, c.x0 + shift, c.x1 + shift, c.y, c.size, c.bold) for c in hang]
    [grid] = find_tables(lines, [], None)
    assert [c[:3] for c in _cells(grid, lines)[1:]] == [
        ("1", "推进产业园基础设施建设完善园区污水处理", "县经开区"),
        ("2", "推进产业园基础设施建设完善园区污水处理配套。", "县审批局"), ("3", "实施增收行动。", "县人社局")]
