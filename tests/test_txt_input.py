"""Plain-text input: encodings are detected and recorded; undecodable input is a clear error."""
from __future__ import annotations

import pytest

import taskparse
from taskparse.errors import CorruptFile, EmptyDocument, UnsupportedFormat

NOTICE = "关于印发重点工作分工的通知\n一、任务\n1.推进园区建设。（责任单位：县发改局、商务局）\n"


@pytest.mark.parametrize("encoding, data, recorded", [
    ("utf-8", NOTICE.encode("utf-8"), "utf-8"),
    ("utf-8-sig", NOTICE.encode("utf-8-sig"), "utf-8-sig"),
    ("utf-16", NOTICE.encode("utf-16"), "utf-16"),
    ("utf-16-le-no-bom", NOTICE.encode("utf-16-le"), "utf-16-le"),
    ("gbk", NOTICE.encode("gbk"), "gb18030"),
    ("gb18030", NOTICE.encode("gb18030"), "gb18030"),
])
def test_encodings(tmp_path, encoding, data, recorded):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(data)
    result = taskparse.parse_file(path)
    assert result.source.encoding == recorded
    assert result.source.format == "txt"
    assert [t.units for t in result.tasks] == [["县发改局", "商务局"]]
    assert result.notice.title == "关于印发重点工作分工的通知"


def test_sha256_and_path_recorded(tmp_path):
    import hashlib

    path = tmp_path / "n.txt"
    path.write_text(NOTICE, encoding="utf-8")
    r = taskparse.parse_file(path)
    assert r.source.sha256 == hashlib.sha256(NOTICE.encode()).hexdigest()
    assert r.source.path == str(path)


def test_invalid_gb18030_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(NOTICE.encode("gbk") + b"\x81\x20\xff\xfe\x80" + NOTICE.encode("gbk"))
    with pytest.raises(CorruptFile) as info:
        taskparse.parse_file(path)
    assert "bad.txt" in str(info.value) and "GB18030" in str(info.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocument):
        taskparse.parse_file(path)


def test_binary_garbage(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnsupportedFormat):
        taskparse.parse_file(path)


def test_text_with_no_tasks_is_not_an_error():
    r = taskparse.parse_text("这是一段普通的文字，没有任务。")
    assert r.tasks == []
