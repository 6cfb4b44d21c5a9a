"""Regenerate docs/screenshot.png: the page of the sample article in headless Chromium.

    .venv/bin/kg build examples/us-hezbollah-ceasefire.txt -o output --force
    .venv/bin/python docs/make_screenshot.py output/graph.html docs/screenshot.png
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def main(page_path: str = "output/graph.html", png: str = "docs/screenshot.png") -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("make_screenshot: headless Chromium is needed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        page.goto(Path(page_path).resolve().as_uri())
        page.wait_for_function("window.kgReady === true", timeout=30000)
        page.screenshot(path=png)
        browser.close()
    print(f"wrote {png}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
