"""The RDF model: deterministic IRIs, standard vocabularies, every format parses back."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS

from kg.errors import GraphError, OutputError
from kg.rdf import FORMATS, KG, SCHEMA, load_graph, save_dataset, serialize
from kg.rdf.io import write_atomic
from kg.rdf.model import add_article, article_iri, entity_iri, new_dataset, predicate_iri
from kg.records import Argument, Article, Entity, LinkedRelation, Mention, Relation, ResolvedArticle, Span

PYOXIGRAPH_FORMATS = {"trig": pyoxigraph.RdfFormat.TRIG, "turtle": pyoxigraph.RdfFormat.TURTLE,
                      "nquads": pyoxigraph.RdfFormat.N_QUADS}


def hand_built(article_id: str = "a1", label: str = "Israel") -> ResolvedArticle:
    """A resolved article built by hand: Israel rejected a proposal."""
    text = f"{label} rejected a proposal."
    n = len(label)
    art = Article(article_id, text, ((0, len(text)),), title="T", date="2024-10-10", source="cnn.com")
    mention = Mention(0, n, label, "GPE")
    subj = Argument(label, 0, n, label, 0, n, label.lower())
    obj = Argument("a proposal", n + 10, n + 20, "proposal", n + 12, n + 20, "proposal")
    rel = Relation(subj, "reject", "rejected", n + 1, n + 9, obj, Span(0, len(text), text), confidence=0.9)
    entities = (Entity(f"Country/{label}", label, "Country", ("Israeli",), (mention,), ("http://www.wikidata.org/entity/Q801",)),
                Entity("Concept/proposal", "proposal", "Concept"))
    return ResolvedArticle(art, entities, (LinkedRelation(rel, f"Country/{label}", "Concept/proposal"),),
                           (Span(0, len(text), text),))


def test_relation_is_reified_with_provenance_and_plain_triple():
    ds = new_dataset()
    g = add_article(ds, hand_built())
    art, israel, reject = article_iri("a1"), entity_iri("Country/Israel"), predicate_iri("reject")
    assert g.identifier == art
    rel = next(g.subjects(RDF.type, KG.Relation))
    assert (rel, RDF.type, RDF.Statement) in g
    assert (rel, RDF.subject, israel) in g and (rel, RDF.predicate, reject) in g
    assert (rel, PROV.wasDerivedFrom, art) in g
    assert g.value(rel, KG.negated).toPython() is False
    assert float(g.value(rel, KG.confidence)) == 0.9
    sentence = g.value(rel, KG.sentence)
    assert str(g.value(sentence, KG.text)) == "Israel rejected a proposal."
    assert set(g.objects(sentence, KG.involves)) == {israel, entity_iri("Concept/proposal")}
    assert (israel, reject, entity_iri("Concept/proposal")) in g
    assert (israel, RDF.type, SCHEMA.Country) in g
    assert (israel, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q801")) in g
    assert str(g.value(israel, RDFS.label)) == "Israel"
    assert (art, RDF.type, SCHEMA.NewsArticle) in g and str(g.value(art, SCHEMA.headline)) == "T"


def test_negated_relation_has_no_plain_triple():
    r = hand_built()
    lr = r.relations[0]
    neg = LinkedRelation(Relation(**{**lr.relation.__dict__, "negated": True}), lr.subject, lr.object)
    g = add_article(new_dataset(), ResolvedArticle(r.article, r.entities, (neg,), r.sentences))
    assert (entity_iri("Country/Israel"), predicate_iri("reject"), None) not in g
    rel = next(g.subjects(RDF.type, KG.Relation))
    assert g.value(rel, KG.negated).toPython() is True


def test_iris_are_deterministic_across_builds():
    a, b = new_dataset(), new_dataset()
    add_article(a, hand_built())
    add_article(b, hand_built())
    assert set(a.quads()) == set(b.quads())  # no blank nodes: equal sets are equal graphs


def test_rebuilding_an_article_replaces_its_graph():
    ds = new_dataset()
    add_article(ds, hand_built())
    n = len(list(ds.quads()))
    add_article(ds, hand_built())
    assert len(list(ds.quads())) == n


@pytest.mark.parametrize("label", ['Q"u<o>t{e}\\ s', "emoji 🚀 name", "שלום עולם", "new\nline", "x" * 500])
def test_unsafe_names_give_valid_iris_that_parse_back(tmp_path, label):
    ds = new_dataset()
    add_article(ds, hand_built(label=label, article_id=label))
    for fmt in FORMATS:
        data = serialize(ds, fmt)
        back = Dataset()
        back.parse(data=data, format={"jsonld": "json-ld"}.get(fmt, fmt))
        assert len(back) > 0 or len(list(back.quads())) > 0
        if fmt in PYOXIGRAPH_FORMATS:
            store = pyoxigraph.Store()
            store.load(data, format=PYOXIGRAPH_FORMATS[fmt])
            assert len(store) > 0


def test_closed_namespace_rejects_typos():
    with pytest.raises(AttributeError):
        KG.negatd  # noqa: B018


@pytest.mark.parametrize("suffix", [".trig", ".ttl", ".nq", ".jsonld"])
def test_save_and_load_round_trip(tmp_path, suffix):
    ds = new_dataset()
    add_article(ds, hand_built())
    path = tmp_path / f"g{suffix}"
    save_dataset(ds, path)
    back = load_graph(path)
    union_a, union_b = Graph(), Graph()
    for t in ds.triples((None, None, None)):
        union_a.add(t)
    for t in back.triples((None, None, None)):
        union_b.add(t)
    assert isomorphic(union_a, union_b)


def test_load_rejects_files_kg_did_not_write(tmp_path):
    foreign = tmp_path / "foaf.ttl"
    foreign.write_text("<http://a> <http://b> <http://c> .\n")
    with pytest.raises(GraphError, match="holds no kg articles"):
        load_graph(foreign)
    corrupt = tmp_path / "bad.trig"
    corrupt.write_text("this is { not rdf")
    with pytest.raises(GraphError, match="is not valid trig"):
        load_graph(corrupt)


def test_atomic_write_keeps_existing_output_without_force(tmp_path):
    out = tmp_path / "graph.trig"
    out.write_text("previous")
    with pytest.raises(OutputError, match="--force"):
        write_atomic(out, b"new")
    assert out.read_text() == "previous"
    write_atomic(out, b"new", force=True)
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.trig"]  # no temporary file left behind


@pytest.mark.parametrize("label", ["Israel", 'Q"u<o>t{e}\\ s\t🚀 שלום\n' + "x" * 300])
def test_nquads_for_stores_equal_the_graph(label):
    from kg.rdf.model import article_graph, article_nquads

    resolved = hand_built(label=label, article_id=label)
    g = article_graph(resolved)
    text = article_nquads(resolved)
    store = pyoxigraph.Store()
    store.load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    assert len(store) == len(g)
    back = Dataset()
    back.parse(data=text, format="nquads")
    assert set(back.graph(g.identifier)) == set(g)
