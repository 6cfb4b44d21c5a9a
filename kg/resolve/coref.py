"""Rule-based coreference within one article.

The rules (names are grouped by 1-5 and 7 before pronouns and descriptions are resolved):

0. Repeated names. Where NER tagged a name in one place and missed the
   same words elsewhere in the article, those occurrences become name
   mentions too (:func:`repeated_names`).
1. Not entities. A name mention with no letters, a time zone ("UTC",
   :data:`NOT_NAMES`), in a cased script but without a capital letter
   ("per cubic meter"), or made only of title
   words and standing inside a title ("State" in "Secretary of State Antony
   Blinken": followed by a person's name, or after "Secretary of"), or a
   PERSON span that is only a title ("President"), is dropped.
   Two adjacent names that together are one name of the bundled table
   ("Washington" and "D.C." in "Washington, D.C.") become one mention; so
   do a generic name, "of" and a place ("the Supreme Court of Puerto Rico").
1a. Titles. A location after a capitalised "The" inside a sentence
   ("a report by The Atlantic") is an organisation named with its "The"
   (:func:`titled_names`).
1b. State or city. A bare "New York" or "Washington" is the state or the
   city by its context (:func:`_state_or_city`): the state after "governor
   of", before "gubernatorial", beside other states, after "Queens,"; else
   the city (Washington, D.C.).
2. Same canonical name. Mentions whose canonical labels
   (:func:`~kg.resolve.canonical.canonical_label`) fold to the same string are
   one referent, whatever their NER labels: "U.S.", "US", "The United
   States", "American" are all the United States; "Hezbollah" tagged ORG in
   one sentence and NORP in another is one referent. Person mentions are
   grouped by their surface form (titles dropped) so that the bundled
   table's surname aliases apply only after rule 4.
3. Acronyms. An all-capitals name ("IRGC") joins the name it abbreviates
   when that name is followed by it in parentheses in the text
   ("the Islamic Revolutionary Guard Corps (IRGC)") or when its letters are
   the initials of that name's capitalised words.
4. Short names of persons. A person's name whose words end another person's
   longer name ("Blinken", "Antony Blinken") joins it; with several such
   longer names, each short mention joins the one mentioned most recently
   before it, else the first one after it. A single name of another type
   that is not a place (NER tags surnames ORG or EVENT now and then) joins
   the same way. A first name alone ("Tony") joins the one person of the
   article whose name starts with it, if there is exactly one.
5. Type vote. A referent known to the bundled Wikidata table takes the
   table's type and label; otherwise its type is the weighted majority of
   its mentions' types (Organization counts 1.5, Person 1.2, others 1;
   ties broken in :data:`TYPE_ORDER`).
6. Pronouns (he, she, it, they and their other forms) resolve to the most
   salient agreeing referent in the same or the previous
   :data:`PRONOUN_WINDOW` sentences. Agreement: he/she only persons, and
   only of a compatible gender (from a first-name list, a title such as
   "Mrs.", or an earlier he/she resolved to them); it/its only singular
   non-persons; they/them/their plural noun phrases, groups and (weaker)
   organisations. Salience of a candidate mention: kind (name 100, pronoun
   or description already resolved to a name 80, other noun phrase 50) plus role (subject 80, object 50,
   prepositional object 30, modifier 10), halved for every sentence back;
   the nearest agreeing candidate before the pronoun in its own sentence
   gets a bonus of 70, and every further mention of the referent in the
   window adds 15 (at most 45). Pleonastic "it" ("it is likely that") is
   left alone.
7. Context. Bare institution names ("Senate", "Congress", "the House",
   "Supreme Court", "Parliament", :data:`INSTITUTIONS`) are qualified by
   the article's most-mentioned country ("United States Senate", linked
   through the table when it knows the result), and "Georgia" in an article
   about the United States without "Georgian" is the U.S. state
   (:data:`AMBIGUOUS_COUNTRIES`), so the same name in two articles about
   different countries does not become one node.
8. Definite descriptions. A bare "the group", "the company", "the country",
   "the city", "the president" ... (:data:`DESCRIPTIONS`; no other
   modifiers: "the Middle Eastern nation" is left alone) resolves to the
   most salient named referent of a fitting type within
   :data:`DESCRIPTION_WINDOW` sentences, scored as in rule 6. Only the
   :data:`GENERIC_DESCRIPTIONS` fit any referent of their type; "the
   agency", "the airline", "the court" need the word in the referent's
   label; a person description ("the president") needs a person who was
   given that title in the article.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from kg.records import Mention
from kg.resolve.canonical import (
    ROLE_WORDS,
    TITLE_WORDS,
    canonical_label,
    split_title,
    surface_form,
)
from kg.resolve.gender import name_gender
from kg.resolve.wikidata import KnownEntity, fold, lookup, place_names

__all__ = [
    "Referent",
    "NounReferent",
    "Role",
    "Coreference",
    "resolve_mentions",
    "is_pleonastic",
    "TYPE_ORDER",
    "DESCRIPTIONS",
    "GENERIC_NAMES",
    "is_generic_name",
    "PRONOUN_WINDOW",
    "DESCRIPTION_WINDOW",
]

#: Tie-break order of types in the vote (earlier wins).
TYPE_ORDER = (
    "Country", "Person", "Organization", "Group", "Place", "Event", "Legislation",
    "CreativeWork", "Product", "Language", "Concept",
)
TYPE_WEIGHTS = {"Organization": 1.5, "Person": 1.2}

#: How many sentences back a pronoun or a description may look.
PRONOUN_WINDOW = 2
DESCRIPTION_WINDOW = 5

MASCULINE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMININE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})

#: Head lemmas of definite descriptions and the types of referent they fit.
#: ``Person`` descriptions need the title to have been given to the person.
DESCRIPTIONS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ["group", "organization", "organisation", "movement", "militia", "faction", "network"],
        frozenset({"Organization", "Group"}),
    ),
    **dict.fromkeys(
        [
            "company", "firm", "corporation", "airline", "carrier", "manufacturer", "bank",
            "broadcaster", "newspaper", "agency", "ministry", "department", "party", "alliance",
            "bloc", "union", "league", "club", "team", "university", "charity", "administration",
            "government", "regime", "court", "council", "committee", "body", "coalition",
        ],
        frozenset({"Organization"}),
    ),
    **dict.fromkeys(["country", "nation", "kingdom", "republic"], frozenset({"Country"})),
    **dict.fromkeys(
        ["city", "town", "village", "capital", "province", "island", "county", "region", "state"],
        frozenset({"Place"}),
    ),
    **dict.fromkeys(
        [
            "president", "minister", "senator", "governor", "mayor", "chancellor", "secretary",
            "leader", "spokesman", "spokeswoman", "speaker", "ambassador", "chairman", "director",
            "premier", "king", "queen", "pope", "general", "commander", "judge", "ceo",
        ],
        frozenset({"Person"}),
    ),
}

#: Descriptions that fit any referent of their types. Every other description
#: only fits a referent whose label holds the same word ("the agency" ->
#: "National Search and Rescue Agency"), since "the airline" or "the team"
#: may well mean something never named.
GENERIC_DESCRIPTIONS = frozenset(
    {"group", "organization", "organisation", "movement", "militia", "company", "firm", "country", "nation",
     "city", "town", "capital"}
)

#: Spans NER takes for names that are units of time (folded).
NOT_NAMES = frozenset({"utc", "gmt", "est", "edt", "pst", "pdt", "cst", "cdt", "cet", "cest", "bst", "am", "pm"})

#: Bare names of institutions every country has its own of; rule 8 qualifies
#: them by the article's most mentioned country ("Senate" in an article
#: about the United States -> "United States Senate").
INSTITUTIONS: dict[str, str] = {
    "congress": "Congress",
    "senate": "Senate",
    "house": "House of Representatives",
    "house of representatives": "House of Representatives",
    "supreme court": "Supreme Court",
    "parliament": "Parliament",
    "state department": "Department of State",
    "department of state": "Department of State",
    "justice department": "Department of Justice",
    "department of justice": "Department of Justice",
    "defense department": "Department of Defense",
    "department of defense": "Department of Defense",
    "national assembly": "National Assembly",
    "constitution": "Constitution",
    "cabinet": "Cabinet",
    "army": "Army",
    "navy": "Navy",
    "air force": "Air Force",
}

#: Common nouns that NER sometimes takes for a name when capitalised ("the
#: Court", "Parliament", "the Party"): each names a different thing in each
#: article, so a referent left with only such a name is the article's own.
GENERIC_NAMES = frozenset(
    {*DESCRIPTIONS, *INSTITUTIONS, "government", "administration", "assembly", "commission", "police",
     "ministry", "legislature", "opposition", "embassy", "office", "board", "authority", "city council",
     "high court", "court of appeal", "appeals court", "district court", "federal court", "state"}
)


def is_generic_name(label: str) -> bool:
    """Whether a name is only a common noun for an institution, a place or an office.

    >>> is_generic_name("Court"), is_generic_name("the Senate"), is_generic_name("Parties")
    (True, True, True)
    >>> is_generic_name("Supreme Court of the United States"), is_generic_name("Congress Party")
    (False, False)
    """
    folded = fold(label)
    folded = folded[4:] if folded.startswith("the ") else folded
    return folded in GENERIC_NAMES or (folded.endswith("s") and (folded[:-1] in GENERIC_NAMES
                                                                or folded[:-3] + "y" in GENERIC_NAMES))


#: Country names that in the context of another country name a place of it:
#: table id -> (that country's id, demonyms that keep the country reading,
#: label and NER label of the other reading).
AMBIGUOUS_COUNTRIES: dict[str, tuple[str, frozenset[str], str, str]] = {
    "Q230": ("Q30", frozenset({"georgian", "georgians"}), "State of Georgia", "GPE"),
}

#: Nouns for people: noun-phrase antecedents that he/she may refer to.
MASCULINE_NOUNS = frozenset({"man", "boy", "father", "son", "husband", "brother", "king", "gentleman"})
FEMININE_NOUNS = frozenset({"woman", "girl", "mother", "daughter", "wife", "sister", "queen", "lady"})
PERSON_NOUNS = frozenset(
    {
        "person", "official", "president", "minister", "leader", "spokesman", "spokeswoman",
        "spokesperson", "officer", "driver", "pilot", "victim", "suspect", "soldier", "student",
        "teacher", "doctor", "patient", "lawyer", "judge", "player", "coach", "child", "resident",
        "witness", "journalist", "reporter", "scientist", "researcher", "author", "singer", "actor",
        "actress", "candidate", "senator", "governor", "mayor", "chief", "director", "member",
        "worker", "employee", "man", "woman", "boy", "girl", "civilian", "citizen", "people",
        "individual", "protester", "militant", "fighter", "refugee", "migrant", "passenger",
    }
)

KIND_WEIGHTS = {"name": 100.0, "nominal": 80.0, "noun": 50.0, "pronoun": 80.0}
ROLE_WEIGHTS = {
    "nsubj": 80.0, "nsubjpass": 80.0, "csubj": 80.0, "expl": 0.0,
    "dobj": 50.0, "attr": 50.0, "dative": 40.0, "appos": 40.0, "oprd": 40.0,
    "pobj": 30.0, "conj": 30.0,
    "compound": 10.0, "amod": 10.0, "poss": 10.0, "nmod": 10.0,
}
DEFAULT_ROLE_WEIGHT = 20.0
NEAREST_BONUS = 70.0
REPEAT_BONUS = 15.0
MAX_REPEAT_BONUS = 45.0
#: Organisations referred to as "they" count this fraction of their salience.
PLURAL_ORGANIZATION_FACTOR = 0.5

#: Honorifics: titles that are not roles worth a relation.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "rev", "reverend"})
CONNECTORS = frozenset({"of", "the", "and", "for", "then", "then-"})
FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "la", "al", "el", "des", "&", "a"})

_ACRONYM = re.compile(r"^[A-Z](?:\.?[A-Z&]){1,8}\.?$")
_PLEONASTIC = re.compile(
    r"^\s+(?:is|was|'s|\u2019s|seems|seemed|appears|appeared|remains|remained|will\s+be|would\s+be|"
    r"may\s+be|might\s+be|could\s+be|has\s+been|had\s+been|is\s+not|was\s+not)\s+"
    r"(?:\w+\s+){0,3}?(?:that|to|whether|if|when|how|why|unclear|clear|likely|unlikely|possible|"
    r"impossible|important|necessary|time)\b",
    re.IGNORECASE,
)
_TITLE_OF = re.compile(
    r"\b(?:" + "|".join(sorted(w for w in TITLE_WORDS if w.isalpha())) + r")\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass
class Referent:
    """A named thing of the article, built up while resolving."""

    label: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    known: KnownEntity | None = None
    gender: str | None = None
    titles: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


@dataclass(frozen=True)
class NounReferent:
    """What a pronoun refers to when its antecedent is a plain noun phrase (a concept)."""

    label: str
    mention: Mention


@dataclass(frozen=True)
class Role:
    """A title given to a person in the text: "Secretary of State" before "Antony Blinken"."""

    mention: Mention
    text: str
    start: int
    end: int
    label: str


@dataclass
class Coreference:
    """The result: named referents, what each mention refers to, and the roles found."""

    referents: list[Referent]
    of_mention: dict[tuple[int, int, str], Referent | NounReferent]
    roles: list[Role]

    def referent(self, mention: Mention) -> Referent | NounReferent | None:
        """Return what ``mention`` refers to, if it was resolved."""
        return self.of_mention.get(_mkey(mention))


def _mkey(m: Mention) -> tuple[int, int, str]:
    return (m.start, m.end, m.kind)


def _feature(m: Mention, name: str) -> str | None:
    prefix = name + "="
    for f in m.features:
        if f.startswith(prefix):
            return f[len(prefix):]
    return None


def _is_title_word(word: str) -> bool:
    low = word.lower().rstrip(".,")
    return low in TITLE_WORDS or low in ROLE_WORDS


def is_pleonastic(text: str, mention: Mention) -> bool:
    """Whether an "it" is pleonastic: "it is likely that ...", "it was time to ...".

    >>> m = Mention(0, 2, "It", "PRON", "pronoun")
    >>> is_pleonastic("It is unclear whether talks resume.", m)
    True
    >>> is_pleonastic("It rejected the plan.", m)
    False
    """
    if mention.text.lower() != "it":
        return False
    return bool(_PLEONASTIC.match(text[mention.end : mention.end + 80]))


def _not_an_entity(m: Mention, text: str, person_starts: set[int]) -> bool:
    if not any(ch.isalpha() for ch in m.text) or fold(m.text) in NOT_NAMES:
        return True
    if any(ch.islower() for ch in m.text) and not any(ch.isupper() for ch in m.text):
        return True  # "per cubic meter", "poles": a name in a cased script has a capital
    words = m.text.split()
    if all(_is_title_word(w) for w in words):
        gap_end = m.end
        while gap_end < len(text) and text[gap_end] == " ":
            gap_end += 1
        if gap_end in person_starts or _TITLE_OF.search(text[max(0, m.start - 40) : m.start]):
            return True
        if m.label == "PERSON":
            return True
    if m.label == "PERSON" and not surface_form(m.text, "PERSON").strip():
        return True
    return False


def _initials(label: str) -> str:
    words = re.split(r"[\s\-]+", label)
    return "".join(w[0].upper() for w in words if w and w.lower() not in FUNCTION_WORDS and w[0].isalpha())


def _preceding_title(text: str, mention: Mention, floor: int) -> tuple[str, int, int]:
    """Return the title written just before a person's name, with its offsets, or ``("", 0, 0)``."""
    window_start = max(floor, mention.start - 120)
    window = text[window_start : mention.start]
    if not window.endswith((" ", "\u00a0")):
        return "", 0, 0
    tokens = list(re.finditer(r"\S+", window))
    chosen: list[re.Match[str]] = []
    for tok in reversed(tokens):
        word = re.sub(r"['\u2019]s$", "", tok.group())
        if word.endswith((",", ";", ":", ")", '"')):
            break
        if _is_title_word(word) or fold(word) in place_names():
            chosen.insert(0, tok)
            continue
        break
    while chosen and chosen[0].group().lower() in CONNECTORS:
        chosen.pop(0)
    if not any(t.group().lower().rstrip(".") in TITLE_WORDS for t in chosen):
        return "", 0, 0
    start, end = window_start + chosen[0].start(), window_start + chosen[-1].end()
    return text[start:end], start, end


def role_label(title: str) -> str:
    """Return the concept label of a title: places and honorifics dropped, lower case.

    >>> role_label("U.S. Secretary of State")
    'secretary of state'
    >>> role_label("Israeli Prime Minister")
    'prime minister'
    >>> role_label("Mr.")
    ''
    """
    words = title.split()
    while words and (
        fold(re.sub(r"['\u2019]s$", "", words[0])) in place_names() or words[0].lower() in CONNECTORS
    ):
        words.pop(0)
    if all(w.lower().rstrip(".") in HONORIFICS for w in words):
        return ""
    words = [w for w in words if w.lower().rstrip(".") not in HONORIFICS]
    return " ".join(w.lower() for w in words).strip(" ,.")


def _vote(ref_mentions: list[tuple[Mention, str, str, KnownEntity | None]]) -> tuple[str, str, KnownEntity | None]:
    knowns = Counter(k.wikidata_id for _, _, _, k in ref_mentions if k is not None)
    if knowns:
        best = knowns.most_common(1)[0][0]
        known = next(k for _, _, _, k in ref_mentions if k is not None and k.wikidata_id == best)
        return known.label, known.type, known
    weights: Counter[str] = Counter()
    for _, _, kind, _ in ref_mentions:
        weights[kind] += TYPE_WEIGHTS.get(kind, 1.0)
    kind = min(weights, key=lambda k: (-weights[k], TYPE_ORDER.index(k) if k in TYPE_ORDER else 99))
    labels = Counter(label for _, label, k, _ in ref_mentions if k == kind)
    label = min(labels, key=lambda lab: (-labels[lab], -len(lab), lab))
    return label, kind, None


def _identity(m: Mention) -> tuple[str, str, str, KnownEntity | None]:
    """Return (grouping key, label, kg type, table row) of a name mention."""
    if "Title=yes" in m.features:
        return fold(m.text), m.text, "Organization", None  # "The Atlantic", not the ocean
    if m.label == "PERSON":
        surface = surface_form(m.text, "PERSON")
        known = lookup(surface, "ORG") or lookup(surface, "GPE")
        if known is None:
            known = lookup(surface, "Concept")
        if known is not None and known.type in {"Country", "Organization", "Concept"} and fold(surface) in {
            fold(n) for n in (known.label, *known.aliases)
        }:
            # NER noise: a well-known country or organisation tagged PERSON.
            return fold(known.label), known.label, known.type, known
        return fold(surface), surface, "Person", None
    label, kind = canonical_label(m.text, m.label)
    known = lookup(surface_form(m.text, m.label), m.label)
    return fold(label), label, kind, known


def _join_split_names(names: list[Mention], text: str) -> list[Mention]:
    """Rule 0: two adjacent names that together are one name in the table become one mention.

    NER splits "Washington, D.C." into "Washington" and "D.C."; the pair is
    one place, and "Washington" alone would be another. A generic name
    followed by "of" and a place ("the Supreme Court of Puerto Rico") is one
    name too.
    """
    out: list[Mention] = []
    for m in names:
        prev = out[-1] if out else None
        between = text[prev.end:m.start] if prev is not None else ""
        if prev is not None and between in {" of ", " of the "} and m.label in {"GPE", "LOC"} \
                and is_generic_name(prev.text):
            # "the Supreme Court" of "the Supreme Court of Puerto Rico" is not any country's Supreme Court
            out[-1] = Mention(prev.start, m.end, text[prev.start:m.end], prev.label, prev.kind, prev.sentence,
                              prev.features)
            continue
        if prev is not None and m.kind == "name" and 0 <= m.start - prev.end <= 2 and \
                between in {"", " ", ", ", ","}:
            joined = text[prev.start:m.end]
            known = lookup(joined, prev.label)
            if known is not None and fold(joined) in {fold(n) for n in (known.label, *known.aliases)}:
                out[-1] = Mention(prev.start, m.end, joined, prev.label, prev.kind, prev.sentence, prev.features)
                continue
        out.append(m)
    return out


#: Names of a US state that also name a city: (the state's name, the city's name).
STATE_OR_CITY = {"New York": ("New York State", "New York City"), "Washington": ("Washington State", "Washington, D.C.")}
US_STATES = frozenset(
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
    "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi "
    "Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia "
    "Wisconsin Wyoming".split()
) | {"New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island",
     "South Carolina", "South Dakota", "Washington", "West Virginia"}
_STATE_BEFORE = re.compile(
    r"(?:\b(?:state|governor|governors|senator|senators|representative|congressman|congresswoman|attorney general|"
    r"attorneys general|legislature|district|upstate|downstate|western|northern|southern|eastern|central|rural)"
    r"\s+(?:of|from|for|in)\s+(?:the\s+)?|\bupstate\s+|\b[Ss]tate\s+of\s+)$", re.IGNORECASE)
_STATE_AFTER = re.compile(
    r"^(?:'s)?\s+(?:[Ss]tate\b|gubernatorial|[Gg]overnor|Gov\.|[Aa]ttorney [Gg]eneral|State Senate|"
    r"State Assembly|[Ll]egislature|[Pp]rimary|[Pp]rimaries|[Cc]aucus|National Guard|[Ss]enator|Sen\.|delegation)")
_ENUMERATION = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_PLACE_COMMA = re.compile(r"[A-Z][\w.'-]*,\s*$")


def _state_or_city(names: Sequence[Mention], i: int, text: str) -> str | None:
    """Rule 1b: which of a state and a city a bare "New York" or "Washington" names, from its context.

    The state: after "governor of", "senator from", "state of" and the like,
    before "state", "gubernatorial", "primary" and the like, in an
    enumeration with another US state ("Maine, New York, New Jersey"), or
    after a place and a comma ("Queens, New York,"). The city otherwise:
    news mostly mean the city, and "Washington" alone the seat of the US
    government.

    >>> t = "The governor of New York met officials in New York and Washington."
    >>> ms = [Mention(t.index("New York"), t.index("New York") + 8, "New York", "GPE"),
    ...       Mention(t.rindex("New York"), t.rindex("New York") + 8, "New York", "GPE"),
    ...       Mention(t.index("Washington"), t.index("Washington") + 10, "Washington", "GPE")]
    >>> [_state_or_city(ms, i, t) for i in range(3)]
    ['New York State', 'New York City', 'Washington, D.C.']
    """
    m = names[i]
    readings = STATE_OR_CITY.get(m.text)
    if readings is None or m.label not in {"GPE", "LOC"}:
        return None
    before, after = text[max(0, m.start - 40) : m.start], text[m.end : m.end + 40]
    state = bool(_STATE_BEFORE.search(before) or _STATE_AFTER.match(after))
    for j in (i - 1, i + 1):
        if state or not 0 <= j < len(names):
            continue
        other = names[j]
        between = text[other.end : m.start] if j < i else text[m.end : other.start]
        if other.text in US_STATES and other.text not in STATE_OR_CITY and _ENUMERATION.match(between):
            state = True
    if not state and _PLACE_COMMA.search(before) and re.match(r"^(?:[,.;:)]|\s*$)", after) \
            and not re.match(r"^,\s*(?:and\s+)?[A-Z]", after):
        state = True
    return readings[0] if state else readings[1]


def _cluster_names(names: Sequence[Mention], text: str) -> list[Referent]:
    groups: dict[str, list[tuple[Mention, str, str, KnownEntity | None]]] = {}
    for i, m in enumerate(names):
        reading = _state_or_city(names, i, text)
        key, label, kind, known = _identity(m if reading is None else replace(m, text=reading))
        groups.setdefault(key, []).append((m, label, kind, known))
    members = list(groups.values())
    referents = []
    for group in members:
        label, kind, known = _vote(group)
        referents.append(Referent(label, kind, [g[0] for g in group], known))
    referents = _merge_acronyms(referents, text)
    referents = _merge_short_names(referents)
    return _finish(_in_context(_finish(referents)))


def _absorb(target: Referent, source: Referent) -> None:
    target.mentions.extend(source.mentions)
    target.mentions.sort(key=lambda m: (m.start, m.end))
    if target.known is None and source.known is not None and target.type == source.type:
        target.known, target.label = source.known, source.known.label


def _merge_acronyms(referents: list[Referent], text: str) -> list[Referent]:
    out = list(referents)
    for short in list(out):
        letters = short.label.replace(".", "")
        if short.known is not None or not _ACRONYM.match(short.label) or short.type == "Person":
            continue
        defined = []
        for long in out:
            if long is short or long.type in {"Person", "Country"} or len(long.label.split()) < 2:
                continue
            by_text = any(
                re.match(r"\s*\(\s*" + re.escape(short.label) + r"\s*\)", text[m.end : m.end + len(short.label) + 6])
                for m in long.mentions
            )
            if by_text or _initials(long.label) == letters:
                defined.append((not by_text, long.first, long))
        if defined:
            target = min(defined, key=lambda d: (d[0], d[1]))[2]
            _absorb(target, short)
            out.remove(short)
    return out


def _merge_short_names(referents: list[Referent]) -> list[Referent]:
    out = list(referents)
    persons = [r for r in out if r.type == "Person"]
    for short in sorted(out, key=lambda r: len(r.label.split())):
        words = fold(short.label).split()
        if short.known is not None and short.type != "Person":
            continue
        if short.type in {"Country", "Place", "Language"}:
            continue
        if short.type != "Person" and len(words) != 1:
            continue
        candidates = [p for p in persons if p is not short and p in out and len(p.label.split()) > len(words)]
        longer = [p for p in candidates if fold(p.label).split()[-len(words):] == words]
        if not longer and len(words) == 1 and short.type == "Person":
            # A first name alone joins the one person of the article who has it.
            longer = [p for p in candidates if fold(p.label).split()[0] == words[0]]
            if len(longer) != 1:
                continue
        if not longer:
            continue
        for m in list(short.mentions):
            before = [p for p in longer if any(pm.start < m.start for pm in p.mentions)]
            target = (
                max(before, key=lambda p: max(pm.start for pm in p.mentions if pm.start < m.start))
                if before
                else min(longer, key=lambda p: p.first)
            )
            _absorb(target, Referent(short.label, short.type, [m]))
        out.remove(short)
    return out


def _dominant_country(referents: list[Referent]) -> Referent | None:
    countries = [r for r in referents if r.type == "Country"]
    return max(countries, key=lambda r: (len(r.mentions), -r.first)) if countries else None


def _in_context(referents: list[Referent]) -> list[Referent]:
    """Rule 7: qualify bare institution names and ambiguous place names by the article's country."""
    country = _dominant_country(referents)
    if country is None:
        return referents
    demonyms = {fold(m.text) for r in referents for m in r.mentions if m.label == "NORP"}
    for r in referents:
        if r.known is not None and r.known.wikidata_id in AMBIGUOUS_COUNTRIES:
            alternative = AMBIGUOUS_COUNTRIES[r.known.wikidata_id]
            if country.known is not None and country.known.wikidata_id == alternative[0] and not (
                demonyms & alternative[1]
            ):
                known = lookup(alternative[2], alternative[3])
                if known is not None:
                    r.label, r.type, r.known = known.label, known.type, known
            continue
        generic = INSTITUTIONS.get(fold(r.label))
        if r.known is not None or generic is None or r.type not in {"Organization", "Legislation"}:
            continue
        qualified = f"{country.label} {generic}"
        known = lookup(qualified, "ORG" if r.type == "Organization" else "LAW")
        r.label, r.known = (known.label, known) if known is not None else (qualified, None)
        if known is not None:
            r.type = known.type
    return referents


def _finish(referents: list[Referent]) -> list[Referent]:
    """Apply the table to person names, then merge referents that ended up with the same label and type."""
    for r in referents:
        if r.type == "Person":
            label, kind = canonical_label(r.label, "Person")
            r.label = label
            r.known = lookup(label, "Person")
    by_identity: dict[tuple[str, str], Referent] = {}
    out = []
    for r in sorted(referents, key=lambda r: r.first):
        ident = (fold(r.label), r.type)
        if ident in by_identity:
            _absorb(by_identity[ident], r)
        else:
            by_identity[ident] = r
            out.append(r)
    return out


def _agrees(pron: str, ref: Referent | NounReferent, cand: Mention) -> float:
    """How well a pronoun agrees with a candidate: 0 (not at all) to 1."""
    plural = _feature(cand, "Number") == "Plur"
    if isinstance(ref, NounReferent):
        lemma = ref.label
        if pron in MASCULINE_PRONOUNS:
            return 1.0 if (lemma in MASCULINE_NOUNS or lemma in PERSON_NOUNS) and lemma not in FEMININE_NOUNS and not plural else 0.0
        if pron in FEMININE_PRONOUNS:
            return 1.0 if (lemma in FEMININE_NOUNS or lemma in PERSON_NOUNS) and lemma not in MASCULINE_NOUNS and not plural else 0.0
        if pron in NEUTER_PRONOUNS:
            return 1.0 if not plural and lemma not in PERSON_NOUNS else 0.0
        return 1.0 if plural else 0.0
    if ref.type == "Person":
        if pron in MASCULINE_PRONOUNS:
            return 1.0 if ref.gender != "Fem" else 0.0
        if pron in FEMININE_PRONOUNS:
            return 1.0 if ref.gender != "Masc" else 0.0
        return 0.0
    if pron in MASCULINE_PRONOUNS or pron in FEMININE_PRONOUNS:
        return 0.0
    if ref.type == "Group":
        return 1.0 if pron in PLURAL_PRONOUNS else 0.0
    if pron in PLURAL_PRONOUNS:
        return PLURAL_ORGANIZATION_FACTOR if ref.type == "Organization" else 0.0
    return 1.0


def _weight(m: Mention, ref: Referent | NounReferent, anaphor: Mention) -> float:
    dep = _feature(m, "Dep") or ""
    kind = "noun" if isinstance(ref, NounReferent) else m.kind
    base = KIND_WEIGHTS.get(kind, 50.0) + ROLE_WEIGHTS.get(dep, DEFAULT_ROLE_WEIGHT)
    return base * 0.5 ** (anaphor.sentence - m.sentence)


def _best(
    anaphor: Mention,
    history: list[tuple[Mention, Referent | NounReferent]],
    window: int,
    fits,
    nearest_bonus: float,
) -> Referent | NounReferent | None:
    scores: dict[int, float] = {}
    best_mention: dict[int, float] = {}
    repeats: Counter[int] = Counter()
    refs: dict[int, Referent | NounReferent] = {}
    nearest: tuple[int, int] | None = None
    for m, ref in history:
        if m.sentence < anaphor.sentence - window or m.start > anaphor.start:
            continue
        if m.start <= anaphor.start < m.end:
            continue  # the anaphor's own noun phrase ("its capacity")
        factor = fits(ref, m)
        if not factor:
            continue
        rid = id(ref)
        refs[rid] = ref
        w = _weight(m, ref, anaphor) * factor
        best_mention[rid] = max(best_mention.get(rid, 0.0), w)
        repeats[rid] += 1
        if m.sentence == anaphor.sentence and (nearest is None or m.start >= nearest[0]):
            nearest = (m.start, rid)
    if not refs:
        return None
    for rid in refs:
        scores[rid] = best_mention[rid] + min(MAX_REPEAT_BONUS, REPEAT_BONUS * (repeats[rid] - 1))
    if nearest is not None:
        scores[nearest[1]] += nearest_bonus
    last_seen = {id(ref): m.start for m, ref in history if id(ref) in refs}
    rid = max(scores, key=lambda r: (scores[r], last_seen[r]))
    return refs[rid]


def titled_names(mentions: Sequence[Mention], text: str, sentence_starts: Sequence[int] = ()) -> list[Mention]:
    """``mentions`` with a location written after a capitalised "The" inside a sentence read as a title.

    NER tags the magazine in "a report by The Atlantic" as the ocean (LOC).
    A capital "The" that does not start the sentence belongs to a name:
    such a location, unless the offline table knows it as a place, becomes
    an organisation labelled with its "The" ("The Atlantic"), another node
    than the ocean.

    >>> t = "A report by The Atlantic said storms crossed the Atlantic."
    >>> found = titled_names([Mention(16, 24, "Atlantic", "LOC"), Mention(49, 57, "Atlantic", "LOC")], t, [0])
    >>> [(m.text, m.label) for m in found]
    [('The Atlantic', 'ORG'), ('Atlantic', 'LOC')]
    """
    starts = sorted(sentence_starts)
    out = []
    for m in mentions:
        if m.kind == "name" and m.label == "LOC" and text[max(0, m.start - 4) : m.start] == "The " \
                and not _first_in_sentence(text, m.start - 4, starts) and lookup(m.text, "LOC") is None:
            m = replace(m, start=m.start - 4, text="The " + m.text, label="ORG", features=(*m.features, "Title=yes"))
        out.append(m)
    return out


def _first_in_sentence(text: str, pos: int, starts: Sequence[int]) -> bool:
    """Whether only white space, quotes or a parenthesis stand between ``pos`` and its sentence's start."""
    index = bisect_right(starts, pos) - 1
    return index < 0 or not text[starts[index] : pos].strip(" \t\n\"'\u201c\u2018(")


def repeated_names(mentions: Sequence[Mention], text: str, sentence_starts: Sequence[int] = ()) -> list[Mention]:
    """``mentions`` with the other occurrences of each name NER found, where it missed them.

    The small English model tags a name in one sentence and reads the same
    words elsewhere as a common noun phrase ("Maria Lopez met Acme
    Corporation in Paris"), which would make a second node for one thing.
    Each further occurrence of a name's exact text (same capitals, whole
    words) that no name mention covers becomes a name mention with the
    NER label of the first; noun phrases it covers are dropped. A
    one-word name must start with a capital, have three letters or more,
    not be a generic name ("Court"), and not stand first in its sentence,
    where any word has a capital.

    >>> found = repeated_names([Mention(0, 16, "Acme Corporation", "ORG")],
    ...                        "Acme Corporation grew. Lopez met Acme Corporation.", [0, 23])
    >>> [(m.start, m.text, m.label) for m in found]
    [(0, 'Acme Corporation', 'ORG'), (33, 'Acme Corporation', 'ORG')]
    """
    names: dict[str, Mention] = {}
    for m in mentions:
        if m.kind == "name" and m.text[:1].isupper() and m.text == m.text.strip() and not is_generic_name(m.text):
            words = m.text.split()
            if len(words) > 1 or (len(m.text) >= 3 and m.text.isalpha()):
                names.setdefault(m.text, m)
    if not names:
        return list(mentions)
    covered = bytearray(len(text) + 1)
    for m in mentions:
        if m.kind == "name":
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    starts = sorted(sentence_starts)
    pattern = re.compile(r"(?<![\w.&'-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?![\w&-]|'\w)")
    added: list[Mention] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if any(covered[start:end]):
            continue
        first = names[match.group()]
        if " " not in first.text and _first_in_sentence(text, start, starts):
            continue
        index = bisect_right(starts, start) - 1
        features = tuple(f for f in first.features if not f.startswith("Dep="))
        added.append(Mention(start, end, match.group(), first.label, "name", index if index >= 0 else first.sentence,
                             features))
    if not added:
        return list(mentions)
    spans = [(m.start, m.end) for m in added]
    kept = [m for m in mentions
            if m.kind == "name" or not any(s <= m.start and m.end <= e for s, e in spans)]
    return kept + added


def resolve_mentions(mentions: Sequence[Mention], text: str, sentence_starts: Sequence[int] = ()) -> Coreference:
    """Group an article's mentions into referents and resolve pronouns and descriptions.

    ``text`` is the article text the mentions' offsets point into;
    ``sentence_starts`` the start offsets of its sentences (used to keep a
    title from reaching into the previous sentence). See the module
    docstring for the rules.
    """
    mentions = repeated_names(titled_names(mentions, text, sentence_starts), text, sentence_starts)
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end, m.kind))
    person_starts = {m.start for m in ordered if m.kind == "name" and m.label == "PERSON"}
    kept = [m for m in ordered if m.kind == "name" and not _not_an_entity(m, text, person_starts)]
    names = _join_split_names(kept, text)
    if len(names) != len(kept):
        parts = {_mkey(m) for m in kept} - {_mkey(m) for m in names}
        joined = [m for m in names if _mkey(m) not in {_mkey(k) for k in kept}]
        ordered = sorted([m for m in ordered if _mkey(m) not in parts] + joined,
                         key=lambda m: (m.start, -m.end, m.kind))
    referents = _cluster_names(names, text)
    of_mention: dict[tuple[int, int, str], Referent | NounReferent] = {}
    for r in referents:
        for m in r.mentions:
            of_mention[_mkey(m)] = r

    starts = sorted(sentence_starts)
    roles: list[Role] = []
    for r in referents:
        if r.type != "Person":
            continue
        for m in r.mentions:
            title, t_start, t_end = _split_own_title(m)
            if not title:
                floor = max([s for s in starts if s <= m.start], default=0)
                title, t_start, t_end = _preceding_title(text, m, floor)
            if title:
                r.titles.append(title)
                label = role_label(title)
                if label:
                    roles.append(Role(m, title, t_start, t_end, label))
        r.gender = name_gender(r.label, " ".join(r.titles))

    history: list[tuple[Mention, Referent | NounReferent]] = []
    for m in ordered:
        key = _mkey(m)
        if key in of_mention:
            history.append((m, of_mention[key]))
        elif m.kind == "pronoun":
            pron = m.text.lower()
            if is_pleonastic(text, m):
                continue
            ref = _best(m, history, PRONOUN_WINDOW, lambda ref, c, p=pron: _agrees(p, ref, c), NEAREST_BONUS)
            if ref is not None:
                of_mention[key] = ref
                history.append((m, ref))
                if isinstance(ref, Referent) and ref.type == "Person" and ref.gender is None:
                    if pron in MASCULINE_PRONOUNS:
                        ref.gender = "Masc"
                    elif pron in FEMININE_PRONOUNS:
                        ref.gender = "Fem"
        elif m.kind == "nominal" and m.label in DESCRIPTIONS and _is_bare(m) and _feature(m, "Number") != "Plur":
            ref = _best(m, history, DESCRIPTION_WINDOW, lambda ref, c, d=m.label: _fits_description(d, ref), 0.0)
            if ref is not None:
                of_mention[key] = ref
                history.append((m, ref))
            else:
                history.append((m, NounReferent(m.label, m)))
        elif m.kind in {"noun", "nominal"}:
            history.append((m, NounReferent(m.label, m)))
    for r in referents:
        r.mentions = sorted(
            {_mkey(m): m for m in ordered if of_mention.get(_mkey(m)) is r}.values(), key=lambda m: (m.start, m.end)
        )
    return Coreference(referents, of_mention, roles)


def _split_own_title(m: Mention) -> tuple[str, int, int]:
    """A title inside the name span itself ("President Donald Trump" tagged whole)."""
    text = m.text.lstrip()
    lead = len(m.text) - len(text)
    title, _ = split_title(" ".join(text.split(" ")))
    if not title or not text.startswith(title):
        return "", 0, 0
    start = m.start + lead
    return title, start, start + len(title)


def _is_bare(m: Mention) -> bool:
    """Whether a description is only a determiner and its noun ("the group", not "the Middle Eastern nation")."""
    return len(m.text.split()) == 2


def _fits_description(noun: str, ref: Referent | NounReferent) -> float:
    if not isinstance(ref, Referent):
        return 0.0
    kinds = DESCRIPTIONS[noun]
    if ref.type not in kinds:
        return 0.0
    if ref.type == "Person":
        return 1.0 if any(noun in t.lower().split() for t in ref.titles) else 0.0
    if noun not in GENERIC_DESCRIPTIONS:
        return 1.0 if noun in ref.label.lower().split() else 0.0
    return 1.0
