import json

import pytest
import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

from polyglot.errors import SpecError
from polyglot.nmt.model import NMT, NMTConfig

V, PAD, BOS, EOS = 48, 0, 2, 3



def tiny(positions="rope", seed=0, **overrides) -> NMT:
    """A ~40k-parameter model in eval mode."""
    torch.manual_seed(seed)
    args = dict(vocab_size=V, d_model=32, n_heads=2, n_enc_layers=2, n_dec_layers=2, d_ff=64,
                dropout=0.0, max_len=40, positions=positions)
    return NMT(NMTConfig(**(args | overrides))).eval()


def batch(seed=0):
    """Two sources (the second right-padded) and teacher-forcing targets."""
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(4, V, (2, 9), generator=g)
    src[1, 6:] = PAD
    body = torch.randint(4, V, (2, 7), generator=g)
    tgt_in = torch.cat([torch.full((2, 1), BOS), body], dim=1)  # (2, 8)
    tgt_out = torch.cat([body, torch.full((2, 1), EOS)], dim=1)
    tgt_in[1, 6:], tgt_out[1, 5:] = PAD, PAD  # second target is shorter
    tgt_out[1, 5] = EOS
    return src, tgt_in, tgt_out


POSITIONS = ["rope", "learned"]


@pytest.mark.parametrize("positions", POSITIONS)
def test_shapes(positions):
    model = tiny(positions)
    src, tgt_in, tgt_out = batch()
    logits, loss = model(src, tgt_in)
    assert logits.shape == (2, 8, V) and loss is None
    _, loss = model(src, tgt_in, tgt_out)
    assert loss.shape == () and torch.isfinite(loss)
    memory, mask = model.encode(src)
    assert memory.shape == (2, 9, 32) and mask.tolist()[1] == [True] * 6 + [False] * 3
    state = model.start(memory, mask)
    assert state.length == 0 and state.cross_kv[0][0].shape == (2, 2, 9, 16)
    step, state = model.decode_step(tgt_in[:, :3], state)
    assert step.shape == (2, 3, V) and state.length == 3
    assert state.self_kv[1][0].shape == (2, 2, 3, 16)


@pytest.mark.parametrize("positions", POSITIONS)
def test_source_padding_changes_nothing(positions):
    model = tiny(positions)
    src, tgt_in, _ = batch()
    padded = F.pad(src, (0, 5), value=PAD)  # five more pads on every row
    memory, _ = model.encode(src)
    memory_padded, _ = model.encode(padded)
    assert torch.allclose(memory_padded[0, :9], memory[0], atol=1e-5)
    assert torch.allclose(memory_padded[1, :6], memory[1, :6], atol=1e-5)
    assert torch.allclose(model(padded, tgt_in)[0], model(src, tgt_in)[0], atol=1e-5)
    # The short row decoded alone, without any pads, gives the same logits.
    alone = model(src[1:, :6], tgt_in[1:])[0]
    assert torch.allclose(alone, model(src, tgt_in)[0][1:], atol=1e-5)


@pytest.mark.parametrize("positions", POSITIONS)
def test_incremental_decoding_equals_full_forward(positions):
    model = tiny(positions)
    src, tgt_in, _ = batch()
    full, _ = model(src, tgt_in)
    state = model.start(*model.encode(src))
    steps = []
    for t in range(tgt_in.size(1)):  # one token at a time
        logits, state = model.decode_step(tgt_in[:, t:t + 1], state)
        steps.append(logits)
    assert (torch.cat(steps, dim=1) - full).abs().max() < 1e-5
    state = model.start(*model.encode(src))
    chunks = []
    for a, b in [(0, 3), (3, 4), (4, 8)]:  # several at a time, as speculative decoding does
        logits, state = model.decode_step(tgt_in[:, a:b], state)
        chunks.append(logits)
    assert (torch.cat(chunks, dim=1) - full).abs().max() < 1e-5


def test_state_select_and_truncate():
    model = tiny()
    src, tgt_in, _ = batch()
    full, _ = model(src, tgt_in)
    _, state = model.decode_step(tgt_in[:, :6], model.start(*model.encode(src)))
    state = state.truncate(4).select(torch.tensor([1, 1, 0]))  # rewind, then reorder rows
    logits, _ = model.decode_step(tgt_in[[1, 1, 0], 4:5], state)
    assert (logits[:, 0] - full[[1, 1, 0], 4]).abs().max() < 1e-5


def test_max_len_is_enforced():
    model = tiny(max_len=8)
    with pytest.raises(ValueError, match="longer than max_len 8"):
        model.encode(torch.ones(1, 9, dtype=torch.long))


@pytest.mark.parametrize("positions", POSITIONS)
def test_save_load_round_trip(positions, tmp_path):
    model = tiny(positions, bias=True, tie_embeddings=positions == "rope")
    path = tmp_path / "model.safetensors"
    model.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.safetensors"]
    again = NMT.load(path)
    assert again.config == model.config
    src, tgt_in, _ = batch()
    assert torch.equal(again(src, tgt_in)[0], model(src, tgt_in)[0])
    assert torch.equal(again.embed(src), model.embed(src))
    assert (again.lm_head.weight is again.tok_emb.weight) == model.config.tie_embeddings


def test_load_rejects_bad_checkpoints(tmp_path):
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x00" * 20)
    with pytest.raises(SpecError, match="cannot read model checkpoint"):
        NMT.load(garbage)
    with pytest.raises(SpecError, match="cannot read model checkpoint"):
        NMT.load(tmp_path / "missing.safetensors")
    bare = tmp_path / "bare.safetensors"
    save_file({"w": torch.zeros(2)}, str(bare))
    with pytest.raises(SpecError, match="checkpoint has no model config"):
        NMT.load(bare)
    odd = tmp_path / "odd.safetensors"
    save_file({"w": torch.zeros(2)}, str(odd), metadata={"nmt_config": json.dumps({"wings": 2})})
    with pytest.raises(SpecError, match=r"bad model config.*unknown config fields \['wings'\]"):
        NMT.load(odd)
    small = tmp_path / "small.safetensors"
    tiny().save(small)
    with safe_open(str(small), "pt") as f:
        config = f.metadata()["nmt_config"]
    wrong = tmp_path / "wrong.safetensors"
    save_file({"w": torch.zeros(2)}, str(wrong), metadata={"nmt_config": config})
    with pytest.raises(SpecError, match="weights do not fit its config"):
        NMT.load(wrong)


def test_embed_is_pooled_and_normalised():
    model = tiny()
    src, _, _ = batch()
    emb = model.embed(src)
    assert emb.shape == (2, 32)
    assert torch.allclose(emb.norm(dim=-1), torch.ones(2))
    memory, _ = model.encode(src)
    expected = F.normalize(memory[1, :6].mean(0), dim=0)  # real tokens only
    assert torch.allclose(emb[1], expected, atol=1e-6)
    assert torch.allclose(model.embed(F.pad(src, (0, 3), value=PAD)), emb, atol=1e-6)


def test_tied_weights_are_one_tensor():
    model = tiny()
    assert model.lm_head.weight is model.tok_emb.weight
    untied = tiny(tie_embeddings=False)
    assert untied.num_params() - model.num_params() == V * 32
    src, tgt_in, tgt_out = batch()
    model.train()
    _, loss = model(src, tgt_in, tgt_out)
    loss.backward()
    before = model.tok_emb.weight.detach().clone()
    with torch.no_grad():
        model.lm_head.weight -= 0.1 * model.lm_head.weight.grad
    assert not torch.equal(model.tok_emb.weight, before)  # the output layer's step moved the input


def test_loss_ignores_pads():
    model = tiny()
    src, tgt_in, tgt_out = batch()
    logits, loss = model(src, tgt_in, tgt_out)
    real = tgt_out != PAD
    assert int(real.sum()) == 14
    manual = F.cross_entropy(logits[real], tgt_out[real])
    assert torch.allclose(loss, manual)
    # Padding the targets further changes neither the loss nor the logits at real positions.
    padded_logits, padded_loss = model(src, F.pad(tgt_in, (0, 4), value=PAD),
                                       F.pad(tgt_out, (0, 4), value=PAD))
    assert torch.allclose(padded_loss, loss, atol=1e-6)
    assert torch.allclose(padded_logits[:, :8][real], logits[real], atol=1e-5)


def test_config_validation():
    with pytest.raises(ValueError, match="not a multiple of n_heads"):
        NMTConfig(d_model=30, n_heads=4)
    with pytest.raises(ValueError, match="positions must be"):
        NMTConfig(positions="alibi")
    with pytest.raises(ValueError, match="even head size"):
        NMTConfig(d_model=12, n_heads=4)
    NMTConfig(d_model=12, n_heads=4, positions="learned")  # odd heads are fine without RoPE
