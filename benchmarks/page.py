"""How long the page takes to load and settle in headless Chromium, on a real corpus.

    python benchmarks/page.py [--corpus ../shared/corpus/wikinews.jsonl] [--graph output/wikinews/graph.trig]
                              [--top 500] [--runs 3]

Builds the corpus into ``--graph`` with ``kg build`` unless that file exists
(a few minutes with spaCy; the graph is cached there, corpus text never enters
the project), writes the page of the ``--top`` most central entities, and the
page of the sample article as a baseline, opens each ``--runs`` times in a
fresh headless Chromium context with every outside request refused, and
reports the median time from navigation start to ``window.kgReady`` (the
layout has settled and physics is off), the time to DOMContentLoaded, and
the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.analyze import project  # noqa: E402
from kg.rdf import load_graph  # noqa: E402
from kg.visualize import page_html  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SAMPLE = ROOT / "examples" / "us-hezbollah-ceasefire.txt"


def build(inputs: Path, out_dir: Path) -> Path:
    """Run ``kg build`` into ``out_dir`` unless its graph exists; return the graph file."""
    graph = out_dir / "graph.trig"
    if not graph.exists():
        print(f"building {inputs} into {out_dir} (once; cached) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "kg", "build", str(inputs), "-o", str(out_dir), "--force"],
                       cwd=ROOT, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        if not graph.exists():
            sys.exit(f"page benchmark: building {inputs} failed")
    return graph


def write_page(graph: Path, page: Path, top: int) -> dict:
    started = time.perf_counter()
    g = project(load_graph(graph))
    projected = time.perf_counter()
    page.write_text(page_html(g, title=f"kg: {graph.parent.name}", top=top), encoding="utf-8")
    return {"entities": g.number_of_nodes(), "relations": g.number_of_edges(),
            "project_s": round(projected - started, 2), "page_s": round(time.perf_counter() - projected, 2),
            "bytes": page.stat().st_size}


def measure(browser, page_path: Path) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri())
    page.wait_for_function("() => window.kgReady === true", timeout=120000)
    timing = page.evaluate("""() => ({
        ready: window.kgReadyAt,
        dom: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
        nodes: window.kgNodes ? window.kgNodes.length : 0})""")
    context.close()
    if errors or outside:
        sys.exit(f"page benchmark: {page_path} had console errors {errors} or outside requests {outside}")
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "wikinews.jsonl")
    parser.add_argument("--graph", type=Path, default=ROOT / "output" / "wikinews" / "graph.trig",
                        help="graph of the corpus; built with `kg build` if missing")
    parser.add_argument("--top", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "bench-page")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("page benchmark: headless Chromium is needed (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    graph = args.graph if args.graph.exists() else build(args.corpus, args.graph.parent)
    sample_graph = build(SAMPLE, args.out / "sample")
    pages = {"corpus": (graph, args.out / f"corpus-top{args.top}.html"),
             "baseline (sample article)": (sample_graph, args.out / "sample.html")}
    built = {name: write_page(g, p, args.top) for name, (g, p) in pages.items()}
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for name, (_, page_path) in pages.items():
            runs = [measure(browser, page_path) for _ in range(args.runs)]
            results[name] = {"ready_ms": round(statistics.median(r["ready"] for r in runs)),
                             "dom_ms": round(statistics.median(r["dom"] for r in runs)),
                             "runs_ready_ms": [round(r["ready"]) for r in runs],
                             "nodes_drawn": runs[0]["nodes"], **built[name]}
        browser.close()
    corpus, base = results["corpus"], results["baseline (sample article)"]
    report = {"command": "python benchmarks/page.py " + " ".join(sys.argv[1:]), "top": args.top, "runs": args.runs,
              "results": results, "ratio_ready": round(corpus["ready_ms"] / max(base["ready_ms"], 1), 1)}
    print(json.dumps(report, indent=2))
    for name, r in results.items():
        print(f"{name}: {r['nodes_drawn']} of {r['entities']} entities drawn; load to settled {r['ready_ms']} ms "
              f"(median of {args.runs}: {r['runs_ready_ms']}), DOMContentLoaded {r['dom_ms']} ms, "
              f"page {r['bytes'] / 1e6:.1f} MB", file=sys.stderr)
    print(f"corpus page / baseline: {report['ratio_ready']}x", file=sys.stderr)


if __name__ == "__main__":
    main()
