"""Shared fixtures: the real spaCy model, the sample article, a built sample graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "us-hezbollah-ceasefire.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_model
    return load_model(None)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory, nlp):
    """The sample article built once with `kg build`: (output folder, dataset)."""
    from click.testing import CliRunner

    from kg.cli import main
    from kg.rdf import load_graph

    out = tmp_path_factory.mktemp("sample-build")
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, load_graph(out / "graph.trig")


@pytest.fixture(scope="session")
def sample_relations(sample_build):
    from kg.query import relation_rows
    return relation_rows(sample_build[1])


@pytest.fixture(scope="session")
def sample_entities(sample_build):
    from kg.query import entity_rows
    return entity_rows(sample_build[1])


@pytest.fixture()
def runner():
    from click.testing import CliRunner
    return CliRunner()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a Chromium for browser tests; skipped, with the reason, where none is installed."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    return path
