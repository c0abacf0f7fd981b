import json
import re

from click.testing import CliRunner

from polyglot.cli import cli
from polyglot.data.dataset import read_records, source_text

FILES = ["stats.json", "test.jsonl", "train.jsonl", "valid.jsonl"]


def invoke(*args):
    return CliRunner().invoke(cli, ["data", "synth", *args])


def test_writes_the_splits(tmp_path):
    out = tmp_path / "synth"
    result = invoke("--n", "10", "--langs", "en,ru", "--seed", "3", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"wrote 16 train, 2 valid, 2 test records to .*synth \(10 samples x 2 languages, "
                        r"1 augmented each; \d+\.\d s\)\n", result.stdout)
    assert sorted(p.name for p in out.iterdir()) == FILES
    train = read_records(out / "train.jsonl")
    assert len(train) == 16 and all(list(r["words"]) == ["en", "ru"] for r in train)
    assert source_text(train[0], "ru").startswith("<ru> ")


def test_refuses_to_overwrite_without_force(tmp_path):
    assert invoke("--n", "4", "--langs", "en", "-o", str(tmp_path)).exit_code == 0
    before = (tmp_path / "train.jsonl").read_bytes()
    result = invoke("--n", "4", "--langs", "en", "--seed", "9", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: error: output folder is not empty (pass --force to overwrite)\n"
    assert (tmp_path / "train.jsonl").read_bytes() == before
    assert invoke("--n", "4", "--langs", "en", "--seed", "9", "-o", str(tmp_path), "--force").exit_code == 0
    assert (tmp_path / "train.jsonl").read_bytes() != before


def test_json_combo_and_progress(tmp_path):
    result = invoke("--n", "40", "--langs", "all", "--split-by", "combo", "--augment", "0", "--json",
                    "--progress", "-o", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    stats = report["stats"]
    assert stats["split_by"] == "combo" and len(stats["languages"]) == 20
    assert sum(stats["records"].values()) == 40 and stats["augmentations"]["rename"] == 0
    assert [p.rsplit("/", 1)[-1] for p in report["files"]] == ["train.jsonl", "valid.jsonl", "test.jsonl", "stats.json"]
    assert "synth: 100%" in result.stderr
    assert json.loads((tmp_path / "c" / "stats.json").read_text()) == stats


def test_bad_arguments_exit_2(tmp_path):
    out = str(tmp_path / "x")
    result = invoke("--n", "3", "--langs", "en,kk", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("--langs: error: unknown human language `kk`")
    for args in (["--n", "0"], ["--split-by", "seed"], ["--valid-frac", "0.7"], ["--augment", "-1"], []):
        result = invoke(*args, "-o", out) if args else invoke("--n", "3")
        assert result.exit_code == 2, args
        assert "Error:" in result.stderr
    result = invoke("--n", "3", "--valid-frac", "0.5", "--test-frac", "0.5", "-o", out)
    assert result.exit_code == 2 and "leave some training data" in result.stderr
    assert not (tmp_path / "x").exists()
