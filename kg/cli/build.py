"""`kg build`: articles in, a graph file and a page out."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from kg.errors import KGError

from kg.cli.common import handle_errors, model_option, one_line
from kg.cli.group import main
from kg.cli.page import DEFAULT_TOP


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for graph.trig and graph.html.")
@click.option("--force", is_flag=True, help="Overwrite existing outputs.")
@click.option("--language", default="en", show_default=True, metavar="CODES|any",
              help="Languages to build (ISO codes, comma-separated); articles detected to be in another are "
              "skipped with a warning. `any` builds every article whatever its language.")
@model_option
@handle_errors
def build(inputs: tuple[Path, ...], out_dir: Path, force: bool, language: str, model: str | None) -> None:
    """Build a graph from articles: .txt files, HTML pages, JSON Lines, JSON, or folders of them.

    Writes OUTPUT/graph.trig (the RDF graph, one named graph per article) and
    OUTPUT/graph.html (the interactive page), then prints a summary. Inputs
    that cannot be read are reported and skipped; the exit code is 1 if any were.
    """
    from kg.analyze import project
    from kg.build import build_dataset
    from kg.rdf import serialize, write_files_atomic
    from kg.visualize import page_html

    graph_path, page_path = out_dir / "graph.trig", out_dir / "graph.html"
    for path in (graph_path, page_path):
        if path.exists() and not force:
            raise KGError(f"{path}: already exists; use --force to overwrite it (or -o to write elsewhere)")
    ds, report = build_dataset(inputs, model=model, languages=_languages(language))
    if report.articles == 0 and len(report.problems) == 1:
        problem = report.problems[0]
        raise KGError(f"{problem.origin}: {problem.reason}")
    for problem in report.problems:
        click.echo(one_line(f"kg: {'warning' if problem.warning else 'error'}: {problem.origin}: {problem.reason}"),
                   err=True)
    if report.articles == 0 and not report.problems:
        raise KGError(f"{_names(inputs)}: holds no article files ({len(report.skipped_files)} other files skipped); "
                      "give kg .txt, .md, .html, .json or .jsonl files")
    if report.articles == 0:
        raise KGError(f"{_names(inputs)}: no article could be read (see above); nothing was written")
    if report.relations == 0 and report.entities == 0:
        click.echo("kg: warning: no entities or relations were found; the graph holds only the article metadata", err=True)
    page = page_html(project(ds), title=_title(inputs), top=DEFAULT_TOP).encode("utf-8")
    write_files_atomic([(graph_path, serialize(ds, "trig")), (page_path, page)], force=force)
    click.echo(f"{report.summary()}")
    click.echo(f"wrote {graph_path} and {page_path}")
    if report.failures:
        sys.exit(1)


def _languages(value: str) -> frozenset[str] | None:
    """The languages ``--language`` asks for; ``None`` for any.

    >>> sorted(_languages("en, FR")), _languages("any")
    (['en', 'fr'], None)
    """
    codes = {c.strip().lower() for c in value.split(",") if c.strip()}
    if not codes or "any" in codes:
        return None
    bad = sorted(c for c in codes if not c.isalpha() or len(c) not in (2, 3))
    if bad:
        raise click.BadParameter(f"{bad[0]!r} is not a language code; use ISO codes such as en,fr or `any`",
                                 param_hint="--language")
    return frozenset(codes)


def _names(inputs: Sequence[Path]) -> str:
    return str(inputs[0]) if len(inputs) == 1 else f"{inputs[0]} and {len(inputs) - 1} more"


def _title(inputs: Sequence[Path]) -> str:
    names = [p.name for p in inputs]
    return "kg: " + (names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more")
