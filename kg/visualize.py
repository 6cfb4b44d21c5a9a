"""The interactive page: a pyvis network drawn from the networkx projection.

The page works offline: vis-network is inlined from the copy pyvis ships, and
the page's own template replaces pyvis's (which loads Bootstrap from a CDN).
Article text reaches the page only as JSON data and is put into the document
with ``textContent``, so nothing from an article can run as script.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from kg.analyze import centrality, communities, top_entities

__all__ = ["TYPE_COLORS", "COMMUNITY_COLORS", "page_html", "network_from_projection"]

#: Node colour of each entity type; also the legend.
TYPE_COLORS = {
    "Person": "#e15759",
    "Organization": "#4e79a7",
    "Country": "#59a14f",
    "Place": "#8cd17d",
    "Group": "#f28e2b",
    "Event": "#b07aa1",
    "CreativeWork": "#9c755f",
    "Legislation": "#76b7b2",
    "Product": "#edc948",
    "Language": "#bab0ac",
    "Concept": "#c9c9c9",
}

#: Colours of the largest communities, in order; the others share the last one.
COMMUNITY_COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                    "#9c755f", "#17becf", "#bcbd22", "#8c564b", "#d0d0d0"]

NEGATED_COLOR = "#b00020"
EDGE_COLOR = "#9a9a9a"
LABEL_MAX = 48  # characters of a label drawn on the canvas; the tooltip has it whole
EVIDENCE_MAX = 6
CONCEPT_SCALE = 0.5  # concepts are drawn this much smaller than entities as central  # sentences listed in an edge's tooltip

OPTIONS: dict[str, Any] = {
    "nodes": {"shape": "dot", "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
              "scaling": {"min": 8, "max": 42, "label": {"enabled": True, "min": 12, "max": 24, "drawThreshold": 7}}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
              "font": {"size": 12, "align": "middle", "color": "#555555", "strokeWidth": 3},
              "width": 1.2, "selectionWidth": 2, "smooth": {"type": "dynamic"}},
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"enabled": True, "iterations": 300, "fit": True,
                                                                "updateInterval": 50},
                "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110, "avoidOverlap": 0.3},
                "minVelocity": 1.0},
    "layout": {"randomSeed": 7, "improvedLayout": True},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "hideEdgesOnDrag": False},
}


def _short(text: str, n: int = LABEL_MAX) -> str:
    """A label cut to ``n`` characters.

    >>> _short("Ministry of Foreign Affairs", 10)
    'Ministry …'
    """
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _options(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Drawing options, lighter on large graphs so the layout settles in seconds."""
    options = json.loads(json.dumps(OPTIONS))
    if g.number_of_nodes() > 150:
        # vis's improved layout clusters and is slow on hundreds of nodes; dynamic
        # curves add a physics node per edge
        options["layout"]["improvedLayout"] = False
        options["edges"]["smooth"] = {"type": "continuous"}
        options["physics"]["stabilization"]["iterations"] = 120
        options["interaction"]["hideEdgesOnDrag"] = True
    return options


def network_from_projection(g: nx.MultiDiGraph, scores: Mapping[Hashable, Mapping[str, float]] | None = None,
                            community: Mapping[Hashable, int] | None = None) -> Network:
    """A pyvis ``Network`` of the projection: one node per entity, one edge per claim.

    Node size follows PageRank (``scores`` from :func:`kg.analyze.centrality`,
    computed if not given); ``community`` maps nodes to community numbers.
    Parallel relations with the same predicate and polarity are drawn as one
    edge whose tooltip lists the source sentences and article titles.
    """
    scores = scores if scores is not None else centrality(g)
    community = community or {}
    net = Network(directed=True, cdn_resources="in_line")
    node_articles: dict[Hashable, set[str]] = defaultdict(set)
    for s, o, a in g.edges(data="article"):
        node_articles[s].add(a)
        node_articles[o].add(a)
    for node, d in sorted(g.nodes(data=True), key=lambda nd: str(nd[0])):
        type_ = d.get("type", "Concept")
        label = str(d.get("label", node))
        c = community.get(node, -1)
        concept = type_ not in TYPE_COLORS or type_ == "Concept"
        rank = scores.get(node, {}).get("pagerank", 0.0)
        net.add_node(
            str(node),
            label=_short(label),
            color=TYPE_COLORS.get(type_, TYPE_COLORS["Concept"]),
            # concepts ("proposal") give context; named entities are what readers look for
            value=round(rank * (CONCEPT_SCALE if concept else 1.0), 6),
            font={"color": "#777777"} if concept else {"color": "#222222"},
            info={"label": label, "type": type_ if type_ in TYPE_COLORS else "Concept",
                  "mentions": d.get("mentions") or 0, "articles": d.get("articles") or 0,
                  "aliases": [str(a) for a in d.get("aliases") or []],
                  "degree": scores.get(node, {}).get("degree", 0),
                  "pagerank": round(scores.get(node, {}).get("pagerank", 0.0), 5),
                  "betweenness": round(scores.get(node, {}).get("betweenness", 0.0), 5),
                  "community": c, "inArticles": sorted(node_articles.get(node, ()))},
        )
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for s, o, d in g.edges(data=True):
        grouped[(str(s), str(o), str(d.get("predicate", "")), bool(d.get("negated")))].append(d)
    for (s, o, predicate, negated), items in sorted(grouped.items()):
        evidence = sorted({(str(d.get("article") or ""), str(d.get("article_title") or ""), str(d.get("sentence") or ""))
                           for d in items})
        net.add_edge(
            s, o,
            label=_short(("not " if negated else "") + predicate, 32),
            dashes=negated,
            color=NEGATED_COLOR if negated else EDGE_COLOR,
            info={"subject": str(g.nodes[s].get("label", s)), "object": str(g.nodes[o].get("label", o)),
                  "predicate": predicate, "negated": negated,
                  "support": max(int(d.get("support") or 1) for d in items),
                  "articles": sorted({a for a, _, _ in evidence}),
                  "evidence": [{"article": a, "title": t, "sentence": x} for a, t, x in evidence[:EVIDENCE_MAX]],
                  "more": max(len(evidence) - EVIDENCE_MAX, 0)},
        )
    net.options = _options(g)
    return net


def _environment() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        jinja2.FileSystemLoader(str(Path(pyvis.__file__).parent / "templates")),
    ])
    return jinja2.Environment(loader=loader, autoescape=True)


def _label(g: nx.Graph, n: Hashable) -> str:
    return str(g.nodes[n].get("label", n))


def page_html(g: nx.MultiDiGraph, title: str = "kg graph", note: str = "", top: int | None = None) -> str:
    """Render the projection as a standalone HTML page.

    With ``top``, only the ``top`` most central entities (by PageRank, named
    entities before concepts, see :func:`kg.analyze.top_entities`) are drawn
    and the page says how many, and which, were left out. Nodes are sized by PageRank and coloured by
    type or, at the reader's choice, by Louvain community.
    """
    scores = centrality(g)
    total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
    omitted = None
    if top is not None and total_nodes > top:
        full, g = g, top_entities(g, top, scores)
        left = sorted((n for n in full if n not in g),
                      key=lambda n: (full.nodes[n].get("type", "Concept") == "Concept", -scores[n]["pagerank"],
                                     _label(full, n)))
        omitted = {"shown": g.number_of_nodes(), "total": total_nodes, "left": len(left),
                   "edges_shown": g.number_of_edges(), "edges_total": total_edges,
                   "examples": [_short(_label(full, n), 40) for n in left[:5]]}
    found = communities(g)
    community = {n: i for i, c in enumerate(found) for n in c}
    net = network_from_projection(g, scores, community)
    counts: dict[str, int] = defaultdict(int)
    for n in net.nodes:
        counts[n["info"]["type"]] += 1
    by_rank = {n: scores[n]["pagerank"] for n in g}
    payload = {
        "title": title,
        "note": note,
        "omitted": omitted,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "types": [{"type": t, "color": TYPE_COLORS[t], "count": counts[t]} for t in TYPE_COLORS if counts.get(t)],
        "communities": [{"color": COMMUNITY_COLORS[min(i, len(COMMUNITY_COLORS) - 1)], "size": len(c),
                         "members": [_short(_label(g, n), 24) for n in sorted(c, key=lambda n: -by_rank[n])[:3]]}
                        for i, c in enumerate(found)],
        "otherColor": COMMUNITY_COLORS[-1],
        "articles": sorted({(str(a), str(t or "")) for *_, a, t in _article_pairs(g)}),
        "negatedColor": NEGATED_COLOR,
        "edgeColor": EDGE_COLOR,
    }
    json.dumps(payload)  # fail here, not in the template, on unserialisable data
    return _environment().get_template("page.html").render(title=title, payload=payload)


def _article_pairs(g: nx.MultiDiGraph):
    for s, o, d in g.edges(data=True):
        yield s, o, d.get("article") or "", d.get("article_title")
