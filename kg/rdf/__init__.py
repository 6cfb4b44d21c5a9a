"""The rdf stage: vocabulary, the records-to-RDF mapping, and graph files."""

from __future__ import annotations

from kg.rdf.io import FORMATS, load_graph, save_dataset, serialize, write_atomic, write_files_atomic
from kg.rdf.model import add_article, article_graph, article_iri, article_nquads, article_ntriples, entity_iri, new_dataset, predicate_iri
from kg.rdf.vocab import KG, PREFIXES, SCHEMA

__all__ = [
    "FORMATS",
    "KG",
    "PREFIXES",
    "SCHEMA",
    "add_article",
    "article_graph",
    "article_iri",
    "article_nquads",
    "article_ntriples",
    "entity_iri",
    "load_graph",
    "new_dataset",
    "predicate_iri",
    "save_dataset",
    "serialize",
    "write_atomic",
    "write_files_atomic",
]
