"""Memory of the parts of a build that used to make its peaks: parsing a long page, bulk-loading a write.

    PYTHONPATH=. python benchmarks/memory_parts.py parse
    PYTHONPATH=. python benchmarks/memory_parts.py load

``parse``: the longest article of ``../shared/corpus/wikinews.jsonl`` parsed
in one process, in batches of 64 texts or of at most
``kg.nlp.pipeline.BATCH_CHARS`` characters, keeping each Doc's tensor or
dropping it; prints the peak resident memory over the loaded model and
what is still held once the page is parsed, its Docs alive (as a worker
holds them until the article is built).

``load``: 60 news articles built (``kg.corpus.build_articles``), then their
N-Triples bulk-loaded into a fresh store in one, two or four writes
(``LocalStore.add_articles``, which streams the quads) or as one N-Quads
string; prints the CPU time and the peak over what the process held before.

Each case runs in its own subprocess; memory is sampled every 5 ms (psutil).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


class Peak:
    """The peak resident memory of this process from now on, sampled in a thread."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.start = self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            self._stop.wait(0.005)

    def stop(self) -> float:
        """MB above the start."""
        self._stop.set()
        self._thread.join()
        return (self.peak - self.start) / 2**20


def _trim() -> None:
    from kg.corpus import _release_memory

    _release_memory()


def case_parse(batch: str, tensor: str) -> dict:
    import numpy

    from kg.ingest import read_articles
    from kg.nlp import load_model
    from kg.nlp.pipeline import BATCH_CHARS, _pieces, bounded_batches

    nlp = load_model(None)
    articles = list(read_articles([SHARED / "wikinews.jsonl"], on_problem=lambda p: None))
    page = max(articles, key=lambda a: len(a.text))
    texts = [text for _, text in _pieces(page)]
    list(nlp.pipe(texts[:20]))  # warm up
    _trim()
    peak = Peak()
    docs = []
    for b in bounded_batches(texts, 64, BATCH_CHARS if batch == "chars" else 10**12, len):
        for doc in nlp.pipe(b, batch_size=len(b)):
            if tensor == "dropped":
                doc.tensor = numpy.zeros((0,), dtype="float32")
            docs.append(doc)
    held = (peak.proc.memory_info().rss - peak.start) / 2**20  # with every Doc of the page still alive
    return {"chars": len(page.text), "tokens": sum(len(d) for d in docs), "peak_mb": peak.stop(), "held_mb": held}


def case_load(how: str) -> dict:
    import pyoxigraph

    from kg.corpus import Built, build_articles
    from kg.ingest import read_articles
    from kg.nlp import load_model
    from kg.store import open_store

    articles = list(read_articles([SHARED / "news.jsonl"], on_problem=lambda p: None))[:60]
    graphs = [(b.graph_iri, b.ntriples) for b in build_articles(articles, load_model(None)) if isinstance(b, Built)]
    triples = sum(nt.count("\n") for _, nt in graphs)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store", create=True)
        _trim()
        peak = Peak()
        cpu = time.process_time()
        if how == "string":
            nquads = "".join(nt.replace(" .\n", f" <{g}> .\n") + nt for g, nt in graphs)
            store.ox.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        else:
            parts = int(how)
            size = -(-len(graphs) // parts)
            for i in range(0, len(graphs), size):
                store.add_articles(graphs[i:i + size])
        cpu = time.process_time() - cpu
        mb = peak.stop()
        store.close()
    return {"triples": triples, "cpu_s": cpu, "peak_mb": mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["parse", "load"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--case", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        out = case_parse(*args.case[1:]) if args.case[0] == "parse" else case_load(*args.case[1:])
        print(json.dumps(out))
        return
    if args.what == "parse":
        cases = [["parse", b, t] for b in ("64", "chars") for t in ("kept", "dropped")]
    else:
        cases = [["load", h] for h in ("string", "1", "2", "4")]
    env = {"PYTHONPATH": str(ROOT)}
    for r in range(args.rounds):
        for case in cases:
            res = subprocess.run([sys.executable, __file__, args.what, "--case", *case], capture_output=True, text=True,
                                 env={**__import__("os").environ, **env}, check=True)
            out = json.loads(res.stdout.strip().splitlines()[-1])
            label = (f"batches of {'64 texts' if case[1] == '64' else 'at most BATCH_CHARS'}, tensor {case[2]}"
                     if args.what == "parse" else
                     ("one N-Quads string" if case[1] == "string" else f"{case[1]} write(s), streamed"))
            extra = f", {out['cpu_s']:.2f} CPU s, {out['triples']:,} triples" if "cpu_s" in out else \
                f", +{out['held_mb']:.0f} MB held with the page's Docs ({out['tokens']:,} tokens)"
            print(f"round {r + 1}: {label:50} peak +{out['peak_mb']:.0f} MB{extra}", flush=True)


if __name__ == "__main__":
    main()
