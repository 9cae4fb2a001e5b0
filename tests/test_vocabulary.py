"""One word, one role: every clause label of the vocabulary gives the same field whether it is written
as a clause label, as a table column header (Word/HTML/PDF tables reach the parser as Table blocks),
or as a column of a table pasted as text."""
from __future__ import annotations

import pytest

import taskparse
from taskparse.document import Cell, Document, Line, Table
from taskparse.parser import patterns as P
from taskparse.parser import vocabulary as V
from taskparse.parser.tables import role_of_header

FIELD = {"leaders": "leaders", "lead": "lead_units", "units": "units", "deadline": "deadline"}
VALUE = {"leaders": "王某", "lead": "县财政局", "units": "县财政局", "deadline": "2024年6月底前"}
LABELS = [(role, label) for role, labels in V.LABELS.items() if role in FIELD for label in labels]
LABEL_IDS = [label for _, label in LABELS]


def _field(task, role):
    value = getattr(task, FIELD[role])
    return value if role == "deadline" else value[0] if value else None


@pytest.mark.parametrize("role, label", LABELS, ids=LABEL_IDS)
def test_clause_label(role, label):
    text = f"一、任务\n1.做好工作。（{label}：{VALUE[role]}）\n2.推进改革。（责任单位：县审计局）"
    task = taskparse.parse_text(text).tasks[0]
    assert _field(task, role) == VALUE[role]


@pytest.mark.parametrize("role, label", LABELS, ids=LABEL_IDS)
def test_table_header(role, label):
    assert role_of_header(label) == role
    header = (Cell("序号"), Cell("重点任务"), Cell(label))
    rows = (header, (Cell("1"), Cell("做好工作。"), Cell(VALUE[role])), (Cell("2"), Cell("推进改革。"), Cell(VALUE[role])))
    doc = Document(blocks=[Line("任务分解表", 1), Table(rows, line=2)], format="docx")
    if role == "deadline":  # a table needs a column saying who does the work to be a task table
        rows = tuple(r + (Cell("责任单位" if i == 0 else "县审计局"),) for i, r in enumerate(rows))
        doc = Document(blocks=[Line("任务分解表", 1), Table(rows, line=2)], format="docx")
    task = taskparse.parse_document(doc).tasks[0]
    assert _field(task, role) == VALUE[role]


@pytest.mark.parametrize("role, label", [(r, lb) for r, lb in LABELS if r != "deadline"],
                         ids=[lb for r, lb in LABELS if r != "deadline"])
def test_pasted_table_column(role, label):
    text = "\n".join(["序号", "重点工作任务", label, "1", "做好工作。", VALUE[role], "2", "推进改革。", VALUE[role]])
    task = taskparse.parse_text(text).tasks[0]
    assert _field(task, role) == VALUE[role]


def test_traditional_forms_mean_the_same():
    assert P.label_role("牽頭單位") == "lead"
    assert P.label_role("責任單位") == "units"
    assert role_of_header("牽頭單位") == "lead"
    assert role_of_header("協同責任單位") == "units"


def test_no_label_has_two_roles():
    seen: dict[str, str] = {}
    for role, labels in V.LABELS.items():
        for label in labels:
            assert seen.setdefault(label, role) == role, label


def test_duty_sentence_label():
    t = taskparse.parse_text("一、任务\n1.做好工作。\n部门分工：省发展改革委牵头，各地、各部门配合。").tasks[0]
    assert (t.lead_units, t.units) == (["省发展改革委"], ["各地", "各部门"])
    assert role_of_header("部门分工") == "duty"


def test_the_quick_test_before_lead_notes_covers_every_lead_note():
    """The tree builder looks for lead notes only where LEAD_NOTE_VERB matches: each of the three note
    patterns must require 为/是/系 then 牵头/主… (a note pattern that can match without it would be skipped)."""
    import regex

    from taskparse.parser import patterns as P

    verb = regex.compile(r"\(\?:为\|是(?:\|系)?\)\(\?:牵头\|主[^)]*\)(?:\(\?:单位\|部门\)\?)?$")
    for pattern in (P.FIRST_IS_LEAD, P.STAR_IS_LEAD, P.BOLD_IS_LEAD):
        # the verb group closes the pattern and is not optional, and the pattern has no top-level alternative
        # that could match without it
        assert verb.search(pattern.pattern), pattern.pattern
        depth, top = 0, []
        for ch in pattern.pattern:
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                top.append(ch)
        assert "|" not in "".join(top), pattern.pattern
    for note in ("排在第一位的部门为牵头部门，下同", "列第一位者为牵头单位", "首位单位系牵头单位", "带*号的为牵头单位",
                 "标★的单位为主办单位", "黑体字标注的为牵头单位", "加粗的单位是主责单位", "排名第一的为主要责任单位"):
        found = [p for p in (P.FIRST_IS_LEAD, P.STAR_IS_LEAD, P.BOLD_IS_LEAD) if p.search(note)]
        assert found, note
        assert P.LEAD_NOTE_VERB.search(note), note
