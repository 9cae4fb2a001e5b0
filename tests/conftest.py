from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXPECTED = Path(__file__).resolve().parent / "expected"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = sorted(p.stem for p in EXPECTED.glob("*.json"))


def pytest_configure(config):
    config.addinivalue_line("markers", "ocr: recognises scans; needs the taskparse[ocr] extra (skipped without it)")


@pytest.fixture(autouse=True)
def _ocr_mode(request, monkeypatch):
    """Scans give needs-ocr in every test but the OCR ones, whether the OCR extra is installed or not
    (the bundled scans are there to test that error); OCR tests run in the default mode, auto."""
    monkeypatch.setenv("TASKPARSE_OCR", "auto" if request.node.get_closest_marker("ocr") else "never")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.json from the current output (on purpose only)")


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


def norm(s) -> str:
    """Text as the annotation conventions compare it: width-folded, no whitespace, no trailing
    punctuation."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s))
    s = "".join(ch for ch in s if not ch.isspace())
    s = s.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return s.rstrip("。；;，,.")


def norm_set(xs) -> frozenset:
    out = set()
    for x in xs or []:
        x = norm(x)
        while x.endswith("等"):
            x = x[:-1]
        if x:
            out.add(x)
    return frozenset(out)


def load_expected(stem: str) -> dict:
    return json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))


def task_diffs(got: list[dict], want: list[dict]) -> list[str]:
    """Record-by-record differences in the fields the expected files carry."""
    diffs = []
    if len(got) != len(want):
        diffs.append(f"task count {len(got)} != {len(want)}")
    for i, (g, w) in enumerate(zip(got, want)):
        for f in ("text", "deadline", "number"):
            if norm(g.get(f)) != norm(w.get(f)):
                diffs.append(f"#{i + 1} {f}: {g.get(f)!r} != {w.get(f)!r}")
        for f in ("units", "lead_units", "leaders"):
            if norm_set(g.get(f)) != norm_set(w.get(f)):
                diffs.append(f"#{i + 1} {f}: {sorted(norm_set(g.get(f)))} != {sorted(norm_set(w.get(f)))}")
        if [norm(x) for x in g.get("section", [])] != [norm(x) for x in w.get("section", [])]:
            diffs.append(f"#{i + 1} section: {g.get('section')} != {w.get('section')}")
    return diffs


@pytest.fixture(autouse=True)
def _chinese_messages(monkeypatch):
    """Messages for people are Chinese unless a test asks otherwise (the machine's locale may be en_*)."""
    from taskparse import messages

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    messages.set_language(None)
    yield
    messages.set_language(None)
