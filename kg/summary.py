"""Corpus-wide counts and rankings, kept in one named graph so rankings answer at once.

A ranking over the whole corpus ("the most connected entities", "the most
frequent predicates") has to read every relation, which takes seconds on a
corpus of thousands of articles whatever the engine. kg therefore computes
those figures once, after each change to the article graphs (``kg build``,
``kg merge``, ``kg load``), and writes them into :data:`SUMMARY_GRAPH`, which
the named queries read. Like the reconciliation graph it is derived: it is
recomputed from the article graphs every time, never edited, and a store
keeps its triples in the union default graph like any article's.

What it holds:

- every entity in a relation: ``kg:relationCount`` (relations it is the
  subject or object of) and ``kg:relationArticles`` (articles of those
  relations); the named ones (not concepts) ranked by relations, the first
  :data:`RANKED` with ``kg:connectedRank`` (1 = most);
- every entity mentioned: ``kg:mentionCount`` and ``kg:mentionArticles``; the
  first :data:`RANKED_PER_TYPE` of each type by mentions with ``kg:mentionRank``
  and ``kg:rankedType`` (the type's name, "Person");
- every predicate: ``kg:relationCount``, ``kg:relationArticles`` and
  ``kg:negatedCount``; the first :data:`RANKED` with ``kg:frequencyRank``;
- ``negated kg:contradicts asserted`` for each relation one article negates
  and another asserts (same subject, predicate and object; the assertion
  without modality);
- ``a kg:relatedTo b`` and ``b kg:relatedTo a`` for every two entities that
  are the subject and the object of a relation: the adjacency that lets a
  query find chains between two entities without reading every relation of
  the entities in between;
- ``article kg:mentionsNamed e`` for every named entity (not a concept) an
  article mentions: ``schema:mentions`` without the concepts, so a query
  counting the named entities mentioned with another ("co-mentioned") reads
  only those, with no per-row test of their types.

Ties are broken by IRI, so the summary depends only on the article graphs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, URIRef
from rdflib.namespace import XSD

from kg.rdf.vocab import BASE, KG, PROV, SCHEMA, SKOS

__all__ = ["RANKED", "SUMMARY_GRAPH", "Summary", "summarise", "summarise_dataset", "summarise_store", "summary_ntriples", "term_value"]

#: The named graph holding the counts and rankings.
SUMMARY_GRAPH = URIRef(BASE + "graph/summary")
#: How many entities and predicates get a rank.
RANKED = 500
#: How many entities of each type get a rank by mentions.
RANKED_PER_TYPE = 100


@dataclass
class Summary:
    """The figures of :mod:`kg.summary` before they become triples."""

    relations: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # node -> relations
    relation_articles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    predicate_relations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicate_articles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    predicate_negated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    mentions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    mention_articles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    contradicts: set[tuple[str, str]] = field(default_factory=set)
    related: set[tuple[str, str]] = field(default_factory=set)  # (a, b) with a < b


_RELATIONS = f"""SELECT ?r ?s ?p ?o ?neg ?a ?mod WHERE {{
  ?r a <{KG.Relation}> ; <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{KG.negated}> ?neg ; <{PROV.wasDerivedFrom}> ?a .
  OPTIONAL {{ ?r <{RDF.object}> ?o }} OPTIONAL {{ ?r <{KG.modality}> ?mod }}
}}"""
_MENTIONS = f"""SELECT ?e ?a (COUNT(?m) AS ?n) WHERE {{ ?m <{KG.mentionOf}> ?e ; <{SCHEMA.isPartOf}> ?a }} GROUP BY ?e ?a"""
_CLASSES = f"""SELECT ?e ?c WHERE {{ ?e a <{KG.Entity}> ; a ?c }}"""


def term_value(term) -> str | None:
    """The lexical value of an rdflib or pyoxigraph term (None for None)."""
    from rdflib.term import Identifier

    if term is None:
        return None
    return str(term) if isinstance(term, Identifier) else str(term.value)


def _is_true(term) -> bool:
    return term_value(term) in ("true", "1")


_NEGATED = f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  ?r <{KG.negated}> true ; <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o }}"""


def _facts_from_sparql(query):
    """The facts from SELECTs over the union of the articles, run by ``query(text)``; relation rows are streamed."""
    negated = {(term_value(r["s"]), term_value(r["p"]), term_value(r["o"])) for r in query(_NEGATED)}
    relations = ((term_value(r["r"]), term_value(r["s"]), term_value(r["p"]), term_value(r["o"]), _is_true(r["neg"]),
                  term_value(r["a"]), r["mod"] is not None) for r in query(_RELATIONS))
    mentions = ((term_value(r["e"]), term_value(r["a"]), int(term_value(r["n"]))) for r in query(_MENTIONS))
    classes = ((term_value(r["e"]), term_value(r["c"])) for r in query(_CLASSES))
    return relations, mentions, classes, negated


def _facts_from_records(facts):
    """The same rows as :func:`_facts_from_sparql`, from :class:`~kg.rdf.facts.ArticleFacts` of every article."""
    relations = [row for f in facts for row in f.relations]
    negated = {(s, p, o) for _, s, p, o, neg, _, _ in relations if neg and o is not None}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in facts:
        for e, _text, a, n in f.mentions:
            if a is not None:
                counts[(e, a)] += n
    classes = {(e, c) for f in facts for e, types, _, _, _ in f.entities for c in types}
    return relations, [(e, a, n) for (e, a), n in counts.items()], classes, negated


def _facts_from_rdflib(ds) -> tuple[list[tuple], list[tuple], list[tuple]]:
    from kg.merge import article_graphs  # noqa: PLC0415

    relations, classes = [], set()
    mentions: dict[tuple[str, str], int] = defaultdict(int)
    for g in article_graphs(ds):
        for r in g.subjects(RDF.type, KG.Relation):
            s, p, neg, a = (g.value(r, x) for x in (RDF.subject, RDF.predicate, KG.negated, PROV.wasDerivedFrom))
            if s is None or p is None or a is None:
                continue
            o = g.value(r, RDF.object)
            relations.append((str(r), str(s), str(p), None if o is None else str(o), bool(neg is not None and neg.toPython()),
                              str(a), g.value(r, KG.modality) is not None))
        for m, e in g.subject_objects(KG.mentionOf):
            a = g.value(m, SCHEMA.isPartOf)
            if a is not None:
                mentions[(str(e), str(a))] += 1
        for e in g.subjects(RDF.type, KG.Entity):
            classes.update((str(e), str(c)) for c in g.objects(e, RDF.type))
    negated = {(s, p, o) for _, s, p, o, neg, _, _ in relations if neg and o is not None}
    return relations, [(e, a, n) for (e, a), n in mentions.items()], sorted(classes), negated


_IRI_SCHEMES = ("http://", "https://", "urn:")


def summarise(relations, mentions, classes, negated_claims) -> Summary:
    """The figures from relation rows ``(relation, subject, predicate, object, negated, article, modal)``,
    mention rows ``(entity, article, count)``, class rows ``(entity, class)`` and the set of
    ``(subject, predicate, object)`` some relation negates.

    Rows are read once, as they come: only counts, article sets and the
    relations of negated claims are kept, so memory grows with the number of
    entities, not of relations.
    """
    out = Summary()
    claims: dict[tuple, list[tuple[str, str, bool]]] = defaultdict(list)
    seen: set[str] = set()
    for r, s, p, o, negated, a, modal in relations:
        if r in seen:
            continue
        seen.add(r)
        for node in {s, o}:
            if node is not None and node.startswith(_IRI_SCHEMES):
                out.relations[node] += 1
                out.relation_articles[node].add(a)
        if o is not None and o != s and o.startswith(_IRI_SCHEMES):
            out.related.add((s, o) if s < o else (o, s))
        out.predicate_relations[p] += 1
        out.predicate_articles[p].add(a)
        if negated:
            out.predicate_negated[p] += 1
        if o is not None and (s, p, o) in negated_claims and (negated or not modal):
            claims[(s, p, o)].append((r, a, negated))
    for rows in claims.values():
        negs = [(r, a) for r, a, negated in rows if negated]
        for pos, a1, negated in rows:
            if not negated:
                out.contradicts.update((neg, pos) for neg, a2 in negs if a2 != a1)
    for e, a, n in mentions:
        out.mentions[e] += n
        out.mention_articles[e].add(a)
    for e, c in classes:
        out.classes[e].add(c)
    return out


def summary_ntriples(summary: Summary) -> str:
    """The summary graph's triples as N-Triples lines, sorted.

    The lines are written directly (IRIs, integers, one plain name per
    ranked type): making an rdflib term for each of tens of thousands of
    counts took a third of this function's time.
    """
    from kg.rdf.vocab import TYPE_CLASSES  # noqa: PLC0415

    named_classes = {str(c) for t, c in TYPE_CLASSES.items() if t != "Concept"}
    concept = str(SKOS.Concept)
    integer = f"^^<{XSD.integer}>"
    lines: list[str] = []

    def add(s: str, p: URIRef, o: str) -> None:
        lines.append(f"<{s}> <{p}> {o} .\n")

    def count(s: str, p: URIRef, n: int) -> None:
        lines.append(f'<{s}> <{p}> "{n}"{integer} .\n')

    for node, n in summary.relations.items():
        count(node, KG.relationCount, n)
        count(node, KG.relationArticles, len(summary.relation_articles[node]))
    named = [n for n in summary.relations if _is_named(summary.classes.get(n, set()), named_classes, concept)]
    for rank, node in enumerate(sorted(named, key=lambda n: (-summary.relations[n], n))[:RANKED], 1):
        count(node, KG.connectedRank, rank)
    for node, n in summary.mentions.items():
        count(node, KG.mentionCount, n)
        count(node, KG.mentionArticles, len(summary.mention_articles[node]))
        if _is_named(summary.classes.get(node, set()), named_classes, concept):
            for article in summary.mention_articles[node]:
                add(article, KG.mentionsNamed, f"<{node}>")
    for kind, cls in sorted(TYPE_CLASSES.items()):
        if str(cls) not in named_classes:
            continue
        of_class = [n for n in summary.mentions if str(cls) in summary.classes.get(n, ())]
        for rank, node in enumerate(sorted(of_class, key=lambda n: (-summary.mentions[n], n))[:RANKED_PER_TYPE], 1):
            count(node, KG.mentionRank, rank)
            add(node, KG.rankedType, f'"{kind}"')  # a type's name: one plain word
    for p, n in summary.predicate_relations.items():
        count(p, KG.relationCount, n)
        count(p, KG.relationArticles, len(summary.predicate_articles[p]))
        count(p, KG.negatedCount, summary.predicate_negated.get(p, 0))
    ranked = sorted(summary.predicate_relations, key=lambda p: (-summary.predicate_relations[p], p))[:RANKED]
    for rank, p in enumerate(ranked, 1):
        count(p, KG.frequencyRank, rank)
    for neg, pos in summary.contradicts:
        add(neg, KG.contradicts, f"<{pos}>")
    for a, b in summary.related:
        add(a, KG.relatedTo, f"<{b}>")
        add(b, KG.relatedTo, f"<{a}>")
    return "".join(sorted(set(lines)))


def _is_named(classes: set[str], named_classes: set[str], concept: str) -> bool:
    """Whether an entity of ``classes`` is a named one: of a named type and not a concept."""
    return bool(classes & named_classes) and concept not in classes


def summarise_dataset(ds) -> Summary:
    """Recompute the summary graph of an rdflib dataset (a graph file's) in place."""
    from rdflib import Graph

    ds.remove_graph(SUMMARY_GRAPH)
    summary = summarise(*_facts_from_rdflib(ds))
    text = summary_ntriples(summary)
    if text:
        g = ds.graph(SUMMARY_GRAPH)
        g.addN((s, p, o, g) for s, p, o in Graph().parse(data=text, format="nt"))
    return summary


def summarise_store(store, facts=None) -> Summary:
    """Recompute the summary graph of a store, written in one transaction.

    ``facts``: the :class:`~kg.rdf.facts.ArticleFacts` of every article in the
    store, when the caller has them (a build into an empty store); else the
    rows are read from the store.
    """
    from kg.merge import sparql_runner  # noqa: PLC0415

    if facts is not None:
        rows = _facts_from_records(facts)
    else:
        query = sparql_runner(store)
        rows = _facts_from_sparql(query) if query is not None else _facts_from_rdflib(store.dataset())
    summary = summarise(*rows)
    text = summary_ntriples(summary)
    if text:
        store.rewrite_graph(str(SUMMARY_GRAPH), text)
    else:
        store.remove_article(str(SUMMARY_GRAPH))
    return summary
