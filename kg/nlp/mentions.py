"""Mentions of things: named entities, pronouns and definite descriptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["mentions_from_doc", "NAME_LABELS", "PRONOUNS"]

#: NER labels that name things which become entities. Numbers, dates, money,
#: percentages and ordinals are values, not things.
NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

#: Pronouns that may refer back to an entity (first and second person do not).
PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs"})


def mentions_from_doc(doc: Doc, offset: int = 0, first_sentence: int = 0) -> list[Mention]:
    """Return the mentions in ``doc`` in text order, offsets shifted by ``offset``."""
    sentence_of = {}
    for i, sent in enumerate(doc.sents):
        for tok in sent:
            sentence_of[tok.i] = first_sentence + i
    out: list[Mention] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        taken.update(range(ent.start, ent.end))
        out.append(
            Mention(
                ent.start_char + offset,
                ent.end_char + offset,
                ent.text,
                ent.label_,
                "name",
                sentence_of.get(ent.start, first_sentence),
            )
        )
    for tok in doc:
        if tok.i in taken:
            continue
        if tok.pos_ == "PRON" and tok.lower_ in PRONOUNS:
            out.append(
                Mention(
                    tok.idx + offset,
                    tok.idx + len(tok.text) + offset,
                    tok.text,
                    "PRON",
                    "pronoun",
                    sentence_of.get(tok.i, first_sentence),
                    tuple(str(tok.morph).split("|")) if str(tok.morph) else (),
                )
            )
        elif tok.pos_ == "NOUN" and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "poss"}:
            det = [c for c in tok.children if c.dep_ == "det" and c.lower_ in {"the", "this", "that"}]
            if det and not any(c.dep_ in {"compound", "amod"} for c in tok.children):
                start = det[0].idx
                out.append(
                    Mention(
                        start + offset,
                        tok.idx + len(tok.text) + offset,
                        doc.text[start : tok.idx + len(tok.text)],
                        tok.lemma_.lower(),
                        "nominal",
                        sentence_of.get(tok.i, first_sentence),
                        tuple(str(tok.morph).split("|")) if str(tok.morph) else (),
                    )
                )
    out.sort(key=lambda m: (m.start, m.end))
    return out
