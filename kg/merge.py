"""Merging graphs across articles: a union of article graphs, then reconciliation.

Entity IRIs are deterministic keys (``Country/United_States``), so the same
thing named the same way is already one node in every article, and graphs
merge by set union. What is left are names that differ only in form: a
surname alone in one article ("Pelosi") and the full name in another, a
spelling without diacritics ("Brudzinski"), an acronym an article defined
("IRGC"). :func:`reconcile` finds them and writes its findings into one named
graph, :data:`RECONCILIATION_GRAPH`, recomputed from scratch every time:

- ``a owl:sameAs b``: strong evidence, ``b`` is the canonical node of the
  cluster; views (:func:`kg.query.entity_rows`, ``relation_rows``,
  ``mention_rows`` and the networkx projection) show the cluster as ``b``;
- ``a skos:closeMatch b``: weak evidence, left apart for a person to review.

Rules (two entities of different types are never linked: Jordan the country
is not Michael Jordan; Washington the city, the state and the person stay
three nodes; two entities linked to different Wikidata items never merge):

1. **Same thing**: the same Wikidata item, or names equal once case,
   diacritics, punctuation, spacing and the British or American spelling of
   a few generic words are folded ("Al-Qaeda", "Al Qaeda"; "World Health
   Organisation").
2. **Name used for one other entity**: the label of ``a`` is a name that
   articles use for ``b`` (``b``'s label, an alias or a mention: "Pelosi" for
   Nancy Pelosi). Strong when ``b`` is the only entity of that type called so
   (or takes at least 80% of the articles that use the name) and the name is
   more than one word, an acronym, or used for ``b`` in two articles or more;
   otherwise weak, to every entity called so. A generic name ("the Court",
   an article's own node, see :mod:`kg.resolve.link`) never joins another
   generic node by rule 1, and joins a named one only when articles use the
   name for it in three articles or more.
3. **Spelling variants**: names whose similarity (``rapidfuzz``, per type)
   reaches :data:`WEAK_SIMILARITY` are weak. Two persons' names are strong at
   :data:`STRONG_SIMILARITY` when both have the same words, each pair of words
   equal or a long, close variant ("Hassan Rouhani", "Hasan Rouhani"); for
   other types a letter often makes another thing (the Labor Party of
   Australia and Britain's Labour Party, Rolling Stone and the Rolling
   Stones), so similarity alone stays weak.
4. **Acronyms** not defined in any article ("WHO" for World Health
   Organization) are weak.

Strong links are joined into clusters (a union that would put two Wikidata
items in one cluster is turned into a weak link instead). The canonical node
of a cluster is the one with a Wikidata link, then in most articles, then
most mentions, then the longest label, then the smallest IRI: it depends on
the dataset, never on the order its articles came in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import GraphError, OutputError
from kg.rdf.io import format_for, load_graph, save_dataset
from kg.rdf.model import new_dataset
from kg.rdf.vocab import BASE, CLASS_TYPES, ENTITY, KG, SCHEMA
from kg.resolve.canonical import surface_form
from kg.resolve.coref import is_generic_name
from kg.resolve.wikidata import fold

__all__ = [
    "RECONCILIATION_GRAPH",
    "article_graphs",
    "sparql_runner",
    "STRONG_SIMILARITY",
    "WEAK_SIMILARITY",
    "Reconciliation",
    "name_key",
    "fuzzy_key",
    "find_links",
    "reconcile",
    "merge_datasets",
    "merge_files",
    "canonical_map",
]

#: The named graph holding the links :func:`reconcile` finds.
RECONCILIATION_GRAPH = URIRef(BASE + "graph/reconciliation")

#: Similarity (0-100, ``rapidfuzz.fuzz.ratio`` of folded names) from which two
#: names of the same type are linked by ``skos:closeMatch``.
WEAK_SIMILARITY = 90.0
#: Similarity from which two names with the same words are merged.
STRONG_SIMILARITY = 94.0
#: Shortest folded name that similarity alone may link.
MIN_FUZZY_LENGTH = 5
#: Share of the articles using a name that one entity must take to own it.
DOMINANT_SHARE = 0.8

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)

#: British spellings of generic words in names, and the American ones they fold to.
SPELLINGS = {"organisation": "organization", "organisations": "organizations", "centre": "center",
             "defence": "defense", "programme": "program", "theatre": "theater"}


def name_key(text: str) -> str:
    """The form two names share when they differ only in case, diacritics, punctuation or spacing.

    >>> name_key("Al-Qaeda") == name_key("al Qaeda") == name_key("AL QAEDA")
    True
    >>> name_key("Joachim Brudziński") == name_key("Joachim Brudzinski")
    True
    >>> name_key("World Health Organisation") == name_key("World Health Organization")
    True
    """
    return "".join(SPELLINGS.get(w, w) for w in _NON_ALNUM.sub(" ", fold(text)).split())


def fuzzy_key(text: str) -> str:
    """The folded name compared by similarity: words kept, punctuation turned to spaces.

    >>> fuzzy_key("Kim Jong-un")
    'kim jong un'
    """
    return " ".join(_NON_ALNUM.sub(" ", fold(text)).split())


@dataclass
class _Entity:
    iri: URIRef
    label: str
    type: str
    wikidata: set[str] = field(default_factory=set)
    articles: set[URIRef] = field(default_factory=set)
    mentions: int = 0
    #: name_key -> articles where the entity is called so
    names: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))


@dataclass(frozen=True)
class Reconciliation:
    """What :func:`reconcile` found: strong links (member -> canonical) and weak pairs."""

    same_as: Mapping[URIRef, URIRef]
    close_match: tuple[tuple[URIRef, URIRef], ...]

    def summary(self) -> str:
        """One line for people.

        >>> Reconciliation({}, ()).summary()
        '0 entities merged into others, 0 close matches to review'
        """
        return (f"{len(self.same_as)} {'entity' if len(self.same_as) == 1 else 'entities'} merged into others, "
                f"{len(self.close_match)} close {'match' if len(self.close_match) == 1 else 'matches'} to review")


def article_graphs(ds: Dataset) -> Iterable[Graph]:
    """The article graphs of ``ds``: every named graph but the derived ones (reconciliation, summary)."""
    from kg.summary import SUMMARY_GRAPH

    for g in ds.graphs():
        if g.identifier not in (DATASET_DEFAULT_GRAPH_ID, RECONCILIATION_GRAPH, SUMMARY_GRAPH):
            yield g


def _entities(ds: Dataset, facts=None) -> dict[URIRef, _Entity]:
    """Every named (non-concept) entity of the article graphs, with its names and where they are used."""
    out: dict[URIRef, _Entity] = {}
    described, mentioned = _entity_facts(ds) if facts is None else _entity_facts_from_records(facts)
    for art, e, classes, label, aliases, same_as in described:
        named = [t for t in (CLASS_TYPES.get(c) for c in classes) if t and t != "Concept"]
        if not named:
            continue
        ent = out.setdefault(e, _Entity(e, label, min(named)))
        ent.type = min(ent.type, min(named))
        ent.articles.add(art)
        ent.names[name_key(label)].add(art)
        for alias in aliases:
            ent.names[name_key(surface_form(alias, ent.type))].add(art)
        ent.wikidata.update(x for x in same_as if not x.startswith(str(ENTITY)))
    for art, e, text, n in mentioned:
        ent = out.get(e)
        if ent is None:
            continue
        ent.mentions += n
        if text is not None and any(ch.isupper() for ch in text):
            ent.names[name_key(surface_form(text, ent.type))].add(art)
    for ent in out.values():
        ent.names.pop("", None)
    return out


_DESCRIBED = f"""SELECT ?g ?e ?c ?l ?alias ?same WHERE {{ GRAPH ?g {{
  ?e a <{KG.Entity}> ; a ?c ; <{RDFS.label}> ?l .
  OPTIONAL {{ ?e <{SKOS.altLabel}> ?alias }} OPTIONAL {{ ?e <{OWL.sameAs}> ?same }}
}} FILTER(?g != <{RECONCILIATION_GRAPH}> && ?g != <{BASE}graph/summary> && ?g != <{BASE}graph/union>) }}"""
_MENTIONED = f"""SELECT ?g ?e ?t (COUNT(?m) AS ?n) WHERE {{ GRAPH ?g {{ ?m <{KG.mentionOf}> ?e . OPTIONAL {{ ?m <{KG.text}> ?t }} }}
  FILTER(?g != <{RECONCILIATION_GRAPH}> && ?g != <{BASE}graph/summary> && ?g != <{BASE}graph/union>) }} GROUP BY ?g ?e ?t"""


def sparql_runner(source):
    """A function running SPARQL text inside the store ``source`` lives in, or None for an rdflib dataset in memory."""
    if getattr(source, "ox", None) is not None:  # a LocalStore
        return source.ox.query
    if type(getattr(source, "store", None)).__name__ == "OxigraphStore":
        return source.store._inner.query
    if hasattr(source, "select") and hasattr(source, "query"):  # a RemoteStore
        return source.query
    return None


def _entity_facts_from_records(facts) -> tuple[Iterator[tuple], Iterator[tuple]]:
    """The rows of :func:`_entity_facts` from :class:`~kg.rdf.facts.ArticleFacts` of every article, made as read."""
    ordered = sorted(facts, key=lambda f: f.graph)

    def described() -> Iterator[tuple]:
        for f in ordered:
            g = URIRef(f.graph)
            for e, classes, label, aliases, same in sorted(f.entities):
                yield g, URIRef(e), {URIRef(c) for c in classes}, label, set(aliases), set(same)

    mentioned = ((URIRef(f.graph), URIRef(e), text, n) for f in ordered for e, text, _, n in f.mentions)
    return described(), mentioned


def _entity_facts(ds: Dataset) -> tuple[list[tuple], list[tuple]]:
    """(article, entity, classes, label, aliases, sameAs) per entity and article; (article, entity, text, count) per name.

    A dataset kept in Oxigraph answers two SPARQL queries inside the store
    (the graph API would cross into Python once per triple); an rdflib
    dataset is walked graph by graph.
    """
    query = sparql_runner(ds)
    described: dict[tuple, tuple[set, str, set, set]] = {}
    mentioned: list[tuple] = []
    if query is not None:
        from kg.summary import term_value as v

        for row in query(_DESCRIBED):
            e = row["e"]
            if v(e) is None or type(e).__name__ not in ("NamedNode", "URIRef"):
                continue
            key = (URIRef(v(row["g"])), URIRef(v(e)))
            classes, label, aliases, same = described.setdefault(key, (set(), v(row["l"]), set(), set()))
            classes.add(URIRef(v(row["c"])))
            if row["alias"] is not None:
                aliases.add(v(row["alias"]))
            if row["same"] is not None:
                same.add(v(row["same"]))
        # mention rows are many (one per name per article): streamed, never held in a list
        rows = [(g, e, c, label, aliases, same) for (g, e), (c, label, aliases, same) in sorted(described.items())]
        return rows, ((URIRef(v(r["g"])), URIRef(v(r["e"])), v(r["t"]), int(v(r["n"]))) for r in query(_MENTIONED))
    else:
        for g in article_graphs(ds):
            for e in g.subjects(RDF.type, KG.Entity):
                label = g.value(e, RDFS.label)
                if not isinstance(e, URIRef) or label is None:
                    continue
                described[(g.identifier, e)] = (set(g.objects(e, RDF.type)), str(label),
                                                {str(a) for a in g.objects(e, SKOS.altLabel)},
                                                {str(x) for x in g.objects(e, OWL.sameAs)})
            for m, e in g.subject_objects(KG.mentionOf):
                text = g.value(m, KG.text)
                mentioned.append((g.identifier, e, None if text is None else str(text), 1))
    # the first label seen names the entity, as articles come in graph order
    rows = [(g, e, c, label, aliases, same) for (g, e), (c, label, aliases, same) in sorted(described.items())]
    return rows, mentioned


class _Clusters:
    """Union-find over entity IRIs that refuses to join two Wikidata items."""

    def __init__(self, entities: Mapping[URIRef, _Entity]) -> None:
        self.parent: dict[URIRef, URIRef] = {}
        self.wikidata: dict[URIRef, set[str]] = {iri: set(e.wikidata) for iri, e in entities.items()}

    def find(self, x: URIRef) -> URIRef:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            x, self.parent[x] = self.parent.get(x, x), root
        return root

    def union(self, a: URIRef, b: URIRef) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        wa, wb = self.wikidata[ra], self.wikidata[rb]
        if wa and wb and wa != wb:
            return False
        ra, rb = min(ra, rb), max(ra, rb)
        self.parent[rb] = ra
        self.wikidata[ra] = wa | wb
        return True


def _acronym(label: str) -> str:
    """Initials of the capitalised words of a name.

    >>> _acronym("World Health Organization"), _acronym("Bank of England")
    ('WHO', 'BE')
    """
    return "".join(w[0] for w in re.split(r"[\s-]+", label) if w[:1].isupper())


def _similar_words(a: str, b: str) -> bool:
    """Whether two names have the same words, each equal or a long close variant."""
    from rapidfuzz import fuzz

    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb):
        if x == y:
            continue
        if min(len(x), len(y)) < 4 or x[0] != y[0] or fuzz.ratio(x, y) < 80 or x.isdigit() or y.isdigit():
            return False
    return True


def _fuzzy_pairs(entities: Sequence[_Entity]) -> list[tuple[float, URIRef, URIRef]]:
    """Pairs of same-type entities whose folded names reach :data:`WEAK_SIMILARITY`, with their score."""
    from rapidfuzz import fuzz, process

    blocks: dict[tuple[str, str], list[_Entity]] = defaultdict(list)
    for e in entities:
        key = fuzzy_key(e.label)
        if len(key) >= MIN_FUZZY_LENGTH and not is_generic_name(e.label):
            blocks[(e.type, key[0])].append(e)
    out: list[tuple[float, URIRef, URIRef]] = []
    for block in blocks.values():
        if len(block) < 2:
            continue
        keys = [fuzzy_key(e.label) for e in block]
        for lo in range(0, len(block), 1000):
            scores = process.cdist(keys[lo:lo + 1000], keys, scorer=fuzz.ratio, score_cutoff=WEAK_SIMILARITY,
                                   workers=1)
            for i, j in zip(*scores.nonzero()):
                i = int(i) + lo
                j = int(j)
                if i < j and name_key(keys[i]) != name_key(keys[j]):
                    out.append((float(scores[i - lo, j]), block[i].iri, block[j].iri))
    return out


def _evidence(entities: Mapping[URIRef, _Entity]) -> tuple[list[tuple[int, URIRef, URIRef]], set[tuple[URIRef, URIRef]]]:
    """Strong pairs (with a rank: lower is stronger) and weak pairs, each pair ordered."""
    strong: list[tuple[int, URIRef, URIRef]] = []
    weak: set[tuple[URIRef, URIRef]] = set()

    def pair(a: URIRef, b: URIRef) -> tuple[URIRef, URIRef]:
        return (a, b) if a < b else (b, a)

    by_label: dict[tuple[str, str], list[URIRef]] = defaultdict(list)
    by_wikidata: dict[tuple[str, str], list[URIRef]] = defaultdict(list)
    by_name: dict[tuple[str, str], list[URIRef]] = defaultdict(list)
    by_acronym: dict[tuple[str, str], list[URIRef]] = defaultdict(list)
    for iri, e in sorted(entities.items()):
        if not is_generic_name(e.label):
            by_label[(e.type, name_key(e.label))].append(iri)
        for w in e.wikidata:
            by_wikidata[(e.type, w)].append(iri)
        for n in e.names:
            by_name[(e.type, n)].append(iri)
        initials = _acronym(e.label)
        if len(initials) >= 3 and len(e.label.split()) >= 3:
            by_acronym[(e.type, name_key(initials))].append(iri)

    for group in (*by_wikidata.values(), *by_label.values()):
        for other in group[1:]:
            strong.append((0, *pair(group[0], other)))

    for iri, e in sorted(entities.items()):
        n = name_key(e.label)
        users = [y for y in by_name.get((e.type, n), ())
                 if y != iri and (name_key(entities[y].label) != n or is_generic_name(e.label))]
        if is_generic_name(e.label):  # another article's own Court is no evidence of which court this is
            users = [y for y in users if not is_generic_name(entities[y].label)]
        if users:
            uses = {y: len(entities[y].names[n]) for y in users}
            total = sum(uses.values())
            top = max(users, key=lambda y: (uses[y], len(entities[y].articles), -len(str(y)), str(y)))
            if is_generic_name(e.label):
                distinctive = uses[top] >= 3
            else:
                distinctive = len(e.label.split()) > 1 or e.label.isupper() or uses[top] >= 2
            owns = len(users) == 1 or uses[top] >= DOMINANT_SHARE * total
            if owns and distinctive:
                strong.append((1, *pair(iri, top)))
                users = [y for y in users if y != top]
            weak.update(pair(iri, y) for y in users)
        if e.label.isupper() and len(e.label) >= 3:
            weak.update(pair(iri, y) for y in by_acronym.get((e.type, n), ()) if y != iri)

    for score, a, b in _fuzzy_pairs(list(entities.values())):
        ea, eb = entities[a], entities[b]
        if ea.wikidata and eb.wikidata and ea.wikidata != eb.wikidata:
            continue
        ka, kb = fuzzy_key(ea.label), fuzzy_key(eb.label)
        if ea.type == "Person" and score >= STRONG_SIMILARITY and min(len(ka), len(kb)) >= 10 and _similar_words(ka, kb):
            strong.append((2, *pair(a, b)))
        else:
            weak.add(pair(a, b))
    return sorted(set(strong)), weak


def _canonical(members: Iterable[URIRef], entities: Mapping[URIRef, _Entity]) -> URIRef:
    def rank(iri: URIRef) -> tuple:
        e = entities[iri]
        return (not e.wikidata, -len(e.articles), -e.mentions, -len(e.label), str(iri))

    return min(members, key=rank)


def find_links(ds: Dataset, facts=None) -> Reconciliation:
    """Find the ``owl:sameAs`` and ``skos:closeMatch`` links among the entities of ``ds`` (writes nothing).

    ``facts``: the :class:`~kg.rdf.facts.ArticleFacts` of every article of ``ds``
    when the caller has them; else they are read from ``ds``.
    """
    entities = _entities(ds, facts)
    strong, weak = _evidence(entities)
    clusters = _Clusters(entities)
    for _, a, b in strong:
        if not clusters.union(a, b):
            weak.add((a, b))
    members: dict[URIRef, list[URIRef]] = defaultdict(list)
    for iri in sorted(entities):
        members[clusters.find(iri)].append(iri)
    same_as: dict[URIRef, URIRef] = {}
    for group in members.values():
        if len(group) > 1:
            canon = _canonical(group, entities)
            same_as.update((m, canon) for m in group if m != canon)
    close = sorted({(a, b) for a, b in weak if clusters.find(a) != clusters.find(b)})
    return Reconciliation(same_as, tuple(close))


def reconcile(ds: Dataset) -> Reconciliation:
    """Recompute the reconciliation graph of ``ds`` from its article graphs, in place.

    Removes any previous :data:`RECONCILIATION_GRAPH`, finds the links (see the
    module docstring) and writes them: ``member owl:sameAs canonical`` and
    ``a skos:closeMatch b`` (``a`` the smaller IRI). Returns what it found.
    The result depends only on the article graphs, so reconciling twice, or
    the same articles in another order, gives the same graph.
    """
    ds.remove_graph(RECONCILIATION_GRAPH)
    found = find_links(ds)
    if found.same_as or found.close_match:
        g = ds.graph(RECONCILIATION_GRAPH)
        g.addN((m, OWL.sameAs, c, g) for m, c in sorted(found.same_as.items()))
        g.addN((a, SKOS.closeMatch, b, g) for a, b in found.close_match)
    return found


def reconcile_store(store, facts=None) -> Reconciliation:
    """Recompute the reconciliation graph of a store (see :func:`reconcile`), written in one transaction.

    ``facts``: as for :func:`find_links`.
    """
    from kg.rdf.model import nt_term

    found = find_links(store, facts)  # read inside the store, without an rdflib dataset over it
    lines = [f"{nt_term(m)} {nt_term(OWL.sameAs)} {nt_term(c)} .\n" for m, c in sorted(found.same_as.items())]
    lines += [f"{nt_term(a)} {nt_term(SKOS.closeMatch)} {nt_term(b)} .\n" for a, b in found.close_match]
    if lines:
        store.rewrite_graph(str(RECONCILIATION_GRAPH), "".join(lines))
    else:
        store.remove_article(str(RECONCILIATION_GRAPH))
    return found


def canonical_map(graph) -> dict[str, str]:
    """Entity IRI -> canonical IRI for every entity merged into another (as strings).

    Reads the ``owl:sameAs`` links between kg entities in the reconciliation
    graph of ``graph`` (a dataset; a graph without one gives ``{}``). Links
    are followed to the end of a chain, so the result is a flat map.
    """
    links: dict[str, str] = {}
    query = (f"SELECT ?a ?b WHERE {{ GRAPH <{RECONCILIATION_GRAPH}> {{ ?a <{OWL.sameAs}> ?b }} }}")
    try:
        result = list(graph.query(query))  # evaluated here: rdflib raises while iterating
    except Exception:  # a plain Graph, or a store that has no named graphs
        return {}
    for a, b in result:
        if str(a).startswith(str(ENTITY)) and str(b).startswith(str(ENTITY)) and a != b:
            links[str(a)] = str(b)
    out: dict[str, str] = {}
    for a in links:
        seen = {a}
        b = links[a]
        while b in links and links[b] not in seen:
            seen.add(b)
            b = links[b]
        out[a] = b
    return out


def _content_hash(g: Graph) -> str | None:
    value = g.value(g.identifier, KG.contentHash)
    return None if value is None else str(value)


def _sorted_triples(g: Graph) -> list[tuple[str, str, str]]:
    return sorted((s.n3(), p.n3(), o.n3()) for s, p, o in g)


def merge_datasets(datasets: Sequence[tuple[str, Dataset]]) -> tuple[Dataset, Reconciliation]:
    """Union the article graphs of several datasets and reconcile the result.

    ``datasets`` are ``(name, dataset)`` pairs; the name only appears in
    errors. An article in several inputs is kept once: with the same content
    hash the copies describe the same text, and the one whose sorted triples
    come first is kept, so the result does not depend on the order of the
    inputs. Reconciliation graphs of the inputs are dropped and recomputed.

    Raises :class:`GraphError` when one article id holds different texts in two inputs.
    """
    chosen: dict[URIRef, tuple[str, Graph]] = {}
    for name, ds in datasets:
        for g in article_graphs(ds):
            if len(g) == 0:
                continue
            old = chosen.get(g.identifier)
            if old is None:
                chosen[g.identifier] = (name, g)
                continue
            old_name, old_g = old
            if _content_hash(old_g) != _content_hash(g):
                aid = g.value(g.identifier, SCHEMA.identifier) or g.identifier
                raise GraphError(
                    f"{name}: article {str(aid)!r} differs from the one in {old_name} (different text or "
                    "metadata); rebuild both from the same article, or leave one of them out"
                )
            if set(g) != set(old_g) and _sorted_triples(g) < _sorted_triples(old_g):
                chosen[g.identifier] = (name, g)
    out = new_dataset()
    for iri in sorted(chosen):
        target = out.graph(iri)
        target.addN((s, p, o, target) for s, p, o in chosen[iri][1])
    found = reconcile(out)
    from kg.summary import summarise_dataset

    summarise_dataset(out)
    return out, found


def merge_files(inputs: Sequence[str | Path], output: str | Path, force: bool = False) -> tuple[Dataset, Reconciliation]:
    """Merge graph files kg wrote into ``output``, written atomically.

    Every input is read before anything is written; an input that is missing,
    corrupt or not written by kg raises :class:`GraphError` and leaves
    ``output`` as it was. An existing ``output`` is kept unless ``force``
    (:class:`OutputError`).
    """
    output = Path(output)
    if output.exists() and not force:
        raise OutputError(f"{output}: already exists; use --force to overwrite it (or -o to write elsewhere)")
    fmt = format_for(output)
    if fmt == "turtle":
        raise OutputError(f"{output}: Turtle cannot hold the article graphs apart; write .trig, .nq or .jsonld")
    loaded = [(str(p), load_graph(p)) for p in inputs]
    ds, found = merge_datasets(loaded)
    save_dataset(ds, output, fmt=fmt, force=force)
    return ds, found
