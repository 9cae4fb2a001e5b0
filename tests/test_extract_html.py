"""The HTML/MHT extractor on pages written here: charsets (lying and unknown metas), web archives,
block and inline elements, bold marks and tables."""
from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest

import taskparse
from conftest import SAMPLES
from taskparse.document import Line, Table
from taskparse.errors import EmptyDocument, TooLarge
from taskparse.extractors import extract_bytes
from taskparse.extractors.html import extract

BAD = Path(__file__).resolve().parent / "bad_inputs"
BODY = "<p>一、总体要求</p><p>1.加强城市管理。（责任单位：区住建局）</p>"


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html>\n<html>\n<head>{head}<title>标题不是正文</title></head>\n<body>\n{body}\n</body>\n</html>\n"


def _texts(data: bytes) -> list[str]:
    return [b.text for b in extract(data, "t.html").lines()]


# ---------------------------------------------------------------- charsets

@pytest.mark.parametrize("head, encoding, want_enc", [
    ('<meta charset="utf-8">', "gbk", "gb18030"),  # the meta lies: the bytes are GBK
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk", "gb18030"),
    ('<meta charset="x-unknown-foo">', "gbk", "gb18030"),  # no codec by that name: sniff
    ('<meta charset="gb2312">', "utf-8", "utf-8"),  # the meta lies the other way
    ("", "utf-8", "utf-8"),
    ("", "gbk", "gb18030"),
], ids=["utf8-meta-gbk-bytes", "http-equiv-gb2312", "unknown-charset", "gbk-meta-utf8-bytes", "no-meta-utf8",
        "no-meta-gbk"])
def test_charset(head, encoding, want_enc):
    doc = extract(_page(BODY, head).encode(encoding), "p.html")
    assert [b.text for b in doc.lines()] == ["一、总体要求", "1.加强城市管理。（责任单位：区住建局）"]
    assert doc.encoding == want_enc


@pytest.mark.parametrize("bom, codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                        (b"\xfe\xff", "utf-16-be")], ids=["utf8", "utf16le", "utf16be"])
def test_byte_order_mark_wins(bom, codec):
    data = bom + _page(BODY, '<meta charset="gbk">').encode(codec)
    assert _texts(data) == ["一、总体要求", "1.加强城市管理。（责任单位：区住建局）"]


def test_gbk_characters_outside_gb2312_decode():
    # 镕 and 堃 are GBK-only: a page that says gb2312 must still be read with the GBK superset
    assert _texts(_page("<p>朱镕基、王堃</p>", '<meta charset="gb2312">').encode("gbk")) == ["朱镕基、王堃"]


def test_bundled_unknown_charset_page_parses():
    result = taskparse.parse_file(BAD / "html_unknown_charset.html")
    assert result.source.encoding == "gb18030" and len(result.tasks) == 52


# ---------------------------------------------------------------- web archives

def _mht(html: bytes, transfer: str, charset: str, first: bytes = b"") -> bytes:
    body = quopri.encodestring(html) if transfer == "quoted-printable" else base64.encodebytes(html)
    return (first + b"MIME-Version: 1.0\r\n"
            b'Content-Type: multipart/related; type="text/html"; boundary="----B"\r\n\r\n'
            b"------B\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: 7bit\r\n\r\np{color:red}\r\n"
            b"------B\r\nContent-Type: text/html; charset=" + charset.encode() + b"\r\n"
            b"Content-Transfer-Encoding: " + transfer.encode() + b"\r\n\r\n" + body + b"\r\n------B--\r\n")


@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
@pytest.mark.parametrize("charset", ["gb2312", "utf-8"])
def test_mht_takes_the_html_part(transfer, charset):
    html = _page(BODY).encode("gbk" if charset == "gb2312" else "utf-8")
    doc = extract_bytes(_mht(html, transfer, charset), "page.mht")
    assert doc.format == "html"
    assert [b.text for b in doc.lines()] == ["一、总体要求", "1.加强城市管理。（责任单位：区住建局）"]


def test_browser_mht_with_headers_before_mime_version():
    data = _mht(_page(BODY).encode("gbk"), "quoted-printable", "gbk", b"From: <Saved by Blink>\r\nSubject: x\r\n")
    assert _texts(data) == ["一、总体要求", "1.加强城市管理。（责任单位：区住建局）"]


# ---------------------------------------------------------------- structure

def test_blocks_inline_and_dropped_elements():
    body = ("<nav>首页 &gt; 政务公开</nav><header>网站头</header>"
            "<div>一、<span>工作</span><a href='#'>目标</a></div>"
            "<div>第一行<br>第二行&nbsp;&nbsp;续</div>"
            "<script>var x = '一、脚本';</script><style>p{}</style><noscript>请开启脚本</noscript>"
            "<ul><li>甲</li><li>乙</li></ul><h2>二、标题</h2>"
            "<form><input value='搜索'>搜索</form><iframe>框</iframe>"
            "<div style='display:none'>隐藏</div><footer>版权所有</footer>")
    assert _texts(_page(body).encode()) == ["一、工作目标", "第一行", "第二行 续", "● 甲", "● 乙", "二、标题"]


def test_whitespace_collapses_and_ideographic_space_stays():
    assert _texts(_page("<p>\n  一、\n   总体 \t 要求</p><p>\u3000\u3000正文</p>").encode()) == [
        "一、 总体 要求", "\u3000\u3000正文"]


def test_source_lines_are_kept():
    doc = extract(_page("<p>甲</p>\n<p>乙</p>\n\n<p>丙</p>").encode(), None)
    lines = [(b.text, b.line) for b in doc.lines()]
    assert lines == [("甲", 5), ("乙", 6), ("丙", 8)]


@pytest.mark.parametrize("markup", [
    "<b>区卫生健康局</b>", "<strong>区卫生健康局</strong>", '<span style="font-weight:bold">区卫生健康局</span>',
    '<span style="FONT-WEIGHT: 700">区卫生健康局</span>', '<span style="font-family:黑体">区卫生健康局</span>',
    "<span style=\"font-family:'SimHei'\">区卫生健康局</span>", '<font face="黑体">区卫生健康局</font>',
    '<span style="mso-fareast-font-family:黑体">区卫生健康局</span>',
], ids=["b", "strong", "weight-bold", "weight-700", "family-heiti", "family-simhei", "font-face", "mso-fareast"])
def test_bold_span_inside_clause(markup):
    line = extract(_page(f"<p>（承办单位：{markup}、大安镇）</p>").encode(), None).lines()[0]
    assert line.text == "（承办单位：区卫生健康局、大安镇）"
    assert line.bold is False and line.bold_spans == ((6, 12),)


@pytest.mark.parametrize("markup", [
    '<span style="mso-bidi-font-weight:normal">区卫生健康局</span>',
    '<b><span style="font-weight:normal">区卫生健康局</span></b>',
    '<span style="font-family:微软雅黑">区卫生健康局</span>',
], ids=["mso-bidi-normal", "weight-normal-inside-b", "yahei"])
def test_not_bold(markup):
    line = extract(_page(f"<p>（承办单位：{markup}、大安镇）</p>").encode(), None).lines()[0]
    assert line.bold is False and line.bold_spans == ()


def test_whole_bold_line():
    line = extract(_page("<p><b>一、总体要求</b></p>").encode(), None).lines()[0]
    assert line.bold is True


# ---------------------------------------------------------------- tables

def test_data_table_with_merged_cells():
    body = ("<table>"
            "<tr><th>序号</th><th colspan='2'>重点任务</th><th>责任单位</th></tr>"
            "<tr><td>1</td><td>甲</td><td>子</td><td rowspan='2'>区<b>财政局</b></td></tr>"
            "<tr><td>2</td><td>乙</td><td>丑</td></tr>"
            "</table><p>后文</p>")
    blocks = extract(_page(body).encode(), None).blocks
    assert isinstance(blocks[0], Table) and isinstance(blocks[1], Line) and blocks[1].text == "后文"
    grid = [[(c.text, c.merged) for c in row] for row in blocks[0].rows]
    assert grid == [[("序号", False), ("重点任务", False), ("重点任务", True), ("责任单位", False)],
                    [("1", False), ("甲", False), ("子", False), ("区财政局", False)],
                    [("2", False), ("乙", False), ("丑", False), ("区财政局", True)]]
    assert blocks[0].rows[0][0].bold is True  # th renders bold
    assert blocks[0].rows[1][3].bold_spans == ((1, 4),)


def test_cells_keep_their_paragraphs():
    body = "<table><tr><td>1</td><td><p>甲</p><p>乙</p></td></tr><tr><td>2</td><td>丙</td></tr></table>"
    table = extract(_page(body).encode(), None).blocks[0]
    assert table.rows[0][1].text == "甲\n乙"


@pytest.mark.parametrize("body", [
    "<table><tr><td>一、总体要求</td></tr><tr><td>1.加强管理。</td></tr></table>",  # one column
    "<table><tr><td>一、总体要求</td></tr></table>",  # one cell
    "<table><tr><td>一、总体要求</td><td>1.加强管理。</td></tr></table>",  # one row
    "<table><tr><td><table><tr><td>一、总体要求</td></tr><tr><td>1.加强管理。</td></tr>"
    "</table></td><td>侧栏</td></tr><tr><td>a</td><td>b</td></tr></table>",  # tables in cells: page layout
], ids=["one-column", "one-cell", "one-row", "nested-layout"])
def test_layout_tables_become_lines(body):
    blocks = extract(_page(body).encode(), None).blocks
    texts = [b.text for b in blocks if isinstance(b, Line)]
    assert "一、总体要求" in texts and not any(isinstance(b, Table) for b in blocks[:1])


def test_spans_are_clamped_and_huge_tables_read_as_lines():
    body = "<table><tr><td colspan='200'>甲</td><td>乙</td></tr><tr><td>1</td><td rowspan='-3'>2</td></tr></table>"
    table = extract(_page(body).encode(), None).blocks[0]
    assert isinstance(table, Table) and len(table.rows[0]) == 201 and table.rows[1][1].text == "2"
    body = "<table><tr><td colspan='99999999'>甲</td><td>乙</td></tr><tr><td>1</td><td>2</td></tr></table>"
    blocks = extract(_page(body).encode(), None).blocks
    assert [b.text for b in blocks] == ["甲", "乙", "1", "2"]


# ---------------------------------------------------------------- odd input

@pytest.mark.parametrize("data", [
    b"<html>\x00\x01<body><p>\xe7\x94\xb2</p></body></html>",
    b'<?xml version="1.0" encoding="utf-8"?><html><body><p>\xe7\x94\xb2</p></body></html>',
    b"<html><body>" + b"<div>" * 200 + "甲".encode() + b"</div>" * 200 + b"</body></html>",
    # past libxml2's default depth limit (256), which dropped the text silently
    b"<html><body>" + b"<div>" * 1500 + "甲".encode() + b"</div>" * 1500 + b"</body></html>",
], ids=["nul-bytes", "xml-declaration", "deep-nesting", "deeper-than-256"])
def test_odd_pages_still_read(data):
    assert [b.text for b in extract(data, None).lines()] == ["甲"]


@pytest.mark.parametrize("data", [
    b"<html><body></body></html>", b"<html><body><script>var a = 1;</script><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav></body></html>",
], ids=["empty-body", "only-script-and-menu"])
def test_pages_without_text_are_empty(data):
    with pytest.raises(EmptyDocument):
        extract(data, "x.html")


def test_page_past_the_parsers_depth_limit_is_an_error_not_silence():
    """Past libxml2's huge-tree depth limit (2048) the parser drops what lies deeper: that must
    be an error naming the limit, not an 'empty page' or a page with its end missing."""
    data = b"<html><body>" + b"<div>" * 5000 + "甲".encode() + b"</div>" * 5000 + b"</body></html>"
    with pytest.raises(TooLarge, match="depth"):
        extract(data, "x.html")


def test_seed_page_gives_its_tasks():
    text = (SAMPLES / "004_4ed748fdf1ac17b6.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{ln.strip()}</p>\n" for ln in text.splitlines() if ln.strip())
    data = _page(body, '<meta charset="utf-8">').encode("gbk")  # a lying meta over GBK bytes
    result = taskparse.parse_bytes(data, "seed004.html")
    assert result.source.format == "html" and len(result.tasks) == 66


def test_bulleted_list_items_read_with_a_bullet_and_become_tasks():
    """<ul><li> reads as "● …" (as a browser draws it): under a numbered heading each item is a task; a site's
    menu before the notice and its links after the last task are not."""
    page = _page("""
        <ul class="nav"><li>首页</li><li>政务公开</li></ul>
        <p>一、经济发展</p>
        <ul><li>推进工业发展。</li></ul>
        <p>责任单位：县工信局</p>
        <ul><li>做好农业。（责任单位：县农业农村局）</li></ul>
        <ul style="list-style: none"><li>不显示圆点的列表</li></ul>
        <ul><li>联系我们</li><li>网站地图</li></ul>
    """).encode("utf-8")
    texts = _texts(page)
    assert texts[:3] == ["● 首页", "● 政务公开", "一、经济发展"]
    assert "不显示圆点的列表" in texts
    r = taskparse.parse_bytes(page, "bullets.html")
    assert [(t.id, t.text, t.units) for t in r.tasks] == [
        ("一.p1", "推进工业发展。", ["县工信局"]), ("一.p2", "做好农业。", ["县农业农村局"])]


# ---------------------------------------------------------------- numbered lists

@pytest.mark.parametrize("body, want", [
    ("<ol><li>甲</li><li>乙</li></ol>", ["1. 甲", "2. 乙"]),
    ('<ol type="a"><li>甲</li><li>乙</li></ol>', ["a. 甲", "b. 乙"]),
    ('<ol type="A" start="3"><li>甲</li><li>乙</li></ol>', ["C. 甲", "D. 乙"]),
    ('<ol type="i"><li>甲</li><li>乙</li><li>丙</li><li>丁</li></ol>', ["i. 甲", "ii. 乙", "iii. 丙", "iv. 丁"]),
    ('<ol type="I" start="9"><li>甲</li><li>乙</li></ol>', ["IX. 甲", "X. 乙"]),
    ('<ol start="5"><li>甲</li><li value="9">乙</li><li>丙</li></ol>', ["5. 甲", "9. 乙", "10. 丙"]),
    ("<ol reversed><li>甲</li><li>乙</li><li>丙</li></ol>", ["3. 甲", "2. 乙", "1. 丙"]),
    ('<ol reversed start="10"><li>甲</li><li>乙</li></ol>', ["10. 甲", "9. 乙"]),
    ('<ol start=" 0 "><li>甲</li></ol>', ["0. 甲"]),
    ('<ol start="x"><li>甲</li></ol>', ["1. 甲"]),  # not a number: the default
    ('<ol style="list-style-type: cjk-ideographic"><li>甲</li><li>乙</li></ol>', ["一、甲", "二、乙"]),
    ('<ol style="list-style-type:simp-chinese-informal" start="10"><li>甲</li><li>乙</li></ol>', ["十、甲", "十一、乙"]),
    ('<ol style="list-style-type:cjk-decimal" start="10"><li>甲</li></ol>', ["一〇、甲"]),
    ('<ol style="LIST-STYLE: decimal inside"><li>甲</li></ol>', ["1. 甲"]),
    ('<ol style="list-style-type: decimal-leading-zero"><li>甲</li></ol>', ["01. 甲"]),
    ('<ol type="a"><li style="list-style-type: decimal">甲</li><li type="i">乙</li><li>丙</li></ol>',
     ["1. 甲", "ii. 乙", "c. 丙"]),  # an item's own style counts it in its list's sequence
    ('<ol style="list-style: none"><li>甲</li><li>乙</li></ol>', ["甲", "乙"]),
    ('<ol style="list-style-type:none !important"><li>甲</li></ol>', ["甲"]),
    ('<ol><li style="list-style:none">甲</li><li>乙</li></ol>', ["甲", "2. 乙"]),
    ('<ol style="list-style-type: disc"><li>甲</li></ol>', ["● 甲"]),
    ('<ol style="list-style: inside"><li>甲</li></ol>', ["● 甲"]),  # the shorthand resets the type to disc
    ('<ol style="list-style-type: hebrew"><li>甲</li></ol>', ["1. 甲"]),  # unknown to us: decimal, as CSS falls back
    ('<ul style="list-style-type: decimal"><li>甲</li><li>乙</li></ul>', ["1. 甲", "2. 乙"]),
    ('<ul style="list-style-type: var(--mark)"><li>甲</li></ul>', ["● 甲"]),  # not read: the list's own
    ('<ul type="none"><li>甲</li></ul>', ["甲"]),
    ("<ol><li>甲</li><li hidden>藏</li><li style='display:none'>藏</li><li>乙</li></ol>", ["1. 甲", "2. 乙"]),
    ("<ol><li><p>甲</p><p>续</p></li><li></li><li>乙</li></ol>", ["1. 甲", "续", "3. 乙"]),
    ("<ul><li><p>甲</p></li></ul>", ["● 甲"]),  # the bullet goes with the item's first line, not on a line alone
    ("<ol><li><b>甲</b>乙</li></ol>", ["1. 甲乙"]),
], ids=["decimal", "type-a", "type-A-start", "type-i", "type-I-start", "value", "reversed", "reversed-start",
        "start-zero", "start-junk", "cjk-ideographic", "simp-chinese-informal", "cjk-decimal", "shorthand-caps",
        "leading-zero", "item-own-style", "style-none", "none-important", "item-none", "ol-disc", "shorthand-inside",
        "unknown-style", "ul-decimal", "ul-var", "ul-type-none", "hidden-items", "item-paragraphs", "ul-item-paragraph",
        "inline-start"])
def test_ordered_list_numbers_as_a_browser_draws_them(body, want):
    assert _texts(_page(body).encode()) == want


@pytest.mark.parametrize("body, want", [
    ("<ol><li>1．推进甲</li><li>2．推进乙</li></ol>", ["1．推进甲", "2．推进乙"]),
    ("<ol><li>\u3000\u3000（一）推进甲</li><li><span>（二）</span>推进乙</li><li>推进丙</li></ol>",
     ["\u3000\u3000（一）推进甲", "（二）推进乙", "3. 推进丙"]),
    ('<ol style="list-style:none"><li>一、总体要求</li><li>二、重点任务</li></ol>', ["一、总体要求", "二、重点任务"]),
    ("<ol><li>1.1推进甲</li><li>①推进乙</li><li>⒊推进丙</li></ol>", ["1.1推进甲", "①推进乙", "⒊推进丙"]),
    ("<ol><li>2024年底前完成</li><li>一是推进乙</li></ol>", ["1. 2024年底前完成", "2. 一是推进乙"]),
], ids=["decimal-by-hand", "paren-by-hand-after-indent", "style-none-by-hand", "decimal-circled-fullstop",
        "not-numbers"])
def test_items_numbered_by_hand_get_no_second_number(body, want):
    """Many sites write the numbers into the items themselves, with or without hiding the list's own."""
    assert _texts(_page(body).encode()) == want


@pytest.mark.parametrize("body, want", [
    ("<ol><li>甲<ol><li>子</li><li>丑<ol><li>寅</li></ol></li></ol></li><li>乙</li></ol>",
     ["1. 甲", "（1）子", "（2）丑", "①寅", "2. 乙"]),
    ('<ol style="list-style-type:cjk-ideographic"><li>甲<ol><li>子</li></ol></li></ol>', ["一、甲", "1. 子"]),
    ('<ol style="list-style-type:cjk-ideographic"><li>甲<ol style="list-style-type:cjk-ideographic">'
     "<li>子</li></ol></li></ol>", ["一、甲", "（一）子"]),
    ('<ol><li>甲<ol type="a"><li>子</li><li>丑</li></ol></li></ol>', ["1. 甲", "（1）子", "（2）丑"]),
    ('<ol style="list-style:none"><li>1．甲<ol><li>子</li></ol></li><li>（一）乙<ol><li>丑</li></ol></li></ol>',
     ["1．甲", "（1）子", "（一）乙", "1. 丑"]),
    ("<ul><li>甲<ol><li>子</li></ol></li></ul>", ["● 甲", "1. 子"]),
    ("<ol><li>甲<ul><li>子</li></ul><ol start='4'><li>丑</li></ol></li></ol>", ["1. 甲", "● 子", "（4）丑"]),
], ids=["decimal-in-decimal", "decimal-in-cjk", "cjk-in-cjk", "letters-in-decimal", "under-numbers-by-hand",
        "in-a-bullet", "after-a-bullet-list"])
def test_nested_lists_number_one_level_deeper(body, want):
    """A browser draws "1." at every depth; the lines say which item is under which."""
    assert _texts(_page(body).encode()) == want


def test_lists_of_links_get_no_numbers():
    """A menu or a list of related pages is a list of links: numbered, its lines would read as items."""
    body = ('<ol><li><a href="/">首页</a></li><li><a href="/zwgk/"><span>政务公开</span></a></li></ol>'
            '<ol><li><a name="t1"></a>推进甲</li></ol><ol><li>推进乙<a href="#">详情</a></li></ol>')
    assert _texts(_page(body).encode()) == ["首页", "政务公开", "1. 推进甲", "1. 推进乙详情"]


NOTICE_PAGE = """
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<ol class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ol>
<h1>关于印发《××县2024年优化营商环境重点任务分工方案》的通知</h1>
<p>各乡镇人民政府，县政府各部门：</p>
<p>为持续优化营商环境，现将2024年重点任务分工如下，请认真抓好落实。</p>
<h3>一、提升政务服务效能</h3>
<ol>
  <li>深化“一网通办”改革，推动高频事项全程网办。（牵头单位：县政务服务中心；责任单位：县大数据中心、县财政局）</li>
  <li>推行企业开办“一日办结”。（牵头单位：县市场监管局；责任单位：县公安局、县税务局）</li>
  <li>完成工程建设项目审批系统升级。（牵头单位：县住建局）</li>
</ol>
<p><strong>二、优化市场环境</strong></p>
<ol style="list-style-type: decimal">
  <li>清理妨碍公平竞争的政策措施。（牵头单位：县发改委；责任单位：县司法局）</li>
  <li>
    规范涉企收费。（牵头单位：县发改委；责任单位：县财政局、县市场监管局）
    <ol><li>开展涉企收费专项检查。（责任单位：县市场监管局）</li><li>公开收费目录清单。（责任单位：县财政局）</li></ol>
  </li>
  <li>加强中小企业融资服务。（牵头单位：县财政局；责任单位：县金融服务中心）</li>
</ol>
<p style="text-align:right">××县人民政府办公室</p>
<p style="text-align:right">2024年3月1日</p>
<div>相关链接</div>
<ol><li><a href="/a.html">关于印发2023年优化营商环境工作要点的通知</a> 2023-02-15</li>
<li><a href="/b.html">县政府工作报告</a> 2024-01-20</li></ol>
"""


def test_notice_page_with_ordered_lists_gives_its_tasks():
    """A notice whose items are <ol><li> under 一、 headings: each item is a task of its heading, a list inside
    an item holds its sub-tasks (which keep their item's lead), and the site's link lists are no tasks."""
    r = taskparse.parse_bytes(_page(NOTICE_PAGE, '<meta charset="utf-8">').encode("utf-8"), "notice.html")
    got = [(t.id, t.text, t.lead_units, t.units) for t in r.tasks]
    assert got == [
        ("一.1", "深化“一网通办”改革，推动高频事项全程网办。", ["县政务服务中心"], ["县大数据中心", "县财政局"]),
        ("一.2", "推行企业开办“一日办结”。", ["县市场监管局"], ["县公安局", "县税务局"]),
        ("一.3", "完成工程建设项目审批系统升级。", ["县住建局"], []),
        ("二.1", "清理妨碍公平竞争的政策措施。", ["县发改委"], ["县司法局"]),
        ("二.2.(1)", "开展涉企收费专项检查。", ["县发改委"], ["县市场监管局"]),
        ("二.2.(2)", "公开收费目录清单。", ["县发改委"], ["县财政局"]),
        ("二.3", "加强中小企业融资服务。", ["县财政局"], ["县金融服务中心"]),
    ]
