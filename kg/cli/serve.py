"""`kg serve`: a local SPARQL endpoint and the interactive page."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import handle_errors
from kg.cli.group import main
from kg.errors import KGError


class UsageError(KGError):
    exit_code = 2


@main.command()
@click.argument("graph", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Serve this store (a folder `kg build --store` wrote) instead of a graph file.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL updates (POST update=...); without it the endpoint is read-only.")
@handle_errors
def serve(graph: Path | None, store_path: Path | None, host: str, port: int, allow_update: bool) -> None:
    """Serve GRAPH (or --store PATH) as a SPARQL 1.1 endpoint at /sparql, with the page at /.

    Results come as SPARQL JSON, XML, CSV or TSV by the Accept header. A graph
    file is loaded into memory; --allow-update then changes only that copy.
    Stop with Ctrl-C.
    """
    from kg.serve import Endpoint, load_graph_store, make_server, page_bytes

    if (graph is None) == (store_path is None):
        raise UsageError("give a graph file or --store PATH (one of them); see `kg serve -h`")
    local = None
    if store_path is not None:
        from kg.store import LocalStore

        local = LocalStore(store_path, read_only=not allow_update)
        ox, name = local.ox, str(store_path)
    else:
        assert graph is not None
        ox, name = load_graph_store(graph), str(graph)
    try:
        endpoint = Endpoint(ox, page_bytes(ox, f"kg: {Path(name).stem or name}"), allow_update)
        server = make_server(endpoint, host, port)
        bound_host, bound_port = server.server_address[:2]
        url = f"http://{bound_host}:{bound_port}/"
        click.echo(f"serving {name} at {url} (SPARQL endpoint {url}sparql, "
                   f"{'updates allowed' if allow_update else 'read-only'}); Ctrl-C stops", )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped")
        finally:
            server.server_close()
    finally:
        if local is not None:
            local.close()
