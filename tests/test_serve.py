"""`kg serve`: the real server in a subprocess, spoken to over HTTP with urllib."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT

COUNT = "SELECT ?label WHERE { ?e a kg:Entity ; rdfs:label ?label } ORDER BY ?label"


def start(*args: str):
    """Start `kg serve ARGS --port 0`; return the process and its base URL (from its first line)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", *args, "--port", "0"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if " at http://" not in line:
        proc.kill()
        raise AssertionError(f"kg serve did not start: {line}{proc.stderr.read()}")
    return proc, line.split(" at ", 1)[1].split()[0]


def stop(proc) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out + err


@pytest.fixture(scope="module")
def server(sample_build):
    proc, url = start(str(sample_build[0] / "graph.trig"))
    yield url
    code, output = stop(proc)
    assert code == 0 and "stopped" in output and "Traceback" not in output


def get(url: str, accept: str | None = None, data: bytes | None = None, ctype: str | None = None):
    req = urllib.request.Request(url, data=data)
    if accept:
        req.add_header("Accept", accept)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode("utf-8")


def sparql_url(base: str, query: str) -> str:
    return base + "sparql?" + urllib.parse.urlencode({"query": query})


def labels_of(sample_build) -> list[str]:
    from kg.query import run_query
    return sorted(str(r.label) for r in run_query(sample_build[1], COUNT))


def test_get_answers_sparql_json_by_default(server, sample_build):
    status, ctype, body = get(sparql_url(server, COUNT))
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["label"]
    assert sorted(b["label"]["value"] for b in doc["results"]["bindings"]) == labels_of(sample_build)
    assert "Israel" in {b["label"]["value"] for b in doc["results"]["bindings"]}


def test_accept_header_chooses_xml_csv_tsv(server, sample_build):
    expected = labels_of(sample_build)
    status, ctype, body = get(sparql_url(server, COUNT), "application/sparql-results+xml")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert sorted(e.text for e in ET.fromstring(body).findall(".//r:literal", ns)) == expected

    status, ctype, body = get(sparql_url(server, COUNT), "text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["label"] and sorted(r[0] for r in rows[1:]) == expected

    status, ctype, body = get(sparql_url(server, COUNT), "text/tab-separated-values;q=0.9, text/html;q=0.1")
    assert status == 200 and ctype.startswith("text/tab-separated-values")
    lines = body.splitlines()
    assert lines[0] == "?label" and len(lines) - 1 == len(expected) and '"Israel"' in lines


def test_ask_and_construct(server):
    status, _, body = get(sparql_url(server, 'ASK { ?e rdfs:label "Israel" }'))
    assert status == 200 and json.loads(body)["boolean"] is True
    status, ctype, body = get(sparql_url(server, 'CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label "Israel" ; rdfs:label ?l }'))
    assert status == 200 and ctype.startswith("text/turtle") and '"Israel"' in body
    status, ctype, body = get(sparql_url(server, 'CONSTRUCT WHERE { ?e rdfs:label "Israel" }'), "application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples") and body.rstrip().endswith(".")


def test_post_form_and_sparql_query_body(server, sample_build):
    expected = labels_of(sample_build)
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = get(server + "sparql", data=form, ctype="application/x-www-form-urlencoded")
    assert status == 200 and sorted(b["label"]["value"] for b in json.loads(body)["results"]["bindings"]) == expected
    status, _, body = get(server + "sparql", "text/csv", data=COUNT.encode(), ctype="application/sparql-query")
    assert status == 200 and body.splitlines()[0] == "label" and len(body.splitlines()) == len(expected) + 1


def test_syntax_error_is_400_with_the_message(server):
    status, ctype, body = get(sparql_url(server, "SELECT ?s WHERE { ?s ?p }"))
    assert status == 400 and ctype.startswith("text/plain")
    assert "syntax error" in body and "1:" in body


def test_update_is_refused_without_the_flag(server):
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    status, _, body = get(server + "sparql", data=form, ctype="application/x-www-form-urlencoded")
    assert status == 403 and "--allow-update" in body
    status, _, _ = get(server + "sparql", data=b"DROP ALL", ctype="application/sparql-update")
    assert status == 403
    status, _, body = get(sparql_url(server, 'ASK { ?e rdfs:label "Israel" }'))
    assert json.loads(body)["boolean"] is True


def test_page_at_root(server):
    status, ctype, body = get(server)
    assert status == 200 and ctype.startswith("text/html")
    assert "<html" in body.lower() and "Israel" in body


def test_unknown_path_and_unacceptable_format(server):
    assert get(server + "nope")[0] == 404
    assert get(sparql_url(server, COUNT), "image/png")[0] == 406


def test_store_is_served_read_only_and_updates_need_the_flag(tmp_path, sample_build):
    from kg.rdf.model import nt_term
    from kg.store import open_store

    ds = sample_build[1]
    with open_store(tmp_path / "store", create=True) as store:
        for g in ds.graphs():
            if len(g):
                store.replace_article(str(g.identifier), "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"
                                                                  for s, p, o in g))
    proc, url = start("--store", str(tmp_path / "store"), "--allow-update")
    try:
        form = urllib.parse.urlencode({"update": 'INSERT DATA { <urn:a> rdfs:label "Added" }'})
        status, _, _ = get(url + "sparql", data=form.encode(), ctype="application/x-www-form-urlencoded")
        assert status == 204
        status, _, body = get(sparql_url(url, 'ASK { ?x rdfs:label "Added" }'))
        assert json.loads(body)["boolean"] is True
        assert json.loads(get(sparql_url(url, 'ASK { ?e rdfs:label "Israel" }'))[2])["boolean"] is True
    finally:
        assert stop(proc)[0] == 0
    # the update was written to the store
    proc, url = start("--store", str(tmp_path / "store"))
    try:
        assert json.loads(get(sparql_url(url, 'ASK { ?x rdfs:label "Added" }'))[2])["boolean"] is True
        assert get(url + "sparql", data=b"DROP ALL", ctype="application/sparql-update")[0] == 403
    finally:
        assert stop(proc)[0] == 0


def test_serve_needs_exactly_one_source(runner, tmp_path):
    from kg.cli import main

    result = runner.invoke(main, ["serve"])
    assert result.exit_code == 2 and result.output.startswith("kg: error: give a graph file or --store")
    result = runner.invoke(main, ["serve", str(tmp_path / "missing.trig")])
    assert result.exit_code == 1 and "no such graph file" in result.output
    result = runner.invoke(main, ["serve", "--store", str(tmp_path / "nostore")])
    assert result.exit_code == 1 and "no store here" in result.output
