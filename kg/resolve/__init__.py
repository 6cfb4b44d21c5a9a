"""The resolve stage: canonical entities, Wikidata links and in-article coreference.

Works on records only (no spaCy): :func:`resolve_article` turns an
:class:`~kg.records.Analysis` into a :class:`~kg.records.ResolvedArticle`.
:func:`canonical_label` and :func:`entity_key` give the identity of a named
thing, the same in every article. The rules are documented in
:mod:`kg.resolve.canonical`, :mod:`kg.resolve.coref` and :mod:`kg.resolve.link`.
"""

from __future__ import annotations

from kg.resolve.canonical import KG_TYPES, canonical_label, split_title
from kg.resolve.coref import resolve_mentions
from kg.resolve.keys import entity_key
from kg.resolve.link import resolve_article

__all__ = ["KG_TYPES", "canonical_label", "entity_key", "resolve_article", "resolve_mentions", "split_title"]
