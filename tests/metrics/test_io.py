"""Reading hypotheses and references: layouts, alignment, and located errors."""
import json
from pathlib import Path

import pytest

from polyglot.errors import SpecError
from polyglot.metrics.io import read_corpus, read_segments


def write(path: Path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def error(hyp, refs) -> SpecError:
    with pytest.raises(SpecError) as err:
        read_corpus(hyp, refs)
    return err.value


def test_text_files_match_by_line(tmp_path):
    hyp = write(tmp_path / "hyp.txt", "\ufeffone\r\ntwo\n\nfour")   # BOM, CRLF, empty line
    ref1 = write(tmp_path / "ref1.txt", "uno\ndos\ntres\ncuatro\n")
    ref2 = write(tmp_path / "ref2.txt", "eins\nzwei\ndrei\nvier\n")
    corpus = read_corpus(hyp, [ref1, ref2])
    assert corpus.ids == ("1", "2", "3", "4")
    assert corpus.hypotheses == ["one", "two", "", "four"]
    assert corpus.references == [["uno", "dos", "tres", "cuatro"], ["eins", "zwei", "drei", "vier"]]


def test_only_newlines_split_lines(tmp_path):
    segments = read_segments(write(tmp_path / "h.txt", "a\u2028b\x85c\n"))
    assert segments.texts == ("a\u2028b\x85c",)


def test_folders_match_by_relative_path(tmp_path):
    write(tmp_path / "hyp/b/two.rs", "fn two() {}\n")
    write(tmp_path / "hyp/one.rs", "fn one() {}")
    write(tmp_path / "hyp/.hidden", "skipped")
    write(tmp_path / "hyp/.git/config", "skipped")
    write(tmp_path / "ref/one.rs", "fn one() { }")
    write(tmp_path / "ref/b/two.rs", "fn two() { }")
    corpus = read_corpus(tmp_path / "hyp", [tmp_path / "ref"])
    assert corpus.ids == ("b/two.rs", "one.rs")
    assert corpus.hypotheses == ["fn two() {}\n", "fn one() {}"]
    assert corpus.references == [["fn two() { }", "fn one() { }"]]


def test_jsonl_matches_by_id_and_mixes_with_folders(tmp_path):
    hyp = write(tmp_path / "hyp.jsonl", jsonl({"id": 2, "hyp": "b"}, {"id": "x", "text": "a"}))
    ref = write(tmp_path / "ref.jsonl", "\n" + jsonl({"id": "x", "ref": "A"}, {"id": "2", "text": "B"}))
    corpus = read_corpus(hyp, [ref])
    assert (corpus.ids, corpus.hypotheses, corpus.references) == (("2", "x"), ["b", "a"], [["B", "A"]])
    write(tmp_path / "folder/x", "folder a")
    write(tmp_path / "folder/2", "folder b")
    assert read_corpus(tmp_path / "folder", [ref]).references == [["B", "A"]]


def test_mismatched_line_counts_are_located(tmp_path):
    hyp = write(tmp_path / "hyp.txt", "a\nb\nc\n")
    short = write(tmp_path / "short.txt", "a\nb\n")
    err = error(hyp, [short])
    assert (err.file, err.line) == (hyp, 3)
    assert err.message == f"hypothesis line 3 has no counterpart: {hyp} has 3 lines, {short} has 2"
    long = write(tmp_path / "long.txt", "a\nb\nc\nd\ne\n")
    err = error(hyp, [long])
    assert (err.file, err.line) == (long, 4)
    assert err.message.startswith("reference line 4 has no counterpart")


def test_segments_on_one_side_only_are_listed(tmp_path):
    for name in ["a.py", "b.py", "c.py"]:
        write(tmp_path / "hyp" / name, "x")
    write(tmp_path / "ref/a.py", "x")
    err = error(tmp_path / "hyp", [tmp_path / "ref"])
    assert str(err) == (f"{tmp_path / 'hyp'}: error: 2 hypothesis segment(s) have no reference "
                        f"in {tmp_path / 'ref'}: b.py, c.py")
    write(tmp_path / "ref/b.py", "x")
    write(tmp_path / "ref/c.py", "x")
    write(tmp_path / "ref/extra.py", "x")
    err = error(tmp_path / "hyp", [tmp_path / "ref"])
    assert (err.file, err.message) == (
        str(tmp_path / "ref"),
        f"1 reference segment(s) have no hypothesis in {tmp_path / 'hyp'}: extra.py")


def test_many_missing_ids_are_cut_short(tmp_path):
    hyp = write(tmp_path / "h.jsonl", jsonl(*({"id": i, "hyp": "x"} for i in range(13))))
    ref = write(tmp_path / "r.jsonl", jsonl({"id": 0, "ref": "x"}))
    assert error(hyp, [ref]).message.endswith("1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ... and 2 more")


def test_layouts_that_cannot_be_matched(tmp_path):
    hyp = write(tmp_path / "hyp.txt", "a\n")
    ref = write(tmp_path / "ref.jsonl", jsonl({"id": 1, "ref": "a"}))
    err = error(hyp, [ref])
    assert (err.file, err.message) == (ref, (
        "cannot match references matched by id (folder or JSONL) with hypotheses "
        f"matched by line (text file) in {hyp}"))


@pytest.mark.parametrize("content, line, column, message", [
    ('{"id": 1, "ref": "a"}\n{"id": 2, "ref": "b"\n', 2, 21, "invalid JSON: Expecting ',' delimiter"),
    ('["a"]\n', 1, None, "a JSONL line must be an object"),
    ('{"ref": "a"}\n', 1, None, "missing or invalid `id`"),
    ('{"id": true, "ref": "a"}\n', 1, None, "missing or invalid `id`"),
    ('{"id": 1, "ref": "a"}\n\n{"id": "1", "ref": "b"}\n', 3, None,
     "duplicate id `1` (first on line 1)"),
    ('{"id": 1, "hyp": "a"}\n', 1, None, "no text field"),
    ('{"id": 1, "ref": ["a"]}\n', 1, None, "`ref` must be a string"),
    ('\n\n', None, None, "empty input: no JSONL records"),
])
def test_bad_jsonl(tmp_path, content, line, column, message):
    path = write(tmp_path / "ref.jsonl", content)
    with pytest.raises(SpecError) as err:
        read_segments(path, "ref")
    assert (err.value.file, err.value.line, err.value.column, err.value.message) == \
        (path, line, column, message)


def test_bad_files(tmp_path, monkeypatch):
    cases = {
        "missing.txt": (None, None, "no such file or folder"),
        "empty.txt": ("", None, "empty input: no segments"),
        "binary.txt": (b"text\nmore\x00\x01", 2, "binary file (contains a NUL byte), not text"),
        "latin1.txt": ("ok\nnaïve".encode("latin-1"), 2, "not UTF-8 text: invalid byte 0xef"),
    }
    for name, (content, line, message) in cases.items():
        path = tmp_path / name
        if content is not None:
            write(path, content)
        with pytest.raises(SpecError) as err:
            read_segments(path)
        assert (err.value.file, err.value.line, err.value.message) == (str(path), line, message)
    assert str(err.value) == f"{tmp_path / 'latin1.txt'}:2:3: error: not UTF-8 text: invalid byte 0xef"

    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(SpecError, match="empty input: the folder has no files"):
        read_segments(tmp_path / "empty_dir")


def test_unreadable_file_in_a_folder_is_named(tmp_path, monkeypatch):
    write(tmp_path / "hyp/a.txt", "x")
    locked = Path(write(tmp_path / "hyp/b.txt", "x"))
    real = Path.read_bytes

    def read_bytes(self):
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(SpecError) as err:
        read_segments(tmp_path / "hyp")
    assert str(err.value) == f"{locked}: error: cannot read: Permission denied"


def test_no_references(tmp_path):
    with pytest.raises(SpecError, match="no references given"):
        read_corpus(write(tmp_path / "h.txt", "a\n"), [])
