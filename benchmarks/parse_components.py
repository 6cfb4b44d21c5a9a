"""kg's parsing pipeline against spaCy's stock one: same annotations, and how much faster.

    PYTHONPATH=. python benchmarks/parse_components.py --articles 300
    PYTHONPATH=. python benchmarks/parse_components.py --articles 0 \\
        --corpus ../shared/corpus/news.jsonl ../shared/corpus/wikinews.jsonl

Loads the model twice (as spaCy ships it, and as kg loads it, with
:mod:`kg.nlp.fast`'s attribute ruler and lemmatizer), parses the content
segments of the first N articles (0: all; unreadable lines are skipped) with
both, in alternating slices of 256 texts, and compares every token's text,
tags, part of speech, morphology, lemma, dependency, head and entity.
Prints the tokens compared, the texts that differ (with the first
difference), and each pipeline's CPU seconds and their ratio. Exits 1 when
any text differs.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "news.jsonl"
SLICE = 256


def annotations(doc) -> list[tuple]:  # noqa: ANN001 - a spaCy Doc
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
            for t in doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300, help="first N articles (0: all)")
    parser.add_argument("--corpus", type=Path, nargs="+", default=[DEFAULT_CORPUS])
    args = parser.parse_args()

    from kg.ingest import read_articles
    from kg.nlp import load_model
    from kg.nlp.pipeline import _pieces

    articles = read_articles(args.corpus, on_problem=lambda problem: None)
    articles = list(islice(articles, args.articles) if args.articles else articles)
    texts = [text for article in articles for _, text in _pieces(article)]
    stock, ours = load_model(None, stock=True), load_model(None)
    print(f"{len(articles)} articles, {len(texts)} segments; kg's components: "
          f"{', '.join(type(ours.get_pipe(n)).__name__ for n in ('attribute_ruler', 'lemmatizer'))}")
    clock = time.process_time
    spent = {"stock": 0.0, "kg": 0.0}
    tokens = differ = 0
    for n, i in enumerate(range(0, len(texts), SLICE)):
        part = texts[i:i + SLICE]
        docs = {}
        for side in (("stock", "kg") if n % 2 == 0 else ("kg", "stock")):
            nlp = stock if side == "stock" else ours
            t = clock()
            docs[side] = list(nlp.pipe(part, batch_size=64))
            spent[side] += clock() - t
        for theirs, mine in zip(docs["stock"], docs["kg"]):
            tokens += len(theirs)
            a, b = annotations(theirs), annotations(mine)
            if a != b:
                differ += 1
                first = next((x, y) for x, y in zip(a + [None], b + [None]) if x != y)
                print(f"differs: segment {theirs.text[:60]!r}: spaCy {first[0]}, kg {first[1]}")
    print(f"{tokens:,} tokens compared, {differ} segment(s) differ")
    print(f"CPU s: spaCy's stock pipeline {spent['stock']:.1f}, kg's {spent['kg']:.1f}; "
          f"kg / stock {spent['kg'] / spent['stock']:.3f}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
