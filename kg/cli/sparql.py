"""`kg query` and `kg queries`: SPARQL, named or from a file."""

from __future__ import annotations

import click

from kg.cli.common import emit_rows, handle_errors, open_source, split_graph, store_option
from kg.cli.group import main


@main.command()
@click.argument("args", nargs=-1, metavar="[GRAPH] QUERY")
@store_option
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "tsv", "json", "jsonl")), default="table",
              show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Stop a query still running after SECONDS (exit code 3).")
@handle_errors
def query(args: tuple[str, ...], store: str | None, params: tuple[str, ...], fmt: str, timeout: float | None) -> None:
    """Run a SPARQL query on GRAPH (or --store): a named query (see `kg queries`) or a .rq file.

    Parameters are bound as RDF terms, never pasted into the query text. A
    syntax error is reported with its line and column (exit code 2); a query
    stopped by --timeout exits with code 3.
    """
    from kg.query import load_query, parse_params, run_query

    graph, (query,) = split_graph(args, store, ["query"])
    q = load_query(query)
    bound = parse_params(params)
    result = run_query(open_source(graph, store), q, bound, timeout=timeout)
    if result.type == "ASK":
        click.echo("yes" if result.askAnswer else "no")
        return
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        click.echo(result.graph.serialize(format="turtle"))
        return
    columns = [str(v) for v in result.vars]
    rows = [{c: (None if b.get(c) is None else b.get(c).toPython() if fmt in ("json", "jsonl") else str(b.get(c)))
             for c in columns} for b in (r.asdict() for r in result)]
    emit_rows([{k: (str(v) if v is not None and not isinstance(v, (int, float, bool, str)) else v) for k, v in r.items()}
               for r in rows], columns, fmt)


@main.command(name="queries")
@handle_errors
def list_queries() -> None:
    """List the named queries with their descriptions and parameters."""
    from kg.query import named_queries

    for q in named_queries():
        click.echo(f"{q.name}: {q.title}")
        if q.description:
            click.echo(f"    {q.description}")
        for p in q.params:
            click.echo(f"    --param {p.name}=...{' (optional)' if p.optional else ''}  {p.description}")
