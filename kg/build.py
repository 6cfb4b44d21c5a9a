"""Building graphs from articles: ingest -> nlp -> resolve -> rdf."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.ingest import Problem, read_articles
from kg.records import ResolvedArticle
from kg.resolve import resolve_article

if TYPE_CHECKING:
    from rdflib import Dataset
    from spacy.language import Language

__all__ = ["BuildReport", "build_dataset", "resolve_articles", "ENGLISH"]

#: The languages a build reads by default: kg's models and rules are English.
ENGLISH = frozenset({"en"})


@dataclass
class BuildReport:
    """What a build did: counts, and the inputs it skipped with the reason."""

    articles: int = 0
    entities: int = 0
    relations: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped_files: list[Path] = field(default_factory=list)

    @property
    def failures(self) -> list[Problem]:
        """The inputs that could not be read (broken, binary, too long...)."""
        return [p for p in self.problems if not p.warning]

    @property
    def other_language(self) -> list[Problem]:
        """The articles left out because they are in another language than asked for."""
        return [p for p in self.problems if p.warning]

    def summary(self) -> str:
        """One line for people.

        >>> BuildReport(1, 2, 3).summary()
        '1 article, 2 entities, 3 relations'
        """
        parts = [
            _plural(self.articles, "article"),
            _plural(self.entities, "entity", "entities"),
            _plural(self.relations, "relation"),
        ]
        if self.failures:
            parts.append(_plural(len(self.failures), "input") + " failed")
        if self.other_language:
            parts.append(_plural(len(self.other_language), "article") + " in another language skipped")
        if self.skipped_files:
            parts.append(_plural(len(self.skipped_files), "non-article file") + " skipped")
        return ", ".join(parts)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def resolve_articles(
    inputs: Iterable[str | Path],
    nlp: Language,
    report: BuildReport,
    batch_size: int = 64,
    languages: Collection[str] | None = ENGLISH,
) -> Iterable[ResolvedArticle]:
    """Read, analyse and resolve every article of ``inputs``, recording problems in ``report``.

    Articles detected to be in a language not in ``languages`` are left out
    (recorded as warnings); ``None`` reads every language.
    """
    from kg.nlp import analyse_articles

    articles = read_articles(inputs, on_problem=report.problems.append, on_skip=report.skipped_files.append,
                             languages=languages)
    for analysis in analyse_articles(articles, nlp, batch_size=batch_size):
        yield resolve_article(analysis)


def build_dataset(
    inputs: Iterable[str | Path],
    nlp: Language | None = None,
    model: str | None = None,
    on_article: Callable[[ResolvedArticle], None] | None = None,
    languages: Collection[str] | None = ENGLISH,
) -> tuple[Dataset, BuildReport]:
    """Build one dataset (a named graph per article) from files and folders of articles.

    Returns the dataset and a :class:`BuildReport`; inputs that cannot be read,
    and articles in a language not in ``languages`` (``None``: any), are
    listed in the report instead of stopping the build. Entities that differ
    only in form across articles are reconciled (:func:`kg.merge.reconcile`),
    so building articles together equals building them apart and merging.
    """
    from kg.merge import reconcile
    from kg.summary import summarise_dataset
    from kg.nlp import load_model
    from kg.rdf import add_article, new_dataset

    nlp = nlp or load_model(model)
    ds = new_dataset()
    report = BuildReport()
    seen_entities: set[str] = set()
    for resolved in resolve_articles(inputs, nlp, report, languages=languages):
        add_article(ds, resolved)
        report.articles += 1
        report.relations += len(resolved.relations)
        seen_entities.update(e.key for e in resolved.entities if e.type != "Concept")
        if on_article:
            on_article(resolved)
    reconcile(ds)
    summarise_dataset(ds)
    report.entities = len(seen_entities)
    return ds, report
