"""Relation extraction from the dependency parse.

One relation per clause and per combination of coordinated subjects and
objects. A clause is a predicate (a verb, or a copula) with the arguments the
parse gives it, or that it inherits: the antecedent of a relative clause, the
subject of the verb it is coordinated with or that controls it ("continue to
advocate for"), or the noun a participle modifies ("officials speaking to
CNN"). Relations that no verb states (appositions, titles, nominalisations,
"US-led") come from :mod:`kg.nlp.constructions`.

Everything here is a pure function of an already parsed ``Doc``: no model is
loaded, and the output order is the order of the predicates in the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

from kg.nlp.arguments import (
    CUT_DEPS,
    RELATIVE_PRONOUNS,
    DocContext,
    argument,
    argument_from_range,
    time_modifiers,
    token_range,
    trim_range,
)
from kg.nlp.confidence import confidence
from kg.nlp.constructions import relations_from_constructions
from kg.nlp.qualifiers import (
    ATTRIBUTION_PREPOSITIONS,
    INTENT_VERBS,
    MODAL_AUXILIARIES,
    NEGATING_VERBS,
    REPORTING_VERBS,
    normalise_time,
)
from kg.records import Argument, Relation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "relations_from_doc",
    "relations_from_sentence",
    "SUBJECT_DEPS",
    "OBJECT_DEPS",
    "AUX_DEPS",
    "NEG_DEPS",
    "EXTRA_DEPS",
]

#: Subjects of a clause.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
#: Subjects that make a clause passive.
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
#: Direct objects and predicate complements.
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "acomp"})
#: Auxiliaries that go into the relation phrase.
AUX_DEPS = frozenset({"aux", "auxpass"})
#: Negation ("not", "never", "no" of "no longer").
NEG_DEPS = frozenset({"neg"})
#: Dependents of a verb that become further arguments (places, times, manner, ...).
EXTRA_DEPS = frozenset({"prep", "agent", "npadvmod", "advmod", "advcl", "dative", "oprd", "acomp", "ccomp", "xcomp"})
#: Preposition-like dependents that may move into the relation ("advocate for").
PREP_DEPS = frozenset({"prep", "agent", "dative"})
#: Modifiers of a relational noun that stay in the relation ("is the former capital of").
RELATIONAL_NOUN_MODIFIERS = frozenset({"det", "amod", "compound", "nummod", "advmod"})
#: Dependents that make up a noun phrase before its head.
NOUN_PHRASE_DEPS = frozenset({"det", "compound", "amod", "poss", "nummod", "predet"})
#: Dependency labels of tokens that never head a clause of their own.
NON_CLAUSE_DEPS = frozenset({"aux", "auxpass", "amod", "compound", "nmod", "prep", "det", "case", "npadvmod", "punct"})
#: Sentence adverbs that belong to neither the relation nor an argument.
DISCOURSE_ADVERBS = frozenset(
    {"however", "instead", "meanwhile", "moreover", "furthermore", "nevertheless", "thus", "therefore", "so", "then"}
)
#: Relative adverbs and question words: they stand for an argument, not a modifier.
WH_TAGS = frozenset({"WRB", "WDT", "WP", "WP$"})
#: Deepest chain of heads followed when a clause inherits its subject.
MAX_DEPTH = 8


def relations_from_doc(
    doc: Doc, offset: int = 0, first_sentence: int = 0, article_date: str | None = None
) -> Iterator[Relation]:
    """Yield the relations of every sentence in ``doc``, in text order.

    Character offsets in the records are offsets into ``doc.text`` plus
    ``offset``; ``sentence_index`` counts the non-blank sentences of the doc
    from ``first_sentence``. ``article_date`` (``YYYY-MM-DD``) anchors relative
    time expressions ("two weeks ago"). Never loads a model; a doc without a
    dependency parse yields nothing.
    """
    if not doc.has_annotation("DEP"):
        # no dependency parse (a pipeline without a parser): nothing to read relations from
        return
    ctx = DocContext.build(doc, offset, article_date)
    index = first_sentence
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        yield from relations_from_sentence(ctx, sent, index)
        index += 1


def relations_from_sentence(ctx: DocContext, sent: SpacySpan, index: int) -> Iterator[Relation]:
    """Yield the relations of one sentence: clauses first, then the other constructions."""
    span = Span(sent.start_char + ctx.offset, sent.end_char + ctx.offset, sent.text)
    ctx.sentence_tokens = len(sent)
    seen: set[tuple] = set()
    tokens = list(sent)
    for rel in chain(_clause_relations(ctx, tokens, span, index), relations_from_constructions(ctx, tokens, span, index)):
        # one statement read by two rules (a relative clause and its antecedent's verb) is kept once
        key = (rel.predicate_text, rel.subject.start, rel.subject.end, rel.object and (rel.object.start, rel.object.end))
        if key not in seen:
            seen.add(key)
            yield rel


@dataclass
class _Clause:
    """The parts of one clause before they are turned into relations."""

    verbs: list[Token]
    subjects: list[Token]
    subject_how: str
    relation: list[Token]
    objects: list[Token] = field(default_factory=list)
    object_ranges: dict[int, tuple[int, int]] = field(default_factory=dict)
    extras: list[Token] = field(default_factory=list)
    preposition: Token | None = None
    passive: bool = False
    implicit_be: bool = False
    #: the noun or adjective folded into a copula's relation ("capital" of "is the capital of")
    relational_noun: Token | None = None
    construction: str = "active"


def _clause_relations(ctx: DocContext, tokens: list[Token], span: Span, index: int) -> Iterator[Relation]:
    for tok in tokens:
        if not _is_predicate(tok):
            continue
        clause = _clause(tok)
        if clause is None:
            continue
        yield from _relations(ctx, clause, span, index)


def _is_predicate(tok: Token) -> bool:
    """Whether ``tok`` is the lowest verb of a clause that yields relations."""
    pos = tok.pos_
    if pos == "NOUN" and tok.dep_ == "ROOT":
        return _noun_as_verb(tok)
    if pos not in ("VERB", "AUX") or tok.dep_ in NON_CLAUSE_DEPS:
        return False
    kids = list(tok.children)
    if pos == "AUX":
        if not any(c.dep_ in SUBJECT_DEPS or c.dep_ in OBJECT_DEPS or c.dep_ in PREP_DEPS for c in kids):
            return False
    # a verb whose content is its open complement ("continue to advocate") is
    # stated by that complement's relation
    has_object = any(c.dep_ in OBJECT_DEPS for c in kids)
    return has_object or not any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in kids)


def _noun_as_verb(tok: Token) -> bool:
    """Whether a noun heading the sentence is a verb the tagger missed: it has a direct object."""
    return any(c.dep_ == "dobj" for c in tok.children) and any(c.dep_ == "compound" for c in tok.lefts)


def _chain(verb: Token) -> list[Token]:
    """The verbs of an open-complement chain ending at ``verb``, top first ("sought to facilitate")."""
    chain = [verb]
    while (
        chain[0].dep_ == "xcomp"
        and chain[0].head.pos_ in ("VERB", "AUX")
        and chain[0].head.i != chain[0].i
        and not _own_subjects(chain[0])
        and not any(c.dep_ in OBJECT_DEPS for c in chain[0].head.children)
        and len(chain) < MAX_DEPTH
    ):
        chain.insert(0, chain[0].head)
    return chain


def _own_subjects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in SUBJECT_DEPS]


def _subjects(verb: Token, depth: int = 0) -> tuple[list[Token], str]:
    """Subject tokens of the clause headed by ``verb`` and how they were found.

    ``how`` is ``"own"``, ``"relative"`` (the antecedent of a relative
    clause), ``"conj"`` (shared with a coordinated verb), ``"control"`` (the
    object of the verb an open complement hangs from), ``"participle"`` or
    ``""`` when there is none.
    """
    own = _own_subjects(verb)
    if own:
        subj = own[0]
        if subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return [verb.head], "relative"
        if subj.tag_ in WH_TAGS:
            return [], ""
        return _conjuncts(subj), "own"
    if verb.pos_ == "NOUN":
        compounds = [c for c in verb.lefts if c.dep_ == "compound"]
        return (compounds[-1:], "mistagged") if compounds else ([], "")
    if depth >= MAX_DEPTH or verb.head.i == verb.i:
        return [], ""
    head = verb.head
    if verb.dep_ == "relcl" and head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        if _antecedent_is_not_subject(verb):
            return [], ""
        return [head], "relative"
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        subjects, how = _subjects(_chain(head)[0], depth + 1)
        return subjects, ("conj" if how == "own" else how)
    if verb.dep_ == "xcomp":
        objs = [c for c in head.children if c.dep_ == "dobj"]
        if objs:
            return objs[:1], "control"
        subjects, how = _subjects(_chain(head)[0], depth + 1)
        return subjects, how
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON") and verb.tag_ in ("VBG", "VBN"):
        return [head], "participle"
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN") and head.pos_ in ("VERB", "AUX"):
        subjects, how = _subjects(_chain(head)[0], depth + 1)
        return subjects, ("participle" if subjects else "")
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        subjects, how = _subjects(_chain(head.head)[0], depth + 1)
        return subjects, ("participle" if subjects else "")
    return [], ""


def _antecedent_is_not_subject(verb: Token) -> bool:
    """Whether a subjectless relative clause says something else of its noun.

    "levels at which there was resistance" (the noun is a prepositional object,
    the subject is "there") and "the plot to assassinate Hitler" (an infinitive
    whose subject is unsaid) do not make the noun the subject.
    """
    for c in verb.children:
        if c.dep_ == "expl":
            return True
        if c.dep_ == "prep" and any(x.dep_ == "pobj" and x.lower_ in RELATIVE_PRONOUNS for x in c.children):
            return True
        if c.dep_ == "aux" and c.lower_ == "to" and verb.tag_ == "VB":
            return True
    return False


def _conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the phrases coordinated with it, in text order."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack and len(out) < 16:
        c = stack.pop(0)
        out.append(c)
        stack.extend(x for x in c.children if x.dep_ == "conj")
    return sorted(out, key=lambda t: t.i)


def _verb_tokens(verb: Token, inherit: bool = True) -> list[Token]:
    """The relation words of one verb: auxiliaries, negation, adverbs between them, the verb, particles."""
    kids = list(verb.children)
    aux = [c for c in kids if (c.dep_ in AUX_DEPS or c.dep_ in NEG_DEPS) and c.i < verb.i]
    if inherit and not any(c.dep_ in AUX_DEPS for c in aux) and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        aux = [c for c in verb.head.children if c.dep_ in AUX_DEPS and c.i < verb.head.i] + aux
    first = min((c.i for c in aux), default=verb.i)
    adverbs = [
        c
        for c in kids
        if c.dep_ == "advmod"
        and c.i < verb.i
        and (c.i > first or c.i == verb.i - 1)
        and c.tag_ not in WH_TAGS
        and c.lower_ not in DISCOURSE_ADVERBS
        and not c.n_lefts
    ]
    # "no longer" negates the verb whichever word the parser hangs "no" on
    no_longer = [
        t for c in kids if c.dep_ == "advmod" and c.lower_ == "longer" for t in (*c.lefts, c) if t.lower_ in ("no", "longer")
    ]
    particles = [c for c in kids if c.dep_ == "prt" and c.i > verb.i]
    return sorted({t.i: t for t in aux + adverbs + no_longer + [verb] + particles}.values(), key=lambda t: t.i)


def _clause(verb: Token) -> _Clause | None:
    """Assemble the clause whose lowest verb is ``verb``; ``None`` when it has no subject."""
    chain = _chain(verb)
    subjects, how = _subjects(chain[0])
    if not subjects:
        return None
    relation: list[Token] = []
    for v in chain:
        relation.extend(_verb_tokens(v))
    passive = any(c.dep_ == "auxpass" for c in relation) or any(
        c.dep_ in PASSIVE_SUBJECT_DEPS for c in verb.children
    )
    construction = {
        "relative": "relative",
        "participle": "participle",
    }.get(how, "active")
    if len(chain) > 1:
        construction = "xcomp"
    implicit_be = how == "participle" and chain[0].dep_ == "acl" and verb.tag_ == "VBN"
    if implicit_be:
        passive = True
    if construction == "active" and passive:
        construction = "passive"
    if construction == "active" and verb.lemma_ == "be":
        construction = "copula"
    if construction == "active" and verb.lemma_ in REPORTING_VERBS and any(c.dep_ == "ccomp" for c in verb.children):
        construction = "report"
    clause = _Clause(chain, subjects, how, relation, passive=passive, implicit_be=implicit_be, construction=construction)
    _fill_objects(clause, verb)
    return clause


def _fill_objects(clause: _Clause, verb: Token) -> None:
    """Find the objects of ``verb`` (or the prepositional object that joins the relation) and the extras."""
    used: set[int] = {t.i for t in clause.relation} | {s.i for s in clause.subjects}
    kids = list(verb.children)
    objects: list[Token] = []
    for c in kids:
        if c.dep_ in OBJECT_DEPS or (c.dep_ == "xcomp" and c.pos_ not in ("VERB", "AUX")):
            if c.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" and clause.subject_how == "own":
                objects.append(verb.head)
                clause.construction = "relative"
            elif c.tag_ not in WH_TAGS:
                objects.extend(_conjuncts(c))
            used.add(c.i)
            break
    if (
        not objects
        and verb.dep_ == "relcl"
        and clause.subject_how == "own"
        and verb.pos_ == "VERB"
        and not clause.passive
        and not any(c.dep_ in PREP_DEPS or c.dep_ in ("ccomp", "xcomp") or c.tag_ in WH_TAGS for c in kids)
        and verb.head.pos_ in ("NOUN", "PROPN")
    ):
        # "the $58 a share Georgia-Pacific is offering": the noun is the object
        objects.append(verb.head)
        clause.construction = "relative"
    if len(objects) == 1 and objects[0].dep_ == "attr" and verb.lemma_ == "be":
        _relational_noun(clause, objects, used)
    elif len(objects) == 1 and objects[0].dep_ == "acomp":
        _adjective_complement(clause, objects, used)
    if not objects:
        ccomp = [c for c in kids if c.dep_ == "ccomp"]
        if ccomp:
            c = ccomp[0]
            start, end = c.left_edge.i, c.right_edge.i + 1
            while start < c.i and c.doc[start].dep_ in ("mark", "punct"):
                start += 1
            start, end = trim_range(c.doc, start, end, c.i)
            clause.object_ranges[c.i] = (start, end)
            objects.append(c)
            used.add(c.i)
    if not objects and verb.lemma_ in REPORTING_VERBS and verb.dep_ == "parataxis":
        # "The specialists, a trader said, were livid": the clause it interrupts is what was said
        content = verb.head
        start, end = content.left_edge.i, content.right_edge.i + 1
        if verb.i > content.i:
            end = min(end, verb.left_edge.i)
        else:
            start = max(start, verb.right_edge.i + 1)
        clause.object_ranges[content.i] = trim_range(verb.doc, start, end, content.i)
        objects.append(content)
        if clause.construction == "active":
            clause.construction = "report"
    if not objects:
        shared = _shared_object(verb)
        if shared is not None:
            objects.extend(_conjuncts(shared))
    if not objects:
        prep = _object_preposition(verb, clause.passive)
        if prep is not None:
            pobj = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
            if pobj:
                clause.preposition = prep
                clause.relation.append(prep)
                # "is substantially above": an adverb between the verb and its preposition
                between = [
                    c
                    for c in (*kids, *prep.lefts)
                    if c.dep_ == "advmod" and verb.i < c.i < prep.i and not c.n_lefts and not c.n_rights
                ]
                clause.relation.extend(between)
                used.update(c.i for c in between)
                if pobj[0].dep_ == "pobj":
                    objects.extend(_conjuncts(pobj[0]))
                else:
                    c = pobj[0]
                    clause.object_ranges[c.i] = trim_range(c.doc, c.left_edge.i, c.right_edge.i + 1, c.i)
                    objects.append(c)
                used.add(prep.i)
    clause.objects = objects
    heads = list(clause.verbs)
    if clause.subject_how == "conj":
        # modifiers fronted before the first of coordinated verbs belong to all of them
        first = clause.verbs[0].head
        heads.append(first)
        used.update(c.i for c in first.children if c.i > first.i)
    for v in heads:
        for c in kids if v.i == verb.i else v.children:
            if c.i in used or c.dep_ not in EXTRA_DEPS:
                continue
            if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and v.i != verb.i:
                continue
            if c.dep_ == "advmod" and (c.tag_ in WH_TAGS or c.lower_ in DISCOURSE_ADVERBS or c in clause.relation):
                continue
            if c.dep_ == "prep" and c.lower_ in ATTRIBUTION_PREPOSITIONS:
                continue
            if c.dep_ == "advcl" and c.i < verb.i:
                continue
            clause.extras.append(c)
    clause.extras.sort(key=lambda t: t.i)


def _shared_object(verb: Token) -> Token | None:
    """The object of the last of coordinated verbs, when it is also the object of ``verb`` ("buy and sell stocks")."""
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ == "VERB" and not _own_subjects(c):
            objs = [o for o in c.children if o.dep_ == "dobj" and o.i > c.i]
            if objs and not any(o.dep_ in PREP_DEPS or o.dep_ in OBJECT_DEPS for o in verb.rights if o.i < c.i):
                return objs[0]
    return None


def _relational_noun(clause: _Clause, objects: list[Token], used: set[int]) -> None:
    """Fold "the capital of" into the relation of "X is the capital of Y": Y becomes the object."""
    noun = objects[0]
    if noun.pos_ != "NOUN" or any(c.dep_ == "conj" for c in noun.children):
        return
    preps = [c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"]
    if not preps:
        return
    pobj = [c for c in preps[0].children if c.dep_ == "pobj"]
    if not pobj or any(c.dep_ in ("prep", "relcl", "acl") and c.i < preps[0].i for c in noun.rights):
        return
    words = [t for t in noun.doc[noun.left_edge.i : noun.i] if t.dep_ in RELATIONAL_NOUN_MODIFIERS and t.head.i == noun.i]
    clause.relation.extend(words + [noun, preps[0]])
    clause.relational_noun = noun
    used.update({noun.i, preps[0].i})
    objects[:] = _conjuncts(pobj[0])


def _adjective_complement(clause: _Clause, objects: list[Token], used: set[int]) -> None:
    """Fold "familiar with" into the relation of "X is familiar with Y": Y becomes the object."""
    adj = objects[0]
    preps = [c for c in adj.rights if c.dep_ == "prep"]
    if adj.pos_ != "ADJ" or not preps or any(c.dep_ == "conj" for c in adj.children):
        return
    pobj = [c for c in preps[0].children if c.dep_ in ("pobj", "pcomp")]
    if not pobj:
        return
    words = [t for t in adj.lefts if t.dep_ in ("advmod", "npadvmod")]
    clause.relation.extend(words + [adj, preps[0]])
    clause.relational_noun = adj
    clause.preposition = preps[0]
    used.update({adj.i, preps[0].i})
    if pobj[0].dep_ == "pcomp":
        c = pobj[0]
        clause.object_ranges[c.i] = trim_range(c.doc, c.left_edge.i, c.right_edge.i + 1, c.i)
        objects[:] = [c]
    else:
        objects[:] = _conjuncts(pobj[0])


def _object_preposition(verb: Token, passive: bool) -> Token | None:
    """The preposition whose object becomes the relation's object: the agent of a passive, else the first one after the verb."""
    preps = [c for c in verb.children if c.dep_ in ("prep", "agent") and c.i > verb.i and c.lower_ not in ATTRIBUTION_PREPOSITIONS]
    if passive:
        agents = [c for c in preps if c.dep_ == "agent"]
        if agents:
            return agents[0]
    return preps[0] if preps else None


def _relations(ctx: DocContext, clause: _Clause, span: Span, index: int) -> Iterator[Relation]:
    verb = clause.verbs[-1]
    doc = ctx.doc
    rel_tokens = sorted(clause.relation, key=lambda t: t.i)
    predicate_text = _surface(doc, rel_tokens)
    if clause.implicit_be:
        predicate_text = "be " + predicate_text
    predicate = _normalised_predicate(clause)
    active = _active_predicate(clause)
    negated = any(t.dep_ in NEG_DEPS or t.lower_ == "no" for t in rel_tokens) or any(
        v.lemma_ in NEGATING_VERBS for v in clause.verbs[:-1]
    )
    modality = _modality(clause, rel_tokens)
    extras = [_extra_argument(ctx, c) for c in clause.extras]
    time, time_value = _time(ctx, clause.extras + [t for o in clause.objects for t in time_modifiers(ctx, o)])
    attributed = _attribution(ctx, clause.verbs[0])
    p_start = rel_tokens[0].idx + ctx.offset
    p_end = rel_tokens[-1].idx + len(rel_tokens[-1].text) + ctx.offset
    objects: list[Token | None] = list(clause.objects) or [None]
    subjects = clause.subjects
    top = clause.verbs[0]
    for s in subjects:
        if s.head.i == top.i and s.dep_ == "compound":
            # a verb tagged as a noun ("the US shifts its focus"): its compounds are the subject
            start = min(
                [s.left_edge.i] + [c.left_edge.i for c in top.lefts if c.dep_ in NOUN_PHRASE_DEPS and c.i < s.i]
            )
            subj_arg = argument_from_range(ctx, s, *trim_range(doc, start, top.i, s.i))
        elif top.head.i == s.i and top.i > s.i:
            # the clause modifies its own subject ("officials speaking to CNN")
            start, end = token_range(s)
            subj_arg = argument_from_range(ctx, s, *trim_range(doc, start, min(end, top.left_edge.i), s.i))
        else:
            subj_arg = argument(ctx, s)
        for o in objects:
            if o is None:
                obj_arg = None
            elif o.i in clause.object_ranges:
                start, end = clause.object_ranges[o.i]
                obj_arg = argument_from_range(ctx, o, start, end)
            else:
                obj_arg = argument(ctx, o)
            if obj_arg is not None and _overlaps(obj_arg, subj_arg):
                continue
            yield Relation(
                subject=subj_arg,
                predicate=predicate,
                predicate_text=predicate_text,
                predicate_start=p_start,
                predicate_end=p_end,
                object=obj_arg,
                sentence=span,
                sentence_index=index,
                extra=tuple(extras),
                negated=negated,
                modality=modality,
                attributed_to=attributed,
                time=time,
                time_value=time_value,
                confidence=_confidence(ctx, clause, s, subj_arg, obj_arg, extras),
                construction=clause.construction,
                active_predicate=active,
            )


def _overlaps(a: Argument, b: Argument) -> bool:
    return a.start < b.end and b.start < a.end


def _surface(doc: Doc, tokens: list[Token]) -> str:
    """The words of ``tokens`` as written, a single space where words are left out between them."""
    parts: list[str] = []
    for k, t in enumerate(tokens):
        parts.append(t.text)
        if k + 1 < len(tokens):
            parts.append(t.whitespace_ if tokens[k + 1].i == t.i + 1 else " ")
    return "".join(parts).strip() or tokens[0].text


def _normalised_predicate(clause: _Clause) -> str:
    """Verb lemma plus particle and preposition, lower case: "advocate for", "be killed in"."""
    verb = clause.verbs[-1]
    words: list[str] = []
    if clause.passive:
        words += ["be", verb.lower_]
    else:
        words.append(verb.lemma_.lower() or verb.lower_)
    words += [c.lower_ for c in verb.children if c.dep_ == "prt"]
    if clause.relational_noun is not None:
        words.append(clause.relational_noun.lemma_.lower())
        if clause.preposition is None:
            words.append("of")
    if clause.preposition is not None:
        words.append(clause.preposition.lower_)
    return " ".join(words)


def _active_predicate(clause: _Clause) -> str | None:
    """For a passive with a "by" agent, the active predicate ("was rejected by" -> "reject"), else None."""
    prep = clause.preposition
    if not clause.passive or prep is None or prep.lower_ != "by" or clause.relational_noun is not None:
        return None
    verb = clause.verbs[-1]
    return " ".join([verb.lemma_.lower() or verb.lower_] + [c.lower_ for c in verb.children if c.dep_ == "prt"])


def _modality(clause: _Clause, rel_tokens: list[Token]) -> str | None:
    for t in rel_tokens:
        if t.dep_ == "aux" and t.lower_ in MODAL_AUXILIARIES:
            return t.lower_
    for v in clause.verbs[:-1]:
        if v.lemma_ in INTENT_VERBS:
            return f"{v.lemma_.lower()} to"
    return None


def _extra_argument(ctx: DocContext, tok: Token) -> Argument:
    """A further argument: the whole subtree of a modifier ("in recent Israeli operations")."""
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    doc = ctx.doc
    while start < tok.i and doc[start].is_punct:
        start += 1
    while end - 1 > tok.i and doc[end - 1].is_punct and doc[end - 1].text not in ("''", ")", '"'):
        end -= 1
    head = tok
    if tok.dep_ in ("prep", "agent"):
        pobj = [c for c in tok.children if c.dep_ in ("pobj", "pcomp")]
        if pobj:
            head = pobj[0]
    arg = argument_from_range(ctx, head, start, end)
    return arg


def _time(ctx: DocContext, extras: list[Token]) -> tuple[str | None, str | None]:
    """The first date or time expression among the clause's modifiers, and its ISO value."""
    for tok in extras:
        for t in tok.subtree:
            hit = ctx.entity_of.get(t.i)
            if hit is not None and hit[2] in ("DATE", "TIME"):
                ent = ctx.doc[hit[0] : hit[1]]
                text = ent.text
                return text, normalise_time(text, ctx.article_date)
    return None, None


def _attribution(ctx: DocContext, verb: Token) -> Argument | None:
    """The source of a reported clause: "X" of "X said that ..." or of "according to X"."""
    node = verb
    for _ in range(MAX_DEPTH):
        kids = list(node.children)
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in ATTRIBUTION_PREPOSITIONS:
                for to in c.children:
                    pobj = [x for x in to.children if x.dep_ == "pobj"]
                    if to.dep_ == "prep" and pobj:
                        return argument(ctx, pobj[0], CUT_DEPS | {"acl"})
        for c in kids:
            if c.dep_ == "parataxis" and c.lemma_ in REPORTING_VERBS:
                subjects, _how = _subjects(c)
                if subjects:
                    return argument(ctx, subjects[0])
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ == "ccomp" and head.lemma_ in REPORTING_VERBS:
            subjects, _how = _subjects(head)
            return argument(ctx, subjects[0]) if subjects else None
        if node.dep_ not in ("conj", "xcomp", "ccomp", "advcl"):
            return None
        node = head
    return None


def _confidence(
    ctx: DocContext,
    clause: _Clause,
    subj: Token,
    subj_arg: Argument,
    obj_arg: Argument | None,
    extras: list[Argument],
) -> float:
    return confidence(
        clause.construction,
        len(subj_arg.text.split()),
        len(obj_arg.text.split()) if obj_arg is not None else None,
        sum(len(e.text.split()) for e in extras),
        ctx.sentence_tokens,
        ctx.name_of(subj) is not None,
        # a subject borrowed from another clause: a coordinated verb's, or the
        # main clause's for an adverbial participle ("..., focusing on X")
        clause.subject_how == "conj" or (clause.subject_how == "participle" and clause.verbs[0].dep_ != "acl"),
        clause.subject_how == "mistagged",
    )
