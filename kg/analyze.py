"""Network analysis on a networkx projection of a kg graph.

The RDF graph is the source of truth; the projection is derived from it and
never written back.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.query import entity_rows, relation_rows

__all__ = ["project"]


def project(graph, include_concepts: bool = True) -> nx.MultiDiGraph:
    """Project a kg graph onto a networkx ``MultiDiGraph``.

    Nodes are entity IRIs with ``label``, ``type``, ``mentions`` and
    ``articles``; edges are relations with ``predicate``, ``negated``,
    ``modality``, ``confidence``, ``support``, ``article`` and ``sentence``.
    Relations whose object is a literal (a value, not a thing) are left out.
    """
    g = nx.MultiDiGraph()
    for row in entity_rows(graph, include_concepts=include_concepts):
        g.add_node(row["iri"], **{k: row[k] for k in ("label", "type", "mentions", "articles", "aliases")})
    for row in relation_rows(graph):
        s, o = row["subject_iri"], row["object_iri"]
        if o is None:
            continue
        for node, label in ((s, row["subject"]), (o, row["object"])):
            if node not in g:
                if not include_concepts:
                    break
                g.add_node(node, label=label, type="Concept", mentions=0, articles=0, aliases=[])
        else:
            attrs: dict[str, Any] = {
                k: row[k] for k in ("predicate", "negated", "modality", "confidence", "support", "article", "sentence",
                                    "attributed_to", "time")
            }
            g.add_edge(s, o, **attrs)
    return g
