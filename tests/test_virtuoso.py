"""A real Virtuoso Open Source server as a remote store: load, query, replace, export, errors.

The fixture starts ``virtuoso-t`` on free ports of 127.0.0.1 with its own
database in a temporary folder, and stops it afterwards. Without the binary
the tests fail (CI installs it: Debian package ``virtuoso-opensource``),
unless ``KG_SKIP_VIRTUOSO=1``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.cli import main
from kg.query import load_query
from kg.rdf import load_graph
from kg.store import open_store
from kg.store.load import file_articles
from kg.store.remote import RemoteStore

ROOT = Path(__file__).resolve().parent.parent
INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql}
DisableUnixSocket        = 1
MaxClientConnections     = 5
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = .
NumberOfBuffers          = 2000
MaxDirtyBuffers          = 1200
ThreadsPerQuery          = 1
AsyncQueueMaxThreads     = 2

[HTTPServer]
ServerPort                  = 127.0.0.1:{http}
ServerRoot                  = {d}/vsp
MaxClientConnections        = 5
ServerThreads               = 5
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 120
"""


def _free_ports(n: int) -> list[int]:
    """``n`` distinct ports free at the moment (held together while chosen, so never the same twice)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=5) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """The SPARQL endpoint URL of a Virtuoso started for these tests, with SPARQL Update granted to its endpoint."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if not binary or not isql:
        if os.environ.get("KG_SKIP_VIRTUOSO") == "1":
            pytest.skip("KG_SKIP_VIRTUOSO=1 and Virtuoso is not installed")
        pytest.fail("virtuoso-t / isql-vt not found: install the Debian package virtuoso-opensource "
                    "(.ci/run does), or set KG_SKIP_VIRTUOSO=1 to skip these tests")
    root = tmp_path_factory.mktemp("virtuoso")
    proc = log = None
    try:
        # a port found free can be taken before Virtuoso binds it (by any client's outgoing
        # connection): Virtuoso then exits at once, and starts afresh on other ports
        for attempt in range(3):
            d = root / str(attempt)
            (d / "vsp").mkdir(parents=True)
            sql, http = _free_ports(2)
            (d / "virtuoso.ini").write_text(INI.format(d=d, sql=sql, http=http), encoding="utf-8")
            log = open(d / "stdout.log", "wb")
            proc = subprocess.Popen([binary, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d,
                                    stdout=log, stderr=subprocess.STDOUT)
            url = f"http://127.0.0.1:{http}/sparql"
            deadline = time.monotonic() + 180
            while not _answers(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            else:
                break
            output = (d / "stdout.log").read_text(errors="replace")
            taken = "Failed HTTP listen" in output or "Failed to start listening" in output
            if proc.poll() is None or not taken or attempt == 2:
                pytest.fail(f"Virtuoso did not start: {output[-2000:]}")
            log.close()
        grant = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                               capture_output=True, text=True, timeout=60)
        assert grant.returncode == 0, grant.stdout + grant.stderr
        yield url
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if log is not None:
            log.close()


@pytest.fixture(scope="module")
def loaded(virtuoso, sample_build):
    """The Virtuoso endpoint holding the sample article, loaded with `kg load`."""
    r = _kg("load", str(sample_build[0] / "graph.trig"), "--store", virtuoso)
    assert r.returncode == 0, r.stderr
    return virtuoso


def _kg(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _size(url: str) -> int:
    return len(RemoteStore(url))


@pytest.mark.parametrize("args", [
    ["query", "who-did-what", "--format", "jsonl"],
    ["query", "who-did-what", "--param", "entity=Israel", "--format", "jsonl"],
    ["query", "predicates", "--format", "jsonl"],
    ["triples", "--format", "jsonl"],
    ["entities", "--concepts", "--format", "jsonl"],
    ["mentions", "--format", "jsonl"],
])
def test_a_query_on_virtuoso_gives_the_rows_of_the_graph_file(runner, loaded, sample_build, args):
    from_file = runner.invoke(main, [args[0], str(sample_build[0] / "graph.trig"), *args[1:]])
    from_server = runner.invoke(main, [args[0], "--store", loaded, *args[1:]])
    assert from_file.exit_code == 0 and from_server.exit_code == 0, from_server.output
    # SAMPLE() may pick any of a group's values, and engines pick differently
    drop = set(SAMPLED.findall(load_query(args[1]).text)) if args[0] == "query" else set()
    rows = _canonical(from_server.output, drop)
    assert rows and rows == _canonical(from_file.output, drop)


SAMPLED = re.compile(r"SAMPLE\([^)]*\)\s+AS\s+\?(\w+)", re.IGNORECASE)


def _canonical(jsonl: str, drop: set[str]) -> list[str]:
    return sorted(json.dumps({k: v for k, v in json.loads(line).items() if k not in drop}, sort_keys=True)
                  for line in jsonl.splitlines())


def test_replacing_an_article_leaves_no_duplicates(loaded, sample_build):
    store = open_store(loaded, create=True)  # what `kg build --store URL` does
    hashes = store.article_hashes()
    ((iri, nt, h),) = file_articles(load_graph(sample_build[0] / "graph.trig"), "sample")
    assert hashes == {iri: h}
    size = _size(loaded)
    changed = nt.replace(h, "0" * len(h))
    store.replace_articles([(iri, changed)])
    store.replace_article(iri, changed)
    assert store.article_hashes() == {iri: "0" * len(h)}
    assert _size(loaded) == size
    store.replace_articles([(iri, nt), ("https://kg.example.org/article/other", nt.replace(iri, "https://kg.example.org/article/other"))])
    assert _size(loaded) == 2 * size and len(store.article_hashes()) == 2
    store.remove_article("https://kg.example.org/article/other")
    assert store.article_hashes() == {iri: h} and _size(loaded) == size


def test_export_from_virtuoso_equals_export_from_the_embedded_store(runner, loaded, sample_build, tmp_path):
    local = tmp_path / "store"
    assert runner.invoke(main, ["load", str(sample_build[0] / "graph.trig"), "--store", str(local)]).exit_code == 0
    a, b = tmp_path / "remote.nq", tmp_path / "local.nq"
    r = runner.invoke(main, ["export", "--store", loaded, "--format", "nquads", "-o", str(a)])
    assert r.exit_code == 0, r.output
    assert runner.invoke(main, ["export", "--store", str(local), "--format", "nquads", "-o", str(b)]).exit_code == 0
    assert sorted(a.read_text().splitlines()) == sorted(b.read_text().splitlines())


def test_a_hostile_parameter_cannot_change_the_remote_query(runner, loaded):
    size = _size(loaded)
    r = runner.invoke(main, ["query", "--store", loaded, "entity", "--param", "entity=} ; DROP ALL ; {", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == []
    assert _size(loaded) == size > 0


def test_a_syntax_error_is_reported_before_the_server_is_asked(runner, loaded, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE {\n  ?s ?p\n}\n", encoding="utf-8")
    r = runner.invoke(main, ["query", "--store", loaded, str(bad)])
    assert r.exit_code == 2 and "line 2, column 3" in r.output


def test_digest_credentials_for_a_separate_update_endpoint(loaded, sample_build):
    trig = str(sample_build[0] / "graph.trig")
    auth = loaded.replace("/sparql", "/sparql-auth")
    r = _kg("load", trig, "--store", loaded, env={"KG_STORE_UPDATE_URL": auth, "KG_STORE_USER": "dba",
                                                   "KG_STORE_PASSWORD": "wrong"})
    # the article is already there (same content hash): nothing to write, so no credentials needed
    assert r.returncode == 0 and "1 unchanged" in r.stdout, r.stderr
    store = RemoteStore(loaded, update_url=auth, user="dba", password="wrong")
    with pytest.raises(Exception) as e:
        store.remove_article("https://kg.example.org/article/none")
    assert "HTTP 401" in str(e.value) and "KG_STORE_USER" in str(e.value)
    RemoteStore(loaded, update_url=auth, user="dba", password="dba").remove_article("https://kg.example.org/article/none")


def test_a_failing_or_unreachable_server_is_one_line_with_the_status(loaded, tmp_path):
    wrong = loaded.replace("/sparql", "/no-such-endpoint")
    r = _kg("query", "--store", wrong, "predicates", cwd=tmp_path)
    assert r.returncode == 1 and "HTTP 404" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    r = _kg("export", "--store", wrong, "--format", "trig", "-o", "out.trig", cwd=tmp_path)
    assert r.returncode == 1 and "HTTP 404" in r.stderr
    assert list(tmp_path.iterdir()) == []
