"""The ``kg`` command group."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg", prog_name="kg")
def main() -> None:
    """kg: build a knowledge graph of who did what to whom from news articles.

    Build with `kg build ARTICLE...`, then explore the graph with `kg triples`,
    `kg entities`, `kg query` and the page `kg build` writes beside it.
    """
