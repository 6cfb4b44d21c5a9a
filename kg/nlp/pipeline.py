"""Running the spaCy pipeline over articles and collecting records.

Each content segment of an article (a paragraph, usually) is parsed as its own
``Doc``; offsets are shifted back into the article text, so the records never
depend on how the text was cut up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from kg.nlp.extract import relations_from_doc
from kg.nlp.mentions import mentions_from_doc
from kg.records import Analysis, Article, Mention, Relation, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

T = TypeVar("T")

__all__ = [
    "analyse_doc",
    "analyse_article",
    "analyse_articles",
    "analyse_parsed",
    "parse_articles",
    "pack_parsed",
    "unpack_parsed",
    "MAX_SEGMENT_CHARS",
    "BATCH_CHARS",
    "bounded_batches",
]

#: Longer segments are cut (at a line or sentence end where possible) before
#: parsing: spaCy's memory grows with the length of one Doc.
MAX_SEGMENT_CHARS = 100_000
#: Characters per ``nlp.pipe`` batch, at most (a batch also holds at most
#: ``batch_size`` texts, and a longer text goes alone): a batch's working memory
#: grows with its text, and the 64 paragraphs of a long encyclopedic page take
#: about three times the memory of 64 short news paragraphs.
BATCH_CHARS = 16_000


def analyse_doc(
    doc: Doc, offset: int = 0, first_sentence: int = 0, article_date: str | None = None
) -> tuple[list[Mention], list[Relation], list[Span]]:
    """Read mentions, relations and sentence spans from one parsed ``Doc``.

    ``offset`` is where the doc's text starts in the article text;
    ``first_sentence`` the index of its first sentence in the article.
    """
    sentences = [
        Span(s.start_char + offset, s.end_char + offset, s.text) for s in doc.sents if s.text.strip()
    ]
    mentions = mentions_from_doc(doc, offset=offset, first_sentence=first_sentence)
    relations = list(
        relations_from_doc(doc, offset=offset, first_sentence=first_sentence, article_date=article_date)
    )
    return mentions, relations, sentences


def _pieces(article: Article) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, text)`` for every content segment, cutting very long ones."""
    for start, end in article.segments:
        while end - start > MAX_SEGMENT_CHARS:
            cut = _cut_point(article.text, start, start + MAX_SEGMENT_CHARS)
            yield start, article.text[start:cut]
            start = cut
        if end > start:
            yield start, article.text[start:end]


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut ``text[start:limit]``: after the last newline or sentence end, else at ``limit``."""
    for sep in ("\n", ". ", " "):
        i = text.rfind(sep, start + 1, limit)
        if i > start:
            return i + len(sep)
    return limit


def parse_articles(
    articles: Iterable[Article], nlp: Language, batch_size: int = 64
) -> Iterator[tuple[Article, list[tuple[Doc, int]]]]:
    """Parse articles in batches with ``nlp.pipe``; yield each with its ``(doc, offset)`` pieces, in order.

    A batch holds at most ``batch_size`` texts and :data:`BATCH_CHARS`
    characters. Each Doc's tensor (the token vectors, which kg does not read)
    is dropped: spaCy hands out slices of the batch's array, so keeping one
    Doc would keep the whole batch's working memory alive.
    """
    import numpy

    no_tensor = numpy.zeros((0,), dtype="float32")
    pending: dict[int, tuple[Article, list]] = {}
    order: list[int] = []

    def feed() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for n, article in enumerate(articles):
            pieces = list(_pieces(article))
            pending[n] = (article, [None] * len(pieces))
            order.append(n)
            if not pieces:
                continue
            for i, (offset, text) in enumerate(pieces):
                yield text, (n, i, offset)

    for batch in bounded_batches(feed(), batch_size, BATCH_CHARS, lambda item: len(item[0])):
        for doc, (n, i, offset) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            doc.tensor = no_tensor
            pending[n][1][i] = (doc, offset)
        yield from _flush(pending, order)
    yield from _flush(pending, order)


def bounded_batches(items: Iterable[T], size: int, limit: int, length: Callable[[T], int]) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` items whose ``length`` adds up to at most ``limit``.

    An item longer than ``limit`` goes alone.

    >>> list(bounded_batches(["ab", "cd", "efgh", "i", "j", "k"], 3, 4, len))
    [['ab', 'cd'], ['efgh'], ['i', 'j', 'k']]
    """
    batch: list[T] = []
    total = 0
    for item in items:
        n = length(item)
        if batch and (len(batch) >= size or total + n > limit):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += n
    if batch:
        yield batch


def analyse_articles(articles: Iterable[Article], nlp: Language, batch_size: int = 64) -> Iterator[Analysis]:
    """Parse articles in batches with ``nlp.pipe`` and yield one :class:`Analysis` each, in order."""
    for article, parts in parse_articles(articles, nlp, batch_size):
        yield analyse_parsed(article, parts)


def _flush(pending: dict[int, tuple[Article, list]], order: list[int]) -> Iterator[tuple[Article, list]]:
    """Yield the leading articles whose pieces are all parsed."""
    while order and all(p is not None for p in pending[order[0]][1]):
        yield pending.pop(order.pop(0))


def analyse_parsed(article: Article, parts: list[tuple[Doc, int]]) -> Analysis:
    """Read one article's records from its parsed ``(doc, offset)`` pieces."""
    mentions: list[Mention] = []
    relations: list[Relation] = []
    sentences: list[Span] = []
    for doc, offset in parts:
        m, r, s = analyse_doc(doc, offset=offset, first_sentence=len(sentences), article_date=article.date)
        mentions.extend(m)
        relations.extend(r)
        sentences.extend(s)
    return Analysis(article, tuple(mentions), tuple(relations), tuple(sentences))


def pack_parsed(parts: list[tuple[Doc, int]]) -> tuple[bytes, tuple[int, ...]]:
    """Serialise an article's parsed pieces, to be read in another process by :func:`unpack_parsed`."""
    from spacy.tokens import DocBin

    # the tokens, tags, parse and entities; kg sets no user data on Docs, so none is sent
    return DocBin(docs=[doc for doc, _ in parts]).to_bytes(), tuple(o for _, o in parts)


def unpack_parsed(packed: tuple[bytes, tuple[int, ...]], lang: str) -> list[tuple[Doc, int]]:
    """The pieces :func:`pack_parsed` serialised, as Docs over a blank vocabulary of ``lang``."""
    from spacy.tokens import DocBin

    blob, offsets = packed
    docs = list(DocBin().from_bytes(blob).get_docs(_blank_vocab(lang)))
    return list(zip(docs, offsets))


#: A vocabulary is replaced after this many articles: its string store only grows.
VOCAB_ARTICLES = 1_000
_VOCABS: dict[str, list] = {}


def _blank_vocab(lang: str):  # noqa: ANN202 - spaCy's Vocab, imported lazily
    """A vocabulary with ``lang``'s lexical attributes (stop words, numbers); the strings come with each Doc."""
    entry = _VOCABS.get(lang)
    if entry is None or entry[1] >= VOCAB_ARTICLES:
        import spacy

        entry = _VOCABS[lang] = [spacy.blank(lang).vocab, 0]
    entry[1] += 1
    return entry[0]


def analyse_article(article: Article, nlp: Language) -> Analysis:
    """Parse and analyse one article."""
    return next(analyse_articles([article], nlp, batch_size=8))
