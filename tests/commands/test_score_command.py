"""`polyglot score` on bad input: metric lists, languages, stdin, huge numbers, --json."""
from pathlib import Path

import pytest


@pytest.fixture
def texts(run):
    Path("hyp.txt").write_text("The cat sat.\nA dog.\n", encoding="utf-8")
    Path("ref.txt").write_text("The cat sat.\nA dog.\n", encoding="utf-8")
    Path("one.txt").write_text("The cat sat.\n", encoding="utf-8")
    return run


@pytest.mark.parametrize("args, message", [
    (["--metrics", "codebleu"], "--lang: error: codebleu needs --lang; expected the programming language, "
                                "e.g. --lang rust"),
    (["--metrics", "bleu,,chrf"], "--metrics: error: empty item 2 in `bleu,,chrf`; expected names separated "
                                  "by single commas"),
    (["--metrics", ""], "--metrics: error: empty list; expected names separated by commas"),
])
def test_bad_metric_lists(texts, args, message):
    result = texts("score", "--hyp", "hyp.txt", "--ref", "ref.txt", *args)
    assert (result.code, result.stdout, result.line) == (2, "", message)


def test_stdin_is_refused_clearly(texts):
    result = texts("score", "--hyp", "-", "--ref", "ref.txt")
    assert (result.code, result.line) == (
        2, "--hyp: error: standard input is not read here; expected a text file, a folder or a .jsonl file")


def test_huge_bootstrap_is_a_usage_error(texts):
    result = texts("score", "--hyp", "hyp.txt", "--ref", "ref.txt", "--bootstrap", str(10**30))
    assert result.code == 2
    assert f"Error: Invalid value for '--bootstrap': {10**30} is not in the range 1<=x<=1000000." in result.stderr


def test_json_error_for_mismatched_counts(texts):
    result = texts("score", "--hyp", "hyp.txt", "--ref", "one.txt", "--json")
    assert result.code == 2
    error = result.json["error"]
    assert (error["file"], error["line"]) == ("hyp.txt", 2)
    assert error["text"] == result.line == ("hyp.txt:2: error: hypothesis line 2 has no counterpart: "
                                            "hyp.txt has 2 lines, one.txt has 1 (a text file is one segment "
                                            "per line; for code, give folders with one file per segment, "
                                            "or .jsonl)")
    assert error["hint"].startswith("a text file is one segment per line")


def test_json_error_for_a_bad_jsonl_line(texts):
    Path("h.jsonl").write_text('{"id": 1, "hyp": "a"}\n{"id": 2, "hyp": "b"\n', encoding="utf-8")
    Path("r.jsonl").write_text('{"id": 1, "ref": "a"}\n{"id": 2, "ref": "b"}\n', encoding="utf-8")
    result = texts("score", "--hyp", "h.jsonl", "--ref", "r.jsonl", "--json")
    assert result.code == 2
    assert result.json["error"]["text"] == "h.jsonl:2:21: error: invalid JSON: Expecting ',' delimiter"


def test_warnings_come_before_the_error(texts, monkeypatch):
    import sacrebleu.tokenizers.tokenizer_ja_mecab as ja_mecab

    monkeypatch.setattr(ja_mecab, "MeCab", None)
    result = texts("score", "--hyp", "hyp.txt", "--ref", "one.txt", "--lang", "ja", "--metrics", "bleu")
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("warning: BLEU for `ja`: tokenizer `ja-mecab` cannot load")
    assert lines[1].startswith("hyp.txt:2: error: hypothesis line 2 has no counterpart")
