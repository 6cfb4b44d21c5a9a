#!/usr/bin/env python3
"""Run kg's relation extractor over a file of sentences and write CaRB predictions.

Usage (from the project root)::

    PYTHONPATH=. python benchmarks/carb.py ../shared/bench/carb/dev_sentences.txt /tmp/pred.tsv \
        --score ../shared/bench/carb/dev_gold.tsv --compare-parse

Every non-blank line is one article with one segment, analysed by
``kg.nlp.analyse_articles``: the same code path as ``kg build``. Each relation
becomes one line ``sentence<TAB>confidence<TAB>relation<TAB>arg1<TAB>arg2...``
with the relation phrase (``predicate_text``), the subject, the object and the
further arguments, all in the sentence's own characters.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from kg.nlp import analyse_articles, analyse_doc, load_model
from kg.records import Analysis, Article, Relation

SCORER = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "carb_score.py"


def read_sentences(path: str) -> list[str]:
    """The non-blank lines of ``path``, without their line ends."""
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\r\n") for line in fh if line.strip()]


def articles_of(sentences: Sequence[str]) -> list[Article]:
    """One article per sentence, its whole text one segment."""
    return [Article(id=str(n), text=s, segments=((0, len(s)),)) for n, s in enumerate(sentences)]


def carb_fields(rel: Relation) -> list[str]:
    """The CaRB columns of one relation after the sentence: confidence, relation, arguments."""
    args = [rel.subject.text]
    if rel.object is not None:
        args.append(rel.object.text)
    args.extend(e.text for e in rel.extra)
    clean = [" ".join(a.split()) for a in args]
    return [f"{rel.confidence:.3f}", " ".join(rel.predicate_text.split()), *clean]


def prediction_lines(analyses: Iterable[Analysis]) -> Iterable[str]:
    """CaRB prediction lines for the relations of every analysis, in order."""
    for analysis in analyses:
        sentence = analysis.article.text
        for rel in analysis.relations:
            yield "\t".join([sentence, *carb_fields(rel)])


def write_predictions(sentences: Sequence[str], out: str, model: str | None = None) -> tuple[int, float]:
    """Extract from ``sentences``, write predictions to ``out``; return (lines written, seconds)."""
    nlp = load_model(model)
    start = time.perf_counter()
    lines = list(prediction_lines(analyse_articles(articles_of(sentences), nlp)))
    seconds = time.perf_counter() - start
    directory = os.path.dirname(os.path.abspath(out))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=directory, delete=False, suffix=".tmp") as fh:
        fh.write("".join(line + "\n" for line in lines))
    os.replace(fh.name, out)
    return len(lines), seconds


def compare_parse(sentences: Sequence[str], model: str | None = None, rounds: int = 3) -> dict[str, float]:
    """CPU seconds (best of ``rounds``) for bare ``nlp.pipe``, for the full analysis, and for extraction alone.

    ``parse`` and ``analyse`` run the same sentences in the same process, in
    alternation, so that both see the same machine. ``extract`` runs only
    ``analyse_doc`` (mentions and relations) over docs parsed beforehand.
    CPU time of this process is used, not wall time, so other processes on
    the machine disturb the ratio less.
    """
    nlp = load_model(model)
    articles = articles_of(sentences)
    list(nlp.pipe(sentences[:50]))  # warm up
    best = {"parse": float("inf"), "analyse": float("inf"), "extract": float("inf")}
    docs = list(nlp.pipe(sentences, batch_size=64))
    for _ in range(rounds):
        t0 = time.process_time()
        for _doc in nlp.pipe(sentences, batch_size=64):
            pass
        t1 = time.process_time()
        for _analysis in analyse_articles(articles, nlp):
            pass
        t2 = time.process_time()
        for doc in docs:
            analyse_doc(doc)
        t3 = time.process_time()
        for key, value in (("parse", t1 - t0), ("analyse", t2 - t1), ("extract", t3 - t2)):
            best[key] = min(best[key], value)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write CaRB predictions of kg's extractor for a file of sentences.")
    ap.add_argument("sentences", help="one sentence per line")
    ap.add_argument("pred", help="where to write the predictions (TSV)")
    ap.add_argument("--model", default=None, help="spaCy model (default: as kg build)")
    ap.add_argument("--score", metavar="GOLD", help="score the predictions against this CaRB gold file")
    ap.add_argument("--compare-parse", action="store_true", help="time bare parsing against parsing plus extraction")
    ap.add_argument("--rounds", type=int, default=3, help="timing rounds for --compare-parse (the best is kept)")
    a = ap.parse_args(argv)

    sentences = read_sentences(a.sentences)
    n, seconds = write_predictions(sentences, a.pred, a.model)
    rate = len(sentences) / seconds if seconds else float("inf")
    print(f"{len(sentences)} sentences, {n} extractions in {seconds:.2f}s ({rate:.0f} sentences/s)")
    if a.compare_parse:
        t = compare_parse(sentences, a.model, max(1, a.rounds))
        print(
            f"CPU time: parse only {t['parse']:.3f}s, parse+analysis {t['analyse']:.3f}s "
            f"(ratio {t['analyse'] / t['parse']:.3f}); analysis of parsed docs alone {t['extract']:.3f}s "
            f"= {100 * t['extract'] / t['parse']:.1f}% of the parse"
        )
    if a.score:
        if not SCORER.exists():
            print(f"scorer not found at {SCORER}; is ../shared beside the project?", file=sys.stderr)
            return 2
        return subprocess.call([sys.executable, str(SCORER), a.score, a.pred])
    return 0


if __name__ == "__main__":
    sys.exit(main())
