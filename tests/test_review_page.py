"""The review page without a browser: escaping, size, the command, folders and their index."""
from __future__ import annotations

import json
import re
import shutil
import urllib.parse

from click.testing import CliRunner

from conftest import SAMPLES
from taskparse import review
from taskparse import spans as S
from taskparse.cli import main
from taskparse.document import Document, Line

HOSTILE = "</script><!--<script>alert(1)</script>--></textarea><img src=x onerror=alert(2)>&amp;"


def _doc(text: str) -> Document:
    return Document(blocks=[Line(t, i + 1) for i, t in enumerate(text.splitlines())], format="txt", path="t.txt")


def _data_of(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_script_json_cannot_end_its_element():
    s = review.script_json({"x": HOSTILE, "y": ["\u2028", "<!--"]})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"x": HOSTILE, "y": ["\u2028", "<!--"]}


def test_hostile_text_stays_data():
    # tags and entities never reach a task (the parser drops leaked markup) but stay in the source text;
    # other angle brackets reach the ledger too
    text = (f"一、任务\n1．检查{HOSTILE}的网页。（责任单位：县<局、县财政局）\n"
            "2．整改a<b且c>d及<!--注释。（责任单位：县财政局）\n")
    page = review.render_page(review.review_document(_doc(text)))
    body = page.split('id="data">', 1)[1]
    # the only script end tags are the page's own two
    assert page.count("</script>") == 2 and page.count("<script") == 2
    assert "<img" not in page and "<!--" not in page and "</textarea>" not in page and "a<b且" not in page
    data = _data_of(page)
    assert HOSTILE in data["text"]
    assert data["tasks"][0]["units"] == ["县<局", "县财政局"]
    assert data["tasks"][1]["text"] == "整改a<b且c>d及<!--注释。"
    assert "<script>alert" not in body and "\\u003cscript\\u003ealert(1)" in body  # text inside the JSON


def test_title_is_escaped():
    text = "关于<script>x</script>的通知\n一、任务\n1．修路。（责任单位：县交通局）\n2．修桥。（责任单位：县交通局）\n"
    page = review.render_page(review.review_document(_doc(text)))
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title


def test_page_is_self_contained_and_small():
    rv = review.review_file(SAMPLES / "001_c7910ee8fea0e822.txt")
    assert len(rv.result.tasks) == 146
    page = review.render_page(rv)
    assert len(page.encode("utf-8")) < 1_000_000
    assert not re.search(r"(?:src|href)\s*=|url\(|@import|https?://", page.split('id="data">')[0])
    assert "default-src 'none'" in page  # the page may not load anything


def test_150_task_page_under_a_megabyte():
    items = [f"{i}．加快推进第{i}个重点项目建设，完善基础设施配套，强化要素保障，确保项目按期建成投产、早日见效，"
             f"形成新的经济增长点。（牵头单位：县发展和改革局；责任单位：县财政局、县自然资源和规划局、县住房和城乡建设局；"
             f"完成时限：2021年12月底）" for i in range(1, 151)]
    text = "关于印发重点工作责任分工的通知\n一、重点工作\n" + "\n".join(items) + "\n"
    rv = review.review_document(_doc(text))
    assert len(rv.result.tasks) == 150
    assert len(review.render_page(rv).encode("utf-8")) < 1_000_000


def test_warnings_and_likely_missed_text_are_marked():
    text = ("一、重点任务\n"
            "1．修建道路。（责任单位：县交通局）\n"
            "2．维修桥梁。\n"
            "3．整治河道。（责任单位：县水利局）\n"
            "另外加强督查，责任单位：县督查室，年底前完成\n"
            "4．清理垃圾。（责任单位：县城管局）\n")
    rv = review.review_document(_doc(text))
    data = review.page_data(rv)
    assert [t["id"] for t in data["tasks"]] == ["一.1", "一.2", "一.3", "一.4"]
    assert [w[0] for w in data["tasks"][1]["warn"]] == ["no_clause"]
    assert not data["tasks"][0]["warn"]
    assert [data["text"][a:b] for a, b in data["missed"]] == ["另外加强督查，责任单位：县督查室，年底前完成"]


def test_no_missed_text_on_the_seeds():
    for stem in ("000_2795aed58e8eed1f", "004_4ed748fdf1ac17b6"):
        assert review.page_data(review.review_file(SAMPLES / f"{stem}.txt"))["missed"] == []


def test_cli_page_for_a_file(tmp_path):
    out = tmp_path / "review.html"
    res = CliRunner().invoke(main, ["review", str(SAMPLES / "002_ce67ead115768d45.pdf"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = _data_of(out.read_text(encoding="utf-8"))
    assert data["format"] == "pdf" and len(data["tasks"]) == 52
    assert [p for _, p in data["pages"]] == list(range(1, len(data["pages"]) + 1)) and len(data["pages"]) > 3


def test_cli_page_to_stdout():
    res = CliRunner().invoke(main, ["review", str(SAMPLES / "002_ce67ead115768d45.txt")])
    assert res.exit_code == 0
    assert res.output.startswith("<!DOCTYPE html>")


def test_cli_json_with_spans_and_text(tmp_path):
    out = tmp_path / "spans.json"
    res = CliRunner().invoke(main, ["review", str(SAMPLES / "004_4ed748fdf1ac17b6_table.docx"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    text = data["extracted"]["text"]
    t = data["tasks"][9]
    assert S.rebuilds(text, [tuple(s) for s in t["spans"]["text"]], t["text"])
    unit = next(r for r in t["spans"]["roles"] if r["role"] == "unit")
    assert text[unit["span"][0]:unit["span"][1]] == unit["name"]


def test_cli_folder_gives_pages_and_index(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "002_ce67ead115768d45.txt", src / "a.txt")
    shutil.copy(SAMPLES / "003_605f38698d05405f_table_progress.docx", src / "sub" / "b.docx")
    shutil.copy(SAMPLES / "encrypted_notice.pdf", src / "c.pdf")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["review", str(src), "-o", str(out)])
    assert res.exit_code == 1  # one file failed, the others were written
    assert "c.pdf" in res.output
    assert (out / "a.txt.html").exists() and (out / "sub" / "b.docx.html").exists()
    assert not (out / "c.pdf.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', index)
    assert sorted(hrefs) == ["a.txt.html", "sub/b.docx.html"]
    assert "新密政办〔2021〕6号" in index and ">52<" in index and ">65<" in index
    assert "c.pdf" in index  # the failed file is listed with its error, without a link


def test_cli_folder_needs_an_output(tmp_path):
    res = CliRunner().invoke(main, ["review", str(tmp_path)])
    assert res.exit_code == 2 and "-o" in res.output


def test_cli_bad_file_one_line(tmp_path):
    out = tmp_path / "x.html"
    res = CliRunner().invoke(main, ["review", str(SAMPLES / "encrypted_notice.pdf"), "-o", str(out)])
    assert res.exit_code == 6
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_refuses_to_overwrite_its_input(tmp_path):
    src = tmp_path / "n.html"
    shutil.copy(SAMPLES / "002_ce67ead115768d45.html", src)
    before = src.read_bytes()
    res = CliRunner().invoke(main, ["review", str(src), "-o", str(src)])
    assert res.exit_code == 2 and src.read_bytes() == before


def test_filter_names_include_canonical_fields():
    from pydantic import BaseModel

    class WithCanonical(BaseModel):  # the shape a result with canonical unit names may take
        units: list[str]
        canonical_units: list[str]
        canonical: dict[str, str]

    t = WithCanonical(units=["县发改局"], canonical_units=["县发展和改革局"], canonical={"县财政": "县财政局"})
    assert sorted(review._canonical_names(t)) == ["县发展和改革局", "县财政局"]
    assert review._canonical_names(WithCanonical(units=["x"], canonical_units=[], canonical={})) == []


def test_index_escapes_file_names(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "002_ce67ead115768d45.txt", src / 'a<img src=x>&"b #1?.txt')
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["review", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in index and "a&lt;img src=x&gt;&amp;&quot;b #1?.txt" in index
    href = re.search(r'href="([^"]+)"', index).group(1)
    assert href == "a%3Cimg%20src%3Dx%3E%26%22b%20%231%3F.txt.html"
    assert urllib.parse.unquote(href) == 'a<img src=x>&"b #1?.txt.html' and (out / urllib.parse.unquote(href)).exists()
