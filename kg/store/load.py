"""Loading graph files kg wrote into a store, one named graph per article."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

from kg.errors import GraphError
from kg.rdf.vocab import KG, SCHEMA

if TYPE_CHECKING:
    from kg.merge import Reconciliation

__all__ = ["LoadReport", "file_articles", "load_files", "graph_ntriples", "refresh_derived"]


@dataclass
class LoadReport:
    """What :func:`load_files` did: articles added, replaced, and left as they were (same content hash)."""

    files: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        """One line for the user.

        >>> LoadReport(2, 3, 1, 0).summary()
        '2 files: 3 articles added, 1 replaced, 0 unchanged'
        """
        return (f"{self.files} file{'s' * (self.files != 1)}: {self.added} article{'s' * (self.added != 1)} added, "
                f"{self.replaced} replaced, {self.unchanged} unchanged")


def graph_ntriples(graph: Graph) -> str:
    """The triples of ``graph`` as N-Triples lines, sorted."""
    from kg.rdf.model import nt_term

    def term(t) -> str:
        return f"_:{t}" if isinstance(t, BNode) else nt_term(t)

    return "".join(sorted(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in graph))


def _articles_in(g: Graph) -> set[URIRef]:
    found = {s for s in g.subjects(RDF.type, SCHEMA.NewsArticle) if isinstance(s, URIRef)}
    found |= {s for s in g.subjects(KG.contentHash, None) if isinstance(s, URIRef)}
    return found


def file_articles(ds: Dataset, source: str | Path) -> list[tuple[str, str, str | None]]:
    """The articles of a parsed kg graph file: ``(graph IRI, N-Triples, content hash or None)`` each.

    A named graph must be an article's own graph (named by the article it
    describes). Triples outside named graphs (Turtle has none) are accepted
    when they describe exactly one article, which they then become.

    Raises :class:`GraphError` for a graph that is not an article's, or for
    several articles flattened into one graph.
    """
    from kg.merge import RECONCILIATION_GRAPH
    from kg.summary import SUMMARY_GRAPH

    out: list[tuple[str, str, str | None]] = []
    for g in ds.graphs():
        if len(g) == 0 or g.identifier in (RECONCILIATION_GRAPH, SUMMARY_GRAPH):
            continue  # derived from the articles: recomputed once they are loaded
        if g.identifier == DATASET_DEFAULT_GRAPH_ID:
            articles = _articles_in(g)
            if len(articles) != 1:
                raise GraphError(
                    f"{source}: holds {len(articles) or 'no'} article{'s' * (len(articles) != 1)} outside named graphs "
                    "(a Turtle export?); kg cannot tell which triples belong to which article — load the TriG or "
                    "N-Quads export, which keeps one graph per article")
            iri = next(iter(articles))
        else:
            iri = g.identifier
            if not isinstance(iri, URIRef) or iri not in _articles_in(g):
                raise GraphError(
                    f"{source}: holds the graph <{iri}>, which is not a kg article's graph; "
                    "give a graph written by `kg build` or `kg export`")
        h = g.value(iri, KG.contentHash)
        out.append((str(iri), graph_ntriples(g), None if h is None else str(h)))
    return out


def load_files(store, paths: Iterable[str | Path], fmt: str | None = None,
               progress: Callable[[Path, int], None] | None = None) -> LoadReport:
    """Load kg graph files into ``store``: each file's articles replace theirs in one write.

    Every file is read and checked before anything is written, so a bad file
    leaves the store as it was. An article whose content hash the store
    already holds is left alone. ``progress(path, n)`` is called after each
    file is written.
    """
    from kg.rdf.io import load_graph

    paths = [Path(p) for p in paths]
    parsed = [(p, file_articles(load_graph(p, fmt), p)) for p in paths]
    report = LoadReport(files=len(paths))
    known = store.article_hashes()
    for path, articles in parsed:
        todo = []
        for iri, nt, h in articles:
            if h is not None and known.get(iri) == h:
                report.unchanged += 1
                continue
            if iri in known:
                report.replaced += 1
            else:
                report.added += 1
            todo.append((iri, nt))
            known[iri] = h or ""
        store.replace_articles(todo)
        if progress:
            progress(path, len(todo))
    if report.added or report.replaced:
        refresh_derived(store)
    return report


def refresh_derived(store, facts=None, compact_alongside: bool = False) -> Reconciliation:
    """Recompute the derived graphs (reconciliation, summary) after articles changed, then compact.

    ``facts``: the :class:`~kg.rdf.facts.ArticleFacts` of every article, when
    the caller has them (a build into an empty store); else the rows are read
    from the store. An embedded store is compacted at the end, or, with
    ``compact_alongside`` (only with ``facts``: nothing is read from the store
    meanwhile), in a background thread while the graphs are computed;
    Oxigraph compacts without the GIL. Files written during a compaction stay
    uncompacted, so this suits derived graphs that are written in one piece.
    """
    from kg.merge import reconcile_store
    from kg.summary import summarise_store

    optimize = getattr(store, "optimize", None)  # an embedded store: compact what was written
    waiting = _in_background(optimize) if optimize and facts is not None and compact_alongside else None
    try:
        found = reconcile_store(store, facts)
        summarise_store(store, facts)  # counts and rankings over the whole store, which the named queries read
    finally:
        if waiting:
            waiting()
    if optimize and not waiting:
        optimize()
    return found


def _in_background(work: Callable[[], None]) -> Callable[[], None]:
    """Start ``work`` in a thread; return a function that waits for it and raises what it raised."""
    error: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as e:  # raised again by the waiting thread
            error.append(e)

    thread = threading.Thread(target=run, name="kg-compact", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if error:
            raise error[0]

    return wait
