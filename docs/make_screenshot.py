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


def hover_an_edge(page) -> None:
    """Point at the middle of an edge (a negated one if any) so the shot shows its source sentence."""
    point = page.evaluate("""() => {
        const net = window.kgNetwork, edges = window.kgEdges ? window.kgEdges.get() : [];
        const e = edges.find(e => e.info.negated) || edges[0];
        if (!e) return null;
        const p = net.getPositions([e.from, e.to]);
        return net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
    }""")
    if point:
        box = page.query_selector("#graph").bounding_box()
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_timeout(600)


def main(page_path: str = "output/graph.html", png: str = "docs/screenshot.png") -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("make_screenshot: headless Chromium is needed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        page.goto(Path(page_path).resolve().as_uri())
        page.wait_for_function("() => window.kgReady === true", timeout=30000)
        hover_an_edge(page)
        page.screenshot(path=png)
        browser.close()
    print(f"wrote {png}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
