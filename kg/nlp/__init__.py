"""The nlp stage: the only part of kg that imports spaCy.

``load_model`` finds an English pipeline; ``analyse_articles`` turns articles
into :class:`~kg.records.Analysis` records (mentions and relations with
character offsets into the article text).
"""

from __future__ import annotations

from kg.nlp.model import DEFAULT_MODELS, load_model
from kg.nlp.pipeline import analyse_article, analyse_articles, analyse_doc

__all__ = ["DEFAULT_MODELS", "load_model", "analyse_article", "analyse_articles", "analyse_doc"]
