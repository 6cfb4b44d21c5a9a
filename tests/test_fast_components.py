"""kg's attribute ruler and lemmatizer give exactly the annotations of spaCy's own."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.nlp.fast import FastAttributeRuler, FastLemmatizer, speed_up

from tests.conftest import FIXTURES, SAMPLE

#: Text that meets the stock ruler's rules spanning several tokens and its
#: space rules: "gonna", "gotta", "let's", "there is", "y'all", "ain't", "c'mon".
ODD_ENGLISH = ("He's gonna win, y'all. Let's go!  There is a cat and there were dogs. Ain't nothin' here.\n\n"
               "Gotta run; c'mon. They said it was what they'd gotten, and he gets it.   \t And so on.\n")


def annotations(doc: Doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
            for t in doc]


@pytest.fixture(scope="module")
def stock():
    from kg.nlp import load_model

    return load_model(None, stock=True)


def test_kg_loads_the_model_with_its_fast_components_under_the_same_names(nlp, stock):
    assert nlp.pipe_names == stock.pipe_names
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), FastLemmatizer)
    assert isinstance(stock.get_pipe("attribute_ruler"), AttributeRuler)


def test_every_token_of_the_fixtures_gets_the_annotations_spacy_gives(nlp, stock):
    texts = [json.loads(line)["text"] for line in (FIXTURES / "wikinews-sample.jsonl").read_text().splitlines()]
    texts += [SAMPLE.read_text(encoding="utf-8"), ODD_ENGLISH, "   ", "\n\n", ""]
    tokens = 0
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert annotations(ours) == annotations(theirs)
        tokens += len(ours)
    assert tokens > 10_000


def test_the_rules_spanning_several_tokens_still_apply(nlp):
    doc = nlp("There is a cat. Let's go, y'all.")
    assert doc[1].pos_ == "VERB"  # "there is": the verb after an expletive
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["'s"] == "us" and lemmas["y'"] == "you"


def _ruled(ruler, words: list[str], tags: list[str], deps: list[str], vocab) -> list[tuple]:
    doc = Doc(vocab, words=words, tags=tags, deps=deps, heads=[0] * len(words))
    ruler(doc)
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NN", "LOWER": {"IN": ["thing", "stuff"]}}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"LOWER": {"REGEX": "^th"}}]], "attrs": {"LEMMA": "th-word"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN", "VB"]}, "DEP": "det"}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"LOWER": "a"}, {"TAG": "NN"}]], "attrs": {"POS": "X", "LEMMA": "after-a"}, "index": -1},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"MORPH": "Number=Plur"}},  # later: wins over the first rule
    {"patterns": [[{"TAG": "VB", "OP": "+"}]], "attrs": {"POS": "VERB"}},  # not covered: runs in the Matcher
    {"patterns": [[{"IS_SPACE": True}], [{"LOWER": "zz"}]], "attrs": {"POS": "SPACE"}},
    {"patterns": [[{"LOWER": "a"}, {"LOWER": "thing"}]], "attrs": {"POS": "ADJ"}, "index": 1},
]


def test_rule_order_overlaps_and_uncovered_patterns_match_spacys_ruler():
    nlp = spacy.blank("en")
    theirs = AttributeRuler(nlp.vocab)
    theirs.add_patterns(RULES)
    ours = FastAttributeRuler(nlp)
    ours.take_rules(theirs)
    cases = [
        (["a", "thing", "the", "stuff", "walks", "run", "  ", "zz", "thing"],
         ["DT", "NN", "DT", "NN", "VBZ", "VB", "_SP", "NN", "NN"],
         ["det", "nsubj", "det", "dobj", "ROOT", "conj", "dep", "dep", "dep"]),
        (["A", "car", "that", "thing"], ["DT", "NN", "WDT", "NN"], ["det", "ROOT", "det", "dep"]),
    ]
    for words, tags, deps in cases:
        expected = _ruled(theirs, words, tags, deps, nlp.vocab)
        assert _ruled(ours, words, tags, deps, nlp.vocab) == expected
        # and a second time, from the cache
        assert _ruled(ours, words, tags, deps, nlp.vocab) == expected
    first = _ruled(ours, *cases[0], nlp.vocab)
    assert first[1][:3] == ("ADJ", "Number=Plur", "after-a")  # three rules on one token, in the ruler's order


def test_a_ruler_setting_extension_attributes_is_left_as_spacy_has_it():
    from spacy.tokens import Token

    Token.set_extension("kg_test_flag", default=False, force=True)
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "x"}]], {"_": {"kg_test_flag": True}})
    assert speed_up(nlp) == []
    assert nlp.get_pipe("attribute_ruler") is ruler
    assert nlp("a x")[1]._.kg_test_flag is True


def test_a_rule_lemmatizer_without_its_tables_is_left_to_raise_as_spacy_does():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    assert speed_up(nlp) == []
    with pytest.raises(ValueError, match="lemma_rules"):
        nlp("Dogs barked.")
