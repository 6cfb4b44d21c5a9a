"""What the derived graphs need from one article, read from its triples as they are made.

The reconciliation graph (:mod:`kg.merge`) and the summary graph
(:mod:`kg.summary`) are computed from every article of a store. After a
build that left no article of the store untouched (a build into an empty
store), the rows they need are already at hand: each article's
:class:`ArticleFacts`, taken from the same triples that were written. Reading
them back out of the store with SPARQL costs seconds per thousand articles;
taking them from the triples costs about a millisecond an article, in the
process that maps the article to RDF. Either way the rows are the same, so
the derived graphs are too (a test compares both).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Literal
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.rdf.vocab import KG, SCHEMA

__all__ = ["ArticleFacts", "article_facts"]

_TYPE, _SUBJECT, _PREDICATE, _OBJECT = str(RDF.type), str(RDF.subject), str(RDF.predicate), str(RDF.object)
_NEGATED, _MODALITY, _DERIVED = str(KG.negated), str(KG.modality), str(PROV.wasDerivedFrom)
_RELATION, _ENTITY = str(KG.Relation), str(KG.Entity)
_LABEL, _ALT, _SAME = str(RDFS.label), str(SKOS.altLabel), str(OWL.sameAs)
_MENTION_OF, _TEXT, _PART_OF = str(KG.mentionOf), str(KG.text), str(SCHEMA.isPartOf)
_WANTED = frozenset({_TYPE, _SUBJECT, _PREDICATE, _OBJECT, _NEGATED, _MODALITY, _DERIVED, _LABEL, _ALT, _SAME,
                     _MENTION_OF, _TEXT, _PART_OF})


@dataclass(frozen=True)
class ArticleFacts:
    """One article graph's rows for the derived graphs; every term as its lexical value.

    ``relations``: ``(relation, subject, predicate, object or None, negated,
    article, modal)`` for every ``kg:Relation``; ``entities``: ``(entity,
    classes, label, aliases, same_as)`` for every ``kg:Entity`` with a label
    (the last three sorted tuples);
    ``mentions``: ``(entity, text or None, article, count)`` for the mentions
    of each entity, grouped by their text.
    """

    graph: str
    relations: tuple[tuple[str, str, str, str | None, bool, str, bool], ...]
    entities: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], tuple[str, ...]], ...]
    mentions: tuple[tuple[str, str | None, str, int], ...]

    def interned(self) -> ArticleFacts:
        """The same facts with IRIs and labels interned: a corpus repeats them across articles."""
        i = sys.intern
        return ArticleFacts(
            i(self.graph),
            tuple((r, i(s), i(p), None if o is None else i(o), neg, i(a), modal)
                  for r, s, p, o, neg, a, modal in self.relations),
            tuple((i(e), tuple(map(i, classes)), i(label), aliases, tuple(map(i, same)))
                  for e, classes, label, aliases, same in self.entities),
            tuple((i(e), text, i(a), n) for e, text, a, n in self.mentions),
        )


def article_facts(graph_iri: str, triples: Iterable[tuple]) -> ArticleFacts:
    """The facts of one article graph from its rdflib triples (as :func:`kg.rdf.model.article_triples` makes them)."""
    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        p = str(p)
        if p in _WANTED and not isinstance(s, BNode):
            by_subject[str(s)][p].append(o)
    relations, entities = [], []
    mentions: Counter[tuple[str, str | None, str]] = Counter()
    for s, props in by_subject.items():
        types = {str(t) for t in props.get(_TYPE, ())}
        if _RELATION in types:
            row = _relation_row(s, props)
            if row is not None:
                relations.append(row)
        if _ENTITY in types and props.get(_LABEL):
            # tuples, not sets: an empty tuple costs nothing, and most entities have no aliases
            entities.append((s, tuple(sorted(types)), str(props[_LABEL][0]),
                             tuple(sorted({str(a) for a in props.get(_ALT, ())})),
                             tuple(sorted({str(x) for x in props.get(_SAME, ())}))))
        for e in props.get(_MENTION_OF, ()):
            texts = props.get(_TEXT) or [None]
            for article in props.get(_PART_OF) or [None]:
                for text in texts:
                    mentions[(str(e), None if text is None else str(text), None if article is None else str(article))] += 1
    return ArticleFacts(graph_iri, tuple(relations), tuple(entities),
                        tuple((e, t, a, n) for (e, t, a), n in mentions.items()))


def _relation_row(r: str, props: dict[str, list]) -> tuple | None:
    first = {p: (props[p][0] if props.get(p) else None) for p in (_SUBJECT, _PREDICATE, _NEGATED, _DERIVED)}
    if any(v is None for v in first.values()):
        return None
    objects = props.get(_OBJECT) or [None]
    negated = first[_NEGATED]
    is_true = str(negated) in ("true", "1") if isinstance(negated, Literal) else False
    return (r, str(first[_SUBJECT]), str(first[_PREDICATE]), None if objects[0] is None else str(objects[0]),
            is_true, str(first[_DERIVED]), bool(props.get(_MODALITY)))
