"""`kg triples`, `kg entities` and `kg mentions`: the graph as tables."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import TABLE_FORMATS, emit_rows, handle_errors, open_source, optional_graph_argument, store_option, table_format
from kg.cli.group import main


@main.command()
@optional_graph_argument
@store_option
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@handle_errors
def triples(graph: Path | None, store: str | None, fmt: str) -> None:
    """List every relation of GRAPH: subject, predicate, object, qualifiers, source.

    GRAPH is a graph file kg wrote (.trig, .ttl, .nq, .jsonld); --store reads a store instead.
    """
    from kg.query import RELATION_COLUMNS, relation_rows

    rows = relation_rows(open_source(graph, store))
    emit_rows(rows, RELATION_COLUMNS, fmt,
              table_columns=("subject", "predicate", "object", "negated", "modality", "attributed_to", "time",
                             "confidence", "support", "article"))


@main.command()
@optional_graph_argument
@store_option
@table_format
@click.option("--concepts", is_flag=True, help="Include concepts (things that are not named entities).")
@handle_errors
def entities(graph: Path | None, store: str | None, fmt: str, concepts: bool) -> None:
    """List the entities of GRAPH with type, aliases and how often they are mentioned."""
    from kg.query import ENTITY_COLUMNS, entity_rows

    rows = entity_rows(open_source(graph, store), include_concepts=concepts)
    emit_rows(rows, ENTITY_COLUMNS, fmt)


@main.command()
@optional_graph_argument
@store_option
@click.option("--format", "fmt", type=click.Choice(("table", "jsonl", "tsv", "csv")), default="table",
              show_default=True, help="Output format.")
@handle_errors
def mentions(graph: Path | None, store: str | None, fmt: str) -> None:
    """List every mention of every entity in GRAPH with its article and character offsets.

    Offsets count characters of the article text as given in the input, so
    text[start:end] is the mention.
    """
    from kg.query import MENTION_COLUMNS, mention_rows

    emit_rows(mention_rows(open_source(graph, store)), MENTION_COLUMNS, fmt)
