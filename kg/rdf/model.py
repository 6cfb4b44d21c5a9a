"""Turning resolved articles into RDF: one named graph per article.

The mapping (see the README's "Data model"):

- the article is a ``schema:NewsArticle`` whose IRI names its graph;
- each entity is typed with its schema.org class, labelled with ``rdfs:label``
  and ``skos:altLabel``, linked to Wikidata with ``owl:sameAs``;
- each mention is a ``kg:Mention`` with character offsets;
- each relation is a reified ``rdf:Statement`` (also a ``kg:Relation``)
  carrying its qualifiers, its sentence and ``prov:wasDerivedFrom`` the
  article; when it is neither negated nor modal, the plain
  ``subject predicate object`` triple is asserted too.

IRIs are deterministic: the same entity key gives the same IRI in every run and
every article, so graphs of different articles merge by set union.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.records import Argument, Entity, LinkedRelation, ResolvedArticle
from kg.rdf.vocab import ARTICLE, ENTITY, KG, REL, SCHEMA, TYPE_CLASSES, bind_prefixes


class _Terms:
    """A namespace whose terms are made once: rdflib builds a new ``URIRef`` on every attribute access,
    about a tenth of the mapping's time."""

    def __init__(self, namespace) -> None:  # noqa: ANN001 - an rdflib Namespace or DefinedNamespace
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


OWL, PROV, RDF, RDFS, SKOS, KG, SCHEMA = (_Terms(ns) for ns in (OWL, PROV, RDF, RDFS, SKOS, KG, SCHEMA))

__all__ = [
    "article_triples",
    "article_nquads",
    "article_iri",
    "entity_iri",
    "predicate_iri",
    "new_dataset",
    "add_article",
    "article_graph",
    "safe_literal",
]

#: Characters kept as they are in the last segment of a kg IRI; everything
#: else is percent-encoded as UTF-8.
IRI_SAFE = "-._"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _segment(text: str) -> str:
    """Percent-encode ``text`` into one IRI path segment that is never empty.

    >>> _segment("Q&A <x>")
    'Q%26A%20%3Cx%3E'
    """
    # quote() always keeps "~", which Turtle writers cannot leave in a prefixed name
    return quote(text, safe=IRI_SAFE, errors="surrogatepass").replace("~", "%7E") or "_"


def article_iri(article_id: str) -> URIRef:
    """IRI of an article (and of its named graph) from its id.

    >>> article_iri("bbc-tech-001")
    rdflib.term.URIRef('https://kg.example.org/article/bbc-tech-001')
    """
    return ARTICLE[_segment(article_id)]


@lru_cache(maxsize=65_536)
def entity_iri(key: str) -> URIRef:
    """IRI of an entity from its key (``Type/slug``), each part made IRI-safe.

    >>> entity_iri("Country/united-states")
    rdflib.term.URIRef('https://kg.example.org/entity/Country/united-states')
    >>> entity_iri("Concept/100%")
    rdflib.term.URIRef('https://kg.example.org/entity/Concept/100%25')
    """
    type_, _, slug = key.partition("/")
    if not slug:
        return ENTITY[_segment(key)]
    # keys are already percent-encoded; a "%" that starts no escape is encoded itself
    return ENTITY[_segment(type_) + "/" + _STRAY_PERCENT.sub("%25", quote(slug, safe=IRI_SAFE + "%", errors="surrogatepass"))]


@lru_cache(maxsize=16_384)
def predicate_iri(predicate: str) -> URIRef:
    """IRI of a predicate from its normalised form, words joined by ``_``.

    A local name never starts with a percent-escape or punctuation: rdflib's
    Turtle and TriG writers would cut such an IRI into an invalid prefix
    (``<.../relation/%>``).
    Those get a leading ``_`` (and a ``_`` of the text itself is escaped there,
    so distinct predicates keep distinct IRIs).

    >>> predicate_iri("advocate for")
    rdflib.term.URIRef('https://kg.example.org/relation/advocate_for')
    >>> predicate_iri("قال")
    rdflib.term.URIRef('https://kg.example.org/relation/_%D9%82%D8%A7%D9%84')
    """
    local = _segment("_".join(predicate.lower().split()))
    if local.startswith("_") and local != "_":
        local = "%5F" + local[1:]
    # likewise a local name starting with punctuation ("~"), which Turtle must escape
    return REL[local if local[:1].isascii() and local[:1].isalnum() or local == "_" else "_" + local]


def safe_literal(text: str) -> Literal:
    """A string literal with control characters and lone surrogates removed.

    >>> str(safe_literal("a\\x00b"))
    'ab'
    """
    return Literal(_CONTROL.sub("", text))


@lru_cache(maxsize=8192)
def _int_literal(n: int) -> Literal:
    """``Literal(n)`` for an int (offsets repeat within and across articles; rdflib takes µs to make one)."""
    return Literal(n)


@lru_cache(maxsize=1024)
def _confidence_literal(confidence: float) -> Literal:
    return Literal(round(confidence, 3), datatype=XSD.decimal)


@lru_cache(maxsize=1024)
def _name_literal(text: str) -> Literal:
    """A literal for one of few values (a construction's name)."""
    return Literal(text)


_TRUE, _FALSE = Literal(True), Literal(False)


def _date_literal(value: str) -> Literal:
    try:
        return Literal(date.fromisoformat(value[:10]).isoformat(), datatype=XSD.date)
    except ValueError:
        return safe_literal(value)


def new_dataset() -> Dataset:
    """An empty dataset with kg's prefixes bound; its default graph is the union of all graphs."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    return ds


def relation_iri(article: URIRef, lr: LinkedRelation) -> URIRef:
    """A deterministic IRI for a relation node: the article IRI plus a hash of what it says."""
    r = lr.relation
    digest = hashlib.sha1(
        "|".join(
            str(x)
            for x in (lr.subject, lr.predicate, lr.object, lr.object_literal, r.predicate_start, r.subject.start,
                      r.object.start if r.object else "", r.negated, r.construction)
        ).encode("utf-8", "surrogatepass")
    ).hexdigest()[:16]
    return URIRef(f"{article}/relation/{digest}")


def article_triples(resolved: ResolvedArticle) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """Every triple of one article's graph, in a deterministic order.

    This is the whole records-to-RDF mapping; :func:`add_article`,
    :func:`article_graph` and :func:`article_nquads` only put the triples
    somewhere.
    """
    out: list[tuple[URIRef, URIRef, URIRef | Literal]] = []
    add = out.append
    a = resolved.article
    art = article_iri(a.id)
    add((art, RDF.type, SCHEMA.NewsArticle))
    add((art, SCHEMA.identifier, safe_literal(a.id)))
    add((art, KG.contentHash, Literal(a.content_hash)))
    if a.title:
        add((art, SCHEMA.headline, safe_literal(a.title)))
    if a.date:
        add((art, SCHEMA.datePublished, _date_literal(a.date)))
    if a.source:
        add((art, KG.source, safe_literal(a.source)))
    if a.url:
        add((art, SCHEMA.url, safe_literal(a.url)))
    for e in resolved.entities:
        _add_entity(add, art, e)
    described: set = set()  # predicates and sentences already described in this article
    for lr in resolved.relations:
        _add_relation(add, art, lr, described)
    return out


def article_graph(resolved: ResolvedArticle) -> Graph:
    """The graph of one article, named by the article's IRI (not added to any dataset)."""
    g = Graph(identifier=article_iri(resolved.article.id))
    g.addN((s, p, o, g) for s, p, o in article_triples(resolved))
    return g


def add_article(ds: Dataset, resolved: ResolvedArticle) -> Graph:
    """Add (or replace) the named graph of one article in ``ds`` and return it."""
    iri = article_iri(resolved.article.id)
    ds.remove_graph(iri)
    g = ds.graph(iri)
    g.addN((s, p, o, g) for s, p, o in article_triples(resolved))
    return g


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term: URIRef | Literal) -> str:
    """A term in N-Triples syntax (one line, whatever the literal holds).

    >>> nt_term(Literal('say "hi"\\nnow'))
    '"say \\\\"hi\\\\"\\\\nnow"'
    >>> nt_term(Literal(3))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if type(term) is URIRef:  # the common case first: isinstance on rdflib terms is slow
        return f"<{term}>"
    if isinstance(term, Literal):
        body = '"' + str(term).translate(_NT_ESCAPES) + '"'
        if term.language:
            return body + "@" + term.language
        if term.datatype:
            return body + "^^<" + str(term.datatype) + ">"
        return body
    return "<" + str(term) + ">"


def article_nquads(resolved: ResolvedArticle) -> str:
    """The article's graph as N-Quads text (graph name: the article IRI), for bulk loading into stores."""
    graph = nt_term(article_iri(resolved.article.id))
    return "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {graph} .\n" for s, p, o in article_triples(resolved))


def article_ntriples(resolved: ResolvedArticle) -> tuple[str, str]:
    """The article's graph IRI and its triples as N-Triples text, for writing into a store's named graph."""
    return str(article_iri(resolved.article.id)), "".join(
        f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in article_triples(resolved)
    )


def _add_entity(add, art: URIRef, e: Entity) -> None:
    node = entity_iri(e.key)
    add((node, RDF.type, TYPE_CLASSES.get(e.type, SKOS.Concept)))
    add((node, RDF.type, KG.Entity))
    add((node, RDFS.label, safe_literal(e.label)))
    for alias in e.aliases:
        if alias != e.label:
            add((node, SKOS.altLabel, safe_literal(alias)))
    for iri in e.same_as:
        add((node, OWL.sameAs, URIRef(iri)))
    for code in e.codes:
        add((node, SCHEMA.identifier, safe_literal(code)))
    if e.mentions:
        add((art, SCHEMA.mentions, node))
    for m in e.mentions:
        mention = URIRef(f"{art}/mention/{m.start}-{m.end}")
        add((mention, RDF.type, KG.Mention))
        add((mention, KG.mentionOf, node))
        add((mention, SCHEMA.isPartOf, art))
        add((mention, KG.start, _int_literal(m.start)))
        add((mention, KG.end, _int_literal(m.end)))
        add((mention, KG.text, safe_literal(m.text)))


def _add_relation(add, art: URIRef, lr: LinkedRelation, described: set) -> None:
    r = lr.relation
    node = relation_iri(art, lr)
    subj = entity_iri(lr.subject)
    pred = predicate_iri(lr.predicate)
    obj: URIRef | Literal | None
    if lr.object is not None:
        obj = entity_iri(lr.object)
    elif lr.object_literal is not None:
        obj = safe_literal(lr.object_literal)
    else:
        obj = None

    if pred not in described:
        described.add(pred)
        add((pred, RDF.type, RDF.Property))
        add((pred, RDFS.label, safe_literal(lr.predicate)))
    add((node, RDF.type, RDF.Statement))
    add((node, RDF.type, KG.Relation))
    add((node, RDF.subject, subj))
    add((node, RDF.predicate, pred))
    if obj is not None:
        add((node, RDF.object, obj))
    add((node, PROV.wasDerivedFrom, art))
    add((node, KG.predicateText, safe_literal(r.predicate_text)))
    subject_arg, object_arg = lr.subject_argument, lr.object_argument
    add((node, KG.subjectText, safe_literal(subject_arg.text)))
    if object_arg is not None:
        add((node, KG.objectText, safe_literal(object_arg.text)))
    add((node, KG.negated, _TRUE if r.negated else _FALSE))
    add((node, KG.confidence, _confidence_literal(r.confidence)))
    add((node, KG.construction, _name_literal(r.construction)))
    if r.modality:
        add((node, KG.modality, safe_literal(r.modality)))
    if lr.attributed_to:
        add((node, KG.attributedTo, entity_iri(lr.attributed_to)))
    if r.attributed_to is not None:
        add((node, KG.attributionText, safe_literal(r.attributed_to.text)))
    if r.time:
        add((node, KG.timeText, safe_literal(r.time)))
    if r.time_value:
        add((node, KG.time, _date_literal(r.time_value)))
    start, end = _evidence(r.subject, r.object, r.predicate_start, r.predicate_end)
    add((node, KG.start, _int_literal(start)))
    add((node, KG.end, _int_literal(end)))

    sent = URIRef(f"{art}/sentence/{r.sentence_index}")
    add((node, KG.sentence, sent))
    if sent not in described:
        described.add(sent)
        add((sent, RDF.type, KG.Sentence))
        add((sent, SCHEMA.isPartOf, art))
        add((sent, KG.text, safe_literal(r.sentence.text)))
        add((sent, KG.start, _int_literal(r.sentence.start)))
        add((sent, KG.end, _int_literal(r.sentence.end)))
    # the entities the sentence's relations are about: "mentioned in one sentence" is one look-up
    add((sent, KG.involves, subj))
    if isinstance(obj, URIRef):
        add((sent, KG.involves, obj))

    if obj is not None and not r.negated and not r.modality:
        add((subj, pred, obj))


def _evidence(subject: Argument, obj: Argument | None, p_start: int, p_end: int) -> tuple[int, int]:
    """The character span covering subject, predicate and object."""
    starts = [subject.start, p_start] + ([obj.start] if obj else [])
    ends = [subject.end, p_end] + ([obj.end] if obj else [])
    return min(starts), max(ends)


