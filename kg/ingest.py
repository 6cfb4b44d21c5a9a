"""Reading articles: plain text, republished-page layouts, JSON Lines and folders.

Every reader yields :class:`~kg.records.Article` records whose ``text`` is the
input as given and whose ``segments`` mark the content to analyse. Problems
with one input (an unreadable file, a broken JSON line) are handed to a
callback so a batch can go on and report them at the end.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.records import Article

__all__ = [
    "Problem",
    "read_articles",
    "read_text_file",
    "read_jsonl",
    "article_from_text",
    "decode_bytes",
    "TEXT_SUFFIXES",
    "JSONL_SUFFIXES",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})

#: Lines from which on everything is the comment form of the republishing site.
BOILERPLATE_START = re.compile(
    r"^\s*(leave a (reply|comment)|\d+\s+(comments?|responses?)|comments?( are closed)?|post navigation)\s*$",
    re.IGNORECASE,
)
#: Single lines of site furniture, dropped wherever they stand.
BOILERPLATE_LINE = re.compile(
    r"^\s*(your email address will not be published|required fields are marked|"
    r"save my name, email|share this:?|like this:?|related( posts| articles)?:?$|"
    r"click to share|advertisement$|subscribe to|sign up for|posted in|tagged with|"
    r"read more:?$|image (source|caption|copyright))",
    re.IGNORECASE,
)
SOURCE_LINE = re.compile(r"^\s*(original source|source)\s*:\s*(?P<source>\S.*?)\s*$", re.IGNORECASE)
#: Metadata lines: a bare number, an id (uuid, hex, slug without spaces), a date.
METADATA_LINE = re.compile(
    r"^\s*(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|"
    r"\d{4}-\d{2}-\d{2}([ T][\d:.]+Z?)?|[\w.-]*\d[\w.-]*)\s*$",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?\"'”’)]\s*$")


@dataclass(frozen=True)
class Problem:
    """An input that was skipped, and why."""

    origin: str
    reason: str


ProblemHandler = Callable[[Problem], None]


def _raise(problem: Problem) -> None:
    raise InputError(f"{problem.origin}: {problem.reason}")


BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}


def decode_bytes(data: bytes, origin: str) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Raises :class:`InputError` for binary data.

    >>> decode_bytes("café".encode("cp1252"), "x.txt")
    'café'
    >>> decode_bytes(b"\\xef\\xbb\\xbfhi", "x.txt")
    'hi'
    """
    for magic, what in BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise InputError(f"{origin}: is {what}, not text; give kg plain text, JSON Lines or HTML")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{origin}: has a UTF-16 byte-order mark but does not decode as UTF-16") from e
    sample = data[:8192]
    if sample.count(b"\x00") > len(sample) // 100 + 1:
        raise InputError(f"{origin}: looks binary (NUL bytes); give kg plain text, JSON Lines or HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > len(text) // 50 + 1:
            raise InputError(f"{origin}: is neither UTF-8 nor Windows-1252 text; convert it to UTF-8") from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > len(text[:8192]) // 20 + 1:
        raise InputError(f"{origin}: looks binary (control characters); give kg plain text, JSON Lines or HTML")
    return text


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every line of ``text``, without its line break."""
    for m in re.finditer(r"[^\r\n]*(\r\n|\r|\n|$)", text):
        if m.start() == len(text) and m.end() == len(text) and text:
            break
        yield m.start(), m.start() + len(m.group(0).rstrip("\r\n"))


def article_from_text(text: str, article_id: str, origin: str | None = None) -> Article:
    """Make an :class:`Article` from plain text, recognising a republished-page layout.

    The first line is taken as the title when it looks like a headline (short,
    no sentence-final punctuation, followed by more text). Metadata lines (a
    bare number, an id), an ``Original Source:`` line (kept as the source) and
    the site's comment-form boilerplate are left out of the content segments.
    Each paragraph (block of non-empty lines) becomes one segment.

    >>> a = article_from_text("Big news\\n\\n0\\nIsrael rejected it.\\n\\nLeave a Reply\\nName", "x")
    >>> a.title, [a.text[s:e] for s, e in a.segments]
    ('Big news', ['Israel rejected it.'])
    """
    title = source = None
    segments: list[tuple[int, int]] = []
    block: list[tuple[int, int]] = []
    first_content_seen = False
    lines = list(_lines(text))
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()]

    def close_block() -> None:
        if block:
            segments.append((block[0][0], block[-1][1]))
            block.clear()

    for start, end in lines:
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            close_block()
            continue
        if BOILERPLATE_START.match(stripped):
            break
        m = SOURCE_LINE.match(stripped)
        if m and len(stripped) < 200:
            source = m.group("source")
            close_block()
            continue
        if BOILERPLATE_LINE.match(stripped) or (METADATA_LINE.match(stripped) and len(stripped) < 80):
            close_block()
            continue
        if not first_content_seen:
            first_content_seen = True
            if _looks_like_title(stripped) and len(nonblank) > 1:
                title = stripped
                continue
        # trim surrounding whitespace so segments start and end on text
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        block.append((start + lead, end - trail))
    close_block()
    return Article(article_id, text, tuple(segments), title=title, source=source, origin=origin)


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 25 and not SENTENCE_END.search(line.rstrip(" ."))  and not line.endswith(".")


def read_text_file(path: Path) -> Article:
    """Read one plain-text article; its id is the file name without suffix."""
    text = _read(path)
    article = article_from_text(text, path.stem or path.name, origin=str(path))
    if not article.segments:
        raise InputError(f"{path}: holds no article text (empty, or only title and metadata)")
    return article


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file; check the path") from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a directory") from e
    except PermissionError as e:
        raise InputError(f"{path}: permission denied; make it readable or run as a user who can read it") from e
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e})") from e
    if not data.strip():
        raise InputError(f"{path}: is empty; give kg a file with article text")
    return decode_bytes(data, str(path))


JSON_FIELDS = ("id", "title", "date", "source", "url")


def article_from_record(record: object, origin: str, fallback_id: str | None = None) -> Article:
    """Make an :class:`Article` from a JSON object with ``text`` and optional metadata.

    The id is the record's ``id``; without one, ``fallback_id`` or a hash of the text.
    """
    if not isinstance(record, dict):
        raise InputError(f"{origin}: is not a JSON object with a \"text\" field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{origin}: has no \"text\" (a non-empty string is needed)")
    meta = {}
    for key in JSON_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise InputError(f"{origin}: field {key!r} must be a string")
        meta[key] = None if value is None else str(value)
    segments = tuple(_paragraphs(text))
    article = Article(meta["id"] or "", text, segments, meta["title"], meta["date"], meta["source"], meta["url"], origin)
    if not article.id:
        article = Article(fallback_id or "sha-" + article.content_hash[:16], *_rest(article))
    return article


def _rest(a: Article) -> tuple:
    return (a.text, a.segments, a.title, a.date, a.source, a.url, a.origin)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each paragraph (separated by blank lines), trimmed."""
    for m in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\r?\n\s*\r?\n|\r\s*\r|\Z))", text, re.DOTALL):
        yield m.start(), m.end()


def read_jsonl(path: Path, on_problem: ProblemHandler = _raise) -> Iterator[Article]:
    """Read articles from a JSON Lines file, one object per line.

    A line that is not JSON or has no text is handed to ``on_problem`` with
    its line number, and the rest is read.
    """
    try:
        handle = path.open("rb")
    except OSError as e:
        on_problem(Problem(str(path), f"cannot be read ({e.strerror or e})"))
        return
    with handle:
        for lineno, raw in enumerate(handle, 1):
            origin = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
                yield article_from_record(record, origin)
            except UnicodeDecodeError:
                on_problem(Problem(origin, "is not UTF-8; JSON Lines files must be UTF-8"))
            except json.JSONDecodeError as e:
                on_problem(Problem(origin, f"is not valid JSON ({e.msg} at column {e.colno})"))
            except InputError as e:
                on_problem(Problem(origin, str(e).removeprefix(origin + ": ")))


def read_json(path: Path, on_problem: ProblemHandler = _raise) -> Iterator[Article]:
    """Read a JSON file holding one article object or a list of them."""
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as e:
        on_problem(Problem(str(path), f"is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})"))
        return
    except InputError as e:
        on_problem(Problem(str(path), str(e).removeprefix(f"{path}: ")))
        return
    records = data if isinstance(data, list) else [data]
    for n, record in enumerate(records, 1):
        origin = f"{path}[{n}]" if isinstance(data, list) else str(path)
        try:
            yield article_from_record(record, origin)
        except InputError as e:
            on_problem(Problem(origin, str(e).removeprefix(origin + ": ")))


def _walk(directory: Path, on_skip: Callable[[Path], None]) -> Iterator[Path]:
    """Files below ``directory`` in sorted order, not following symlinked folders (no loops)."""
    for root, dirs, files in os.walk(directory, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if _reader_for(path) is None:
                on_skip(path)
            else:
                yield path


def _reader_for(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def read_articles(
    inputs: Iterable[str | Path],
    on_problem: ProblemHandler = _raise,
    on_skip: Callable[[Path], None] | None = None,
) -> Iterator[Article]:
    """Read every article from files and folders, in order.

    Folders are walked recursively; files kg cannot read as articles (images,
    archives) are passed to ``on_skip``. An input that fails is handed to
    ``on_problem`` (by default: raise :class:`InputError`).
    """
    skipped = on_skip or (lambda p: None)
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files: Iterable[Path] = _walk(path, skipped)
        elif not path.exists():
            on_problem(Problem(str(path), "no such file or directory; check the path"))
            continue
        else:
            files = [path]
        for file in files:
            kind = _reader_for(file) or "text"
            if kind == "jsonl":
                yield from read_jsonl(file, on_problem)
            elif kind == "json":
                yield from read_json(file, on_problem)
            else:
                try:
                    yield read_text_file(file)
                except InputError as e:
                    on_problem(Problem(str(file), str(e).removeprefix(f"{file}: ")))
