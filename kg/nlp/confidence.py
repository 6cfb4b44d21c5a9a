"""Confidence of a relation: how likely it is to be a correct reading of the text.

A base per construction (a finite clause reads more reliably than a
participle, a participle more than a bare "X's Y"), lowered for signs that
the parse was hard: a long sentence, a long subject, no object, a subject
borrowed from another clause. The values order relations so that precision
rises with the threshold; they are not probabilities.
"""

from __future__ import annotations

__all__ = ["BASE_CONFIDENCE", "confidence"]

#: Starting confidence of each construction, cleanest first.
BASE_CONFIDENCE: dict[str, float] = {
    "report": 0.8,
    "passive": 0.74,
    "xcomp": 0.72,
    "active": 0.7,
    "title": 0.68,
    "apposition": 0.66,
    "copula": 0.64,
    "relative": 0.62,
    "participle": 0.54,
    "nominal": 0.47,
    "prep": 0.46,
    "compound": 0.42,
    "possessive": 0.3,
}


def confidence(
    construction: str,
    subject_words: int,
    object_words: int | None,
    extra_words: int = 0,
    sentence_tokens: int = 0,
    subject_is_name: bool = False,
    inherited_subject: bool = False,
    parse_oddity: bool = False,
) -> float:
    """Confidence in ``[0.05, 0.99]`` for a relation with these traits, rounded to 3 places.

    ``object_words`` is ``None`` when the relation has no object;
    ``parse_oddity`` marks a relation read around a parser error (a verb
    tagged as a noun).

    >>> confidence("active", 2, 2, sentence_tokens=10, subject_is_name=True)
    0.73
    >>> confidence("active", 12, None, sentence_tokens=60) < confidence("active", 2, 2, sentence_tokens=10)
    True
    >>> confidence("possessive", 1, 2) < confidence("active", 1, 2)
    True
    """
    score = BASE_CONFIDENCE.get(construction, 0.5)
    if subject_is_name:
        score += 0.03
    if inherited_subject:
        score -= 0.03
    if object_words is None:
        score -= 0.1
    if parse_oddity:
        score -= 0.2
    if subject_words > 8:
        score -= 0.1
    total = subject_words + (object_words or 0) + extra_words
    if total > 24:
        score -= 0.05
    if total <= 2:
        score -= 0.03
    score -= 0.02 * min(4, max(0, sentence_tokens - 15) // 12)
    return round(min(0.99, max(0.05, score)), 3)
