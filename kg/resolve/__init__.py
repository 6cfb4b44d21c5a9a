"""The resolve stage: mentions grouped into entities, relations linked to them."""

from __future__ import annotations

import re
from urllib.parse import quote

from kg.records import Analysis, Entity, LinkedRelation, ResolvedArticle

__all__ = ["resolve_article", "canonical_label", "entity_key"]

TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "NORP": "Group"}


def canonical_label(text: str, ner_label: str) -> tuple[str, str]:
    """Return the canonical label and kg type of a mention."""
    label = re.sub(r"^(the)\s+", "", text.strip(), flags=re.I).removesuffix("'s")
    return label, TYPES.get(ner_label, "Concept")


def entity_key(label: str, type_: str) -> str:
    """Return the deterministic identity ``Type/slug`` of an entity."""
    slug = quote(re.sub(r"\s+", "-", label.strip().lower()), safe="-._~") or "_"
    return f"{type_}/{slug}"


def resolve_article(analysis: Analysis) -> ResolvedArticle:
    """Group mentions into entities and link relations to them."""
    entities: dict[str, Entity] = {}
    span_key: dict[tuple[int, int], str] = {}
    for m in analysis.mentions:
        if m.kind != "name":
            continue
        label, type_ = canonical_label(m.text, m.label)
        key = entity_key(label, type_)
        old = entities.get(key, Entity(key, label, type_))
        entities[key] = Entity(key, label, type_, old.aliases, old.mentions + (m,))
        span_key[(m.start, m.end)] = key

    def link(arg) -> str:
        for (s, e), key in span_key.items():
            if s <= arg.head_start < e or arg.head_start <= s < arg.head_end:
                return key
        key = entity_key(arg.lemma, "Concept")
        entities.setdefault(key, Entity(key, arg.lemma, "Concept"))
        return key

    linked = tuple(
        LinkedRelation(r, link(r.subject), link(r.object) if r.object else None) for r in analysis.relations
    )
    return ResolvedArticle(analysis.article, tuple(entities.values()), linked, analysis.sentences)
