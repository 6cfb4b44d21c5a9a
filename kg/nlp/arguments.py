"""Argument spans of relations: which tokens of the parse make up an argument.

An argument is the contiguous stretch of a token's subtree that belongs to
the phrase it heads: coordinated phrases, relative clauses and appositions
are cut off (they are relations of their own), and punctuation or
conjunctions left dangling at the edges are trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.attrs import ENT_IOB, ENT_TYPE

from kg.nlp.mentions import NAME_LABELS
from kg.records import Argument

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["DocContext", "CUT_DEPS", "RELATIVE_PRONOUNS", "token_range", "trim_range", "argument", "argument_from_range", "time_modifiers"]

#: Dependents that start a phrase of their own inside an argument's subtree:
#: an argument stops before them.
CUT_DEPS = frozenset({"conj", "cc", "relcl", "appos", "preconj"})

#: Dependents of a noun that may be a time expression dating the clause.
TIME_MODIFIER_DEPS = frozenset({"npadvmod", "advmod"})

#: Dependents cut from an argument even when they hang off a word deeper in it.
DEEP_CUT_DEPS = frozenset({"relcl"})

#: Relative pronouns and adverbs: stand-ins for the noun a relative clause modifies.
RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "that", "whose"})

#: Dependents trimmed from the edges of an argument.
_EDGE_DEPS = frozenset({"punct", "cc", "mark", "prep", "case", "preconj"})

#: Determiners and possessives left out of the normalised label.
_LABEL_SKIP_DEPS = frozenset({"det", "poss", "nummod", "quantmod", "predet", "case", "punct"})


@dataclass
class DocContext:
    """What the extractors of one ``Doc`` share: offsets and the named-entity spans by token."""

    doc: Doc
    offset: int
    article_date: str | None
    entity_of: dict[int, tuple[int, int, str]]
    text: str = ""
    #: length in tokens of the sentence being read (a sign of how hard it was to parse)
    sentence_tokens: int = 0
    #: arguments already built, by head token and cut labels (a subject serves many clauses)
    arguments: dict[tuple[int, frozenset[str]], Argument] = field(default_factory=dict)

    @classmethod
    def build(cls, doc: Doc, offset: int = 0, article_date: str | None = None) -> DocContext:
        """Index the entities of ``doc`` by token."""
        return cls(doc, offset, article_date, _entity_index(doc), doc.text)

    def name_of(self, tok: Token) -> tuple[int, int] | None:
        """Token range ``(start, end)`` of the named entity ``tok`` is part of, if any."""
        hit = self.entity_of.get(tok.i)
        if hit is None or hit[2] not in NAME_LABELS:
            return None
        return hit[0], hit[1]


def _entity_index(doc: Doc) -> dict[int, tuple[int, int, str]]:
    """Map every token inside a named entity to ``(start, end, label)`` of that entity.

    Read from the IOB array in one pass: building ``doc.ents`` costs more.
    """
    if len(doc) == 0:
        return {}
    iob_types = doc.to_array([ENT_IOB, ENT_TYPE]).tolist()
    strings = doc.vocab.strings
    out: dict[int, tuple[int, int, str]] = {}
    start = -1
    label = 0
    for i, (iob, ent_type) in enumerate(iob_types + [[2, 0]]):
        if start >= 0 and iob != 1:
            entity = (start, i, strings[label])
            for k in range(start, i):
                out[k] = entity
            start = -1
        if iob == 3:
            start, label = i, ent_type
    return out


def token_range(tok: Token, cut: frozenset[str] = CUT_DEPS, keep: Token | None = None) -> tuple[int, int]:
    """Token range ``[start, end)`` of the phrase ``tok`` heads, without the dependents in ``cut``.

    ``keep``, when given, is a child of ``tok`` that stays even if its
    dependency is in ``cut`` (a conjunct that is itself the argument).
    """
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    for child in tok.children:
        if child.dep_ not in cut or (keep is not None and child.i == keep.i):
            continue
        if child.i > tok.i:
            end = min(end, child.left_edge.i)
        else:
            start = max(start, child.right_edge.i + 1)
    # a relative clause anywhere in the phrase is a relation of its own
    for t in tok.doc[tok.i + 1 : end]:
        if t.dep_ in DEEP_CUT_DEPS:
            end = min(end, t.left_edge.i)
            break
    return trim_range(tok.doc, start, end, tok.i)


def trim_range(doc: Doc, start: int, end: int, head: int) -> tuple[int, int]:
    """Drop punctuation and dangling function words from both ends of ``[start, end)``."""
    while start < head and (doc[start].dep_ in _EDGE_DEPS or doc[start].is_punct) and not _bracket_open(doc, start, end):
        start += 1
    while end - 1 > head and (doc[end - 1].dep_ in _EDGE_DEPS or doc[end - 1].is_punct) and not _quote_close(
        doc, start, end
    ):
        end -= 1
    return start, end


def _bracket_open(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start]`` opens a quote or bracket closed inside the range (kept as part of a title)."""
    t = doc[start].text
    if t not in ("``", '"', "(", "'", "`"):
        return False
    closer = {"``": "''", "(": ")", "`": "'"}.get(t, t)
    return any(doc[i].text == closer for i in range(start + 1, end))


def _quote_close(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[end - 1]`` closes a quote or bracket opened inside the range."""
    t = doc[end - 1].text
    opener = {"''": "``", ")": "(", "'": "`"}.get(t, t)
    if t not in ("''", '"', ")", "'"):
        return False
    return any(doc[i].text == opener for i in range(start, end - 1))


def argument(ctx: DocContext, tok: Token, cut: frozenset[str] = CUT_DEPS) -> Argument:
    """The argument headed by ``tok``: its phrase, the head (a whole name when it is one) and a label.

    A date hanging off the noun ("a proposal two weeks ago") dates the
    clause rather than naming the thing, so it is left out (see
    :func:`time_modifiers`).
    """
    key = (tok.i, cut)
    known = ctx.arguments.get(key)
    if known is not None:
        return known
    start, end = token_range(tok, cut)
    for t in time_modifiers(ctx, tok):
        end = min(end, t.left_edge.i)
    start, end = trim_range(ctx.doc, start, end, tok.i)
    arg = ctx.arguments[key] = argument_from_range(ctx, tok, start, end)
    return arg


def time_modifiers(ctx: DocContext, tok: Token) -> list[Token]:
    """Adverbial dependents of a noun after it that are dates or times ("two weeks ago")."""
    return [
        c
        for c in tok.rights
        if c.dep_ in TIME_MODIFIER_DEPS and ctx.entity_of.get(c.i, (0, 0, ""))[2] in ("DATE", "TIME")
    ]


def argument_from_range(ctx: DocContext, tok: Token, start: int, end: int) -> Argument:
    """The argument spanning tokens ``[start, end)`` whose head token is ``tok``."""
    doc = ctx.doc
    start, end = min(start, tok.i), max(end, tok.i + 1)
    char_start = doc[start].idx
    char_end = doc[end - 1].idx + len(doc[end - 1].text)
    name = ctx.name_of(tok)
    if name is not None:
        h_start, h_end = max(name[0], start), min(name[1], end)
        while h_start < tok.i and doc[h_start].lower_ in ("the", "a", "an"):
            h_start += 1
        head_start = doc[h_start].idx
        head_end = doc[h_end - 1].idx + len(doc[h_end - 1].text)
        head = ctx.text[head_start:head_end]
        label = head
    else:
        head_start, head_end = tok.idx, tok.idx + len(tok.text)
        head = tok.text
        label = noun_label(tok)
    off = ctx.offset
    return Argument(
        ctx.text[char_start:char_end],
        char_start + off,
        char_end + off,
        head,
        head_start + off,
        head_end + off,
        label,
    )


def noun_label(tok: Token) -> str:
    """Lower-case lemma of ``tok`` with its compound modifiers: "ceasefire proposal"."""
    parts = [c for c in tok.lefts if c.dep_ == "compound" and c.dep_ not in _LABEL_SKIP_DEPS and not c.is_punct]
    words = [_lemma(c) for c in parts] + [_lemma(tok)]
    return " ".join(w for w in words if w)


def _lemma(tok: Token) -> str:
    if tok.pos_ == "PROPN":
        return tok.text.lower()
    return (tok.lemma_ or tok.text).lower()
