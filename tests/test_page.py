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
    page.wait_for_function("() => window.kgReady === true", timeout=30000)
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


# --- the controls, on a graph built by hand -------------------------------------------------------------------

def hand_graph():
    """Six entities of four types across two articles; one negated relation, one claim stated twice."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for key, label, type_ in [("a", "Alice", "Person"), ("b", "Bob", "Person"), ("c", "Acme", "Organization"),
                              ("d", "Dover", "Place"), ("e", "statement", "Concept"), ("f", "Frank", "Person")]:
        g.add_node(key, label=label, type=type_, mentions=1, articles=1, aliases=["Al"] if key == "a" else [])
    edge = dict(modality=None, confidence=0.9, attributed_to=None, time=None)
    g.add_edge("a", "b", predicate="meet", negated=False, support=1, article="a1", article_title="First story",
               sentence="Alice met Bob.", **edge)
    g.add_edge("b", "c", predicate="fund", negated=False, support=2, article="a2", article_title="Second story",
               sentence="Bob funded Acme.", **edge)
    g.add_edge("b", "c", predicate="fund", negated=False, support=2, article="a1", article_title="First story",
               sentence="Bob also funded Acme.", **edge)
    g.add_edge("c", "d", predicate="attack", negated=True, support=1, article="a2", article_title="Second story",
               sentence="Acme did not attack Dover.", **edge)
    g.add_edge("a", "e", predicate="make", negated=False, support=1, article="a1", article_title="First story",
               sentence="Alice made a statement.", **edge)
    return g


@pytest.fixture(scope="module")
def hand_page(browser, tmp_path_factory):
    path = tmp_path_factory.mktemp("hand") / "hand.html"
    path.write_text(page_html(hand_graph(), title="hand"), encoding="utf-8")
    page, errors, outside = open_page(browser, path)
    yield page
    assert errors == [] and outside == []
    page.context.close()


def visible_labels(page) -> set[str]:
    return set(page.evaluate("window.kgNodes.get({filter: n => !n.hidden}).map(n => n.info.label)"))


def expected_visible(g, types=None, article=None, min_support=1) -> set[str]:
    """What the filters should leave, computed from the graph itself."""
    types = types or {d["type"] for _, d in g.nodes(data=True)}
    edges = [(s, o) for s, o, d in g.edges(data=True) if g.nodes[s]["type"] in types and g.nodes[o]["type"] in types
             and d["support"] >= min_support and (article is None or d["article"] == article)]
    linked = {n for e in edges for n in e}
    return {d["label"] for n, d in g.nodes(data=True)
            if d["type"] in types and (n in linked or (article is None and min_support <= 1))}


def test_filters_change_what_is_shown(hand_page):
    page, g = hand_page, hand_graph()
    everything = {d["label"] for _, d in g.nodes(data=True)}
    assert visible_labels(page) == everything and page.evaluate("window.kgVisibleNodeCount()") == len(everything)
    page.uncheck("#legend input[value=Organization]")
    types = {"Person", "Place", "Concept"}
    assert visible_labels(page) == expected_visible(g, types=types) == everything - {"Acme"}
    page.check("#legend input[value=Organization]")
    page.select_option("#article", "a2")
    assert visible_labels(page) == expected_visible(g, article="a2") == {"Bob", "Acme", "Dover"}
    page.select_option("#article", "")
    page.fill("#support", "2")
    page.dispatch_event("#support", "input")
    assert visible_labels(page) == expected_visible(g, min_support=2) == {"Bob", "Acme"}
    assert page.text_content("#shown").startswith("2 of 6 entities")
    for name in everything - {"Bob", "Acme"}:
        page.fill("#search", name.lower())
        assert page.text_content("#found") == "0 found"  # search looks only at what is shown
    page.fill("#search", "")
    page.fill("#support", "1")
    page.dispatch_event("#support", "input")
    assert visible_labels(page) == everything


def test_filters_that_leave_nothing_say_so(hand_page):
    page = hand_page
    for box in page.query_selector_all("#legend input"):
        box.uncheck()
    assert page.evaluate("window.kgVisibleNodeCount()") == 0
    assert page.text_content("#message") == "No entity matches these filters."
    for box in page.query_selector_all("#legend input"):
        box.check()
    assert page.text_content("#message") == ""


def test_search_finds_by_alias_and_selects(hand_page):
    page = hand_page
    page.fill("#search", "al")  # Alice by label and by her alias "Al"
    assert page.text_content("#found") == "1 found"
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == ["a"]
    page.fill("#search", "")


def test_colour_toggle_switches_between_type_and_community(hand_page):
    from kg.analyze import communities
    from kg.visualize import COMMUNITY_COLORS, TYPE_COLORS

    page, g = hand_page, hand_graph()
    colours = lambda: page.evaluate("Object.fromEntries(window.kgNodes.get().map(n => [n.id, n.color]))")  # noqa: E731
    assert colours() == {n: TYPE_COLORS[d["type"]] for n, d in g.nodes(data=True)}
    assert page.is_hidden("#communities")
    page.check("#by-community")
    expected = {n: COMMUNITY_COLORS[min(i, len(COMMUNITY_COLORS) - 1)] for i, c in enumerate(communities(g)) for n in c}
    assert colours() == expected != {n: TYPE_COLORS[d["type"]] for n, d in g.nodes(data=True)}
    assert page.is_visible("#communities")
    page.check("#by-type")
    assert colours() == {n: TYPE_COLORS[d["type"]] for n, d in g.nodes(data=True)}


def test_negated_relation_is_dashed_red_and_marked(hand_page):
    page = hand_page
    edge = page.evaluate("""(() => { const e = window.kgEdges.get().find(e => e.info.negated);
        return {dashes: e.dashes, color: e.color, label: e.label, tip: e.title.textContent}; })()""")
    assert edge["dashes"] is True and edge["color"] == "#b00020" and edge["label"] == "not attack"
    assert "Negated" in edge["tip"] and "Acme did not attack Dover." in edge["tip"]


def test_edge_tooltip_lists_sentences_titles_and_support(hand_page):
    tip = hand_page.evaluate("window.kgEdges.get().find(e => e.info.predicate === 'fund').title.textContent")
    assert "Stated in 2 article(s)" in tip
    for text in ("Bob funded Acme.", "Bob also funded Acme.", "First story (a1)", "Second story (a2)"):
        assert text in tip


def test_top_n_says_what_was_left_out(browser, tmp_path):
    from kg.analyze import centrality, top_entities

    g = hand_graph()
    path = tmp_path / "top.html"
    path.write_text(page_html(g, top=3), encoding="utf-8")
    page, errors, outside = open_page(browser, path)
    kept = top_entities(g, 3, centrality(g))
    assert page.evaluate("window.kgNodes.length") == kept.number_of_nodes() == 3
    note = page.text_content("#omitted")
    assert f"3 most central of {g.number_of_nodes()} entities" in note and f"{g.number_of_nodes() - 3} left out" in note
    assert errors == [] and outside == []
    page.context.close()


def test_hostile_sentences_and_titles_do_not_run_in_tooltips(browser, tmp_path):
    ds = new_dataset()
    add_article(ds, hostile_article())
    path = tmp_path / "hostile-tips.html"
    path.write_text(page_html(project(ds)), encoding="utf-8")
    page, errors, outside = open_page(browser, path)
    tip = page.evaluate("window.kgEdges.get()[0].title.textContent")
    assert PAYLOADS[0] in tip  # the article title, as text
    node = page.evaluate("window.kgNodes.get()[0].id")
    pos = page.evaluate(f"window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions([{node!r}])[{node!r}])")
    box = page.query_selector("#graph").bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert page.text_content("div.vis-tooltip").strip()
    assert page.evaluate("document.querySelectorAll('img, svg[onload], script:not([src])').length") == 2  # our two
    assert errors == [] and outside == []
    page.context.close()


LONG = "Very Long Name " * 400
RTL = ["إسرائيل", "حزب الله", "ישראל", 'O\'Brien "the \\ quote" </b>']


def test_long_right_to_left_and_quoted_names_render_as_text(browser, tmp_path):
    import networkx as nx

    g = nx.MultiDiGraph()
    for i, name in enumerate([LONG] + RTL):
        g.add_node(f"n{i}", label=name, type="Person", aliases=[])
    g.add_edge("n0", "n1", predicate="قال", negated=False, support=1, article="x", article_title=RTL[2],
               sentence=LONG)
    path = tmp_path / "names.html"
    path.write_text(page_html(g, title=RTL[0]), encoding="utf-8")
    page, errors, outside = open_page(browser, path)
    assert page.text_content("#heading") == RTL[0]
    infos = page.evaluate("window.kgNodes.get().map(n => [n.info.label, n.label, n.title.textContent])")
    assert sorted(i[0] for i in infos) == sorted([LONG] + RTL)
    for full, drawn, tip in infos:
        assert full.split()[0] in drawn and len(drawn) <= 48 and full.strip() in tip
    assert errors == [] and outside == []
    page.context.close()
