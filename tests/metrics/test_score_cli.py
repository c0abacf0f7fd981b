"""`polyglot score` end to end through click's CliRunner."""
import json
from pathlib import Path

import pytest
import sacrebleu
from click.testing import CliRunner

from polyglot import __version__
from polyglot.cli import cli
from polyglot.metrics import METRICS

V = __version__
HYPS = "The cat sat on the mat.\nA dog barked loudly at night\n"
REFS = "The cat is sitting on the mat.\nThe dog barked loudly in the night\n"
REFS2 = "A cat sat on the mat.\nA dog barked at night\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    contents = {"hyp.txt": HYPS, "ref.txt": REFS, "ref2.txt": REFS2,
                "zh_hyp.txt": "我今天去商店买了苹果。\n", "zh_ref.txt": "我今天去商店买苹果。\n"}
    for name, text in contents.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {name: str(tmp_path / name) for name in contents} | {"dir": str(tmp_path)}


def score(*args: str):
    return CliRunner().invoke(cli, ["score", *args])


def test_text_output_with_signatures(files):
    result = score("--hyp", files["hyp.txt"], "--ref", files["ref.txt"],
                   "--metrics", "bleu,chrf,chrf++,rougeL")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "BLEU = 32.24 76.9/54.5/33.3/14.3 (BP = 0.857 ratio = 0.867 hyp_len = 13 ref_len = 15)"
        f" | bleu|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0|v:{V}",
        f"chrF2 = 55.96 | chrf|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0|v:{V}",
        f"chrF2++ = 56.51 | chrf++|nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0|v:{V}",
        "ROUGE-L = 69.23 (P = 75.00 R = 64.29) | rougeL|nrefs:1|tok:unicode"
        f"|impl:rouge-score-0.1.2|v:{V}",
    ]
    assert result.stderr == ""


def test_rouge_group_multiple_refs_and_width(files):
    result = score("--hyp", files["hyp.txt"], "--ref", files["ref.txt"], "--ref", files["ref2.txt"],
                   "--metrics", "rouge", "--width", "1")
    assert result.exit_code == 0, result.output
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        "ROUGE-1 = 87.1", "ROUGE-2 = 73.3", "ROUGE-L = 87.1", "ROUGE-Lsum = 87.1"]
    assert "|rouge2|nrefs:2|" in "|" + result.stdout.splitlines()[1].split(" | ")[1]


def test_lang_picks_the_tokenizer(files):
    result = score("--hyp", files["zh_hyp.txt"], "--ref", files["zh_ref.txt"], "--lang", "zh",
                   "--metrics", "bleu")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "BLEU = 70.17 90.9/80.0/66.7/50.0 (BP = 1.000 ratio = 1.100 hyp_len = 11 ref_len = 10)"
        f" | bleu|nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0|v:{V}\n")


def test_japanese_fallback_warns_on_stderr(files, monkeypatch):
    import sacrebleu.tokenizers.tokenizer_ja_mecab as ja_mecab

    monkeypatch.setattr(ja_mecab, "MeCab", None)
    result = score("--hyp", files["hyp.txt"], "--ref", files["ref.txt"], "--lang", "ja",
                   "--metrics", "bleu")
    assert result.exit_code == 0, result.output
    assert "|tok:char|" in result.stdout
    assert result.stderr.startswith("warning: BLEU for `ja`: tokenizer `ja-mecab` cannot load")


def test_json_with_bootstrap(files):
    result = score("--hyp", files["hyp.txt"], "--ref", files["ref.txt"], "--metrics", "bleu,rouge1",
                   "--json", "--bootstrap", "50")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["hyp"], out["refs"], out["lang"]) == (files["hyp.txt"], [files["ref.txt"]], None)
    bleu, rouge1 = out["scores"]
    assert bleu["name"] == "BLEU" and bleu["score"] == sacrebleu.corpus_bleu(HYPS.split("\n")[:2], [REFS.split("\n")[:2]]).score
    assert bleu["statistics"] == [13, 15, 10, 6, 3, 1, 13, 11, 9, 7]
    assert bleu["signature"] == (
        f"bleu|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0|bs:50|seed:12345|v:{V}")
    assert rouge1["name"] == "ROUGE-1" and round(rouge1["score"], 6) == 69.230769
    assert rouge1["ci95"][0] <= rouge1["mean"] <= rouge1["ci95"][1]


def test_sentence_level(files):
    result = score("--hyp", files["hyp.txt"], "--ref", files["ref.txt"], "--metrics", "bleu,chrf",
                   "--sentence")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split(" (")[0].split(" | ")[0] for line in lines] == [
        "1\tBLEU = 42.38 85.7/66.7/40.0/25.0", "1\tchrF2 = 49.65",
        "2\tBLEU = 27.48 66.7/40.0/25.0/16.7", "2\tchrF2 = 61.16"]
    assert "|eff:yes|" in lines[0]
    as_json = json.loads(score("--hyp", files["hyp.txt"], "--ref", files["ref.txt"],
                               "--metrics", "chrf", "--sentence", "--json").stdout)
    assert [(s["id"], round(s["scores"][0]["score"], 2)) for s in as_json["segments"]] == \
        [("1", 49.65), ("2", 61.16)]


def test_folders(tmp_path):
    for side, body in [("out", "fn main() { let x = 1; }"), ("refs", "fn main() { let y = 1; }")]:
        (tmp_path / side).mkdir()
        (tmp_path / side / "main.rs").write_text(body)
    result = score("--hyp", str(tmp_path / "out"), "--ref", str(tmp_path / "refs"),
                   "--metrics", "chrf", "--width", "4")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("chrF2 = 75.4863 | ")


def test_codebleu_mode_and_weights(tmp_path):
    for side, body in [("out", "int f(int a) { return a + 1; }"), ("refs", "int f(int a) { return a + 2; }")]:
        (tmp_path / side).mkdir()
        (tmp_path / side / "f.java").write_text(body)
    common = ["--hyp", str(tmp_path / "out"), "--ref", str(tmp_path / "refs"), "--lang", "java",
              "--metrics", "codebleu", "--json"]
    runs = {name: score(*common, *args) for name, args in [
        ("default", []), ("compat", ["--codebleu-mode", "compat"]),
        ("syntax", ["--codebleu-weights", "0,0,1,0"])]}
    assert all(r.exit_code == 0 for r in runs.values()), [r.output for r in runs.values()]
    scores = {name: json.loads(r.stdout)["scores"][0] for name, r in runs.items()}
    from polyglot.metrics.codebleu import CodeBLEU
    for name, kwargs in [("default", {}), ("compat", {"mode": "compat"}), ("syntax", {"weights": (0, 0, 1, 0)})]:
        expected = CodeBLEU("java", **kwargs).corpus_score([(tmp_path / "out" / "f.java").read_text()],
                                                           [[(tmp_path / "refs" / "f.java").read_text()]])
        assert scores[name]["score"] == expected.score and scores[name]["parts"] == expected.parts, name
    assert "|mode:compat|" in scores["compat"]["signature"] and "|w:0,0,1,0|" in scores["syntax"]["signature"]
    assert scores["syntax"]["score"] == scores["syntax"]["parts"]["syntax"]


def test_progress_goes_to_stderr_only(files):
    args = ["--hyp", files["hyp.txt"], "--ref", files["ref.txt"], "--metrics", "bleu,chrf"]
    quiet, shown = score(*args, "--no-progress"), score(*args, "--progress")
    assert quiet.exit_code == shown.exit_code == 0
    assert shown.stdout == quiet.stdout and quiet.stderr == ""
    assert "bleu:" in shown.stderr and "chrf:" in shown.stderr and "/2 [" in shown.stderr  # a bar a metric


def test_help_teaches():
    result = CliRunner().invoke(cli, ["score", "--help"])
    assert result.exit_code == 0
    assert "Examples:\n    polyglot score --hyp out.txt --ref ref.txt\n" in result.stdout
    assert "--bootstrap N" in result.stdout


def bad_inputs(files):
    d = Path(files["dir"])
    (d / "bad.jsonl").write_text('{"id": 1, "hyp": "a"}\n{"id": 2, hyp}\n')
    (d / "bin.txt").write_bytes(b"\x7fELF\x00\x01")
    (d / "empty.txt").write_text("")
    (d / "one.txt").write_text("one line\n")
    ok = ["--ref", files["ref.txt"]]
    return [
        (["--hyp", str(d / "nope.txt"), *ok], f"{d / 'nope.txt'}: error: no such file or folder"),
        (["--hyp", files["hyp.txt"], "--ref", str(d / "one.txt")],
         f"{files['hyp.txt']}:2: error: hypothesis line 2 has no counterpart: "
         f"{files['hyp.txt']} has 2 lines, {d / 'one.txt'} has 1 (a text file is one segment per "
         "line; for code, give folders with one file per segment, or .jsonl)"),
        (["--hyp", str(d / "bad.jsonl"), *ok],
         f"{d / 'bad.jsonl'}:2:11: error: invalid JSON: "
         "Expecting property name enclosed in double quotes"),
        (["--hyp", str(d / "bin.txt"), *ok],
         f"{d / 'bin.txt'}:1: error: binary file (contains a NUL byte), not text"),
        (["--hyp", str(d / "empty.txt"), *ok],
         f"{d / 'empty.txt'}: error: empty input: no segments; expected one segment per line"),
        (["--hyp", files["hyp.txt"], *ok, "--metrics", "bleu,blue"],
         "--metrics: error: unknown metric `blue`; expected bleu, chrf, chrf++, rouge1, rouge2, "
         "rougeL, rougeLsum, codebleu, rouge (did you mean `bleu`?)"),
        (["--hyp", files["hyp.txt"], *ok, "--tokenize", "flores200"],
         "--tokenize: error: BLEU tokenizer `flores200` downloads a model at run time and is not "
         "supported; expected none, zh, 13a, intl, char, ja-mecab, ko-mecab"),
        (["--hyp", files["hyp.txt"], *ok, "--codebleu-mode", "compat"],
         "--codebleu-mode: error: applies to codebleu only, found --metrics bleu,chrf "
         "(add codebleu to --metrics)"),
        (["--hyp", files["hyp.txt"], *ok, "--metrics", "codebleu", "--lang", "zig", "--codebleu-mode", "compat"],
         "--codebleu-mode: error: compat mode covers codebleu 0.7.0's languages, not `zig`; expected c, "
         "cpp, csharp, go, java, javascript, php, python, ruby, rust (the default mode covers all 20)"),
        (["--hyp", files["hyp.txt"], *ok, "--metrics", "codebleu", "--lang", "c", "--codebleu-weights", "1,2,inf,0"],
         "--codebleu-weights: error: `1,2,inf,0` is not four weights; expected four non-negative "
         "numbers, not all 0, e.g. .25,.25,.25,.25"),
        (["--hyp", files["hyp.txt"], *ok, "--sentence", "--bootstrap", "10"],
         "--bootstrap: error: does not apply to --sentence "
         "(bootstrap estimates a corpus score's interval)"),
    ]


def test_bad_inputs_exit_2_with_one_located_line(files):
    for args, message in bad_inputs(files):
        result = score(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n"), args


def test_codebleu_not_importable_is_a_clear_error(files, monkeypatch):
    monkeypatch.setitem(METRICS, "codebleu", "polyglot.metrics.codebleu_missing:CodeBLEU")
    result = score("--hyp", files["hyp.txt"], "--ref", files["ref.txt"], "--metrics", "codebleu",
                   "--lang", "rust")
    assert result.exit_code == 2
    assert result.stderr == (
        "--metrics: error: metric `codebleu` is not available: cannot import "
        "polyglot.metrics.codebleu_missing:CodeBLEU "
        "(No module named 'polyglot.metrics.codebleu_missing')\n")
