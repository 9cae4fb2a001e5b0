"""Spans are exact: for every task of every sample, the spans cut from the extracted text give
back the task's number, text and clause (as defined in taskparse.spans), start in the block the
task's location names, and every leader/unit/deadline is found where its name is printed."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
import regex

import taskparse
from conftest import SAMPLES
from taskparse import spans as S
from taskparse.extractors import extract
from taskparse.parser import parse

INDEX = json.loads((SAMPLES / "expected" / "index.json").read_text(encoding="utf-8"))
TASK_FILES = sorted(name for name, want in INDEX.items() if isinstance(want, str))
MARKER_PUNCT = "（(〔【[［）)〕】]］、.．﹒。:：|｜*＊"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"


def _number_ok(cut: str, number: str) -> bool:
    """The number as printed, without its brackets and stop, is the task's number."""
    bare = S.squeeze(cut).strip(MARKER_PUNCT)
    bare = bare[:-1] if bare.endswith("是") else bare  # run-in items: 一是 …
    for table in (CIRCLED, FULLSTOP):
        if len(bare) == 1 and bare in table:
            return str(table.index(bare) + 1) == number
    return unicodedata.normalize("NFKC", bare) == S.squeeze(number)


def _block_of(ex: S.Extracted, offset: int) -> tuple[int | None, int | None]:
    """(line, page) of the block holding ``offset`` (a table row's own page)."""
    for b in ex.blocks:
        if b.start <= offset <= b.end:
            page = b.page
            for r, cells in enumerate(b.cells):
                if cells[0].start <= offset:
                    page = b.row_pages[r]
            return b.line, page
    return None, None


def _check(doc, exact_location: bool = True) -> None:
    plain = parse(doc)
    ex, result = S.annotate(doc, plain)
    assert len(result.tasks) == len(plain.tasks) > 0
    prev = -1
    for task in result.tasks:
        sp = task.spans
        where = f"task {task.id}"
        assert sp.text, f"{where}: text not found"
        start = (sp.number or sp.text)[0][0]
        assert S.rebuilds(ex.text, sp.text, task.text), f"{where}: {[ex.text[a:b] for a, b in sp.text]}"
        assert S.rebuilds(ex.text, sp.clause, task.clause, labels=True), \
            f"{where}: {task.clause!r} vs {[ex.text[a:b] for a, b in sp.clause]}"
        if task.number:
            assert sp.number and _number_ok(ex.text[sp.number[0][0]:sp.number[0][1]], task.number), where
        line, page = _block_of(ex, start)
        if exact_location:
            assert (line, page) == (task.location.line, task.location.page), where
        else:  # a table pasted as text has its rows' location at the table's first line
            assert page == task.location.page and line >= task.location.line, where
        assert start > prev, f"{where}: starts before the task before it"
        prev = start
        names = [r.name for r in sp.roles]
        assert names == task.leaders + task.lead_units + task.units + ([task.deadline] if task.deadline else [])
        for r in sp.roles:
            assert r.span is not None, f"{where}: {r.role} {r.name} not found"
            assert S.squeeze(ex.text[r.span[0]:r.span[1]]) == S.squeeze(r.name), where


@pytest.mark.parametrize("name", TASK_FILES)
def test_spans_exact_on_every_sample(name):
    _check(extract(SAMPLES / name))


CORPUS = Path(__file__).resolve().parent / "corpus"
CORPUS_FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*") if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_spans_exact_on_the_corpus(name):
    doc = extract(CORPUS / name)
    if not parse(doc).tasks:
        pytest.skip("a notice without tasks (the right answer for it)")
    _check(doc, exact_location=False)


def test_spans_exact_on_the_seeds_as_gbk_with_crlf(tmp_path):
    for stem in ("001_c7910ee8fea0e822", "003_605f38698d05405f"):
        path = tmp_path / f"{stem}.txt"
        path.write_bytes((SAMPLES / f"{stem}.txt").read_text(encoding="utf-8").replace("\n", "\r\n").encode("gb18030"))
        _check(extract(path))


def test_spans_exact_when_clauses_sit_on_their_own_lines(tmp_path):
    text = (SAMPLES / "000_2795aed58e8eed1f.txt").read_text(encoding="utf-8")
    text = regex.sub(r"\(责任单位:([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)\s*$", r"\n责任单位：\1", text, flags=regex.M)
    path = tmp_path / "moved.txt"
    path.write_text(text, encoding="utf-8")
    _check(extract(path))


def test_spans_exact_on_a_table_pasted_as_text_one_cell_per_line(tmp_path):
    text = ("重点工作任务分解表\n序号 |\n目标与任务 |\n分管县领导 |\n牵头责任单位 |\n责任单位 |\n"
            "1 |\n新增托位数400个，推进普惠托育服务扩容。\n俞 悦 |\n县教育局 |\n县各有关单位 |\n"
            "2 |\n支持职业学院秋季开学，扩大招生规模。\n陆明、俞悦 |\n县教育局 |\n县人社局、县财政局 |\n")
    path = tmp_path / "cells.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract(path)
    tasks = parse(doc).tasks
    assert [t.number for t in tasks] == ["1", "2"] and tasks[1].clause.startswith("牵头领导：")
    ex, result = S.annotate(doc, parse(doc))
    t2 = result.tasks[1]
    assert S.rebuilds(ex.text, t2.spans.clause, t2.clause, labels=True)
    assert not S.rebuilds(ex.text, t2.spans.clause, t2.clause)  # the labels are the parser's, not the text's
    assert [ex.text[a:b] for a, b in t2.spans.clause] == ["陆明、俞悦", "县教育局", "县人社局、县财政局"]
    assert {r.name: ex.text[r.span[0]:r.span[1]] for r in t2.spans.roles} == {
        "陆明": "陆明", "俞悦": "俞悦", "县教育局": "县教育局", "县人社局": "县人社局", "县财政局": "县财政局"}


def test_rebuild_definition_by_hand():
    text = "1.修建道路\n— 3 —\n和桥梁。（责任单位：甲局 乙局）"
    # the number, the text across a page-number line, the clause with a 、 the parser put between units
    assert S.rebuilds(text, [(0, 2)], "1.")
    assert S.rebuilds(text, [(2, 6), (13, 17)], "修建道路和桥梁。")
    assert not S.rebuilds(text, [(2, 6), (13, 17)], "修建道路、桥梁。")  # glue replaces nothing
    assert not S.rebuilds(text, [(2, 17)], "修建道路和桥梁。")  # the page number is not task text
    assert S.rebuilds(text, [(18, 25), (26, 28)], "责任单位：甲局、乙局")
    assert not S.rebuilds(text, [(18, 25), (26, 28)], "责任单位：甲局牵头单位：乙局")  # labels: table rows only
    assert not S.rebuilds(text, [(18, 25), (26, 28)], "责任单位：甲局、丙局")
    assert not S.rebuilds(text, [(18, 28)], "责任单位：甲局、乙局")  # a joint only between two spans
    # table rows: the labels the parser writes are allowed only with labels=True
    cells = "3\t修路\t王五\t\t甲局"
    assert S.rebuilds(cells, [(5, 7), (9, 11)], "牵头领导：王五；责任单位：甲局", labels=True)
    assert not S.rebuilds(cells, [(5, 7), (9, 11)], "牵头领导：王五；责任单位：甲局")


def test_spans_on_a_hand_made_notice():
    text = ("关于印发重点工作分工的通知\n"
            "一、抓好项目建设（牵头领导：张三副县长）\n"
            "1．加快道路建设。（责任单位：县交通局、县财政局）\n"
            "2．推进桥梁维修。\n"
            "责任单位：县住建局；完成时限：2021年6月底\n")
    doc = taskparse.document.Document(blocks=[taskparse.document.Line(t, i + 1)
                                              for i, t in enumerate(text.splitlines())], format="txt")
    ex, result = S.annotate(doc, parse(doc))
    assert ex.text == text.rstrip("\n")
    t1, t2 = result.tasks
    cut = lambda span: ex.text[span[0]:span[1]]  # noqa: E731
    assert [cut(s) for s in t1.spans.number] == ["1．"]
    assert [cut(s) for s in t1.spans.text] == ["加快道路建设。"]
    assert [cut(s) for s in t1.spans.clause] == ["责任单位：县交通局、县财政局"]
    roles = {(r.role, r.name): r for r in t1.spans.roles}
    leader = roles[("leader", "张三")]
    assert leader.inherited and ex.text.index("张三") == leader.span[0]  # from the heading
    unit = roles[("unit", "县财政局")]
    assert not unit.inherited and cut(unit.span) == "县财政局" and unit.span[0] > t1.spans.clause[0][0]
    # the parser reads the line as two clauses and joins them with its own ；
    assert t2.clause == "责任单位：县住建局；；完成时限：2021年6月底"
    assert [cut(s) for s in t2.spans.clause] == ["责任单位：县住建局；", "完成时限：2021年6月底"]
    deadline = next(r for r in t2.spans.roles if r.role == "deadline")
    assert cut(deadline.span) == "2021年6月底" and not deadline.inherited


def test_json_unchanged_without_spans():
    result = taskparse.parse_file(SAMPLES / "002_ce67ead115768d45.txt")
    assert "spans" not in result.model_dump(mode="json")["tasks"][0]
    doc = extract(SAMPLES / "002_ce67ead115768d45.txt")
    _, with_spans = S.annotate(doc, taskparse.parse_document(doc))
    dumped = with_spans.model_dump(mode="json")["tasks"][0]
    assert set(dumped["spans"]) == {"number", "text", "clause", "roles"}
    assert {k: v for k, v in dumped.items() if k != "spans"} == result.model_dump(mode="json")["tasks"][0]
