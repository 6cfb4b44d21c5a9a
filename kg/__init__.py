"""kg: a knowledge graph of who did what to whom, built from news articles.

The Python API mirrors the command line::

    from kg import build_dataset, relation_rows
    ds, report = build_dataset(["examples/us-hezbollah-ceasefire.txt"])
    for row in relation_rows(ds):
        print(row["subject"], row["predicate"], row["object"])

Names are imported on first use, so ``import kg`` stays cheap (spaCy loads only
when something needs it).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "kg.records",
    "Mention": "kg.records",
    "Argument": "kg.records",
    "Relation": "kg.records",
    "Analysis": "kg.records",
    "Entity": "kg.records",
    "LinkedRelation": "kg.records",
    "ResolvedArticle": "kg.records",
    "KGError": "kg.errors",
    "InputError": "kg.errors",
    "ModelError": "kg.errors",
    "GraphError": "kg.errors",
    "QueryError": "kg.errors",
    "StoreError": "kg.errors",
    "OutputError": "kg.errors",
    "EntityNotFound": "kg.errors",
    "AmbiguousEntity": "kg.errors",
    "NotConnected": "kg.errors",
    "read_articles": "kg.ingest",
    "article_from_text": "kg.ingest",
    "load_model": "kg.nlp",
    "analyse_article": "kg.nlp",
    "analyse_articles": "kg.nlp",
    "resolve_article": "kg.resolve",
    "build_dataset": "kg.build",
    "BuildReport": "kg.build",
    "add_article": "kg.rdf",
    "new_dataset": "kg.rdf",
    "load_graph": "kg.rdf",
    "save_dataset": "kg.rdf",
    "run_query": "kg.query",
    "load_query": "kg.query",
    "named_queries": "kg.query",
    "relation_rows": "kg.query",
    "entity_rows": "kg.query",
    "project": "kg.analyze",
    "centrality": "kg.analyze",
    "communities": "kg.analyze",
    "components": "kg.analyze",
    "type_counts": "kg.analyze",
    "find_entity": "kg.analyze",
    "shortest_paths": "kg.analyze",
    "top_entities": "kg.analyze",
    "write_network": "kg.analyze",
    "page_html": "kg.visualize",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
