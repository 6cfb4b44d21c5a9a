"""Deterministic entity keys: ``"<Type>/<slug>"`` built from IRI-safe characters.

The key depends on the canonical label and the kg type only, never on the
article, so the same thing gets the same key (and IRI) in every run.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["entity_key", "slug", "KEY_PATTERN"]

#: What every key matches: a type of ASCII letters, a slash, then unreserved
#: IRI characters and upper-case percent-escapes of UTF-8 bytes.
KEY_PATTERN = re.compile(r"^[A-Za-z]+/([A-Za-z0-9._~-]|%[0-9A-F]{2})+$")

#: Characters kept as they are (RFC 3986 "unreserved").
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

#: The slug of an empty (or all-space) label, so a key is never empty.
EMPTY_SLUG = "_"

#: The type part of a key whose type has no ASCII letters.
FALLBACK_TYPE = "Thing"

_SPACE = re.compile(r"\s+")


def slug(label: str) -> str:
    """Return the IRI-safe slug of ``label``.

    Unicode is NFC-normalised, runs of white space become one ``_``, unreserved
    characters are kept and every other character is percent-encoded as UTF-8
    (upper-case hex). A slug of dots only is escaped too, so that it can never
    be read as a ``.``/``..`` path segment.

    >>> slug("Antony Blinken")
    'Antony_Blinken'
    >>> slug("حزب الله")
    '%D8%AD%D8%B2%D8%A8_%D8%A7%D9%84%D9%84%D9%87'
    >>> slug("  ")
    '_'
    >>> slug("..")
    '%2E%2E'
    """
    text = _SPACE.sub("_", unicodedata.normalize("NFC", label).strip())
    if not text:
        return EMPTY_SLUG
    if set(text) == {"."}:
        return "%2E" * len(text)
    out: list[str] = []
    for ch in text:
        if ch in UNRESERVED:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out)


def entity_key(label: str, type: str) -> str:
    """Return the key ``"<Type>/<slug>"`` of the entity with this canonical label and kg type.

    The same label and type give the same key in every run and article; the
    rdf stage mints the entity IRI from it.

    >>> entity_key("United States", "Country")
    'Country/United_States'
    >>> entity_key('a "quoted" <name>', "Concept")
    'Concept/a_%22quoted%22_%3Cname%3E'
    """
    kind = "".join(ch for ch in type if ch.isascii() and ch.isalpha()) or FALLBACK_TYPE
    return f"{kind}/{slug(label)}"
