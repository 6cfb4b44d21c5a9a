"""A remote store: any SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB, ...) over HTTP.

Queries go to the query endpoint by the SPARQL 1.1 Protocol (POST, results as
SPARQL JSON); writes are SPARQL 1.1 Update requests to the update endpoint,
which is the query endpoint unless ``KG_STORE_UPDATE_URL`` names another
(Virtuoso: ``/sparql-auth``; Fuseki: ``/DATASET/update``; GraphDB:
``/repositories/REPO/statements``). Credentials come from ``KG_STORE_USER`` and
``KG_STORE_PASSWORD`` and are sent with Basic or Digest authentication, as the
server asks.

Each article is written by one update request (drop its graph, insert its
triples), so the server applies it whole or not at all; several articles are
batched into one request up to :data:`BATCH_CHARS` characters.
"""

from __future__ import annotations

import io
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from rdflib.store import Store

from kg.errors import StoreError
from kg.rdf.vocab import KG

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.query import Result

__all__ = ["RemoteStore", "SparqlEndpointStore", "BATCH_CHARS", "UNION_GRAPH"]

#: Upper bound on the size of one update request; an article larger than this still goes whole, alone.
BATCH_CHARS = 2_000_000

_HASHES = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{KG.contentHash}> ?h }} }}"

#: The named graph holding the union of the article graphs, each triple once; kg's queries read it as their default graph.
UNION_GRAPH = "https://kg.example.org/graph/union"
_TIMEOUT = 120.0
_KIND = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


class RemoteStore:
    """A SPARQL endpoint used as a kg store: the same interface as :class:`~kg.store.local.LocalStore`.

    ``update_url`` defaults to ``$KG_STORE_UPDATE_URL``, else ``url``;
    ``user``/``password`` to ``$KG_STORE_USER``/``$KG_STORE_PASSWORD``.
    Nothing is sent until the first query or write.
    """

    def __init__(self, url: str, *, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, timeout: float = _TIMEOUT, read_only: bool = False) -> None:
        self.location = self.url = url
        self.read_only = read_only
        self.update_url = update_url or os.environ.get("KG_STORE_UPDATE_URL") or url
        self.timeout = timeout
        user = user if user is not None else os.environ.get("KG_STORE_USER")
        password = password if password is not None else os.environ.get("KG_STORE_PASSWORD", "")
        handlers: list[urllib.request.BaseHandler] = []
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for endpoint in {self.url, self.update_url}:
                passwords.add_password(None, endpoint, user, password)
            handlers = [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    # -- HTTP ------------------------------------------------------------------

    def _post(self, endpoint: str, form: Mapping[str, str], accept: str) -> tuple[bytes, str]:
        """POST ``form`` to ``endpoint``; the body and content type of the answer, or a :class:`StoreError`."""
        body = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept,
            "User-Agent": "kg (SPARQL 1.1 Protocol client)"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            raise StoreError(_http_error(endpoint, e)) from e
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise StoreError(f"{endpoint}: cannot reach the SPARQL server ({reason}); "
                             "check the URL and that the server is running") from e

    def check(self) -> None:
        """Ask the query endpoint a trivial question; a :class:`StoreError` if it does not answer as one."""
        body, _ = self._post(self.url, {"query": "ASK {}"}, "application/sparql-results+json")
        try:
            json.loads(body)["boolean"]
        except (ValueError, KeyError, TypeError) as e:
            raise StoreError(f"{self.url}: the server's answer is not SPARQL JSON results; "
                             "is this URL a SPARQL query endpoint?") from e

    def select(self, text: str) -> list[dict[str, dict[str, str]]]:
        """Run a SELECT on the query endpoint; the bindings of the SPARQL JSON results."""
        body, _ = self._post(self.url, {"query": text}, "application/sparql-results+json")
        try:
            return json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as e:
            raise StoreError(f"{self.url}: the server's answer is not SPARQL JSON results; "
                             "is this URL a SPARQL query endpoint?") from e

    def query(self, text: str) -> Result:
        """Run any SPARQL query on the union of the articles (each triple once); an rdflib :class:`~rdflib.query.Result`."""
        from rdflib import Graph
        from rdflib.query import Result

        kind = query_kind(text)
        form = {"query": text, "default-graph-uri": UNION_GRAPH}
        if kind in ("CONSTRUCT", "DESCRIBE"):
            body, ctype = self._post(self.url, form, "application/n-triples, text/turtle;q=0.9")
            fmt = "turtle" if "turtle" in ctype else "nt"
            result = Result(kind)
            result.graph = Graph()
            try:
                result.graph.parse(data=body.decode("utf-8"), format=fmt)
            except Exception as e:  # rdflib's parsers raise many unrelated types
                raise StoreError(f"{self.url}: the server's {kind} answer does not parse as {fmt} ({e})") from e
            return result
        body, _ = self._post(self.url, form, "application/sparql-results+json")
        try:
            return Result.parse(io.BytesIO(body), format="json")
        except Exception as e:
            raise StoreError(f"{self.url}: the server's answer is not SPARQL JSON results ({e}); "
                             "is this URL a SPARQL query endpoint?") from e

    def update(self, text: str) -> None:
        """Send one SPARQL 1.1 Update request to the update endpoint."""
        if self.read_only:
            raise StoreError(f"{self.url}: opened read-only; cannot write")
        self._post(self.update_url, {"update": text}, "*/*")

    # -- the store interface -----------------------------------------------------

    def dataset(self) -> Dataset:
        """An rdflib dataset whose queries run on the server, over the union of the articles."""
        from rdflib import Dataset

        from kg.rdf.vocab import bind_prefixes

        ds = Dataset(store=SparqlEndpointStore(self), default_union=True)
        bind_prefixes(ds)
        return ds

    def article_hashes(self) -> dict[str, str]:
        """The content hash of every article in the store, by article IRI."""
        return {b["g"]["value"]: b["h"]["value"] for b in self.select(_HASHES)}

    def graph_iris(self) -> list[str]:
        """The IRIs of the article graphs in the store, sorted."""
        return sorted(self.article_hashes())

    def __len__(self) -> int:
        """The number of quads in the article graphs."""
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{KG.contentHash}> ?h . ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"]) if rows else 0

    def replace_article(self, graph_iri: str, triples_nt: str) -> None:
        """Replace the named graph ``graph_iri`` with ``triples_nt`` (N-Triples lines) in one update request."""
        self.replace_articles([(graph_iri, triples_nt)])

    def replace_articles(self, articles: list[tuple[str, str]]) -> None:
        """Replace several articles' named graphs; each article is written whole by one update request."""
        from kg.store.local import replace_update

        for batch in _batches(articles):
            self.update(replace_update([(_iri(g), nt) for g, nt in batch], union=UNION_GRAPH))

    def add_articles(self, articles: list[tuple[str, str]]) -> None:
        """Write articles, new or not: on a server this is :meth:`replace_articles`."""
        self.replace_articles(articles)

    def rewrite_graph(self, graph_iri: str, triples_nt: str) -> None:
        """Replace a graph derived from the articles: on a server, :meth:`replace_articles`."""
        self.replace_articles([(graph_iri, triples_nt)])

    def remove_article(self, graph_iri: str) -> None:
        """Remove one article's named graph."""
        from kg.store.local import remove_update

        self.update(remove_update(_iri(graph_iri), union=UNION_GRAPH))

    def nquads(self) -> bytes:
        """Every article graph and kg's derived graphs as N-Quads, read one graph at a time.

        The server's other graphs (and the union graph) are left out.
        """
        from kg.rdf.model import nt_term
        from kg.rdf.vocab import BASE
        from kg.store.local import DERIVED_GRAPHS

        lines = []
        for g in self.graph_iris() + [f"{BASE}graph/{name}" for name in DERIVED_GRAPHS]:
            graph = f"<{g}>"
            for b in self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"):
                lines.append(f"{_nt(b['s'])} {_nt(b['p'])} {nt_term(_term(b['o']))} {graph} .\n")
        return "".join(lines).encode("utf-8")

    def flush(self) -> None:
        """Nothing to do: the server has applied every request when it answered."""

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SparqlEndpointStore(Store):
    """An rdflib store that sends every query to a :class:`RemoteStore`'s endpoint.

    It evaluates query *text* (``evaluates_sparql_text``), so
    :func:`kg.query.run_query` binds parameters into the text with an escaped
    ``VALUES`` block rather than rdflib's own evaluator. Triple-by-triple
    access is not offered: everything kg reads, it reads by SPARQL.
    """

    context_aware = True
    graph_aware = True
    evaluates_sparql_text = True

    def __init__(self, remote: RemoteStore) -> None:
        super().__init__()
        self.remote = remote

    def query(self, query: Any, initNs: Mapping[str, Any], initBindings: Mapping[Any, Any],  # noqa: N803
              queryGraph: Any, **kwargs: Any) -> Result:
        if not isinstance(query, str):
            raise StoreError(f"{self.remote.url}: only query text can be sent to a SPARQL server")
        if initBindings:
            from kg.rdf.model import nt_term

            names = " ".join(f"?{v}" for v in initBindings)
            values = " ".join(nt_term(t) for t in initBindings.values())
            query += f"\nVALUES ({names}) {{ ({values}) }}\n"
        return self.remote.query(query)

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        raise StoreError(f"{self.remote.url}: a remote store is read by SPARQL queries only")

    def __len__(self, context: Any = None) -> int:
        return len(self.remote)


def query_kind(text: str) -> str:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``: the form of a SPARQL query.

    >>> query_kind("PREFIX s: <http://schema.org/>  # a SELECT in a comment\\nASK { ?x s:name ?n }")
    'ASK'
    """
    body = re.sub(r"(?m)#.*$", "", text)
    body = re.sub(r"<[^>\s]*>", "<>", body)
    m = _KIND.search(body)
    return m.group(1).upper() if m else "SELECT"


def _iri(text: str) -> str:
    if re.search(r'[\s<>"{}|^`\\]', text):
        raise StoreError(f"{text!r}: is not a valid graph IRI")
    return text


def _nt(b: Mapping[str, str]) -> str:
    return f"_:{b['value']}" if b["type"] == "bnode" else f"<{b['value']}>"


def _term(b: Mapping[str, str]):
    from rdflib import BNode, Literal, URIRef

    if b["type"] == "uri":
        return URIRef(b["value"])
    if b["type"] == "bnode":
        return BNode(b["value"])
    return Literal(b["value"], lang=b.get("xml:lang"), datatype=b.get("datatype"))


def _batches(articles: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    batch: list[tuple[str, str]] = []
    size = 0
    for g, nt in articles:
        if batch and size + len(nt) > BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append((g, nt))
        size += len(nt)
    if batch:
        yield batch


def _http_error(endpoint: str, e: urllib.error.HTTPError) -> str:
    try:
        detail = e.read().decode("utf-8", "replace")
    except OSError:
        detail = ""
    if "<html" in detail.lower() or "<!doctype" in detail.lower():
        detail = re.sub(r"(?is)<(script|style|head)\b.*?</\1>|<[^>]+>", " ", detail)
    first = next((line.strip() for line in detail.splitlines() if line.strip()), "") or str(e.reason or "")
    first = " ".join(first.split())[:200]
    hint = {401: "set KG_STORE_USER and KG_STORE_PASSWORD", 403: "the account may not write here; "
            "give an update endpoint with KG_STORE_UPDATE_URL or grant update rights",
            404: "check the endpoint URL"}.get(e.code, "check the server's log")
    return f"{endpoint}: the SPARQL server answered HTTP {e.code} ({first}); {hint}"
