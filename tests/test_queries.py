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
