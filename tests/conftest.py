import pytest


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_model

    return load_model(None)
