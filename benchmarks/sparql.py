"""How fast every named query answers on the embedded store and on rdflib's in-memory store.

    PYTHONPATH=. python benchmarks/sparql.py [--corpus ../shared/corpus] [--store /tmp/kg-bench-store]
                                             [--articles N] [--runs 7] [--build-only]

Builds both corpus files (``news.jsonl`` and ``wikinews.jsonl``) into an
Oxigraph store at ``--store`` with kg's own pipeline (read, spaCy, resolve,
RDF; each article replaced in its own named graph, in batches of one
transaction). The store is a cache: articles already there with the same
content hash are not parsed again, so a rerun, or a run after an interrupted
build, only adds what is missing. Corpus text never enters the project.

Then, in the same process, it loads the store's quads into rdflib's default
in-memory ``Dataset`` and runs every ``queries/*.rq`` through
:func:`kg.query.run_query` on both, ``--runs`` times each after one warm-up,
with parameters taken from the data (the most connected entity, the pair of
entities linked by most relations, the most frequent attribution source),
and prints the median of each, the ratio, and whether both gave the same rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.query import load_query, named_queries, run_query  # noqa: E402
from kg.store import open_store  # noqa: E402

BATCH = 16
LIMIT_MS = 20.0


def corpus_files(corpus: Path) -> list[Path]:
    files = [corpus / "wikinews.jsonl", corpus / "news.jsonl"]
    missing = [f for f in files if not f.is_file()]
    if missing:
        sys.exit(f"sparql benchmark: {missing[0]}: no such corpus file; give --corpus DIR holding both files")
    return files


def build_store(corpus: Path, store_path: Path, articles: int | None) -> None:
    """Add every corpus article missing from the store (same content hash = already there)."""
    from kg.build import BuildReport
    from kg.ingest import read_articles
    from kg.nlp import analyse_articles, load_model
    from kg.rdf.model import article_iri, article_ntriples
    from kg.resolve import resolve_article

    store = open_store(store_path, create=True)
    try:
        have = store.article_hashes()
        report = BuildReport()

        def wanted() -> Iterator:
            for n, article in enumerate(read_articles(corpus_files(corpus), on_problem=report.problems.append)):
                if articles is not None and n >= articles:
                    return
                if have.get(str(article_iri(article.id))) != article.content_hash:
                    yield article

        todo = list(wanted())
        if not todo:
            print(f"store {store_path}: {len(have)} articles, nothing to build", file=sys.stderr)
            return
        print(f"store {store_path}: building {len(todo)} articles ({len(have)} already there) ...", file=sys.stderr)
        nlp = load_model(None)
        started = time.perf_counter()
        batch: list[tuple[str, str]] = []
        done = 0
        for analysis in analyse_articles(todo, nlp):
            batch.append(article_ntriples(resolve_article(analysis)))
            if len(batch) >= BATCH:
                store.replace_articles(batch)
                done += len(batch)
                batch = []
                print(f"  {done}/{len(todo)} articles, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        store.replace_articles(batch)
        print(f"built {len(todo)} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for problem in report.problems:
            print(f"  skipped {problem}", file=sys.stderr)
    finally:
        store.close()


def first_value(ds, text: str) -> str | None:
    rows = list(run_query(ds, text))
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def representative_params(ds) -> dict[str, dict[str, str]]:
    """Parameters for each named query, taken from the data: its most connected entities."""
    top = [str(r[0]) for r in run_query(ds, load_query("most-connected"))][:2]
    entity = top[0] if top else "Israel"
    other = top[1] if len(top) > 1 else entity
    # the two most connected entities: a pair with many paths between them, a source with claims
    a, b = entity, other
    source = entity
    params: dict[str, dict[str, str]] = {}
    for q in named_queries():
        values = {"entity": entity, "a": a, "b": b, "source": source or entity, "type": "Person"}
        params[q.name] = {p.name: values[p.name] for p in q.params if p.name in values}
    return params


def median_ms(ds, query, params: dict[str, str], runs: int) -> tuple[float, list]:
    rows = [tuple(r) for r in run_query(ds, query, params)]  # warm-up, and the answer to compare
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for _row in run_query(ds, query, params):
            pass
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), rows


def comparable(rows: list) -> list:
    return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--store", type=Path, default=Path("/tmp/kg-bench-store"))
    ap.add_argument("--articles", type=int, default=None, help="only the first N corpus articles (Wikinews first)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-rdflib", action="store_true", help="time the embedded store only")
    ap.add_argument("--only", default=None, help="comma-separated query names")
    args = ap.parse_args()

    build_store(args.corpus, args.store, args.articles)
    if args.build_only:
        return

    store = open_store(args.store, read_only=True)
    embedded = store.dataset()
    n_quads = len(store)
    n_articles = len(store.article_hashes())
    params = representative_params(embedded)

    memory = None
    if not args.no_rdflib:
        from rdflib import Dataset

        from kg.rdf.vocab import bind_prefixes

        started = time.perf_counter()
        memory = Dataset(default_union=True)
        bind_prefixes(memory)
        memory.parse(data=store.ox.dump(format=__import__("pyoxigraph").RdfFormat.N_QUADS).decode("utf-8"),
                     format="nquads")
        print(f"rdflib in-memory dataset loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    wanted = set(args.only.split(",")) if args.only else None
    print(f"{n_articles} articles, {n_quads:,} quads; median of {args.runs} runs after one warm-up, ms\n")
    header = f"{'query':<18} {'params':<42} {'rows':>5} {'oxigraph':>9} {'rdflib':>9} {'ratio':>7}  same"
    print(header)
    print("-" * len(header))
    slow = []
    for q in named_queries():
        if wanted and q.name not in wanted:
            continue
        p = params[q.name]
        ox_ms, ox_rows = median_ms(embedded, q, p, args.runs)
        shown = ", ".join(f"{k}={v}" for k, v in p.items())[:42]
        if memory is not None:
            mem_ms, mem_rows = median_ms(memory, q, p, max(1, min(args.runs, 3)))
            same = "yes" if comparable(ox_rows) == comparable(mem_rows) else "NO"
            print(f"{q.name:<18} {shown:<42} {len(ox_rows):>5} {ox_ms:>9.1f} {mem_ms:>9.1f} "
                  f"{mem_ms / ox_ms:>6.0f}x  {same}", flush=True)
        else:
            print(f"{q.name:<18} {shown:<42} {len(ox_rows):>5} {ox_ms:>9.1f}", flush=True)
        if ox_ms > LIMIT_MS:
            slow.append(q.name)
    if slow:
        print(f"\nslower than {LIMIT_MS:.0f} ms on the embedded store: {', '.join(slow)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
