"""Words -> body on a real (tiny, overfit) model: only bodies that pass the spec survive."""
import dataclasses

import pytest
import torch

from polyglot.nmt.model import NMT, NMTConfig
from polyglot.nmt.propose import fill_bodies, load_bundle, propose, source_for
from polyglot.nmt.tokenizer import BODY, Tokenizer
from polyglot.errors import SpecError
from polyglot.spec.reader import parse_spec

SPEC = """
name: arith
behaviors:
  - name: add
    then: returns a plus b
    params: {a: Int, b: Int}
    returns: Int
    test_cases: [{input: {a: 2, b: 3}, expected: 5}]
  - name: mul
    then: returns a times b
    params: {a: Int, b: Int}
    returns: Int
    test_cases: [{input: {a: 2, b: 3}, expected: 6}]
  - name: liar
    then: returns a plus b
    params: {a: Int, b: Int}
    returns: Int
    test_cases: [{input: {a: 2, b: 3}, expected: 7}]
"""
BODIES = {"add": "a + b", "mul": "a * b"}


@pytest.fixture(scope="module")
def trained():
    spec = parse_spec(SPEC)
    sources = {b.name: source_for(b, spec) for b in spec.behaviors}
    tokenizer = Tokenizer.train(list(sources.values()) * 5 + list(BODIES.values()) * 5, vocab_size=400)
    torch.manual_seed(0)
    model = NMT(NMTConfig(vocab_size=tokenizer.vocab_size, d_model=32, n_heads=2, n_enc_layers=1,
                          n_dec_layers=1, d_ff=64, dropout=0.0, max_len=128))
    pairs = [(tokenizer.encode(sources[name].removeprefix("<en> "), lang="en"),
              tokenizer.encode(body, lang=BODY, add_eos=True))
             for name, body in BODIES.items()]
    width = max(len(s) for s, _ in pairs)
    src = torch.tensor([s + [0] * (width - len(s)) for s, _ in pairs])
    tlen = max(len(t) for _, t in pairs)
    tgt = torch.tensor([t + [0] * (tlen - len(t)) for _, t in pairs])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for _ in range(250):
        _, loss = model(src, tgt[:, :-1], tgt[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.05, loss.item()
    return spec, model.eval(), tokenizer


def test_source_format(trained):
    spec, _, _ = trained
    assert source_for(spec.behaviors[0], spec) == "<en> then returns a plus b | sig: add(a: Int, b: Int) -> Int"


@pytest.mark.parametrize("method", ["beam", "sample"])
def test_the_right_body_survives(trained, method):
    spec, model, tokenizer = trained
    proposal = propose(spec.behaviors[1], spec, model, tokenizer, k=4, method=method, seed=1)
    assert proposal.body is not None and proposal.body.source == "a * b"
    assert proposal.candidates[0].verdict == "chosen"


def test_a_body_that_fails_the_tests_is_refused(trained):
    spec, model, tokenizer = trained
    proposal = propose(spec.behaviors[2], spec, model, tokenizer, k=4, method="beam")
    assert proposal.body is None
    assert proposal.candidates and all(c.verdict != "chosen" for c in proposal.candidates)
    assert "a + b" in [c.text for c in proposal.candidates if c.verdict == "failed tests"]


def test_fill_bodies_and_bundle(trained, tmp_path):
    spec, model, tokenizer = trained
    model.save(tmp_path / "model.safetensors")
    tokenizer.save(tmp_path / "tokenizer.model")
    model2, tokenizer2 = load_bundle(tmp_path)
    filled, proposals = fill_bodies(spec, model2, tokenizer2, k=4, method="beam")
    assert [b.body.source if b.body else None for b in filled.behaviors] == ["a + b", "a * b", None]
    assert [p.behavior for p in proposals] == ["add", "mul", "liar"]
    assert dataclasses.replace(filled, behaviors=spec.behaviors) == spec
    with pytest.raises(SpecError, match="missing tokenizer.model"):
        (tmp_path / "tokenizer.model").unlink()
        load_bundle(tmp_path)
