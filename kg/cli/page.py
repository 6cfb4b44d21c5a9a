"""`kg viz`: the interactive page of a graph, or of a query's result."""

from __future__ import annotations

from pathlib import Path

import click

from kg.errors import KGError, QueryError

from kg.cli.common import handle_errors, open_source, optional_graph_argument, source_name, store_option
from kg.cli.group import main

#: Entities drawn by default: more make a page that is slow to settle and hard to read.
DEFAULT_TOP = 500


@main.command()
@optional_graph_argument
@store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Page to write (default: GRAPH with .html, or GRAPH-QUERY.html with --query; "
              "for a local store, beside its folder; needed for a remote store).")
@click.option("--force", is_flag=True, help="Overwrite an existing page.")
@click.option("--top", default=DEFAULT_TOP, show_default=True, metavar="N",
              help="Draw only the N most central entities (by PageRank); 0 draws all.")
@click.option("--query", "query_name", default=None, metavar="NAME|FILE.rq",
              help="Draw the result of a query: a CONSTRUCT, or a SELECT with subject, predicate and object columns.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter (repeatable).")
@handle_errors
def viz(graph: Path | None, store: str | None, output: Path | None, force: bool, top: int, query_name: str | None, params: tuple[str, ...]) -> None:
    """Write the interactive page of GRAPH (or --store): a standalone HTML file that works offline.

    With --query, the page draws the query's result instead of the whole graph:
    a CONSTRUCT that returns part of the graph in kg's model, or a SELECT whose
    rows are edges (columns subject/s, predicate/p, object/o holding IRIs or
    labels; optional negated, support, article, article_title, sentence).
    """
    from kg.analyze import project, project_select
    from kg.query import load_query, parse_params, run_query
    from kg.rdf import write_atomic
    from kg.visualize import page_html

    if params and not query_name:
        raise QueryError("--param needs --query NAME")
    rdf = open_source(graph, store)
    if output is None:
        output = _default_page(graph, store, query_name)
    if output.exists() and not force:
        raise KGError(f"{output}: already exists; use --force to overwrite it")
    title = f"kg: {source_name(graph, store)}"
    if query_name:
        q = load_query(query_name)
        bound = parse_params(params)
        result = run_query(rdf, q, bound)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            g = project(result.graph)
        elif result.type == "SELECT":
            g = project_select([r.asdict() for r in result], rdf)
        else:
            raise QueryError(f"query {q.name!r} is an ASK query: it answers yes or no, there is nothing to draw")
        title += f" · {q.name}" + "".join(f" {k}={v}" for k, v in bound.items())
    else:
        g = project(rdf)
    write_atomic(output, page_html(g, title=title, top=top or None).encode("utf-8"), force=True)
    drawn = min(g.number_of_nodes(), top) if top else g.number_of_nodes()
    left = g.number_of_nodes() - drawn
    click.echo(f"wrote {output} ({drawn} entities" + (f", {left} less central ones left out" if left else "")
               + f"; {g.number_of_edges()} relations in the graph)")


def _default_page(graph: Path | None, store: str | None, query_name: str | None) -> Path:
    """GRAPH.html (GRAPH-QUERY.html with a query) beside the graph file or the local store's folder."""
    from kg.store import is_remote

    if store and is_remote(store):
        raise KGError(f"{store}: a page of a remote store needs an output file; give -o FILE.html")
    where = Path(store.rstrip("/")) if store else graph
    assert where is not None
    stem = where.stem + (f"-{Path(query_name).stem}" if query_name else "")
    return where.with_name(stem + ".html")
