"""Every bundled sample file, in every format, gives the hand-checked tasks of the notice it was
made from (samples/expected/index.json maps file -> expected result or expected error)."""
from __future__ import annotations

import json

import pytest

import taskparse
from conftest import SAMPLES, task_diffs

INDEX = json.loads((SAMPLES / "expected" / "index.json").read_text(encoding="utf-8"))
TASK_FILES = sorted(name for name, want in INDEX.items() if isinstance(want, str))
ERROR_FILES = sorted(name for name, want in INDEX.items() if isinstance(want, dict))


@pytest.mark.parametrize("name", TASK_FILES)
def test_sample_gives_expected_tasks(name):
    want = json.loads((SAMPLES / "expected" / INDEX[name]).read_text(encoding="utf-8"))
    result = taskparse.parse_file(SAMPLES / name)
    diffs = task_diffs([t.model_dump() for t in result.tasks], want["tasks"])
    assert not diffs, "\n".join(diffs[:15])
    assert result.notice.doc_number == want["doc_number"]


@pytest.mark.parametrize("name", ERROR_FILES)
def test_sample_gives_expected_error(name):
    with pytest.raises(taskparse.TaskparseError) as info:
        taskparse.parse_file(SAMPLES / name)
    assert info.value.kind == INDEX[name]["error"]
    assert name in str(info.value)


@pytest.mark.parametrize("ext", ["docx", "doc", "pdf"])
def test_bold_leads_found(ext):
    result = taskparse.parse_file(SAMPLES / f"004_4ed748fdf1ac17b6_boldlead.{ext}")
    assert sum(1 for t in result.tasks if t.lead_units) == 66
    assert not any(w.code == "bold_lead_unknown" for w in result.warnings)


def test_sniffed_not_suffixed():
    assert taskparse.parse_file(SAMPLES / "000_2795aed58e8eed1f_web.doc").source.format == "html"
    assert taskparse.parse_file(SAMPLES / "002_ce67ead115768d45_rtf.doc").source.format == "rtf"
    assert taskparse.parse_file(SAMPLES / "004_4ed748fdf1ac17b6.wps").source.format == "doc"


@pytest.mark.parametrize("stem", ["002_ce67ead115768d45", "004_4ed748fdf1ac17b6"])
def test_location_page_for_pdf(stem):
    result = taskparse.parse_file(SAMPLES / f"{stem}.pdf")
    pages = [t.location.page for t in result.tasks]
    assert all(p is not None for p in pages) and pages == sorted(pages) and pages[-1] > 1
