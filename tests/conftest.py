"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_model; return load_model(None)
