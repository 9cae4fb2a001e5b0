"""Real notices from many provinces (tests/corpus, a copy of the shared corpus with hand-checked
expected results) as a regression suite: each set must stay at or above its floor, every file is
checked on its own so a regression names the notice."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import taskparse

CORPUS = Path(__file__).resolve().parent / "corpus"
_spec = importlib.util.spec_from_file_location("corpus_compare", CORPUS / "compare.py")
assert _spec is not None and _spec.loader is not None
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)

# floors per set: the share of expected tasks found with every field right (compare.py's "perfect")
FLOORS = {"excerpts": 0.90, "govcn": 0.95}
CASES = [(s, p) for s in sorted(FLOORS) for p in sorted((CORPUS / s).iterdir()) if p.suffix in (".txt", ".html")]


def _score(set_name: str, path: Path) -> dict:
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["tasks"]
    pred = [t.model_dump() for t in taskparse.parse_file(path).tasks]
    return compare.score_doc(pred, gold, ignore_tail=set_name == "excerpts")


@pytest.mark.parametrize("set_name, path", CASES, ids=[f"{s}/{p.name}" for s, p in CASES])
def test_every_expected_task_is_found_right(set_name, path):
    r = _score(set_name, path)
    assert r["matched"] == r["gold"], f"missed: {r['missed']}"
    assert r["perfect"] == r["gold"], json.dumps(r["diffs"], ensure_ascii=False)[:2000]
    assert not r["spurious"], f"tasks that are not in the notice: {r['spurious']}"


@pytest.mark.parametrize("set_name", sorted(FLOORS))
def test_set_floor(set_name):
    rs = [_score(set_name, p) for s, p in CASES if s == set_name]
    total = compare.summarize(rs)
    assert total["perfect"] >= FLOORS[set_name]
    assert total["recall"] >= 0.95
