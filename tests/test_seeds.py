"""The five seed notices against their hand-checked expected results, and golden files."""
from __future__ import annotations

import json

import pytest

import taskparse
from conftest import GOLDEN, SAMPLES, SEEDS, load_expected, norm, task_diffs

EXPECTED_COUNTS = {"000": 115, "001": 146, "002": 52, "003": 73, "004": 66}


@pytest.fixture(scope="module")
def results():
    return {stem: taskparse.parse_file(SAMPLES / f"{stem}.txt") for stem in SEEDS}


@pytest.mark.parametrize("stem", SEEDS)
def test_task_count(results, stem):
    assert len(results[stem].tasks) == EXPECTED_COUNTS[stem[:3]]


@pytest.mark.parametrize("stem", SEEDS)
def test_tasks_match_expected(results, stem):
    got = [t.model_dump() for t in results[stem].tasks]
    diffs = task_diffs(got, load_expected(stem)["tasks"])
    assert not diffs, "\n".join(diffs[:20])


@pytest.mark.parametrize("stem", SEEDS)
def test_notice_metadata(results, stem):
    want = load_expected(stem)
    notice = results[stem].notice
    assert norm(notice.title) == norm(want["title"])
    assert notice.doc_number == want["doc_number"]
    assert notice.issuer == want["issuer"]
    assert notice.date == want["date"]


@pytest.mark.parametrize("stem", SEEDS)
def test_golden(results, stem, update_golden):
    """The whole output (ids, clauses, locations, warnings) is stable unless changed on purpose."""
    data = results[stem].model_dump(mode="json")
    data["source"]["path"] = None
    path = GOLDEN / f"{stem}.json"
    if update_golden:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run pytest --update-golden on purpose"
    assert json.loads(path.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize("stem", SEEDS)
def test_ids_unique_and_seq(results, stem):
    tasks = results[stem].tasks
    assert len({t.id for t in tasks}) == len(tasks)
    assert [t.seq for t in tasks] == list(range(1, len(tasks) + 1))


def test_locations_point_at_the_item():
    """location.line is the line where the item's number is printed."""
    lines = (SAMPLES / "000_2795aed58e8eed1f.txt").read_text(encoding="utf-8").splitlines()
    result = taskparse.parse_file(SAMPLES / "000_2795aed58e8eed1f.txt")
    for t in result.tasks:
        assert lines[t.location.line - 1].lstrip().startswith(t.number + "."), t.id


def test_bold_note_without_bold_warns():
    result = taskparse.parse_file(SAMPLES / "004_4ed748fdf1ac17b6.txt")
    assert [w.code for w in result.warnings].count("bold_lead_unknown") == 1
    assert all(not t.lead_units for t in result.tasks)
