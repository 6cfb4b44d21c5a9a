"""The resolve stage: canonical entities, Wikidata links and in-article coreference.

Works on records only (no spaCy): :func:`resolve_article` turns an
:class:`~kg.records.Analysis` into a :class:`~kg.records.ResolvedArticle`.
"""

from __future__ import annotations

from kg.resolve.canonical import KG_TYPES, canonical_label, split_title
from kg.resolve.keys import entity_key

__all__ = ["KG_TYPES", "canonical_label", "entity_key", "split_title"]
