"""Fuzzing the whole pipeline: arbitrary text through ingest, extraction, RDF, every format and back.

Laws checked on every example: no exception escapes except a one-line
:class:`~kg.errors.InputError` naming the input; every offset points into the
article text; every serialisation parses back, in rdflib and in pyoxigraph, to
the same quads. ``KG_FUZZ_EXAMPLES`` sets the number of examples (300 by
default; more for release checks, see the README).
"""

from __future__ import annotations

import os

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

from kg.errors import InputError
from kg.ingest import article_from_bytes, article_from_record
from kg.nlp import analyse_article
from kg.rdf import FORMATS, add_article, new_dataset, serialize
from kg.resolve import resolve_article

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES") or 300)
OXIGRAPH_FORMATS = {"trig": pyoxigraph.RdfFormat.TRIG, "turtle": pyoxigraph.RdfFormat.TURTLE,
                    "nquads": pyoxigraph.RdfFormat.N_QUADS, "jsonld": pyoxigraph.RdfFormat.JSON_LD}

NAMES = ["Israel", "the United States", "Hezbollah", "Antony Blinken", "O'Brien", "Zoë Müller", "Reuters",
         "إسرائيل", "שלום", "北京", "Nestlé S.A.", "AT&T", "<script>alert(1)</script>", 'The "Quoted" Party',
         "Back\\slash Ltd", "{Brace} Inc", "🚀 Rocket Corp", "\u202eevil\u202c", "Jo\x00hn", "Mary\u200bAnn",
         "A" * 200]
VERBS = ["rejected", "said", "met", "proposed", "did not accept", "may attack", "told", "was founded by",
         "will visit", "denied", "signed a deal with"]
OBJECTS = ["a proposal", "the ceasefire", "talks", "that the war was over", "\"peace\"", "the <b>plan</b>",
           "$5 billion", "on Monday", "in 2024", "last week"]


@st.composite
def sentences(draw) -> str:
    """English-like sentences whose names and objects carry hostile characters."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        parts.append(f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(VERBS))} "
                     f"{draw(st.sampled_from(NAMES + OBJECTS))}{draw(st.sampled_from(['.', '!', '?', '', ' ...']))}")
    glue = draw(st.sampled_from([" ", "\n", "\r\n", "\n\n", "\r", "\t"]))
    return glue.join(parts)


texts = st.one_of(
    sentences(),
    st.text(max_size=200),
    st.lists(st.one_of(sentences(), st.text(max_size=40)), min_size=1, max_size=4).map("\n\n".join),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
ids = st.one_of(st.just("fuzz"), st.text(min_size=1, max_size=30))


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def assert_parses_back(ds: Dataset) -> None:
    """Every format parses back in rdflib to the same quads (no blank nodes: set equality), and loads in pyoxigraph."""
    quads = {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads()}
    triples = {(s, p, o) for s, p, o, _ in quads}
    for fmt in FORMATS:
        data = serialize(ds, fmt)
        if fmt == "turtle":
            back = Graph()
            back.parse(data=data, format="turtle")
            assert set(back) == triples, fmt
        else:
            back_ds = Dataset()
            back_ds.parse(data=data, format={"jsonld": "json-ld"}.get(fmt, fmt))
            back = {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in back_ds.quads()}
            assert {(s, p, o) for s, p, o, _ in back} == triples, fmt
            assert {g for *_, g in back} == {g for *_, g in quads}, fmt
        store = pyoxigraph.Store()
        store.load(data, format=OXIGRAPH_FORMATS[fmt])
        assert len(store) == (len(triples) if fmt == "turtle" else len(quads)), fmt


def check_article(article, nlp) -> None:
    for s, e in article.segments:
        assert 0 <= s < e <= len(article.text)
    analysis = analyse_article(article, nlp)
    for m in analysis.mentions:
        assert article.text[m.start:m.end] == m.text
    for r in analysis.relations:
        assert article.text[r.sentence.start:r.sentence.end] == r.sentence.text
        assert article.text[r.subject.start:r.subject.end] == r.subject.text
    ds = new_dataset()
    add_article(ds, resolve_article(analysis))
    assert_parses_back(ds)


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=texts, encoding=encodings, article_id=ids)
def test_any_file_gives_a_clear_error_or_a_graph_that_parses_back(nlp, text, encoding, article_id):
    try:
        article = article_from_bytes(_encode(text, encoding), article_id, "fuzz.txt")
    except InputError as e:
        assert str(e).startswith("fuzz.txt: ") and "\n" not in str(e)
        return
    check_article(article, nlp)


@settings(max_examples=max(EXAMPLES // 5, 20), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=texts, title=st.one_of(st.none(), st.text(max_size=60)), article_id=ids,
       date=st.one_of(st.none(), st.text(max_size=12), st.dates().map(str)))
def test_any_json_record_gives_a_clear_error_or_a_graph_that_parses_back(nlp, text, title, article_id, date):
    record = {"id": article_id, "text": text, "title": title, "date": date, "source": title, "url": title}
    try:
        article = article_from_record(record, "fuzz.jsonl:1")
    except InputError as e:
        assert str(e).startswith("fuzz.jsonl:1: ") and "\n" not in str(e)
        return
    check_article(article, nlp)


# --- IRIs and literals from any text, without the model ---------------------------------------

def hand_built(article_id: str, label: str, predicate: str, title: str | None, key: str | None = None):
    """A resolved article stating `label predicate proposal`, with ``label`` as entity name and alias."""
    from kg.records import Argument, Article, Entity, LinkedRelation, Mention, Relation, ResolvedArticle, Span
    from kg.resolve.keys import entity_key

    text = f"{label} {predicate} a proposal."
    n, p = len(label), len(predicate)
    art = Article(article_id, text, ((0, len(text)),), title=title, date=title, source=title, url=title)
    subj = Argument(label, 0, n, label, 0, n, label)
    obj = Argument("a proposal", n + p + 2, n + p + 12, "proposal", n + p + 4, n + p + 12, "proposal")
    rel = Relation(subj, predicate, predicate, n + 1, n + 1 + p, obj, Span(0, len(text), text), confidence=0.5,
                   modality=title, time=title, time_value=title, attributed_to=subj)
    key = key or entity_key(label, "Person")
    entities = (Entity(key, label, "Person", (label, title or ""), (Mention(0, n, label, "PERSON"),), (), (label,)),
                Entity("Concept/proposal", "proposal", "Concept"))
    linked = LinkedRelation(rel, key, "Concept/proposal", attributed_to=key)
    literal = LinkedRelation(rel, key, None, object_literal=label)
    return ResolvedArticle(art, entities, (linked, literal), (Span(0, len(text), text),))


any_text = st.one_of(st.text(max_size=80), st.text(alphabet=st.characters(codec=None), max_size=40),
                     st.sampled_from(["", " ", "\x00\x01\x7f", "🚀👩‍👩‍👧", "שלום עולם", "إسرائيل", "\u202eabc",
                                      'Q"u<o>t{e}\\ s|^`', "100%", "%zz%2", "..", "a\r\nb", "\udcff lone", "x" * 10_000]))


@settings(max_examples=max(EXAMPLES // 2, 50), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(article_id=any_text.filter(lambda s: s.strip()), label=any_text, predicate=any_text,
       title=st.one_of(st.none(), any_text), raw_key=st.booleans())
def test_any_names_give_valid_iris_and_literals_in_every_format(article_id, label, predicate, title, raw_key):
    resolved = hand_built(article_id, label, predicate or "say", title, key=f"Person/{label}" if raw_key else None)
    ds = new_dataset()
    add_article(ds, resolved)
    assert_parses_back(ds)


HOSTILE_NAMES = ['Q"u<o>t{e}\\ s|^`', "ctrl\x00\x01\x08\x0b\x0c\x1b\x7f\x85 chars", "🚀👩‍👩‍👧 emoji", "إسرائيل وحزب الله",
                 "ישראל", "\u202eright-to-left override\u202c", "100% %zz", "line\nbreak\r\nand\ttab", "\udcff lone",
                 "x" * 10_000, " ", ".."]


@pytest.mark.parametrize("text", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_hostile_names_give_valid_iris_and_literals_in_every_format(text):
    ds = new_dataset()
    add_article(ds, hand_built(text, text, text, text, key=f"Person/{text}"))
    add_article(ds, hand_built(text + "2", text, text, text))
    assert_parses_back(ds)
