"""Property tests: on any text the parser returns a Result whose invariants hold.

Three sources of text: arbitrary Unicode, text drawn from the genre's own alphabet (numbering,
brackets, labels, separators, newlines), and the sample notices mutated line- and character-wise.
Known failures found by these properties are kept as explicit cases in test_adversarial.py.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import taskparse
from taskparse.extractors.txt import lines_of

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_LINES = {p.stem: p.read_text(encoding="utf-8").splitlines() for p in sorted(SAMPLES.glob("*.txt"))}

# a longer hunt by hand: TASKPARSE_PROPERTY_EXAMPLES=5000 pytest tests/test_properties.py
EXAMPLES = int(os.environ.get("TASKPARSE_PROPERTY_EXAMPLES", "300"))
PROPS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# the characters notices are made of: numbering, brackets, separators, labels, unit suffixes
GENRE_CHARS = "一二三四五六七八九十、（）()【】〔〕1234567890.．:：；;，,。 \u3000\t\n局委办县市区政府中心牵头领导同志月底前"
GENRE_WORDS = ["责任单位：", "牵头单位：", "配合单位：", "牵头领导：", "完成时限：", "责任单位:", "（责任单位：", "）",
               "一、", "（一）", "1.", "1、", "（1）", "①", "县发改局", "市财政局", "和", "及", "牵头", "按职责分工负责",
               "2024年底前", "长期坚持", "\n", "\r\n", " ", "。", "首位单位为牵头单位", "黑体为牵头单位", "\ue000", "\ufeff",
               "— 3 —", "抄送：", "2024年3月1日", "关于印发重点工作任务分解方案的通知"]

genre_text = st.lists(st.one_of(st.sampled_from(GENRE_WORDS), st.text(alphabet=GENRE_CHARS, max_size=6)),
                      max_size=80).map("".join)

MARKERS = ["一、", "二、", "十一、", "（一）", "（二）", "(三)", "1.", "2.", "3、", "12．", "（1）", "(2)", "3）", "①", "②", "",
           "", " ", "1 3 .", "一 、"]
UNIT_NAMES = ["县发改局", "县财政局", "市委办", "区政府", "县卫生健康局", "结核病防治所", "各乡镇（街道）", "县发改局等有关部门",
              "县发改局（牵头）", "县财政局和县审计局", "王丹县长", "李明副市长", "", " ", "、", "局", "\ue000县教育局\ue001"]
LABELS = ["责任单位：", "牵头单位：", "配合单位：", "牵头领导：", "完成时限：", "责任单位:", "牵頭單位：", "责任单位（部门）："]
CLOSERS = ["", "。", "；", "）", "）。", "，"]
BODY = st.text(alphabet="推进建设管理工作任务落实完善加强重点项目。，、（）() 1.一", max_size=30)


@st.composite
def clause(draw):
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        units = draw(st.lists(st.sampled_from(UNIT_NAMES), max_size=5))
        sep = draw(st.sampled_from(["、", "，", " ", "；", "和"]))
        parts.append(draw(st.sampled_from(LABELS)) + sep.join(units))
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(UNIT_NAMES)) + "牵头，" + "、".join(draw(st.lists(st.sampled_from(UNIT_NAMES),
                                                                                          max_size=3))) + "按职责分工负责")
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["2024年底前", "长期坚持", "6月底前完成", "第三季度"])))
    body = draw(st.sampled_from(["；", "，", ";", " "])).join(parts)
    return draw(st.sampled_from(["（{}）", "({})", "【{}】", "{}", "\n{}", "（{}", "{}）"])).format(body)


@st.composite
def notice_line(draw):
    line = draw(st.sampled_from(MARKERS)) + draw(BODY)
    if draw(st.booleans()):
        line += draw(clause())
    if draw(st.integers(0, 9)) == 0:
        line += draw(st.text(alphabet=GENRE_CHARS, max_size=8))
    return line + draw(st.sampled_from(CLOSERS))


structured_text = st.lists(st.one_of(notice_line(), st.sampled_from(GENRE_WORDS)), max_size=40).map(
    lambda xs: "\n".join(xs))


def output_strings(obj):
    """Every string inside a dumped model (keys included)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from output_strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from output_strings(v)


def check_invariants(text: str) -> taskparse.Result:
    result = taskparse.parse_text(text)
    n_lines = len(lines_of(text))
    tasks = result.tasks
    ids = [t.id for t in tasks]
    assert len(ids) == len(set(ids)), f"duplicate task ids: {ids}"
    assert [t.seq for t in tasks] == list(range(1, len(tasks) + 1))
    for t in tasks:
        assert t.text.strip(), f"task {t.id} has empty text"
        for name in t.leaders + t.lead_units + t.units:
            assert name.strip(), f"task {t.id} has an empty unit or leader: {t}"
        assert not set(t.lead_units) & set(t.units), f"task {t.id}: lead_units and units overlap"
        assert len(set(t.lead_units)) == len(t.lead_units), f"task {t.id}: duplicate lead unit"
        assert len(set(t.units)) == len(t.units), f"task {t.id}: duplicate unit"
    for loc in [t.location for t in tasks] + [w.location for w in result.warnings]:
        if loc.line is not None:
            assert 1 <= loc.line <= n_lines, f"location line {loc.line} outside 1..{n_lines}"
    for s in output_strings(result.model_dump()):
        bad = [c for c in s if "\ue000" <= c <= "\uf8ff"]
        assert not bad, f"private-use character {bad[0]!r} in output string {s[:60]!r}"
    return result


@PROPS
@given(st.text(max_size=400))
def test_arbitrary_unicode(text):
    check_invariants(text)


@PROPS
@given(genre_text)
@example("1.（责任单位：县发改局）")
@example("|||\n|||")
@example("1.任务\ue002（责任单位：A局）")
@example("一、\n（一）\n1.任务（牵头单位：县发改局；责任单位：县发改局、县发改局）")
@example("1.任务\n责任单位：\ue000县发改局\ue001、县财政局")
def test_genre_text(text):
    check_invariants(text)


@PROPS
@given(structured_text)
def test_structured_notices(text):
    check_invariants(text)


@st.composite
def mutated_seed(draw):
    """A window of a sample notice with lines and characters deleted, duplicated or inserted."""
    stem = draw(st.sampled_from(sorted(SEED_LINES)))
    lines = SEED_LINES[stem]
    start = draw(st.integers(0, max(0, len(lines) - 1)))
    size = draw(st.integers(1, 120))
    window = list(lines[start:start + size])
    for _ in range(draw(st.integers(0, 12))):
        op = draw(st.sampled_from(["del_line", "dup_line", "ins_line", "del_chars", "dup_chars", "ins_chars",
                                   "join_lines"]))
        if not window:
            window = [""]
        i = draw(st.integers(0, len(window) - 1))
        line = window[i]
        a = draw(st.integers(0, len(line)))
        b = draw(st.integers(a, min(len(line), a + 30)))
        if op == "del_line":
            del window[i]
        elif op == "dup_line":
            window.insert(i, line)
        elif op == "ins_line":
            window.insert(i, draw(st.one_of(genre_text, st.sampled_from(lines))))
        elif op == "del_chars":
            window[i] = line[:a] + line[b:]
        elif op == "dup_chars":
            window[i] = line[:b] + line[a:b] + line[b:]
        elif op == "ins_chars":
            window[i] = line[:a] + draw(st.one_of(genre_text, st.text(max_size=5))) + line[a:]
        elif op == "join_lines" and i + 1 < len(window):
            window[i:i + 2] = [line + draw(st.sampled_from(["", " ", "\u3000"])) + window[i + 1]]
    return "\n".join(window)


@PROPS
@given(mutated_seed())
def test_mutated_seeds(text):
    check_invariants(text)


@pytest.mark.parametrize("stem", sorted(SEED_LINES))
def test_whole_sample_holds_invariants(stem):
    """The unmutated samples are the baseline the mutations start from."""
    result = check_invariants("\n".join(SEED_LINES[stem]))
    assert len(result.tasks) >= 20
