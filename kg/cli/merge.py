"""`kg merge`: several graph files in, one graph file out."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import handle_errors
from kg.cli.group import main


@main.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Graph file to write (.trig, .nq or .jsonld).")
@click.option("--force", is_flag=True, help="Overwrite an existing output.")
@handle_errors
def merge(graphs: tuple[Path, ...], output: Path, force: bool) -> None:
    """Merge graph files kg wrote into one, joining entities across articles.

    The article graphs of every GRAPH are united (an article present in several
    inputs is kept once), then the reconciliation graph is recomputed:
    owl:sameAs joins names of one thing that differ only in form, and
    skos:closeMatch links weak candidates for review. The result does not
    depend on the order of the inputs, and merging a graph with itself changes
    nothing. Nothing is written if any input cannot be read.
    """
    from kg.merge import merge_files

    ds, found = merge_files(graphs, output, force=force)
    from kg.rdf.vocab import SCHEMA
    from rdflib.namespace import RDF

    articles = len(set(ds.subjects(RDF.type, SCHEMA.NewsArticle)))
    click.echo(f"{articles} article{'' if articles == 1 else 's'} from {len(graphs)} graph"
               f"{'' if len(graphs) == 1 else 's'}; {found.summary()}")
    click.echo(f"wrote {output}")
