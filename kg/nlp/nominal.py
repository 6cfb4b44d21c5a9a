"""Nominalisations common in news, mapped to the verbs they name.

"Israel's rejection of the proposal" states what "Israel rejected the
proposal" states. The table maps a noun lemma to the verb lemma and to the
prepositions that introduce its object ("of" by default): the preposition is
kept in the predicate when the verb needs it ("withdrawal from" -> "withdraw
from"), and dropped when the verb takes a direct object ("rejection of" ->
"reject").
"""

from __future__ import annotations

__all__ = ["NOMINALISATIONS", "OBJECT_PREPOSITIONS", "verb_of_noun", "nominal_predicate"]

#: noun lemma -> verb lemma
NOMINALISATIONS: dict[str, str] = {
    "rejection": "reject",
    "proposal": "propose",
    "decision": "decide",
    "attack": "attack",
    "support": "support",
    "withdrawal": "withdraw",
    "agreement": "agree",
    "killing": "kill",
    "assassination": "assassinate",
    "invasion": "invade",
    "occupation": "occupy",
    "arrest": "arrest",
    "release": "release",
    "acquisition": "acquire",
    "purchase": "purchase",
    "sale": "sell",
    "election": "elect",
    "appointment": "appoint",
    "resignation": "resign",
    "announcement": "announce",
    "condemnation": "condemn",
    "criticism": "criticize",
    "approval": "approve",
    "destruction": "destroy",
    "capture": "capture",
    "bombing": "bomb",
    "shelling": "shell",
    "strike": "strike",
    "demand": "demand",
    "request": "request",
    "call": "call",
    "threat": "threaten",
    "warning": "warn",
    "investigation": "investigate",
    "deployment": "deploy",
    "evacuation": "evacuate",
    "imposition": "impose",
    "expulsion": "expel",
    "defeat": "defeat",
    "victory": "win",
    "visit": "visit",
    "meeting": "meet",
    "negotiation": "negotiate",
    "recognition": "recognize",
    "acceptance": "accept",
    "refusal": "refuse",
    "denial": "deny",
    "accusation": "accuse",
    "funding": "fund",
    "backing": "back",
    "involvement": "involve",
    "intervention": "intervene",
    "participation": "participate",
    "cooperation": "cooperate",
    "collaboration": "collaborate",
    "opposition": "oppose",
    "protest": "protest",
    "suspension": "suspend",
    "termination": "terminate",
    "ban": "ban",
    "sanction": "sanction",
    "takeover": "take over",
    "merger": "merge",
    "investment": "invest",
    "launch": "launch",
    "plan": "plan",
    "bid": "bid",
    "offer": "offer",
    "abduction": "abduct",
    "kidnapping": "kidnap",
    "detention": "detain",
    "execution": "execute",
    "conviction": "convict",
    "prosecution": "prosecute",
    "rescue": "rescue",
    "seizure": "seize",
    "annexation": "annex",
    "blockade": "blockade",
    "raid": "raid",
}

#: noun lemma -> prepositions that introduce the thing acted on (besides "of")
OBJECT_PREPOSITIONS: dict[str, frozenset[str]] = {
    "attack": frozenset({"on", "against"}),
    "strike": frozenset({"on", "against"}),
    "raid": frozenset({"on"}),
    "proposal": frozenset({"for"}),
    "support": frozenset({"for"}),
    "call": frozenset({"for"}),
    "demand": frozenset({"for"}),
    "request": frozenset({"for"}),
    "plan": frozenset({"for"}),
    "bid": frozenset({"for"}),
    "withdrawal": frozenset({"from"}),
    "agreement": frozenset({"with", "on"}),
    "negotiation": frozenset({"with", "on"}),
    "meeting": frozenset({"with"}),
    "visit": frozenset({"to"}),
    "invasion": frozenset(),
    "investment": frozenset({"in"}),
    "involvement": frozenset({"in"}),
    "intervention": frozenset({"in"}),
    "participation": frozenset({"in"}),
    "cooperation": frozenset({"with"}),
    "collaboration": frozenset({"with"}),
    "opposition": frozenset({"to"}),
    "protest": frozenset({"against"}),
    "sanction": frozenset({"on", "against"}),
    "ban": frozenset({"on"}),
    "victory": frozenset({"over", "in"}),
    "merger": frozenset({"with"}),
    "threat": frozenset({"to", "against"}),
    "criticism": frozenset(),
    "resignation": frozenset({"from"}),
}

#: Verbs that keep the preposition of their nominalisation ("agree with").
_PREPOSITIONAL_VERBS = frozenset(
    {
        "withdraw",
        "agree",
        "negotiate",
        "meet",
        "invest",
        "involve",
        "intervene",
        "participate",
        "cooperate",
        "collaborate",
        "protest",
        "merge",
        "call",
        "resign",
        "bid",
        "plan",
    }
)


def verb_of_noun(lemma: str) -> str | None:
    """The verb a nominalisation names, or ``None`` if the noun is not in the table.

    >>> verb_of_noun("rejection")
    'reject'
    >>> verb_of_noun("table") is None
    True
    """
    return NOMINALISATIONS.get(lemma.lower())


def nominal_predicate(noun_lemma: str, preposition: str) -> str | None:
    """Normalised predicate for a nominalisation and the preposition of its object.

    Returns ``None`` when the preposition does not introduce the noun's object.

    >>> nominal_predicate("rejection", "of")
    'reject'
    >>> nominal_predicate("withdrawal", "from")
    'withdraw from'
    >>> nominal_predicate("proposal", "for")
    'propose'
    >>> nominal_predicate("attack", "on")
    'attack'
    >>> nominal_predicate("rejection", "in") is None
    True
    """
    noun = noun_lemma.lower()
    verb = NOMINALISATIONS.get(noun)
    prep = preposition.lower()
    if verb is None or (prep != "of" and prep not in OBJECT_PREPOSITIONS.get(noun, frozenset())):
        return None
    if prep != "of" and verb in _PREPOSITIONAL_VERBS:
        return f"{verb} {prep}"
    return verb
