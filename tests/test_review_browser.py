"""The review page driven in a real browser: Debian's Chromium through Playwright (the browser
is never downloaded by Playwright; ``TASKPARSE_CHROMIUM`` may name another binary).

Without a browser these tests skip and say why; ``.ci/run`` installs one and sets
``TASKPARSE_REQUIRE_BROWSER=1`` so that in CI a missing browser fails instead."""
from __future__ import annotations

import os
import shutil

import pytest

from conftest import SAMPLES
from taskparse import review
from taskparse.document import Document, Line
from taskparse.spans import squeeze

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
CHROMIUM = os.environ.get("TASKPARSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[test]'"
    if not CHROMIUM:
        return "no Chromium found: install it (Debian: apt-get install chromium) or set TASKPARSE_CHROMIUM"
    return None


@pytest.fixture(scope="module")
def browser():
    why = _unavailable()
    if why:
        if os.environ.get("TASKPARSE_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests required but cannot run: {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, tmp_path):
    """Write the review of a document and open it from file://, recording errors and requests."""
    pages = []

    def _open(rv: review.Reviewed):
        path = tmp_path / f"review{len(pages)}.html"
        path.write_text(review.render_page(rv), encoding="utf-8")
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.errors, page.requests, page.dialogs = [], [], []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("window.taskparseReview !== undefined")
        pages.append(page)
        return page

    yield _open
    for p in pages:
        p.close()


def _marked(page, task: int, kind: str) -> str:
    """The text of the source pieces that carry the given mark of a task."""
    return page.evaluate("""([task, kind]) => Array.from(document.querySelectorAll('#src span.s'))
        .filter(s => (s.dataset.t || '').split(' ').indexOf(task + ':' + kind) >= 0)
        .map(s => s.textContent).join('')""", [task, kind])


def _visible_in_source(page, handle) -> bool:
    return page.evaluate("""(s) => { const r = s.getBoundingClientRect(),
        p = document.getElementById('src').getBoundingClientRect();
        return r.height > 0 && r.top >= p.top && r.bottom <= p.bottom; }""", handle)


def test_tenth_row_shows_its_source_highlighted(open_page):
    rv = review.review_file(SAMPLES / "002_ce67ead115768d45.pdf")
    task = rv.result.tasks[9]
    page = open_page(rv)
    page.locator("#rows tr").nth(9).click()
    assert "sel" in page.locator("#rows tr").nth(9).get_attribute("class")
    lit = page.locator("#src span.s.on")
    kinds = set(page.evaluate("Array.from(document.querySelectorAll('#src span.on')).map(s => s.classList[s.classList.length - 1])"))
    assert {"n", "t", "lead", "unit"} <= kinds
    # the highlighted text is the task's number and text, and it is scrolled into view
    assert squeeze(_marked(page, 9, "n")).startswith(task.number)
    assert squeeze(_marked(page, 9, "t")) == squeeze(task.text)
    first = page.locator("#src span.on.n").first
    assert _visible_in_source(page, first.element_handle())
    assert lit.count() > 3
    # the task's units are highlighted as units, its lead as lead
    units = page.evaluate("Array.from(document.querySelectorAll('#src span.on.unit')).map(s => s.textContent)")
    leads = page.evaluate("Array.from(document.querySelectorAll('#src span.on.lead')).map(s => s.textContent)")
    assert sorted(squeeze(u) for u in units) == sorted(squeeze(u) for u in task.units)
    assert [squeeze(u) for u in leads] == [squeeze(u) for u in task.lead_units]
    assert not page.errors and page.requests == [page.url]


def test_clicking_a_unit_in_the_source_selects_its_row(open_page):
    rv = review.review_file(SAMPLES / "003_605f38698d05405f_table_progress.docx")
    page = open_page(rv)
    rows = page.locator("#rows tr")
    rows.nth(19).click()
    unit = page.locator("#src span.on.lead").first
    assert squeeze(unit.text_content()) in [squeeze(u) for u in rv.result.tasks[19].lead_units]
    handle = unit.element_handle()
    rows.nth(0).click()
    assert "sel" not in rows.nth(19).get_attribute("class")
    assert "on" not in handle.get_attribute("class")
    handle.click()
    assert "sel" in rows.nth(19).get_attribute("class")
    assert page.evaluate("document.querySelectorAll('#rows tr.sel').length") == 1
    assert "on" in handle.get_attribute("class")
    assert not page.errors


def test_filter_narrows_rows_by_unit(open_page):
    rv = review.review_file(SAMPLES / "004_4ed748fdf1ac17b6_table.pdf")
    page = open_page(rv)
    want = sum(1 for t in rv.result.tasks if any("财政局" in u for u in t.lead_units + t.units + t.leaders))
    assert 0 < want < len(rv.result.tasks)
    page.fill("#filter", "财政局")
    assert page.locator("#rows tr:visible").count() == want
    assert "显示 %d / %d" % (want, len(rv.result.tasks)) in page.text_content("#count")
    # j moves among the rows left visible only
    page.locator("#src").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    first = page.locator("#rows tr.sel")
    assert first.count() == 1 and first.is_visible()
    assert "财政局" in first.text_content()
    page.fill("#filter", "")
    assert page.locator("#rows tr:visible").count() == len(rv.result.tasks)


def test_keys_move_between_tasks(open_page):
    page = open_page(review.review_file(SAMPLES / "002_ce67ead115768d45.txt"))
    rows = page.locator("#rows tr")
    rows.nth(4).click()
    for key, want in (("j", 5), ("ArrowDown", 6), ("k", 5), ("ArrowUp", 4)):
        page.keyboard.press(key)
        assert "sel" in rows.nth(want).get_attribute("class"), key


def test_hostile_notice_is_shown_as_text_and_runs_nothing(open_page):
    hostile = ["<script>window.__pwned = 1; alert('x')</script>", "</textarea><img src=x onerror=\"window.__pwned = 2\">",
               "</script><script>window.__pwned = 3</script>", "<!-- <b>bold?</b>"]
    text = ("关于a<b且c>d和<!--的通知\n" + hostile[0] + "\n一、任务\n"
            f"1．检查{hostile[1]}的网页a<b且c>d。（责任单位：县<局、县财政局）\n"
            f"2．整改{hostile[2]}问题。（责任单位：县网信办）\n"
            f"3．删除{hostile[3]}内容。（责任单位：县网信办）\n")
    doc = Document(blocks=[Line(t, i + 1) for i, t in enumerate(text.splitlines())], format="txt", path="h.txt")
    rv = review.review_document(doc)
    assert len(rv.result.tasks) == 3
    page = open_page(rv)
    assert page.evaluate("window.__pwned") is None
    assert not page.dialogs and not page.errors
    assert page.evaluate("document.querySelectorAll('img, i, b, textarea').length") == 0
    assert page.evaluate("document.scripts.length") == 2
    src = page.text_content("#src")
    for h in hostile:
        assert h in src
    # tags never reach a task (the parser drops leaked markup); other brackets do, and show as text
    rows = page.text_content("#rows")
    assert "a<b且c>d" in rv.result.tasks[0].text and rv.result.tasks[0].text in rows
    assert "县<局" in rows and "<!--bold?" in rows
    assert page.text_content("#title") == rv.result.notice.title == "关于a<b且c>d和<!--的通知"
    page.locator("#rows tr").nth(1).click()
    assert squeeze(_marked(page, 1, "t")) == squeeze(rv.result.tasks[1].text)
    assert page.requests == [page.url]


def test_print_is_the_ledger_on_a4_landscape(open_page, tmp_path):
    page = open_page(review.review_file(SAMPLES / "002_ce67ead115768d45.txt"))
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.getElementById('src')).display") == "none"
    assert page.locator("#ledger").is_visible()
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    w, h = doc[0].get_size()
    assert (round(w), round(h)) == (842, 595)  # A4 landscape in points
    assert len(doc) > 1


@pytest.mark.parametrize("name", ["000_2795aed58e8eed1f.html", "001_c7910ee8fea0e822.docx",
                                  "004_4ed748fdf1ac17b6_table_vmerge.doc", "003_605f38698d05405f_table_middle.pdf"])
def test_sample_pages_load_without_errors(open_page, name):
    rv = review.review_file(SAMPLES / name)
    page = open_page(rv)
    assert page.locator("#rows tr").count() == len(rv.result.tasks)
    page.locator("#rows tr").last.click()
    assert page.locator("#src span.on").count() > 0
    # names read outside their task (a heading, a merged cell) are marked in the ledger
    inherited = sum(r.inherited for t in rv.result.tasks for r in t.spans.roles)
    assert page.locator("#rows span.inh").count() == inherited
    assert not page.errors and page.requests == [page.url]


def test_index_links_open_the_pages(browser, tmp_path):
    src = tmp_path / "in"
    (src / "第 1 批").mkdir(parents=True)
    shutil.copy(SAMPLES / "002_ce67ead115768d45.txt", src / "第 1 批" / "通知#1.txt")
    shutil.copy(SAMPLES / "004_4ed748fdf1ac17b6_table.docx", src / "b.docx")
    out = tmp_path / "out"
    outcomes = review.review_folder(src, out, "html")
    assert not [o.error for o in outcomes if o.error]
    page = browser.new_page()
    try:
        for k, tasks in ((0, 66), (1, 52)):  # rows in file order: b.docx, then 第 1 批/通知#1.txt
            page.goto((out / "index.html").as_uri())
            page.locator("a").nth(k).click()
            page.wait_for_function("window.taskparseReview !== undefined")
            assert page.evaluate("window.taskparseReview.count") == tasks
    finally:
        page.close()


def test_notice_without_tasks_opens(open_page):
    doc = Document(blocks=[Line("关于召开会议的通知", 1), Line("请各单位准时参加。", 2)], format="txt", path="n.txt")
    rv = review.review_document(doc)
    assert rv.result.tasks == []
    page = open_page(rv)
    assert page.locator("#rows tr").count() == 0
    assert "请各单位准时参加。" in page.text_content("#src")
    page.keyboard.press("j")
    assert not page.errors
