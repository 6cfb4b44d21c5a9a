"""Throughput of `kg build --store` against bare spaCy parsing of the same texts.

    PYTHONPATH=. python benchmarks/throughput.py --articles 300 --jobs 1
    PYTHONPATH=. python benchmarks/throughput.py --articles 0 --only build \\
        --corpus ../shared/corpus/news.jsonl ../shared/corpus/wikinews.jsonl

Takes the first N articles of the corpus (default ``../shared/corpus/news.jsonl``;
``--articles 0`` for all of them) and, in the same run, alternating for
``--rounds`` rounds:

- bare: ``nlp.pipe`` over the articles' content segments (what kg parses),
  same model as spaCy ships it, same ``n_process`` (= ``--jobs``), same batch size;
- build: :func:`kg.corpus.build_corpus`, what ``kg build --store`` runs, into
  a fresh temporary store.

With ``--kg-parse``, a third side times ``nlp.pipe`` with the pipeline kg
parses with: the same model, with :mod:`kg.nlp.fast`'s attribute ruler and
lemmatizer, which give the same annotations faster. build / kg-parse is then
what kg adds on top of its own parse.

Each runs in its own subprocess, so its memory peak is its own. Times are wall
seconds from the start of the subprocess (imports and model loading included:
a user waits for those too) and of the work alone (after the model is loaded
and the texts are read). Peak memory is the largest sum of the resident sets
of the subprocess and all its children, sampled every 50 ms (needs psutil),
and the subprocess's own ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "news.jsonl"
STARTED = time.monotonic()
#: With --log: how often the build logs its progress and the sampler the memory.
LOG_SECONDS = 15.0


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bare(path: Path, jobs: int, batch_size: int, stock: bool = True) -> dict:
    """Parse the articles' content segments with bare ``nlp.pipe``: spaCy's pipeline as shipped, or (not ``stock``)
    kg's."""
    from kg.ingest import read_articles
    from kg.nlp import load_model
    from kg.nlp.pipeline import _pieces

    nlp = load_model(None, stock=stock)
    texts = [text for article in read_articles([path]) for _, text in _pieces(article)]
    start = time.monotonic()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=jobs))
    return {"work": time.monotonic() - start, "tokens": tokens}


def run_build(path: Path, jobs: int, batch_size: int, store: Path, log: bool) -> dict:
    """Build the articles into a fresh store, as `kg build --store` does."""
    from kg.corpus import build_corpus, count_articles
    from kg.progress import Progress
    from kg.store import open_store

    progress = Progress(count_articles([path]), sys.stderr, live=False, log_interval=LOG_SECONDS) if log else None
    start = time.monotonic()
    if log:
        _log_phases(start)
    st = open_store(store, create=True)
    report = build_corpus([path], st, jobs=jobs, batch_size=batch_size, progress=progress)
    st.close()
    return {"work": time.monotonic() - start, "built": report.built, "failed": len(report.failures),
            "triples": report.triples}


def _log_phases(start: float) -> None:
    """Print when the first and the last results come back from the workers and when the derived graphs start and end."""
    import kg.corpus
    import kg.store.load

    def say(what: str) -> None:
        print(f"phase: {time.monotonic() - start:7.2f} s {what}", file=sys.stderr, flush=True)

    run_processes, refresh_derived = kg.corpus._run_processes, kg.store.load.refresh_derived

    def timed_processes(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        results = run_processes(*args, **kwargs)
        for n, chunk in enumerate(results):
            if n == 0:
                say("first results from the workers")
            yield chunk
        say("last results from the workers")

    def timed_derived(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        say("articles written; derived graphs start")
        try:
            return refresh_derived(*args, **kwargs)
        finally:
            say("derived graphs done")

    kg.corpus._run_processes, kg.store.load.refresh_derived = timed_processes, timed_derived


def stages(path: Path, batch_size: int) -> None:
    """CPU seconds of each stage of a one-job build, in this process, stage after stage."""
    from collections import defaultdict

    from kg.rdf.facts import article_facts
    from kg.ingest import read_articles
    from kg.nlp import load_model
    from kg.nlp.pipeline import _pieces, analyse_parsed, pack_parsed, unpack_parsed
    from kg.rdf.model import article_iri, article_triples, nt_term
    from kg.resolve import resolve_article
    from kg.store import open_store

    nlp = load_model(None)
    clock = time.process_time
    t = clock()
    articles = list(read_articles([path]))
    hashes = [a.content_hash for a in articles]
    times = {"read and hash": clock() - t}
    pieces = [(text, (n, offset)) for n, a in enumerate(articles) for offset, text in _pieces(a)]
    t = clock()
    for _ in load_model(None, stock=True).pipe(pieces, as_tuples=True, batch_size=batch_size):
        pass
    stock = clock() - t
    t = clock()
    docs = list(nlp.pipe(pieces, as_tuples=True, batch_size=batch_size))
    times["parse (nlp.pipe)"] = clock() - t
    parts: dict[int, list] = defaultdict(list)
    for doc, (n, offset) in docs:
        parts[n].append((doc, offset))
    t = clock()
    packed = [pack_parsed(parts[n]) for n in range(len(articles))]
    unpacked = [unpack_parsed(p, nlp.lang) for p in packed]
    times["Docs to the next process (DocBin)"] = clock() - t
    del docs, parts, packed
    t = clock()
    analyses = [analyse_parsed(a, unpacked[n]) for n, a in enumerate(articles)]
    times["extract (mentions, relations)"] = clock() - t
    del unpacked
    t = clock()
    resolved = [resolve_article(a) for a in analyses]
    times["resolve"] = clock() - t
    t = clock()
    graphs = []
    for r in resolved:
        triples = article_triples(r)
        lines = dict.fromkeys(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples)
        graphs.append((str(article_iri(r.article.id)), "".join(lines), triples))
    times["rdf (N-Triples)"] = clock() - t
    t = clock()
    for g, _, triples in graphs:
        article_facts(g, triples)
    times["facts for the derived graphs"] = clock() - t
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store", create=True)
        t = clock()
        for i in range(0, len(graphs), 80):
            store.add_articles([(g, nt) for g, nt, _ in graphs[i:i + 80]])
        store.flush()
        times["store (bulk load, graphs and union)"] = clock() - t
        store.close()
    parse = times["parse (nlp.pipe)"]
    triples = sum(nt.count("\n") for _, nt, _ in graphs)
    print(f"{len(articles)} articles, {len(hashes)} hashed, {triples:,} triples ({triples / len(articles):.0f} per article)")
    for name, sec in times.items():
        print(f"  {name:36} {sec:8.2f} CPU s  {sec / parse:6.1%} of the parse")
    rest = sum(sec for name, sec in times.items() if name != "parse (nlp.pipe)")
    print(f"  {'all but the parse':36} {rest:8.2f} CPU s  {rest / parse:6.1%} of the parse")
    print(f"  {'(parse with spaCy stock components)':36} {stock:8.2f} CPU s  {stock / parse:6.1%} of the parse")


def child(args: argparse.Namespace) -> None:
    if args.child in ("bare", "kg-parse"):
        out = run_bare(args.input, args.jobs, args.batch_size, stock=args.child == "bare")
    else:
        out = run_build(args.input, args.jobs, args.batch_size, args.store, args.log)
    out["total"] = time.monotonic() - STARTED
    out["maxrss_mb"] = _maxrss_mb()
    print(json.dumps(out))


def measure(cmd: list[str], log: bool = False) -> dict:
    """Run one child, sampling the resident memory of its whole process tree."""
    try:
        import psutil
    except ImportError:
        psutil = None
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    wall = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    peak = [0.0]
    peak_at = [""]  # when the peak came and each process's part of it
    last = [0.0]
    stop = threading.Event()

    def sample() -> None:
        if psutil is None:
            return
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            total = 0
            each: list[float] = []  # the build's own process first, then its workers
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        rss = p.memory_info().rss
                    except psutil.Error:
                        continue
                    total += rss
                    each.append(rss / 2**20)
            except psutil.Error:
                break
            if total / 2**20 > peak[0]:
                peak[0] = total / 2**20
                peak_at[0] = f"{time.monotonic() - wall:.0f} s ({' + '.join(f'{mb:.0f}' for mb in each)})"
            if log and time.monotonic() - last[0] >= LOG_SECONDS:
                last[0] = time.monotonic()
                parts = " + ".join(f"{mb:.0f}" for mb in each)
                print(f"memory: {time.monotonic() - wall:7.0f} s, RSS (tree) {total / 2**20:.0f} MB ({parts}), "
                      f"peak {peak[0]:.0f} MB", file=sys.stderr, flush=True)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"throughput: {' '.join(cmd)} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_mb"] = peak[0] if psutil else None
    if log and psutil:
        print(f"memory: peak {peak[0]:.0f} MB at {peak_at[0]}", file=sys.stderr, flush=True)
    result["wall"] = time.monotonic() - wall
    return result


def take_articles(corpus: list[Path], n: int, dest: Path) -> int:
    """Copy the first ``n`` non-blank lines of the corpus files (all for 0) into ``dest``; return how many."""
    count = 0
    with dest.open("wb") as out:
        for path in corpus:
            with path.open("rb") as handle:
                for line in handle:
                    if not line.strip():
                        continue
                    if n and count >= n:
                        return count
                    out.write(line.rstrip(b"\r\n") + b"\n")
                    count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300, help="first N articles (0: all)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of bare and build")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--corpus", type=Path, nargs="+", default=[DEFAULT_CORPUS])
    parser.add_argument("--only", choices=["bare", "build"], help="measure only one side (e.g. memory of build)")
    parser.add_argument("--kg-parse", action="store_true",
                        help="also time bare nlp.pipe with kg's pipeline (the model with kg.nlp.fast's components)")
    parser.add_argument("--stages", action="store_true",
                        help="instead: CPU time of each stage of a one-job build (parse, extract, resolve, rdf, store)")
    parser.add_argument("--log", action="store_true",
                        help=f"log the build's progress and the memory every {LOG_SECONDS:.0f} s on stderr, "
                        "and when its phases start and end")
    parser.add_argument("--child", choices=["bare", "kg-parse", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.stages:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "articles.jsonl"
            take_articles(args.corpus, args.articles, data)
            stages(data, args.batch_size)
        return

    work = Path(tempfile.mkdtemp(prefix="kg-throughput-"))
    try:
        data = work / "articles.jsonl"
        n = take_articles(args.corpus, args.articles, data)
        print(f"{n} articles from {', '.join(str(p) for p in args.corpus)}; jobs {args.jobs}, "
              f"batch size {args.batch_size}, {args.rounds} round(s); load average {os.getloadavg()[0]:.1f}")
        base = [sys.executable, str(Path(__file__).resolve()), "--input", str(data), "--jobs", str(args.jobs),
                "--batch-size", str(args.batch_size)]
        sides = [args.only] if args.only else ["bare", "build"] + ["kg-parse"] * args.kg_parse
        runs: dict[str, list[dict]] = {s: [] for s in sides}
        for r in range(args.rounds):
            for side in sides if r % 2 == 0 else sides[::-1]:
                store = work / f"store-{r}"
                res = measure(base + ["--child", side, "--store", str(store)] + (["--log"] if args.log else []),
                              args.log)
                shutil.rmtree(store, ignore_errors=True)
                runs[side].append(res)
                peak = f"{res['tree_peak_mb']:.0f} MB" if res["tree_peak_mb"] is not None else "n/a (no psutil)"
                extra = f", {res['built']} built, {res['failed']} failed" if side == "build" else ""
                print(f"  round {r + 1} {side:8}: total {res['total']:7.2f} s, work {res['work']:7.2f} s, "
                      f"peak RSS (tree) {peak}, ru_maxrss {res['maxrss_mb']:.0f} MB{extra}")
        print()
        for side in sides:
            best = min(runs[side], key=lambda x: x["total"])
            peak = max((x["tree_peak_mb"] or 0) for x in runs[side])
            print(f"{side:8}: best total {best['total']:.2f} s ({n / best['total']:.1f} articles/s), "
                  f"best work {min(x['work'] for x in runs[side]):.2f} s, peak RSS {peak:.0f} MB")
        for baseline in ("bare", "kg-parse"):
            if "build" not in runs or baseline not in runs:
                continue
            ratio = min(x["total"] for x in runs["build"]) / min(x["total"] for x in runs[baseline])
            work_ratio = min(x["work"] for x in runs["build"]) / min(x["work"] for x in runs[baseline])
            paired = [b["total"] / a["total"] for a, b in zip(runs[baseline], runs["build"])]
            print(f"build / {baseline}: {ratio:.3f} (total), {work_ratio:.3f} (work); per round "
                  + ", ".join(f"{p:.3f}" for p in paired))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
