"""The parser remembers clause and unit-list parses (pure functions of the text): a second parse of the
same notice, in the same process, must give exactly the first one's result, and nothing a caller does
with a result may leak into the next."""
from __future__ import annotations

from pathlib import Path

import taskparse
from taskparse.parser import clear_caches
from taskparse.parser.clauses import parse_clause, parse_clauses, split_units

SEEDS = sorted((Path(__file__).resolve().parents[1] / "samples").glob("00[0-4]_*.txt"))[:5]


def test_second_parse_is_the_first():
    assert len(SEEDS) == 5
    clear_caches()
    first = [taskparse.parse_text(p.read_text(encoding="utf-8")).model_dump_json() for p in SEEDS]
    second = [taskparse.parse_text(p.read_text(encoding="utf-8")).model_dump_json() for p in SEEDS]
    clear_caches()
    third = [taskparse.parse_text(p.read_text(encoding="utf-8")).model_dump_json() for p in reversed(SEEDS)]
    assert first == second == list(reversed(third))


def test_a_changed_result_does_not_change_the_next():
    clause = "牵头单位：县发改局；责任单位：县财政局、县审计局"
    roles = parse_clause(clause)
    assert [u.name for u in roles.lead] == ["县发改局"]
    roles.lead.clear()
    roles.units.append(roles.units[0])
    again = parse_clause(clause)
    assert [u.name for u in again.lead] == ["县发改局"]
    assert [u.name for u in again.units] == ["县财政局", "县审计局"]
    units = split_units("县财政局、县审计局")
    units.pop()
    assert [u.name for u in split_units("县财政局、县审计局")] == ["县财政局", "县审计局"]


def test_merged_clauses_leave_each_clause_as_parsed():
    first, second = "牵头单位：县发改局", "责任单位：县财政局、县审计局；完成时限：2024年6月底前"
    merged = parse_clauses([first, second])
    assert [u.name for u in merged.lead] == ["县发改局"]
    assert [u.name for u in merged.units] == ["县财政局", "县审计局"]
    assert merged.deadline == "2024年6月底前" and merged.explicit_lead
    merged.lead.clear()
    merged.units.pop()
    assert [u.name for u in parse_clause(first).lead] == ["县发改局"]
    assert [u.name for u in parse_clause(second).units] == ["县财政局", "县审计局"]
    assert [u.name for u in parse_clauses([first, second]).units] == ["县财政局", "县审计局"]


def test_resolved_time_limits_are_remembered_and_cleared_with_the_parses():
    """A time limit printed again in the same notice is resolved once; clear_caches forgets it too
    (the benchmark times first parses, including the step after parsing)."""
    from taskparse import due

    clear_caches()
    first = due.resolve("2024年6月底前", 2024)
    assert first is not None and first.date == "2024-06-30" and first.kind == "by"
    assert due.resolve("2024年6月底前", 2024) is first  # remembered: the same frozen Due
    assert due.resolve("6月底前", 2025).date == "2025-06-30"  # the year is part of what is remembered
    clear_caches()
    assert due.resolve.cache_info().currsize == 0
