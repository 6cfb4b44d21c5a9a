"""Mentions of things: named entities, pronouns, definite descriptions and other noun phrases.

Every mention carries, in ``features``, the morphology of its head token
(``Number=Plur``, ``Gender=Masc``, ...) and its dependency role as
``Dep=<label>`` (``Dep=nsubj``), which coreference uses to rank antecedents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "mentions_from_doc",
    "NAME_LABELS",
    "PRONOUNS",
    "ARGUMENT_DEPS",
    "DEFINITE_DETERMINERS",
    "BODY_NOUNS",
]

#: NER labels that name things which become entities. Numbers, dates, money,
#: percentages and ordinals are values, not things.
NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

#: Pronouns that may refer back to an entity (first and second person do not).
PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs"})

#: Dependency roles of noun phrases that may be antecedents of a pronoun.
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "dative"})

#: Determiners that make a noun phrase a definite description ("the group").
DEFINITE_DETERMINERS = frozenset({"the", "this", "that"})

#: Nouns that, modified by a name, name an organisation: "the Biden
#: administration", "the Trump campaign", "the Maduro government".
BODY_NOUNS = frozenset({"administration", "government", "campaign", "cabinet", "regime"})

_NAME_ROOT_DEPS_AS_MODIFIER = frozenset({"compound", "amod", "nmod", "poss"})


def _features(tok: Token) -> tuple[str, ...]:
    morph = tuple(str(tok.morph).split("|")) if str(tok.morph) else ()
    if tok.tag_ in {"NNS", "NNPS"} and "Number=Plur" not in morph:
        morph = (*morph, "Number=Plur")
    return (*morph, f"Dep={tok.dep_}")


def mentions_from_doc(doc: Doc, offset: int = 0, first_sentence: int = 0) -> list[Mention]:
    """Return the mentions in ``doc`` in text order, offsets shifted by ``offset``.

    Kinds: ``name`` (an NER span; ``label`` is its NER label), ``pronoun``
    (``label`` ``PRON``), ``nominal`` (a definite description such as "the
    group"; ``label`` is the head lemma) and ``noun`` (any other noun phrase
    in an argument role, "U.S. officials"; ``label`` is the head lemma), which
    is only ever an antecedent.
    """
    text = doc.text  # spaCy joins the tokens on every access: once per doc
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
        sentence = sentence_of.get(ent.start, first_sentence)
        out.append(
            Mention(
                ent.start_char + offset, ent.end_char + offset, ent.text, ent.label_, "name", sentence,
                _features(ent.root),
            )
        )
        head = ent.root.head
        if (
            ent.root.dep_ in _NAME_ROOT_DEPS_AS_MODIFIER - {"poss"}
            and head.i == ent.end
            and head.lemma_.lower() in BODY_NOUNS
            and ent.label_ in {"PERSON", "ORG", "GPE", "NORP"}
        ):
            end = head.idx + len(head.text)
            out.append(
                Mention(
                    ent.start_char + offset, end + offset, text[ent.start_char : end], "ORG", "name",
                    sentence, _features(head),
                )
            )
            taken.add(head.i)
    for tok in doc:
        if tok.i in taken:
            continue
        sentence = sentence_of.get(tok.i, first_sentence)
        if tok.pos_ == "PRON" and tok.lower_ in PRONOUNS:
            out.append(
                Mention(
                    tok.idx + offset, tok.idx + len(tok.text) + offset, tok.text, "PRON", "pronoun", sentence,
                    _features(tok),
                )
            )
        elif tok.pos_ == "NOUN" and (tok.dep_ in ARGUMENT_DEPS or tok.dep_ == "poss"):
            det = [c for c in tok.children if c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS]
            named_modifier = any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)
            if det and not named_modifier:
                start, kind = det[0].idx, "nominal"
            else:
                mods = [c for c in tok.lefts if c.dep_ in {"compound", "amod", "nmod", "det", "poss", "nummod"}]
                start, kind = (mods[0].idx if mods else tok.idx), "noun"
            end = tok.idx + len(tok.text)
            out.append(
                Mention(
                    start + offset, end + offset, text[start:end], tok.lemma_.lower(), kind, sentence,
                    _features(tok),
                )
            )
    out.sort(key=lambda m: (m.start, -m.end, m.kind))
    return out
