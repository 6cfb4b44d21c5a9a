"""Property tests: the extractor and the time normaliser never raise, and keep their invariants."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.nlp.extract import relations_from_doc
from kg.nlp.qualifiers import normalise_time

WORDS = st.sampled_from(
    "Israel Hezbollah the U.S. officials said that rejected a proposal by of and , . which who "
    "not never may plans to was were is killed in on Monday two weeks ago yesterday 2024 US-led "
    "\" ' ( ) - : ; ? ! 🙂 \n \t".split(" ")
)
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@settings(max_examples=40, deadline=None)
@given(st.lists(WORDS, max_size=40), st.integers(min_value=0, max_value=1000))
def test_relations_never_raise_and_offsets_hold(nlp, words, offset):
    text = " ".join(words)
    doc = nlp(text)
    for r in relations_from_doc(doc, offset=offset, article_date="2024-10-10"):
        for arg in (r.subject, r.object, r.attributed_to, *r.extra):
            if arg is not None:
                assert text[arg.start - offset : arg.end - offset] == arg.text
                assert arg.start <= arg.head_start <= arg.head_end <= arg.end or arg is r.attributed_to
        assert 0.0 <= r.confidence <= 1.0
        assert r.predicate == r.predicate.lower()


@given(st.text(max_size=30), st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)))
def test_normalise_time_returns_iso_or_none(text, article_date):
    value = normalise_time(text, article_date)
    assert value is None or ISO.match(value)


TIME_WORDS = st.sampled_from(
    "last next this past coming ago yesterday today tomorrow week weeks month months year years day days "
    "monday friday july may september 1 12 31 2006 9999 0 99999 two a several of on in , the".split()
)


@given(st.lists(TIME_WORDS, max_size=5), st.dates().map(lambda d: d.isoformat()))
def test_normalise_time_of_time_words(words, article_date):
    value = normalise_time(" ".join(words), article_date)
    assert value is None or ISO.match(value)
