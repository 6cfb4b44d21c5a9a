"""Faster stand-ins for two rule-based spaCy components, giving the same annotations.

In ``en_core_web_sm`` a fifth to a quarter of the parse time goes to two
components that apply fixed rules token by token, not to the neural network:

- the ``attribute_ruler`` runs a ``Matcher`` of 179 patterns over every
  token (coarse part of speech and morphology from the fine tag, plus
  exceptions such as "gonna" or "there is");
- the rule ``lemmatizer`` looks each word up, and caches the result only
  for words not already in their base form.

Almost every pattern tests one token's own attributes (its tag, lower-case
form, dependency label, whether it is a space), so which rules apply to a
token is fixed by those few values. :class:`FastAttributeRuler` works it out
once per combination of values and looks it up afterwards; the patterns that
span several tokens still run in a (small) spaCy ``Matcher``, and the rules
are applied in the ruler's own order, with the ruler's own setter. The rule
lemmatizer's result depends only on a token's text, part of speech and
morphology, so :class:`FastLemmatizer` keeps every result it computed, by
those three.

:func:`speed_up` swaps them into a loaded pipeline, keeping the component
names; a pipeline with a pattern or a lemmatizer mode they do not cover
keeps spaCy's own. ``tests/test_fast_components.py`` checks, token by token,
that the annotations are spaCy's.
"""

from __future__ import annotations

import operator
import re
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from spacy.errors import Warnings
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["FastAttributeRuler", "FastLemmatizer", "speed_up"]

#: Token attributes a one-token pattern may test, with the Token property
#: whose value is cached (a string's hash, or a flag) and the one tested.
_STRING_ATTRS = {
    "ORTH": ("orth", "orth_"), "TEXT": ("orth", "orth_"), "LOWER": ("lower", "lower_"), "NORM": ("norm", "norm_"),
    "TAG": ("tag", "tag_"), "POS": ("pos", "pos_"), "DEP": ("dep", "dep_"), "LEMMA": ("lemma", "lemma_"),
    "SHAPE": ("shape", "shape_"), "ENT_TYPE": ("ent_type", "ent_type_"),
}
_FLAG_ATTRS = {"IS_SPACE": "is_space", "IS_PUNCT": "is_punct", "IS_ALPHA": "is_alpha", "IS_DIGIT": "is_digit"}
#: Results each cache keeps at most (some 25 MB when full), then it starts again empty.
CACHE_ENTRIES = 100_000


def _test(attr: str, spec: Any) -> frozenset | Callable[[Any], bool] | None:
    """How the ``Matcher`` tests one attribute: the values it accepts (equality, ``IN``), a function, or None
    when the test is not one covered here."""
    if isinstance(spec, dict):
        if len(spec) != 1:
            return None
        (op, value), = spec.items()
        if op == "IN" and isinstance(value, list) and attr in _STRING_ATTRS:
            return frozenset(value)
        if op == "NOT_IN" and isinstance(value, list) and attr in _STRING_ATTRS:
            refused = frozenset(value)
            return lambda v: v not in refused
        if op == "REGEX" and isinstance(value, str) and attr in _STRING_ATTRS:
            return re.compile(value).search
        return None
    if attr in _FLAG_ATTRS and isinstance(spec, bool):
        return lambda v: bool(v) == spec
    if attr in _STRING_ATTRS and isinstance(spec, str):
        return frozenset([spec])
    return None


def _one_token_tests(patterns: list, index: int) -> list[dict[str, frozenset | Callable]] | None:
    """A rule's patterns as ``{attribute: test}`` each, when each pattern is one token of covered tests."""
    if index not in (0, -1):
        return None
    out = []
    for pattern in patterns:
        if len(pattern) != 1:
            return None
        tests = {}
        for key, spec in pattern[0].items():
            attr = key.upper()
            test = _test(attr, spec) if attr in _STRING_ATTRS or attr in _FLAG_ATTRS else None
            if test is None or attr in tests:
                return None
            tests[attr] = test
        out.append(tests)
    return out


class _Attribute:
    """Which one-token patterns (as bits) one attribute's value lets through."""

    def __init__(self, attr: str, clauses: list[dict[str, frozenset | Callable]]) -> None:
        self.text = _STRING_ATTRS[attr][1] if attr in _STRING_ATTRS else _FLAG_ATTRS[attr]
        self.free = 0  # the patterns that do not test this attribute
        self.accepted: dict[Any, int] = {}  # value -> the patterns that test it for equality with that value
        self.tested: list[tuple[int, Callable]] = []
        for bit, tests in enumerate(clauses):
            test = tests.get(attr)
            if test is None:
                self.free |= 1 << bit
            elif isinstance(test, frozenset):
                for value in test:
                    self.accepted[value] = self.accepted.get(value, 0) | 1 << bit
            else:
                self.tested.append((1 << bit, test))

    def mask(self, token: Token) -> int:
        value = getattr(token, self.text)
        mask = self.free | self.accepted.get(value, 0)
        for bit, test in self.tested:
            if test(value):
                mask |= bit
        return mask


class FastAttributeRuler:
    """An ``attribute_ruler`` that looks up the one-token rules a token meets by the values they test."""

    def __init__(self, nlp: Language, name: str = "attribute_ruler") -> None:
        self.name = name
        self.vocab = nlp.vocab
        self._attrs: list[dict] = []
        self._clause_rules: list[int] = []  # one-token pattern (bit) -> its rule
        self._attributes: list[_Attribute] = []
        self._matcher = Matcher(nlp.vocab, validate=False)
        self._targets: dict[int, tuple[int, int]] = {}  # match key -> (rule, index in the match)
        self._key: Callable[[Token], Any] = lambda token: ()
        self._cache: dict[Any, tuple[tuple[int, ...], dict]] = {}
        self._by_mask: dict[int, tuple[tuple[int, ...], dict]] = {}
        self._all = 0  # a bit for each one-token pattern

    @staticmethod
    def covers(ruler: Any) -> bool:
        """Whether the rules of spaCy's ``ruler`` can all be carried over (none sets an extension attribute)."""
        return all("_" not in p["attrs"] for p in ruler.patterns)

    def take_rules(self, ruler: Any) -> None:
        """Carry over the rules of spaCy's ``AttributeRuler`` ``ruler``, in its order."""
        clauses: list[dict] = []
        for rule, pattern in enumerate(ruler.patterns):
            self._attrs.append(ruler.attrs[rule])
            tests = _one_token_tests(pattern["patterns"], pattern["index"])
            if tests is not None:
                clauses.extend(tests)
                self._clause_rules.extend([rule] * len(tests))
            else:
                key = self.vocab.strings.add(f"kg-attribute-rule-{rule}")
                self._matcher.add(key, pattern["patterns"])
                self._targets[key] = (rule, pattern["index"])
        tested = dict.fromkeys(attr for tests in clauses for attr in tests)
        self._attributes = [_Attribute(attr, clauses) for attr in tested]
        getters = [_STRING_ATTRS[a][0] if a in _STRING_ATTRS else _FLAG_ATTRS[a] for a in tested]
        if len(getters) > 1:
            self._key = operator.attrgetter(*getters)
        elif getters:
            self._key = lambda token, get=operator.attrgetter(getters[0]): (get(token),)
        self._all = (1 << len(clauses)) - 1

    def _rules_met(self, token: Token) -> tuple[tuple[int, ...], dict]:
        """The one-token rules ``token`` meets, in order, and what they set together (later rules win)."""
        mask = self._all
        for attribute in self._attributes:
            mask &= attribute.mask(token)
        found = self._by_mask.get(mask)
        if found is None:
            rules = tuple(dict.fromkeys(rule for bit, rule in enumerate(self._clause_rules) if mask >> bit & 1))
            merged: dict = {}
            for rule in rules:
                merged.update(self._attrs[rule])
            found = self._by_mask[mask] = (rules, merged)
        return found

    def __call__(self, doc: Doc) -> Doc:
        # every rule tests the values the tokens had before any rule set one, as the ruler's one Matcher pass
        longer: dict[int, list[tuple[int, int]]] = {}  # token -> (rule, match start) of the several-token rules
        if len(self._matcher):
            for key, start, end in self._matcher(doc, allow_missing=True):
                rule, index = self._targets[key]
                longer.setdefault(range(start, end)[index], []).append((rule, start))
        cache, key_of = self._cache, self._key
        met = []
        for token in doc:
            key = key_of(token)
            found = cache.get(key)
            if found is None:
                if len(cache) >= CACHE_ENTRIES:
                    cache.clear()
                found = cache[key] = self._rules_met(token)
            met.append(found)
        for i, (rules, merged) in enumerate(met):
            if i in longer:
                for rule, _ in sorted([(rule, i) for rule in rules] + longer[i]):
                    set_token_attrs(doc[i], self._attrs[rule])
            elif merged:
                set_token_attrs(doc[i], merged)
        return doc


class FastLemmatizer:
    """spaCy's rule lemmatizer, with its word lists as sets and every lemma kept by the token's text,
    part of speech and morphology.

    spaCy's looks each candidate form up in a list of some 57,000 words, about
    0.2 ms a word, and caches only the words not in their base form.
    """

    def __init__(self, name: str = "lemmatizer") -> None:
        self.name = name
        self._overwrite = False
        self._is_base_form: Callable[[Token], bool] = lambda token: True
        self._tables: tuple = ({}, {}, {})
        self._by_pos: dict[str, tuple[frozenset, dict, list] | None] = {}
        self._cache: dict[tuple[int, int, int], str] = {}

    def take_rules(self, lemmatizer: Any) -> None:
        """Take the tables, settings and base-form test of spaCy's rule ``lemmatizer``."""
        self._overwrite = lemmatizer.overwrite
        self._is_base_form = lemmatizer.is_base_form
        lookups = lemmatizer.lookups
        self._tables = tuple(lookups.get_table(name, {}) for name in ("lemma_index", "lemma_exc", "lemma_rules"))
        self._by_pos = {}

    def _for_pos(self, univ_pos: str) -> tuple[frozenset, dict, list] | None:
        """The word list (as a set), exceptions and suffix rules of one part of speech; None when it has none."""
        if univ_pos not in self._by_pos:
            index, exceptions, rules = (table.get(univ_pos) for table in self._tables)
            self._by_pos[univ_pos] = ((frozenset(index or ()), exceptions or {}, rules or [])
                                      if index or exceptions or rules else None)
        return self._by_pos[univ_pos]

    def __call__(self, doc: Doc) -> Doc:
        cache, overwrite = self._cache, self._overwrite
        for token in doc:
            if overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = cache.get(key)
                if lemma is None:
                    if len(cache) >= CACHE_ENTRIES:
                        cache.clear()
                    lemma = cache[key] = self.lemmatize(token)[0]
                token.lemma_ = lemma
        return doc

    def lemmatize(self, token: Token) -> list[str]:
        """The candidate lemmas of ``token``, best first: ``Lemmatizer.rule_lemmatize``, step for step."""
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            if univ_pos == "":
                warnings.warn(Warnings.W108)
            return [string.lower()]
        if self._is_base_form(token):
            return [string.lower()]
        tables = self._for_pos(univ_pos)
        if tables is None:
            return [string] if univ_pos == "propn" else [string.lower()]
        index, exceptions, rules = tables
        orig, string = string, string.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))  # without repeats, in the order the rules gave them
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        return forms or oov_forms or [orig]


@Language.factory("kg_fast_attribute_ruler")
def _make_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp, name)


@Language.factory("kg_fast_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer(name)


def speed_up(nlp: Language) -> list[str]:
    """Swap the fast stand-ins into ``nlp`` where they cover its components; return the names swapped.

    The components keep their names, so ``disable=``/``exclude=`` by name work as before.
    """
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import AttributeRuler, Lemmatizer

    swapped = []
    for name, component in list(nlp.pipeline):
        if type(component) is AttributeRuler and FastAttributeRuler.covers(component):
            factory = "kg_fast_attribute_ruler"
        elif (type(component) in (Lemmatizer, EnglishLemmatizer) and component.mode == "rule"
              and all(component.lookups.has_table(t) for t in component.get_lookups_config("rule")[0])):
            # spaCy's own rule lookup (a function of the token's text, part of speech and morphology),
            # with its tables loaded: without them spaCy's raises, and so it is left to
            factory = "kg_fast_lemmatizer"
        else:
            continue
        nlp.replace_pipe(name, factory).take_rules(component)
        swapped.append(name)
    return swapped
