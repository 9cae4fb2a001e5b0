"""The review page: one self-contained HTML file per notice, the extracted notice on the left
and the ledger on the right, every task highlighted where it was read (see spans.py).

Nothing from a notice is ever written into the page as HTML: the page carries the notice as
JSON inside ``<script type="application/json">`` (with ``<``, ``>`` and ``&`` escaped, so no
``</script>`` or ``<!--`` can end it early) and its script builds the DOM with ``textContent``.
The page loads nothing from the network.
"""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import regex

from .document import Document
from .models import Result, Warning
from .parser import patterns as P
from .spans import Extracted, annotate, squeeze

# a clause-like phrase in text that no task covers: a label with its colon, or a bracket that ends
# in a duty word (State-Council style "（X牵头，Y负责）"); bounded, no nested quantifiers
LIKELY_CLAUSE = regex.compile(P.LABEL.pattern + r"|[（(][^（）()\n]{0,80}(?:牵头|负责|配合)[）)]")
MISSED_MAX_CHARS = 400  # a longer uncovered paragraph is shaded only around its phrase

WARNING_LABELS = {  # the ledger's 提示 column, in the clerk's words
    "no_clause": "未写明责任分工",
    "skipped_number": "编号不连续",
    "orphan_clause": "分工条款前没有事项",
    "unbalanced_bracket": "括号不配对",
    "bold_lead_unknown": "无法识别黑体标注的牵头单位",
    "mark_unexplained": "单位旁的标记含义不明，请核对牵头单位",
    "empty_text": "事项只有分工、没有内容",
    "needs_ocr": "部分页面是图片，需要OCR",
    "suspect_unit": "分工中有不像单位名称的内容，未列入",
    "text_after_clause": "分工之后另有一行任务内容，请核对",
}


@dataclass
class Reviewed:
    """One notice ready for its page."""

    result: Result  # with spans
    extracted: Extracted


def review_document(doc: Document) -> Reviewed:
    """Parse ``doc`` and align its tasks (the parser's output is not changed otherwise)."""
    from .parser import parse

    ex, result = annotate(doc, parse(doc))
    return Reviewed(result, ex)


def review_file(path: str | Path) -> Reviewed:
    """Extract, parse and align one file (raises TaskparseError for bad input)."""
    from .extractors import extract

    return review_document(extract(path))


# --- the data the page's script reads -------------------------------------------------------------

def _task_warnings(result: Result) -> tuple[dict[int, list[Warning]], list[Warning]]:
    """Warnings attached to tasks by location (and by the task id named in the message when
    several tasks share a location, as table rows do); the rest are the notice's."""
    by_loc: dict[tuple, list[int]] = {}
    for i, t in enumerate(result.tasks):
        by_loc.setdefault((t.location.line, t.location.page), []).append(i)
    mine: dict[int, list[Warning]] = {}
    general: list[Warning] = []
    for w in result.warnings:
        cands = by_loc.get((w.location.line, w.location.page), [])
        if len(cands) > 1:
            cands = [i for i in cands if f" {result.tasks[i].id} " in f" {w.message} "] or []
        if len(cands) == 1 and w.code not in ("skipped_number", "needs_ocr"):
            mine.setdefault(cands[0], []).append(w)
        else:
            general.append(w)
    return mine, general


def _missed(ex: Extracted, covered: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """Paragraphs (or table rows) between the first and last task that no span touches but that
    carry a clause-like phrase: likely a task the parser missed."""
    covered = sorted(covered)
    out: list[tuple[int, int]] = []
    k = 0
    units: list[tuple[int, int]] = []
    for block in ex.blocks:
        if block.kind == "line":
            units.append((block.start, block.end))
        else:
            units += [(cells[0].start, cells[-1].end) for cells in block.cells if cells]
    for a, b in units:
        if b <= lo or a >= hi:
            continue
        while k < len(covered) and covered[k][1] <= a:
            k += 1
        if k < len(covered) and covered[k][0] < b:
            continue  # some task uses this paragraph
        text = ex.text[a:b]
        m = LIKELY_CLAUSE.search(text)
        if m is None:
            continue
        if b - a > MISSED_MAX_CHARS:
            out.append((a + max(0, m.start() - 40), a + min(len(text), m.end() + 80)))
        else:
            out.append((a, b))
    return out


def page_data(rv: Reviewed) -> dict:
    """Everything the page shows, as plain JSON-able data."""
    result, ex = rv.result, rv.extracted
    mine, general = _task_warnings(result)
    tasks: list[dict] = []
    covered: list[tuple[int, int]] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, t in enumerate(result.tasks):
        sp = t.spans
        marks: list[list] = []
        if sp is not None:
            marks += [["n", a, b] for a, b in sp.number] + [["t", a, b] for a, b in sp.text]
            marks += [["c", a, b] for a, b in sp.clause]
            marks += [[r.role, r.span[0], r.span[1], 1 if r.inherited else 0] for r in sp.roles if r.span]
            starts += [a for a, _ in sp.number + sp.text]
            ends += [b for _, b in sp.text + sp.clause]
        covered += [(m[1], m[2]) for m in marks]
        tasks.append({
            "id": t.id, "number": t.number, "section": t.section, "text": t.text, "leaders": t.leaders,
            "lead": t.lead_units, "units": t.units, "deadline": t.deadline, "clause": t.clause,
            "loc": [t.location.line, t.location.page], "extra": t.extra, "marks": marks,
            "also": _canonical_names(t),
            "warn": [[w.code, WARNING_LABELS.get(w.code, w.code), w.message] for w in mine.get(i, [])],
        })
    missed = _missed(ex, covered, min(starts), max(ends)) if starts else []
    blocks = []
    headings = _heading_keys(result)
    for b in ex.blocks:
        if b.kind == "line":
            blocks.append({"k": "p", "s": b.start, "e": b.end,
                           "hd": bool(b.bold) or _is_heading(ex.text[b.start:b.end], headings)})
        else:
            blocks.append({"k": "table", "s": b.start, "e": b.end,
                           "rows": [[[c.start, c.end] if c.origin is None else list(c.origin) + [-1]
                                     for c in row] for row in b.cells]})
    n = result.notice
    return {
        "file": Path(result.source.path).name if result.source.path else "",
        "format": result.source.format,
        "notice": {"title": n.title, "doc_number": n.doc_number, "issuer": n.issuer, "date": n.date},
        "text": ex.text, "blocks": blocks, "pages": ex.pages, "tasks": tasks, "missed": missed,
        "warnings": [[w.code, WARNING_LABELS.get(w.code, w.code), w.location.line, w.location.page]
                     for w in general],
    }


HEADING_KEY_CHARS = 8  # headings are matched by their first characters, then in full


def _heading_keys(result: Result) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for t in result.tasks:
        for h in t.section:
            k = squeeze(h)
            if k:
                keys.setdefault(k[:HEADING_KEY_CHARS], set()).add(k)
    return keys


def _is_heading(text: str, keys: dict[str, set[str]]) -> bool:
    """Is this paragraph one of the section headings the tasks sit under?"""
    sq = squeeze(text[:400])
    return any(sq.startswith(k) for k in keys.get(sq[:HEADING_KEY_CHARS], ()))


def _canonical_names(task) -> list[str]:
    """Other names of the task's units (fields whose name says canonical), for the filter box."""
    out: list[str] = []
    for key, value in task.model_dump().items():
        if "canonical" in key:
            stack = [value]
            while stack:
                v = stack.pop()
                if isinstance(v, str):
                    out.append(v)
                elif isinstance(v, (list, tuple)):
                    stack.extend(v)
                elif isinstance(v, dict):
                    stack.extend(v.values())
    return out


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no ``<``, ``>`` or ``&`` survive literally
    (so neither ``</script>`` nor ``<!--`` can end or change the element)."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_page(rv: Reviewed) -> str:
    """The whole HTML page for one notice."""
    data = page_data(rv)
    title = data["notice"]["title"] or data["file"] or "任务核对"
    return _fill(_PAGE, {"TITLE": html.escape(f"核对：{title}"), "CSS": _CSS, "JS": _JS, "DATA": script_json(data)})


def _fill(template: str, values: dict[str, str]) -> str:
    """One pass over the template: text put in is never searched for placeholders again."""
    return regex.sub(r"@([A-Z]+)@", lambda m: values[m.group(1)], template)


@dataclass
class IndexRow:
    href: str
    file: str
    title: str | None = None
    doc_number: str | None = None
    tasks: int = 0
    warnings: int = 0
    error: str | None = None


def render_index(rows: list[IndexRow], heading: str) -> str:
    """The folder's index.html: one row per notice (pages that failed show their error)."""
    out = []
    for r in rows:
        name = html.escape(r.file)
        link = f'<a href="{html.escape(r.href, quote=True)}">{name}</a>' if not r.error else name
        out.append("<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=num>{}</td><td class=num>{}</td></tr>".format(
            ' class="bad"' if r.error or r.warnings else "", link, html.escape(r.title or r.error or ""),
            html.escape(r.doc_number or ""), "" if r.error else r.tasks, "" if r.error else r.warnings))
    total = sum(r.tasks for r in rows)
    return _fill(_INDEX, {"TITLE": html.escape(heading), "SUMMARY": html.escape(f"{len(rows)} 个文件，共 {total} 项任务"),
                          "ROWS": "\n".join(out)})


def write_text(dest: Path, text: str) -> None:
    from .writers import atomic_open

    with atomic_open(dest, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def json_with_text(rv: Reviewed) -> str:
    """The result JSON with spans, plus ``extracted`` (the text the spans point into)."""
    data = rv.result.model_dump(mode="json")
    data["extracted"] = {"text": rv.extracted.text, "pages": [list(p) for p in rv.extracted.pages]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def relative_href(index_dir: Path, page: Path) -> str:
    """A relative URL to ``page``: a file name with # ? % or spaces still links to its file."""
    return quote(Path(os.path.relpath(page, index_dir)).as_posix())


# --- files and folders ---------------------------------------------------------------------------------

REVIEW_FORMATS = ("html", "json")


@dataclass
class PageOutcome:
    """What happened to one input: a page written (``dest``) or one error line."""

    path: str
    dest: Path | None = None
    error: str | None = None
    exit_code: int = 0
    row: IndexRow | None = None


def format_of(output: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    return "json" if output and Path(output).suffix.lower() == ".json" else "html"


def render(rv: Reviewed, fmt: str) -> str:
    return json_with_text(rv) if fmt == "json" else render_page(rv)


def review_one(src: Path, dest: Path | None, fmt: str, href_base: Path | None = None) -> tuple[PageOutcome, str | None]:
    """Review one file; write it to ``dest`` (or return the text when ``dest`` is None)."""
    from .errors import TaskparseError

    try:
        rv = review_file(src)
        text = render(rv, fmt)
    except TaskparseError as exc:
        return PageOutcome(str(src), error=exc.line(), exit_code=exc.exit_code,
                           row=IndexRow("", src.name, error=exc.line())), None
    except RecursionError:
        line = f"{src}: 文档嵌套过深，无法读取——请检查文件"
        return PageOutcome(str(src), error=line, exit_code=5, row=IndexRow("", src.name, error=line)), None
    except Exception as exc:  # noqa: BLE001 - one bad file must not end a folder
        line = f"{src}: 内部错误（{type(exc).__name__}: {exc}）——请连同文件一起报告；加 --debug 查看详情"
        return PageOutcome(str(src), error=line, exit_code=3, row=IndexRow("", src.name, error=line)), None
    r = rv.result
    row = IndexRow(relative_href(href_base, dest) if (href_base is not None and dest is not None) else "", src.name,
                   r.notice.title, r.notice.doc_number, len(r.tasks), len(r.warnings))
    if dest is None:
        return PageOutcome(str(src), row=row), text
    write_text(dest, text)
    return PageOutcome(str(src), dest=dest, row=row), None


def review_folder(folder: Path, out_dir: Path, fmt: str) -> list[PageOutcome]:
    """A page per notice below ``folder``, mirrored into ``out_dir``, and ``out_dir/index.html``."""
    from .batch import discover

    outcomes = []
    for src in discover(folder, exclude=out_dir):
        rel = src.relative_to(folder)
        dest = out_dir / rel.with_name(f"{rel.name}.{fmt}")
        if not _inside(dest, out_dir):  # pragma: no cover - discover() only yields paths below folder
            continue
        outcomes.append(review_one(src, dest, fmt, href_base=out_dir)[0])
    if fmt == "html":
        rows = [o.row for o in outcomes if o.row is not None]
        write_text(out_dir / "index.html", render_index(rows, f"任务核对：{folder.resolve().name}"))
    return outcomes


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


# --- the page template ---------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<style>@CSS@</style>
</head>
<body>
<header id="top"><h1 id="title"></h1><div id="meta"></div>
<div id="tools"><label>按单位筛选 <input id="filter" type="search" placeholder="输入单位名称，如 财政局" autocomplete="off"></label>
<span id="count"></span><span class="legend"><span class="sw t"></span>任务 <span class="sw c"></span>分工条款 <span class="sw lead"></span>牵头单位
<span class="sw unit"></span>责任单位 <span class="sw leader"></span>牵头领导 <span class="sw deadline"></span>完成时限 <span class="sw missed"></span>疑似漏识别 <span class="sw warn"></span>有提示 <span class="inh">↑</span>取自上级标题或合并单元格</span>
<span class="keys">j / k 或 ↑ / ↓ 切换任务</span></div>
<ul id="general"></ul></header>
<main><section id="src" aria-label="通知原文"></section>
<section id="ledger" aria-label="任务台账"><table><thead><tr><th>序号</th><th>任务</th><th>牵头领导</th><th>牵头单位</th>
<th>责任单位</th><th>完成时限</th><th>提示</th></tr></thead><tbody id="rows"></tbody></table></section></main>
<script type="application/json" id="data">@DATA@</script>
<script>@JS@</script>
</body>
</html>
"""

_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:14px/1.6 "Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",SimSun,sans-serif;color:#222;
display:flex;flex-direction:column}
header{padding:8px 14px;border-bottom:1px solid #ccc;background:#f6f7f9}
h1{font-size:17px;margin:0}
#meta{color:#555;font-size:13px}
#tools{display:flex;flex-wrap:wrap;gap:6px 16px;align-items:center;margin-top:4px;font-size:13px}
#filter{width:16em;padding:2px 6px;font:inherit}
.legend .sw{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin:0 2px 0 6px;border:1px solid #999}
.keys{color:#777}
#general{margin:4px 0 0;padding-left:18px;color:#a40;font-size:13px}
#general:empty{display:none}
main{flex:1;display:grid;grid-template-columns:minmax(0,5fr) minmax(0,6fr);min-height:0}
#src{overflow:auto;padding:10px 18px;border-right:2px solid #ccc;background:#fff}
#ledger{overflow:auto}
#src p{margin:0 0 6px;white-space:pre-wrap;word-break:break-all}
#src p.hd{font-weight:bold}
#src p.gap{height:2px;margin:0}
#src .page{margin:12px 0 8px;border-top:1px dashed #999;color:#777;font-size:12px;text-align:center}
#src table{border-collapse:collapse;margin:6px 0;font-size:13px}
#src td{border:1px solid #bbb;padding:2px 4px;vertical-align:top;white-space:pre-wrap}
.s{cursor:default}
.s.tk{border-bottom:1px dotted #9ab;cursor:pointer}
.s.wn{text-decoration:underline wavy #d33}
.s.missed,.sw.missed{background:#ffd7a8}
.s.on.t,.sw.t{background:#dbe9ff}
.s.on.n{background:#b9d3ff;font-weight:bold}
.s.on.c,.sw.c{background:#eee3ff}
.s.on.lead,.sw.lead{background:#ff9e9e}
.s.on.unit,.sw.unit{background:#9fe2a6}
.s.on.leader,.sw.leader{background:#ffd966}
.s.on.deadline,.sw.deadline{background:#8fd8e8}
.sw.warn{background:#fff;border-bottom:2px solid #d33}
.s.on{outline:1px solid #6a8fd4}
#ledger table{border-collapse:collapse;width:100%;font-size:13px}
#ledger th{position:sticky;top:0;background:#e9edf3;border:1px solid #bbb;padding:3px;white-space:nowrap;z-index:1}
#ledger td{border:1px solid #ccc;padding:3px 4px;vertical-align:top}
#ledger tr.row{cursor:pointer}
#ledger tr.row:hover{background:#f5f8ff}
#ledger tr.sel{background:#dbe9ff;outline:2px solid #4a78c9}
#ledger tr.wn td:first-child{border-left:4px solid #d33}
#ledger td.num{white-space:nowrap;color:#555}
#ledger td.hint{color:#b22;font-size:12px}
#ledger td.lead{color:#a00}
.inh{color:#777}
#ledger .sec{display:block;color:#888;font-size:12px}
@page{size:A4 landscape;margin:12mm}
@media print{
 body{display:block;height:auto}
 header #tools,#general,#src{display:none}
 main{display:block}
 #ledger{overflow:visible}
 #ledger th{position:static}
 #ledger tr.row{display:table-row!important}
 #ledger tr.sel{background:none;outline:none}
 tr{break-inside:avoid}
}
"""

_JS = r"""
'use strict';
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var T = D.text, tasks = D.tasks;
  var ROLE_ORDER = {n: 1, t: 1, c: 2, leader: 3, lead: 3, unit: 3, deadline: 3, missed: 0};
  var rowEls = [], segsOf = [], current = -1;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // header
  var n = D.notice;
  document.getElementById('title').textContent = n.title || D.file || '任务核对';
  var meta = [n.doc_number, n.issuer, n.date, D.file, '共 ' + tasks.length + ' 项任务'].filter(function (x) { return x; });
  document.getElementById('meta').textContent = meta.join('　');
  var gen = document.getElementById('general');
  D.warnings.forEach(function (w) {
    var where = w[3] ? '第' + w[3] + '页' : (w[2] ? '第' + w[2] + '行' : '');
    gen.appendChild(el('li', '', w[1] + (where ? '（' + where + '）' : '')));
  });

  // every mark: [start, end, task index or -1, kind, inherited]
  var marks = [];
  tasks.forEach(function (t, i) {
    t.marks.forEach(function (m) { marks.push([m[1], m[2], i, m[0], m[3] || 0]); });
  });
  D.missed.forEach(function (m) { marks.push([m[0], m[1], -1, 'missed', 0]); });
  marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });

  // source pane: text cut at every mark boundary; each piece knows the marks over it
  var src = document.getElementById('src');
  var mi = 0, open = [];
  function fill(parent, s, e) {
    // marks over [s, e): those still open from earlier blocks, then those starting before e (sorted)
    var cover = open.filter(function (m) { return m[1] > s; });
    var starting = [];
    for (var j = mi; j < marks.length && marks[j][0] < e; j++) {
      if (marks[j][1] > s) starting.push(marks[j]);
    }
    var cuts = [s, e];
    cover.concat(starting).forEach(function (m) {
      if (m[0] > s && m[0] < e) cuts.push(m[0]);
      if (m[1] > s && m[1] < e) cuts.push(m[1]);
    });
    cuts.sort(function (a, b) { return a - b; });
    var k2 = 0, prev = -1;
    for (var k = 0; k + 1 < cuts.length; k++) {
      var a = cuts[k], b = cuts[k + 1];
      if (a === prev || a === b) continue;
      prev = a;
      // a sweep: every mark in cover starts at or before a and ends after it (so at or after b)
      while (k2 < starting.length && starting[k2][0] <= a) cover.push(starting[k2++]);
      cover = cover.filter(function (m) { return m[1] > a; });
      if (!cover.length) { parent.appendChild(document.createTextNode(T.slice(a, b))); continue; }
      var sp = el('span', 's', T.slice(a, b));
      var mine = [];
      cover.forEach(function (m) {
        if (m[3] === 'missed') { sp.classList.add('missed'); sp.title = '这段有分工用语，但不属于任何任务：可能漏识别'; return; }
        sp.classList.add('tk');
        if (tasks[m[2]].warn.length) sp.classList.add('wn');
        mine.push(m);
        (segsOf[m[2]] = segsOf[m[2]] || []).push([sp, m[3]]);
      });
      sp._marks = mine;
      if (mine.length) sp.dataset.t = mine.map(function (m) { return m[2] + ':' + m[3]; }).join(' ');
      parent.appendChild(sp);
    }
  }
  function advance(upto) {
    open = open.filter(function (m) { return m[1] > upto; });
    while (mi < marks.length && marks[mi][0] < upto) {
      if (marks[mi][1] > upto) open.push(marks[mi]);
      mi++;
    }
  }
  var pages = D.pages, pi = 0;
  function pageMarks(upto) {
    while (pi < pages.length && pages[pi][0] <= upto) {
      src.appendChild(el('div', 'page', '第 ' + pages[pi][1] + ' 页'));
      pi++;
    }
  }
  D.blocks.forEach(function (b) {
    if (b.k === 'p') {
      pageMarks(b.s);
      var p = el('p', b.hd ? 'hd' : '');
      fill(p, b.s, b.e);
      advance(b.e);
      if (!T.slice(b.s, b.e).trim()) p.className = 'gap';
      src.appendChild(p);
      return;
    }
    var table = el('table', ''), body = el('tbody', '');
    table.appendChild(body);
    // a merged cell spans the positions that repeat it (covered positions carry [row, col, -1])
    var span = {};
    b.rows.forEach(function (row, r) {
      row.forEach(function (c, k) {
        if (c[2] !== -1) return;
        var key = c[0] + ',' + c[1], sp = span[key] || (span[key] = [1, 1]);
        if (c[0] === r) sp[0] = Math.max(sp[0], k - c[1] + 1); else sp[1] = Math.max(sp[1], r - c[0] + 1);
      });
    });
    b.rows.forEach(function (row, r) {
      var first = row.filter(function (c) { return c[2] !== -1; })[0];
      if (first) pageMarks(first[0]);
      var tr = el('tr', '');
      row.forEach(function (c, k) {
        if (c[2] === -1) return;
        var td = el('td', ''), sp = span[r + ',' + k];
        if (sp) { td.colSpan = sp[0]; td.rowSpan = sp[1]; }
        fill(td, c[0], c[1]);
        advance(c[1]);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    src.appendChild(table);
  });

  // ledger
  var rows = document.getElementById('rows');
  tasks.forEach(function (t, i) {
    var tr = el('tr', 'row' + (t.warn.length ? ' wn' : ''));
    tr.dataset.i = i;
    var num = el('td', 'num', t.id);
    tr.appendChild(num);
    var td = el('td', '');
    if (t.section.length) td.appendChild(el('span', 'sec', t.section[t.section.length - 1]));
    td.appendChild(document.createTextNode(t.text));
    tr.appendChild(td);
    var inherited = {};
    t.marks.forEach(function (m) { if (m[3]) inherited[m[0] + ':' + T.slice(m[1], m[2]).replace(/\s+/g, '')] = 1; });
    function names(list, role, cls) {
      var td = el('td', cls);
      list.forEach(function (name, k) {
        if (k) td.appendChild(document.createTextNode('、'));
        if (inherited[role + ':' + name.replace(/\s+/g, '')]) {
          var s = el('span', 'inh', name + '↑');
          s.title = '不在本条中：取自上级标题、合并单元格或同组条款';
          td.appendChild(s);
        } else td.appendChild(document.createTextNode(name));
      });
      return td;
    }
    tr.appendChild(names(t.leaders, 'leader', ''));
    tr.appendChild(names(t.lead, 'lead', 'lead'));
    tr.appendChild(names(t.units, 'unit', ''));
    tr.appendChild(names(t.deadline ? [t.deadline] : [], 'deadline', ''));
    var hint = t.warn.map(function (w) { return w[1]; });
    if (!t.marks.some(function (m) { return m[0] === 't'; })) hint.push('原文位置未找到');
    var hintTd = el('td', 'hint', hint.join('；'));
    hintTd.title = t.warn.map(function (w) { return w[2]; }).join('\n');
    tr.appendChild(hintTd);
    tr.addEventListener('click', function () { select(i, true); });
    rowEls.push(tr);
    rows.appendChild(tr);
  });

  var lit = [];
  function select(i, scrollSource) {
    lit.forEach(function (x) { x[0].classList.remove('on', x[1]); });
    lit = [];
    if (current >= 0) rowEls[current].classList.remove('sel');
    current = i;
    if (i < 0) return;
    rowEls[i].classList.add('sel');
    var segs = segsOf[i] || [];
    // the most specific role wins where marks overlap (a unit inside a clause inside the text)
    var best = new Map();
    segs.forEach(function (x) {
      var had = best.get(x[0]);
      if (!had || ROLE_ORDER[x[1]] > ROLE_ORDER[had]) best.set(x[0], x[1]);
    });
    best.forEach(function (kind, sp) { sp.classList.add('on', kind); lit.push([sp, kind]); });
    if (scrollSource && segs.length) {
      var own = segs.filter(function (x) { return x[1] === 'n' || x[1] === 't'; });
      (own.length ? own[0][0] : segs[0][0]).scrollIntoView({block: 'center'});
    }
    rowEls[i].scrollIntoView({block: 'nearest'});
  }

  src.addEventListener('click', function (ev) {
    var sp = ev.target.closest ? ev.target.closest('span.s') : null;
    if (!sp || !sp._marks || !sp._marks.length) return;
    var ms = sp._marks.slice().sort(function (a, b) { return ROLE_ORDER[b[3]] - ROLE_ORDER[a[3]] || a[4] - b[4]; });
    var cands = [];
    ms.forEach(function (m) { if (cands.indexOf(m[2]) < 0) cands.push(m[2]); });
    cands = cands.filter(function (k) { return rowEls[k].style.display !== 'none'; });
    if (!cands.length) return;
    var at = cands.indexOf(current);  // a heading shared by several tasks: each click takes the next one
    select(cands[(at + 1) % cands.length], false);
  });

  // filter by unit (printed names, canonical ones when the result has them; the leaders too)
  var filter = document.getElementById('filter'), count = document.getElementById('count');
  function applyFilter() {
    var q = filter.value.replace(/\s+/g, '');
    var shown = 0;
    tasks.forEach(function (t, i) {
      var hit = !q || t.lead.concat(t.units, t.leaders, t.also).some(function (u) { return u.indexOf(q) >= 0; });
      rowEls[i].style.display = hit ? '' : 'none';
      if (hit) shown++;
    });
    count.textContent = q ? '显示 ' + shown + ' / ' + tasks.length + ' 项' : '';
  }
  filter.addEventListener('input', applyFilter);

  function move(step) {
    var i = current;
    for (;;) {
      i += step;
      if (i < 0 || i >= tasks.length) return;
      if (rowEls[i].style.display !== 'none') { select(i, true); return; }
    }
  }
  document.addEventListener('keydown', function (ev) {
    if (ev.target === filter || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === 'j' || ev.key === 'ArrowDown') { move(1); ev.preventDefault(); }
    else if (ev.key === 'k' || ev.key === 'ArrowUp') { move(-1); ev.preventDefault(); }
  });
  window.taskparseReview = {select: select, count: tasks.length};
})();
"""

_INDEX = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>@TITLE@</title>
<style>
body{font:14px/1.6 "Microsoft YaHei","PingFang SC","Noto Sans CJK SC",SimSun,sans-serif;margin:16px;color:#222}
h1{font-size:18px}
table{border-collapse:collapse}
th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#e9edf3}
td.num{text-align:right}
tr.bad td{background:#fff4ec}
@page{size:A4 landscape}
</style>
</head>
<body>
<h1>@TITLE@</h1>
<p>@SUMMARY@</p>
<table><thead><tr><th>文件</th><th>标题</th><th>文号</th><th>任务数</th><th>提示数</th></tr></thead>
<tbody>
@ROWS@
</tbody></table>
</body>
</html>
"""
