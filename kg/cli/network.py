"""`kg stats` and `kg path`: network analysis on the networkx projection of a graph."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli.common import handle_errors, open_source, optional_graph_argument, split_graph, store_option
from kg.cli.group import main


def _projection(graph: Path | None, store: str | None):
    """The networkx projection of GRAPH or the store (the one place these commands open a graph)."""
    from kg.analyze import project

    return project(open_source(graph, store))


@main.command()
@optional_graph_argument
@store_option
@click.option("--top", default=10, show_default=True, metavar="N", help="How many central entities to list.")
@click.option("--concepts", is_flag=True, help="List concepts (things that are not named entities) among the central ones.")
@click.option("--seed", default=0, show_default=True, help="Seed of the community detection (same seed, same result).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handle_errors
def stats(graph: Path | None, store: str | None, top: int, concepts: bool, seed: int, fmt: str) -> None:
    """Counts by type, the most central entities, communities and components of GRAPH (or --store).

    Centrality is degree (relations), PageRank and betweenness on the
    undirected network of entities; communities are Louvain's.
    """
    from kg.analyze import network_summary

    s = network_summary(_projection(graph, store), top=top, seed=seed, include_concepts=concepts)
    if fmt == "json":
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    click.echo(f"{s['entities']} entities and concepts, {s['relations']} relations "
               f"({s['negated']} negated) from {s['articles']} article(s)")
    if not s["entities"]:
        click.echo("the graph is empty: no entities or relations were found")
        return
    click.echo("\nby type:")
    width = max(len(t) for t in s["types"])
    for type_, n in s["types"].items():
        click.echo(f"  {type_.ljust(width)}  {n:>5}")
    click.echo(f"\nmost central{'' if concepts else ' entities'} (by PageRank):")
    if s["central"]:
        lw = min(max(len(c["label"]) for c in s["central"]), 40)
        tw = max(len(c["type"]) for c in s["central"])
        click.echo(f"  {'entity'.ljust(lw)}  {'type'.ljust(tw)}  degree  pagerank  betweenness")
        for c in s["central"]:
            label = c["label"] if len(c["label"]) <= lw else c["label"][: lw - 1] + "…"
            click.echo(f"  {label.ljust(lw)}  {c['type'].ljust(tw)}  {c['degree']:>6}  {c['pagerank']:>8.4f}"
                       f"  {c['betweenness']:>11.4f}")
    else:
        click.echo("  (none: every node is a concept; add --concepts)")
    linked = [c for c in s["communities"] if c["size"] > 1]
    click.echo(f"\ncommunities (Louvain, seed {seed}): {len(linked)} of two or more entities, "
               f"{len(s['communities']) - len(linked)} single")
    for i, c in enumerate(linked[:top], 1):
        more = "" if c["size"] <= len(c["members"]) else f", … ({c['size'] - len(c['members'])} more)"
        click.echo(f"  {i:>2}. {c['size']:>4} entities: {', '.join(c['members'])}{more}")
    comps = s["components"]
    click.echo(f"\ncomponents: {len(comps)}; the largest links {comps[0]} of {s['entities']} entities"
               + (f", the next {', '.join(map(str, comps[1:6]))}{', …' if len(comps) > 6 else ''}" if len(comps) > 1 else ""))


@main.command()
@click.argument("args", nargs=-1, metavar="[GRAPH] A B")
@store_option
@click.option("--limit", default=5, show_default=True, metavar="N", help="Show at most N shortest paths.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handle_errors
def path(args: tuple[str, ...], store: str | None, limit: int, fmt: str) -> None:
    """The shortest connections between entities A and B of GRAPH (or --store), with each relation's sentence and article.

    A and B are labels or aliases (any case) or IRIs; a name several entities
    share stands for all of them. Direction is ignored when searching; each
    relation is printed the way it was stated.
    """
    from kg.analyze import relations_between, shortest_paths

    graph, (a, b) = split_graph(args, store, ["a", "b"])
    g = _projection(graph, store)
    paths = shortest_paths(g, a, b, limit=limit)
    out = [[{"from": g.nodes[u].get("label", u), "to": g.nodes[v].get("label", v),
             "relations": [{k: r.get(k) for k in ("subject_label", "predicate", "object_label", "negated", "support",
                                                    "article", "article_title", "sentence")}
                           for r in relations_between(g, u, v)]}
            for u, v in zip(p, p[1:])] for p in paths]
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    steps = len(paths[0]) - 1
    if steps == 0:
        click.echo(f"{a!r} and {b!r} are the same entity: {g.nodes[paths[0][0]].get('label')}")
        return
    click.echo(f"{len(paths)} shortest connection{'s' * (len(paths) > 1)} of {steps} step{'s' * (steps > 1)} between "
               f"{g.nodes[paths[0][0]].get('label')} and {g.nodes[paths[0][-1]].get('label')}:")
    for i, (p, hops) in enumerate(zip(paths, out), 1):
        click.echo(f"\n{i}. " + " — ".join(str(g.nodes[n].get("label", n)) for n in p))
        for hop in hops:
            for r in hop["relations"]:
                verb = ("not " if r["negated"] else "") + str(r["predicate"])
                click.echo(f"   {r['subject_label']} —{verb}→ {r['object_label']}")
                source = r["article"] + (f" ({r['article_title']})" if r["article_title"] else "")
                click.echo(f"      in {source}:")
                click.echo(f"      “{' '.join(str(r['sentence']).split())}”")
