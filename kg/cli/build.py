"""`kg build`: articles in, a graph file and a page out; or a whole corpus into a store."""

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
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for graph.trig and graph.html  [default: output]. Not used with --store.")
@click.option("--force", is_flag=True, help="Overwrite existing outputs.")
@click.option("--store", "store_location", metavar="PATH|URL",
              help="Build into this store (a folder, created if needed, or a SPARQL endpoint) instead of graph "
                   "files: articles are streamed in, those already stored unchanged are skipped, and a killed "
                   "build resumes.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Parsing processes (with --store; one job already keeps two cores busy, so more pay off only "
                   "with more cores), or Dask workers of the local cluster (--engine dask).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where articles are parsed (with --store): this machine, or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler to use with --engine dask (e.g. tcp://host:8786); without it a local cluster "
                   "of --jobs workers is started.")
@click.option("--failures", "failures_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the articles that failed, as TSV  [default: STORE.failures.tsv].")
@click.option("--language", default="en", show_default=True, metavar="CODES|any",
              help="Languages to build (ISO codes, comma-separated); articles detected to be in another are "
              "skipped with a warning. `any` builds every article whatever its language.")
@model_option
@handle_errors
def build(inputs: tuple[Path, ...], out_dir: Path | None, force: bool, store_location: str | None, jobs: int,
          engine: str, scheduler: str | None, failures_path: Path | None, language: str, model: str | None) -> None:
    """Build a graph from articles: .txt files, HTML pages, JSON Lines, JSON, or folders of them.

    Writes OUTPUT/graph.trig (the RDF graph, one named graph per article) and
    OUTPUT/graph.html (the interactive page), then prints a summary. Inputs
    that cannot be read are reported and skipped; the exit code is 1 if any were.

    With --store PATH, builds a corpus of any size into a store instead: in
    parallel (--jobs, or --engine dask), with progress on stderr, writing each
    article whole as it is done. Articles that fail are skipped and listed in
    the failures file; the exit code is 1 if any failed.
    """
    if store_location is not None:
        if out_dir is not None:
            raise KGError(f"-o {out_dir}: a build with --store writes only the store; leave out -o "
                          "(or build graph files without --store)")
        _build_store(inputs, store_location, jobs, engine, scheduler, failures_path, model, _languages(language))
        return
    for flag, given in (("--jobs", jobs != 1), ("--engine", engine != "local"), ("--scheduler", scheduler),
                        ("--failures", failures_path)):
        if given:
            raise KGError(f"{flag}: only used with --store; add --store PATH to build a corpus into a store")
    _build_files(inputs, out_dir or Path("output"), force, model, _languages(language))


def _build_files(inputs: Sequence[Path], out_dir: Path, force: bool, model: str | None,
                 languages: frozenset[str] | None) -> None:
    from kg.analyze import project
    from kg.build import build_dataset
    from kg.rdf import serialize, write_files_atomic
    from kg.visualize import page_html

    graph_path, page_path = out_dir / "graph.trig", out_dir / "graph.html"
    for path in (graph_path, page_path):
        if path.exists() and not force:
            raise KGError(f"{path}: already exists; use --force to overwrite it (or -o to write elsewhere)")
    ds, report = build_dataset(inputs, model=model, languages=languages)
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


def _build_store(inputs: Sequence[Path], location: str, jobs: int, engine: str, scheduler: str | None,
                 failures_path: Path | None, model: str | None, languages: frozenset[str] | None) -> None:
    from kg.corpus import build_corpus, count_articles, default_failures_path, write_failures
    from kg.progress import Progress
    from kg.store import open_store

    if scheduler and engine != "dask":
        raise KGError("--scheduler: only used with --engine dask")
    failures_path = failures_path or default_failures_path(location)
    progress = Progress(count_articles(inputs))
    store = open_store(location, create=True)
    try:
        report = build_corpus(inputs, store, jobs=jobs, engine=engine, scheduler=scheduler, model=model,
                              progress=progress, languages=languages)
        if report.reconciliation is not None:
            click.echo(f"kg: entities across articles: {report.reconciliation.summary()}", err=True)
    finally:
        progress.close()
        close = getattr(store, "close", None)
        if close:
            close()
    for failure in report.failures[:20]:
        click.echo(f"kg: skipped {failure.origin}: {failure.reason}", err=True)
    if len(report.failures) > 20:
        click.echo(f"kg: ... and {len(report.failures) - 20:,} more", err=True)
    write_failures(failures_path, report.failures)
    click.echo(report.summary())
    click.echo(f"wrote {location}" + (f"; failures listed in {failures_path}" if report.failures else ""))
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
