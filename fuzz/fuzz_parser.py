"""Fuzz the parser: bytes -> text -> ``taskparse.parse_text``.  Any exception is a crash.

    python fuzz/fuzz_parser.py CORPUS_DIR SEED_DIR -max_len=4096 -max_total_time=60 -timeout=10

The first byte picks how the rest becomes text: decoded as UTF-8 (errors replaced), or read
as a sequence of tokens from the notice alphabet (numbering, brackets, labels, unit names), so
that the fuzzer reaches the outline and clause code quickly.  With TASKPARSE_FUZZ_INVARIANTS=1
the result's invariants are checked too (ids unique, seq 1..n, no empty unit, lead_units and
units disjoint, no private-use character in the output, locations inside the input).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

with atheris.instrument_imports(include=["taskparse"]):  # coverage of our code only (not regex/pydantic)
    import taskparse
    import taskparse.parser  # noqa: F401 - imported lazily by parse_text; imported here to be instrumented
    from taskparse.extractors.txt import lines_of

TOKENS = ["一、", "二、", "（一）", "（二）", "1.", "2.", "3、", "（1）", "①", "②", "责任单位：", "牵头单位：", "配合单位：",
          "牵头领导：", "完成时限：", "（", "）", "(", ")", "【", "】", "、", "，", "；", "。", "：", "\n", " ", "\u3000", "\t",
          "县发改局", "市财政局", "各乡镇（街道）", "等有关部门", "牵头", "按职责分工负责", "和", "及", "王丹县长",
          "2024年底前", "长期坚持", "推进", "建设", "|", "\ue000", "\ue001", "首位为牵头单位", "抄送：", "— 3 —",
          "关于印发重点工作任务分解方案的通知", "2024年3月1日", "序号", "重点任务"]
CHECK_INVARIANTS = os.environ.get("TASKPARSE_FUZZ_INVARIANTS") == "1"


def text_of(data: bytes) -> str:
    if not data:
        return ""
    if data[0] % 2 == 0:
        return data[1:].decode("utf-8", "replace")
    return "".join(TOKENS[b % len(TOKENS)] for b in data[1:])


def check(text: str, result: taskparse.Result) -> None:
    tasks = result.tasks
    assert len({t.id for t in tasks}) == len(tasks), "duplicate task ids"
    assert [t.seq for t in tasks] == list(range(1, len(tasks) + 1)), "seq not 1..n"
    n_lines = len(lines_of(text))
    for t in tasks:
        assert all(x.strip() for x in t.leaders + t.lead_units + t.units), f"empty unit in {t.id}"
        assert not set(t.lead_units) & set(t.units), f"lead_units and units overlap in {t.id}"
        assert t.location.line is None or 1 <= t.location.line <= n_lines, f"location outside the input in {t.id}"
    for s in _strings(result.model_dump()):
        assert not any("\ue000" <= c <= "\uf8ff" for c in s), f"private-use character in the output: {s[:40]!r}"


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def test_one_input(data: bytes) -> None:
    text = text_of(data)
    result = taskparse.parse_text(text)
    if CHECK_INVARIANTS:
        check(text, result)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
