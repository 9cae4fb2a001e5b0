"""The command line through click's CliRunner."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from taskparse.cli import main

SEED = SAMPLES / "000_2795aed58e8eed1f.txt"


@pytest.fixture
def runner():
    return CliRunner()


def test_json_to_stdout(runner):
    res = runner.invoke(main, [str(SEED)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["schema_version"] == 2
    assert len(data["tasks"]) == 115
    assert set(data) == {"schema_version", "source", "notice", "tasks", "warnings", "canonical_units"}
    assert set(data["tasks"][0]) >= {"id", "seq", "number", "section", "text", "leaders", "lead_units", "units",
                                     "deadline", "clause", "location"}


def test_output_file_json_and_csv(runner, tmp_path):
    out = tmp_path / "tasks.csv"
    res = runner.invoke(main, [str(SEED), "-o", str(out)])
    assert res.exit_code == 0, res.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel/WPS need the BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 115
    assert rows[0]["责任单位"] == "县园区发展指挥部、园区发展服务中心、商务局、自然资源和规划局、各产业园"
    out_json = tmp_path / "tasks.json"
    assert runner.invoke(main, [str(SEED), "-o", str(out_json)]).exit_code == 0
    assert len(json.loads(out_json.read_text(encoding="utf-8"))["tasks"]) == 115


def test_format_option_to_stdout(runner):
    res = runner.invoke(main, [str(SEED), "-f", "csv"])
    assert res.exit_code == 0
    assert res.stdout.startswith("来源文件,任务编号,序号,编号,章节,重点任务,牵头领导,牵头单位,责任单位,完成时限")
    res = runner.invoke(main, [str(SEED), "-f", "csv", "--lang", "en"])
    assert res.stdout.startswith("source,id,seq,number,section,text,leaders,lead_units,units,deadline")


def test_stdin(runner):
    res = runner.invoke(main, ["-"], input=SEED.read_bytes())
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["tasks"]) == 115


def test_missing_file_one_line_no_traceback(runner, tmp_path):
    res = runner.invoke(main, [str(tmp_path / "nope.txt")])
    assert res.exit_code != 0
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "nope.txt" in lines[0] and "Traceback" not in res.stderr


@pytest.mark.parametrize("name, data", [
    ("empty.txt", b""),
    ("garbage.txt", bytes(range(256)) * 4),
    ("bad.txt", "一、任务".encode("gbk") + b"\x81\x20\xff"),
])
def test_bad_input_one_line_nothing_written(runner, tmp_path, name, data):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.json"
    res = runner.invoke(main, [str(src), "-o", str(out)])
    assert res.exit_code not in (0, 1, 2)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and name in lines[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_bad_options_are_usage_errors(runner, tmp_path):
    assert runner.invoke(main, [str(SEED), "-f", "pdf"]).exit_code == 2
    assert runner.invoke(main, [str(SEED), "--jobs", "0"]).exit_code == 2
    assert runner.invoke(main, []).exit_code == 2


def test_option_errors_are_chinese_by_default_and_english_with_lang_en(runner):
    """click's own parsing messages follow the language too: one line, no English left in a Chinese one."""
    res = runner.invoke(main, [str(SEED), "--resum"])
    assert res.exit_code == 2
    assert res.stderr.strip() == "taskparse: 用法错误：没有 '--resum' 这个选项。 是不是想用 '--resume'？（taskparse --help 查看用法）"
    res = runner.invoke(main, [str(SEED), "-f", "xml"])
    assert res.stderr.strip() == ("taskparse: 用法错误：'-f' / '--format' 的值无效：'xml' 不在可选值 'json', 'csv', 'jsonl', "
                                  "'xlsx', 'sqlite' 之中。（taskparse --help 查看用法）")
    res = runner.invoke(main, [str(SEED), "--jobs"])
    assert res.stderr.strip() == "taskparse: 用法错误：选项 '--jobs' 后面需要一个值。（taskparse --help 查看用法）"
    res = runner.invoke(main, ["--lang", "en", str(SEED), "-f", "xml"])
    assert "usage error: Invalid value for '-f' / '--format': 'xml' is not one of" in res.stderr


def test_refuses_to_overwrite_an_input(runner, tmp_path):
    src = tmp_path / "n.txt"
    src.write_bytes(SEED.read_bytes())
    res = runner.invoke(main, [str(src), "-o", str(src), "-f", "json"])
    assert res.exit_code == 2
    assert src.read_bytes() == SEED.read_bytes()


def test_batch_with_one_bad_file(runner, tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes(SEED.read_bytes())
    (src / "sub" / "b.txt").write_bytes((SAMPLES / "002_ce67ead115768d45.txt").read_bytes())
    (src / "broken.txt").write_bytes(b"")
    (src / "notes.md").write_text("not a notice")  # unsupported suffix: not picked up
    out = tmp_path / "out"
    res = runner.invoke(main, [str(src), "-o", str(out), "--jobs", "2"])
    assert res.exit_code == 1
    assert "broken.txt" in res.stderr
    assert json.loads((out / "a.txt.json").read_text(encoding="utf-8"))["tasks"]
    assert len(json.loads((out / "sub" / "b.txt.json").read_text(encoding="utf-8"))["tasks"]) == 52
    assert not (out / "broken.txt.json").exists()
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["a.txt.json", "b.txt.json"]


def test_python_dash_m_entry_point():
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "taskparse", str(SEED), "-f", "csv"], capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode("utf-8").count("\n") == 116


def test_help_for_every_command(runner):
    for args in ([], ["convert"], ["units"], ["due"], ["review"]):
        res = runner.invoke(main, [*args, "--help"], env={"LANG": "zh_CN.UTF-8", "LC_ALL": None})
        assert res.exit_code == 0 and len(res.output) > 100


def test_help_is_chinese_by_default_and_english_on_request(runner):
    from taskparse.messages import set_language

    set_language(None)  # (a --lang of an earlier test in this process)
    zh = runner.invoke(main, ["convert", "--help"], env={"LANG": "zh_CN.UTF-8", "LC_ALL": None}).output
    assert zh.startswith("用法：") and "convert [OPTIONS] INPUTS" in zh
    assert "选项" in zh and "同时处理几个文件" in zh and "显示本帮助并退出。" in zh
    assert "Parallel processes" not in zh and "Show this message" not in zh
    top = runner.invoke(main, ["--help"], env={"LANG": "zh_CN.UTF-8", "LC_ALL": None}).output
    assert "子命令" in top and "按单位列出任务" in top and "把责任分工、任务分解一类的通知转成任务台账。" in top
    en = runner.invoke(main, ["convert", "--lang", "en", "--help"], env={"LANG": "zh_CN.UTF-8", "LC_ALL": None}).output
    assert en.startswith("Usage: ") and "Parallel processes for several files" in en
    assert "同时处理几个文件" not in en
    en_locale = runner.invoke(main, ["--help"], env={"LANG": "en_US.UTF-8", "LC_ALL": None}).output
    assert "Commands" in en_locale and "List, for each unit" in en_locale
    set_language(None)


def test_outputs_get_ordinary_permissions(runner, tmp_path):
    import os

    out = tmp_path / "tasks.json"
    assert runner.invoke(main, [str(SEED), "-o", str(out)]).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
