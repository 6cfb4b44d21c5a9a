"""Stores: where graphs live between commands.

A store holds one named graph per article, named by the article's IRI, and
every article graph states its content hash (``kg:contentHash``). Writing an
article replaces its named graph in one transaction, so a store never holds
half an article, and re-adding an unchanged article is a no-op.

:func:`open_store` takes a folder (an embedded Oxigraph store on disk) or an
``http(s)://`` SPARQL endpoint (a remote store).
"""

from __future__ import annotations

from pathlib import Path

from kg.store.local import LocalStore

__all__ = ["LocalStore", "open_store", "is_remote"]


def is_remote(location: str | Path) -> bool:
    """True for an ``http://`` or ``https://`` store location.

    >>> is_remote("https://example.org/sparql"), is_remote("output/store")
    (True, False)
    """
    return str(location).startswith(("http://", "https://"))


def open_store(location: str | Path, *, create: bool = False, read_only: bool = False):
    """Open the store at ``location``: a folder, or a SPARQL endpoint URL.

    ``create`` makes a new local store where there is none; ``read_only``
    opens an existing local store without taking the writer's lock.
    """
    if is_remote(location):
        from kg.store.remote import RemoteStore

        return RemoteStore(str(location), read_only=read_only)
    return LocalStore(Path(location), create=create, read_only=read_only)
