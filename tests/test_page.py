"""The interactive page in a real headless Chromium with the network cut off."""

from __future__ import annotations

import pytest

from kg.analyze import project
from kg.rdf.model import add_article, new_dataset
from kg.records import Argument, Article, Entity, LinkedRelation, Mention, Relation, ResolvedArticle, Span
from kg.visualize import page_html

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, path):
    """Open a page with every request off this file refused; returns (page, errors, outside requests)."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("window.kgReady === true", timeout=30000)
    return page, errors, outside


def test_sample_page_renders_offline(browser, sample_build):
    out, ds = sample_build
    page, errors, outside = open_page(browser, out / "graph.html")
    expected = project(ds).number_of_nodes()
    assert page.evaluate("window.kgNodes.length") == expected > 0
    assert page.evaluate("document.querySelector('#graph canvas') !== null")
    assert errors == [] and outside == []
    g = project(ds)
    hits = [n for n, d in g.nodes(data=True) if "israel" in d["label"].lower()
            or any("israel" in a.lower() for a in d["aliases"])]
    page.fill("#search", "israel")
    assert page.text_content("#found") == f"{len(hits)} found" and hits
    assert sorted(page.evaluate("window.kgNetwork.getSelectedNodes()")) == sorted(hits)


PAYLOADS = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '"><svg onload=alert(3)>',
            "</script><script>alert(4)</script>"]


def hostile_article() -> ResolvedArticle:
    text = " ".join(PAYLOADS)
    entities, mentions = [], []
    for i, p in enumerate(PAYLOADS):
        m = Mention(0, len(p), p, "PERSON")
        mentions.append(m)
        entities.append(Entity(f"Person/p{i}", p, "Person", (p,), (m,)))
    arg = Argument(PAYLOADS[0], 0, 5, PAYLOADS[0], 0, 5, PAYLOADS[0])
    rel = Relation(arg, PAYLOADS[1], PAYLOADS[2], 0, 5, arg, Span(0, len(text), text))
    art = Article(PAYLOADS[3], text, ((0, len(text)),), title=PAYLOADS[0])
    return ResolvedArticle(art, tuple(entities), (LinkedRelation(rel, "Person/p0", "Person/p1"),))


def test_hostile_labels_render_as_text(browser, tmp_path):
    ds = new_dataset()
    add_article(ds, hostile_article())
    path = tmp_path / "hostile.html"
    path.write_text(page_html(project(ds), title=PAYLOADS[3]), encoding="utf-8")
    page, errors, outside = open_page(browser, path)
    assert errors == [] and outside == []
    assert page.evaluate("window.kgNodes.length") == len(PAYLOADS)
    assert page.evaluate("document.querySelectorAll('img, svg[onload]').length") == 0
    assert page.text_content("#heading") == PAYLOADS[3]
    labels = page.evaluate("window.kgNodes.get().map(n => n.label)")
    assert sorted(labels) == sorted(PAYLOADS)


def test_empty_graph_page_says_so(browser, tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(page_html(project(new_dataset())), encoding="utf-8")
    page, errors, _ = open_page(browser, path)
    assert "graph is empty" in page.text_content("#empty")
    assert errors == []
