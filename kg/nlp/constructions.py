"""Relations stated without a verb: appositions, titles, nominalisations, "US-led".

* apposition: "Blinken, the secretary of state" -> Blinken - be - the secretary of state
* title: "Secretary of State Antony Blinken" -> Antony Blinken - be - Secretary of State
* nominal: "Israel's rejection of the proposal" -> Israel - reject - the proposal
  (through the table in :mod:`kg.nlp.nominal`)
* compound: "a US-led proposal" -> US - lead - proposal; "Iranian-backed
  militias" -> Iranian - back - militias

These read more into the text than a verb does, so their confidence is
lower than a clause's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.nlp.arguments import (
    CUT_DEPS,
    DocContext,
    argument,
    argument_from_range,
    time_modifiers,
    token_range,
    trim_range,
)
from kg.nlp.confidence import confidence
from kg.nlp.nominal import NOMINALISATIONS, nominal_predicate
from kg.nlp.qualifiers import normalise_time
from kg.records import Argument, Relation, Span

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["relations_from_constructions", "TITLE_DEPS", "HONORIFICS", "AGENT_MODIFIER_DEPS"]

#: Dependents before a name that may be a title ("President Bush").
TITLE_DEPS = frozenset({"compound", "nmod"})
#: Words before a name that are forms of address, not roles.
HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "st.", "st"})
#: Dependents of a nominalisation that name its agent ("Israel's", "US").
AGENT_MODIFIER_DEPS = frozenset({"poss", "compound", "amod"})
#: Entity labels that can be agents.
AGENT_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"})
#: Entity labels of values, which appositions do not describe.
VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
#: Named-entity labels that a title can precede.
TITLED_LABELS = frozenset({"PERSON"})

#: Parts of speech of possessors that make a "has" relation ("Israel's army").
POSSESSOR_POS = frozenset({"PROPN", "NOUN"})
#: Prepositions after a noun that place it ("Henry Wood Hall in Glasgow").
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "on"})




def relations_from_constructions(ctx: DocContext, tokens: Iterable[Token], span: Span, index: int) -> Iterator[Relation]:
    """Yield the verbless relations of the tokens of one sentence, in text order."""
    for tok in tokens:
        dep, pos = tok.dep_, tok.pos_
        if pos not in _CANDIDATE_POS:
            continue
        if dep == "appos" and pos in ("PROPN", "NOUN") and tok.head.pos_ in ("PROPN", "NOUN"):
            yield from _apposition(ctx, tok, span, index)
        elif dep == "amod" and pos == "VERB" and tok.tag_ in ("VBN", "VBG") and tok.head.pos_ in ("NOUN", "PROPN"):
            yield from _compound_participle(ctx, tok, span, index)
        elif (
            dep == "poss"
            and pos in POSSESSOR_POS
            and tok.head.pos_ in ("NOUN", "PROPN")
            and tok.head.lemma_.lower() not in NOMINALISATIONS  # "Israel's rejection" is an act, not a possession
        ):
            yield from _possessive(ctx, tok, span, index)
        elif dep == "prep" and tok.lower_ in LOCATIVE_PREPOSITIONS and tok.head.pos_ in ("NOUN", "PROPN"):
            yield from _noun_preposition(ctx, tok, span, index)
        if pos == "PROPN" and ctx.name_of(tok) is not None:
            yield from _title(ctx, tok, span, index)
        elif pos == "NOUN" and tok.lemma_.lower() in NOMINALISATIONS:
            yield from _nominal(ctx, tok, span, index)


#: Parts of speech of tokens that can start a verbless relation.
_CANDIDATE_POS = frozenset({"NOUN", "PROPN", "VERB", "ADP"})


def _be(ctx: DocContext, subj: Argument, obj: Argument, at: Token, span: Span, index: int, construction: str) -> Relation:
    """An implicit "be" relation: the predicate has no words of its own in the text."""
    start = at.idx + ctx.offset
    return Relation(
        subject=subj,
        predicate="be",
        predicate_text="be",
        predicate_start=start,
        predicate_end=start,
        object=obj,
        sentence=span,
        sentence_index=index,
        confidence=_score(ctx, construction, subj, obj),
        construction="apposition",
    )


def _apposition(ctx: DocContext, tok: Token, span: Span, index: int) -> Iterator[Relation]:
    """ "Blinken, the secretary of state": Blinken - be - the secretary of state.

    Dates and numbers are not described by appositions (a phrase after "on
    July 17, 1749," is about someone else), nor is a list after a colon.
    """
    head = tok.head
    if (
        ctx.entity_of.get(head.i, (0, 0, ""))[2] in VALUE_LABELS
        or ctx.entity_of.get(tok.i, (0, 0, ""))[2] in VALUE_LABELS
        or (tok.left_edge.i > 0 and ctx.doc[tok.left_edge.i - 1].text in (":", ";"))
    ):
        return
    start, end = token_range(head, CUT_DEPS)
    subj = argument_from_range(ctx, head, start, min(end, tok.left_edge.i) if tok.i > head.i else end)
    obj = argument(ctx, tok)
    if subj.end <= obj.start or obj.end <= subj.start:
        yield _be(ctx, subj, obj, tok, span, index, "apposition")


def _title(ctx: DocContext, tok: Token, span: Span, index: int) -> Iterator[Relation]:
    """A role before a person's name: "Secretary of State Antony Blinken", "President Bush"."""
    name = ctx.name_of(tok)
    if name is None or tok.i != name[1] - 1 or ctx.entity_of[tok.i][2] not in TITLED_LABELS:
        return
    titles = [
        c
        for c in tok.lefts
        if c.dep_ in TITLE_DEPS and c.i < name[0] and c.lower_ not in HONORIFICS and c.pos_ in ("PROPN", "NOUN")
    ]
    if not titles:
        return
    first = titles[0]
    start, end = first.left_edge.i, name[0]
    doc = ctx.doc
    while start < end and (doc[start].dep_ in ("det", "poss", "case", "punct") or doc[start].lower_ in HONORIFICS):
        start += 1
    if start >= end:
        return
    obj = argument_from_range(ctx, first, start, end)
    subj = argument_from_range(ctx, tok, name[0], name[1])
    yield _be(ctx, subj, obj, first, span, index, "title")


def _compound_participle(ctx: DocContext, tok: Token, span: Span, index: int) -> Iterator[Relation]:
    """ "US-led proposal": the name before the hyphen is the agent of the participle."""
    agents = [
        c
        for c in tok.lefts
        if c.dep_ in ("npadvmod", "compound", "nmod", "amod") and ctx.entity_of.get(c.i, (0, 0, ""))[2] in AGENT_LABELS
    ]
    if not agents:
        return
    agent = agents[0]
    name = ctx.name_of(agent) or (agent.i, agent.i + 1)
    subj = argument_from_range(ctx, agent, name[0], name[1])
    noun = tok.head
    obj = argument(ctx, noun)
    start = tok.idx + ctx.offset
    yield Relation(
        subject=subj,
        predicate=tok.lemma_.lower(),
        predicate_text=tok.text,
        predicate_start=start,
        predicate_end=start + len(tok.text),
        object=obj,
        sentence=span,
        sentence_index=index,
        confidence=_score(ctx, "compound", subj, obj),
        construction="compound",
    )


def _nominal(ctx: DocContext, noun: Token, span: Span, index: int) -> Iterator[Relation]:
    """ "Israel's rejection of the proposal", "the killing of leaders by Israel", "the US proposal for a ceasefire"."""
    lemma = noun.lemma_.lower()
    agent: Token | None = None
    for c in noun.lefts:
        if c.dep_ in AGENT_MODIFIER_DEPS and (
            ctx.entity_of.get(c.i, (0, 0, ""))[2] in AGENT_LABELS or (c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"))
        ):
            agent = c
    patient: Token | None = None
    predicate: str | None = None
    prep_tok: Token | None = None
    for c in noun.rights:
        if c.dep_ == "prep":
            pobj = [x for x in c.children if x.dep_ == "pobj"]
            if not pobj:
                continue
            if c.lower_ == "by" and agent is None:
                agent = pobj[0]
                continue
            if patient is None:
                pred = nominal_predicate(lemma, c.lower_)
                if pred is not None:
                    patient, predicate, prep_tok = pobj[0], pred, c
    if agent is None or patient is None or predicate is None or prep_tok is None:
        return
    times = time_modifiers(ctx, noun) + [t for p in (patient,) for t in time_modifiers(ctx, p)]
    time = time_value = None
    if times:
        hit = ctx.entity_of[times[0].i]
        time = ctx.doc[hit[0] : hit[1]].text
        time_value = normalise_time(time, ctx.article_date)
    name = ctx.name_of(agent)
    if name is not None:
        subj = argument_from_range(ctx, agent, name[0], name[1])
    else:
        subj = argument(ctx, agent)
    for p in _coordinated(patient):
        obj = argument(ctx, p)
        start = noun.idx + ctx.offset
        yield Relation(
            subject=subj,
            predicate=predicate,
            predicate_text=f"{noun.text} {prep_tok.text}",
            predicate_start=start,
            predicate_end=prep_tok.idx + len(prep_tok.text) + ctx.offset,
            object=obj,
            sentence=span,
            sentence_index=index,
            time=time,
            time_value=time_value,
            confidence=_score(ctx, "nominal", subj, obj),
            construction="nominal",
        )


def _coordinated(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_coordinated(c))
    return sorted(out, key=lambda t: t.i)


def _possessive(ctx: DocContext, poss: Token, span: Span, index: int) -> Iterator[Relation]:
    """ "Israel's army": Israel - have - army."""
    noun = poss.head
    start, end = token_range(noun, CUT_DEPS | {"prep", "acl"})
    start = poss.right_edge.i + 1
    while start < noun.i and ctx.doc[start].dep_ in ("case", "punct"):
        start += 1
    if start > noun.i:
        return
    name = ctx.name_of(poss)
    p_start, p_end = name if name is not None else token_range(poss, CUT_DEPS | {"case"})
    subj = argument_from_range(ctx, poss, p_start, p_end)
    obj = argument_from_range(ctx, noun, start, end)
    at = noun.idx + ctx.offset
    yield Relation(
        subject=subj,
        predicate="have",
        predicate_text="has",
        predicate_start=at,
        predicate_end=at,
        object=obj,
        sentence=span,
        sentence_index=index,
        confidence=_score(ctx, "possessive", subj, obj),
        construction="possessive",
    )


def _noun_preposition(ctx: DocContext, prep: Token, span: Span, index: int) -> Iterator[Relation]:
    """ "Henry Wood Hall in Glasgow": Henry Wood Hall - be in - Glasgow."""
    pobj = [c for c in prep.children if c.dep_ == "pobj"]
    if not pobj:
        return
    noun = prep.head
    start, end = token_range(noun, CUT_DEPS | {"acl"})
    end = min(end, prep.i)
    subj = argument_from_range(ctx, noun, *trim_range(ctx.doc, start, end, noun.i))
    for p in _coordinated(pobj[0]):
        obj = argument(ctx, p)
        at = prep.idx + ctx.offset
        yield Relation(
            subject=subj,
            predicate=f"be {prep.lower_}",
            predicate_text=f"be {prep.text}",
            predicate_start=at,
            predicate_end=at + len(prep.text),
            object=obj,
            sentence=span,
            sentence_index=index,
            confidence=_score(ctx, "prep", subj, obj),
            construction="prep",
        )


def _score(ctx: DocContext, construction: str, subj: Argument, obj: Argument) -> float:
    return confidence(
        construction,
        len(subj.text.split()),
        len(obj.text.split()),
        sentence_tokens=ctx.sentence_tokens,
        subject_is_name=subj.head == subj.text,
    )
