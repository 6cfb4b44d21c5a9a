"""The named queries in queries/: each parses, returns the rows it promises on fixture data,
and gives the same answers on rdflib's in-memory store and on Oxigraph."""

from __future__ import annotations

import pytest

from kg.query import load_query, named_queries, run_query
from tests.conftest import FIXTURES

NEW = ("timeline", "co-mentioned", "paths", "contested", "attributed", "articles-mentioning", "most-connected")


@pytest.fixture(scope="module")
def contested_build(tmp_path_factory, nlp):
    """The two hand-written articles of tests/fixtures/contested.jsonl, built with `kg build`."""
    from click.testing import CliRunner

    from kg.cli import main
    from kg.rdf import load_graph

    out = tmp_path_factory.mktemp("contested")
    result = CliRunner().invoke(main, ["build", str(FIXTURES / "contested.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / "graph.trig", load_graph(out / "graph.trig")


def oxigraph_dataset(trig):
    """The same graph file in an in-memory Oxigraph store, seen through rdflib (queries run in Oxigraph)."""
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    from kg.serve import load_graph_store

    # load_graph_store keeps the union of the graphs in the default graph, as kg stores do
    return Dataset(store=OxigraphStore(store=load_graph_store(trig)), default_union=False)


def rows(ds, name: str, **params: str) -> list[dict[str, str | None]]:
    result = run_query(ds, load_query(name), params)
    return [{str(k): (None if v is None else str(v)) for k, v in r.asdict().items()} for r in result]


def test_every_new_query_is_listed_with_its_parameters(runner):
    from kg.cli import main

    listed = {q.name: q for q in named_queries()}
    assert set(NEW) <= set(listed)
    for name in NEW:
        assert listed[name].title and listed[name].description
    assert [p.name for p in listed["paths"].params] == ["a", "b"]
    assert listed["attributed"].params[0].optional
    out = runner.invoke(main, ["queries"]).output
    for name in NEW:
        assert f"{name}: " in out
    assert "--param a=..." in out and "--param source=... (optional)" in out


def test_timeline_orders_an_entitys_relations_by_article_date(contested_build):
    found = rows(contested_build[1], "timeline", entity="acme corporation")
    assert [r["article"] for r in found] == sorted(r["article"] for r in found)
    assert {r["article"] for r in found} == {"claim-a", "claim-b"}
    assert found[0]["date"] == "2020-01-02" and found[-1]["date"] == "2020-01-05"
    negated = [r for r in found if r["negated"] == "true"]
    assert negated and negated[0]["predicate"] == "sign" and negated[0]["object"] == "treaty"


def test_timeline_on_the_sample_article(sample_build):
    found = rows(sample_build[1], "timeline", entity="Israel")
    assert ("Israel", "reject", "proposal") in {(r["subject"], r["predicate"], r["object"]) for r in found}


def test_contested_finds_a_claim_asserted_in_one_article_and_negated_in_another(contested_build):
    found = rows(contested_build[1], "contested")
    assert found
    assert {(r["subject"], r["predicate"], r["object"]) for r in found} == {("Acme Corporation", "sign", "treaty")}
    assert {r["asserted_in"] for r in found} == {"claim-a"} and {r["negated_in"] for r in found} == {"claim-b"}
    assert all("did not sign" in r["negated"] for r in found)


def test_contested_is_empty_for_one_article(sample_build):
    assert rows(sample_build[1], "contested") == []


def test_attributed_lists_claims_by_their_source(contested_build):
    found = rows(contested_build[1], "attributed", source="Maria Lopez")
    assert [(r["attributed_to"], r["subject"], r["predicate"], r["object"], r["negated"]) for r in found] == [
        ("Maria Lopez", "Acme Corporation", "sign", "treaty", "false")]
    everyone = rows(contested_build[1], "attributed")
    assert {r["attributed_to"] for r in everyone} >= {"Maria Lopez"} and len(everyone) > len(found)


def test_articles_mentioning_an_entity(contested_build, sample_build):
    found = rows(contested_build[1], "articles-mentioning", entity="Maria Lopez")
    assert {r["article"] for r in found} == {"claim-a", "claim-b"}
    assert all(int(r["mentions"]) >= 1 and r["headline"] for r in found)
    found = rows(sample_build[1], "articles-mentioning", entity="israel")
    assert [r["article"] for r in found] == ["us-hezbollah-ceasefire"] and int(found[0]["mentions"]) >= 2


def test_co_mentioned_counts_shared_articles_and_sentences(contested_build):
    found = {r["other"]: r for r in rows(contested_build[1], "co-mentioned", entity="Maria Lopez")}
    assert found["Acme Corporation"]["articles"] == "2"
    assert int(found["Acme Corporation"]["sentences"]) >= 1
    assert "Maria Lopez" not in found


def test_paths_link_two_entities_through_relations(sample_build):
    found = rows(sample_build[1], "paths", a="U.S.", b="ceasefire")
    assert found and found[0]["hops"] == "1" and found[0]["path"] == "United States —not pursue→ ceasefire"
    assert rows(sample_build[1], "paths", a="Israel", b="no such thing") == []


def test_most_connected_ranks_named_entities_by_relations(contested_build, sample_build):
    found = rows(contested_build[1], "most-connected")
    assert found[0]["label"] == "Acme Corporation" and int(found[0]["relations"]) >= 3
    assert "treaty" not in {r["label"] for r in found}  # a concept
    relations = [int(r["relations"]) for r in rows(sample_build[1], "most-connected")]
    assert relations == sorted(relations, reverse=True) and relations


def test_name_parameters_match_in_any_case(sample_build):
    exact = rows(sample_build[1], "who-did-what", entity="Israel")
    assert exact and rows(sample_build[1], "who-did-what", entity="ISRAEL") == exact
    assert rows(sample_build[1], "entity", entity="israel") == rows(sample_build[1], "entity", entity="Israel")


@pytest.mark.parametrize("value", ['Israel" } ; DROP ALL ; { "', "} ; DROP ALL ; {", "x') || true || ('"])
def test_hostile_parameter_values_match_nothing(contested_build, value):
    for name in ("timeline", "articles-mentioning", "co-mentioned"):
        assert rows(contested_build[1], name, entity=value) == []
    assert rows(contested_build[1], "paths", a=value, b="treaty") == []
    assert rows(contested_build[1], "most-connected")


def _params(name: str) -> dict[str, str]:
    values = {"entity": "Acme Corporation", "a": "Maria Lopez", "b": "treaty", "source": "Maria Lopez",
              "type": "Person"}
    return {p.name: values[p.name] for p in load_query(name).params if p.name in values}


@pytest.mark.parametrize("name", [q.name for q in named_queries()])
def test_both_stores_give_the_same_answers(contested_build, name):
    trig, memory = contested_build
    embedded = oxigraph_dataset(trig)

    def answer(ds):
        return sorted(tuple("" if v is None else str(v) for v in r.values())
                      for r in rows(ds, name, **_params(name)))

    assert answer(memory) == answer(embedded)


def test_rankings_come_from_the_summary_graph_and_survive_a_load_into_a_store(contested_build, runner, tmp_path):
    """A graph file carries its summary graph; kg load skips it, recomputes it, and the store ranks the same."""
    from kg.cli import main
    from kg.summary import SUMMARY_GRAPH

    trig, memory = contested_build
    assert len(memory.graph(SUMMARY_GRAPH)) > 0
    store = tmp_path / "store"
    r = runner.invoke(main, ["load", str(trig), "--store", str(store)])
    assert r.exit_code == 0 and "2 articles added" in r.output, r.output
    for name in ("most-connected", "predicates", "contested", "entities-by-type"):
        from_file = runner.invoke(main, ["query", str(trig), name, "--format", "csv"]).output
        from_store = runner.invoke(main, ["query", "--store", str(store), name, "--format", "csv"]).output
        assert from_file == from_store, name
    assert "Maria Lopez" in runner.invoke(main, ["query", str(trig), "most-connected", "--format", "csv"]).output


def _crowded_dataset():
    """40 articles that all mention "Hub" and some of 150 people, with many ties in how many they share.

    Person i is in article j when (i * 7 + j) % (i % 5 + 2) == 0, so the
    people share 8 to 20 articles with Hub, and a few take part with Hub in
    a relation of one sentence.
    """
    from kg.rdf.model import add_article, new_dataset
    from kg.records import Argument, Article, Entity, LinkedRelation, Mention, Relation, ResolvedArticle, Span
    from kg.summary import summarise_dataset

    ds = new_dataset()
    expected: dict[str, list[int]] = {}
    for j in range(40):
        people = [i for i in range(150) if (i * 7 + j) % (i % 5 + 2) == 0]
        text = "Hub met " + ", ".join(f"Person {i}" for i in people) + "."
        entities = [Entity("Organization/Hub", "Hub", "Organization", (), (Mention(0, 3, "Hub", "ORG"),))]
        pos = len("Hub met ")
        for i in people:
            name = f"Person {i}"
            entities.append(Entity(f"Person/{name}", name, "Person", (), (Mention(pos, pos + len(name), name, "PERSON"),)))
            expected.setdefault(name, [0, 0])[0] += 1
            pos += len(name) + 2
        sentence = Span(0, len(text), text)
        relations = []
        if people and j % 3 == 0:  # Hub met the first person named, in the only sentence
            first = f"Person {people[0]}"
            start = len("Hub met ")
            rel = Relation(Argument("Hub", 0, 3, "Hub", 0, 3, "hub"), "meet", "met", 4, 7,
                           Argument(first, start, start + len(first), first, start, start + len(first), first.lower()),
                           sentence, confidence=0.9)
            relations.append(LinkedRelation(rel, "Organization/Hub", f"Person/{first}"))
            expected[first][1] += 1
        art = Article(f"crowd-{j:02d}", text, ((0, len(text)),), title=f"Crowd {j}", date="2024-10-10")
        add_article(ds, ResolvedArticle(art, tuple(entities), tuple(relations), (sentence,)))
    summarise_dataset(ds)
    ranked = sorted(expected.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:100]
    return ds, [(name, "Person", str(a), str(s)) for name, (a, s) in ranked]


def test_co_mentioned_keeps_exactly_the_first_100_of_a_crowd_on_both_engines(tmp_path):
    """More than 100 entities share articles with the hub, with ties at the 100th: the rows are the first
    100 by shared articles, then sentences, then name, on rdflib's engine and on Oxigraph alike."""
    from kg.rdf import save_dataset

    ds, expected = _crowded_dataset()
    assert len({name for name, *_ in expected}) == 100
    counts = [a for _, _, a, _ in expected]
    assert counts.count(counts[-1]) > 1  # the 100th row ties with others
    path = tmp_path / "crowd.trig"
    save_dataset(ds, path)
    for engine in (ds, oxigraph_dataset(path)):
        found = [(r["other"], r["type"], r["articles"], r["sentences"]) for r in rows(engine, "co-mentioned", entity="hub")]
        assert found == expected
