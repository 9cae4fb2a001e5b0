"""The catalogue of strings for people: both languages, the same parameters, the language chosen by
--lang or the locale, and library warnings shown by their code."""
from __future__ import annotations

import string

import pytest
from click.testing import CliRunner

import taskparse
from conftest import SAMPLES
from taskparse import messages
from taskparse.cli import main


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("key", sorted(messages.CATALOGUE))
def test_both_languages_take_the_same_parameters(key):
    zh, en = messages.CATALOGUE[key]
    assert zh and en
    assert {f.split(":")[0].split("!")[0] for f in _fields(zh)} == {f.split(":")[0].split("!")[0] for f in _fields(en)}


@pytest.mark.parametrize("env,want", [({}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "zh_CN.UTF-8"}, "zh"),
                                      ({"LANG": "en_GB", "LC_ALL": "zh_CN.UTF-8"}, "zh"), ({"LANG": "C.UTF-8"}, "zh")],
                         ids=["none", "en", "zh", "lc-all-wins", "c"])
def test_language_from_the_locale(monkeypatch, env, want):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert messages.language() == want


def test_lang_option_beats_the_locale(monkeypatch, tmp_path):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    res = CliRunner().invoke(main, [str(tmp_path / "nope.txt")])
    assert res.stderr.endswith("no such file — check the path\n")
    res = CliRunner().invoke(main, [str(tmp_path / "nope.txt"), "--lang", "zh"])
    assert res.stderr.endswith("文件不存在 — 检查路径\n")


def test_warnings_of_a_real_notice_in_both_languages():
    """001 skips item 4 (tests/test_batch.py); its warning is shown through the catalogue."""
    r = taskparse.parse_file(SAMPLES / "001_c7910ee8fea0e822.txt")
    (w,) = [w for w in r.warnings if w.code == "skipped_number"]
    messages.set_language("zh")
    zh = messages.warning_text(w.code, w.message)
    messages.set_language("en")
    en = messages.warning_text(w.code, w.message)
    assert zh.endswith("下的编号不连续：缺第4项")
    assert en.startswith("numbering jumps under ") and en.endswith("expected 4")


def test_unknown_code_keeps_the_library_text():
    assert messages.warning_text("something_new", "库的原话") == "库的原话"
