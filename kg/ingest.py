"""Reading articles: plain text, republished-page layouts, HTML, JSON Lines and folders.

Every reader yields :class:`~kg.records.Article` records whose ``text`` is the
input as given (for HTML: the article text extracted from the page) and whose
``segments`` mark the content to analyse. Problems with one input (an
unreadable file, a broken JSON line, a binary file, text in another language)
are handed to a callback so a batch can go on and report them at the end.

Hostile input is refused before it can cost much: files and JSON lines are
read with a size limit (:data:`MAX_ARTICLE_CHARS`), devices and pipes met in a
folder are never opened, symbolic links to folders are not followed, and
control characters are blanked without moving any offset.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.records import Article

__all__ = [
    "Problem",
    "MAX_ARTICLE_CHARS",
    "article_from_html",
    "clean_text",
    "detect_language",
    "looks_like_html",
    "read_articles",
    "read_text_file",
    "read_jsonl",
    "article_from_text",
    "decode_bytes",
    "TEXT_SUFFIXES",
    "JSONL_SUFFIXES",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
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

#: The longest article text kg reads, in characters (about 2 MB of English).
#: Longer inputs are refused with a reason before they are parsed: a 20 MB
#: "article" is a corpus in one file, or not an article at all, and parsing it
#: as one would hold millions of tokens. ``$KG_MAX_ARTICLE_CHARS`` overrides it.
MAX_ARTICLE_CHARS = 2_000_000
#: The largest ``.json`` file read whole; larger corpora belong in JSON Lines.
MAX_JSON_BYTES = 100 * 2**20


def max_article_chars() -> int:
    """The article length limit in force: ``$KG_MAX_ARTICLE_CHARS`` if set to a number, else the default."""
    value = os.environ.get("KG_MAX_ARTICLE_CHARS", "")
    return int(value) if value.isdigit() and int(value) > 0 else MAX_ARTICLE_CHARS


def _max_file_bytes() -> int:
    # UTF-8 needs at most 4 bytes a character: a file longer than this holds more characters than the limit
    return 4 * max_article_chars()


@dataclass(frozen=True)
class Problem:
    """An input that was skipped, and why.

    ``warning`` marks an input left out on purpose (an article in another
    language than asked for) rather than one that is broken.
    """

    origin: str
    reason: str
    warning: bool = False


ProblemHandler = Callable[[Problem], None]


def _raise(problem: Problem) -> None:
    raise InputError(f"{problem.origin}: {problem.reason}")


BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"RIFF": "a RIFF file (WebP image, WAV or AVI)",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ\x00": "an xz archive",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "an executable",
    b"MZ": "a Windows executable",
    b"SQLite format 3\x00": "an SQLite database",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"\x00\x00\x01\x00": "an icon image",
    b"ID3": "an MP3 file",
    b"OggS": "an Ogg media file",
}
_NOT_TEXT = "give kg plain text, HTML or JSON Lines"

#: Characters blanked by :func:`clean_text`: C0 and C1 controls other than tab and line breaks.
_BLANKED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Lone UTF-16 surrogates (only JSON escapes can make them) and non-characters.
_REPLACED = re.compile(r"[\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Blank control characters and replace lone surrogates, keeping every offset.

    Each bad character becomes one good one (a space, or U+FFFD), so offsets
    into the text as given stay right.

    >>> clean_text("a\\x00b\\x07c")
    'a b c'
    >>> clean_text("x\\ud800y") == "x\\ufffdy"
    True
    """
    if _BLANKED.search(text):
        text = _BLANKED.sub(" ", text)
    if _REPLACED.search(text):
        text = _REPLACED.sub("\ufffd", text)
    return text


def _utf16_without_bom(sample: bytes) -> str | None:
    """The codec of ``sample`` when it looks like UTF-16 text without a byte-order mark.

    >>> _utf16_without_bom("Israel said".encode("utf-16-le"))
    'utf-16-le'
    """
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, origin: str) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 (with BOM, or plainly so), else Windows-1252.

    Control characters are blanked (see :func:`clean_text`). Raises
    :class:`InputError` for binary data.

    >>> decode_bytes("café".encode("cp1252"), "x.txt")
    'café'
    >>> decode_bytes(b"\\xef\\xbb\\xbfhi", "x.txt")
    'hi'
    >>> decode_bytes("naïve\\r\\n".encode("utf-16"), "x.txt")
    'naïve\\r\\n'
    """
    for magic, what in BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise InputError(f"{origin}: is {what}, not text; {_NOT_TEXT}")
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data[:8192])
    if codec:
        try:
            return clean_text(data.decode(codec))
        except UnicodeDecodeError as e:
            raise InputError(f"{origin}: looks like UTF-16 but does not decode as UTF-16; convert it to UTF-8") from e
    sample = data[:8192]
    if sample.count(b"\x00") > len(sample) // 100 + 1:
        raise InputError(f"{origin}: looks binary (NUL bytes); {_NOT_TEXT}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > len(text) // 50 + 1:
            raise InputError(f"{origin}: is neither UTF-8 nor Windows-1252 text; convert it to UTF-8") from None
    head = text[:8192]
    controls = sum(1 for ch in head if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) <= 0x9F)
    if controls > len(head) // 20 + 1:
        raise InputError(f"{origin}: looks binary (control characters); {_NOT_TEXT}")
    return clean_text(text)


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



def _too_long(origin: str, size: str) -> InputError:
    return InputError(
        f"{origin}: is {size}, more than kg reads as one article ({max_article_chars():,} characters); "
        "split it into articles (for instance one a line in a JSON Lines file) or raise $KG_MAX_ARTICLE_CHARS"
    )


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _check_length(text: str, origin: str) -> None:
    if len(text) > max_article_chars():
        raise _too_long(origin, f"{len(text):,} characters long")


def _os_error(path: Path | str, e: OSError) -> InputError:
    """An :class:`InputError` that says why ``path`` could not be opened or read."""
    if isinstance(e, FileNotFoundError):
        return InputError(f"{path}: no such file; check the path")
    if isinstance(e, IsADirectoryError):
        return InputError(f"{path}: is a directory; give it as a folder to walk, or name a file in it")
    if isinstance(e, PermissionError):
        return InputError(f"{path}: permission denied; make it readable or run kg as a user who can read it")
    if e.errno == errno.ELOOP:
        return InputError(f"{path}: is a symbolic link that loops; point it at a file or remove it")
    return InputError(f"{path}: cannot be read ({e.strerror or e}); check the file and the disk")


def _read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; more than ``limit`` of them is refused before they are all read."""
    try:
        with path.open("rb") as f:
            st = os.fstat(f.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(errno.EISDIR, "is a directory")
            if stat.S_ISREG(st.st_mode) and st.st_size > limit:
                raise _too_long(str(path), _megabytes(st.st_size))
            data = f.read(limit + 1)
    except OSError as e:
        raise _os_error(path, e) from e
    if len(data) > limit:
        raise _too_long(str(path), f"more than {_megabytes(limit)}")
    return data


def read_text_file(path: Path) -> Article:
    """Read one article from a plain-text or HTML file; its id is the file name without suffix.

    Raises :class:`InputError` naming the file and what is wrong with it.
    """
    data = _read_limited(path, _max_file_bytes())
    html = True if path.suffix.lower() in HTML_SUFFIXES else None
    return article_from_bytes(data, path.stem or path.name, str(path), html=html)


def article_from_bytes(data: bytes, article_id: str, origin: str, html: bool | None = None) -> Article:
    """Make an :class:`Article` from the bytes of a file: decoded, and read as HTML when it is a page.

    ``html=None`` decides from the text (a page starts with ``<!DOCTYPE html>`` or ``<html>``).
    """
    if not data.strip():
        raise InputError(f"{origin}: is empty; give kg a file with article text")
    text = decode_bytes(data, origin)
    if not text.strip():
        raise InputError(f"{origin}: holds only white space and control characters; give kg a file with article text")
    if html or (html is None and looks_like_html(text)):
        return article_from_html(text, article_id, origin)
    _check_length(text, origin)
    article = article_from_text(text, article_id, origin=origin)
    if not article.segments:
        raise InputError(
            f"{origin}: holds no article text (only a title, metadata or site boilerplate); "
            "give kg a file with the article's paragraphs"
        )
    return article


_HTML_START = re.compile(r"\A\s*(<\?xml[^>]{0,200}>\s*)?(<!--.{0,2000}?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML page (it starts with a doctype or an ``<html>`` tag).

    >>> looks_like_html("<!DOCTYPE html><html><body>Hi</body></html>"), looks_like_html("I <3 html")
    (True, False)
    """
    return bool(_HTML_START.match(text[:4096]))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _quiet_extractors() -> None:
    """Keep the HTML extractors' log warnings off stderr, where each kg message is one line."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def article_from_html(html: str, article_id: str, origin: str | None = None) -> Article:
    """Make an :class:`Article` from an HTML page: its main text, extracted with trafilatura.

    Scripts, styles, navigation, comments and other page furniture are left
    out; the article's ``text`` is the extracted text (one paragraph a line),
    so every offset points into it. Title, date, site name and URL come from
    the page's metadata where it has them.

    Raises :class:`InputError` when the page holds no article text.
    """
    import trafilatura

    _quiet_extractors()
    where = origin or article_id
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False,
        )
    except Exception as e:  # a parser failure deep in lxml must not end the batch
        raise InputError(f"{where}: could not be read as HTML ({type(e).__name__}: {e}); save the article's text as .txt") from e
    text = clean_text(getattr(doc, "text", None) or "")
    # on a page with no article, extractors fall back to menu words ("Home"): ask for one real sentence
    if not any(len(line.split()) >= 5 for line in text.splitlines()):
        raise InputError(
            f"{where}: is an HTML page with no article text kg could find (only scripts, navigation or markup); "
            "save the article's text as .txt"
        )
    _check_length(text, where)
    title = clean_text(doc.title).strip() if getattr(doc, "title", None) else None
    date = doc.date if isinstance(getattr(doc, "date", None), str) and _ISO_DATE.match(doc.date) else None
    source = getattr(doc, "sitename", None) or getattr(doc, "hostname", None)
    segments = []
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip() or (not segments and title and line.strip() == title):
            continue
        lead, trail = len(line) - len(line.lstrip()), len(line) - len(line.rstrip())
        segments.append((start + lead, end - trail))
    if not segments:
        raise InputError(f"{where}: is an HTML page whose only text is its title; save the article's text as .txt")
    return Article(article_id, text, tuple(segments), title=title or None, date=date,
                   source=clean_text(source) if source else None, url=getattr(doc, "url", None), origin=origin)


JSON_FIELDS = ("id", "title", "date", "source", "url")


def article_from_record(record: object, origin: str, fallback_id: str | None = None) -> Article:
    """Make an :class:`Article` from a JSON object with ``text`` and optional metadata.

    The id is the record's ``id``; without one, ``fallback_id`` or a hash of
    the text. A ``text`` that is a whole HTML page is read as one.
    """
    if not isinstance(record, dict):
        raise InputError(f"{origin}: is not a JSON object with a \"text\" field; write one object a line")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{origin}: has no \"text\" (a non-empty string is needed); add the article's text")
    _check_length(text, origin)
    meta = {}
    for key in JSON_FIELDS:
        value = record.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int, float))):
            raise InputError(f"{origin}: field {key!r} must be a string; fix or remove it")
        meta[key] = None if value is None else clean_text(str(value))
    text = clean_text(text)
    if not text.strip():
        raise InputError(f"{origin}: \"text\" holds only control characters; add the article's text")
    if looks_like_html(text):
        page = article_from_html(text, meta["id"] or "", origin)
        article = Article(meta["id"] or "", page.text, page.segments, meta["title"] or page.title,
                          meta["date"] or page.date, meta["source"] or page.source, meta["url"] or page.url, origin)
    else:
        article = Article(meta["id"] or "", text, tuple(_paragraphs(text)), meta["title"], meta["date"],
                          meta["source"], meta["url"], origin)
    if not article.id.strip():
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

    A line that is not JSON, has no text or is longer than an article may be
    is handed to ``on_problem`` with its line number, and the rest is read.
    Lines are read one at a time with a size limit, so one huge line never
    fills memory.
    """
    limit = _max_file_bytes() + 65536
    try:
        handle = path.open("rb")
    except OSError as e:
        on_problem(Problem(str(path), str(_os_error(path, e)).removeprefix(f"{path}: ")))
        return
    with handle:
        try:
            head = handle.read(8192)
            handle.seek(0)
        except OSError as e:
            on_problem(Problem(str(path), str(_os_error(path, e)).removeprefix(f"{path}: ")))
            return
        binary = next((what for magic, what in BINARY_SIGNATURES.items() if head.startswith(magic)), None)
        if binary or b"\x00" in head:
            # one line for the file, not one for each of its thousands of "lines"
            on_problem(Problem(str(path), f"is {binary or 'binary data'}, not JSON Lines; {_NOT_TEXT}"))
            return
        lineno = 0
        while True:
            try:
                raw = handle.readline(limit + 1)
            except OSError as e:
                on_problem(Problem(f"{path}:{lineno + 1}", str(_os_error(path, e)).removeprefix(f"{path}: ")))
                return
            if not raw:
                return
            lineno += 1
            origin = f"{path}:{lineno}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                on_problem(Problem(origin, str(_too_long(origin, f"more than {_megabytes(limit)}")).removeprefix(origin + ": ")))
                continue
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.rstrip(b"\r\n").decode("utf-8-sig" if lineno == 1 else "utf-8"))
                yield article_from_record(record, origin)
            except UnicodeDecodeError:
                on_problem(Problem(origin, "is not UTF-8; JSON Lines files must be UTF-8, convert it"))
            except json.JSONDecodeError as e:
                on_problem(Problem(origin, f"is not valid JSON ({e.msg.removesuffix(' at')} at column {e.colno}); fix or remove the line"))
            except RecursionError:
                on_problem(Problem(origin, "is JSON nested too deeply to read; write one flat object a line"))
            except InputError as e:
                on_problem(Problem(origin, str(e).removeprefix(origin + ": ")))


def read_json(path: Path, on_problem: ProblemHandler = _raise) -> Iterator[Article]:
    """Read a JSON file holding one article object or a list of them."""
    try:
        data = _read_limited(path, MAX_JSON_BYTES)
        if not data.strip():
            raise InputError(f"{path}: is empty; give kg a file with article text")
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        on_problem(Problem(str(path), "is not UTF-8; JSON files must be UTF-8, convert it"))
        return
    except json.JSONDecodeError as e:
        on_problem(Problem(str(path), f"is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}); fix it"))
        return
    except RecursionError:
        on_problem(Problem(str(path), "is JSON nested too deeply to read; give a list of flat article objects"))
        return
    except InputError as e:
        on_problem(Problem(str(path), str(e).removeprefix(f"{path}: ")))
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    for n, record in enumerate(records, 1):
        origin = f"{path}[{n}]" if isinstance(parsed, list) else str(path)
        try:
            yield article_from_record(record, origin)
        except InputError as e:
            on_problem(Problem(origin, str(e).removeprefix(origin + ": ")))


def _walk(directory: Path, on_skip: Callable[[Path], None], on_problem: ProblemHandler) -> Iterator[Path]:
    """Article files below ``directory`` in sorted order.

    Symbolic links to folders are not followed (so a loop cannot hang the
    walk); files kg cannot read as articles, devices, pipes and sockets go to
    ``on_skip`` without being opened; broken links and folders that cannot be
    listed go to ``on_problem``.
    """
    def unlistable(e: OSError) -> None:
        on_problem(Problem(str(e.filename or directory), str(_os_error(e.filename or directory, e)).split(": ", 1)[1]))

    for root, dirs, files in os.walk(directory, followlinks=False, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            try:
                mode = path.stat().st_mode
            except OSError as e:
                if path.is_symlink():
                    on_problem(Problem(str(path), "is a symbolic link to nothing (broken, or a loop); fix or remove it"))
                else:
                    on_problem(Problem(str(path), str(_os_error(path, e)).removeprefix(f"{path}: ")))
                continue
            if _reader_for(path) is None or not stat.S_ISREG(mode):
                on_skip(path)
            else:
                yield path


def _reader_for(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:
        return "text"
    # a dotted name such as "Reuters 12.03" has no real suffix
    return "text" if not re.fullmatch(r"\.[A-Za-z][A-Za-z0-9]{0,7}", suffix) else None


#: Frequent English words that are rare in other languages written in Latin script.
ENGLISH_WORDS = frozenset(
    "the of and to that for with it as by from his are this have has had not but said they were been who their "
    "which its will would after she her we also more than there about over into when new out other could all "
    "year people what some them be or at you our were these those while because should".split()
)
#: Names of the languages most often met, for messages.
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "tr": "Turkish", "ar": "Arabic",
    "he": "Hebrew", "fa": "Persian", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "hi": "Hindi",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "el": "Greek", "cs": "Czech",
    "ro": "Romanian", "hu": "Hungarian", "id": "Indonesian", "vi": "Vietnamese", "ur": "Urdu", "bn": "Bengali",
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or ``None`` when it is too short to tell.

    English is recognised by its frequent words without loading anything;
    other text is classified by py3langid (offline, a few milliseconds).

    >>> detect_language("The minister said that the talks would resume after the holiday, officials of the party told us.")
    'en'
    >>> detect_language("Hi.") is None
    True
    >>> detect_language("中国政府周二宣布了一系列新的经济刺激措施，以支持受疫情影响的中小企业。")
    'zh'
    """
    sample = text[:4000]
    words = _WORD.findall(sample.lower())
    letters = sum(len(w) for w in words)
    unspaced = len(words) <= 3 and letters >= 15  # Chinese, Japanese, Thai: long runs without spaces
    if len(words) < 8 and letters < 40 and not unspaced:
        return None
    if words and sum(w in ENGLISH_WORDS for w in words) / len(words) >= 0.12:
        return "en"
    import py3langid

    code, _score = py3langid.classify(sample)
    return code


def _language_problem(article: Article, languages: Collection[str]) -> Problem | None:
    content = " ".join(article.text[s:e] for s, e in article.segments[:20])
    code = detect_language(content)
    if code is None or code in languages:
        return None
    name = LANGUAGE_NAMES.get(code, f"language {code!r}")
    wanted = ", ".join(LANGUAGE_NAMES.get(c, c) for c in sorted(languages))
    return Problem(
        article.origin or article.id,
        f"is in {name} ({code}), not {wanted}; skipped (build it with --language {code} and a --model for "
        f"{name}, or --language any)",
        warning=True,
    )


def read_articles(
    inputs: Iterable[str | Path],
    on_problem: ProblemHandler = _raise,
    on_skip: Callable[[Path], None] | None = None,
    languages: Collection[str] | None = None,
) -> Iterator[Article]:
    """Read every article from files and folders, in order.

    Folders are walked recursively; files kg cannot read as articles (images,
    archives) are passed to ``on_skip``. An input that fails is handed to
    ``on_problem`` (by default: raise :class:`InputError`). With
    ``languages`` (ISO codes such as ``{"en"}``), articles detected to be in
    another language are handed to ``on_problem`` as warnings and left out.
    """
    skipped = on_skip or (lambda p: None)
    if isinstance(inputs, (str, Path)):  # one path, not the characters of one
        inputs = [inputs]
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files: Iterable[Path] = _walk(path, skipped, on_problem)
        elif not path.exists():
            if path.is_symlink():
                on_problem(Problem(str(path), "is a symbolic link to nothing (broken, or a loop); fix or remove it"))
            else:
                on_problem(Problem(str(path), "no such file or directory; check the path"))
            continue
        else:
            files = [path]
        for file in files:
            kind = _reader_for(file) or "text"
            if kind == "jsonl":
                articles: Iterable[Article] = read_jsonl(file, on_problem)
            elif kind == "json":
                articles = read_json(file, on_problem)
            else:
                try:
                    articles = [read_text_file(file)]
                except InputError as e:
                    on_problem(Problem(str(file), str(e).removeprefix(f"{file}: ")))
                    continue
            for article in articles:
                problem = _language_problem(article, languages) if languages else None
                if problem is None:
                    yield article
                else:
                    on_problem(problem)
