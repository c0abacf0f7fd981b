"""The model shipped with polyglot writes bodies from words, and only checked ones survive."""
from pathlib import Path

from click.testing import CliRunner

from polyglot.cli import cli
from polyglot.nmt.propose import fill_bodies, load_bundle
from polyglot.spec.reader import read_spec

ROOT = Path(__file__).resolve().parents[2]


def test_v0_writes_the_words_only_example():
    model, tokenizer = load_bundle("v0")
    spec = read_spec(ROOT / "examples" / "words_only.vibee")
    filled, proposals = fill_bodies(spec, model, tokenizer, k=8, method="beam")
    assert {b.name: b.body.source for b in filled.behaviors} == {
        "double_total": "sum(x * 2 for x in xs)", "shout": "text.upper()", "longest": "max(xs)"}
    assert all(p.candidates[0].verdict == "chosen" for p in proposals)


def test_translate_with_the_shipped_model_verifies(tmp_path):
    result = CliRunner().invoke(cli, ["translate", str(ROOT / "examples" / "words_only.vibee"), "--to", "python",
                                      "--model", "v0", "--decode", "beam", "-o", str(tmp_path), "--verify"])
    assert result.exit_code == 0, result.output
    assert "python: 4 passed, 0 failed" in result.stdout
