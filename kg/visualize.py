"""The interactive page: a pyvis network drawn from the networkx projection.

The page works offline: vis-network is inlined from the copy pyvis ships, and
the page's own template replaces pyvis's (which loads Bootstrap from a CDN).
Article text reaches the page only as JSON data and is put into the document
with ``textContent``, so nothing from an article can run as script.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

__all__ = ["TYPE_COLORS", "page_html", "network_from_projection"]

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

OPTIONS = {
    "nodes": {"shape": "dot", "font": {"size": 14}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "font": {"size": 11, "align": "middle"},
              "smooth": {"type": "dynamic"}},
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"enabled": True, "iterations": 400, "fit": True},
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120}},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
}


def network_from_projection(g: nx.MultiDiGraph) -> Network:
    """A pyvis ``Network`` of the projection: one node per entity, one edge per claim.

    Parallel relations with the same predicate and polarity are drawn as one
    edge whose tooltip lists every source sentence.
    """
    net = Network(directed=True, cdn_resources="in_line")
    for node, d in sorted(g.nodes(data=True)):
        type_ = d.get("type", "Concept")
        net.add_node(
            node,
            label=d.get("label", node),
            color=TYPE_COLORS.get(type_, TYPE_COLORS["Concept"]),
            size=10 + 4 * min(d.get("mentions", 0), 10) ** 0.5 * 2,
            info={"label": d.get("label", node), "type": type_, "mentions": d.get("mentions", 0),
                  "articles": d.get("articles", 0), "aliases": list(d.get("aliases", []))},
        )
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for s, o, d in g.edges(data=True):
        grouped[(s, o, d["predicate"], d["negated"])].append(d)
    for (s, o, predicate, negated), items in sorted(grouped.items()):
        evidence = sorted({(d["article"], d["sentence"]) for d in items})
        net.add_edge(
            s, o,
            label=("not " if negated else "") + predicate,
            dashes=bool(negated),
            color="#b00020" if negated else "#888888",
            info={"subject": g.nodes[s].get("label", s), "object": g.nodes[o].get("label", o),
                  "predicate": predicate, "negated": bool(negated),
                  "support": max(d.get("support", 1) for d in items),
                  "evidence": [{"article": a, "sentence": t} for a, t in evidence[:5]]},
        )
    net.options = OPTIONS
    return net


def _environment() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        jinja2.FileSystemLoader(str(Path(pyvis.__file__).parent / "templates")),
    ])
    return jinja2.Environment(loader=loader, autoescape=True)


def page_html(g: nx.MultiDiGraph, title: str = "kg graph", note: str = "") -> str:
    """Render the projection as a standalone HTML page."""
    net = network_from_projection(g)
    types = sorted({n["info"]["type"] for n in net.nodes}, key=list(TYPE_COLORS).index)
    payload = {
        "title": title,
        "note": note,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "legend": [{"type": t, "color": TYPE_COLORS[t]} for t in types],
    }
    json.dumps(payload)  # fail here, not in the template, on unserialisable data
    return _environment().get_template("page.html").render(title=title, payload=payload)
