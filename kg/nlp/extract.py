"""Relation extraction from the dependency parse (subject-verb-object)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.records import Argument, Relation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["relations_from_doc"]

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
OBJECTS = frozenset({"dobj", "attr", "oprd"})


def _argument(tok: Token, offset: int) -> Argument:
    sub = list(tok.subtree)
    start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    return Argument(
        tok.doc.text[start:end], start + offset, end + offset, tok.text, tok.idx + offset,
        tok.idx + len(tok.text) + offset, tok.lemma_.lower(),
    )


def relations_from_doc(
    doc: Doc, offset: int = 0, first_sentence: int = 0, article_date: str | None = None
) -> Iterator[Relation]:
    """Yield subject-verb-object relations of every sentence in ``doc``."""
    for i, sent in enumerate(doc.sents):
        span = Span(sent.start_char + offset, sent.end_char + offset, sent.text)
        for verb in sent:
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            subj = [c for c in verb.children if c.dep_ in SUBJECTS]
            objs = [c for c in verb.children if c.dep_ in OBJECTS]
            if not subj or not objs:
                continue
            neg = any(c.dep_ == "neg" for c in verb.children)
            yield Relation(
                _argument(subj[0], offset), verb.lemma_.lower(), verb.text, verb.idx + offset,
                verb.idx + len(verb.text) + offset, _argument(objs[0], offset), span,
                first_sentence + i, negated=neg, confidence=0.5,
            )
