"""Adversarial text at small size (about 20 KB): parsed without error, with sensible results.

The same shapes at 1 MB are timed by bench/bench_adversarial.py (no timing here).  Cases found by
the property tests (test_properties.py) are kept at the end, one test each, named after the bug.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import taskparse
from test_properties import check_invariants

SIZE = 20 * 1024  # bytes of UTF-8
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]


def repeat_to(unit: str, nbytes: int = SIZE) -> str:
    return unit * max(1, nbytes // len(unit.encode("utf-8")))


# shapes with no item a notice could mean: nothing to report, and no error
NO_TASKS = {
    "open_paren": repeat_to("（"),
    "close_paren": repeat_to("）"),
    "dunhao": repeat_to("、"),
    "dotted_1.1.1": repeat_to("1."),
    "label_repeat": repeat_to("责任单位："),
    "label_repeat_lines": repeat_to("责任单位：\n"),
    "cn_l1_run": repeat_to("一、"),
    "cn_l2_run": repeat_to("（一）"),
    "circled_run": repeat_to("①"),
    "markers_per_line": repeat_to("一、\n（一）\n1.\n（1）\n①\n"),
    "spaces_only": repeat_to(" \u3000\t\n"),
    "newlines_only": repeat_to("\n\r\n\r"),
    "bold_marks": repeat_to("\ue000\ue001"),
    "page_numbers": repeat_to("— 3 —\n"),
}


@pytest.mark.parametrize("name", sorted(NO_TASKS))
def test_shapes_without_items_give_no_task(name):
    result = check_invariants(NO_TASKS[name])
    assert result.tasks == []


def test_numbered_items_each_with_a_clause():
    text = "\n".join(f"{i}.任务（责任单位：A局、B局）" for i in range(1, 101))
    result = check_invariants(text)
    assert [t.id for t in result.tasks] == [str(i) for i in range(1, 101)]
    assert {t.text for t in result.tasks} == {"任务"}
    assert all(t.units == ["A局", "B局"] and t.lead_units == [] for t in result.tasks)


def test_one_line_page_of_items_separated_by_spaces():
    """A scraped page whose line breaks became spaces: every item is still found."""
    text = " ".join(f"{i}.加强重点项目建设管理（牵头单位：县发改局；责任单位：县财政局）" for i in range(1, 301))
    result = check_invariants(text)
    assert [t.number for t in result.tasks] == [str(i) for i in range(1, 301)]
    assert all(t.lead_units == ["县发改局"] and t.units == ["县财政局"] for t in result.tasks)


def test_deeply_nested_label_brackets_on_one_line():
    k = SIZE // len("（责任单位：甲局、".encode("utf-8"))
    result = check_invariants("1.任务" + "（责任单位：甲局、" * k + "）" * k)
    assert len(result.tasks) == 1
    assert result.tasks[0].text == "任务"
    assert result.tasks[0].units == ["甲局"]


def test_deeply_nested_label_brackets_over_lines():
    k = SIZE // len("（责任单位：甲局、\n）\n".encode("utf-8"))
    result = check_invariants("1.任务\n" + "（责任单位：甲局、\n" * k + "）\n" * k)
    assert len(result.tasks) == 1
    assert result.tasks[0].units == ["甲局"]


def test_long_unit_list_in_one_clause():
    result = check_invariants("1.任务\n责任单位：" + "、".join(f"第{i}局" for i in range(1, 2001)))
    assert len(result.tasks) == 1
    assert result.tasks[0].units == [f"第{i}局" for i in range(1, 2001)]


def test_unclosed_clause_brackets():
    result = check_invariants("\n".join(f"{i}.任务（责任单位：A局、B局" for i in range(1, 501)))
    assert result.tasks  # the items are kept (their clauses are broken, so roles may be partial)


def test_state_council_clauses():
    text = "\n".join(f"{i}.推进改革。（县发改局牵头，县财政局、县人社局按职责分工负责）" for i in range(1, 201))
    result = check_invariants(text)
    assert len(result.tasks) == 200
    assert all(t.lead_units == ["县发改局"] and t.units == ["县财政局", "县人社局"] for t in result.tasks)


def test_one_line_of_notice_text():
    """The samples with their line breaks removed: one long line of ordinary text."""
    text = "".join(t.replace("\r", "").replace("\n", "") for t in SEED_TEXTS)
    check_invariants(text[: SIZE // 3])


def test_random_cjk_with_spaces():
    import random

    rng = random.Random(6)
    alphabet = "的工作任务推进建设管理服务局委办一二三、（）()1.责任单位：牵头，。 \n"
    check_invariants("".join(rng.choice(alphabet) for _ in range(SIZE // 3)))


def test_samples_repeated_give_every_task_twice():
    """Notices one after another: the second copy repeats every task, under distinct ids."""
    text = "\n".join(SEED_TEXTS)
    once = check_invariants(text)
    twice = check_invariants(text + "\n" + text)
    assert len(twice.tasks) == 2 * len(once.tasks)


def test_line_longer_than_the_line_limit():
    """A line over MAX_LINE_CHARS is cut into pieces; items on both sides of the cut survive."""
    from taskparse.limits import MAX_LINE_CHARS

    item = "1.任务（责任单位：A局）"
    text = "一、重点工作\n" + "甲" * (MAX_LINE_CHARS + 10) + "\n" + item
    result = check_invariants(text)
    assert [t.units for t in result.tasks] == [["A局"]]


# --- cases found by the property tests -----------------------------------------------------------

def test_text_table_made_only_of_bars():
    """'|||' lines pass as table rows but give no cells once rule lines are dropped:
    max() of an empty list raised ValueError in parser/tables.py text_tables."""
    check_invariants("|||\n|||")


def test_item_whose_text_is_only_its_clause_has_text_or_is_dropped():
    """'1.（责任单位：县发改局）' gave a task with text '' (warned as empty_text); a task needs text."""
    result = taskparse.parse_text("1.（责任单位：县发改局）")
    assert all(t.text.strip() for t in result.tasks)


@pytest.mark.parametrize("text", ["1.任务\ue002（责任单位：A局）", "1.任务（责任单位：\ue002A局）", "1.任务\ue123（责任单位：A局）"],
                         ids=["keep_space_mark_in_text", "keep_space_mark_in_unit", "other_private_use"])
def test_private_use_characters_do_not_reach_the_output(text):
    """U+E000-U+F8FF in the input passed through into task text and units (U+E002 is the
    parser's own kept-space placeholder, which clean() only replaces when the line has spaces)."""
    result = check_invariants(text)
    assert [t.units for t in result.tasks] == [["A局"]]


# a standing note written inside a clause after a comma wiped the whole unit list (and with no
# clause left, the item stopped being a task); "X局为牵头单位" was taken for a note too
@pytest.mark.parametrize("text, lead, units", [
    ("1.任务（责任单位：A局、B局，排名第一的为牵头单位）", ["A局"], ["B局"]),
    ("1.任务（责任单位：县发改局、县财政局，下同）", [], ["县发改局", "县财政局"]),
    ("1.任务（责任单位：县发改局为牵头单位、县财政局）", ["县发改局"], ["县财政局"]),
], ids=["first_is_lead_note_after_comma", "xia_tong_after_comma", "unit_marked_as_lead"])
def test_note_inside_a_clause_keeps_the_units(text, lead, units):
    result = check_invariants(text)
    assert [(t.lead_units, t.units) for t in result.tasks] == [(lead, units)]
