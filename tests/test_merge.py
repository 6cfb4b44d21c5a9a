"""Merging graphs across articles: reconciliation rules, the views, and `kg merge`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, SKOS

from kg.cli import main
from kg.merge import RECONCILIATION_GRAPH, canonical_map, merge_datasets, reconcile
from kg.query import entity_rows, mention_rows, relation_rows
from kg.rdf import add_article, entity_iri, load_graph, new_dataset, save_dataset
from kg.records import Argument, Article, Entity, LinkedRelation, Mention, Relation, ResolvedArticle, Span
from kg.resolve import entity_key
from kg.summary import SUMMARY_GRAPH

FIXTURES = Path(__file__).parent / "fixtures"
WIKIDATA = "http://www.wikidata.org/entity/"


def resolved(article_id: str, names: list[tuple], relations: list[tuple[str, str, str]] = ()) -> ResolvedArticle:
    """An article that mentions each ``(text, label, type[, qid])`` once, one sentence each.

    ``relations`` are ``(subject label, predicate, object label)`` stated in the first sentence.
    """
    text, entities = "", {}
    for name in names:
        surface, label, type_ = name[:3]
        start = len(text)
        text += f"{surface} spoke. "
        key = entity_key(label, type_)
        m = Mention(start, start + len(surface), surface, "PERSON")
        old = entities.get(key)
        aliases = tuple(sorted({*(old.aliases if old else ()), surface} - {label}))
        mentions = (*(old.mentions if old else ()), m)
        same = (WIKIDATA + name[3],) if len(name) > 3 else ()
        entities[key] = Entity(key, label, type_, aliases, mentions, same)
    sentence = Span(0, text.index(".") + 1, text[: text.index(".") + 1])
    linked = []
    for subj, pred, obj in relations:
        s_key = next(k for k, e in entities.items() if e.label == subj)
        o_key = next(k for k, e in entities.items() if e.label == obj)
        arg = Argument(subj, 0, 1, subj, 0, 1, subj)
        rel = Relation(arg, pred, pred, 1, 2, Argument(obj, 2, 3, obj, 2, 3, obj), sentence, 0, confidence=0.8)
        linked.append(LinkedRelation(rel, s_key, o_key))
    article = Article(article_id, text, ((0, len(text)),), title=f"Title of {article_id}")
    return ResolvedArticle(article, tuple(sorted(entities.values(), key=lambda e: e.key)), tuple(linked), (sentence,))


def dataset(*articles: ResolvedArticle):
    ds = new_dataset()
    for a in articles:
        add_article(ds, a)
    reconcile(ds)
    return ds


def iri(label: str, type_: str) -> URIRef:
    return entity_iri(entity_key(label, type_))


def links(ds, prop) -> set[tuple[URIRef, URIRef]]:
    return set(ds.graph(RECONCILIATION_GRAPH).subject_objects(prop))


def test_a_surname_in_one_article_joins_the_full_name_in_another():
    ds = dataset(
        resolved("a1", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Pelosi", "Nancy Pelosi", "Person")]),
        resolved("a2", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Pelosi", "Nancy Pelosi", "Person")]),
        resolved("a3", [("Pelosi", "Pelosi", "Person")]),
    )
    assert links(ds, OWL.sameAs) == {(iri("Pelosi", "Person"), iri("Nancy Pelosi", "Person"))}
    rows = [r for r in entity_rows(ds) if r["type"] == "Person"]
    assert [(r["label"], r["articles"], r["mentions"]) for r in rows] == [("Nancy Pelosi", 3, 5)]
    assert "Pelosi" in rows[0]["aliases"]
    assert {r["entity_iri"] for r in mention_rows(ds)} == {str(iri("Nancy Pelosi", "Person"))}


def test_a_surname_seen_once_with_one_full_name_stays_apart_for_review():
    ds = dataset(
        resolved("a1", [("Tony Mendez", "Tony Mendez", "Person"), ("Mendez", "Tony Mendez", "Person")]),
        resolved("a2", [("Mendez", "Mendez", "Person")]),
    )
    assert not links(ds, OWL.sameAs)
    assert links(ds, SKOS.closeMatch) == {(iri("Mendez", "Person"), iri("Tony Mendez", "Person"))}


def test_a_surname_several_people_share_is_only_a_close_match_to_each():
    ds = dataset(
        resolved("a1", [("John Smith", "John Smith", "Person"), ("Smith", "John Smith", "Person")]),
        resolved("a2", [("Anna Smith", "Anna Smith", "Person"), ("Smith", "Anna Smith", "Person")]),
        resolved("a3", [("John Smith", "John Smith", "Person"), ("Smith", "John Smith", "Person")]),
        resolved("a4", [("Anna Smith", "Anna Smith", "Person"), ("Smith", "Anna Smith", "Person")]),
        resolved("a5", [("Smith", "Smith", "Person")]),
    )
    assert not links(ds, OWL.sameAs)
    assert links(ds, SKOS.closeMatch) == {
        (iri("Anna Smith", "Person"), iri("Smith", "Person")), (iri("John Smith", "Person"), iri("Smith", "Person"))
    }


def test_different_types_with_the_same_name_never_link():
    ds = dataset(
        resolved("a1", [("Jordan", "Jordan", "Country", "Q810"), ("Michael Jordan", "Michael Jordan", "Person"),
                        ("Jordan", "Michael Jordan", "Person")]),
        resolved("a2", [("Jordan", "Jordan", "Country", "Q810")]),
        resolved("a3", [("Washington", "Washington", "Place"), ("Washington", "Washington", "Organization"),
                        ("George Washington", "George Washington", "Person")]),
    )
    assert len(ds.graph(RECONCILIATION_GRAPH)) == 0
    labels = sorted((r["label"], r["type"]) for r in entity_rows(ds))
    assert labels == [("George Washington", "Person"), ("Jordan", "Country"), ("Michael Jordan", "Person"),
                      ("Washington", "Organization"), ("Washington", "Place")]


def test_spellings_that_differ_only_in_diacritics_or_punctuation_merge():
    ds = dataset(
        resolved("a1", [("Joachim Brudziński", "Joachim Brudziński", "Person"), ("Al-Shabaab", "Al-Shabaab", "Organization")]),
        resolved("a2", [("Joachim Brudzinski", "Joachim Brudzinski", "Person"), ("al Shabaab", "al Shabaab", "Organization")]),
    )
    assert len(links(ds, OWL.sameAs)) == 2
    assert len([r for r in entity_rows(ds)]) == 2


def test_close_spellings_are_reviewable_and_long_variants_of_the_same_words_merge():
    ds = dataset(
        resolved("a1", [("Magnitogorsk", "Magnitogorsk", "Place"), ("Hassan Rouhani", "Hassan Rouhani", "Person")]),
        resolved("a2", [("Magnitogorsk", "Magnitogorsk", "Place"), ("Hassan Rouhani", "Hassan Rouhani", "Person")]),
        resolved("a3", [("Magnitigorsk", "Magnitigorsk", "Place"), ("Hasan Rouhani", "Hasan Rouhani", "Person")]),
    )
    assert links(ds, OWL.sameAs) == {(iri("Hasan Rouhani", "Person"), iri("Hassan Rouhani", "Person"))}
    assert links(ds, SKOS.closeMatch) == {(iri("Magnitigorsk", "Place"), iri("Magnitogorsk", "Place"))}


def test_names_a_letter_apart_that_are_different_people_are_not_merged():
    ds = dataset(
        resolved("a1", [("John Smith", "John Smith", "Person"), ("Pope John Paul II", "Pope John Paul II", "Person")]),
        resolved("a2", [("Joan Smith", "Joan Smith", "Person"), ("Pope John Paul I", "Pope John Paul I", "Person")]),
    )
    assert not links(ds, OWL.sameAs)


def test_two_wikidata_items_never_end_in_one_cluster():
    ds = dataset(
        resolved("a1", [("Georgia", "Georgia", "Place", "Q1428"), ("GA", "Georgia", "Place", "Q1428")]),
        resolved("a2", [("Georgia", "Georgia", "Country", "Q230")]),
        resolved("a3", [("Niger", "Niger", "Country", "Q1032"), ("Nigeria", "Nigeria", "Country", "Q1033")]),
    )
    assert not links(ds, OWL.sameAs)
    assert not links(ds, SKOS.closeMatch)


def test_support_counts_the_articles_stating_a_claim_after_merging():
    ds = dataset(
        resolved("a1", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Pelosi", "Nancy Pelosi", "Person"),
                        ("Congress", "Congress", "Organization")], [("Nancy Pelosi", "lead", "Congress")]),
        resolved("a2", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Pelosi", "Nancy Pelosi", "Person")]),
        resolved("a3", [("Pelosi", "Pelosi", "Person"), ("Congress", "Congress", "Organization")],
                 [("Pelosi", "lead", "Congress")]),
    )
    rows = relation_rows(ds)
    assert [(r["subject"], r["support"], r["support_articles"]) for r in rows] == [
        ("Nancy Pelosi", 2, ["a1", "a3"]), ("Nancy Pelosi", 2, ["a1", "a3"])
    ]
    assert {r["subject_iri"] for r in rows} == {str(iri("Nancy Pelosi", "Person"))}


def test_reconciling_twice_gives_the_same_graph_and_derived_counts_stay_out_of_articles():
    ds = dataset(
        resolved("a1", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Pelosi", "Nancy Pelosi", "Person")]),
        resolved("a2", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Pelosi", "Nancy Pelosi", "Person")]),
        resolved("a3", [("Pelosi", "Pelosi", "Person")]),
    )
    before = set(ds.quads())
    reconcile(ds)
    assert set(ds.quads()) == before
    article = ds.graph(URIRef("https://kg.example.org/article/a3"))
    assert not set(article.triples((None, OWL.sameAs, None)))


def test_canonical_node_prefers_the_wikidata_link_then_most_articles():
    ds = dataset(
        resolved("a1", [("U.S.A", "U.S.A", "Country")]),
        resolved("a2", [("U.S.A", "U.S.A", "Country")]),
        resolved("a3", [("USA", "United States", "Country", "Q30")]),
    )
    assert canonical_map(ds) == {str(iri("U.S.A", "Country")): str(iri("United States", "Country"))}


def test_merge_keeps_one_copy_of_an_article_and_rejects_two_texts_under_one_id():
    a = dataset(resolved("a1", [("Nancy Pelosi", "Nancy Pelosi", "Person")]))
    b = dataset(resolved("a1", [("Nancy Pelosi", "Nancy Pelosi", "Person")]),
                resolved("a2", [("Pelosi", "Pelosi", "Person")]))
    merged, _ = merge_datasets([("a.trig", a), ("b.trig", b)])
    assert set(merged.quads()) == set(merge_datasets([("b.trig", b), ("a.trig", a)])[0].quads())
    assert len({g.identifier for g in merged.graphs()} - {RECONCILIATION_GRAPH, SUMMARY_GRAPH}) == 3  # two articles and the default
    other = dataset(resolved("a1", [("Kevin McCarthy", "Kevin McCarthy", "Person")]))
    from kg.errors import GraphError

    with pytest.raises(GraphError, match="a1.*differs"):
        merge_datasets([("a.trig", a), ("other.trig", other)])


@pytest.fixture()
def two_graphs(tmp_path):
    a, b = tmp_path / "a.trig", tmp_path / "b.trig"
    save_dataset(dataset(resolved("a1", [("Nancy Pelosi", "Nancy Pelosi", "Person"),
                                         ("Pelosi", "Nancy Pelosi", "Person")]),
                         resolved("a2", [("Nancy Pelosi", "Nancy Pelosi", "Person"),
                                         ("Pelosi", "Nancy Pelosi", "Person")])), a)
    save_dataset(dataset(resolved("a3", [("Pelosi", "Pelosi", "Person")])), b)
    return a, b


def test_kg_merge_writes_the_union_with_reconciliation(runner, two_graphs, tmp_path):
    out = tmp_path / "merged.trig"
    result = runner.invoke(main, ["merge", *map(str, two_graphs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 articles from 2 graphs; 1 entity merged into others" in result.output
    rows = entity_rows(load_graph(out))
    assert [(r["label"], r["articles"]) for r in rows] == [("Nancy Pelosi", 3)]
    again = runner.invoke(main, ["merge", *map(str, two_graphs), "-o", str(out)])
    assert again.exit_code == 1 and "already exists; use --force" in again.output


@pytest.mark.parametrize("content", [
    b"<a> <b> <c> .\n",  # RDF, but not written by kg
    b"@prefix kg: <https://kg.example.org/ns#> .\nkg:x kg:y {{{ broken",  # corrupt
    b"\x00\xff\xfe not a graph at all",
])
def test_kg_merge_refuses_foreign_or_corrupt_input_and_leaves_the_output_alone(runner, two_graphs, tmp_path, content):
    bad = tmp_path / "bad.trig"
    bad.write_bytes(content)
    out = tmp_path / "merged.trig"
    out.write_text("previous output", encoding="utf-8")
    result = runner.invoke(main, ["merge", str(two_graphs[0]), str(bad), "-o", str(out), "--force"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: {bad}: "), result.output
    assert out.read_text(encoding="utf-8") == "previous output"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".merged")]


def test_kg_triples_jsonl_lists_supporting_articles(runner, two_graphs, tmp_path):
    out = tmp_path / "m.trig"
    ds = dataset(
        resolved("a1", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Congress", "Congress", "Organization")],
                 [("Nancy Pelosi", "lead", "Congress")]),
        resolved("a2", [("Nancy Pelosi", "Nancy Pelosi", "Person"), ("Congress", "Congress", "Organization")],
                 [("Nancy Pelosi", "lead", "Congress")]),
    )
    save_dataset(ds, out)
    result = runner.invoke(main, ["triples", str(out), "--format", "jsonl"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["support"], r["support_articles"]) for r in rows] == [(2, ["a1", "a2"])] * 2
    table = runner.invoke(main, ["entities", str(out)])
    assert "articles" in table.output.splitlines()[0]


def test_same_entity_gets_the_same_iri_built_apart_or_together(nlp, tmp_path):
    """Two Wikinews articles (CC BY 2.5) that both name Iran and the United States."""
    from kg.build import build_dataset

    lines = (FIXTURES / "wikinews-sample.jsonl").read_text(encoding="utf-8").splitlines()
    picked = [line for line in lines if any(w in json.loads(line)["title"] for w in ("Mahan Air", "Karaj"))]
    assert len(picked) == 2
    paths = []
    for i, line in enumerate(picked):
        paths.append(tmp_path / f"{i}.jsonl")
        paths[-1].write_text(line + "\n", encoding="utf-8")
    apart = [build_dataset([p], nlp=nlp)[0] for p in paths]
    together = build_dataset(paths, nlp=nlp)[0]
    iran = str(iri("Iran", "Country"))
    for ds in (*apart, together):
        assert iran in {r["iri"] for r in entity_rows(ds)}
    merged, _ = merge_datasets([("0", apart[0]), ("1", apart[1])])
    assert set(merged.quads()) == set(together.quads())
    assert next(r for r in entity_rows(together) if r["iri"] == iran)["articles"] == 2


def test_similar_names_of_organisations_stay_apart_and_british_spellings_fold():
    ds = dataset(
        resolved("a1", [("Labor Party", "Labor Party", "Organization"), ("Rolling Stone", "Rolling Stone", "Organization"),
                        ("World Health Organisation", "World Health Organisation", "Organization")]),
        resolved("a2", [("Labour Party", "Labour Party", "Organization"), ("Rolling Stones", "Rolling Stones", "Organization"),
                        ("World Health Organization", "World Health Organization", "Organization")]),
    )
    assert {frozenset(p) for p in links(ds, OWL.sameAs)} == {
        frozenset((iri("World Health Organisation", "Organization"), iri("World Health Organization", "Organization")))
    }
    assert links(ds, SKOS.closeMatch) == {
        (iri("Labor Party", "Organization"), iri("Labour Party", "Organization")),
        (iri("Rolling Stone", "Organization"), iri("Rolling Stones", "Organization")),
    }


def test_generic_names_are_each_articles_own_and_only_reviewable_across_articles():
    court1 = "Organization/Court~a1"
    court2 = "Organization/Court~a2"
    ds = new_dataset()
    for aid, key in (("a1", court1), ("a2", court2)):
        art = resolved(aid, [("Court", "Court", "Organization")])
        e = art.entities[0]
        add_article(ds, ResolvedArticle(art.article, (Entity(key, e.label, e.type, e.aliases, e.mentions),), (),
                                        art.sentences))
    add_article(ds, resolved("a3", [("Supreme Court of the United States", "Supreme Court of the United States",
                                     "Organization"), ("Court", "Supreme Court of the United States", "Organization")]))
    reconcile(ds)
    assert not links(ds, OWL.sameAs)
    assert links(ds, SKOS.closeMatch) == {(entity_iri(k), iri("Supreme Court of the United States", "Organization"))
                                          for k in (court1, court2)}
    assert sorted(r["articles"] for r in entity_rows(ds)) == [1, 1, 1]


def test_the_readme_query_lists_close_matches_for_review():
    from kg.query import run_query

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    query = readme.split("# close-matches.rq\n", 1)[1].split("```", 1)[0]
    ds = dataset(
        resolved("a1", [("Labor Party", "Labor Party", "Organization")]),
        resolved("a2", [("Labour Party", "Labour Party", "Organization")]),
    )
    rows = [(str(r.a_label), str(r.b_label)) for r in run_query(ds, query)]
    assert rows == [("Labor Party", "Labour Party")]


def test_a_split_washington_dc_is_one_place_and_not_the_state(nlp):
    from kg.ingest import article_from_text
    from kg.nlp import analyse_article
    from kg.resolve import resolve_article

    text = "Protesters marched in Washington, D.C. on Sunday. Farmers in Washington and Oregon lost crops."
    r = resolve_article(analyse_article(article_from_text(text, "dc"), nlp))
    places = {e.key: [m.text for m in e.mentions] for e in r.entities if e.type == "Place"}
    assert places["Place/Washington%2C_D.C."] == ["Washington, D.C."]
    assert places.get("Place/Washington_State") == ["Washington"]  # beside another state: the state
    assert all(rel.subject != rel.object for rel in r.relations if rel.relation.predicate == "be")


def test_a_generic_name_joins_the_institution_articles_call_so_in_three_articles_or_more():
    senate = "United States Senate"
    called = [resolved(f"a{i}", [(senate, senate, "Organization"), ("Senate", senate, "Organization")])
              for i in range(3)]
    ds = new_dataset()
    for art in called:
        add_article(ds, art)
    art = resolved("b", [("Senate", "Senate", "Organization")])
    e = art.entities[0]
    own = "Organization/Senate~b"
    add_article(ds, ResolvedArticle(art.article, (Entity(own, e.label, e.type, e.aliases, e.mentions),), (),
                                    art.sentences))
    reconcile(ds)
    assert links(ds, OWL.sameAs) == {(entity_iri(own), iri(senate, "Organization"))}
    ds.remove_graph(URIRef("https://kg.example.org/article/a2"))
    reconcile(ds)
    assert links(ds, SKOS.closeMatch) == {(entity_iri(own), iri(senate, "Organization"))}


@pytest.mark.parametrize("name", ["merged.ttl", "merged.txt"])
def test_kg_merge_refuses_an_output_that_cannot_hold_named_graphs_before_reading(runner, two_graphs, tmp_path, name):
    result = runner.invoke(main, ["merge", *map(str, two_graphs), "-o", str(tmp_path / name)])
    assert result.exit_code == 1 and result.output.startswith(f"kg: error: {tmp_path / name}: ")
    assert not (tmp_path / name).exists()


def test_a_generic_name_of_a_place_is_that_places_institution(nlp):
    from kg.ingest import article_from_text
    from kg.nlp import analyse_article
    from kg.resolve import resolve_article

    text = "On Wednesday, the Supreme Court of Puerto Rico issued a ruling. The United States also spoke."
    r = resolve_article(analyse_article(article_from_text(text, "pr"), nlp))
    keys = {e.key for e in r.entities if e.type == "Organization"}
    assert "Organization/Supreme_Court_of_Puerto_Rico" in keys
    assert "Organization/Supreme_Court_of_the_United_States" not in keys
