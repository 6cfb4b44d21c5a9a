"""`kg export` and `kg load`: graphs in and out of stores and files."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import handle_errors, open_source, optional_graph_argument, store_option
from kg.cli.group import main
from kg.errors import OutputError

#: RDF formats (the named graphs kept, except in Turtle) and network formats (the networkx projection).
GRAPH_FORMATS = ("trig", "turtle", "nquads", "jsonld")
NETWORK_FORMATS = ("graphml", "gexf", "csv")


@main.command()
@optional_graph_argument
@store_option
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS + NETWORK_FORMATS), required=True,
              help="trig, nquads, jsonld (one named graph per article), turtle (all in one graph); "
              "graphml, gexf, csv (the entity network, for Gephi, Cytoscape, spreadsheets).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def export(graph: Path | None, store: str | None, fmt: str, output: Path, force: bool) -> None:
    """Write GRAPH (or --store) to a file in an RDF or network format.

    The file is written whole or not at all; an existing file is kept unless
    --force.
    """
    from kg.rdf import write_atomic

    if output.exists() and not force:
        raise OutputError(f"{output}: already exists; use --force to overwrite it")
    if fmt in NETWORK_FORMATS:
        from kg.analyze import project, write_network

        g = project(open_source(graph, store))
        data = write_network(g, fmt)
        what = f"{g.number_of_nodes()} entities, {g.number_of_edges()} relations"
    else:
        data, what = _rdf_bytes(graph, store, fmt)
    write_atomic(output, data, force=force)
    click.echo(f"wrote {output} ({what})")


def _rdf_bytes(graph: Path | None, store: str | None, fmt: str) -> tuple[bytes, str]:
    from kg.rdf import serialize

    if not store:
        ds = open_source(graph, None)
        return serialize(ds, fmt), f"{len(list(ds.graphs())) - 1} article graphs"
    from rdflib import Dataset

    from kg.rdf.vocab import bind_prefixes
    from kg.store import LocalStore, open_store

    st = open_store(store, read_only=True)
    if isinstance(st, LocalStore) and fmt == "trig":
        return st.trig(), f"{len(st.graph_iris())} article graphs"
    quads = st.nquads()
    if fmt == "nquads":
        return quads, f"{len(st.graph_iris())} article graphs"
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    ds.parse(data=quads, format="nquads")
    return serialize(ds, fmt), f"{len(list(ds.graphs())) - 1} article graphs"


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--store", required=True, metavar="PATH|URL",
              help="The store to load into: a folder (created if new) or a SPARQL endpoint URL.")
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), default=None,
              help="Format of the files (default: from each file's suffix).")
@handle_errors
def load(files: tuple[Path, ...], store: str, fmt: str | None) -> None:
    """Load graph files kg wrote (TriG, N-Quads, Turtle, JSON-LD) into a store.

    Each article keeps its own named graph and replaces the one the store
    holds; each file is written in one transaction, so an interrupted load
    leaves only whole articles. Files that kg did not write are refused.
    """
    from kg.store import open_store
    from kg.store.load import load_files

    def progress(path: Path, n: int) -> None:
        click.echo(f"loaded {path}: {n} article{'s' * (n != 1)} written")

    with open_store(store, create=True) as st:
        report = load_files(st, files, fmt=fmt, progress=progress)
    click.echo(f"{store}: {report.summary()}")
