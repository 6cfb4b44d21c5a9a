"""Building a whole corpus into a store: streaming, in parallel, resumable.

The main process reads articles one at a time and skips those already in the
store with the same content hash (before any parsing). The others go, a few
articles per task, to workers that parse, extract, resolve and map them to RDF
and hand back compact results (the article's graph IRI and N-Triples text). The
main process writes the results into the store from a background thread, many
articles per transaction and every article whole, so a build killed at any
moment leaves a store that a re-run completes to exactly what an uninterrupted
build gives. An article that fails anywhere is recorded and skipped.

Workers are, by engine:

- ``local`` with one job: one process that only parses (spaCy), handing each
  article's Docs back as a ``DocBin`` while the main process extracts,
  resolves and maps the chunk before; the pieces of the last chunk it builds
  whole, while the main process finishes the chunks before. Whenever the
  main process has nothing of the worker's to finish (while the worker
  starts, when it keeps ahead, at the end) it builds the next few articles
  itself with its own copy of the model (a short build, or one given a
  loaded pipeline, runs all in the main process);
- ``local`` with N jobs: N processes, each with its own copy of the model,
  restarted every :data:`RESTART_AFTER` articles so spaCy's string store
  cannot grow without end;
- ``dask``: the workers of a Dask cluster (``dask.distributed``), each
  loading the model once.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kg.errors import InputError, KGError, StoreError
from kg.ingest import JSONL_SUFFIXES, TEXT_SUFFIXES, Problem, read_articles
from kg.records import Article

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.rdf.facts import ArticleFacts
    from kg.merge import Reconciliation

    from kg.progress import Progress

__all__ = [
    "Built",
    "Failure",
    "CorpusReport",
    "build_corpus",
    "build_articles",
    "count_articles",
    "write_failures",
    "default_failures_path",
    "ENGINES",
    "MAX_ARTICLE_CHARS",
]

ENGINES = ("local", "dask")

#: Longer articles are refused: parsing one holds all its pieces in memory at
#: once, and no news article comes near a million characters.
MAX_ARTICLE_CHARS = 1_000_000
#: Articles per task sent to a worker.
CHUNK_ARTICLES = 8
#: Characters of text per task, at most, for each article it may hold: a news article has
#: 2,000-5,000, so long pages go fewer to a task.
CHUNK_CHARS_PER_ARTICLE = 5_000
#: Articles per ``nlp.pipe`` call in a one-job build: enough texts to fill
#: spaCy's batches (small batches parse more slowly per word).
INLINE_CHUNK_ARTICLES = 64
#: Articles per task sent to the parsing process of a one-job build: small
#: enough that little is left to extract once the last one is parsed.
PIPELINE_CHUNK_ARTICLES = 32
#: The first and the last chunk of a one-job build go to the parsing process in pieces of this many.
PIPELINE_PIECE_ARTICLES = 8
#: The main process of a one-job build, when it builds articles itself, takes at most this many characters at a
#: time (some 8 news articles): it also holds the store's writes, so its memory is the build's largest part.
HELPER_PIECE_CHARS = 20_000
#: A one-job build of fewer articles than this parses in its own process:
#: starting a parsing process costs more than it saves.
PIPELINE_MIN_ARTICLES = 2 * PIPELINE_CHUNK_ARTICLES
#: Texts per ``nlp.pipe`` batch.
BATCH_SIZE = 64
#: Triples per store write, at most: whole articles are never split, so a larger article goes alone.
WRITE_TRIPLES = 50_000
#: Work done is written at least this often, whatever the batch holds.
WRITE_SECONDS = 2.0
#: The store is flushed to disk after this many triples, which keeps its memory flat.
FLUSH_TRIPLES = 200_000
#: The facts for the derived graphs are kept for builds of up to this many
#: relations (about 0.7 kB each, some 5,000 news articles); a larger build
#: reads them back from the store at the end instead, so memory stays bounded.
FACTS_MAX_RELATIONS = 300_000
#: A build into an empty store of up to this many relations compacts the store while it
#: computes the derived graphs. Files written during a compaction stay uncompacted: the
#: derived graphs of such a build (some 8 MB of N-Triples, one piece of
#: :data:`kg.store.local.REWRITE_PIECE_CHARS`) add one bulk load's files, while
#: those of the whole shared corpus (50 MB, seven loads) left every query 15-20 % slower,
#: so a larger build compacts after writing them.
COMPACT_ALONGSIDE_RELATIONS = 18_000
#: A worker process is replaced after this many articles (spaCy's string store
#: only grows while a model lives).
RESTART_AFTER = 1_000
#: Tasks queued per worker beyond the one it runs, so workers never wait.
QUEUED_PER_WORKER = 2

FAILURES_HEADER = ("article", "origin", "stage", "reason")


@dataclass(frozen=True)
class Built:
    """One article built: its graph as N-Triples text, ready for the store."""

    article_id: str
    graph_iri: str
    ntriples: str
    triples: int
    relations: int
    facts: ArticleFacts | None = None


@dataclass(frozen=True)
class Failure:
    """An article (or input line) that was skipped, the stage where it failed and why.

    ``stage`` is one of ``input``, ``nlp`` (parse or extraction), ``resolve``,
    ``rdf``, ``store`` or ``worker`` (the worker process died).
    """

    article: str
    origin: str
    stage: str
    reason: str



@dataclass
class CorpusReport:
    """What a corpus build did."""

    total: int | None = None
    built: int = 0
    unchanged: int = 0
    relations: int = 0
    triples: int = 0
    failures: list[Failure] = field(default_factory=list)
    skipped_files: int = 0
    seconds: float = 0.0
    reconciliation: Reconciliation | None = None

    @property
    def done(self) -> int:
        return self.built + self.unchanged + len(self.failures)

    def summary(self) -> str:
        """One line for people.

        >>> CorpusReport(built=3, unchanged=1, relations=7, triples=90, seconds=2.0).summary()
        '4 articles: 3 built, 1 unchanged, 0 failed; 7 relations, 90 triples written; 1.5 articles/s'
        """
        n = self.done
        parts = [f"{n:,} article{'' if n == 1 else 's'}: {self.built:,} built, {self.unchanged:,} unchanged, "
                 f"{len(self.failures):,} failed"]
        parts.append(f"{self.relations:,} relations, {self.triples:,} triples written")
        if self.skipped_files:
            parts.append(f"{self.skipped_files:,} non-article file{'' if self.skipped_files == 1 else 's'} skipped")
        if self.seconds > 0:
            parts.append(f"{self.built / self.seconds:.1f} articles/s")
        return "; ".join(parts)


class ArticleStore(Protocol):
    """What a corpus build needs of a store (local or remote)."""

    def article_hashes(self) -> dict[str, str]: ...
    def replace_articles(self, articles: list[tuple[str, str]]) -> None: ...


# -- the work of one task: articles in, compact results out ---------------------


_MALLOC_TRIM: Any = None


def _release_memory() -> None:
    """Give the memory freed since the last call back to the system.

    glibc keeps freed memory for the process to reuse, so after a long article
    (a parse of a 100,000-character page takes some 100 MB) a process stays
    that large for good, and a long build ratchets up to the sum of its worst
    moments. ``malloc_trim`` returns the free pages; elsewhere than glibc this
    does nothing.
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


def _reason(e: BaseException) -> str:
    text = " ".join(str(e).split()) or "(no message)"
    if len(text) > 300:
        text = text[:299] + "…"
    return f"{type(e).__name__}: {text}"


def _failure(article: Article, stage: str, reason: str) -> Failure:
    return Failure(article.id, article.origin or article.id, stage, reason)


def _finish(analysis: Any) -> Built | Failure:
    """Resolve an analysed article and map it to N-Triples; failures are returned, not raised."""
    from kg.rdf.facts import article_facts
    from kg.rdf.model import article_iri, article_triples, nt_term
    from kg.resolve import resolve_article

    article = analysis.article
    try:
        resolved = resolve_article(analysis)
    except Exception as e:  # any bug or bad data in one article must not stop the corpus
        return _failure(article, "resolve", _reason(e))
    try:
        triples = article_triples(resolved)
        graph_iri = str(article_iri(article.id))
        # two relations can state the same plain triple: send each once
        lines = dict.fromkeys(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples)
        return Built(article.id, graph_iri, "".join(lines), len(lines), len(resolved.relations),
                     article_facts(graph_iri, triples))
    except Exception as e:
        return _failure(article, "rdf", _reason(e))


def build_articles(articles: Sequence[Article], nlp: Language, batch_size: int = BATCH_SIZE) -> list[Built | Failure]:
    """Parse, extract, resolve and map ``articles`` to RDF; one result per article, in order.

    Never raises for a bad article: when a batch fails, the articles not yet
    done are retried one by one, so only the bad one is returned as a
    :class:`Failure`.
    """
    from kg.nlp import analyse_articles

    return _one_by_one_on_failure(
        articles, lambda batch: (_finish(a) for a in analyse_articles(batch, nlp, batch_size=batch_size)))


def _one_by_one_on_failure(articles: Sequence[Article], run: Callable[[Sequence[Article]], Iterable]) -> list:
    """``run(articles)`` as a list; when it raises, the articles not yet done are run one by one,
    so only the one that fails becomes a :class:`Failure` (stage ``nlp``)."""
    out: list = []
    try:
        out.extend(run(articles))
    except Exception as e:
        if len(articles) == 1:
            return [_failure(articles[0], "nlp", _reason(e))]
        for article in articles[len(out):]:
            out.extend(_one_by_one_on_failure([article], run))
    return out


@dataclass(frozen=True)
class Parsed:
    """One article parsed in a worker process, its Docs serialised for the extracting process."""

    article: Article
    lang: str
    packed: tuple[bytes, tuple[int, ...]]


def parse_chunk(articles: Sequence[Article], nlp: Language, batch_size: int = BATCH_SIZE) -> list[Parsed | Failure]:
    """Parse ``articles`` and serialise their Docs; one result per article, in order, never raising for one."""
    from kg.nlp.pipeline import pack_parsed, parse_articles

    return _one_by_one_on_failure(
        articles, lambda batch: (Parsed(article, nlp.lang, pack_parsed(parts))
                                 for article, parts in parse_articles(batch, nlp, batch_size=batch_size)))


def finish_parsed(parsed: Parsed) -> Built | Failure:
    """Extract, resolve and map an article parsed elsewhere; failures are returned, not raised."""
    from kg.nlp.pipeline import analyse_parsed, unpack_parsed

    try:
        analysis = analyse_parsed(parsed.article, unpack_parsed(parsed.packed, parsed.lang))
    except Exception as e:
        return _failure(parsed.article, "extract", _reason(e))
    return _finish(analysis)


# -- reading the corpus ----------------------------------------------------------


def _files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    if isinstance(inputs, (str, Path)):  # one path, not the characters of one
        inputs = [inputs]
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from (Path(root) / f for f in sorted(files) if not f.startswith("."))
        elif path.is_file():
            yield path


def count_articles(inputs: Iterable[str | Path]) -> int | None:
    """How many articles the inputs hold, counted cheaply: non-blank lines of JSON Lines, text files.

    Returns ``None`` (unknown) when a ``.json`` file is among them (it may hold
    a list). Broken lines count too: they are reported as they are met.
    """
    total = 0
    for path in _files(inputs):
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            try:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                continue
        elif suffix == ".json":
            return None
        elif suffix in TEXT_SUFFIXES:
            total += 1
    return total


class _Reader:
    """Streams the articles to build, recording the ones that cannot or need not be."""

    def __init__(self, inputs: Iterable[str | Path], known: dict[str, str], report: CorpusReport,
                 progress: Progress | None, max_chars: int) -> None:
        self.inputs, self.known, self.report = inputs, known, report
        self.progress, self.max_chars = progress, max_chars
        self.seen: dict[str, str] = {}
        self.languages: Collection[str] | None = None
        self.lock = threading.Lock()

    def fail(self, failure: Failure) -> None:
        with self.lock:
            self.report.failures.append(failure)
        if self.progress:
            self.progress.add(failed=1)

    def _problem(self, problem: Problem) -> None:
        self.fail(Failure(problem.origin, problem.origin, "input", problem.reason))

    def _skip(self, _path: Path) -> None:
        self.report.skipped_files += 1

    def __iter__(self) -> Iterator[Article]:
        from kg.rdf.model import article_iri

        for article in read_articles(self.inputs, on_problem=self._problem, on_skip=self._skip,
                                     languages=self.languages):
            iri = str(article_iri(article.id))
            origin = article.origin or article.id
            if iri in self.seen:
                self.fail(_failure(article, "input", f"duplicate id {article.id!r} (first at {self.seen[iri]}); "
                                                    "kept the first, give every article its own id"))
                continue
            self.seen[iri] = origin
            if len(article.text) > self.max_chars:
                self.fail(_failure(article, "input", f"article is {len(article.text):,} characters, more than the "
                                                    f"limit of {self.max_chars:,}; split it into several articles"))
                continue
            if self.known.get(iri) == article.content_hash:
                self.report.unchanged += 1
                if self.progress:
                    self.progress.add(unchanged=1)
                continue
            yield article


def _chunks(articles: Iterable[Article], size: int, ends: int | None = None) -> Iterator[list[Article]]:
    """``articles`` in lists of ``size``; with ``ends``, the first and the final list are cut into lists of
    that many.

    A list also holds at most ``size`` times :data:`CHUNK_CHARS_PER_ARTICLE`
    characters of text (a longer article goes alone): a worker's memory grows
    with the text of its task, and a few long pages in one task made the
    largest peaks of a build.

    The one-job pipeline extracts a chunk after the worker has parsed it: a
    small first chunk gives the extracting process its first work sooner,
    and small last ones (:class:`_Tail`, built whole by whichever process
    takes them) keep short what remains once the parsing ends. Each chunk is handed on once
    the next is read, which is how the last one is known.

    >>> [len(c) for c in _chunks([Article(str(i), "x", ()) for i in range(96)], 32, 8)]
    [8, 8, 8, 8, 32, 8, 8, 8, 8]
    >>> [len(c) for c in _chunks([Article(str(i), "x" * n, ()) for i, n in enumerate([9_000] * 4 + [50_000, 1])], 8)]
    [4, 1, 1]
    """
    from kg.nlp.pipeline import bounded_batches

    chunks = bounded_batches(articles, size, size * CHUNK_CHARS_PER_ARTICLE, lambda a: len(a.text))
    chunk, first = next(chunks, None), True
    while chunk:
        following = next(chunks, None)
        if ends and (first or not following):
            piece = list if following else _Tail
            for i in range(0, len(chunk), ends):
                yield piece(chunk[i:i + ends])
        else:
            yield chunk
        chunk, first = following, False


class _Tail(list):
    """A piece of the last chunk of a one-job build, which the parsing worker builds whole.

    Once the parsing ends, the main process still has the chunks before it to
    extract; the worker, idle otherwise, takes the extraction of the last
    pieces off it. (A piece the main process takes while idle it builds
    whole too, as it does every piece it takes.)
    """


# -- writing ---------------------------------------------------------------------


class _SpilledFacts:
    """The facts of the articles written, kept in a temporary file until the derived graphs need them.

    Kept in memory they would grow with the corpus (some 80 MB for two
    thousand articles) while the workers are at their largest; read back at
    the end, they are in memory only once the parsing is done.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="kg-facts-")
        self.relations = 0

    def add(self, batch: list[Built]) -> bool:
        """Keep the facts of ``batch``; False when they cannot all be kept (an article has none, or too many)."""
        if any(b.facts is None for b in batch):
            return False
        self.relations += sum(len(b.facts.relations) for b in batch)
        if self.relations > FACTS_MAX_RELATIONS:
            return False
        pickle.dump([b.facts for b in batch], self.file, protocol=pickle.HIGHEST_PROTOCOL)
        return True

    def read(self) -> list[ArticleFacts]:
        """Every article's facts, the last kept for a graph winning, with IRIs and labels interned."""
        self.file.seek(0)
        by_graph: dict[str, ArticleFacts] = {}
        while True:
            try:
                batch = pickle.load(self.file)
            except EOFError:
                break
            by_graph.update((f.graph, f.interned()) for f in batch)
        return list(by_graph.values())

    def close(self) -> None:
        self.file.close()


class _Writer:
    """Writes built articles into the store from a background thread, many per transaction.

    Oxigraph works without holding the GIL, so writing overlaps with parsing.
    A batch the store rejects is retried article by article, so only the bad
    article fails; a :class:`StoreError` (disk full, lost lock) stops the build.
    """

    def __init__(self, store: ArticleStore, report: CorpusReport, progress: Progress | None,
                 batch_triples: int = WRITE_TRIPLES, keep_facts: bool = False) -> None:
        self.store, self.report, self.progress = store, report, progress
        self.batch_triples = batch_triples
        self.pending: list[Built] = []
        self.pending_triples = 0
        self.last_flush = time.monotonic()
        self.unflushed = 0
        self.error: BaseException | None = None
        #: the facts of every article written, for the derived graphs; None when not wanted,
        #: or once an article has none or they pass :data:`FACTS_MAX_RELATIONS`
        self.facts: _SpilledFacts | None = _SpilledFacts() if keep_facts else None
        self.lock = threading.Lock()
        self._queue: queue.Queue[list[Built] | None] = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._run, name="kg-store-writer", daemon=True)
        self._thread.start()

    def add(self, built: Built) -> None:
        # a batch stays under the size: the bulk loader's memory grows with it (an article
        # larger than that goes alone)
        if self.pending_triples + built.triples > self.batch_triples:
            self.flush()
        self.pending.append(built)
        self.pending_triples += built.triples
        if self.pending_triples >= self.batch_triples or time.monotonic() - self.last_flush >= WRITE_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.error is not None:
            raise self.error
        if self.pending:
            self._queue.put(self.pending)
            self.pending, self.pending_triples = [], 0
        self.last_flush = time.monotonic()

    def close(self) -> None:
        """Write what is pending, wait for the thread and raise its error, if any."""
        try:
            if self.error is None:
                self.flush()
        finally:
            self._queue.put(None)
            self._thread.join()
        if self.error is not None:
            raise self.error

    def take_facts(self) -> tuple[list[ArticleFacts], int] | None:
        """The facts of every article written (the last write of a graph wins) and their relations, or None."""
        spilled, self.facts = self.facts, None
        if spilled is None:
            return None
        try:
            return spilled.read(), spilled.relations
        finally:
            spilled.close()

    def discard(self) -> None:
        if self.facts is not None:
            self.facts.close()
            self.facts = None

    def _replace(self, batch: list[Built]) -> None:
        """Write ``batch`` in one go: bulk-loaded where the store can (new articles), else replaced."""
        add = getattr(self.store, "add_articles", None) or self.store.replace_articles
        add([(b.graph_iri, b.ntriples) for b in batch])

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self.error is None:
                try:
                    self._write(batch)
                except BaseException as e:  # reported by the main thread
                    self.error = e

    def _write(self, batch: list[Built]) -> None:
        try:
            self._replace(batch)
        except StoreError:
            raise
        except Exception as e:
            if len(batch) > 1:
                for b in batch:
                    self._write([b])
                return
            b = batch[0]
            with self.lock:
                self.report.failures.append(Failure(b.article_id, b.graph_iri, "store", _reason(e)))
            if self.progress:
                self.progress.add(failed=1)
            return
        self.unflushed += sum(b.triples for b in batch)
        if self.unflushed >= FLUSH_TRIPLES:
            # RocksDB keeps written data in memory until it flushes it to disk:
            # without this the memory of a build grows with the store
            flush = getattr(self.store, "flush", None)
            if flush:
                flush()
            self.unflushed = 0
            _release_memory()
        if self.facts is not None and not self.facts.add(batch):
            self.facts.close()
            self.facts = None  # the derived graphs read the store instead
        with self.lock:
            self.report.built += len(batch)
            self.report.relations += sum(b.relations for b in batch)
            self.report.triples += sum(b.triples for b in batch)
        if self.progress:
            self.progress.add(built=len(batch))


# -- engines: chunks of articles in, lists of results out -------------------------


def _run_pipelined(chunks: Iterable[list[Article]], model: str | None,
                   batch_size: int) -> Iterator[Iterable[Built | Failure]]:
    """One parsing process, with extraction, resolution and the RDF mapping in this one.

    The two overlap: while the worker parses a chunk, this process reads the
    records of the one before. Whenever this process has nothing of the
    worker's to read (while the worker starts, when it reads faster than the
    worker parses, at the end) it builds a piece of the next chunk itself.
    """
    source = _SharedChunks(chunks)
    helper = _Helper(model, batch_size)

    def help_out() -> list[Built | Failure] | None:
        piece = source.piece(PIPELINE_PIECE_ARTICLES, HELPER_PIECE_CHARS)
        return None if piece is None else helper.build(piece)

    for results in _run_processes(source, model, 1, batch_size, task=_worker_parse, idle=help_out):
        yield _finished(results)


def _finished(results: list[Parsed | Built | Failure]) -> Iterator[Built | Failure]:
    """Each of ``results`` finished in turn, let go of once done: a chunk's Docs and triples are never all in
    memory at once."""
    results.reverse()
    while results:
        r = results.pop()
        yield finish_parsed(r) if isinstance(r, Parsed) else r


class _SharedChunks:
    """The chunks of a one-job build, taken whole by the parsing worker and a piece at a time by the main process.

    >>> articles = [Article(str(i), "x" * 10, ()) for i in range(5)]
    >>> shared = _SharedChunks([articles[:3], articles[3:]])
    >>> [c and [a.id for a in c] for c in (shared.piece(2, 100), next(shared), shared.piece(2, 15), next(shared))]
    [['0', '1'], ['2'], ['3'], ['4']]
    >>> shared = _SharedChunks([articles])
    >>> shared.piece(2, 5), [a.id for a in next(shared)]
    (None, ['0', '1', '2', '3', '4'])
    >>> shared.piece(2, 100) is None
    True
    """

    def __init__(self, chunks: Iterable[list[Article]]) -> None:
        self._chunks = iter(chunks)
        self._left: list[Article] | None = None  # what the main process left of a chunk it took a piece of

    def __iter__(self) -> _SharedChunks:
        return self

    def __next__(self) -> list[Article]:
        if self._left:
            chunk, self._left = self._left, None
            return chunk
        return next(self._chunks)

    def piece(self, articles: int, chars: int) -> list[Article] | None:
        """The first articles of the next chunk, at most ``articles`` holding at most ``chars`` characters
        (the rest stays for the worker); None when none are left or the first is longer (long pages stay
        with the worker)."""
        chunk = self._left or next(self._chunks, None)
        self._left = chunk
        if not chunk:
            return None
        n = total = 0
        while n < min(articles, len(chunk)) and total + len(chunk[n].text) <= chars:
            total += len(chunk[n].text)
            n += 1
        if not n:
            return None
        self._left = type(chunk)(chunk[n:]) or None
        return type(chunk)(chunk[:n])


class _Helper:
    """The main process's own pipeline for the pieces it builds, loaded when first needed (while the worker loads
    its own) and replaced after :data:`RESTART_AFTER` articles, as a worker is."""

    def __init__(self, model: str | None, batch_size: int) -> None:
        self.model, self.batch_size = model, batch_size
        self.nlp: Language | None = None
        self.articles = 0

    def build(self, articles: list[Article]) -> list[Built | Failure]:
        if self.nlp is None or self.articles >= RESTART_AFTER:
            from kg.nlp import load_model

            if self.nlp is not None:
                self.nlp = None
                load_model.cache_clear()  # a new copy, with a new string store, not the one cached
            self.nlp, self.articles = load_model(self.model), 0
        self.articles += len(articles)
        try:
            return build_articles(articles, self.nlp, self.batch_size)
        finally:
            _release_memory()


def _run_inline(chunks: Iterable[list[Article]], nlp: Language, batch_size: int) -> Iterator[list[Built | Failure]]:
    for chunk in chunks:
        yield build_articles(chunk, nlp, batch_size)


_WORKER_NLP: Language | None = None
_WORKER_ERROR: KGError | None = None


def _init_worker(model: str | None) -> None:
    global _WORKER_NLP, _WORKER_ERROR
    from kg.nlp import load_model

    try:
        _WORKER_NLP = load_model(model)
    except KGError as e:
        _WORKER_ERROR = e


def _worker_build(articles: list[Article], batch_size: int) -> list[Built | Failure]:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER_NLP is not None
    try:
        return build_articles(articles, _WORKER_NLP, batch_size)
    finally:
        _release_memory()


def _worker_parse(articles: list[Article], batch_size: int) -> list[Parsed | Built | Failure]:
    if isinstance(articles, _Tail):
        return _worker_build(articles, batch_size)
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER_NLP is not None
    try:
        return parse_chunk(articles, _WORKER_NLP, batch_size)
    finally:
        _release_memory()


def _start_server(ctx: multiprocessing.context.BaseContext) -> None:
    """Start ``ctx``'s fork server now, without waiting for it: it imports spaCy and kg while this process goes on."""
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _process_context() -> multiprocessing.context.BaseContext:
    # Workers start from a clean server process, not a fork of this one: the
    # main process runs the writer thread and the store's own threads.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.corpus", "kg.nlp.pipeline", "kg.resolve", "kg.rdf.model", "spacy"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_processes(chunks: Iterable[list[Article]], model: str | None, jobs: int,
                   batch_size: int, task: Callable = _worker_build,
                   idle: Callable[[], list | None] | None = None) -> Iterator[list]:
    """Run ``task`` over chunks on ``jobs`` worker processes, yielding its results in the order done.

    A chunk whose worker died is retried one article per task. While no
    result is ready, ``idle`` (if given) is called, and what it returns (not
    None) is yielded too.
    """
    it = iter(chunks)
    retry: list[list[Article]] = []
    ctx = _process_context()
    _start_server(ctx)  # the workers' server starts while this process imports spaCy and reads the first articles
    while True:
        pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(model,),
                                   max_tasks_per_child=max(1, RESTART_AFTER // CHUNK_ARTICLES))
        inflight: dict[Future, list[Article]] = {}
        broken: list[list[Article]] = []
        try:
            def fill() -> None:
                while len(inflight) < jobs * (1 + QUEUED_PER_WORKER):
                    chunk = retry.pop(0) if retry else next(it, None)
                    if chunk is None:
                        return
                    inflight[pool.submit(task, chunk, batch_size)] = chunk

            fill()
            while inflight:
                done, _ = wait(inflight, timeout=0 if idle else None, return_when=FIRST_COMPLETED)
                if not done and idle and (extra := idle()) is not None:
                    yield extra
                    continue
                if not done:
                    done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in done:
                    chunk = inflight.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool:
                        broken.append(chunk)
                if broken:
                    break
                fill()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            return
        broken.extend(inflight.values())
        for chunk in broken:
            if len(chunk) == 1:
                yield [_failure(chunk[0], "worker", "the worker process died while building it "
                                "(out of memory, or a crash in the parser)")]
            else:
                retry.extend([a] for a in chunk)


_DASK_LOCK = threading.Lock()


def _dask_build(articles: list[Article], model: str | None, batch_size: int) -> list[Built | Failure]:
    """Build a chunk on a Dask worker; the model is loaded once per worker process and reused."""
    from kg.nlp import load_model

    with _DASK_LOCK:  # one spaCy pipeline per process, used by one thread at a time
        return build_articles(articles, load_model(model), batch_size)


def _run_dask(chunks: Iterable[list[Article]], model: str | None, jobs: int, batch_size: int,
              scheduler: str | None) -> Iterator[list[Built | Failure]]:
    """Run chunks on a Dask cluster (a LocalCluster of ``jobs`` workers when no scheduler is given)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as e:
        raise KGError("--engine dask needs Dask; run `pip install 'kg[dask]'` (dask and distributed)") from e

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise KGError(f"{scheduler or 'local Dask cluster'}: cannot connect to the Dask scheduler ({_reason(e)}); "
                      "start it with `dask scheduler` and give its address, e.g. tcp://host:8786") from e
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        it = iter(chunks)
        inflight: dict[str, list[Article]] = {}
        completed = as_completed()

        def submit(chunk: list[Article]) -> None:
            fut = client.submit(_dask_build, chunk, model, batch_size, pure=False)
            inflight[fut.key] = chunk
            completed.add(fut)

        for chunk in islice(it, workers * (1 + QUEUED_PER_WORKER)):
            submit(chunk)
        for fut in completed:
            chunk = inflight.pop(fut.key)
            try:
                results = fut.result()
            except KGError:
                raise
            except Exception as e:
                if len(chunk) > 1:
                    for article in chunk:
                        submit([article])
                    continue
                results = [_failure(chunk[0], "worker", f"the Dask task failed ({_reason(e)})")]
            finally:
                fut.release()
            yield results
            nxt = next(it, None)
            if nxt is not None:
                submit(nxt)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# -- the build -------------------------------------------------------------------


def build_corpus(
    inputs: Sequence[str | Path],
    store: ArticleStore,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    model: str | None = None,
    nlp: Language | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    max_article_chars: int = MAX_ARTICLE_CHARS,
    write_triples: int = WRITE_TRIPLES,
    languages: Collection[str] | None = None,
) -> CorpusReport:
    """Build every article of ``inputs`` into ``store``, skipping those stored with the same content.

    ``jobs`` is the number of parsing processes (``local``) or of workers of
    the LocalCluster started when ``engine="dask"`` has no ``scheduler``.
    ``nlp`` (one job, local engine only) is used instead of loading ``model``.
    ``write_triples`` is how many triples go into one write, at most
    (whole articles, a larger one alone; while articles keep coming, what is done is also
    written at least every :data:`WRITE_SECONDS`).
    Returns a :class:`CorpusReport`; articles that failed are listed in it,
    never raised. Raises :class:`~kg.errors.KGError` for what stops the whole
    build: the model cannot be loaded, the store cannot be written, no Dask.
    """
    if engine not in ENGINES:
        raise KGError(f"engine {engine!r}: unknown; choose one of {', '.join(ENGINES)}")
    if jobs < 1:
        raise InputError(f"--jobs {jobs}: must be 1 or more")
    started = time.monotonic()
    report = CorpusReport(total=progress.total if progress else None)
    known = store.article_hashes()
    # in a store that held nothing, the derived graphs come from the facts of the articles written
    fresh = not known and _holds_no_graphs(store)
    reader = _Reader(inputs, known, report, progress, max_article_chars)
    reader.languages = languages
    pipelined = (engine == "local" and jobs == 1 and nlp is None
                 and (report.total is None or report.total >= PIPELINE_MIN_ARTICLES))
    if engine == "dask":
        results = _run_dask(_chunks(reader, CHUNK_ARTICLES), model, jobs, batch_size, scheduler)
    elif pipelined:
        results = _run_pipelined(_chunks(reader, PIPELINE_CHUNK_ARTICLES, PIPELINE_PIECE_ARTICLES),
                                 model, batch_size)
    elif jobs == 1:
        if nlp is None:
            from kg.nlp import load_model

            nlp = load_model(model)
        results = _run_inline(_chunks(reader, INLINE_CHUNK_ARTICLES), nlp, batch_size)
    else:
        results = _run_processes(_chunks(reader, CHUNK_ARTICLES), model, jobs, batch_size)
    writer = _Writer(store, report, progress, write_triples, keep_facts=fresh)
    try:
        try:
            for chunk_results in results:
                for r in chunk_results:
                    if isinstance(r, Built):
                        writer.add(r)
                    else:
                        reader.fail(r)
                if writer.error is not None:
                    break
        finally:
            close = getattr(results, "close", None)
            if close:
                close()
            writer.close()
        kept = writer.take_facts()
    finally:
        writer.discard()
    if report.built:
        # entities that differ only in form across articles, counts and rankings: the derived graphs
        from kg.store.load import refresh_derived

        facts = kept[0] if kept else None
        # a small build compacts while it computes them, on the core the parsing no longer needs
        alongside = kept is not None and kept[1] <= COMPACT_ALONGSIDE_RELATIONS
        report.reconciliation = refresh_derived(store, facts, compact_alongside=alongside)
    report.seconds = time.monotonic() - started
    return report


def _holds_no_graphs(store: ArticleStore) -> bool:
    """Whether ``store`` holds no named graph at all (not known for a remote store: False)."""
    ox = getattr(store, "ox", None)
    return ox is not None and next(iter(ox.named_graphs()), None) is None


def default_failures_path(store_location: str | Path) -> Path:
    """Where the failures of a build into ``store_location`` are written: beside the store.

    >>> default_failures_path("out/store/")
    PosixPath('out/store.failures.tsv')
    """
    text = str(store_location).rstrip("/")
    if text.startswith(("http://", "https://")):
        return Path("kg-build.failures.tsv")
    return Path(text + ".failures.tsv")


def write_failures(path: Path, failures: Sequence[Failure]) -> None:
    """Write ``failures`` as TSV (article, origin, stage, reason), atomically; a header alone when there are none.

    Tabs and line breaks inside a value become spaces, so every row is one line
    of four fields without quoting.
    """
    from kg.rdf import write_atomic

    rows = [FAILURES_HEADER] + [(f.article, f.origin, f.stage, f.reason) for f in failures]
    text = "".join("\t".join(" ".join(str(v).split()) for v in row) + "\n" for row in rows)
    write_atomic(path, text.encode("utf-8"), force=True)
