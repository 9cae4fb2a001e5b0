"""Screenshots of the review page for the README (docs/review_*.png), taken in Chromium.

    python scripts/make_review_screenshots.py [--chromium /usr/bin/chromium]

Needs Playwright (the test extra) and a Chromium with a CJK font installed (Debian:
apt-get install chromium fonts-wqy-microhei).  Each shot selects one task, as a clerk would, and is
reduced to a 256-colour PNG so that it stays small.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from taskparse import review  # noqa: E402

SHOTS = [  # (sample, row to select (0-based), output)
    ("002_ce67ead115768d45.pdf", 9, "review_pdf.png"),
    ("004_4ed748fdf1ac17b6_table_vmerge.docx", 19, "review_table.png"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    a = ap.parse_args()
    from PIL import Image
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="review_shots_"))
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=a.chromium, args=ARGS)
        for sample, row, name in SHOTS:
            page_path = tmp / f"{sample}.html"
            page_path.write_text(review.render_page(review.review_file(ROOT / "samples" / sample)), encoding="utf-8")
            page = b.new_page(viewport={"width": 1280, "height": 760})
            page.goto(page_path.as_uri())
            page.wait_for_function("window.taskparseReview !== undefined")
            page.locator("#rows tr").nth(row).click()
            png = tmp / name
            page.screenshot(path=str(png))
            page.close()
            Image.open(png).convert("RGB").quantize(colors=256).save(out / name, optimize=True)
            print(f"{out / name}: {(out / name).stat().st_size // 1024} KB")
        b.close()


if __name__ == "__main__":
    main()
