"""Reading articles: layouts, formats, and inputs that cannot be read."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.ingest import Problem, article_from_text, read_articles, read_text_file


def content(article) -> list[str]:
    return [article.text[s:e] for s, e in article.segments]


def test_sample_layout_keeps_body_and_drops_metadata_and_boilerplate(sample_path):
    a = read_text_file(sample_path)
    assert a.id == "us-hezbollah-ceasefire"
    assert a.title.startswith("U.S. Resignation on Israel-Hezbollah")
    assert a.source == "www.cnn.com"
    body = "\n".join(content(a))
    assert body.startswith("The U.S. is not actively pursuing a ceasefire")
    assert body.rstrip().endswith("leadership changes within Hezbollah.")
    for junk in ("b83d3a09", "Leave a Reply", "email address", "Original Source", "Resignation on"):
        assert junk not in body
    assert len(a.segments) == 4  # summary and three body paragraphs


def test_segments_are_offsets_into_the_text_as_given(sample_path):
    a = read_text_file(sample_path)
    raw = sample_path.read_text(encoding="utf-8")
    assert a.text == raw
    for s, e in a.segments:
        assert raw[s:e].strip() == raw[s:e] and raw[s:e]


def test_plain_text_without_title_is_all_content():
    a = article_from_text("Israel rejected the proposal.\nThe U.S. said so.", "x")
    assert a.title is None
    assert content(a) == ["Israel rejected the proposal.\nThe U.S. said so."]


def test_jsonl_metadata_and_broken_lines_are_reported_with_line_numbers(tmp_path):
    f = tmp_path / "news.jsonl"
    f.write_text(
        json.dumps({"id": "a1", "title": "T", "date": "2024-10-10", "text": "Israel rejected it.\n\nThe U.S. agreed."})
        + "\n{not json\n"
        + json.dumps({"title": "no text"}) + "\n"
        + json.dumps({"text": "France proposed a truce."}) + "\n",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    articles = list(read_articles([f], on_problem=problems.append))
    assert [a.id for a in articles][0] == "a1"
    assert articles[0].date == "2024-10-10" and articles[0].title == "T"
    assert content(articles[0]) == ["Israel rejected it.", "The U.S. agreed."]
    assert articles[1].id.startswith("sha-")  # no id: a hash of the text, stable across runs
    assert [p.origin for p in problems] == [f"{f}:2", f"{f}:3"]
    assert "not valid JSON" in problems[0].reason and "text" in problems[1].reason


def test_one_path_given_alone_is_read_as_a_path(tmp_path):
    f = tmp_path / "news.jsonl"
    f.write_text(json.dumps({"id": "a1", "text": "Israel rejected it."}) + "\n", encoding="utf-8")
    for given in (str(f), f):
        assert [a.id for a in read_articles(given)] == ["a1"]


def test_folder_is_walked_and_non_article_files_are_counted(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Israel rejected the proposal.", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("France proposed a truce.", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)  # a symlink loop must not hang the walk
    skipped = []
    ids = [a.id for a in read_articles([tmp_path], on_skip=skipped.append)]
    assert ids == ["a", "b"]
    assert [p.name for p in skipped] == ["photo.png"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"%PDF-1.4\n%binary", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_unreadable_text_files_raise_one_clear_error(tmp_path, data, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(InputError, match=message) as e:
        read_text_file(f)
    assert str(f) in str(e.value) and "\n" not in str(e.value)


def test_legacy_encodings_decode(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Le président Macron a rencontré Merkel à Paris.".encode("cp1252"))
    assert "président" in read_text_file(f).text
    g = tmp_path / "utf16.txt"
    g.write_bytes("Israel rejected the proposal.".encode("utf-16"))
    assert read_text_file(g).text == "Israel rejected the proposal."


def test_missing_path_is_a_problem_not_a_crash(tmp_path):
    problems: list[Problem] = []
    assert list(read_articles([tmp_path / "nope.txt"], on_problem=problems.append)) == []
    assert "no such file" in problems[0].reason
