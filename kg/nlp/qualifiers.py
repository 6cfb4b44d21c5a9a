"""Qualifiers of a relation: negation, modality, attribution and time.

The word lists are closed vocabularies kept here so the extractor and its
tests agree on them. Time normalisation is a set of pure functions over
strings: they see only the surface time expression and the article's date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = [
    "MODAL_AUXILIARIES",
    "INTENT_VERBS",
    "NEGATING_VERBS",
    "REPORTING_VERBS",
    "ATTRIBUTION_PREPOSITIONS",
    "normalise_time",
    "parse_iso_date",
]

#: Modal auxiliaries that make a relation possible rather than asserted.
#: "will" and "shall" mark the future and "can"/"must" ability or need; only
#: the hedging ones are recorded.
MODAL_AUXILIARIES = frozenset({"may", "might", "could", "would", "should"})

#: Verbs whose open clausal complement is intended, not done ("plans to
#: strike"): the complement's relation gets ``modality = "<lemma> to"``.
INTENT_VERBS = frozenset(
    {
        "plan",
        "threaten",
        "intend",
        "seek",
        "try",
        "attempt",
        "aim",
        "want",
        "hope",
        "promise",
        "vow",
        "pledge",
        "expect",
        "propose",
        "offer",
        "agree",
        "prepare",
        "consider",
        "wish",
    }
)

#: Verbs whose open clausal complement did not happen ("refused to sign").
NEGATING_VERBS = frozenset({"refuse", "fail", "decline", "reject", "cease", "stop"})

#: Verbs that report speech or belief: their clausal complement is the
#: reported content, attributed to the verb's subject.
REPORTING_VERBS = frozenset(
    {
        "say",
        "tell",
        "claim",
        "report",
        "announce",
        "state",
        "add",
        "note",
        "argue",
        "insist",
        "warn",
        "acknowledge",
        "admit",
        "deny",
        "believe",
        "confirm",
        "suggest",
        "explain",
        "write",
        "allege",
        "assert",
        "declare",
        "indicate",
        "maintain",
        "think",
        "estimate",
        "predict",
        "reveal",
        "stress",
        "emphasize",
        "emphasise",
        "contend",
        "tweet",
        "testify",
        "concede",
    }
)

#: Multi-word prepositions introducing a source: "according to X".
ATTRIBUTION_PREPOSITIONS = frozenset({"according"})

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": None,
    "few": None,
}
#: Largest count of an "N units ago" expression that is normalised.
_MAX_AGO = 1000
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)s?")
_AGO = re.compile(r"(\w+)\s+(day|week|fortnight|month|year)s?\s+ago")
_LAST_NEXT = re.compile(r"(last|next|this|past|previous|coming)\s+(\w+)")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?:,?\s+(\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")


def parse_iso_date(text: str | None) -> date | None:
    """Read a ``YYYY-MM-DD`` date (a longer timestamp is cut); ``None`` if it is not one.

    >>> parse_iso_date("2024-10-10")
    datetime.date(2024, 10, 10)
    >>> parse_iso_date("2024-10-10T08:00:00Z")
    datetime.date(2024, 10, 10)
    >>> parse_iso_date("soon") is None
    True
    """
    if not text:
        return None
    m = _ISO.match(text.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _shift_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, 28)


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _month_date(month: int, day: int | None, year: int | None, ref: date | None) -> str | None:
    """ISO text for a month (and day), taking the year from ``ref`` when it is missing."""
    if year is None:
        if ref is None:
            return None
        year = ref.year
        # a month later in the year than the article's date is usually last year's
        if (month, day or 1) > (ref.month, ref.day) and month - ref.month > 1:
            year -= 1
    try:
        return date(year, month, day).isoformat() if day is not None else f"{year:04d}-{month:02d}"
    except ValueError:
        return None


def normalise_time(text: str, article_date: str | None = None) -> str | None:
    """Normalise a time expression to ISO 8601, resolving relative ones against ``article_date``.

    Returns ``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month, ``YYYY`` for a
    year, and ``None`` when the expression cannot be pinned down (or needs an
    article date that is not given).

    >>> normalise_time("two weeks ago", "2024-10-10")
    '2024-09-26'
    >>> normalise_time("yesterday", "2024-10-10")
    '2024-10-09'
    >>> normalise_time("last week", "2024-10-10")
    '2024-10-03'
    >>> normalise_time("on Monday", "2024-10-10")   # a Thursday: the Monday before
    '2024-10-07'
    >>> normalise_time("next Monday", "2024-10-10")
    '2024-10-14'
    >>> normalise_time("in September", "2024-10-10")
    '2024-09'
    >>> normalise_time("12 July 2006")
    '2006-07-12'
    >>> normalise_time("October 3, 2023")
    '2023-10-03'
    >>> normalise_time("in 1941")
    '1941'
    >>> normalise_time("last year", "2024-10-10")
    '2023'
    >>> normalise_time("recently", "2024-10-10") is None
    True
    >>> normalise_time("two weeks ago") is None
    True
    >>> normalise_time("99999999 weeks ago", "2024-10-10") is None
    True
    """
    ref = parse_iso_date(article_date)
    try:
        return _normalise(" ".join(text.lower().replace(",", " , ").split()), ref)
    except (OverflowError, ValueError):
        # the date would fall outside years 1-9999: nothing a news story can mean
        return None


def _normalise(t: str, ref: date | None) -> str | None:
    """:func:`normalise_time` of a lower-cased, whitespace-normalised expression."""
    t = re.sub(r"^(on|in|at|since|from|until|by|during|early|late|earlier|later)\s+", "", t)
    t = re.sub(r"^(the|this)\s+(?=\d)", "", t)
    m = _ISO.search(t)
    if m:
        d = parse_iso_date(m.group(0))
        return d.isoformat() if d else None
    if ref is not None:
        if t in ("today", "tonight", "this morning", "this afternoon", "this evening"):
            return ref.isoformat()
        if t in ("yesterday", "last night"):
            return (ref - timedelta(days=1)).isoformat()
        if t == "tomorrow":
            return (ref + timedelta(days=1)).isoformat()
        m = _AGO.search(t)
        if m:
            n, unit = _count(m.group(1)), m.group(2)
            # far-off counts are not dates a news story pins down (and would overflow)
            if n is None or not 0 <= n < min(_MAX_AGO, ref.year):
                return None
            if unit in _UNIT_DAYS:
                return (ref - timedelta(days=n * _UNIT_DAYS[unit])).isoformat()
            if unit == "month":
                return _shift_months(ref, -n).isoformat()[:7]
            return f"{ref.year - n:04d}"
        m = _LAST_NEXT.match(t)
        if m:
            which, unit = m.groups()
            sign = 1 if which in ("next", "coming") else (0 if which == "this" else -1)
            if unit == "week":
                return (ref + timedelta(days=7 * sign)).isoformat()
            if unit == "month":
                return _shift_months(ref, sign).isoformat()[:7]
            if unit == "year":
                return f"{ref.year + sign:04d}"
            if unit in _WEEKDAYS:
                return _weekday(ref, _WEEKDAYS[unit], sign or -1)
            if unit in _MONTHS:
                year = ref.year + sign
                return f"{year:04d}-{_MONTHS[unit]:02d}"
        if t in _WEEKDAYS:
            return _weekday(ref, _WEEKDAYS[t], -1)
    m = _DAY_MONTH.fullmatch(t)
    if m and m.group(2) in _MONTHS:
        year = int(m.group(3)) if m.group(3) else None
        return _month_date(_MONTHS[m.group(2)], int(m.group(1)), year, ref)
    m = _MONTH_DAY.fullmatch(t.replace(" ,", ","))
    if m and m.group(1) in _MONTHS:
        year = int(m.group(3)) if m.group(3) else None
        return _month_date(_MONTHS[m.group(1)], int(m.group(2)), year, ref)
    m = _MONTH_YEAR.fullmatch(t.replace(" ,", ","))
    if m and m.group(1) in _MONTHS:
        return f"{int(m.group(2)):04d}-{_MONTHS[m.group(1)]:02d}"
    if t in _MONTHS and t != "may":
        return _month_date(_MONTHS[t], None, None, ref)
    m = _YEAR.fullmatch(t)
    if m:
        return m.group(1)
    return None


def _weekday(ref: date, weekday: int, direction: int) -> str:
    """The nearest ``weekday`` before (``direction < 0``) or after ``ref``, never ``ref`` itself.

    >>> _weekday(date(2024, 10, 10), 0, -1)
    '2024-10-07'
    """
    delta = (ref.weekday() - weekday) % 7 or 7
    if direction > 0:
        delta = -((weekday - ref.weekday()) % 7 or 7)
    return (ref - timedelta(days=delta)).isoformat()
