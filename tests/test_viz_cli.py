"""`kg viz` options: --top, and --query with SELECT, CONSTRUCT and ASK queries."""

from __future__ import annotations

import json
import re

from kg.analyze import project
from kg.cli import main


def page_data(path) -> dict:
    """The JSON the page draws from, read back out of the HTML."""
    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(r"var data = (\{.*?\});\n", html, re.S).group(1))


def test_top_draws_the_most_central_and_notes_the_rest(runner, sample_build, tmp_path):
    out, ds = sample_build
    total = project(ds).number_of_nodes()
    page = tmp_path / "top.html"
    result = runner.invoke(main, ["viz", str(out / "graph.trig"), "-o", str(page), "--top", "5"])
    assert result.exit_code == 0, result.output
    data = page_data(page)
    assert len(data["nodes"]) == 5
    assert data["omitted"]["total"] == total and data["omitted"]["left"] == total - 5
    assert f"{total - 5} less central ones left out" in result.output


def test_select_query_page(runner, sample_build, tmp_path):
    out, ds = sample_build
    page = tmp_path / "q.html"
    result = runner.invoke(main, ["viz", str(out / "graph.trig"), "--query", "who-did-what", "--param",
                                  "entity=Israel", "-o", str(page)])
    assert result.exit_code == 0, result.output
    g = project(ds)
    expected = {g.nodes[n]["label"] for s, o, d in g.edges(data=True) if not d["negated"]
                and "israel" in (g.nodes[s]["label"].lower(), g.nodes[o]["label"].lower()) for n in (s, o)}
    assert {n["info"]["label"] for n in page_data(page)["nodes"]} == expected


def test_construct_query_page(runner, sample_build, tmp_path):
    out, ds = sample_build
    rq = tmp_path / "all.rq"
    rq.write_text("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }\n", encoding="utf-8")
    page = tmp_path / "c.html"
    result = runner.invoke(main, ["viz", str(out / "graph.trig"), "--query", str(rq), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert len(page_data(page)["nodes"]) == project(ds).number_of_nodes()


def test_ask_query_and_stray_param_are_clear_errors(runner, sample_build, tmp_path):
    graph = str(sample_build[0] / "graph.trig")
    rq = tmp_path / "ask.rq"
    rq.write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    result = runner.invoke(main, ["viz", graph, "--query", str(rq), "-o", str(tmp_path / "a.html")])
    assert result.exit_code == 2 and "ASK query" in result.output
    result = runner.invoke(main, ["viz", graph, "--param", "a=b", "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 2 and "--param needs --query" in result.output
