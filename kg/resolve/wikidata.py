"""The bundled, offline table of well-known things and their Wikidata ids.

``data/wikidata.tsv`` holds one row per thing: Wikidata id, kg type,
canonical label, aliases (abbreviations, other names, demonyms) and codes
(ISO 3166-1 alpha-2 and alpha-3 for countries). It was written by hand from
ids known for certain; nothing is downloaded. A row whose id is ``-`` only
gathers the names of a thing whose id is not known for certain. Lookups fold case, dots and
diacritics, so "U.S.", "US" and "us" find the same row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["KnownEntity", "known_entities", "lookup", "place_names", "fold", "WIKIDATA_PREFIX", "COMPATIBLE_TYPES"]

WIKIDATA_PREFIX = "http://www.wikidata.org/entity/"

#: Which kg types a row may have to match a mention with this NER label (or kg
#: type). NER labels are noisy: "UN" is often GPE, "Hezbollah" NORP, and a
#: demonym (NORP) names its country.
COMPATIBLE_TYPES: dict[str, frozenset[str]] = {
    "PERSON": frozenset({"Person"}),
    "ORG": frozenset({"Organization", "Country"}),
    "GPE": frozenset({"Country", "Place", "Organization"}),
    "LOC": frozenset({"Place", "Country"}),
    "FAC": frozenset({"Place", "Organization"}),
    "NORP": frozenset({"Country", "Organization", "Group", "Place"}),
    "EVENT": frozenset({"Event"}),
    "WORK_OF_ART": frozenset({"CreativeWork"}),
    "LAW": frozenset({"Legislation"}),
    "PRODUCT": frozenset({"Product"}),
    "LANGUAGE": frozenset({"Language"}),
}


#: Types of rows that match whatever the NER label: things NER has no label
#: for and tags at random ("COVID-19" as ORG, PERSON or PRODUCT).
ANY_LABEL_TYPES = frozenset({"Concept"})


@dataclass(frozen=True)
class KnownEntity:
    """One row of the table."""

    wikidata_id: str
    type: str
    label: str
    aliases: tuple[str, ...]
    codes: tuple[str, ...]

    @property
    def iri(self) -> str:
        """The Wikidata entity IRI.

        >>> lookup("U.S.", "GPE").iri
        'http://www.wikidata.org/entity/Q30'
        """
        return WIKIDATA_PREFIX + self.wikidata_id if self.wikidata_id else ""


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Return the lookup form of a name: case, dots, diacritics and spacing folded.

    >>> fold("U.S.")
    'us'
    >>> fold("  Recep Tayyip  Erdoğan ")
    'recep tayyip erdogan'
    """
    if not text.isascii():  # ASCII has no curly quotes, decompositions or combining marks
        text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace(".", "").split())


@lru_cache(maxsize=1)
def known_entities() -> tuple[KnownEntity, ...]:
    """Read the bundled table, in file order."""
    rows: list[KnownEntity] = []
    text = resources.files("kg.resolve").joinpath("data", "wikidata.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("wikidata_id\t"):
            continue
        qid, kind, label, aliases, codes = (line.split("\t") + ["", ""])[:5]
        qid = "" if qid == "-" else qid
        rows.append(
            KnownEntity(
                qid,
                kind,
                label,
                tuple(a for a in aliases.split("|") if a),
                tuple(c for c in codes.split("|") if c),
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Folded names, aliases and demonyms of the countries and places in the table.

    >>> "israeli" in place_names()
    True
    """
    return frozenset(
        fold(name)
        for row in known_entities()
        if row.type in {"Country", "Place"}
        for name in (row.label, *row.aliases)
    )


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[KnownEntity, ...]]:
    from kg.resolve.canonical import lookup_form

    index: dict[str, list[KnownEntity]] = {}
    for row in known_entities():
        for name in (row.label, *row.aliases):
            key = lookup_form(name, row.type)
            if key and row not in index.setdefault(key, []):
                index[key].append(row)
    return {k: tuple(v) for k, v in index.items()}


def lookup(text: str, label: str) -> KnownEntity | None:
    """Return the row that ``text`` names, if one fits the NER label (or kg type) ``label``.

    >>> lookup("Israeli", "NORP").label
    'Israel'
    >>> lookup("Israeli", "PERSON") is None
    True
    >>> lookup("poles", "NORP") is None
    True
    """
    from kg.resolve.canonical import kg_type, lookup_form

    if not any(ch.isupper() for ch in text):
        return None  # "poles" is not "Poles"; every name in the table has a capital
    allowed = COMPATIBLE_TYPES.get(label, frozenset({kg_type(label)})) | ANY_LABEL_TYPES
    for kind in sorted(allowed):
        for row in _index().get(lookup_form(text, kind), ()):
            if row.type == kind:
                return row
    return None
