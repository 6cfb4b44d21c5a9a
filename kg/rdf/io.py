"""Reading and writing kg graphs in the standard RDF formats."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF

from kg.errors import GraphError, OutputError
from kg.rdf.vocab import KG, SCHEMA, bind_prefixes

__all__ = ["FORMATS", "format_for", "load_graph", "save_dataset", "write_atomic", "write_files_atomic",
           "is_kg_graph"]

#: Format names (as given to ``--format``) and the rdflib parser/serialiser for each.
FORMATS = {"trig": "trig", "turtle": "turtle", "nquads": "nquads", "jsonld": "json-ld"}
SUFFIXES = {".trig": "trig", ".ttl": "turtle", ".turtle": "turtle", ".nq": "nquads", ".nquads": "nquads",
            ".jsonld": "jsonld", ".json": "jsonld"}


def format_for(path: str | Path, given: str | None = None) -> str:
    """The format of a graph file: ``given``, else from its suffix.

    >>> format_for("out/graph.nq")
    'nquads'
    """
    if given:
        if given not in FORMATS:
            raise GraphError(f"unknown graph format {given!r}; use one of {', '.join(FORMATS)}")
        return given
    fmt = SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise GraphError(
            f"{path}: cannot tell the graph format from the suffix; use .trig, .ttl, .nq or .jsonld, or give --format"
        )
    return fmt


def is_kg_graph(ds: Dataset) -> bool:
    """True when ``ds`` holds kg articles (an empty graph counts as kg's too)."""
    if len(ds) == 0:
        return True
    return any(True for _ in ds.triples((None, KG.contentHash, None))) or any(
        True for _ in ds.triples((None, RDF.type, SCHEMA.NewsArticle))
    )


def load_graph(path: str | Path, fmt: str | None = None) -> Dataset:
    """Parse a graph file that kg wrote into a dataset whose default graph is the union.

    Raises :class:`GraphError` if the file is missing, does not parse, or was not written by kg.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file; build one with `kg build` or check the path")
    fmt = format_for(path, fmt)
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    try:
        data = path.read_bytes()
        if not data.strip():
            return ds
        ds.parse(data=data, format=FORMATS[fmt], publicID=str(path.resolve().as_uri()))
    except OSError as e:
        raise GraphError(f"{path}: cannot be read ({e.strerror or e})") from e
    except Exception as e:  # rdflib raises many unrelated types for malformed input
        first = str(e).strip().splitlines()[0][:300] if str(e).strip() else type(e).__name__
        raise GraphError(f"{path}: is not valid {fmt} ({first}); is it a graph kg wrote?") from e
    if not is_kg_graph(ds):
        raise GraphError(f"{path}: parses as RDF but holds no kg articles; give a graph written by `kg build`")
    return ds


def _write_problem(path: Path, e: OSError, action: str) -> OutputError:
    """An :class:`OutputError` that says why ``path`` could not be written and what to do."""
    if e.errno == errno.ENOSPC or e.errno == errno.EDQUOT:
        what, todo = "the disk is full", "free some space or write elsewhere with -o"
    elif e.errno in (errno.EACCES, errno.EPERM):
        what, todo = "permission denied", "make the folder writable or write elsewhere with -o"
    elif e.errno == errno.EROFS:
        what, todo = "the file system is read-only", "write elsewhere with -o"
    else:
        what, todo = f"{e.strerror or e}", "check the folder and the disk, or write elsewhere with -o"
    return OutputError(f"{path}: {action}: {what}; {todo}; nothing was changed there")


def write_files_atomic(files: Sequence[tuple[str | Path, bytes]], force: bool = False) -> None:
    """Write several files as one: every temporary file is written first, then all are renamed.

    An existing file is kept unless ``force``. If any write fails (disk full,
    permission denied) no file is replaced, the previous ones stay as they
    were and no temporary file remains. Raises :class:`OutputError`.
    """
    targets = [(Path(p), data) for p, data in files]
    for path, _ in targets:
        if path.exists() and not force:
            raise OutputError(f"{path}: already exists; use --force to overwrite it (or write elsewhere)")
        if path.is_dir():
            raise OutputError(f"{path}: is a folder; remove it or write elsewhere")
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in targets:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            except OSError as e:
                raise _write_problem(path, e, "cannot write in this folder") from e
            temps.append((tmp, path))
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                if path.exists():
                    os.chmod(tmp, path.stat().st_mode & 0o777)
                else:
                    os.chmod(tmp, 0o666 & ~_umask())
            except OSError as e:
                raise _write_problem(path, e, "could not be written") from e
        for tmp, path in temps:
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise _write_problem(path, e, "could not be replaced") from e
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    An existing file is kept unless ``force``. On any failure the previous file
    (if any) is left as it was and no temporary file remains.
    """
    write_files_atomic([(path, data)], force=force)


def serialize(ds: Dataset, fmt: str) -> bytes:
    """Serialise a dataset in one of :data:`FORMATS`."""
    if fmt == "turtle":
        # Turtle has no named graphs: write the union of all graphs but the summary
        # (corpus-wide counts, which kg recomputes when the file is loaded or merged)
        from rdflib import Graph

        from kg.summary import SUMMARY_GRAPH

        g = Graph()
        bind_prefixes(g)
        for part in ds.graphs():
            if part.identifier != SUMMARY_GRAPH:
                for t in part:
                    g.add(t)
        return g.serialize(format="turtle", encoding="utf-8")
    return ds.serialize(format=FORMATS[fmt], encoding="utf-8")


def save_dataset(ds: Dataset, path: str | Path, fmt: str | None = None, force: bool = False) -> None:
    """Serialise ``ds`` to ``path`` atomically in the format given or implied by the suffix."""
    write_atomic(path, serialize(ds, format_for(path, fmt)), force=force)
