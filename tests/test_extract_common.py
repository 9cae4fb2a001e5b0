"""The pieces the Word-like readers share: the run buffer (text with a bold flag per character)
and the grid merged table cells are laid out on — alone, and through the readers that use them
(one merged table written as .docx, .html and .rtf comes out as one grid)."""
from __future__ import annotations

import io

import docx
import pytest

from taskparse.document import Cell, Table
from taskparse.extractors import extract_bytes
from taskparse.extractors._common import Grid, merged_copy
from taskparse.extractors._runs import RunBuffer, joined


# ---------------------------------------------------------------- RunBuffer

def _buffer(*runs: tuple[str, bool]) -> RunBuffer:
    buf = RunBuffer()
    for text, bold in runs:
        buf.add(text, bold)
    return buf


def test_runs_give_the_text_and_the_bold_spans_of_a_line():
    buf = _buffer(("责任单位：", False), ("县发改局", True), ("、县财政局", False))
    line = buf.line(7, page=2)
    assert line.text == "责任单位：县发改局、县财政局"
    assert (line.line, line.page) == (7, 2)
    assert line.bold is False and line.bold_spans == ((5, 9),)  # 县发改局
    assert line.text[5:9] == "县发改局"


def test_a_wholly_bold_line_and_cell():
    buf = _buffer(("一、", True), ("稳定经济增长", True))
    assert buf.line(1).bold is True and buf.line(1).bold_spans == ((0, 8),)
    cell = buf.cell()
    assert cell.bold is True and cell.bold_spans == ()  # a wholly bold cell carries no spans


def test_spaces_do_not_break_a_bold_span_nor_count_for_the_whole():
    buf = _buffer(("县发改局", True), ("  ", False), ("县财政局", True), (" ", False))
    spans, whole = buf.spans()
    assert whole is True and spans == ((0, 10),)


def test_prepend_a_list_number_and_strip_trailing_spaces():
    buf = _buffer(("抓好", True), ("落实  ", False))
    buf.prepend("1. ", False)
    buf.rstrip(" ")
    assert buf.text() == "1. 抓好落实"
    assert buf.flags == [False, False, False, True, True, False, False]
    assert buf.line(None).bold_spans == ((3, 5),)
    buf.rstrip(" ")  # nothing more to strip
    assert buf.text() == "1. 抓好落实" and len(buf) == 7


def test_rstrip_across_runs_and_endswith():
    buf = _buffer(("甲", False), ("  ", True), (" ", False))
    assert buf.endswith(" ")
    buf.rstrip(" ")
    assert buf.text() == "甲" and buf.flags == [False] and not buf.endswith(" ")
    buf.clear()
    assert buf.text() == "" and len(buf) == 0 and not buf.endswith(" ")


def test_add_spans_takes_back_a_finished_line():
    line = _buffer(("牵头：", False), ("县水务局", True)).line(1)
    buf = RunBuffer()
    buf.add_spans(line.text, line.bold, line.bold_spans)
    buf.add("\t", False)
    buf.add_spans("区财政局", True, ())
    assert buf.text() == "牵头：县水务局\t区财政局"
    assert buf.spans() == (((3, 12),), False)  # the tab between two bold names stays inside the span
    assert buf.text()[3:12] == "县水务局\t区财政局"


def test_joined_paragraphs_of_a_cell():
    cell = joined([_buffer(("县发改局", True)), _buffer(("配合：县财政局", False))]).cell()
    assert cell.text == "县发改局\n配合：县财政局"
    assert cell.bold is False and cell.bold_spans == ((0, 4),)
    assert joined([]).cell() == Cell("", bold=False)


# ---------------------------------------------------------------- Grid

def test_grid_repeats_a_spanning_cell_as_one_merged_copy():
    grid = Grid()
    grid.row()
    task = Cell("重点任务", bold=True)
    assert grid.put(Cell("序号"), 0) == 1
    assert grid.put(task, 1, colspan=2) == 3
    grid.put(Cell("责任单位"), 3, rowspan=2)
    grid.row()
    assert grid.free(0) == 0 and grid.put(Cell("1"), 0) == 1
    assert grid.above(1) is task and grid.above(2) == merged_copy(task)
    assert grid.free(3) == 4  # taken by the cell from the row above
    rows = grid.cells()
    assert [[(c.text, c.merged) for c in r] for r in rows] == [
        [("序号", False), ("重点任务", False), ("重点任务", True), ("责任单位", False)],
        [("1", False), ("", False), ("", False), ("责任单位", True)]]
    assert rows[0][2].bold is True  # the copy keeps the look of the cell


def test_grid_positions_nothing_covers_are_empty_and_rows_padded():
    grid = Grid()
    grid.row()
    grid.pad(2)  # two grid columns before the first cell (w:gridBefore)
    assert grid.end() == 2 and grid.at(1) is None and grid.at(-1) is None
    grid.put(Cell("甲"), 2)
    grid.row()
    grid.put(Cell("乙"), 0)
    assert grid.width() == 3 and grid.above(2) == Cell("甲") and grid.above(5) is None
    assert [[c.text for c in r] for r in grid.cells()] == [["", "", "甲"], ["乙", "", ""]]
    assert Grid().cells() == [] and Grid().width() == 0


# ---------------------------------------------------------------- one table, three formats

# 序号 | 重点任务 (two columns)      | 责任单位
# 1    | 甲 | 子                     | 区 + bold 财政局 (two rows)
# 2    | 乙 | 丑                     |
WANT = [[("序号", False), ("重点任务", False), ("重点任务", True), ("责任单位", False)],
        [("1", False), ("甲", False), ("子", False), ("区财政局", False)],
        [("2", False), ("乙", False), ("丑", False), ("区财政局", True)]]


def _docx() -> bytes:
    d = docx.Document()
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 1).merge(t.cell(0, 2)).text = "重点任务"
    for r, c, text in [(0, 0, "序号"), (0, 3, "责任单位"), (1, 0, "1"), (1, 1, "甲"), (1, 2, "子"), (2, 0, "2"),
                       (2, 1, "乙"), (2, 2, "丑")]:
        t.cell(r, c).text = text
    p = t.cell(1, 3).merge(t.cell(2, 3)).paragraphs[0]
    p.add_run("区")
    p.add_run("财政局").bold = True
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _html() -> bytes:
    return ("<html><body><table>"
            "<tr><td>序号</td><td colspan='2'>重点任务</td><td>责任单位</td></tr>"
            "<tr><td>1</td><td>甲</td><td>子</td><td rowspan='2'>区<b>财政局</b></td></tr>"
            "<tr><td>2</td><td>乙</td><td>丑</td></tr>"
            "</table></body></html>").encode()


def _rtf() -> bytes:
    def u(s: str) -> str:
        return "".join(f"\\u{ord(c)}?" for c in s)

    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}"
            "\\trowd\\cellx1000\\clmgf\\cellx3000\\clmrg\\cellx5000\\cellx7000"
            f"\\pard\\intbl {u('序号')}\\cell {u('重点任务')}\\cell\\cell {u('责任单位')}\\cell\\row"
            "\\trowd\\cellx1000\\cellx3000\\cellx5000\\clvmgf\\cellx7000"
            f"\\pard\\intbl 1\\cell {u('甲')}\\cell {u('子')}\\cell {u('区')}{{\\b {u('财政局')}}}\\cell\\row"
            "\\trowd\\cellx1000\\cellx3000\\cellx5000\\clvmrg\\cellx7000"
            f"\\pard\\intbl 2\\cell {u('乙')}\\cell {u('丑')}\\cell\\cell\\row"
            "\\pard}").encode("ascii")


@pytest.mark.parametrize("name, make", [("docx", _docx), ("html", _html), ("rtf", _rtf)])
def test_one_merged_table_gives_one_grid_in_every_format(name, make):
    tables = [b for b in extract_bytes(make(), f"merged.{name}").blocks if isinstance(b, Table)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert [[(c.text, c.merged) for c in r] for r in rows] == WANT
    for r in (1, 2):  # the merged 责任单位 cell keeps its partly bold text in both rows
        assert rows[r][3].bold is False and rows[r][3].bold_spans == ((1, 4),)
