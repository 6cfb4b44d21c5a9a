"""The errors kg raises: one base class, a few specific kinds.

Every message names the input, what went wrong and what to do next. The CLI
turns any :class:`KGError` into one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

__all__ = [
    "KGError",
    "InputError",
    "ModelError",
    "GraphError",
    "QueryError",
    "QueryTimeout",
    "StoreError",
    "OutputError",
    "EntityNotFound",
    "AmbiguousEntity",
    "NotConnected",
]


class KGError(Exception):
    """Base class of every error kg raises on purpose."""

    exit_code = 1


class InputError(KGError):
    """An input article or file cannot be read or holds no usable text."""


class ModelError(KGError):
    """The spaCy model cannot be loaded."""


class GraphError(KGError):
    """A graph file cannot be read, or was not written by kg."""


class QueryError(KGError):
    """A SPARQL query is missing, malformed, or failed to run."""

    exit_code = 2


class QueryTimeout(QueryError):
    """A SPARQL query ran longer than the time it was given."""

    exit_code = 3


class StoreError(KGError):
    """A store cannot be opened, locked, written or reached."""


class OutputError(KGError):
    """An output cannot be written, or exists and ``--force`` was not given."""


class EntityNotFound(KGError):
    """No entity of a graph has the label, alias or IRI asked for."""


class AmbiguousEntity(KGError):
    """Several entities of a graph share the label or alias asked for."""


class NotConnected(KGError):
    """Two entities of a graph are not linked by any chain of relations."""
