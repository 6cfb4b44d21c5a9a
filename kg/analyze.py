"""Network analysis on a networkx projection of a kg graph.

The RDF graph is the source of truth; the projection is derived from it and
never written back. Every function here takes the projection (a
``MultiDiGraph`` whose nodes are entity IRIs with ``label``, ``type`` and
``aliases``, and whose edges are relations with ``predicate``, ``negated``,
``support``, ``article`` and ``sentence``), so they also work on graphs built
by hand:

>>> g = nx.MultiDiGraph()
>>> g.add_node("e/israel", label="Israel", type="Country", aliases=["Israeli"])
>>> g.add_node("e/hezbollah", label="Hezbollah", type="Organization", aliases=[])
>>> g.add_edge("e/israel", "e/hezbollah", predicate="strike", negated=False, support=1, article="a1", sentence="Israel struck Hezbollah.")
0
>>> type_counts(g)
{'Country': 1, 'Organization': 1}
>>> find_entity(g, "israeli")
'e/israel'
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from itertools import islice
from typing import Any

import networkx as nx

from kg.errors import AmbiguousEntity, EntityNotFound, KGError, NotConnected
from kg.query import entity_rows, relation_rows

__all__ = [
    "project",
    "project_select",
    "undirected",
    "type_counts",
    "centrality",
    "communities",
    "components",
    "top_entities",
    "find_entity",
    "find_entities",
    "shortest_paths",
    "relations_between",
    "write_network",
    "network_summary",
    "NETWORK_FORMATS",
    "CSV_COLUMNS",
]

#: Edge attributes the projection copies from :func:`kg.query.relation_rows`.
EDGE_KEYS = ("predicate", "negated", "modality", "confidence", "support", "article", "article_title", "sentence",
             "attributed_to", "time")


def project(graph, include_concepts: bool = True) -> nx.MultiDiGraph:
    """Project a kg graph onto a networkx ``MultiDiGraph``.

    Nodes are entity IRIs with ``label``, ``type``, ``mentions``, ``articles``
    and ``aliases``; edges are relations with ``predicate``, ``negated``,
    ``modality``, ``confidence``, ``support``, ``article``, ``article_title``
    (the headline, or ``None``), ``sentence``, ``attributed_to`` and ``time``.
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
            g.add_edge(s, o, **{k: row[k] for k in EDGE_KEYS})
    return g


#: Columns of a SELECT result that :func:`project_select` reads, by role; the first present wins.
SELECT_COLUMNS = {
    "subject": ("subject_iri", "s", "subject"),
    "predicate": ("predicate_iri", "p", "predicate"),
    "object": ("object_iri", "o", "object"),
}


def project_select(rows: Iterable[Mapping[str, Any]], graph) -> nx.MultiDiGraph:
    """Project the rows of a SELECT query onto a ``MultiDiGraph`` like :func:`project`'s.

    Each row is one edge. The subject is read from the column ``subject_iri``,
    ``s`` or ``subject`` (the first present), the predicate from
    ``predicate_iri``, ``p`` or ``predicate``, the object from ``object_iri``,
    ``o`` or ``object``. A value may be an entity IRI or a label (or alias,
    any case) of an entity of ``graph``, which gives the node its label and
    type; anything else becomes a node of type ``Concept`` named by its text.
    Optional columns ``negated``, ``support``, ``confidence``, ``modality``,
    ``article``, ``article_title`` and ``sentence`` become edge attributes.
    Rows without a subject, predicate or object are skipped.

    Raises :class:`KGError` when no subject/predicate/object columns are present.
    """
    base = project(graph)
    predicates = {r["predicate_iri"]: r["predicate"] for r in relation_rows(graph)}
    by_name: dict[str, set[str]] = {}
    for node, d in base.nodes(data=True):
        for name in [d.get("label", "")] + list(d.get("aliases", [])):
            by_name.setdefault(str(name).casefold(), set()).add(node)
    g = nx.MultiDiGraph()
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    present = set().union(*(r.keys() for r in rows)) if rows else set()
    if rows and not all(any(c in present for c in cols) for cols in SELECT_COLUMNS.values()):
        raise KGError("the query result has no subject, predicate and object columns; name them ?subject ?predicate "
                      "?object (or ?s ?p ?o), holding entity IRIs or labels")

    def node_for(value: Any) -> str:
        text = str(value)
        if text in base:
            node = text
        elif len(by_name.get(text.casefold(), ())) == 1:
            node = next(iter(by_name[text.casefold()]))
        else:
            node = text
        if node not in g:
            attrs = dict(base.nodes[node]) if node in base else {
                "label": _local_name(text), "type": "Concept", "mentions": 0, "articles": 0, "aliases": []}
            g.add_node(node, **attrs)
        return node

    for row in rows:
        values = {role: next((row[c] for c in cols if c in row), None) for role, cols in SELECT_COLUMNS.items()}
        if None in values.values():
            continue
        p = str(values["predicate"])
        attrs: dict[str, Any] = {
            "predicate": predicates.get(p) or _local_name(p).replace("_", " "),
            "negated": str(row.get("negated", "false")).lower() in ("true", "1"),
            "modality": _str_or_none(row.get("modality")),
            "confidence": float(row.get("confidence", 1.0)),
            "support": int(row.get("support", 1)),
            "article": str(row.get("article", "")),
            "article_title": _str_or_none(row.get("article_title")),
            "sentence": str(row.get("sentence", "")),
            "attributed_to": None,
            "time": None,
        }
        g.add_edge(node_for(values["subject"]), node_for(values["object"]), **attrs)
    return g


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _local_name(text: str) -> str:
    """The readable end of an IRI; other text unchanged.

    >>> _local_name("https://kg.example.org/relation/advocate_for"), _local_name("Israel")
    ('advocate_for', 'Israel')
    """
    if re.match(r"^[a-z][\w+.-]*:", text) and "/" in text:
        return re.split(r"[/#]", text.rstrip("/#"))[-1] or text
    return text


def undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected view: one edge per linked pair, ``weight`` = how many relations link them.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    >>> sorted(undirected(g).edges(data="weight"))
    [('a', 'b', 2), ('b', 'c', 1)]
    """
    u = nx.Graph()
    u.add_nodes_from(g.nodes(data=True))
    for s, o in g.edges():
        if u.has_edge(s, o):
            u[s][o]["weight"] += 1
        else:
            u.add_edge(s, o, weight=1)
    return u


def type_counts(g: nx.Graph) -> dict[str, int]:
    """Number of nodes of each entity type, most first (ties by name).

    >>> type_counts(nx.Graph([("a", "b")]))
    {'Concept': 2}
    """
    counts = Counter(d.get("type", "Concept") for _, d in g.nodes(data=True))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _pagerank(u: nx.Graph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[Hashable, float]:
    """Weighted PageRank by power iteration (networkx's own needs SciPy).

    >>> pr = _pagerank(nx.star_graph(3))
    >>> max(pr, key=pr.get), round(sum(pr.values()), 6)
    (0, 1.0)
    """
    n = len(u)
    if n == 0:
        return {}
    strength = {v: sum(w for _, _, w in u.edges(v, data="weight", default=1)) for v in u}
    rank = dict.fromkeys(u, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[v] for v in u if strength[v] == 0) / n
        new = dict.fromkeys(u, (1.0 - alpha) / n + dangling)
        for v in u:
            if strength[v]:
                share = alpha * rank[v] / strength[v]
                for w, d in u[v].items():
                    new[w] += share * d.get("weight", 1)
        if sum(abs(new[v] - rank[v]) for v in u) < n * tol:
            return new
        rank = new
    return rank


def centrality(g: nx.MultiDiGraph, exact_up_to: int = 1000, k: int = 200, seed: int = 0) -> dict[Hashable, dict[str, float]]:
    """Degree, PageRank and betweenness of every node.

    ``degree`` counts relations (edges of the multigraph, both directions);
    ``pagerank`` and ``betweenness`` are computed on the undirected view
    (:func:`undirected`), PageRank weighted by the number of relations per
    pair. Above ``exact_up_to`` nodes betweenness is estimated from ``k``
    sampled sources with a fixed ``seed``, so it stays fast and the same in
    every run.

    >>> c = centrality(nx.MultiDiGraph([("a", "hub"), ("hub", "b"), ("hub", "c")]))
    >>> c["hub"]["degree"], c["hub"]["betweenness"], max(c, key=lambda n: c[n]["pagerank"])
    (3, 1.0, 'hub')
    """
    u = undirected(g)
    pr = _pagerank(u)
    if len(u) > exact_up_to:
        bc = nx.betweenness_centrality(u, k=min(k, len(u)), seed=seed)
    else:
        bc = nx.betweenness_centrality(u)
    return {n: {"degree": g.degree(n), "pagerank": pr.get(n, 0.0), "betweenness": bc.get(n, 0.0)} for n in g}


def _label(g: nx.Graph, n: Hashable) -> str:
    return str(g.nodes[n].get("label", n))


def communities(g: nx.MultiDiGraph, seed: int = 0, resolution: float = 1.0) -> list[set]:
    """Louvain communities of the undirected view, largest first; deterministic for a given ``seed``.

    Isolated entities form communities of one.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")])
    >>> [sorted(c) for c in communities(g)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    u = undirected(g)
    found = nx.community.louvain_communities(u, weight="weight", resolution=resolution, seed=seed) if len(u) else []
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(map(str, c))))


def components(g: nx.MultiDiGraph) -> list[set]:
    """Connected components, ignoring direction, largest first.

    >>> [sorted(c) for c in components(nx.MultiDiGraph([("a", "b"), ("c", "d"), ("d", "e")]))]
    [['c', 'd', 'e'], ['a', 'b']]
    """
    return sorted((set(c) for c in nx.weakly_connected_components(g)), key=lambda c: (-len(c), min(map(str, c))))


def top_entities(g: nx.MultiDiGraph, n: int, scores: Mapping[Hashable, Mapping[str, float]] | None = None,
                 concepts_last: bool = True) -> nx.MultiDiGraph:
    """The subgraph of the ``n`` most central nodes (by PageRank, then degree, then label).

    With ``concepts_last``, named entities come first and concepts
    ("proposal", "statement") only fill the places left, so a handful of
    generic concepts linked to everything cannot crowd the entities out.
    ``scores`` is the result of :func:`centrality` on ``g``, computed if not given.

    >>> g = nx.MultiDiGraph([("a", "hub"), ("hub", "b"), ("hub", "c")])
    >>> nx.set_node_attributes(g, "Person", "type")
    >>> sorted(top_entities(g, 2).nodes)
    ['a', 'hub']
    >>> g.nodes["hub"]["type"] = "Concept"
    >>> sorted(top_entities(g, 2).nodes), sorted(top_entities(g, 2, concepts_last=False).nodes)
    (['a', 'b'], ['a', 'hub'])
    """
    scores = scores if scores is not None else centrality(g)

    def key(v: Hashable) -> tuple:
        concept = concepts_last and g.nodes[v].get("type", "Concept") == "Concept"
        return (concept, -scores[v]["pagerank"], -scores[v]["degree"], _label(g, v), str(v))

    return g.subgraph(sorted(g, key=key)[: max(n, 0)]).copy()


def find_entities(g: nx.Graph, name: str) -> list[Hashable]:
    """Every node whose IRI, label or alias is ``name`` (any case), sorted.

    Label matches win over alias matches. Raises :class:`EntityNotFound`
    when nothing matches.

    >>> g = nx.Graph()
    >>> g.add_node("e/1", label="Georgia", type="Country", aliases=["Sakartvelo"])
    >>> g.add_node("e/2", label="Georgia", type="Place", aliases=[])
    >>> find_entities(g, "GEORGIA"), find_entities(g, "sakartvelo")
    (['e/1', 'e/2'], ['e/1'])
    """
    if name in g:
        return [name]
    key = name.strip().casefold()
    by_label = [n for n, d in g.nodes(data=True) if str(d.get("label", "")).casefold() == key]
    matches = by_label or [n for n, d in g.nodes(data=True)
                           if any(str(a).casefold() == key for a in d.get("aliases", ()))]
    if not matches:
        raise EntityNotFound(f"no entity is called {name!r} (by label or alias); "
                             "list them with `kg entities GRAPH --concepts`")
    return sorted(matches, key=str)


def find_entity(g: nx.Graph, name: str) -> Hashable:
    """The one node whose IRI, label or alias is ``name`` (any case).

    Raises :class:`EntityNotFound` when nothing matches and
    :class:`AmbiguousEntity` when several do.

    >>> g = nx.Graph()
    >>> g.add_node("e/1", label="Georgia", type="Country", aliases=[])
    >>> g.add_node("e/2", label="Georgia", type="Place", aliases=[])
    >>> find_entity(g, "e/2")
    'e/2'
    >>> find_entity(g, "GEORGIA")
    Traceback (most recent call last):
    ...
    kg.errors.AmbiguousEntity: 'GEORGIA' names 2 entities: Georgia (Country, e/1), Georgia (Place, e/2); give the IRI of the one you mean
    """
    matches = find_entities(g, name)
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(f"{_label(g, n)} ({g.nodes[n].get('type', 'Concept')}, {n})" for n in matches)
    raise AmbiguousEntity(f"{name!r} names {len(matches)} entities: {listed}; give the IRI of the one you mean")


def shortest_paths(g: nx.MultiDiGraph, a: str, b: str, limit: int = 5) -> list[list[Hashable]]:
    """Up to ``limit`` shortest chains of nodes linking entities ``a`` and ``b``, ignoring direction.

    ``a`` and ``b`` are IRIs, labels or aliases (see :func:`find_entities`);
    a name several entities share (a group and an organisation both called
    Hezbollah) stands for all of them. Paths are in a fixed order (by the
    labels along them). Raises :class:`EntityNotFound` for an unknown name
    and :class:`NotConnected` when no chain of relations links the two.

    >>> g = nx.MultiDiGraph([("a", "m1"), ("m1", "b"), ("b", "m2"), ("m2", "a"), ("x", "y")])
    >>> shortest_paths(g, "a", "b")
    [['a', 'm1', 'b'], ['a', 'm2', 'b']]
    >>> shortest_paths(g, "a", "x")
    Traceback (most recent call last):
    ...
    kg.errors.NotConnected: 'a' and 'x' are not connected: no chain of relations links them ('a' is in a group of 4 linked entities, 'x' is in a group of 2 linked entities)
    """
    sources, targets = find_entities(g, a), find_entities(g, b)
    u = undirected(g)
    lengths = {}
    for s in sources:
        reach = nx.single_source_shortest_path_length(u, s)
        lengths.update({(s, t): reach[t] for t in targets if t in reach})
    if not lengths:
        def where(name: str, nodes: list[Hashable]) -> str:
            size = max(len(nx.node_connected_component(u, n)) for n in nodes)
            return f"{name!r} takes part in no relation" if size == 1 else \
                f"{name!r} is in a group of {size} linked entities"
        raise NotConnected(f"{a!r} and {b!r} are not connected: no chain of relations links them "
                           f"({where(a, sources)}, {where(b, targets)})")
    best = min(lengths.values())
    paths = [p for (s, t), n in sorted(lengths.items(), key=str) if n == best
             for p in islice(nx.all_shortest_paths(u, s, t), 1000)]
    return sorted(paths, key=lambda p: ([_label(g, n).casefold() for n in p], [str(n) for n in p]))[:limit]


def relations_between(g: nx.MultiDiGraph, a: Hashable, b: Hashable) -> list[dict[str, Any]]:
    """Every relation linking nodes ``a`` and ``b`` in either direction.

    Each is the edge's attributes plus ``subject`` and ``object`` (node ids)
    and ``subject_label``/``object_label``, ordered by article, then sentence.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("b", "a", predicate="meet", negated=False, article="a1", sentence="B met A.")
    0
    >>> [(r["subject"], r["predicate"], r["object"]) for r in relations_between(g, "a", "b")]
    [('b', 'meet', 'a')]
    """
    out = []
    for s, o in ((a, b), (b, a)) if a != b else ((a, b),):
        for d in (g.get_edge_data(s, o) or {}).values():
            out.append({**d, "subject": s, "object": o, "subject_label": _label(g, s), "object_label": _label(g, o)})
    return sorted(out, key=lambda r: (str(r.get("article", "")), str(r.get("sentence", "")), str(r.get("predicate"))))


NETWORK_FORMATS = ("graphml", "gexf", "csv")

#: Columns of the CSV edge list :func:`write_network` writes, one row per relation.
CSV_COLUMNS = ("source", "predicate", "target", "negated", "modality", "attributed_to", "time", "confidence",
               "support", "article", "article_title", "sentence", "source_type", "target_type", "source_iri",
               "target_iri")

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _flat(value: Any, xml: bool) -> str | int | float | bool:
    if isinstance(value, (list, tuple, set)):
        value = "; ".join(str(v) for v in value)
    if value is None:
        value = ""
    if isinstance(value, str) and xml:
        value = _XML_INVALID.sub("\ufffd", value)
    return value


def _spreadsheet_safe(value: Any) -> Any:
    """Cells a spreadsheet would run as a formula get a leading apostrophe.

    >>> _spreadsheet_safe("=HYPERLINK(1)"), _spreadsheet_safe("Israel"), _spreadsheet_safe(3)
    ("'=HYPERLINK(1)", 'Israel', 3)
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_network(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """The projection as a GraphML, GEXF or CSV file's bytes (UTF-8), for Gephi, Cytoscape or a spreadsheet.

    GraphML and GEXF hold every node (with ``label``, ``type``, ``mentions``,
    ``articles`` and ``aliases`` joined by "; ") and every relation (with the
    attributes of :func:`project`; edge ``label`` is the predicate). Missing
    values are written as empty strings and characters XML cannot hold as
    U+FFFD. CSV is an edge list, one row per relation with the columns
    :data:`CSV_COLUMNS` (``source``/``target`` are labels); entities without
    any relation are not in it (``kg entities --format csv`` lists them), and
    a text cell starting with ``=``, ``+``, ``-`` or ``@`` gets a leading
    apostrophe so a spreadsheet shows it instead of running it.

    Raises :class:`KGError` for an unknown format.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("e/a", label="A", type="Person", aliases=["Al"])
    >>> g.add_edge("e/a", "e/a", predicate="praise", negated=False, support=1, article="x", sentence="A praised A.")
    0
    >>> sorted(nx.read_graphml(io.BytesIO(write_network(g, "graphml"))).nodes(data="aliases"))
    [('e/a', 'Al')]
    >>> write_network(g, "csv").decode().splitlines()[1]
    'A,praise,A,false,,,,,1,x,,A praised A.,Person,Person,e/a,e/a'
    """
    if fmt not in NETWORK_FORMATS:
        raise KGError(f"unknown network format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)}")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for s, o, d in g.edges(data=True):
            row = {**d, "source": _label(g, s), "target": _label(g, o), "source_iri": s, "target_iri": o,
                   "source_type": g.nodes[s].get("type", "Concept"), "target_type": g.nodes[o].get("type", "Concept")}
            cells = []
            for c in CSV_COLUMNS:
                v = row.get(c)
                v = ("true" if v else "false") if isinstance(v, bool) else _flat(v, xml=False)
                cells.append(_spreadsheet_safe(v))
            writer.writerow(cells)
        return buf.getvalue().encode("utf-8")
    flat = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        attrs = {k: _flat(v, xml=True) for k, v in d.items()}
        attrs.setdefault("label", str(n))
        flat.add_node(str(n), **attrs)
    for s, o, d in g.edges(data=True):
        attrs = {k: _flat(v, xml=True) for k, v in d.items()}
        attrs["label"] = attrs.get("predicate", "")
        flat.add_edge(str(s), str(o), **attrs)
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buf, encoding="utf-8")
    else:
        nx.write_gexf(flat, buf, encoding="utf-8")
    return buf.getvalue()


def network_summary(g: nx.MultiDiGraph, top: int = 10, seed: int = 0, include_concepts: bool = False) -> dict[str, Any]:
    """What ``kg stats`` prints: counts, the most central entities, communities and components.

    Returns a JSON-ready dict with ``entities``, ``relations``, ``negated``,
    ``articles``, ``types`` (:func:`type_counts`), ``central`` (the ``top``
    nodes by PageRank, each with label, type, degree, pagerank, betweenness),
    ``communities`` (size and the most central members of each, named
    entities first unless ``include_concepts``, largest first) and ``components`` (sizes, largest first). Concepts count in every
    measure but are listed among the central ones only if ``include_concepts``.

    >>> s = network_summary(nx.MultiDiGraph([("a", "hub"), ("hub", "b")]), top=1, include_concepts=True)
    >>> s["entities"], s["relations"], s["central"][0]["iri"], s["components"]
    (3, 2, 'hub', [3])
    """
    scores = centrality(g)
    ranked = sorted(g, key=lambda v: (-scores[v]["pagerank"], -scores[v]["degree"], _label(g, v), str(v)))
    shown = [v for v in ranked if include_concepts or g.nodes[v].get("type", "Concept") != "Concept"]

    def entry(v: Hashable) -> dict[str, Any]:
        return {"label": _label(g, v), "type": g.nodes[v].get("type", "Concept"), "iri": str(v),
                "degree": scores[v]["degree"], "pagerank": round(scores[v]["pagerank"], 4),
                "betweenness": round(scores[v]["betweenness"], 4)}

    rank = {v: i for i, v in enumerate(ranked)}

    def member_order(v: Hashable) -> tuple:  # named entities name a community better than concepts
        return (not include_concepts and g.nodes[v].get("type", "Concept") == "Concept", rank[v])

    found = communities(g, seed=seed)
    return {
        "entities": g.number_of_nodes(),
        "relations": g.number_of_edges(),
        "negated": sum(1 for *_, neg in g.edges(data="negated") if neg),
        "articles": len({a for *_, a in g.edges(data="article") if a}),
        "types": type_counts(g),
        "central": [entry(v) for v in shown[:top]],
        "communities": [{"size": len(c), "members": [_label(g, v) for v in sorted(c, key=member_order)[:5]]}
                        for c in found],
        "components": [len(c) for c in components(g)],
    }
