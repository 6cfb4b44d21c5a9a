"""Laws of merging: order-independent, idempotent, and the same as building together.

The article graphs are built once from six short Wikinews articles (CC BY 2.5,
see fixtures/README.md) that share entities (the United States, Congress,
Iran, Poland, Donald Trump); the properties are then checked on sets of them.
Graphs are compared as sets of N-Quads (kg graphs have no blank nodes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdflib.namespace import OWL, RDF

from kg.merge import RECONCILIATION_GRAPH, merge_datasets, reconcile
from kg.summary import SUMMARY_GRAPH, summarise_dataset
from kg.rdf import KG, add_article, new_dataset

FIXTURES = Path(__file__).parent / "fixtures"
TITLES = ("Nancy Pelosi again", "Senator Ted Cruz", "President Trump says", "Escape room fire",
          "Iranian cargo plane", "Germany bans Mahan Air")

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def articles(nlp, tmp_path_factory):
    """The resolved articles, in the order of TITLES."""
    from kg.build import BuildReport, resolve_articles

    lines = (FIXTURES / "wikinews-sample.jsonl").read_text(encoding="utf-8").splitlines()
    picked = [next(line for line in lines if json.loads(line)["title"].startswith(t)) for t in TITLES]
    path = tmp_path_factory.mktemp("wikinews") / "six.jsonl"
    path.write_text("\n".join(picked) + "\n", encoding="utf-8")
    out = list(resolve_articles([path], nlp, BuildReport()))
    assert [a.article.title for a in out] == [json.loads(line)["title"] for line in picked]
    return out


_BUILT: dict[tuple[int, ...], object] = {}


def built(articles, indexes) -> object:
    """A dataset built from the articles at ``indexes``, in that order, as `kg build` makes it.

    Kept for reuse: merging reads its inputs and never changes them.
    """
    indexes = tuple(indexes)
    if indexes in _BUILT:
        return _BUILT[indexes]
    ds = _BUILT[indexes] = new_dataset()
    for i in indexes:
        add_article(ds, articles[i])
    reconcile(ds)
    summarise_dataset(ds)
    return ds


def merged(*datasets):
    return merge_datasets([(str(i), ds) for i, ds in enumerate(datasets)])[0]


def quads(ds) -> set:
    return {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads()}


subsets = st.lists(st.integers(0, len(TITLES) - 1), min_size=1, max_size=len(TITLES), unique=True)


def test_the_articles_share_entities_and_the_reconciliation_links_them(articles):
    ds = built(articles, range(len(TITLES)))
    from kg.query import entity_rows

    shared = {r["label"] for r in entity_rows(ds) if r["articles"] >= 2}
    assert {"United States", "Iran"} <= shared
    entities = {e for g in ds.graphs() if g.identifier not in (RECONCILIATION_GRAPH, SUMMARY_GRAPH) for e in g.subjects(RDF.type, KG.Entity)}
    for a, _, b in ds.graph(RECONCILIATION_GRAPH):
        assert a in entities and b in entities


@SETTINGS
@given(a=subsets, b=subsets)
def test_merge_is_order_independent(articles, a, b):
    x, y = built(articles, a), built(articles, b)
    assert quads(merged(x, y)) == quads(merged(y, x))


@SETTINGS
@given(a=subsets)
def test_merge_is_idempotent(articles, a):
    x = built(articles, a)
    assert quads(merged(x, x)) == quads(x)
    assert quads(merged(x)) == quads(x)


@SETTINGS
@given(order=st.permutations(range(len(TITLES))), cuts=st.sets(st.integers(1, len(TITLES) - 1), max_size=3))
def test_building_together_equals_building_in_parts_and_merging(articles, order, cuts):
    together = built(articles, range(len(TITLES)))
    bounds = [0, *sorted(cuts), len(TITLES)]
    parts = [built(articles, order[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]
    assert quads(merged(*parts)) == quads(together)


@SETTINGS
@given(a=subsets, b=subsets, c=subsets)
def test_merge_is_associative(articles, a, b, c):
    x, y, z = built(articles, a), built(articles, b), built(articles, c)
    assert quads(merged(merged(x, y), z)) == quads(merged(x, merged(y, z)))


#: Names of a few people, with forms articles might use.
FORMS = {
    "Person": ["Nancy Pelosi", "Pelosi", "Hassan Rouhani", "Hasan Rouhani", "Rouhani", "John Smith", "Joan Smith",
               "Smith", "Joachim Brudziński", "Joachim Brudzinski"],
    "Place": ["Magnitogorsk", "Magnitigorsk", "Washington"],
    "Country": ["Jordan"],
}


@st.composite
def name_articles(draw):
    from test_merge import resolved

    n = draw(st.integers(1, 6))
    out = []
    for i in range(n):
        picks = draw(st.lists(st.sampled_from([(t, f) for t, fs in FORMS.items() for f in fs]), min_size=1,
                              max_size=4))
        out.append(resolved(f"n{i}", [(form, form, type_) for type_, form in picks]))
    return out


@settings(max_examples=40, deadline=None)
@given(arts=name_articles(), data=st.data())
def test_reconciliation_depends_on_the_articles_not_their_order(arts, data):
    shuffled = data.draw(st.permutations(arts))
    one, two = new_dataset(), new_dataset()
    for a in arts:
        add_article(one, a)
    for a in shuffled:
        add_article(two, a)
    reconcile(one)
    reconcile(two)
    assert quads(one) == quads(two)
    same = set(one.graph(RECONCILIATION_GRAPH).subject_objects(OWL.sameAs))
    canonical = {b for _, b in same}
    assert not canonical & {a for a, _ in same}, "a canonical node is itself merged into another"
