"""Linking relation arguments to entities: the resolve stage's entry point.

How an argument is linked, first rule that applies:

1. A name mention overlapping the argument's head span links to its entity
   (the one with the largest overlap; ties go to the longer mention, so
   "Biden administration" wins over "Biden" for the head "administration").
2. A pronoun at the head links to what coreference resolved it to: a named
   entity, or the concept of a noun-phrase antecedent ("their" -> "official").
   A definite description resolved to a named entity ("the group") links to it.
3. An object that is only a quantity or a date ("1,400", "two weeks", "2019")
   becomes an ``object_literal``.
4. Anything else with a usable lemma becomes a ``Concept`` entity labelled
   with the argument's lemma ("ceasefire proposal").

A relation whose subject cannot be linked (an unresolved pronoun, a relative
pronoun such as "which", an empty lemma) is dropped; so is one whose object
existed but cannot be linked, and a ``be`` relation of an entity to itself.

A named thing left with only a generic name ("the Court", "Parliament",
"the Party": a common noun NER took for a name, see
:func:`kg.resolve.coref.is_generic_name`) gets a key that names the article
too (``Organization/Court~<article id>``): each article's Court is its own
node, and reconciliation (:mod:`kg.merge`) may link it to the court it is.

Titles before persons ("Secretary of State Antony Blinken") become extra
relations ``<person> be <role>`` with construction ``"apposition"``, the role a
``Concept`` ("secretary of state").

A demonym modifying an argument that became a concept ("Israeli troops",
"the American proposal") is a mention of its country, and the concept gets
an extra relation to that country: ``<israeli troop> be from <Israel>``,
construction ``"demonym"``. The country stays one node; the troops are not
a second Israel.
"""

from __future__ import annotations

import re

from kg.records import Analysis, Argument, Entity, LinkedRelation, Mention, Relation, ResolvedArticle, Span
from kg.resolve.coref import Coreference, NounReferent, Referent, is_generic_name, resolve_mentions
from kg.resolve.keys import entity_key, slug

__all__ = [
    "resolve_article",
    "concept_label",
    "is_literal",
    "ROLE_PREDICATE",
    "ROLE_CONSTRUCTION",
    "DEMONYM_PREDICATE",
    "DEMONYM_CONSTRUCTION",
    "UNLINKABLE_HEADS",
]

#: Predicate and construction of the relations made from titles.
ROLE_PREDICATE = "be"
ROLE_CONSTRUCTION = "apposition"
#: Predicate and construction of the relations of a thing to the country its demonym names.
DEMONYM_PREDICATE = "be from"
DEMONYM_CONSTRUCTION = "demonym"

#: Heads that name nothing by themselves: pronouns (when unresolved),
#: relative and demonstrative pronouns, first and second person.
UNLINKABLE_HEADS = frozenset(
    """
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves one this that these those
    which who whom whose what whatever whoever there here something someone somebody anything anyone
    anybody nothing everything everyone everybody all both each either neither
    """.split()
)

NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    hundreds thousand thousands million millions billion billions trillion dozen dozens half quarter
    """.split()
)
TIME_WORDS = frozenset(
    """
    january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
    second seconds minute minutes hour hours day days week weeks month months year years decade decades
    century centuries percent per cent am pm ago
    """.split()
)
_NUMERIC = re.compile(r"^[~≈<>]?[$€£¥]?[+-]?\d[\d,.:/-]*(?:%|st|nd|rd|th|s|m|bn|k)?$", re.IGNORECASE)


def is_literal(text: str) -> bool:
    """Whether a phrase is only a quantity or a date, so better stored as a literal.

    >>> is_literal("1,400"), is_literal("two weeks"), is_literal("21 October 2019"), is_literal("$5 million")
    (True, True, True, True)
    >>> is_literal("1,400 fatalities"), is_literal("the proposal")
    (False, False)
    """
    words = [w.strip(",.;:()\"'").lower() for w in text.split()]
    words = [w for w in words if w and w not in {"the", "a", "an", "about", "over", "under", "nearly", "almost",
                                                 "around", "some", "more", "than", "less", "at", "least", "of", "and"}]
    if not words:
        return False
    has_number = any(_NUMERIC.match(w) or w in NUMBER_WORDS for w in words)
    return has_number and all(_NUMERIC.match(w) or w in NUMBER_WORDS or w in TIME_WORDS for w in words)


def concept_label(lemma: str) -> str:
    """Normalise an argument lemma into a concept label: lower case, single spaces, no leading article.

    >>> concept_label("  The Ceasefire   proposal ")
    'ceasefire proposal'
    """
    text = " ".join(lemma.split()).lower()
    text = re.sub(r"^(?:the|a|an)\s+", "", text)
    return text.strip(" \"'.,;:")


def _alias(text: str) -> str:
    return re.sub(r"['\u2019]s$", "", " ".join(text.split()))


class _Builder:
    """Collects entities while relations are linked."""

    def __init__(self, analysis: Analysis, coref: Coreference) -> None:
        self.analysis = analysis
        self.coref = coref
        self.keys: dict[int, str] = {}
        self.entities: dict[str, Entity] = {}
        for ref in coref.referents:
            self._add_referent(ref)
        # the referents' own mentions: coreference may have joined split names ("Washington, D.C.")
        names = {(m.start, m.end): m for ref in coref.referents for m in ref.mentions if m.kind == "name"}
        self.names = sorted(
            (m for m in names.values() if isinstance(coref.referent(m), Referent)), key=lambda m: (m.start, m.end)
        )
        self.others = [m for m in analysis.mentions if m.kind in {"pronoun", "nominal"}]

    def _add_referent(self, ref: Referent) -> str:
        key = entity_key(ref.label, ref.type)
        if ref.known is None and is_generic_name(ref.label):
            # "the Court" of one article is not the Court of the next: the key names the article too
            key = f"{key}~{slug(self.analysis.article.id)}"
        aliases = sorted({_alias(m.text) for m in ref.mentions if m.kind == "name"} - {ref.label, ""})
        old = self.entities.get(key)
        mentions = tuple(sorted({*(old.mentions if old else ()), *ref.mentions}, key=lambda m: (m.start, m.end, m.kind)))
        known = ref.known
        self.entities[key] = Entity(
            key,
            ref.label,
            ref.type,
            tuple(sorted({*(old.aliases if old else ()), *aliases})),
            mentions,
            (known.iri,) if known and known.iri else (),
            known.codes if known else (),
        )
        self.keys[id(ref)] = key
        return key

    def concept(self, label: str, mention: Mention | None = None) -> str:
        key = entity_key(label, "Concept")
        old = self.entities.get(key)
        mentions = old.mentions if old else ()
        if mention is not None and mention not in mentions:
            mentions = tuple(sorted((*mentions, mention), key=lambda m: (m.start, m.end, m.kind)))
        self.entities[key] = Entity(key, label, "Concept", (), mentions)
        return key

    def _referent_key(self, ref: Referent | NounReferent | None, mention: Mention | None = None) -> str | None:
        if isinstance(ref, Referent):
            return self.keys[id(ref)]
        if isinstance(ref, NounReferent):
            label = concept_label(ref.label)
            return self.concept(label, mention) if label and label not in UNLINKABLE_HEADS else None
        return None

    def demonyms(self, arg: Argument) -> list[tuple[Mention, str]]:
        """The demonyms before the head of ``arg`` ("Israeli" in "Israeli troops"), with their country's key."""
        out = []
        for m in self.names:
            if m.start >= arg.head_start:
                break
            if m.start >= arg.start and m.label == "NORP":
                ref = self.coref.referent(m)
                if isinstance(ref, Referent) and ref.type == "Country":
                    out.append((m, self.keys[id(ref)]))
        return out

    def link(self, arg: Argument, allow_literal: bool = False) -> tuple[str | None, str | None]:
        """Return ``(entity key, literal)`` for an argument; both ``None`` when it cannot be linked."""
        start, end = arg.head_start, max(arg.head_end, arg.head_start + 1)
        best: tuple[int, int, Mention] | None = None
        for m in self.names:
            if m.start >= end:
                break
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > 0 and (best is None or (overlap, m.end - m.start) > best[:2]):
                best = (overlap, m.end - m.start, m)
        if best is not None:
            return self._referent_key(self.coref.referent(best[2])), None
        for m in self.others:
            if m.start <= start < m.end or start <= m.start < end:
                if m.kind == "pronoun" or (m.kind == "nominal" and m.end <= end + 1 and m.end >= end):
                    ref = self.coref.referent(m)
                    if ref is not None:
                        return self._referent_key(ref, m), None
                    if m.kind == "pronoun":
                        return None, None
        head = arg.head.strip().lower()
        if head in UNLINKABLE_HEADS:
            return None, None
        if allow_literal and (is_literal(arg.text) or is_literal(arg.head)):
            return None, arg.text
        label = concept_label(arg.lemma) or concept_label(arg.head)
        if not label or label in UNLINKABLE_HEADS:
            return None, None
        return self.concept(label), None


def _role_relation(analysis: Analysis, mention: Mention, title: str, t_start: int, t_end: int, label: str) -> Relation:
    sentence = next(
        (s for s in analysis.sentences if s.start <= mention.start < s.end),
        Span(mention.start, mention.end, mention.text),
    )
    subject = Argument(mention.text, mention.start, mention.end, mention.text, mention.start, mention.end,
                       mention.text)
    role = Argument(title, t_start, t_end, title, t_start, t_end, label)
    index = analysis.sentences.index(sentence) if sentence in analysis.sentences else mention.sentence
    return Relation(subject, ROLE_PREDICATE, "", t_end, t_end, role, sentence, index, confidence=0.9,
                    construction=ROLE_CONSTRUCTION)


def _demonym_relation(rel: Relation, arg: Argument, mention: Mention) -> Relation:
    place = Argument(mention.text, mention.start, mention.end, mention.text, mention.start, mention.end, mention.text)
    return Relation(arg, DEMONYM_PREDICATE, "", mention.start, mention.end, place, rel.sentence,
                    rel.sentence_index, confidence=0.9, construction=DEMONYM_CONSTRUCTION)


def resolve_article(analysis: Analysis) -> ResolvedArticle:
    """Resolve an analysed article: entities for its mentions, relations linked to entity keys.

    Every named thing mentioned becomes one :class:`~kg.records.Entity` (all
    of its name, pronoun and description mentions attached); arguments that
    are not named things become ``Concept`` entities; titles of persons
    become ``be`` relations to a role concept. Relations whose subject (or
    existing object) cannot be linked are dropped. Entities come sorted by
    key, relations in their input order followed by the role relations.
    """
    text = analysis.article.text
    coref = resolve_mentions(analysis.mentions, text, [s.start for s in analysis.sentences])
    builder = _Builder(analysis, coref)
    linked: list[LinkedRelation] = []
    seen: set[tuple[str, str, str | None, str | None, int]] = set()
    demonyms: list[tuple[Relation, Argument, str]] = []  # concept arguments, read for demonyms once all are linked
    for rel in analysis.relations:
        subject, _ = builder.link(rel.subject)
        if subject is None:
            continue
        obj = literal = None
        if rel.object is not None:
            obj, literal = builder.link(rel.object, allow_literal=True)
            if obj is None and literal is None:
                continue
            if obj == subject and rel.predicate == ROLE_PREDICATE:
                continue  # "Washington, D.C." read as an apposition of itself says nothing
        attributed = builder.link(rel.attributed_to)[0] if rel.attributed_to is not None else None
        demonyms.extend((rel, arg, key) for arg, key in ((rel.subject, subject), (rel.object, obj))
                        if arg is not None and key is not None and builder.entities[key].type == "Concept")
        if rel.active_predicate and obj is not None:
            # "the proposal was rejected by Israel": Israel - reject - proposal
            seen.add((obj, rel.active_predicate, subject, None, rel.sentence_index))
            linked.append(LinkedRelation(rel, obj, subject, attributed, None, inverted=True))
            continue
        seen.add((subject, rel.predicate, obj, literal, rel.sentence_index))
        linked.append(LinkedRelation(rel, subject, obj, attributed, literal))
    for rel, arg, key in demonyms:
        for mention, country in builder.demonyms(arg):
            ident = (key, DEMONYM_PREDICATE, country, None, rel.sentence_index)
            if ident not in seen:
                seen.add(ident)
                linked.append(LinkedRelation(_demonym_relation(rel, arg, mention), key, country))
    for role in coref.roles:
        ref = coref.referent(role.mention)
        if not isinstance(ref, Referent):
            continue
        subject = builder.keys[id(ref)]
        relation = _role_relation(analysis, role.mention, role.text, role.start, role.end, role.label)
        obj = builder.concept(role.label)
        ident = (subject, ROLE_PREDICATE, obj, None, relation.sentence_index)
        if ident in seen or any(s == subject and p == ROLE_PREDICATE and o == obj for s, p, o, _, _ in seen):
            continue
        seen.add(ident)
        # the title read by coreference ("Secretary of State") replaces the
        # extractor's apposition from the same sentence, which names only its head ("secretary")
        linked = [
            lr for lr in linked
            if not (lr.relation.construction == ROLE_CONSTRUCTION and lr.subject == subject
                    and lr.relation.sentence_index == relation.sentence_index and lr.predicate == ROLE_PREDICATE)
        ]
        linked.append(LinkedRelation(relation, subject, obj))
    entities = tuple(sorted(builder.entities.values(), key=lambda e: e.key))
    return ResolvedArticle(analysis.article, entities, tuple(linked), analysis.sentences)
