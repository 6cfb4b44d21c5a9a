"""SPARQL over kg graphs: the named queries in ``queries/`` and the tabular views.

Named queries are ``.rq`` files with a header of ``#`` comment lines::

    # title: Who did what to whom
    # description: Relations, optionally for one entity.
    # param: entity (optional) label or alias of an entity, any case

Parameters are bound as RDF terms (``initBindings``), never pasted into the
query text, so a value cannot change what the query does.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import RDFS, XSD

from kg.errors import QueryError, QueryTimeout
from kg.rdf.vocab import CLASS_TYPES, PREFIXES, sparql_prologue

__all__ = [
    "NamedQuery",
    "Param",
    "queries_dir",
    "named_queries",
    "load_query",
    "parse_params",
    "run_query",
    "time_limit",
    "relation_rows",
    "entity_rows",
    "RELATION_COLUMNS",
    "ENTITY_COLUMNS",
    "mention_rows",
    "MENTION_COLUMNS",
]


@dataclass(frozen=True)
class Param:
    """A parameter a named query accepts."""

    name: str
    optional: bool
    description: str
    any_case: bool = False  # a name: matched as written, lower, upper, capitalised or title case


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with the metadata of its header."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None


def queries_dir() -> Path:
    """The folder of named queries: inside the installed package, else the source tree's ``queries/``."""
    packaged = resources.files("kg") / "queries"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "queries"


_HEADER = re.compile(r"^#\s*(?P<key>title|description|param)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>\w+)\s*(?P<opt>\(optional\))?\s*[-—:]?\s*(?P<desc>.*)$")


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot be read as a UTF-8 query file ({e})") from e
    title, description, params = path.stem, "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group("key"), m.group("value")
        if key == "title":
            title = value
        elif key == "description":
            description = (description + " " + value).strip()
        else:
            p = _PARAM.match(value)
            if p:
                params.append(Param(p.group("name"), bool(p.group("opt")), p.group("desc"),
                                    "(any case)" in p.group("desc")))
    return NamedQuery(path.stem, title, description, tuple(params), text, path)


def named_queries() -> list[NamedQuery]:
    """All named queries shipped with kg, sorted by name."""
    return [parse_query_file(p) for p in sorted(queries_dir().glob("*.rq"))]


def load_query(name_or_path: str) -> NamedQuery:
    """A named query by name (``who-did-what``), or a query file by path."""
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return parse_query_file(path)
    candidate = queries_dir() / f"{name_or_path}.rq"
    if candidate.is_file():
        return parse_query_file(candidate)
    known = ", ".join(q.name for q in named_queries())
    raise QueryError(f"no query named {name_or_path!r}; known queries: {known} (or give a path to a .rq file)")


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """Parse ``key=value`` strings.

    >>> parse_params(["entity=Israel", "x=a=b"])
    {'entity': 'Israel', 'x': 'a=b'}
    """
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"\w+", key):
            raise QueryError(f"--param {pair!r}: expected key=value, e.g. --param entity=Israel")
        out[key] = value
    return out


def to_term(value: str) -> URIRef | Literal:
    """The RDF term a parameter value stands for: an IRI for ``<...>`` or ``http(s)://...``,
    an integer for digits, else a plain string.

    >>> to_term("42"), to_term("<https://kg.example.org/x>"), to_term("Israel")
    (rdflib.term.Literal('42', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')), rdflib.term.URIRef('https://kg.example.org/x'), rdflib.term.Literal('Israel'))
    """
    v = value.strip()
    if v.startswith("<") and v.endswith(">") and " " not in v:
        return URIRef(v[1:-1])
    if re.fullmatch(r"https?://\S+", v):
        return URIRef(v)
    if re.fullmatch(r"-?\d+", v):
        return Literal(int(v), datatype=XSD.integer)
    return Literal(value)


def _bindings(query: NamedQuery, params: Mapping[str, str]) -> dict[Variable, Any]:
    declared = {p.name for p in query.params}
    unknown = set(params) - declared
    if query.params and unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {sorted(unknown)[0]!r}; it takes: "
            + ", ".join(p.name for p in query.params)
        )
    missing = [p.name for p in query.params if not p.optional and p.name not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=VALUE")
    return {Variable(k): to_term(v) for k, v in params.items()}


def _syntax_error(e: Exception, where: str) -> QueryError:
    """A QueryError that names line and column of a SPARQL syntax error."""
    lineno = getattr(e, "lineno", None)
    col = getattr(e, "col", None) or getattr(e, "column", None)
    at = f"line {lineno}, column {col}" if lineno else "unknown position"
    msg = (getattr(e, "msg", None) or str(e).splitlines()[0]).rstrip(".")
    return QueryError(f"{where}: SPARQL syntax error at {at}: {msg}; fix the query (kg's prefixes are declared for you)")


def with_prologue(text: str) -> str:
    """Add kg's PREFIX lines to a query that does not declare them itself."""
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+(\w*):", text))
    extra = "".join(line + "\n" for line in sparql_prologue().splitlines() if line.split()[1][:-1] not in declared)
    return extra + text


class _Expired(BaseException):
    """Raised by the alarm inside a running query; a BaseException so no ``except Exception`` in rdflib eats it."""


@contextmanager
def time_limit(seconds: float | None, what: str = "query") -> Iterator[None]:
    """Stop the code inside after ``seconds`` with :class:`QueryTimeout` (no limit for ``None`` or 0).

    The limit is an interval timer (``SIGALRM``), so it interrupts rdflib's
    evaluation wherever it is; it applies in the main thread of a Unix
    process, and elsewhere the code runs without a limit.
    """
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    live = [True]
    raised = [0.0]

    def expire(signum, frame):
        # raised again at most once a second: one that lands while Python runs a finaliser (the
        # garbage collector, a generator being closed) is dropped there, and unwinding a large
        # evaluation can itself take longer than the timer's period
        if live[0] and time.monotonic() - raised[0] >= 1.0:
            raised[0] = time.monotonic()
            raise _Expired

    def unraisable(info) -> None:  # noqa: ANN001 - sys.UnraisableHookArgs
        # where Python drops the exception (a finaliser, a gc callback) it would print it on
        # stderr as "Exception ignored in ..."; it is expected, and raised again a second later
        if info.exc_type is not _Expired:
            previous_hook(info)

    previous = signal.signal(signal.SIGALRM, expire)
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        try:
            yield
        finally:
            live[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            sys.unraisablehook = previous_hook
    except _Expired:
        raise _timeout(what, seconds) from None


def _timeout(what: str, seconds: float) -> QueryTimeout:
    return QueryTimeout(
        f"{what}: still running after {seconds:g} s, stopped (--timeout {seconds:g}); "
        "narrow it (a LIMIT, more specific patterns) or allow longer with --timeout"
    )


def run_query(graph, query: NamedQuery | str, params: Mapping[str, str] | None = None, timeout: float | None = None):
    """Run a query on an rdflib graph or dataset and return the rdflib result, fully evaluated.

    Raises :class:`QueryError` with line and column on a syntax error, and
    :class:`QueryTimeout` when ``timeout`` seconds pass before it is done.
    """
    if isinstance(query, str):
        query = NamedQuery("query", "query", "", (), query)
    bindings = _bindings(query, params or {})
    where = f"query {query.name!r}" if query.path is None else str(query.path)
    if not re.sub(r"(?m)#.*$", "", query.text).strip():
        raise QueryError(f"{where}: is empty; write a SELECT, CONSTRUCT, ASK or DESCRIBE query")
    text = with_prologue(query.text)
    alternatives = _case_variants(query, bindings)
    in_oxigraph = _runs_in_oxigraph(graph)
    # Oxigraph parses the text itself: rdflib's parser (tens of milliseconds) runs only to
    # explain a syntax error, with the line and column of the user's text. A remote server
    # is only asked a query that parses.
    embedded = type(getattr(graph, "store", None)).__name__ == "OxigraphStore"
    prepared = None if embedded else _prepare(text, query, where)
    try:
        with time_limit(timeout, where):
            return _evaluate(graph, query, text, where, bindings, alternatives, prepared, in_oxigraph, embedded)
    except _Expired:  # an alarm that landed while the limit was being lifted
        raise _timeout(where, timeout or 0) from None


def _evaluate(graph, query, text, where, bindings, alternatives, prepared, in_oxigraph: bool, embedded: bool):
    """Evaluate the prepared or bound query text; errors become :class:`QueryError`."""
    try:
        if in_oxigraph or alternatives != bindings:
            # Oxigraph evaluates the text itself, far faster than rdflib's engine; a name
            # is matched exactly in each of its case forms, which an index answers
            bound = bind_values(text, alternatives)
            result = _oxigraph_query(graph, lateral_groups(bound)) if embedded else graph.query(bound)
        else:
            result = graph.query(prepared, initBindings=bindings)
        if result.type == "SELECT":
            result.bindings  # evaluate now, inside the time limit  # noqa: B018
        return result
    except RecursionError as e:
        raise QueryError(f"{where}: failed, nested too deeply to evaluate; simplify it") from e
    except QueryError:
        raise
    except SyntaxError as e:  # Oxigraph's parser
        _prepare(text, query, where)  # rdflib's message when it also rejects the text
        raise QueryError(f"{where}: {str(e).splitlines()[0]}; fix the query") from e
    except Exception as e:
        raise QueryError(f"{where}: failed ({e}); check the query and its parameters") from e


def _oxigraph_query(graph, text: str):
    """``graph.query(text)`` for a dataset over an embedded Oxigraph store, with cheaper result terms.

    oxrdflib gives every literal an explicit datatype, which costs rdflib
    about 10 µs a term: as long as Oxigraph takes to answer a small query.
    Here a string literal becomes a plain ``Literal`` (as rdflib's own
    engine and parsers give it) and other literals keep the lexical form
    the store holds, without rdflib normalising it again.
    """
    from oxrdflib import OxigraphStore
    from rdflib import Dataset, Graph
    from rdflib.query import Result

    store = graph.store
    inner = getattr(store, "_inner", None)  # oxrdflib's pyoxigraph store
    if not isinstance(graph, Dataset) or not isinstance(store, OxigraphStore) or inner is None:
        return graph.query(text)
    answer = inner.query(text, use_default_graph_as_union=bool(graph.default_union))
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
    elif isinstance(answer, ox.QuerySolutions):
        result = Result("SELECT")
        result.vars = [Variable(v.value) for v in answer.variables]
        names = result.vars
        result.bindings = [{v: _rdflib_term(t) for v, t in zip(names, row) if t is not None} for row in answer]
    else:
        result = Result("CONSTRUCT")
        result.graph = Graph()
        result.graph += ((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)) for t in answer)
    return result


_XSD_STRING = str(XSD.string)
_DATATYPES: dict[str, URIRef] = {}
#: Literals already made, by (lexical form, datatype, language): answers repeat
#: the same labels, flags and dates, and rdflib takes 3-8 µs to make a literal.
_LITERALS: dict[tuple[str, str, str | None], Literal] = {}
_LITERALS_KEPT = 50_000


def _rdflib_term(term):
    """The rdflib term of a pyoxigraph term (see :func:`_oxigraph_query`)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        key = (term.value, datatype, term.language)
        lit = _LITERALS.get(key)
        if lit is None:
            if len(_LITERALS) >= _LITERALS_KEPT:
                _LITERALS.clear()
            lit = _LITERALS[key] = _make_literal(*key)
        return lit
    if isinstance(term, ox.BlankNode):
        from rdflib import BNode

        return BNode(term.value)
    from oxrdflib._converter import from_ox

    return from_ox(term)


def _make_literal(value: str, datatype: str, language: str | None) -> Literal:
    if language:
        return Literal(value, lang=language)
    if datatype == _XSD_STRING:
        return Literal(value)
    dt = _DATATYPES.get(datatype) or _DATATYPES.setdefault(datatype, URIRef(datatype))
    return Literal(value, datatype=dt, normalize=False)


_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_GROUP_TOKENS = re.compile(r"\bOPTIONAL\s*\{|\bVALUES\s*(?:\([^()]*\)|[?$]\w+)\s*\{|[{}]", re.IGNORECASE)
_UNION_NEXT = re.compile(r"\s*UNION\b", re.IGNORECASE)


def _follows(text: str, pos: int) -> str:
    """The last character before ``pos`` that is not white space ("" at the start)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1] if pos else ""


def lateral_groups(text: str) -> str:
    """``text`` with its optional and nested groups evaluated row by row, as Oxigraph's ``LATERAL``.

    Oxigraph evaluates the right side of a join on its own and joins by
    hash: an optional label of a few rows, or a group after the name lookup,
    reads every matching triple in the store. Inside ``LATERAL`` (SPARQL
    SEP-0006, which Oxigraph implements) it looks up each row's values
    instead. Two forms are rewritten:

    - every ``OPTIONAL { ... }``;
    - a nested group ``{ ... }`` (a ``UNION`` chain or a sub-select included)
      written after a ``.`` or after another group (not a ``VALUES`` block),
      inside a group: the pattern before it is evaluated first, and the
      group once per row. A group right after ``VALUES`` is evaluated on its
      own: Oxigraph would otherwise put the values into it, sub-selects
      included, and plan it without its indexes.

    Written this way, a query is standard SPARQL with the same answers
    elsewhere (kg's named queries avoid the one difference: a filter inside
    a nested group that reads a variable bound only outside it). Strings,
    IRIs and comments are left alone.

    >>> lateral_groups('SELECT * { ?s ?p ?o OPTIONAL { ?o <l> "}" } }')
    'SELECT * { ?s ?p ?o LATERAL { OPTIONAL { ?o <l> "}" } } }'
    >>> lateral_groups('SELECT * { ?s ?p ?o . { ?o ?q 1 } UNION { ?o ?q 2 } }')
    'SELECT * { ?s ?p ?o . LATERAL { { ?o ?q 1 } UNION { ?o ?q 2 } } }'
    >>> lateral_groups('SELECT * { VALUES ?v { 1 } { SELECT ?x { ?x ?p ?v } } ?x ?q ?y . { ?y ?r 2 } }')
    'SELECT * { VALUES ?v { 1 } { SELECT ?x { ?x ?p ?v } } ?x ?q ?y . LATERAL { { ?y ?r 2 } } }'
    """
    masked = _OPAQUE.sub(lambda m: " " * len(m.group()), text)
    inserts: list[tuple[int, str]] = []
    stack: list[str] = []  # per open brace: "optional", "lateral" (a rewritten group or UNION branch), "values" or "plain"
    union_branch = False  # the next brace opens a UNION branch of a rewritten group
    after_values = False  # the last group closed was a VALUES block
    for m in _GROUP_TOKENS.finditer(masked):
        tok = m.group()
        if tok == "}":
            if not stack:
                return text  # unbalanced: leave it to the parser to say so
            kind = stack.pop()
            after_values = kind == "values"
            if kind == "optional":
                inserts.append((m.end(), " }"))
            elif kind == "lateral":
                if _UNION_NEXT.match(masked, m.end()):
                    union_branch = True
                else:
                    inserts.append((m.end(), " }"))
        elif tok[0] in "Vv":
            stack.append("values")
        elif tok != "{":
            stack.append("optional")
            inserts.append((m.start(), "LATERAL { "))
        elif union_branch:
            union_branch = False
            stack.append("lateral")
        elif stack and _follows(masked, m.start()) in ((".", "}") if not after_values else (".",)):
            stack.append("lateral")
            inserts.append((m.start(), "LATERAL { "))
        else:
            stack.append("plain")
    if stack:
        return text
    for pos, piece in sorted(inserts, reverse=True):
        text = text[:pos] + piece + text[pos:]
    return text


def _prepare(text: str, query: NamedQuery, where: str):
    """rdflib's parse of ``text``; a :class:`QueryError` with line and column when it does not parse."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text)
    except ParseException as e:
        # line numbers count from the user's text, not kg's prefix lines
        e.lineno = e.lineno - (text.count("\n") - query.text.count("\n"))  # type: ignore[misc]
        raise _syntax_error(e, where) from e
    except RecursionError as e:
        raise QueryError(f"{where}: is nested too deeply to parse; simplify it") from e
    except Exception as e:
        m = re.search(r"Unknown namespace prefix : (\S*)", str(e))
        if m:
            raise QueryError(f"{where}: uses the undeclared prefix '{m.group(1)}:'; declare it with PREFIX "
                             f"{m.group(1)}: <...> or use one of kg's ({', '.join(PREFIXES)})") from e
        raise QueryError(f"{where}: cannot be prepared ({e}); fix the query") from e


def case_forms(name: str) -> list[str]:
    """The forms a name is looked up in: as written, lower, upper, capitalised and title case.

    >>> case_forms("united states")
    ['united states', 'UNITED STATES', 'United states', 'United States']
    """
    forms = [name, name.lower(), name.upper(), name[:1].upper() + name[1:], name.capitalize(), name.title()]
    return list(dict.fromkeys(forms))


def _case_variants(query: NamedQuery, bindings: dict[Variable, Any]) -> dict[Variable, Any]:
    """``bindings`` with each "(any case)" string parameter replaced by the tuple of its case forms."""
    names = {Variable(p.name) for p in query.params if p.any_case}
    return {v: (tuple(Literal(f) for f in case_forms(str(t))) if v in names and isinstance(t, Literal)
                and t.datatype is None else t) for v, t in bindings.items()}


_WHERE_OR_BRACE = re.compile(r"\bWHERE\s*\{|[{}]", re.IGNORECASE)


def _where_groups(masked: str) -> list[tuple[int, int]]:
    """The ``(open, close)`` brace positions of every ``WHERE { ... }`` group, in the order they open."""
    groups: list[tuple[int, int]] = []
    stack: list[int | None] = []  # per open brace: its position when it opens a WHERE group
    for m in _WHERE_OR_BRACE.finditer(masked):
        if m.group() == "}":
            if not stack:
                break
            opened = stack.pop()
            if opened is not None:
                groups.append((opened, m.start()))
        else:
            stack.append(m.end() - 1 if m.group() != "{" else None)
    return sorted(groups)


def bind_values(text: str, bindings: Mapping[Variable, Any]) -> str:
    """``text`` with ``bindings`` pre-bound by ``VALUES`` blocks, as if each parameter were a constant.

    The block goes at the head of every ``WHERE`` group (the query's own or a
    sub-select's) that uses a parameter itself, since a sub-select sees no
    variable of the query around it (SPARQL evaluates it first): each group
    is restricted to the given values however an engine orders the work.
    A query that uses no parameter gets the block in its top-level group.
    The values are written as escaped RDF terms, so no value can change the
    query's structure; unbound (optional) parameters stay unbound. A tuple
    of terms binds its variable to each of them in turn (one row each).

    >>> bind_values("SELECT ?x WHERE { ?x ?p ?v }", {Variable("v"): Literal('} ; DROP ALL ; {"')})
    'SELECT ?x WHERE { VALUES (?v) { ("} ; DROP ALL ; {\\\\"") } ?x ?p ?v }'
    >>> bind_values("SELECT * WHERE { ?x ?p ?v { SELECT ?x WHERE { ?x ?q ?v } } }", {Variable("v"): Literal("a")})
    'SELECT * WHERE { VALUES (?v) { ("a") } ?x ?p ?v { SELECT ?x WHERE { VALUES (?v) { ("a") } ?x ?q ?v } } }'
    >>> bind_values("SELECT * WHERE { { SELECT ?x WHERE { ?x ?q ?v } } ?x ?p 1 }", {Variable("v"): Literal("a")})
    'SELECT * WHERE { { SELECT ?x WHERE { VALUES (?v) { ("a") } ?x ?q ?v } } ?x ?p 1 }'
    """
    if not bindings:
        return text
    from kg.rdf.model import nt_term

    masked = _OPAQUE.sub(lambda m: " " * len(m.group()), text)
    groups = _where_groups(masked)
    if not groups:
        raise QueryError("parameters can only be bound in a query with a WHERE clause")
    from itertools import product

    # each use of a parameter belongs to the innermost WHERE group around it; the
    # top-level group gets the values when it uses a parameter or none uses any
    used: set[int] = set()
    names = {str(v) for v in bindings}
    for m in re.finditer(r"[?$](\w+)", masked):
        if m.group(1) in names:
            around = [i for i, (a, b) in enumerate(groups) if a < m.start() < b]
            used.add(max(around, key=lambda i: groups[i][0]) if around else 0)
    if not used:
        used.add(0)
    variables = " ".join(f"?{v}" for v in bindings)
    choices = [t if isinstance(t, tuple) else (t,) for t in bindings.values()]
    rows = " ".join("(" + " ".join(nt_term(t) for t in row) + ")" for row in product(*choices))
    block = f" VALUES ({variables}) {{ {rows} }}"
    for i in sorted(used, key=lambda i: groups[i][0], reverse=True):
        pos = groups[i][0] + 1
        text = text[:pos] + block + text[pos:]
    return text


def _runs_in_oxigraph(graph) -> bool:
    store = getattr(graph, "store", None)
    return type(store).__name__ == "OxigraphStore" or getattr(store, "evaluates_sparql_text", False)


RELATION_COLUMNS = (
    "subject", "predicate", "object", "negated", "modality", "attributed_to", "time", "confidence",
    "support", "article", "sentence", "subject_iri", "predicate_iri", "object_iri", "article_title",
    "support_articles",
)

_RELATIONS = """
SELECT ?r ?s ?sl ?p ?pl ?o ?ol ?neg ?conf ?aid ?title ?text ?mod ?attr ?attrl ?attrt ?time ?timet ?start WHERE {
  ?r a kg:Relation ; rdf:subject ?s ; rdf:predicate ?p ; kg:negated ?neg ; kg:confidence ?conf ;
     prov:wasDerivedFrom ?art ; kg:sentence ?sent ; kg:start ?start .
  ?sent kg:text ?text .
  ?art schema:identifier ?aid .
  OPTIONAL { ?art schema:headline ?title }
  OPTIONAL { ?s rdfs:label ?sl }
  OPTIONAL { ?p rdfs:label ?pl }
  OPTIONAL { ?r rdf:object ?o . OPTIONAL { ?o rdfs:label ?ol } }
  OPTIONAL { ?r kg:modality ?mod }
  OPTIONAL { ?r kg:attributedTo ?attr . OPTIONAL { ?attr rdfs:label ?attrl } }
  OPTIONAL { ?r kg:attributionText ?attrt }
  OPTIONAL { ?r kg:time ?time }
  OPTIONAL { ?r kg:timeText ?timet }
}
"""


def _text(term) -> str | None:
    return None if term is None else str(term)


def relation_rows(graph) -> list[dict[str, Any]]:
    """One row per relation: labels, IRIs, qualifiers, support, article and sentence.

    ``article_title`` is the article's headline, or ``None`` when it has none.

    Entities merged by reconciliation (``owl:sameAs`` in the reconciliation
    graph, see :mod:`kg.merge`) are shown as their canonical entity: its IRI
    and label. ``support`` is the number of articles in the graph that state
    the same subject, predicate, object and polarity (after merging), and
    ``support_articles`` their ids, sorted. Rows are sorted by article, then
    position in the text.
    """
    canon, labels = _canonical_entities(graph)
    rows: dict[str, dict[str, Any]] = {}
    for b in graph.query(with_prologue(_RELATIONS)):
        key = str(b.r)
        if key in rows:
            continue
        obj = b.o
        s_iri = canon.get(str(b.s), str(b.s))
        o_iri = canon.get(str(obj), str(obj)) if isinstance(obj, URIRef) else None
        rows[key] = {
            "subject": labels.get(s_iri) or _text(b.sl) or str(b.s),
            "predicate": _text(b.pl) or str(b.p),
            "object": ((labels.get(o_iri) if o_iri else None) or _text(b.ol)
                       or (str(obj) if isinstance(obj, Literal) else _text(obj))),
            "negated": bool(b.neg.toPython()) if b.neg is not None else False,
            "modality": _text(b.mod),
            "attributed_to": _text(b.attrl) or _text(b.attrt),
            "time": _text(b.time) or _text(b.timet),
            "confidence": float(b.conf),
            "article": str(b.aid),
            "article_title": _text(b.title),
            "sentence": str(b.text),
            "subject_iri": s_iri,
            "predicate_iri": str(b.p),
            "object_iri": o_iri,
            "_start": int(b.start),
        }
    support: dict[tuple, set[str]] = defaultdict(set)
    for row in rows.values():
        support[_claim(row)].add(row["article"])
    out = sorted(rows.values(), key=lambda r: (r["article"], r.pop("_start")))
    for row in out:
        row["support"] = len(support[_claim(row)])
        row["support_articles"] = sorted(support[_claim(row)])
    return [{k: row[k] for k in RELATION_COLUMNS} for row in out]


def _canonical_entities(graph) -> tuple[dict[str, str], dict[str, str]]:
    """Merged entity IRI -> canonical IRI, and the label of each canonical IRI that has merged entities."""
    from kg.merge import canonical_map

    canon = canonical_map(graph)
    labels: dict[str, str] = {}
    for iri in set(canon.values()):
        label = next(iter(graph.objects(URIRef(iri), RDFS.label)), None)
        if label is not None:
            labels[iri] = str(label)
    return canon, labels


def _claim(row: Mapping[str, Any]) -> tuple:
    return (row["subject_iri"], row["predicate_iri"], row["object_iri"] or row["object"], row["negated"])


ENTITY_COLUMNS = ("label", "type", "mentions", "articles", "aliases", "same_as", "iri")

_ENTITY_BASE = "https://kg.example.org/entity/"

_ENTITIES = """
SELECT ?e ?label ?class WHERE { ?e a kg:Entity ; rdfs:label ?label ; a ?class . }
"""
_ALIASES = "SELECT ?e ?alias WHERE { ?e a kg:Entity ; skos:altLabel ?alias }"
_SAME = "SELECT ?e ?same WHERE { ?e a kg:Entity ; owl:sameAs ?same }"
_MENTIONS = "SELECT ?e ?m ?art WHERE { ?m kg:mentionOf ?e ; schema:isPartOf ?art }"


def entity_rows(graph, include_concepts: bool = False) -> list[dict[str, Any]]:
    """One row per entity: label, type, mention and article counts, aliases, Wikidata links.

    Concepts (things that are not named entities, such as "proposal") are left
    out unless ``include_concepts``. Entities merged by reconciliation
    (see :mod:`kg.merge`) make one row, the canonical entity's, with the
    labels of the others among its aliases and the mentions and articles of
    all. ``same_as`` lists Wikidata links only. Sorted by mentions, most
    first, then label.
    """
    canon = _canonical_entities(graph)[0]
    rows: dict[str, dict[str, Any]] = {}
    merged: dict[str, set[str]] = defaultdict(set)
    for b in graph.query(with_prologue(_ENTITIES)):
        type_ = CLASS_TYPES.get(b["class"])
        if type_ is None:
            continue
        row = rows.setdefault(str(b.e), {"iri": str(b.e), "label": str(b.label), "type": type_,
                                         "aliases": set(), "same_as": set(), "_m": set(), "_a": set()})
        if type_ != "Concept" or row["type"] == "Concept":
            row["type"] = type_
    for b in graph.query(with_prologue(_ALIASES)):
        if str(b.e) in rows:
            rows[str(b.e)]["aliases"].add(str(b.alias))
    for b in graph.query(with_prologue(_SAME)):
        if str(b.e) in rows and not str(b.same).startswith(_ENTITY_BASE):
            rows[str(b.e)]["same_as"].add(str(b.same))
    for b in graph.query(with_prologue(_MENTIONS)):
        if str(b.e) in rows:
            rows[str(b.e)]["_m"].add(str(b.m))
            rows[str(b.e)]["_a"].add(str(b.art))
    for iri, target in canon.items():
        row, into = rows.pop(iri, None), rows.get(target)
        if row is None or into is None:
            if row is not None:
                rows[iri] = row
            continue
        into["aliases"] |= row["aliases"] | {row["label"]}
        for k in ("same_as", "_m", "_a"):
            into[k] |= row[k]
    out = []
    for row in rows.values():
        if row["type"] == "Concept" and not include_concepts:
            continue
        out.append({
            "label": row["label"], "type": row["type"], "mentions": len(row["_m"]), "articles": len(row["_a"]),
            "aliases": sorted(row["aliases"] - {row["label"]}), "same_as": sorted(row["same_as"]), "iri": row["iri"],
        })
    out.sort(key=lambda r: (-r["mentions"], r["label"].lower(), r["iri"]))
    return out


MENTION_COLUMNS = ("entity_iri", "label", "type", "article", "start", "end", "text")

_MENTION_ROWS = """
SELECT ?e ?label ?class ?aid ?start ?end ?text WHERE {
  ?m a kg:Mention ; kg:mentionOf ?e ; schema:isPartOf ?art ; kg:start ?start ; kg:end ?end ; kg:text ?text .
  ?art schema:identifier ?aid .
  ?e rdfs:label ?label ; a ?class .
}
"""


def mention_rows(graph) -> list[dict[str, Any]]:
    """One row per mention: the entity, the article id as given in the input, offsets and text.

    ``start``/``end`` count characters of the article text as given, so
    ``text == article_text[start:end]``. A mention of an entity merged into
    another by reconciliation names the canonical entity (IRI, label, type),
    so mentions of one real-world thing share one ``entity_iri`` across
    articles. Sorted by article, then offset.
    """
    canon, labels = _canonical_entities(graph)
    rows: dict[tuple, dict[str, Any]] = {}
    for b in graph.query(with_prologue(_MENTION_ROWS)):
        type_ = CLASS_TYPES.get(b["class"])
        if type_ is None:
            continue
        iri, label = str(b.e), str(b.label)
        if iri in canon and canon[iri] in labels:  # merged entities share their type, so only IRI and label change
            iri = canon[iri]
            label = labels[iri]
        key = (str(b.aid), int(b.start), int(b.end), iri)
        row = rows.get(key)
        if row is None or (row["type"] == "Concept" and type_ != "Concept"):
            rows[key] = {"entity_iri": iri, "label": label, "type": type_, "article": str(b.aid),
                         "start": int(b.start), "end": int(b.end), "text": str(b.text)}
    return [rows[k] for k in sorted(rows)]
