"""Every command, on the sample article, and the errors users see."""

from __future__ import annotations

import json
import subprocess
import sys

import pyoxigraph
import pytest

from kg.cli import main
from kg.query import named_queries

RELATION_KEYS = {"subject", "predicate", "object", "subject_iri", "predicate_iri", "object_iri", "negated",
                 "confidence", "article", "sentence"}
ENTITY_KEYS = {"iri", "label", "type", "aliases", "mentions", "articles"}


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_build_writes_graph_and_page_and_prints_summary(sample_build):
    out, ds = sample_build
    assert (out / "graph.trig").stat().st_size > 0
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "vis.Network" in html and "<script src=" not in html  # everything inlined
    assert len(list(ds.quads())) > 100


def test_build_refuses_to_overwrite_without_force(runner, sample_build, sample_path):
    out, _ = sample_build
    before = (out / "graph.trig").read_bytes()
    result = runner.invoke(main, ["build", str(sample_path), "-o", str(out)])
    assert result.exit_code == 1
    assert "already exists; use --force" in result.output
    assert (out / "graph.trig").read_bytes() == before


def test_triples_jsonl_has_the_documented_keys(runner, sample_build):
    out, _ = sample_build
    result = runner.invoke(main, ["triples", str(out / "graph.trig"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = jsonl(result.output)
    assert rows and all(RELATION_KEYS <= set(r) for r in rows)
    assert all(r["article"] == "us-hezbollah-ceasefire" for r in rows)
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)


@pytest.mark.parametrize("fmt, marker", [("table", "subject"), ("tsv", "subject\tpredicate"), ("csv", "subject,predicate")])
def test_triples_other_formats(runner, sample_build, fmt, marker):
    result = runner.invoke(main, ["triples", str(sample_build[0] / "graph.trig"), "--format", fmt])
    assert result.exit_code == 0 and result.output.startswith(marker)


def test_entities_jsonl_has_the_documented_keys(runner, sample_build):
    result = runner.invoke(main, ["entities", str(sample_build[0] / "graph.trig"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = jsonl(result.output)
    assert rows and all(ENTITY_KEYS <= set(r) for r in rows)
    assert all(isinstance(r["aliases"], list) and r["mentions"] >= 1 and r["articles"] == 1 for r in rows)
    assert "Concept" not in {r["type"] for r in rows}


@pytest.mark.parametrize("query", [q.name for q in named_queries()])
def test_every_named_query_runs(runner, sample_build, query):
    args = ["query", str(sample_build[0] / "graph.trig"), query, "--format", "json"]
    for p in next(q for q in named_queries() if q.name == query).params:
        if not p.optional:
            args += ["--param", f"{p.name}=Israel"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.output), list)


def test_query_parameter_cannot_change_the_query(runner, sample_build):
    graph = str(sample_build[0] / "graph.trig")
    for value in ['Israel" } ; DROP ALL ; { "', "} ; DROP ALL ; {", "x') || true || ('"]:
        result = runner.invoke(main, ["query", graph, "who-did-what", "--param", f"entity={value}", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == []
    # the graph is untouched and the honest value still matches
    result = runner.invoke(main, ["query", graph, "who-did-what", "--param", "entity=israel", "--format", "json"])
    assert json.loads(result.output)


def test_query_syntax_error_names_line_and_column(runner, sample_build, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE {\n  ?s ?p \n}\n")
    result = runner.invoke(main, ["query", str(sample_build[0] / "graph.trig"), str(bad)])
    assert result.exit_code == 2
    assert "syntax error at line" in result.output and "column" in result.output


def test_unknown_query_lists_known_ones(runner, sample_build):
    result = runner.invoke(main, ["query", str(sample_build[0] / "graph.trig"), "nope"])
    assert result.exit_code == 2 and "who-did-what" in result.output


def test_queries_lists_every_named_query(runner):
    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 0
    for q in named_queries():
        assert f"{q.name}: {q.title}" in result.output


def test_viz_writes_an_offline_page(runner, sample_build, tmp_path):
    page = tmp_path / "page.html"
    result = runner.invoke(main, ["viz", str(sample_build[0] / "graph.trig"), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "vis.Network" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["turtle", "nquads", "jsonld"])
def test_other_formats_are_read_by_every_command(runner, sample_build, tmp_path, fmt):
    from kg.rdf import save_dataset

    suffix = {"turtle": ".ttl", "nquads": ".nq", "jsonld": ".jsonld"}[fmt]
    path = tmp_path / f"graph{suffix}"
    save_dataset(sample_build[1], path)
    result = runner.invoke(main, ["triples", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(jsonl(result.output)) == len(
        jsonl(runner.invoke(main, ["triples", str(sample_build[0] / "graph.trig"), "--format", "jsonl"]).output))


def test_output_parses_in_pyoxigraph(sample_build):
    store = pyoxigraph.Store()
    store.load((sample_build[0] / "graph.trig").read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
    assert len(store) == len(list(sample_build[1].quads()))


@pytest.mark.parametrize(
    "content, message",
    [(b"", "is empty"), (b"%PDF-1.7 binary", "PDF"), (b"\x00\x01\x02" * 100, "binary")],
)
def test_bad_input_is_one_line_and_writes_nothing(runner, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_text_without_entities_gives_empty_graph_and_a_warning(runner, tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("it is raining and it is cold.\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(f), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning: no entities or relations" in result.output
    assert (tmp_path / "out" / "graph.trig").exists()


def test_missing_graph_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["triples", str(tmp_path / "nope.trig")])
    assert result.exit_code == 1 and "no such graph file" in result.output


def test_unknown_model_names_what_to_install(runner, tmp_path, sample_path):
    result = runner.invoke(main, ["build", str(sample_path), "-o", str(tmp_path), "--model", "xx_no_such_model"])
    assert result.exit_code == 1
    assert "xx_no_such_model" in result.output and "pip install" in result.output


def test_console_script_runs_as_a_process(sample_build):
    result = subprocess.run([sys.executable, "-m", "kg", "entities", str(sample_build[0] / "graph.trig"),
                             "--format", "jsonl"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert jsonl(result.stdout)


def test_every_command_has_help_and_is_documented():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, f"kg {name} has no help text"
        assert f"kg {name}" in readme, f"kg {name} is not documented in README.md"


def test_mentions_point_into_the_text_as_given(runner, sample_build, sample_path):
    result = runner.invoke(main, ["mentions", str(sample_build[0] / "graph.trig"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = jsonl(result.output)
    text = sample_path.read_text(encoding="utf-8")
    assert rows and all(set(r) == {"entity_iri", "label", "type", "article", "start", "end", "text"} for r in rows)
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert {r["article"] for r in rows} == {"us-hezbollah-ceasefire"}


def test_mentions_of_jsonl_input_use_the_given_id_and_text(runner, tmp_path):
    text = "Nancy Pelosi met Joe Biden in Washington.\n\nPelosi said the talks went well."
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "wn-1", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", str(src), "-o", str(out)]).exit_code == 0
    rows = jsonl(runner.invoke(main, ["mentions", str(out / "graph.trig"), "--format", "jsonl"]).output)
    assert rows and {r["article"] for r in rows} == {"wn-1"}
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
