"""The vocabulary of kg graphs: one closed namespace and one prefix table.

Terms of kg's own namespace are declared here; using an undeclared one raises
instead of minting a new IRI. Everything else comes from standard vocabularies:
schema.org for articles and entity classes, PROV-O for provenance, SKOS for
labels and concepts, OWL for links to Wikidata, RDF reification for relations.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "BASE",
    "KG",
    "SCHEMA",
    "WD",
    "ENTITY",
    "ARTICLE",
    "REL",
    "PREFIXES",
    "TYPE_CLASSES",
    "CLASS_TYPES",
    "bind_prefixes",
    "sparql_prologue",
]

BASE = "https://kg.example.org/"


class KG(DefinedNamespace):
    """kg's own terms (``https://kg.example.org/ns#``)."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Entity: URIRef  # anything kg made a node for
    Relation: URIRef  # a reified statement read from a sentence
    Sentence: URIRef
    Mention: URIRef
    Group: URIRef  # nationalities, religious and political groups (spaCy NORP)
    # relation qualifiers
    negated: URIRef
    modality: URIRef
    attributedTo: URIRef
    attributionText: URIRef
    time: URIRef  # normalised ISO date
    timeText: URIRef
    confidence: URIRef
    construction: URIRef
    predicateText: URIRef
    subjectText: URIRef
    objectText: URIRef
    sentence: URIRef
    involves: URIRef  # a sentence -> an entity that is the subject or object of one of its relations
    # offsets (characters into the article text as given)
    start: URIRef
    end: URIRef
    text: URIRef
    # mentions
    mention: URIRef
    mentionOf: URIRef
    # articles
    contentHash: URIRef
    source: URIRef
    # corpus-wide figures (kg.summary)
    relationCount: URIRef  # relations an entity takes part in, or of a predicate
    relationArticles: URIRef  # articles of those relations
    negatedCount: URIRef  # negated relations of a predicate
    mentionCount: URIRef
    mentionArticles: URIRef
    mentionsNamed: URIRef  # an article -> a named entity (not a concept) it mentions
    connectedRank: URIRef  # 1 = the named entity in most relations
    mentionRank: URIRef  # 1 = the most mentioned entity of its type
    rankedType: URIRef  # the type an entity is ranked within ("Person")
    frequencyRank: URIRef  # 1 = the most frequent predicate
    contradicts: URIRef  # a negated relation -> the same claim asserted in another article
    relatedTo: URIRef  # two entities that are subject and object of one relation (both directions)


SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
ENTITY = Namespace(BASE + "entity/")
ARTICLE = Namespace(BASE + "article/")
REL = Namespace(BASE + "relation/")

PREFIXES: dict[str, Namespace | str] = {
    "kg": KG._NS,
    "kge": ENTITY,
    "kga": ARTICLE,
    "kgr": REL,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
}

#: kg entity types and the RDF class each entity of that type gets.
TYPE_CLASSES: dict[str, URIRef] = {
    "Person": SCHEMA.Person,
    "Organization": SCHEMA.Organization,
    "Country": SCHEMA.Country,
    "Place": SCHEMA.Place,
    "Group": KG.Group,
    "Event": SCHEMA.Event,
    "CreativeWork": SCHEMA.CreativeWork,
    "Legislation": SCHEMA.Legislation,
    "Product": SCHEMA.Product,
    "Language": SCHEMA.Language,
    "Concept": SKOS.Concept,
}
CLASS_TYPES: dict[URIRef, str] = {v: k for k, v in TYPE_CLASSES.items()}


def bind_prefixes(graph) -> None:
    """Bind kg's prefix table on an rdflib graph or dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, str(ns), override=True, replace=True)


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every prefix in the table.

    >>> "PREFIX schema: <https://schema.org/>" in sparql_prologue()
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
