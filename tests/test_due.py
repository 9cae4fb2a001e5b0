"""Due dates (due.py): deadline phrases resolved against the notice year, each date worked out by hand."""
from __future__ import annotations

import json

import pytest

from conftest import EXPECTED, ROOT
from taskparse.due import Due, due_of, notice_year, resolve, text_deadline

CORPUS = ROOT / "tests" / "corpus"  # copies of ../shared/corpus; EXPECTED holds ../shared/seeds/expected

# (phrase, notice year, date, kind, every)
PHRASES = [
    ("2022年10月底前", 2021, "2022-10-31", "by", None),  # the phrase's own year wins
    ("6月底", 2020, "2020-06-30", "by", None),
    ("6月底前", 2021, "2021-06-30", "by", None),
    ("6月底前完成", 2021, "2021-06-30", "by", None),
    ("2021年12月31日", None, "2021-12-31", "by", None),
    ("2021年12月31日前", 2020, "2021-12-31", "by", None),
    ("12月31日前", 2024, "2024-12-31", "by", None),
    ("年底前", 2022, "2022-12-31", "by", None),
    ("年底前完成", 2022, "2022-12-31", "by", None),
    ("年内", 2021, "2021-12-31", "by", None),
    ("年内完成", 2021, "2021-12-31", "by", None),
    ("全年", 2023, "2023-12-31", "by", None),
    ("2022年", 2021, "2022-12-31", "by", None),
    ("2021年度", None, "2021-12-31", "by", None),
    ("2023年底", None, "2023-12-31", "by", None),
    ("上半年", 2021, "2021-06-30", "by", None),
    ("下半年", 2021, "2021-12-31", "by", None),
    ("年中", 2021, "2021-06-30", "by", None),
    ("第一季度", 2024, "2024-03-31", "by", None),
    ("一季度", 2024, "2024-03-31", "by", None),
    ("二季度末", 2024, "2024-06-30", "by", None),
    ("第三季度", 2021, "2021-09-30", "by", None),
    ("4季度", 2021, "2021-12-31", "by", None),
    ("2月底前", 2024, "2024-02-29", "by", None),  # leap year
    ("2月底前", 2021, "2021-02-28", "by", None),
    ("5月份", 2021, "2021-05-31", "by", None),
    ("9月", 2021, "2021-09-30", "by", None),
    ("6月中旬", 2021, "2021-06-20", "by", None),
    ("6月上旬", 2021, "2021-06-10", "by", None),
    ("6月下旬", 2021, "2021-06-30", "by", None),
    ("6月前", 2021, "2021-05-31", "by", None),  # before June begins
    ("十月底前", 2021, "2021-10-31", "by", None),
    ("二〇二二年十月底前", None, "2022-10-31", "by", None),
    ("十二月三十一日前", 2021, "2021-12-31", "by", None),
    ("2021年6月底前启动，12月底前完成", None, "2021-12-31", "by", None),  # the latest named time
    ("2019年1月1日至12月31日", None, "2019-12-31", "by", None),
    ("2021-2023年", None, "2023-12-31", "by", None),
    ("“十四五”期间", 2021, "2025-12-31", "by", None),
    ("２０２２年６月底前", None, "2022-06-30", "by", None),  # full-width digits
    ("2021.6.30", None, "2021-06-30", "by", None),  # digits only, as table cells write it
    ("2021-06-30前", None, "2021-06-30", "by", None),
    ("2021/9", None, "2021-09-30", "by", None),
    ("明年6月底前", 2021, "2022-06-30", "by", None),
    ("今年底", 2021, "2021-12-31", "by", None),
    ("长期坚持", 2021, None, "ongoing", None),
    ("持续推进", 2021, None, "ongoing", None),
    ("常态化", 2021, None, "ongoing", None),
    ("常态化推进", 2021, None, "ongoing", None),
    ("按序时推进", 2021, None, "ongoing", None),
    ("2019年1月1日起", None, None, "ongoing", None),
    ("每季度", 2021, None, "recurring", "quarter"),
    ("每季度末", 2021, None, "recurring", "quarter"),
    ("每月", 2021, None, "recurring", "month"),
    ("每月25日前", 2021, None, "recurring", "month"),
    ("每年", 2021, None, "recurring", "year"),
    ("每半年", 2021, None, "recurring", "half-year"),
    ("每年6月底前", 2021, "2021-06-30", "recurring", "year"),  # the first one
    ("春节前", 2021, None, "unknown", None),
    # a holiday after a year is dated (春节 2025 fell on 29 January); before, the year alone gave its 31 December
    ("2025年春节前", 2024, "2025-01-28", "by", None),
    ("2024年春节前完成", 2024, "2024-02-09", "by", None),
    ("2025年元旦前", 2024, "2024-12-31", "by", None),
    ("2023年国庆节前", 2023, "2023-09-30", "by", None),
    ("明年春节前", 2021, "2022-01-31", "by", None),  # 春节 2022: 1 February
    ("2024年汛期前", 2024, None, "unknown", None),  # a season differs by region: no date, not the year's end
    ("2024年汛期前启动，12月底前完成", 2024, "2024-12-31", "by", None),
    ("3年内", 2021, None, "unknown", None),  # not 年内
    ("2月30日", 2021, None, "unknown", None),  # no such day
    ("6月底", None, None, "by", None),  # no year anywhere: no date
]


@pytest.mark.parametrize("phrase,year,date,kind,every", PHRASES, ids=[f"{p}-{y}" for p, y, *_ in PHRASES])
def test_phrase(phrase, year, date, kind, every):
    assert resolve(phrase, year) == Due(date, kind, every)


def test_at_least_forty_phrases():
    assert len(PHRASES) >= 40


def test_no_phrase_no_due():
    assert resolve(None, 2021) is None and resolve("  ", 2021) is None


@pytest.mark.parametrize("text,tail", [
    ("推进老旧小区改造，6月底前完成。", "6月底前"),
    ("完成某项工作，年底前全面完成", "年底前"),
    ("启动项目建设;2022年10月底前", "2022年10月底前"),
    ("确保上半年化解率80%以上。", None),  # a target within the sentence
    ("年内完成20个。", None),  # a time inside the task sentence
    ("加快建立“中介超市”,5月底前实现我区中介超市上线运行。", None),
    ("常态化开展文化惠民活动。", None),
])
def test_text_deadline(text, tail):
    assert text_deadline(text) == tail


def test_due_from_text_and_field():
    assert due_of(None, "推进老旧小区改造，6月底前完成。", 2021) == Due("2021-06-30", "by", None, "text")
    assert due_of("长期坚持", "推进老旧小区改造，6月底前完成。", 2021) == Due(None, "ongoing", None, "deadline")
    assert due_of(None, "推进老旧小区改造。", 2021) is None


@pytest.mark.parametrize("date,title,year", [
    ("2021-02-10", "关于印发2021年金乡县政府重要工作事项责任分工的通知", 2021),
    ("2020-12-28", "关于印发2021年重点工作任务分工的通知", 2021),  # a plan for next year, issued in December
    ("2021-03-26", "关于2020年工作总结的通知", 2021),  # the date wins otherwise
    (None, "关于2021年重点工作及责任分解的通知", 2021),
    (None, "关于年重点工作及责任分解的通知", None),
    (None, "2021-2025年规划分工", None),  # two years named: no single year
])
def test_notice_year(date, title, year):
    assert notice_year(date, title) == year


# --- every deadline phrase of the seeds and the corpus -----------------------------------------------

# (expected file, task number, phrase, resolved date): checked by hand — 009 is dated 2020-02-22,
# 016 has no date and names 2021 in its deadline and title; the five seeds have no deadline field
SHARED_DEADLINES = [
    ("excerpts/009.json", "1", "6月底", "2020-06-30"),
    ("excerpts/016.json", "1", "2021年12月31日", "2021-12-31"),
]


def _shared_deadlines():
    found = []
    for path in sorted(EXPECTED.glob("*.json")) + sorted(CORPUS.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for t in data.get("tasks", []):
            if t.get("deadline"):
                found.append((f"{path.parent.name}/{path.name}", t["number"], t["deadline"],
                              notice_year(data.get("date"), data.get("title"))))
    return found


def test_every_deadline_in_the_shared_corpus():
    found = _shared_deadlines()
    assert [(f, n, p) for f, n, p, _ in found] == [(f, n, p) for f, n, p, _ in SHARED_DEADLINES]
    for (_, _, phrase, year), (_, _, _, date) in zip(found, SHARED_DEADLINES):
        assert resolve(phrase, year) == Due(date, "by")


# --- any input ---------------------------------------------------------------------------------------

from datetime import date as _date  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

DUE_CHARS = "0123456789一二三四五六七八九十〇年月日底前末内上下半季度每周长期持续常态化起至-—第旬中号，。 "


@settings(max_examples=500, deadline=None)
@given(phrase=st.text(alphabet=DUE_CHARS, max_size=40) | st.text(max_size=40),
       year=st.none() | st.integers(min_value=1900, max_value=2200))
def test_any_phrase(phrase, year):
    due = resolve(phrase, year)
    if due is None:
        assert not "".join(phrase.split())
        return
    assert due.kind in ("by", "ongoing", "recurring", "unknown")
    if due.date is not None:
        _date.fromisoformat(due.date)  # a real day
    text_deadline(phrase)


@pytest.mark.parametrize("name,task_id,date", [("009.txt", "一.1", "2020-06-30"), ("016.txt", "一.1", "2021-12-31")])
def test_due_on_parsed_corpus_pages(name, task_id, date):
    import taskparse

    got = {t.id: t for t in taskparse.parse_file(CORPUS / "excerpts" / name).tasks}[task_id].due
    assert (got.date, got.kind, got.from_) == (date, "by", "deadline")


@pytest.mark.parametrize("phrase,after,date", [
    ("春节前", "2024-03-01", "2025-01-28"),  # the next 春节 after the notice: 2025-01-29
    ("春节前", "2024-01-10", "2024-02-09"),  # a notice of early January: that year's (2024-02-10)
    ("元旦前", "2024-03-01", "2024-12-31"),
    ("国庆前", "2024-11-01", "2025-09-30"),
    ("五一前完成", "2024-02-01", "2024-04-30"),
    ("2025年春节前", "2024-03-01", "2025-01-28"),  # a year given wins
])
def test_a_holiday_without_a_year_is_the_next_one_after_the_notice(phrase, after, date):
    from datetime import date as day

    assert resolve(phrase, 2024, day.fromisoformat(after)) == Due(date, "by", None)
    assert resolve("春节前", 2024) == Due(None, "unknown", None)  # an undated notice: no guess


def test_enrich_takes_the_notice_date_for_a_holiday_without_a_year():
    import taskparse

    r = taskparse.parse_text("关于印发重点工作的通知\n一、民生\n1.发放农民工工资。（牵头单位：县人社局；完成时限：春节前）\n"
                             "县人民政府\n2024年3月1日")
    assert r.notice.date == "2024-03-01"
    assert r.tasks[0].due is not None and (r.tasks[0].due.date, r.tasks[0].due.kind) == ("2025-01-28", "by")
    assert not [w for w in r.warnings if w.code == "due_unresolved"]
