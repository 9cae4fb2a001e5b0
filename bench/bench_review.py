"""The review page: is span alignment linear, how big are the pages, how fast do they open?

    python bench/bench_review.py [--repeat 3] [--no-browser]

1. Alignment (``taskparse.spans.annotate``) on the five seed notices concatenated 1x, 2x, 4x, 8x
   (CPU seconds, best of --repeat; linear means t(8x)/t(1x) ≈ 8), and on inputs made to miss:
   tasks whose text is nowhere in the document (every search runs to its window's end); and
   one table of 250 .. 2000 rows with merged leader cells.
2. Page size (bytes of HTML) and build time for every seed notice.
3. With Chromium installed: the time from navigation to the page's script having built both panes
   (``performance.now()`` when ``window.taskparseReview`` appears), best of --repeat.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from taskparse import review  # noqa: E402
from taskparse.document import Document, Line  # noqa: E402
from taskparse.models import Task  # noqa: E402
from taskparse.parser import parse  # noqa: E402
from taskparse.spans import annotate  # noqa: E402

SEEDS = sorted((ROOT / "samples").glob("[0-9][0-9][0-9]_*[0-9a-f].txt"))


def doc_of(text: str) -> Document:
    return Document(blocks=[Line(t, i + 1) for i, t in enumerate(text.splitlines())], format="txt")


def cpu(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def bench_alignment(repeat: int) -> None:
    base = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS)
    print("alignment (annotate only), seeds concatenated:")
    first = None
    for k in (1, 2, 4, 8):
        doc = doc_of("\n".join([base] * k))
        result = parse(doc)
        t = cpu(lambda: annotate(doc, result), repeat)
        first = first or t
        kb = len(("\n".join([base] * k)).encode("utf-8")) / 1024
        print(f"  {k}x  {kb:8.0f} KB  {len(result.tasks):5d} tasks  {t:6.3f} s  ratio {t / first:5.2f}")
    print("alignment when nothing is found (tasks absent from the text):")
    first = None
    for k in (1, 2, 4, 8):
        doc = doc_of("\n".join([base] * k))
        result = parse(doc)
        ghost = result.model_copy(update={"tasks": [Task(id=str(i), seq=i, number=str(i), text=f"不存在的任务{i}甲乙丙丁",
                                                          clause="责任单位：不存在局") for i in range(1, len(result.tasks) + 1)]})
        t = cpu(lambda: annotate(doc, ghost), repeat)
        first = first or t
        print(f"  {k}x  {len(ghost.tasks):5d} tasks  {t:6.3f} s  ratio {t / first:5.2f}")


def table_doc(rows: int) -> Document:
    from taskparse.document import Cell, Table

    head = tuple(Cell(t) for t in ("序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限"))
    body = [tuple(Cell(t, merged=(j == 2 and i % 4 != 0)) for j, t in enumerate(
        (str(i + 1), f"推进第{i + 1}项重点工作，确保按期完成", "张三", "县发展改革局", "县财政局、县住建局", "2021年底")))
        for i in range(rows)]
    return Document(blocks=[Line("重点工作责任分解", 1), Table((head, *body), line=2)], format="docx")


def bench_table(repeat: int) -> None:
    print("alignment on one table (every 4th leader cell merged down over the next three):")
    first = None
    for rows in (250, 500, 1000, 2000):
        doc = table_doc(rows)
        result = parse(doc)
        t = cpu(lambda: annotate(doc, result), repeat)
        first = first or t
        print(f"  {rows:5d} rows  {len(result.tasks):5d} tasks  {t:6.3f} s  ratio {t / first:5.2f}")


def made_up(n: int, one_line: bool) -> str:
    items = [f"{i}．加快推进第{i}个重点项目建设，完善基础设施配套，确保项目按期建成投产。（牵头单位：县发展和改革局；"
             f"责任单位：县财政局、县自然资源和规划局；完成时限：2021年12月底）" for i in range(1, n + 1)]
    return "关于印发重点工作责任分工的通知\n一、重点工作\n" + (" ".join(items) if one_line else "\n".join(items))


def bench_pages(repeat: int) -> list[Path]:
    out = Path(tempfile.mkdtemp(prefix="bench_review_"))
    pages = []
    print("pages (made-up notices):")
    for n, one_line in ((150, False), (1000, False), (1000, True)):
        rv = review.review_document(doc_of(made_up(n, one_line)))
        html = review.render_page(rv)
        dest = out / f"made_up_{n}{'_one_line' if one_line else ''}.html"
        dest.write_text(html, encoding="utf-8")
        pages.append(dest)
        print(f"  {dest.name:28s} {len(rv.result.tasks):4d} tasks  {len(html.encode('utf-8')) / 1024:7.1f} KB")
    print("pages (seed notices):")
    for p in SEEDS:
        rv = review.review_file(p)
        t = cpu(lambda: review.render_page(review.review_file(p)), repeat)
        html = review.render_page(rv)
        dest = out / f"{p.name}.html"
        dest.write_text(html, encoding="utf-8")
        pages.append(dest)
        print(f"  {p.name:28s} {len(rv.result.tasks):4d} tasks  {len(html.encode('utf-8')) / 1024:7.1f} KB  "
              f"extract+parse+align+render {t:.3f} s")
    return pages


def bench_browser(pages: list[Path], repeat: int) -> None:
    chromium = os.environ.get("TASKPARSE_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("browser: no chromium, skipped")
        return
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"]
    print("browser (Chromium, navigation to both panes built, best of %d):" % repeat)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=args)
        for path in pages:
            best = float("inf")
            for _ in range(repeat):
                page = b.new_page(viewport={"width": 1400, "height": 900})
                page.goto(path.as_uri())
                page.wait_for_function("window.taskparseReview !== undefined")
                best = min(best, page.evaluate("performance.now()"))
                page.close()
            print(f"  {path.name:33s} {best:6.0f} ms")
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true")
    a = ap.parse_args()
    bench_alignment(a.repeat)
    bench_table(a.repeat)
    pages = bench_pages(a.repeat)
    if not a.no_browser:
        bench_browser(pages, a.repeat)


if __name__ == "__main__":
    main()
