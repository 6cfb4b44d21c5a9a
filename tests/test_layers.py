"""The data flows one way: each stage imports only the stages to its left."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kg

PACKAGE = Path(__file__).resolve().parent.parent / "kg"

#: Third-party libraries and the only places allowed to import them.
OWNERS = {
    "spacy": ("kg/nlp/",),
    "rdflib": ("kg/rdf/", "kg/query.py", "kg/store", "kg/merge", "kg/summary.py", "kg/serve", "kg/build.py",
               "kg/analyze.py", "kg/corpus", "kg/cli"),
    "pyvis": ("kg/visualize.py",),
}

#: kg modules that a stage must not import (anything to its right).
FORBIDDEN = {
    "kg/ingest.py": ("kg.nlp", "kg.resolve", "kg.rdf", "kg.query", "kg.visualize", "kg.analyze"),
    "kg/nlp/": ("kg.resolve", "kg.rdf", "kg.query", "kg.visualize", "kg.analyze", "kg.build"),
    "kg/resolve/": ("kg.nlp", "kg.rdf", "kg.query", "kg.visualize", "kg.analyze", "kg.build"),
    "kg/rdf/": ("kg.nlp", "kg.query", "kg.visualize", "kg.analyze", "kg.build"),
    "kg/records.py": ("kg.",),
}


def imports(path: Path) -> set[str]:
    """Modules imported at run time (imports under ``if TYPE_CHECKING:`` only name types)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_stage_imports_flow_one_way(path):
    rel = str(path.relative_to(PACKAGE.parent))
    found = imports(path)
    for lib, owners in OWNERS.items():
        if any(n == lib or n.startswith(lib + ".") for n in found):
            assert rel.startswith(owners), f"{rel} imports {lib}, which belongs to {owners}"
    for prefix, banned in FORBIDDEN.items():
        if rel.startswith(prefix):
            bad = [n for n in found if n.startswith(banned)]
            assert not bad, f"{rel} imports {bad}, a later stage"


def test_public_api_is_complete_and_importable():
    for name in kg.__all__:
        assert getattr(kg, name) is not None
    for name in ("build_dataset", "load_graph", "relation_rows", "entity_rows", "run_query", "page_html"):
        assert name in kg.__all__
