"""Network analysis on the projection: measures, paths, exports, and `kg stats` / `kg path`."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from kg.analyze import (CSV_COLUMNS, centrality, communities, components, find_entity, network_summary, project,
                        project_select, relations_between, shortest_paths, top_entities, type_counts, write_network)
from kg.cli import main
from kg.errors import AmbiguousEntity, EntityNotFound, KGError, NotConnected
from kg.query import run_query
from kg.rdf import save_dataset
from kg.rdf.model import add_article, new_dataset
from kg.records import Argument, Article, Entity, LinkedRelation, Mention, Relation, ResolvedArticle, Span

# (article id, headline, sentence, subject, predicate, object, negated)
CLAIMS = [
    ("a1", "Alice meets Bob", "Alice met Bob in Paris.", "Alice", "meet", "Bob", False),
    ("a2", "Bob and Carol", "Bob criticised Carol on Monday.", "Bob", "criticise", "Carol", False),
    ("a2", "Bob and Carol", "Carol did not answer Dave.", "Carol", "answer", "Dave", True),
    ("a3", "Eve alone", "Eve praised Frank.", "Eve", "praise", "Frank", False),
]
LONELY = "Grace"  # an entity mentioned but in no relation


def _arg(text: str, start: int) -> Argument:
    return Argument(text, start, start + len(text), text, start, start + len(text), text.lower())


def chain_articles() -> list[ResolvedArticle]:
    """Hand-built articles: Alice–Bob–Carol–Dave is a chain across two articles; Eve–Frank apart."""
    out = []
    for aid in dict.fromkeys(c[0] for c in CLAIMS):
        claims = [c for c in CLAIMS if c[0] == aid]
        text = " ".join(c[2] for c in claims) + (f" {LONELY} watched." if aid == "a3" else "")
        entities: dict[str, Entity] = {}
        relations, sentences, offset = [], [], 0
        for i, (_, _, sentence, subj, pred, obj, negated) in enumerate(claims):
            s_at, o_at = offset + sentence.index(subj), offset + sentence.index(obj)
            for name, at in ((subj, s_at), (obj, o_at)):
                m = Mention(at, at + len(name), name, "PERSON")
                entities[name] = Entity(f"Person/{name}", name, "Person", (), (m,))
            span = Span(offset, offset + len(sentence), sentence)
            sentences.append(span)
            rel = Relation(_arg(subj, s_at), pred, pred, s_at, s_at + 1, _arg(obj, o_at), span, sentence_index=i,
                           negated=negated, confidence=0.8)
            relations.append(LinkedRelation(rel, f"Person/{subj}", f"Person/{obj}"))
            offset += len(sentence) + 1
        if aid == "a3":
            at = text.index(LONELY)
            entities[LONELY] = Entity(f"Person/{LONELY}", LONELY, "Person", ("G.",), (Mention(at, at + 5, LONELY, "PERSON"),))
        art = Article(aid, text, ((0, len(text)),), title=claims[0][1])
        out.append(ResolvedArticle(art, tuple(entities.values()), tuple(relations), tuple(sentences)))
    return out


@pytest.fixture(scope="module")
def chain_ds():
    ds = new_dataset()
    for r in chain_articles():
        add_article(ds, r)
    return ds


@pytest.fixture(scope="module")
def chain(chain_ds):
    return project(chain_ds)


@pytest.fixture(scope="module")
def chain_file(chain_ds, tmp_path_factory):
    path = tmp_path_factory.mktemp("chain") / "chain.trig"
    save_dataset(chain_ds, path)
    return path


def node(g, label):
    return find_entity(g, label)


def test_projection_carries_article_titles_and_negation(chain):
    edges = {(chain.nodes[s]["label"], d["predicate"], chain.nodes[o]["label"]): d for s, o, d in chain.edges(data=True)}
    assert edges[("Bob", "criticise", "Carol")]["article_title"] == "Bob and Carol"
    assert edges[("Carol", "answer", "Dave")]["negated"] is True
    assert edges[("Alice", "meet", "Bob")]["sentence"] == "Alice met Bob in Paris."
    assert chain.number_of_edges() == len(CLAIMS)


def test_type_counts_components_and_communities(chain):
    assert type_counts(chain) == {"Person": chain.number_of_nodes()}
    sizes = [len(c) for c in components(chain)]
    assert sizes == [4, 2, 1]  # the chain, Eve–Frank, Grace alone
    found = communities(chain, seed=0)
    assert sorted(len(c) for c in found) == sorted(len(c) for c in communities(chain, seed=0))  # deterministic
    assert all(any(c <= comp for comp in components(chain)) for c in found)  # never spans unlinked entities
    assert set().union(*found) == set(chain.nodes)


def test_centrality_ranks_the_middle_of_the_chain_first(chain):
    c = centrality(chain)
    middle = {node(chain, "Bob"), node(chain, "Carol")}
    assert max(c, key=lambda n: c[n]["betweenness"]) in middle
    assert c[node(chain, "Bob")]["degree"] == 2 and c[node(chain, LONELY)]["degree"] == 0
    assert abs(sum(v["pagerank"] for v in c.values()) - 1.0) < 1e-6
    assert set(top_entities(chain, 2, c).nodes) == middle


def test_sampled_betweenness_is_deterministic():
    g = nx.MultiDiGraph(nx.gnm_random_graph(60, 120, seed=1, directed=True))
    first, second = centrality(g, exact_up_to=10, k=20), centrality(g, exact_up_to=10, k=20)
    assert first == second


def test_shortest_path_crosses_articles_with_sentences(chain):
    paths = shortest_paths(chain, "alice", "DAVE")
    assert [[chain.nodes[n]["label"] for n in p] for p in paths] == [["Alice", "Bob", "Carol", "Dave"]]
    hop = relations_between(chain, node(chain, "Carol"), node(chain, "Dave"))
    assert [(r["subject_label"], r["predicate"], r["negated"], r["sentence"]) for r in hop] == [
        ("Carol", "answer", True, "Carol did not answer Dave.")]


def test_path_errors_say_which(chain):
    with pytest.raises(EntityNotFound, match="'Zed'"):
        shortest_paths(chain, "Alice", "Zed")
    with pytest.raises(NotConnected, match="'Alice' and 'Eve' are not connected"):
        shortest_paths(chain, "Alice", "Eve")
    with pytest.raises(NotConnected, match="'G.' takes part in no relation"):
        shortest_paths(chain, "Alice", "G.")  # found by alias


def test_ambiguous_name_is_an_error_for_one_entity_and_all_of_them_for_paths(chain):
    g = chain.copy()
    g.add_node("x/bob-org", label="Bob", type="Organization", aliases=[])
    with pytest.raises(AmbiguousEntity, match="names 2 entities"):
        find_entity(g, "bob")
    assert shortest_paths(g, "bob", "carol")[0][-1] == node(chain, "Carol")


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_exports_parse_back(chain, fmt, read):
    data = write_network(chain, fmt)
    back = read(io.BytesIO(data))
    assert back.number_of_nodes() == chain.number_of_nodes()
    assert back.number_of_edges() == chain.number_of_edges()
    labels = sorted(d.get("label") for _, d in back.nodes(data=True))
    assert labels == sorted(d["label"] for _, d in chain.nodes(data=True))
    sentences = sorted(d["sentence"] for *_, d in back.edges(data=True))
    assert sentences == sorted(c[2] for c in CLAIMS)


def test_graphml_survives_hostile_text():
    g = nx.MultiDiGraph()
    nasty = 'a\x00b <script>"&\'\x1f'
    g.add_node("n", label=nasty, type="Person", aliases=[nasty, None], mentions=None)
    g.add_edge("n", "n", predicate="say", negated=False, sentence=nasty, modality=None, support=1)
    back = nx.read_graphml(io.BytesIO(write_network(g, "graphml")))
    assert back.nodes["n"]["label"] == "a\ufffdb <script>\"&'\ufffd"
    assert nx.read_gexf(io.BytesIO(write_network(g, "gexf"))).number_of_nodes() == 1


def test_csv_export_is_an_edge_list_with_labels(chain):
    rows = list(csv.DictReader(io.StringIO(write_network(chain, "csv").decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == chain.number_of_edges()
    got = {(r["source"], r["predicate"], r["target"], r["negated"], r["article_title"], r["sentence"]) for r in rows}
    assert ("Carol", "answer", "Dave", "true", "Bob and Carol", "Carol did not answer Dave.") in got
    assert all(r["source_type"] == "Person" and r["source_iri"].startswith("https://") for r in rows)


def test_csv_cells_cannot_become_formulas():
    g = nx.MultiDiGraph()
    g.add_node("n", label="=HYPERLINK(\"http://x\")", type="Person")
    g.add_edge("n", "n", predicate="say", negated=False, sentence="@SUM(A1)")
    row = list(csv.DictReader(io.StringIO(write_network(g, "csv").decode())))[0]
    assert row["source"].startswith("'=") and row["sentence"] == "'@SUM(A1)"


def test_unknown_export_format():
    with pytest.raises(KGError, match="graphml, gexf, csv"):
        write_network(nx.MultiDiGraph(), "dot")


def test_select_rows_become_a_projection(chain_ds, chain):
    result = run_query(chain_ds, "SELECT ?subject ?predicate ?object ?sentence WHERE { "
                       "?r a kg:Relation ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object ; "
                       "kg:sentence/kg:text ?sentence . ?subject rdfs:label 'Bob' }")
    g = project_select([r.asdict() for r in result], chain_ds)
    assert sorted(d["label"] for _, d in g.nodes(data=True)) == ["Bob", "Carol"]
    assert [d["predicate"] for *_, d in g.edges(data=True)] == ["criticise"]
    by_label = project_select([{"s": "alice", "p": "meet", "o": "Bob"}], chain_ds)
    assert set(by_label.nodes) == {node(chain, "Alice"), node(chain, "Bob")}
    with pytest.raises(KGError, match="subject, predicate and object"):
        project_select([{"x": 1}], chain_ds)


def test_empty_graph_measures():
    g = nx.MultiDiGraph()
    assert centrality(g) == {} and communities(g) == [] and components(g) == [] and type_counts(g) == {}
    s = network_summary(g)
    assert s["entities"] == 0 and s["central"] == []


# --- commands -----------------------------------------------------------------------------------------------


def test_stats_prints_types_central_entities_and_communities(runner, chain_file, chain):
    result = runner.invoke(main, ["stats", str(chain_file)])
    assert result.exit_code == 0, result.output
    assert f"{chain.number_of_nodes()} entities and concepts, {len(CLAIMS)} relations (1 negated) from 3 article(s)" \
        in result.output
    assert "Person" in result.output and "pagerank" in result.output and "communities (Louvain" in result.output
    data = json.loads(runner.invoke(main, ["stats", str(chain_file), "--format", "json"]).output)
    assert data["components"] == [4, 2, 1]
    assert data["central"][0]["label"] in ("Bob", "Carol")


def test_path_command_shows_each_sentence_and_article(runner, chain_file):
    result = runner.invoke(main, ["path", str(chain_file), "Alice", "dave"])
    assert result.exit_code == 0, result.output
    assert "Alice — Bob — Carol — Dave" in result.output
    for sentence in ("Alice met Bob in Paris.", "Bob criticised Carol on Monday.", "Carol did not answer Dave."):
        assert sentence in result.output
    assert "—not answer→" in result.output and "a2 (Bob and Carol)" in result.output


@pytest.mark.parametrize("a, b, message", [("Alice", "Nobody", "no entity is called 'Nobody'"),
                                          ("Alice", "Frank", "'Alice' and 'Frank' are not connected")])
def test_path_command_errors_are_one_line(runner, chain_file, a, b, message):
    result = runner.invoke(main, ["path", str(chain_file), a, b])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_path_between_two_connected_entities_of_the_sample(runner, sample_build):
    out, ds = sample_build
    g = project(ds)
    s, o, d = next((s, o, d) for s, o, d in g.edges(data=True) if s != o)
    result = runner.invoke(main, ["path", str(out / "graph.trig"), s, o])
    assert result.exit_code == 0, result.output
    assert " ".join(d["sentence"].split()) in result.output and d["article"] in result.output


def test_stats_on_the_sample(runner, sample_build):
    result = runner.invoke(main, ["stats", str(sample_build[0] / "graph.trig"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    g = project(sample_build[1])
    assert data["entities"] == g.number_of_nodes() and sum(data["components"]) == g.number_of_nodes()
    assert sum(data["types"].values()) == g.number_of_nodes()
