"""`kg viz`: the interactive page of a graph."""

from __future__ import annotations

from pathlib import Path

import click

from kg.errors import KGError

from kg.cli.common import graph_argument, handle_errors, open_graph
from kg.cli.group import main


@main.command()
@graph_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Page to write (default: GRAPH with .html).")
@click.option("--force", is_flag=True, help="Overwrite an existing page.")
@handle_errors
def viz(graph: Path, output: Path | None, force: bool) -> None:
    """Write the interactive page of GRAPH: a standalone HTML file that works offline."""
    from kg.analyze import project
    from kg.rdf import write_atomic
    from kg.visualize import page_html

    output = output or graph.with_suffix(".html")
    if output.exists() and not force:
        raise KGError(f"{output}: already exists; use --force to overwrite it")
    g = project(open_graph(graph))
    write_atomic(output, page_html(g, title=f"kg: {graph.name}").encode("utf-8"), force=True)
    click.echo(f"wrote {output} ({g.number_of_nodes()} entities, {g.number_of_edges()} relations)")
