"""The embedded store and the commands around it: --store on read commands, kg load, kg export, bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.query import load_query, named_queries, run_query
from kg.store import LocalStore, open_store
from kg.store.load import load_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_IRI = "https://kg.example.org/article/us-hezbollah-ceasefire"
INJECTION = "} ; DROP ALL ; {"


def kg(*args: str, cwd: Path | None = None, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run the kg command in its own process (stores lock per process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*prefix, sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def sample_trig(sample_build) -> Path:
    return sample_build[0] / "graph.trig"


@pytest.fixture(scope="module")
def sample_store(sample_trig, tmp_path_factory) -> Path:
    """A store holding the sample article, loaded from the sample graph file."""
    path = tmp_path_factory.mktemp("store") / "store"
    with open_store(path, create=True) as st:
        load_files(st, [sample_trig])
    return path


def dump(path: Path) -> list[str]:
    with LocalStore(path, read_only=True) as st:
        return sorted(st.nquads().decode("utf-8").splitlines())


def copies(sample_trig: Path, folder: Path, files: int, per_file: int) -> list[Path]:
    """N-Quads files holding renamed copies of the sample article (distinct article graphs)."""
    with open_store(folder / "one", create=True) as st:
        load_files(st, [sample_trig])
        quads = st.nquads().decode("utf-8")
    shutil.rmtree(folder / "one")
    out = []
    for f in range(files):
        text = "".join(quads.replace(SAMPLE_IRI, f"{SAMPLE_IRI}-copy-{f}-{i}") for i in range(per_file))
        out.append(folder / f"part-{f:03d}.nq")
        out[-1].write_text(text, encoding="utf-8")
    return out


# -- read commands ---------------------------------------------------------------

@pytest.mark.parametrize("command", [["triples"], ["entities", "--concepts"], ["mentions"]])
def test_read_commands_give_the_same_rows_from_store_and_file(runner, sample_trig, sample_store, command):
    from_file = runner.invoke(main, [*command, str(sample_trig), "--format", "jsonl"])
    from_store = runner.invoke(main, [*command, "--store", str(sample_store), "--format", "jsonl"])
    assert from_file.exit_code == 0 and from_store.exit_code == 0, from_store.output
    rows = from_store.output.splitlines()
    assert rows and sorted(rows) == sorted(from_file.output.splitlines())


def test_stats_path_and_viz_read_a_store(runner, sample_trig, sample_store, tmp_path):
    for args in (["stats", "--format", "json"], ["path", "u.s.", "ceasefire", "--format", "json"]):
        a = runner.invoke(main, [args[0], str(sample_trig), *args[1:]])
        b = runner.invoke(main, [args[0], "--store", str(sample_store), *args[1:]])
        assert a.exit_code == 0 and b.exit_code == 0, b.output
        assert json.loads(a.output) == json.loads(b.output)
    page = tmp_path / "page.html"
    r = runner.invoke(main, ["viz", "--store", str(sample_store), "-o", str(page)])
    assert r.exit_code == 0, r.output
    assert "Israel" in page.read_text(encoding="utf-8")


def _rows(result, text: str = "") -> list[tuple]:
    """A query's answer in a comparable form; columns chosen by SAMPLE() (any value of a group) left out."""
    if result.type == "ASK":
        return [(result.askAnswer,)]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return sorted(tuple(str(x) for x in t) for t in result.graph)
    sampled = set(re.findall(r"SAMPLE\([^)]*\)\s+AS\s+\?(\w+)", text, re.IGNORECASE))
    keep = [i for i, v in enumerate(result.vars) if str(v) not in sampled]
    return sorted(tuple("" if row[i] is None else str(row[i].toPython()) for i in keep) for row in result)


#: Two short articles that disagree (one negates the other's claim). rdflib's own engine takes minutes on
#: some named queries over the whole sample article, so the comparison runs on these.
SMALL = {
    "rejects.txt": "Israel Rejects U.S. Ceasefire Proposal\n\nIsrael rejected the ceasefire proposal on Tuesday. "
                   "The United States is not pursuing a ceasefire with Hezbollah, officials said. "
                   "Antony Blinken met Israeli leaders in Jerusalem.\n",
    "accepts.txt": "Israel Weighs the Proposal\n\nIsrael did not reject the ceasefire proposal, Benjamin Netanyahu said. "
                   "Antony Blinken praised Israel in Jerusalem on Friday.\n",
}


@pytest.fixture(scope="module")
def small_stores(nlp, tmp_path_factory):
    """The two small articles built in rdflib's in-memory store and loaded into an embedded store."""
    from kg import build_dataset

    folder = tmp_path_factory.mktemp("small")
    for name, text in SMALL.items():
        (folder / name).write_text(text, encoding="utf-8")
    ds, _ = build_dataset(sorted(folder.glob("*.txt")), nlp=nlp)
    with open_store(folder / "store", create=True) as st:
        from kg.store.load import file_articles
        from kg.summary import summarise_store

        st.replace_articles([(iri, nt) for iri, nt, _ in file_articles(ds, "small")])
        summarise_store(st)  # as kg load and kg build do
    return ds, LocalStore(folder / "store", read_only=True).dataset()


def _params(query, ds) -> dict[str, str]:
    """Representative values for a named query's parameters, taken from the data so they match something."""
    from kg.query import entity_rows, relation_rows

    rel = next(r for r in relation_rows(ds) if r["object_iri"])
    ent = entity_rows(ds)[0]
    known = {"entity": rel["subject"], "a": rel["subject"], "b": rel["object"], "type": ent["type"],
             "article": rel["article"], "limit": "5", "n": "5", "min": "1", "predicate": rel["predicate"]}
    return {p.name: known.get(p.name, rel["subject"]) for p in query.params}


@pytest.mark.parametrize("query", named_queries(), ids=lambda q: q.name)
def test_every_named_query_answers_the_same_on_both_stores(small_stores, query):
    in_memory, embedded = small_stores
    params = _params(query, in_memory)
    expected = _rows(run_query(in_memory, query, params), query.text)
    assert _rows(run_query(embedded, query, params), query.text) == expected
    if query.name in ("who-did-what", "predicates", "entity", "between", "entities-by-type"):
        assert expected, "the small articles should answer this query"


def test_a_hostile_parameter_cannot_change_the_query(runner, sample_store):
    before = len(LocalStore(sample_store, read_only=True))
    r = runner.invoke(main, ["query", "--store", str(sample_store), "who-did-what", "--param", f"entity={INJECTION}",
                             "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == []
    assert len(LocalStore(sample_store, read_only=True)) == before > 0


def test_a_syntax_error_via_store_names_line_and_column(runner, sample_store, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}\n", encoding="utf-8")
    r = runner.invoke(main, ["query", "--store", str(sample_store), str(bad)])
    assert r.exit_code == 2
    assert "line 3, column" in r.output and r.output.startswith("kg: error:")


@pytest.mark.parametrize("args", [["triples"], ["query", "predicates"], ["path", "a", "b"]])
def test_graph_and_store_together_or_neither_is_a_usage_error(runner, sample_trig, sample_store, args):
    neither = runner.invoke(main, args)
    assert neither.exit_code == 2 and "--store" in neither.output
    both = runner.invoke(main, [args[0], str(sample_trig), *args[1:], "--store", str(sample_store)])
    assert both.exit_code == 2 and "--store" in both.output


# -- export and load ----------------------------------------------------------------

@pytest.mark.parametrize("fmt,suffix", [("trig", "trig"), ("nquads", "nq"), ("jsonld", "jsonld"), ("turtle", "ttl")])
def test_export_then_load_gives_the_same_store(runner, sample_trig, sample_store, tmp_path, fmt, suffix):
    out = tmp_path / f"export.{suffix}"
    r = runner.invoke(main, ["export", "--store", str(sample_store), "--format", fmt, "-o", str(out)])
    assert r.exit_code == 0, r.output
    again = tmp_path / "again"
    r = runner.invoke(main, ["load", str(out), "--store", str(again)])
    assert r.exit_code == 0, r.output
    assert "1 article added" in r.output
    assert dump(again) == dump(sample_store)


def test_export_of_a_graph_file_and_of_its_store_agree(runner, sample_trig, sample_store, tmp_path):
    from kg.rdf import load_graph

    def quads(path: Path) -> set[tuple]:  # kg's graphs hold no blank nodes, so equal quads mean the same graph
        return {(s, p, o, str(g.identifier if hasattr(g, "identifier") else g)) for s, p, o, g in load_graph(path).quads()}

    for fmt in ("csv", "graphml", "trig"):
        a, b = tmp_path / f"file.{fmt}", tmp_path / f"store.{fmt}"
        assert runner.invoke(main, ["export", str(sample_trig), "--format", fmt, "-o", str(a)]).exit_code == 0
        assert runner.invoke(main, ["export", "--store", str(sample_store), "--format", fmt, "-o", str(b)]).exit_code == 0
        if fmt == "csv":
            assert sorted(a.read_text().splitlines()) == sorted(b.read_text().splitlines())
        elif fmt == "trig":
            assert quads(a) == quads(b) and len(quads(a)) > 1000
        else:
            assert a.stat().st_size > 1000 and b.stat().st_size > 1000
    r = runner.invoke(main, ["export", str(sample_trig), "--format", "csv", "-o", str(a)])
    assert r.exit_code == 1 and "--force" in r.output


def test_reloading_a_changed_article_replaces_it_without_duplicates(runner, sample_trig, sample_store, tmp_path):
    store = tmp_path / "st"
    shutil.copytree(sample_store, store)
    size = len(LocalStore(store, read_only=True))
    changed = tmp_path / "changed.nq"
    text = "\n".join(sorted(dump(store))) + "\n"
    changed.write_text(text.replace('contentHash> "', 'contentHash> "changed-')
                       .replace("Israel", "Isreal"), encoding="utf-8")
    r = runner.invoke(main, ["load", str(changed), "--store", str(store)])
    assert r.exit_code == 0 and "1 replaced" in r.output, r.output
    with LocalStore(store, read_only=True) as st:
        assert len(st) == size and list(st.article_hashes().values())[0].startswith("changed-")
    r = runner.invoke(main, ["load", str(changed), "--store", str(store)])
    assert "1 unchanged" in r.output


def test_load_refuses_a_file_kg_did_not_write(runner, sample_store, tmp_path):
    before = dump(sample_store)
    foreign = tmp_path / "foaf.ttl"
    foreign.write_text('<http://example.org/alice> <http://xmlns.com/foaf/0.1/name> "Alice" .\n', encoding="utf-8")
    r = runner.invoke(main, ["load", str(foreign), "--store", str(sample_store)])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "holds no kg articles" in r.output
    mixed = tmp_path / "mixed.nq"
    mixed.write_text("\n".join(before) + '\n<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n',
                     encoding="utf-8")
    r = runner.invoke(main, ["load", str(mixed), "--store", str(sample_store)])
    assert r.exit_code == 1 and "not a kg article's graph" in r.output
    assert dump(sample_store) == before


def test_load_refuses_several_articles_flattened_into_one_graph(runner, sample_trig, tmp_path):
    two = copies(sample_trig, tmp_path, 1, 2)[0]
    flat = tmp_path / "flat.ttl"
    assert runner.invoke(main, ["load", str(two), "--store", str(tmp_path / "s")]).exit_code == 0
    assert runner.invoke(main, ["export", "--store", str(tmp_path / "s"), "--format", "turtle", "-o", str(flat)]).exit_code == 0
    r = runner.invoke(main, ["load", str(flat), "--store", str(tmp_path / "t")])
    assert r.exit_code == 1 and "holds 2 articles outside named graphs" in r.output


# -- bad stores -------------------------------------------------------------------------

def test_a_store_path_that_is_a_file_or_another_folder_is_refused(runner, sample_trig, tmp_path):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine\n")
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    for where, words in ((afile, "is a file, not a store"), (folder, "not a kg store"),
                         (tmp_path / "missing", "no store here")):
        for args in (["triples", "--store", str(where)], ["load", str(sample_trig), "--store", str(where)]):
            if where.name == "missing" and args[0] == "load":
                continue  # loading creates a new store
            r = runner.invoke(main, args)
            assert r.exit_code == 1 and words in r.output and r.output.startswith("kg: error: "), r.output
    assert afile.read_text() == "mine\n" and sorted(p.name for p in folder.iterdir()) == ["cat.jpg"]


def test_a_store_locked_by_another_writer_is_refused_and_still_readable(sample_trig, sample_store, tmp_path):
    store = tmp_path / "st"
    shutil.copytree(sample_store, store)
    before = dump(store)
    changed = tmp_path / "changed.nq"
    changed.write_text("\n".join(before).replace('contentHash> "', 'contentHash> "x') + "\n", encoding="utf-8")
    writer = LocalStore(store)
    try:
        r = kg("load", str(changed), "--store", str(store))
        assert r.returncode == 1 and "locked" in r.stderr and r.stderr.count("\n") == 1, r.stderr
        r = kg("entities", "--store", str(store), "--format", "jsonl")
        assert r.returncode == 0 and "Israel" in r.stdout, r.stderr
    finally:
        writer.close()
    assert dump(store) == before


def test_a_read_only_store_is_refused_for_writing_and_still_readable(sample_trig, sample_store, tmp_path):
    store = tmp_path / "st"
    shutil.copytree(sample_store, store)
    before = dump(store)
    changed = tmp_path / "changed.nq"
    changed.write_text("\n".join(before).replace('contentHash> "', 'contentHash> "x') + "\n", encoding="utf-8")
    # root ignores file modes unless it gives up the capability to
    prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner") if os.geteuid() == 0 else ()
    if prefix and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv (util-linux): cannot make a folder read-only")
    for p in [store, *store.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        r = kg("load", str(changed), "--store", str(store), prefix=prefix)
        assert r.returncode == 1 and "cannot be opened for writing" in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1
        r = kg("triples", "--store", str(store), "--format", "jsonl", prefix=prefix)
        assert r.returncode == 0 and '"subject"' in r.stdout, r.stderr
    finally:
        for p in [store, *store.iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert dump(store) == before


def test_a_load_killed_mid_way_leaves_only_whole_articles(sample_trig, tmp_path):
    files = copies(sample_trig, tmp_path, 12, 3)
    clean = tmp_path / "clean"
    with open_store(clean, create=True) as st:
        load_files(st, files)
    per_article = len(LocalStore(clean, read_only=True)) // 36
    store = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "load", *map(str, files), "--store", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the first file is in: kill while the rest are being written
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert first.startswith("loaded "), proc.stderr.read() if proc.stderr else ""
    with LocalStore(store) as st:  # opens (for writing, too) after the kill
        hashes = st.article_hashes()
        graphs = st.graph_iris()
        assert 3 <= len(hashes) <= 36 and len(hashes) % 3 == 0
        assert graphs == sorted(hashes)  # every graph is an article with its content hash
        counts = {g: n for g, n in _graph_sizes(st).items()}
        assert set(counts.values()) == {per_article}
    # finishing the load gives the store an uninterrupted load gives
    r = kg("load", *map(str, files), "--store", str(store))
    assert r.returncode == 0, r.stderr
    assert dump(store) == dump(clean)


def _graph_sizes(st: LocalStore) -> dict[str, int]:
    return {s["g"].value: int(s["n"].value)
            for s in st.ox.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}


# -- remote store errors that need no server ---------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_server_is_one_line_and_nothing_is_written_locally(sample_trig, tmp_path):
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    for args in (["query", "--store", url, "predicates"], ["load", str(sample_trig), "--store", url],
                 ["export", "--store", url, "--format", "trig", "-o", "out.trig"]):
        r = kg(*args, cwd=tmp_path)
        assert r.returncode == 1, r.stderr
        assert r.stderr.startswith(f"kg: error: {url}: cannot reach the SPARQL server") and r.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_query_kind_sees_past_prefixes_and_comments():
    from kg.store.remote import query_kind

    text = load_query("predicates").text
    assert query_kind(text) == "SELECT"
    assert query_kind("PREFIX ex: <http://example.org/select/>\n# ASK\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
