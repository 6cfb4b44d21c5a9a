"""The ``kg`` command line: argument parsing over the library, nothing more.

Each module registers its commands on the one group, :func:`main`. Every
:class:`~kg.errors.KGError` becomes one line on stderr and a non-zero exit
code; a traceback reaching a user is a bug.
"""

from __future__ import annotations

from kg.cli import build, explore, merge, network, page, serve, sparql, store  # noqa: F401  (registers the commands)
from kg.cli.group import main

__all__ = ["main"]
