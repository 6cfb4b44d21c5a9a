"""The embedded store: Oxigraph on disk, one named graph per article."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import StoreError
from kg.rdf.vocab import BASE, KG

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Dataset

__all__ = ["LocalStore"]

#: Named graphs derived from the articles (kg.merge's reconciliation, kg.summary's figures).
DERIVED_GRAPHS = ("reconciliation", "summary")
#: Characters of N-Triples loaded at a time when a derived graph is rewritten.
REWRITE_PIECE_CHARS = 8_000_000

#: Bytes the bulk loader reads at a time.
_READ_BYTES = 1 << 20

_HASHES = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{KG.contentHash}> ?h }} }}"


def replace_update(articles: list[tuple[str, str]], union: str | None = None) -> str:
    """The SPARQL Update that replaces article graphs and keeps the union graph in step.

    The union graph (the default graph, or the named graph ``union``) holds
    every triple of every article once: SPARQL counts over a union that
    repeats a triple stated by two articles would count it twice, and
    Oxigraph's (like most servers') union of named graphs does repeat them.
    An old article's triples leave the union unless another article still
    states them.
    """
    ops = [remove_update(g, union) for g, _ in articles]
    inserts = "\n".join(f"GRAPH <{g}> {{\n{nt}}}" for g, nt in articles)
    ops.append(f"INSERT DATA {{\n{inserts}\n}}")
    ops.extend(f"INSERT {{ {_in_union(union)} }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}" for g, _ in articles)
    return " ;\n".join(ops)


def remove_update(graph_iri: str, union: str | None = None) -> str:
    """The SPARQL Update that drops one article graph and takes out of the union what no other article states."""
    others = f"?other != <{graph_iri}>" + (f" && ?other != <{union}>" if union else "")
    return (f"DELETE {{ {_in_union(union)} }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER({others}) }} }} ;\n"
            f"DROP SILENT GRAPH <{graph_iri}>")


def _in_union(union: str | None) -> str:
    return f"GRAPH <{union}> {{ ?s ?p ?o }}" if union else "?s ?p ?o"


class LocalStore:
    """An Oxigraph store in a folder.

    Opened for writing, it holds the folder's lock until :meth:`close`, so a
    second build into the same store is refused with a clear message instead
    of interleaving with the first.
    """

    def __init__(self, path: Path, *, create: bool = False, read_only: bool = False) -> None:
        import pyoxigraph

        self.path = Path(path)
        self.location = str(self.path)
        self._check_path(create)
        try:
            if read_only:
                self._ox: pyoxigraph.Store = pyoxigraph.Store.read_only(str(self.path))
            else:
                self._ox = pyoxigraph.Store(str(self.path))
        except (OSError, RuntimeError) as e:
            raise StoreError(_open_error(self.path, e, read_only)) from e
        self.read_only = read_only
        self._known: set[str] | None = None  # named graphs, once add_articles needs them
        if not read_only and self._lacks_union():
            # a store written before the union graph was kept: fill it once
            self._write("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def _lacks_union(self) -> bool:
        import pyoxigraph

        has_named = next(iter(self._ox.named_graphs()), None) is not None
        return has_named and next(iter(self._ox.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None) is None

    def _check_path(self, create: bool) -> None:
        p = self.path
        if p.exists() and not p.is_dir():
            raise StoreError(f"{p}: is a file, not a store; give a folder (kg build ... --store FOLDER)")
        if p.is_dir() and any(p.iterdir()) and not (p / "CURRENT").is_file():
            raise StoreError(f"{p}: is a folder but not a kg store; give an empty or new folder, or an existing store")
        if not (p / "CURRENT").is_file() and not create:
            raise StoreError(f"{p}: no store here; create one with `kg build ARTICLES --store {p}`")
        if create and not p.exists():
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"{p}: cannot create the store's folder ({e.strerror or e}); choose another place") from e

    # -- reading -------------------------------------------------------------

    @property
    def ox(self) -> pyoxigraph.Store:
        """The underlying :class:`pyoxigraph.Store`."""
        return self._ox

    def dataset(self) -> Dataset:
        """An rdflib dataset over the store (queries run inside Oxigraph); its default graph is the union of the articles.

        The union is a set: a triple two articles state is in it once.
        """
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        from kg.rdf.vocab import bind_prefixes

        # an older store opened read-only has no union graph yet: fall back to Oxigraph's (which repeats triples)
        ds = Dataset(store=OxigraphStore(store=self._ox), default_union=self._lacks_union())
        bind_prefixes(ds)
        return ds

    def article_hashes(self) -> dict[str, str]:
        """The content hash of every article in the store, by article IRI."""
        return {sol["g"].value: sol["h"].value for sol in self._ox.query(_HASHES)}

    def __len__(self) -> int:
        """The number of quads in the article graphs."""
        derived = " && ".join(f"?g != <{BASE}graph/{name}>" for name in DERIVED_GRAPHS)
        n = self._ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({derived}) }}")
        return int(next(iter(n))["n"].value)

    def graph_iris(self) -> list[str]:
        """The IRIs of the article graphs in the store, sorted (the derived graphs left out)."""
        derived = {f"{BASE}graph/{name}" for name in DERIVED_GRAPHS}
        return sorted(g.value for g in self._ox.named_graphs() if g.value not in derived)

    def _articles_only(self) -> pyoxigraph.Store:
        import pyoxigraph

        out = pyoxigraph.Store()
        out.bulk_extend(q for q in self._ox if not isinstance(q.graph_name, pyoxigraph.DefaultGraph))
        return out

    def nquads(self) -> bytes:
        """The article graphs as N-Quads (one named graph per article; the union graph left out)."""
        import pyoxigraph

        return self._articles_only().dump(format=pyoxigraph.RdfFormat.N_QUADS)

    def trig(self) -> bytes:
        """The article graphs as TriG with kg's prefixes."""
        import pyoxigraph

        from kg.rdf.vocab import PREFIXES

        return self._articles_only().dump(format=pyoxigraph.RdfFormat.TRIG,
                                          prefixes={p: str(ns) for p, ns in PREFIXES.items()})

    # -- writing -------------------------------------------------------------

    def replace_article(self, graph_iri: str, triples_nt: str) -> None:
        """Replace the named graph ``graph_iri`` with ``triples_nt`` (N-Triples lines) in one transaction."""
        self.replace_articles([(graph_iri, triples_nt)])

    def replace_articles(self, articles: list[tuple[str, str]]) -> None:
        """Replace several articles' named graphs in one transaction (all of them or none)."""
        if not articles:
            return
        self._write(replace_update(articles))
        if self._known is not None:
            self._known.update(g for g, _ in articles)

    def add_articles(self, articles: list[tuple[str, str]]) -> None:
        """Write articles: those new to the store through Oxigraph's bulk loader, the others replaced.

        The bulk loader sorts the quads into files that RocksDB takes in all
        at once (every index in one atomic ingestion), about half the CPU of a
        transactional insert; nothing it writes is visible before the whole
        batch is. An article already in the store is replaced by
        :meth:`replace_articles`, which also takes its old triples out of the
        union. Each call must hold fewer quads than the loader's batch (a
        million); :mod:`kg.corpus` writes at most 100,000 (50,000 triples, each
        in its graph and the union) at a time, as the loader's memory grows with them.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write")
        if self._known is None:
            self._known = {g.value for g in self._ox.named_graphs()}
        new = [(g, nt) for g, nt in articles if g not in self._known]
        old = [(g, nt) for g, nt in articles if g in self._known]
        if new:
            self._bulk_load(new)
            self._known.update(g for g, _ in new)
        if old:
            self.replace_articles(old)

    def rewrite_graph(self, graph_iri: str, triples_nt: str) -> None:
        """Replace a graph derived from the articles (reconciliation, summary), however large.

        The old graph is removed, then the new one bulk-loaded: two steps, not
        one transaction (a kill in between leaves the graph missing until the
        next build recomputes it), but without parsing hundreds of thousands
        of triples as one SPARQL update, which holds them all in memory.
        """
        self.remove_article(graph_iri)
        # a few megabytes at a time: the quads text of the whole graph would be twice its size again
        for piece in _line_pieces(triples_nt, REWRITE_PIECE_CHARS):
            self._bulk_load([(graph_iri, piece)])
        if self._known is not None:
            self._known.add(graph_iri)

    def _bulk_load(self, graphs: list[tuple[str, str]]) -> None:
        """Bulk-load ``(graph IRI, N-Triples)`` pairs into their named graphs and the union."""
        import pyoxigraph

        # every N-Triples line ends in " .\n" (line breaks in literals are escaped); the same
        # triples without a graph name go into the default graph, the union of the articles.
        # The loader reads them graph by graph: the N-Quads text of a whole batch, on top of
        # the loader's own memory, took a third more at the peak
        quads = ((nt.replace(" .\n", f" <{g}> .\n") + nt).encode("utf-8") for g, nt in graphs)
        try:
            self._ox.bulk_load(io.BufferedReader(_ChunksReader(quads), _READ_BYTES),
                               format=pyoxigraph.RdfFormat.N_QUADS)
        except OSError as e:
            raise StoreError(f"{self.path}: write failed ({e}); the store keeps its previous content") from e

    def remove_article(self, graph_iri: str) -> None:
        """Remove one article's named graph."""
        self._write(remove_update(graph_iri))
        if self._known is not None:
            self._known.discard(graph_iri)

    def _write(self, update: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write")
        try:
            self._ox.update(update)
        except OSError as e:
            raise StoreError(f"{self.path}: write failed ({e}); the store keeps its previous content") from e

    def optimize(self) -> None:
        """Compact the store's files after a large write, which makes reads several times faster.

        A bulk load leaves many small files that every read consults until
        RocksDB compacts them, and a store opened read-only never does: on
        the shared corpus, a query took 38 ms on a freshly built store and
        7 ms after this (about 14 s for 3.3 million quads).
        """
        if self.read_only:
            return
        try:
            self._ox.optimize()
        except OSError as e:
            raise StoreError(f"{self.path}: compacting failed ({e}); the store keeps its content, "
                             "queries may be slower") from e

    def flush(self) -> None:
        """Make sure everything written is on disk."""
        if not self.read_only:
            self._ox.flush()

    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        if getattr(self, "_ox", None) is not None:
            try:
                self.flush()
            finally:
                del self._ox
                self._ox = None  # type: ignore[assignment]

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _line_pieces(text: str, size: int):
    """``text`` in pieces of about ``size`` characters, each ending at a line end."""
    start = 0
    while start < len(text):
        end = text.find("\n", min(start + size, len(text)) - 1)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _open_error(path: Path, e: Exception, read_only: bool) -> str:
    text = str(e)
    low = text.lower()
    if read_only and isinstance(e, RuntimeError):
        # RocksDB cannot open a read-only view while a writer is changing the files
        return f"{path}: store is being written by another kg process; retry when it finishes"
    if "lock" in low:
        return f"{path}: store is in use by another kg process (locked); wait for it to finish, then retry"
    if "permission" in low or "read-only" in low:
        hint = "" if read_only else "; check the folder's permissions, or read it with a read command"
        return f"{path}: store cannot be opened for writing ({text.splitlines()[0]}){hint}"
    return f"{path}: store cannot be opened ({text.splitlines()[0] if text else type(e).__name__})"


class _ChunksReader(io.RawIOBase):
    """A binary file that reads from an iterator of byte strings, holding one at a time.

    >>> io.BufferedReader(_ChunksReader(iter([b"ab", b"", b"cde"])), 2).read()
    b'abcde'
    """

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._view = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        while not self._view:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._view = memoryview(chunk)
        n = min(len(buffer), len(self._view))
        buffer[:n] = self._view[:n]
        self._view = self._view[n:]
        return n
