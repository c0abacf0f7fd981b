"""Back-translation on a tiny model trained here: refusals, the keep/drop decision, the file."""
import json

import pytest
import torch
from click.testing import CliRunner

from polyglot.cli import cli
from polyglot.data.backtranslate import Settings, backtranslate, parse_description, read_lifted
from polyglot.data.dataset import read_records, records_text, source_text
from polyglot.data.lift import LiftResult, lift_text, load_lift_grammar
from polyglot.errors import SpecError
from polyglot.nmt.model import NMT, NMTConfig
from polyglot.nmt.tokenizer import BODY, Tokenizer

SOURCE = '''\
def add(a: int, b: int) -> int:
    return a + b


def mul(a: int, b: int) -> int:
    return a * b
'''
WORDS = {"add": "returns a plus b", "mul": "returns a times b"}


def lifted_records():
    result = LiftResult()
    lift_text(SOURCE, "ops.py", load_lift_grammar("python"), result)
    return result.records


def with_words(record):
    return {**record, "words": {"en": {"given": "", "when": "", "then": WORDS[record["name"]]}}}


def train(records, reverse=True, steps=250):
    """A model that learns both directions of two records by heart (~1 s per 100 steps)."""
    lines = {r["name"]: source_text(with_words(r), "en").removeprefix("<en> ") for r in records}
    tokenizer = Tokenizer.train([*lines.values(), *(r["body"] for r in records)] * 5, vocab_size=400)
    torch.manual_seed(0)
    model = NMT(NMTConfig(vocab_size=tokenizer.vocab_size, d_model=32, n_heads=2, n_enc_layers=1,
                          n_dec_layers=1, d_ff=64, dropout=0.0, max_len=96))
    pairs = []
    for r in records:
        words, body = tokenizer.encode(lines[r["name"]], lang="en"), tokenizer.encode(r["body"], lang=BODY, add_eos=True)
        pairs.append((words, body))
        if reverse:
            pairs.append((body[:-1], words + [tokenizer.eos_id]))
    pad = lambda seqs: torch.tensor([s + [0] * (max(map(len, seqs)) - len(s)) for s in seqs])  # noqa: E731
    src, tgt = pad([s for s, _ in pairs]), pad([t for _, t in pairs])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for _ in range(steps):
        _, loss = model(src, tgt[:, :-1], tgt[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval(), tokenizer, loss.item()


@pytest.fixture(scope="module")
def trained():
    records = lifted_records()
    model, tokenizer, loss = train(records)
    assert loss < 0.05, loss
    return records, model, tokenizer


def save(folder, model, tokenizer, reverse):
    folder.mkdir(exist_ok=True)
    model.save(folder / "model.safetensors")
    tokenizer.save(folder / "tokenizer.model")
    if reverse is not None:
        (folder / "config.json").write_text(json.dumps({"data": {"reverse": reverse}}))
    return folder


def test_parse_description():
    assert parse_description("given a list | then returns x times 2 | sig: f(x: Int) -> Int | types: A(b: Int)") == {
        "given": "a list", "when": "", "then": "returns x times 2"}
    assert parse_description("given, a list | when: f is called | then returns x") == {
        "given": "a list", "when": "f is called", "then": "returns x"}
    assert parse_description("sig: f(x: Int) -> Int") is None
    assert parse_description("a + b") is None


def test_real_round_trip_keeps_both(trained):
    records, model, tokenizer = trained
    outcome = backtranslate(records, model, tokenizer, ["en"], Settings(k=2, k_forward=2))
    assert outcome.stats["per_language"]["en"]["tried"] == 2
    assert outcome.stats["kept"] == 2 and outcome.stats["records_out"] == 2
    assert [r["words"] for r in outcome.records] == [
        {"en": {"given": "", "when": "", "then": "returns a plus b"}},
        {"en": {"given": "", "when": "", "then": "returns a times b"}}]


def ids_of(tokenizer, text):
    return tokenizer.encode(text) + [tokenizer.eos_id]


@pytest.mark.parametrize("read_back, kept", [("a + b", 1), ("a - b", 0), ("a +", 0)])
def test_kept_only_when_the_body_passes(trained, monkeypatch, read_back, kept):
    """The decoder is replaced at its boundary; the checker and evaluator are real."""
    records, model, tokenizer = trained
    description = "then adds them up | sig: add(a: Int, b: Int) -> Int"
    monkeypatch.setattr("polyglot.data.backtranslate.sample",
                        lambda model, src, **kw: [ids_of(tokenizer, description)] * src.size(0))
    monkeypatch.setattr("polyglot.nmt.propose.sample",
                        lambda model, src, **kw: [ids_of(tokenizer, read_back)] * src.size(0))
    outcome = backtranslate(records[:1], model, tokenizer, ["en"], Settings(k=3, k_forward=2))
    assert outcome.per_language["en"] == {"tried": 1, "kept": kept, "descriptions": 1, "unreadable": 0}
    assert [r["words"] for r in outcome.records] == [{"en": {"given": "", "when": "", "then": "adds them up"}}] * kept


def test_forward_only_models_are_refused(trained, tmp_path):
    records, _, _ = trained
    model, tokenizer, _ = train(records, reverse=False, steps=150)
    with pytest.raises(SpecError, match="config.json: data.reverse = false"):
        backtranslate(records, model, tokenizer, ["en"], folder=save(tmp_path / "a", model, tokenizer, False))
    with pytest.raises(SpecError, match="no `sig:` segment"):  # no config.json: the probe decides
        backtranslate(records, model, tokenizer, ["en"], folder=save(tmp_path / "b", model, tokenizer, None))


def invoke(*args):
    return CliRunner().invoke(cli, ["data", "backtranslate", *args])


def test_cli(trained, tmp_path):
    records, model, tokenizer = trained
    lifted = tmp_path / "lifted.jsonl"
    lifted.write_text(records_text(records), encoding="utf-8")
    folder = save(tmp_path / "model", model, tokenizer, True)
    out = tmp_path / "bt.jsonl"
    result = invoke(str(lifted), "--model", str(folder), "--langs", "en", "-o", str(out), "-k", "2", "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)["stats"]
    assert stats["per_language"]["en"]["kept"] == 2 and stats["records_out"] == 2
    back = read_records(out)
    assert [r["id"] for r in back] == [r["id"] for r in records]
    assert [r["words"]["en"]["then"] for r in back] == ["returns a plus b", "returns a times b"]
    assert source_text(back[0], "en") == "<en> then returns a plus b | sig: add(a: Int, b: Int) -> Int"
    assert read_lifted(out)[1]["tests"] == records[1]["tests"]

    again = invoke(str(lifted), "--model", str(folder), "--langs", "en", "-o", str(out), "-k", "2")
    assert again.exit_code == 2 and again.stderr.startswith(f"{out}: error: already exists")
    text = invoke(str(lifted), "--model", str(folder), "--langs", "en", "-o", str(out), "-k", "2", "--force")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"kept 2 of 2 descriptions: 2 of 2 records to {out} (")
    assert lines[1] == "  en: kept 2/2 (2 drawn, 0 unreadable)"

    (folder / "config.json").write_text(json.dumps({"data": {"reverse": False}}))
    refused = invoke(str(lifted), "--model", str(folder), "--langs", "en", "-o", str(tmp_path / "x.jsonl"))
    assert refused.exit_code == 2
    assert "trained without the reverse direction" in refused.stderr and "reverse = true" in refused.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = invoke(str(bad), "--model", str(folder), "--langs", "en", "-o", str(tmp_path / "y.jsonl"))
    assert result.exit_code == 2 and result.stderr.startswith(f"{bad}:1: error: not a lifted record")
    assert not (tmp_path / "x.jsonl").exists() and not (tmp_path / "y.jsonl").exists()
