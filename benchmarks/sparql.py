"""How fast every named query answers on the embedded store and on rdflib's in-memory store.

    PYTHONPATH=. python benchmarks/sparql.py [--corpus ../shared/corpus] [--store /tmp/kg-bench-store]
                                             [--articles N] [--jobs 2] [--runs 15] [--rank 50]
                                             [--timeout 120] [--build-only] [--no-rdflib] [--only NAMES]

Builds both corpus files (``news.jsonl`` and ``wikinews.jsonl``) into an
Oxigraph store at ``--store`` with :func:`kg.corpus.build_corpus`, what
``kg build --store --jobs`` runs (summary and reconciliation graphs
included). The store is a cache: articles already there with the same
content hash are not parsed again. Corpus text never enters the project.

Then, in the same process, it runs every ``queries/*.rq`` through
:func:`kg.query.run_query` on the store, ``--runs`` times each after one
warm-up, and only then loads the store's quads into rdflib's default
in-memory ``Dataset`` and runs them there (at most 3 times, each given up
after ``--timeout`` seconds): with rdflib's objects in memory, the store's
own medians come out longer. Parameters
come from the data: the entity ranked ``--rank`` by relations (a typical
subject of a question: in the first few dozen of tens of thousands) and the
named entity it shares most relations with. Queries with parameters are
also timed for the most connected entity (the "hub" columns), the worst
case. It prints the medians, the ratio (a lower bound, ">N", when rdflib
gave up), whether both engines gave the same rows, and exits 1 when a query's median on the embedded store (typical
parameters) is over 20 ms.
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


def build_store(corpus: Path, store_path: Path, articles: int | None, jobs: int) -> None:
    """Build the corpus into the store as `kg build --store --jobs` does (articles already there are skipped)."""
    import tempfile

    from kg.corpus import build_corpus

    files = corpus_files(corpus)
    if articles is not None:
        # the first N articles of the corpus, Wikinews first, in a temporary file outside the project
        tmp = Path(tempfile.mkdtemp(prefix="kg-sparql-bench-")) / "first.jsonl"
        with tmp.open("w", encoding="utf-8") as out:
            n = 0
            for f in files:
                for line in f.open(encoding="utf-8"):
                    if n >= articles:
                        break
                    out.write(line)
                    n += 1
        files = [tmp]
    started = time.perf_counter()
    store = open_store(store_path, create=True)
    try:
        report = build_corpus(files, store, jobs=jobs)
    finally:
        store.close()
    print(f"store {store_path}: {report.summary()} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def first_value(ds, text: str) -> str | None:
    rows = list(run_query(ds, text))
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


_RANKED = """SELECT ?label WHERE { ?e kg:connectedRank ?rank ; rdfs:label ?label } ORDER BY ?rank"""
_PARTNER = """SELECT ?label (COUNT(DISTINCT ?r) AS ?n) WHERE {
  ?e rdfs:label ?name . ?r rdf:subject|rdf:object ?e . ?r rdf:subject|rdf:object ?o .
  FILTER(?o != ?e) ?o kg:connectedRank ?rank ; rdfs:label ?label
} GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 1"""


def representative_params(ds, rank: int) -> dict[str, dict[str, str]]:
    """Parameters for each named query: the entity ranked ``rank`` by relations and its most linked partner."""
    from kg.query import NamedQuery

    ranked = [str(r[0]) for r in run_query(ds, _RANKED)]
    if not ranked:
        sys.exit("sparql benchmark: the store has no ranked entities (no summary graph); rebuild it")
    entity = ranked[min(rank, len(ranked)) - 1]
    partner = NamedQuery("partner", "partner", "", (), _PARTNER)
    found = [str(r[0]) for r in run_query(ds, partner.text.replace("?name", f'"{entity}"'))]
    other = found[0] if found else ranked[0]
    values = {"entity": entity, "a": entity, "b": other, "source": entity, "type": "Person"}
    return {q.name: {p.name: values[p.name] for p in q.params if p.name in values} for q in named_queries()}


def median_ms(ds, query, params: dict[str, str], runs: int, timeout: float | None = None) -> tuple[float | None, list]:
    """The median wall time of ``runs`` runs after one warm-up, and the rows; None when a run passed ``timeout`` s."""
    from kg.errors import QueryTimeout

    try:
        rows = [tuple(r) for r in run_query(ds, query, params, timeout=timeout)]  # warm-up and the answer
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            for _row in run_query(ds, query, params, timeout=timeout):
                pass
            times.append((time.perf_counter() - started) * 1000)
    except QueryTimeout:
        return None, []
    return statistics.median(times), rows


def interleaved_medians(ds, queries, params, runs: int, timeout: float | None) -> dict[str, tuple[float | None, list]]:
    """Per query, the median of ``runs`` timed runs and the rows, the runs taken in rounds over all queries.

    One round runs every query once, so a slow spell of a shared machine
    slows one run of each query rather than every run of one.
    """
    from kg.errors import QueryTimeout

    rows: dict[str, list] = {}
    times: dict[str, list[float]] = {}
    for q in queries:  # the warm-up, and the answer
        try:
            rows[q.name] = [tuple(r) for r in run_query(ds, q, params[q.name], timeout=timeout)]
            times[q.name] = []
        except QueryTimeout:
            rows[q.name] = []
    for _ in range(runs):
        for q in queries:
            if q.name not in times:
                continue
            started = time.perf_counter()
            for _row in run_query(ds, q, params[q.name], timeout=timeout):
                pass
            times[q.name].append((time.perf_counter() - started) * 1000)
    return {q.name: (statistics.median(times[q.name]) if q.name in times else None, rows[q.name]) for q in queries}


def _ms(value: float | None, timeout: float) -> str:
    return f"{value:9.1f}" if value is not None else f"{'>' + format(timeout, '.0f') + ' s':>9}"


def comparable(rows: list) -> list:
    return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--store", type=Path, default=Path("/tmp/kg-bench-store"))
    ap.add_argument("--articles", type=int, default=None, help="only the first N corpus articles (Wikinews first)")
    ap.add_argument("--jobs", type=int, default=2, help="parsing processes for the build")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--rank", type=int, default=50,
                    help="the representative entity: the one ranked N by relations (default 50)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is given up (rdflib)")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-rdflib", action="store_true", help="time the embedded store only")
    ap.add_argument("--only", default=None, help="comma-separated query names")
    args = ap.parse_args()

    build_store(args.corpus, args.store, args.articles, args.jobs)
    if args.build_only:
        return

    store = open_store(args.store, read_only=True)
    embedded = store.dataset()
    n_quads = len(store)
    n_articles = len(store.article_hashes())
    params = representative_params(embedded, args.rank)
    hub = representative_params(embedded, 1)

    wanted = set(args.only.split(",")) if args.only else None
    print(f"{n_articles} articles, {n_quads:,} quads in the article graphs; median of {args.runs} runs after one "
          f"warm-up (taken in rounds over all queries), ms; parameters: the entity ranked {args.rank} by relations and its most linked partner "
          f"({params['between']}); hub: the entity ranked 1 ({hub['between']})\n")
    header = (f"{'query':<20} {'rows':>5} {'oxigraph':>9} {'rdflib':>9} {'ratio':>7}  same  "
              f"{'hub rows':>8} {'hub ox':>9}")
    print(header)
    print("-" * len(header))
    slow = []
    chosen = [q for q in named_queries() if not wanted or q.name in wanted]
    # the embedded store is timed first, typical and hub parameters, before rdflib's millions of
    # objects fill this process (with them in memory, Oxigraph's medians came out up to twice as long)
    typical = interleaved_medians(embedded, chosen, params, args.runs, args.timeout)
    hubs = {q.name: median_ms(embedded, q, hub[q.name], max(1, min(args.runs, 3)), args.timeout)
            for q in chosen if q.params}
    memory = None
    if not args.no_rdflib:
        from rdflib import Dataset

        from kg.rdf.vocab import bind_prefixes

        started = time.perf_counter()
        memory = Dataset(default_union=True)
        bind_prefixes(memory)
        memory.parse(data=store.nquads().decode("utf-8"), format="nquads")
        print(f"rdflib in-memory dataset loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        # millions of rdflib objects: keep the cycle collector from walking them during every timed run
        import gc

        gc.collect()
        gc.freeze()

    for q in chosen:
        p = params[q.name]
        ox_ms, ox_rows = typical[q.name]
        line = f"{q.name:<20} {len(ox_rows):>5} {_ms(ox_ms, args.timeout)}"
        if memory is not None:
            mem_ms, mem_rows = median_ms(memory, q, p, max(1, min(args.runs, 3)), args.timeout)
            same = "-" if mem_ms is None else ("yes" if comparable(ox_rows) == comparable(mem_rows) else "NO")
            if not ox_ms:
                ratio = ""
            elif mem_ms is None:  # rdflib gave up: the ratio is at least the timeout over the store's time
                ratio = f">{args.timeout * 1000 / ox_ms:.0f}x"
            else:
                ratio = f"{mem_ms / ox_ms:6.0f}x"
            line += f" {_ms(mem_ms, args.timeout)} {ratio:>7}  {same:<4}"
        else:
            line += f" {'':>9} {'':>7}  {'':<4}"
        if q.params:
            hub_ms, hub_rows = hubs[q.name]
            line += f"  {len(hub_rows):>8} {_ms(hub_ms, args.timeout)}"
        print(line, flush=True)
        if ox_ms is None or ox_ms > LIMIT_MS:
            slow.append(q.name)
    if slow:
        print(f"\nslower than {LIMIT_MS:.0f} ms on the embedded store: {', '.join(slow)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
