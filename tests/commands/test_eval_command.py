"""`polyglot eval humaneval` on bad options: all refused before any sample runs."""
from pathlib import Path

import pytest


def test_out_inside_a_file(run):
    Path("afile").write_text("keep\n")
    result = run("eval", "humaneval", "--canonical", "--task", "HumanEval/0", "--out", "afile/r.jsonl")
    assert (result.code, result.line) == (
        2, "afile/r.jsonl: error: cannot write here: a file is in the way, found file afile")


def test_existing_out_is_refused_before_running(run, monkeypatch):
    monkeypatch.setattr("polyglot.execute.humaneval.evaluate", lambda *a, **k: pytest.fail("ran the samples"))
    Path("r.jsonl").write_bytes(b"old results\n")
    result = run("eval", "humaneval", "--canonical", "--out", "r.jsonl")
    assert (result.code, result.line) == (2, "r.jsonl: error: already exists (pass --force to overwrite)")
    assert Path("r.jsonl").read_bytes() == b"old results\n"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e9"])
def test_timeout_must_be_finite_and_sane(run, value):
    result = run("eval", "humaneval", "--canonical", "--timeout", value, "--json")
    assert result.code == 2
    assert result.json["error"]["file"] == "--timeout"


@pytest.mark.parametrize("value", ["1,,10", "0", ",", "ten"])
def test_bad_k(run, value):
    result = run("eval", "humaneval", "--canonical", "--k", value)
    assert result.code == 2
    assert (f"Error: Invalid value for '--k': expected positive integers separated by commas, got {value!r}"
            in result.stderr)

