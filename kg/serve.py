"""A local SPARQL 1.1 Protocol endpoint over a kg graph or store, with the interactive page at ``/``.

``GET /sparql?query=...`` and ``POST /sparql`` (a form with ``query=`` or
``update=``, or an ``application/sparql-query`` / ``application/sparql-update``
body) answer in the format the ``Accept`` header asks for: SPARQL JSON
(the default), XML, CSV or TSV for ``SELECT`` and ``ASK``; Turtle (the
default) or N-Triples for ``CONSTRUCT`` and ``DESCRIBE``. A query that does
not parse gets HTTP 400 with the parser's message; an update gets 403 unless
the server was started to allow updates. The default graph of a query is the
union of all article graphs, and kg's prefixes are declared.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from kg.errors import GraphError, KGError
from kg.rdf.vocab import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["Endpoint", "make_server", "load_graph_store", "negotiate", "RESULT_TYPES", "GRAPH_TYPES"]

#: media type -> pyoxigraph QueryResultsFormat name, for SELECT and ASK
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
#: media type -> pyoxigraph RdfFormat name, for CONSTRUCT and DESCRIBE
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
}
_SHORT = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
          "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
          "nt": "application/n-triples", "ntriples": "application/n-triples"}
_MAX_BODY = 10 * 1024 * 1024


def negotiate(accept: str | None, offered: dict[str, str], default: str) -> str | None:
    """The offered media type the ``Accept`` header prefers (``default`` for none or ``*/*``); None if none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "application/sparql-results+json")
    'application/sparql-results+xml'
    >>> negotiate("image/png", RESULT_TYPES, "application/sparql-results+json") is None
    True
    """
    if not accept or not accept.strip():
        return default
    choices: list[tuple[float, int, str]] = []
    for n, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            key, _, value = p.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, n, media.lower()))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*") and (media == "*/*" or default.startswith(media[:-1])):
            return default
    return None


@dataclass
class Endpoint:
    """What the server answers from: the Oxigraph store, the page, and whether updates are allowed."""

    store: pyoxigraph.Store
    page: bytes
    allow_update: bool = False
    lock: threading.Lock | None = None

    def query(self, text: str):
        # the default graph is the union of the articles (each triple once), as kept by kg's stores
        return self.store.query(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()})

    def update(self, text: str) -> None:
        assert self.lock is not None
        with self.lock:
            self.store.update(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()})


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # a quiet server: the command prints its address, not every request

    # -- routing -------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", self.endpoint.page)
        elif url.path == "/sparql":
            form = parse_qs(url.query, keep_blank_values=True)
            if "update" in form:
                self._send_error(405, "updates must be sent with POST")
            elif "query" not in form:
                self._send_error(400, "no query: give ?query=SPARQL (the SPARQL 1.1 Protocol)")
            else:
                self._answer(form["query"][0], form)
        else:
            self._send_error(404, f"{url.path}: not found; the endpoint is /sparql and the page is /")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._send_error(404, f"{url.path}: not found; the endpoint is /sparql")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._send_error(413, f"request body over {_MAX_BODY} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        form = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-query":
            self._answer(body, form)
        elif ctype == "application/sparql-update":
            self._update(body)
        elif ctype in ("application/x-www-form-urlencoded", ""):
            form.update(parse_qs(body, keep_blank_values=True))
            if "update" in form:
                self._update(form["update"][0])
            elif "query" in form:
                self._answer(form["query"][0], form)
            else:
                self._send_error(400, "no query: give query= or update= in the form body")
        else:
            self._send_error(415, f"content type {ctype!r} not supported; use application/sparql-query, "
                                  "application/sparql-update or a form")

    # -- answers -------------------------------------------------------------

    def _answer(self, text: str, form: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        try:
            result = self.endpoint.query(text)
        except SyntaxError as e:
            self._send_error(400, f"SPARQL syntax error: {e}")
            return
        except (OSError, ValueError, RuntimeError) as e:
            self._send_error(400, f"query failed: {e}")
            return
        accept = _SHORT.get(form.get("format", [""])[0].lower()) or self.headers.get("Accept")
        if isinstance(result, ox.QueryTriples):
            media = negotiate(accept, GRAPH_TYPES, "text/turtle")
            if media is None:
                self._send_error(406, "CONSTRUCT results come as text/turtle or application/n-triples")
                return
            data = result.serialize(format=getattr(ox.RdfFormat, GRAPH_TYPES[media]))
        else:
            media = negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
            if media is None:
                self._send_error(406, "results come as SPARQL JSON, XML, CSV or TSV: " + ", ".join(RESULT_TYPES))
                return
            data = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
        self._send(200, media + ("; charset=utf-8" if media.startswith("text/") else ""), data or b"")

    def _update(self, text: str) -> None:
        if not self.endpoint.allow_update:
            self._send_error(403, "this endpoint is read-only; start `kg serve` with --allow-update to accept updates")
            return
        try:
            self.endpoint.update(text)
        except SyntaxError as e:
            self._send_error(400, f"SPARQL syntax error: {e}")
            return
        except (OSError, ValueError, RuntimeError) as e:
            self._send_error(400, f"update failed: {e}")
            return
        self._send(204, "text/plain; charset=utf-8", b"")

    def _send_error(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.splitlines()[0] if message else "").encode() + b"\n")

    def _send(self, status: int, ctype: str, data: bytes) -> None:
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if status != 204 and self.command != "HEAD":
            self.wfile.write(data)


def make_server(endpoint: Endpoint, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A threading HTTP server answering from ``endpoint`` (``port`` 0 picks a free port).

    Raises :class:`KGError` when the address cannot be bound.
    """
    if endpoint.lock is None:
        endpoint.lock = threading.Lock()
    handler = type("Handler", (_Handler,), {"endpoint": endpoint})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as e:
        raise KGError(f"{host}:{port}: cannot listen there ({e.strerror or e}); choose another --port or --host") from e
    server.daemon_threads = True
    return server


def load_graph_store(path: Path) -> pyoxigraph.Store:
    """Load a graph file (TriG, N-Quads, Turtle, N-Triples) into an in-memory Oxigraph store.

    Raises :class:`GraphError` when the file is missing or does not parse.
    """
    import pyoxigraph as ox

    if not path.is_file():
        raise GraphError(f"{path}: no such graph file; build one with `kg build` or check the path")
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
    if fmt is None:
        raise GraphError(f"{path}: unknown graph format; give a .trig, .nq, .ttl or .nt file")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError, OSError) as e:
        raise GraphError(f"{path}: does not parse as {fmt.name} ({str(e).splitlines()[0]}); "
                         "give a graph file kg wrote") from e
    # the default graph holds the union of the named graphs, each triple once, as in a kg store
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def page_bytes(store: pyoxigraph.Store, title: str) -> bytes:
    """The interactive page of the graph in ``store``."""
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    from kg.analyze import project
    from kg.visualize import page_html

    ds = Dataset(store=OxigraphStore(store=store), default_union=False)
    return page_html(project(ds), title=title, top=500).encode("utf-8")
