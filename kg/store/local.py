"""The embedded store: Oxigraph on disk, one named graph per article."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import StoreError
from kg.rdf.vocab import KG

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Dataset

__all__ = ["LocalStore"]

_HASHES = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{KG.contentHash}> ?h }} }}"


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

    def _check_path(self, create: bool) -> None:
        p = self.path
        if p.exists() and not p.is_dir():
            raise StoreError(f"{p}: is a file, not a store; give a folder (kg build ... --store FOLDER)")
        if p.is_dir() and any(p.iterdir()) and not (p / "CURRENT").is_file():
            raise StoreError(f"{p}: is a folder but not a kg store; give an empty or new folder, or an existing store")
        if not (p / "CURRENT").is_file() and not create:
            raise StoreError(f"{p}: no store here; create one with `kg build ARTICLES --store {p}`")

    # -- reading -------------------------------------------------------------

    @property
    def ox(self) -> pyoxigraph.Store:
        """The underlying :class:`pyoxigraph.Store`."""
        return self._ox

    def dataset(self) -> Dataset:
        """An rdflib dataset over the store (queries run inside Oxigraph); its default graph is the union."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        from kg.rdf.vocab import bind_prefixes

        ds = Dataset(store=OxigraphStore(store=self._ox), default_union=True)
        bind_prefixes(ds)
        return ds

    def article_hashes(self) -> dict[str, str]:
        """The content hash of every article in the store, by article IRI."""
        return {sol["g"].value: sol["h"].value for sol in self._ox.query(_HASHES)}

    def __len__(self) -> int:
        return len(self._ox)

    def graph_iris(self) -> list[str]:
        """The IRIs of the named graphs in the store, sorted."""
        return sorted(g.value for g in self._ox.named_graphs())

    def nquads(self) -> bytes:
        """The whole store as N-Quads (one named graph per article)."""
        import pyoxigraph

        return self._ox.dump(format=pyoxigraph.RdfFormat.N_QUADS)

    def trig(self) -> bytes:
        """The whole store as TriG with kg's prefixes."""
        import pyoxigraph

        from kg.rdf.vocab import PREFIXES

        return self._ox.dump(format=pyoxigraph.RdfFormat.TRIG, prefixes={p: str(ns) for p, ns in PREFIXES.items()})

    # -- writing -------------------------------------------------------------

    def replace_article(self, graph_iri: str, triples_nt: str) -> None:
        """Replace the named graph ``graph_iri`` with ``triples_nt`` (N-Triples lines) in one transaction."""
        self.replace_articles([(graph_iri, triples_nt)])

    def replace_articles(self, articles: list[tuple[str, str]]) -> None:
        """Replace several articles' named graphs in one transaction (all of them or none)."""
        if not articles:
            return
        drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g, _ in articles)
        inserts = "\n".join(f"GRAPH <{g}> {{\n{nt}}}" for g, nt in articles)
        self._write(f"{drops} ;\nINSERT DATA {{\n{inserts}\n}}")

    def remove_article(self, graph_iri: str) -> None:
        """Remove one article's named graph."""
        self._write(f"DROP SILENT GRAPH <{graph_iri}>")

    def _write(self, update: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write")
        try:
            self._ox.update(update)
        except OSError as e:
            raise StoreError(f"{self.path}: write failed ({e}); the store keeps its previous content") from e

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
