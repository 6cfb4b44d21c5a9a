"""Records passed between the stages of the pipeline.

Small frozen dataclasses with character offsets into the article text as it was
given in the input. They hold no spaCy objects, so they serialise, cross process
boundaries and can be built by hand in tests.

    ingest -> Article
    nlp    -> Analysis (Mention, Relation with Argument spans)
    resolve-> ResolvedArticle (Entity, LinkedRelation)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

__all__ = [
    "Article",
    "Span",
    "Mention",
    "Argument",
    "Relation",
    "Analysis",
    "Entity",
    "LinkedRelation",
    "ResolvedArticle",
]


@dataclass(frozen=True)
class Article:
    """One news article as read from the input.

    ``text`` is the article text exactly as given (decoded); ``segments`` are
    the ``(start, end)`` ranges of it that hold the article's content, in
    order, usually one per paragraph. Title lines, metadata lines and
    boilerplate of the page the text came from fall outside every segment, so
    they never reach extraction, yet every offset still points into ``text``.
    """

    id: str
    text: str
    segments: tuple[tuple[int, int], ...]
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text and metadata: changes whenever the article does.

        >>> Article("a", "Hi.", ((0, 3),)).content_hash[:12]
        '5b395aaf9734'
        """
        h = hashlib.sha256()
        for part in (self.text, self.title, self.date, self.source, self.url):
            h.update((part or "").encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True)
class Span:
    """A stretch of article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A mention of a thing in the text.

    ``kind`` is ``"name"`` for a named entity found by NER (``label`` is the
    spaCy NER label, e.g. ``GPE``), ``"pronoun"`` for a pronoun (``label`` is
    ``PRON``) or ``"nominal"`` for a common noun phrase that may refer back to
    a named entity ("the group"; ``label`` is its head lemma). ``sentence`` is
    the index of the sentence in the article. ``features`` carries
    morphology useful for coreference (``Number=Sing``, ``Gender=Fem``, ...).
    """

    start: int
    end: int
    text: str
    label: str
    kind: str = "name"
    sentence: int = 0
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Argument:
    """One argument of a relation.

    ``text``/``start``/``end``: the full argument span, as an open-IE
    benchmark scores it ("a US-led proposal two weeks ago").
    ``head``/``head_start``/``head_end``: the core phrase that names the
    thing the argument is about ("proposal", or a whole name such as "Antony
    Blinken"); the resolve stage links it to an entity through the mentions.
    ``lemma``: a normalised label for the thing when it is not a named entity
    ("ceasefire proposal").
    """

    text: str
    start: int
    end: int
    head: str
    head_start: int
    head_end: int
    lemma: str


@dataclass(frozen=True)
class Relation:
    """One subject-predicate-object statement read from one sentence.

    ``predicate`` is the normalised predicate (verb lemma plus particle or
    preposition, "advocate for"); ``predicate_text`` is its surface form as
    written. ``extra`` holds further arguments (times, places, prepositional
    phrases) that open-IE benchmarks count as arg3, arg4, ...
    ``attributed_to`` is the source a reported claim is attributed to;
    ``time`` the time expression of the clause and ``time_value`` its ISO
    normalisation when one could be made. ``construction`` names the rule
    that produced the relation (``"active"``, ``"passive"``, ``"nominal"``,
    ...). ``sentence_index`` counts sentences from 0 within the article.
    ``active_predicate`` is set on a passive with a "by" agent ("was rejected
    by" -> "reject"): the graph states it the active way round, agent first.
    """

    subject: Argument
    predicate: str
    predicate_text: str
    predicate_start: int
    predicate_end: int
    object: Argument | None
    sentence: Span
    sentence_index: int = 0
    extra: tuple[Argument, ...] = ()
    negated: bool = False
    modality: str | None = None
    attributed_to: Argument | None = None
    time: str | None = None
    time_value: str | None = None
    confidence: float = 0.5
    construction: str = "active"
    active_predicate: str | None = None


@dataclass(frozen=True)
class Analysis:
    """What the nlp stage read from one article."""

    article: Article
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    sentences: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Entity:
    """One thing in the world, as resolved within an article.

    ``key`` is the deterministic identity (type plus canonical label) from
    which the IRI is minted: equal keys mean the same node in every article.
    ``type`` is one of the kg entity types (``Person``, ``Organization``,
    ``Country``, ``Place``, ``Group``, ``Event``, ``Work``, ``Product``,
    ``Concept``, ...). ``same_as`` holds IRIs of the same thing elsewhere
    (Wikidata). ``codes`` holds identifiers such as ISO country codes.
    """

    key: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    same_as: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkedRelation:
    """A relation with its arguments linked to entity keys.

    ``object`` is ``None`` for relations without an object; ``object_literal``
    holds a value that is not a thing (a quantity, a quote) when the object is
    stored as a literal. ``attributed_to`` is the key of the entity a claim is
    attributed to, if it could be linked. ``inverted`` marks a passive stated
    the active way round: ``subject`` is then the agent (linked from the
    relation's object argument) and ``object`` the patient.
    """

    relation: Relation
    subject: str
    object: str | None
    attributed_to: str | None = None
    object_literal: str | None = None
    inverted: bool = False

    @property
    def predicate(self) -> str:
        """The predicate the graph states: the active one when a passive was turned round."""
        r = self.relation
        return r.active_predicate if self.inverted and r.active_predicate else r.predicate

    @property
    def subject_argument(self) -> Argument:
        """The argument of the text that :attr:`subject` was linked from."""
        r = self.relation
        return r.object if self.inverted and r.object is not None else r.subject

    @property
    def object_argument(self) -> Argument | None:
        """The argument of the text that :attr:`object` was linked from."""
        return self.relation.subject if self.inverted else self.relation.object


@dataclass(frozen=True)
class ResolvedArticle:
    """An article with its entities and linked relations: what the rdf stage reads."""

    article: Article
    entities: tuple[Entity, ...]
    relations: tuple[LinkedRelation, ...]
    sentences: tuple[Span, ...] = field(default=())
