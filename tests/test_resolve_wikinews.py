"""Entity resolution over 20 Wikinews articles (CC BY 2.5; see fixtures/README.md).

The surface forms each frequent entity collects were checked by hand and are
kept in ``fixtures/wikinews-entities.json``: a node may only gather forms
listed there (no node mixes two things), and no two frequent nodes may be the
same thing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kg.records import Article
from kg.resolve import resolve_article
from kg.resolve.wikidata import fold

FIXTURES = Path(__file__).parent / "fixtures"
TOP = 25


def wikinews_articles() -> list[Article]:
    rows = [json.loads(line) for line in (FIXTURES / "wikinews-sample.jsonl").read_text(encoding="utf-8").splitlines()]
    return [
        Article(r["id"], r["text"], tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+", r["text"])),
                title=r["title"], date=r["date"], source=r["source"], url=r["url"])
        for r in rows
    ]


@pytest.fixture(scope="module")
def resolved(nlp):
    from kg.nlp import analyse_articles

    return [resolve_article(a) for a in analyse_articles(wikinews_articles(), nlp)]


def frequent(resolved) -> list[str]:
    df = Counter(e.key for r in resolved for e in r.entities if e.type != "Concept")
    return [k for k, _ in sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def test_frequent_nodes_gather_only_hand_checked_names(resolved):
    approved = json.loads((FIXTURES / "wikinews-entities.json").read_text(encoding="utf-8"))
    for key in frequent(resolved):
        assert key in approved, f"{key} is new among the frequent entities: check it by hand"
        surfaces = {m.text for r in resolved for e in r.entities if e.key == key for m in e.mentions if m.kind == "name"}
        assert surfaces <= set(approved[key]), (key, surfaces - set(approved[key]))


def test_no_two_frequent_nodes_are_the_same_thing(resolved):
    by_key = {e.key: e for r in resolved for e in r.entities}
    top = [by_key[k] for k in frequent(resolved)]
    iris = [iri for e in top for iri in e.same_as]
    assert len(iris) == len(set(iris))
    labels = [fold(e.label) for e in top]
    assert len(labels) == len(set(labels))


def test_no_unmerged_surnames_within_an_article(resolved):
    for r in resolved:
        persons = [e for e in r.entities if e.type == "Person"]
        full = {fold(e.label).split()[-1] for e in persons if len(e.label.split()) > 1}
        single = {fold(e.label) for e in persons if len(e.label.split()) == 1}
        assert not (full & single), (r.article.title, full & single)


def test_every_relation_links_to_an_entity_of_its_article(resolved):
    for r in resolved:
        keys = {e.key for e in r.entities}
        for rel in r.relations:
            assert rel.subject in keys and (rel.object is None or rel.object in keys)


@pytest.fixture(scope="module")
def merged(resolved):
    """The 20 articles in one dataset, reconciled across articles as `kg build` does."""
    from kg.merge import reconcile
    from kg.rdf import add_article, new_dataset

    ds = new_dataset()
    for r in resolved:
        add_article(ds, r)
    reconcile(ds)
    return ds


def test_across_articles_frequent_nodes_are_distinct_and_gather_only_hand_checked_names(resolved, merged):
    from kg.merge import canonical_map
    from kg.query import entity_rows
    from kg.rdf.vocab import ENTITY

    approved = json.loads((FIXTURES / "wikinews-entities.json").read_text(encoding="utf-8"))
    canon = {k[len(str(ENTITY)):]: v[len(str(ENTITY)):] for k, v in canonical_map(merged).items()}
    rows = sorted(entity_rows(merged), key=lambda r: (-r["articles"], -r["mentions"], r["label"]))[:TOP]
    surfaces: dict[str, set[str]] = {}
    for r in resolved:
        for e in r.entities:
            surfaces.setdefault(canon.get(e.key, e.key), set()).update(m.text for m in e.mentions if m.kind == "name")
    for row in rows:
        key = row["iri"][len(str(ENTITY)):]
        assert key in approved, f"{key} is new among the frequent entities: check it by hand"
        assert surfaces[key] <= set(approved[key]), (key, surfaces[key] - set(approved[key]))
    wikidata = [iri for row in rows for iri in row["same_as"]]
    assert len(wikidata) == len(set(wikidata))
    labels = [fold(row["label"]) for row in rows]
    assert len(labels) == len(set(labels))
