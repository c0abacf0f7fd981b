"""`polyglot data synth` on bad options: refused before any sampling, nothing written."""
from pathlib import Path

import pytest


@pytest.fixture
def no_sampling(monkeypatch):
    monkeypatch.setattr("polyglot.commands.data.synthesize", lambda *a, **k: pytest.fail("sampled"))


def test_empty_language_items(run, no_sampling):
    result = run("data", "synth", "--n", "2", "--langs", "en,,ru", "-o", "d")
    assert (result.code, result.line) == (
        2, "--langs: error: empty item 2 in `en,,ru`; expected names separated by single commas")
    assert not Path("d").exists()


def test_output_inside_a_file(run, no_sampling):
    Path("afile").write_text("keep\n")
    result = run("data", "synth", "--n", "2", "--langs", "en", "-o", "afile/d")
    assert (result.code, result.line) == (
        2, "afile/d: error: cannot create a folder here: a file is in the way, found file afile")


def test_non_empty_output_is_refused_before_sampling(run, no_sampling):
    Path("d").mkdir()
    Path("d/train.jsonl").write_bytes(b"mine\n")
    result = run("data", "synth", "--n", "2", "--langs", "en", "-o", "d", "--json")
    assert (result.code, result.line) == (2, "d: error: output folder is not empty (pass --force to overwrite)")
    assert result.json["error"]["file"] == "d"
    assert Path("d/train.jsonl").read_bytes() == b"mine\n"


@pytest.mark.parametrize("args", [["--n", str(10**30)], ["--augment", str(10**20)], ["--valid-frac", "nan"],
                                  ["--test-frac", "inf"]])
def test_numbers_out_of_range(run, no_sampling, args):
    result = run("data", "synth", *args, "--langs", "en", "-o", "d")
    assert result.code == 2
    assert f"Error: Invalid value for '{args[0]}'" in result.stderr
