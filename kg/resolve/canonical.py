"""Canonical names and kg types of named things.

Rules, applied until nothing changes (so the result is idempotent):

1. Spacing and quotes: white space collapsed, curly apostrophes made straight,
   quotes, brackets and stray punctuation trimmed from both ends.
2. Possessives and parentheses: a trailing "'s" (or "'" after an s) is
   dropped: "Israel's" -> "Israel"; so is a trailing parenthesis, closed or
   not: "World Health Organization (WHO" -> "World Health Organization".
3. Leading article: a leading "the" is dropped ("The United States"), except
   in titles of creative works.
4. Titles (persons only): a leading run of title words ("President",
   "Secretary of State", "Israeli Prime Minister", "Mr.") is split off:
   "Secretary of State Antony Blinken" -> "Antony Blinken". Hereditary and
   religious titles that are part of how a person is named ("Pope", "King",
   "Queen", "Prince") are kept. :func:`split_title` returns the role.
5. Known things: the result is looked up in the bundled Wikidata table
   (:mod:`kg.resolve.wikidata`); abbreviations, other names and demonyms map
   to the row's label: "U.S." / "USA" / "America" / "American" ->
   "United States", "Israeli" -> "Israel", "U.N." -> "United Nations".
6. Types come from the table when the name is known, else from the NER label:
   PERSON -> Person, ORG -> Organization, GPE/LOC/FAC -> Place, NORP -> Group,
   EVENT -> Event, WORK_OF_ART -> CreativeWork, LAW -> Legislation,
   PRODUCT -> Product, LANGUAGE -> Language, anything else -> Concept.
   Group names given in the singular are put in the plural from a small table
   ("Muslim" -> "Muslims"). A party's members are the party: "Democrats",
   "Democrat" -> "Democratic Party" (from the table).
"""

from __future__ import annotations

import re
import unicodedata

from kg.resolve.wikidata import fold, lookup, place_names

__all__ = [
    "canonical_label",
    "surface_form",
    "split_title",
    "lookup_form",
    "kg_type",
    "KG_TYPES",
    "NER_TYPES",
    "TITLE_WORDS",
    "ROLE_WORDS",
]

#: The kg entity types.
KG_TYPES = frozenset(
    {
        "Person",
        "Organization",
        "Country",
        "Place",
        "Group",
        "Event",
        "CreativeWork",
        "Legislation",
        "Product",
        "Language",
        "Concept",
    }
)

#: The kg type of a spaCy NER label, before the table is consulted.
NER_TYPES: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "NORP": "Group",
    "EVENT": "Event",
    "WORK_OF_ART": "CreativeWork",
    "LAW": "Legislation",
    "PRODUCT": "Product",
    "LANGUAGE": "Language",
}

#: Words that make a leading run of tokens a title (lower case, no dots).
TITLE_WORDS = frozenset(
    {
        "president", "vice", "secretary", "minister", "premier", "chancellor", "senator", "sen",
        "representative", "rep", "congressman", "congresswoman", "governor", "gov", "mayor",
        "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "general", "gen", "lieutenant",
        "lt", "colonel", "col", "major", "maj", "captain", "capt", "sergeant", "sgt", "admiral",
        "adm", "commander", "judge", "justice", "speaker", "ambassador", "spokesman",
        "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair", "director", "ceo",
        "leader", "chief", "attorney", "sheikh", "ayatollah", "bishop", "archbishop",
        "cardinal", "rev", "reverend", "rabbi", "imam", "detective", "officer", "sir", "dame",
        "lord", "lady", "emir", "sultan", "coach", "councillor", "councilman", "councilwoman",
        "president-elect", "mp", "envoy",
    }
)

#: Further words that may stand in a title before a name, but do not make one
#: by themselves ("Secretary of State", "Defense Secretary", "former").
ROLE_WORDS = frozenset(
    {
        "of", "the", "for", "and", "state", "defense", "defence", "foreign", "interior",
        "finance", "health", "justice", "prime", "deputy", "acting", "former", "late",
        "supreme", "house", "senate", "national", "security", "homeland", "treasury",
        "general", "emeritus", "opposition", "majority", "minority", "party", "army", "navy",
        "air", "force", "staff", "joint", "u.s.", "us", "foreign-affairs", "affairs", "chief",
        "executive", "press", "white", "senior", "retired", "incumbent", "then", "then-",
        "education", "energy", "labor", "labour", "trade", "commerce", "agriculture", "home",
        "transport", "transportation", "environment", "culture", "economy", "police", "fire",
        "first",
    }
)

#: Singular or adjective forms of groups mapped to the group's name.
GROUP_FORMS: dict[str, str] = {
    "democrat": "Democrats",
    "republican": "Republicans",
    "muslim": "Muslims",
    "christian": "Christians",
    "jew": "Jews",
    "jewish": "Jews",
    "catholic": "Catholics",
    "kurd": "Kurds",
    "kurdish": "Kurds",
    "arab": "Arabs",
    "sunni": "Sunnis",
    "shiite": "Shiites",
    "hindu": "Hindus",
    "buddhist": "Buddhists",
    "sikh": "Sikhs",
    "democratic": "Democrats",
    "islamic": "Muslims",
    "african american": "African Americans",
}

#: Characters trimmed from both ends of a name.
EDGE_PUNCTUATION = "\"'`«»“”‘’()[]{}<>,;:!?*-–—/\\|"

_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?<=\w)'s$|(?<=[sS])'$", re.IGNORECASE)
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)?$")
_ARTICLE = re.compile(r"^the\s+(?=\S)", re.IGNORECASE)


def kg_type(label: str) -> str:
    """Return the kg type for a spaCy NER label; a kg type is returned as it is.

    >>> kg_type("GPE"), kg_type("Person"), kg_type("CARDINAL")
    ('Place', 'Person', 'Concept')
    """
    if label in KG_TYPES:
        return label
    return NER_TYPES.get(label, "Concept")


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = _SPACE.sub(" ", text).strip()
    return text.strip(EDGE_PUNCTUATION + " ")


def _is_role_token(token: str) -> bool:
    low = token.lower().rstrip(".").rstrip(",")
    if low in TITLE_WORDS or low in ROLE_WORDS or token.lower() in ROLE_WORDS:
        return True
    return fold(token) in place_names()


def split_title(text: str) -> tuple[str, str]:
    """Split a leading title from a person's name: return ``(title, name)``.

    The title is the longest leading run of title and role words (and
    demonyms or country names before them) that holds at least one title word
    and leaves a capitalised name behind. ``title`` is ``""`` when there is none.

    >>> split_title("Secretary of State Antony Blinken")
    ('Secretary of State', 'Antony Blinken')
    >>> split_title("Israeli Prime Minister Benjamin Netanyahu")
    ('Israeli Prime Minister', 'Benjamin Netanyahu')
    >>> split_title("Pope Francis")
    ('', 'Pope Francis')
    """
    tokens = text.split(" ")
    best = 0
    has_title = False
    for i, token in enumerate(tokens[:-1]):
        if not _is_role_token(token):
            break
        has_title = has_title or token.lower().rstrip(".") in TITLE_WORDS
        rest = tokens[i + 1]
        if has_title and rest[:1].isupper() and not _is_role_token(rest):
            best = i + 1
    if not best:
        return "", text
    return " ".join(tokens[:best]), " ".join(tokens[best:])


def surface_form(text: str, label: str) -> str:
    """Return ``text`` with spacing, quotes, possessive, leading "the" and (for persons) titles removed.

    Does not consult the table. Idempotent. Falls back to the tidied text when
    nothing would be left.

    >>> surface_form("The United States'", "GPE")
    'United States'
    >>> surface_form("President Donald Trump's", "PERSON")
    'Donald Trump'
    >>> surface_form("The Godfather", "WORK_OF_ART")
    'The Godfather'
    """
    kind = kg_type(label)
    current = _tidy(text)
    for _ in range(8):
        new = _POSSESSIVE.sub("", _TRAILING_PARENTHESIS.sub("", current))
        if kind != "CreativeWork":
            new = _ARTICLE.sub("", new)
        if kind == "Person":
            new = split_title(new)[1]
        new = _tidy(new)
        if not new:
            break
        if new == current:
            return current
        current = new
    return current or _SPACE.sub(" ", text).strip()


def lookup_form(text: str, label: str) -> str:
    """Return the folded surface form used as the table's lookup key.

    >>> lookup_form("The U.S.", "GPE")
    'us'
    """
    return fold(surface_form(text, label))


def canonical_label(text: str, ner_label: str) -> tuple[str, str]:
    """Return the canonical label and kg type of a named thing.

    ``ner_label`` is a spaCy NER label (``GPE``, ``PERSON``, ...) or a kg
    type. Idempotent: feeding the label back with the same ``ner_label``
    returns the same pair.

    >>> canonical_label("U.S.", "GPE")
    ('United States', 'Country')
    >>> canonical_label("Israeli", "NORP")
    ('Israel', 'Country')
    >>> canonical_label("Secretary of State Antony Blinken", "PERSON")
    ('Antony Blinken', 'Person')
    >>> canonical_label("Hezbollah's", "NORP")
    ('Hezbollah', 'Organization')
    >>> canonical_label("Muslim", "NORP")
    ('Muslims', 'Group')
    >>> canonical_label("Democrat", "NORP")
    ('Democratic Party', 'Organization')
    >>> canonical_label("Springfield", "GPE")
    ('Springfield', 'Place')
    """
    surface = surface_form(text, ner_label)
    known = lookup(surface, ner_label)
    if known is not None:
        return known.label, known.type
    kind = kg_type(ner_label)
    if kind == "Group":
        surface = GROUP_FORMS.get(fold(surface), surface)
    return surface, kind
