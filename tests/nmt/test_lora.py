import json

import pytest
import torch
from safetensors import safe_open

from polyglot.errors import SpecError
from polyglot.nmt.lora import (LoRAConfig, LoRALinear, Linear4bit, apply_lora, dequantize_nf4,
                               load_adapter, lora_layers, merge, merged_state_dict, nf4_levels,
                               quantize_model, quantize_nf4, save_adapter, unmerge)
from polyglot.nmt.model import NMT, NMTConfig

# The NF4 table published with QLoRA (bitsandbytes' NF4 code book, float32).
NF4_TABLE = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
             -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
             0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
             0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0]



def tiny(seed=0) -> NMT:
    torch.manual_seed(seed)
    return NMT(NMTConfig(vocab_size=48, d_model=32, n_heads=2, n_enc_layers=2, n_dec_layers=2,
                         d_ff=64, dropout=0.0, max_len=24)).eval()


def batch():
    g = torch.Generator().manual_seed(1)
    return torch.randint(4, 48, (3, 9), generator=g), torch.randint(4, 48, (3, 7), generator=g)


def test_nf4_levels_are_qloras():
    levels = nf4_levels()
    assert levels.dtype == torch.float32 and levels.shape == (16,)
    assert torch.allclose(levels, torch.tensor(NF4_TABLE), atol=1e-7, rtol=0)
    assert levels[7] == 0 and levels[0] == -1 and levels[15] == 1


def test_codes_are_the_nearest_level():
    w = torch.randn(50, 64, generator=torch.Generator().manual_seed(0))
    q = quantize_nf4(w, block_size=64, double_quant=False)
    normed = (w / q.absmax[:, None]).view(-1)  # one block per row
    got = dequantize_nf4(q).view(-1) / q.absmax.repeat_interleave(64)
    best = (normed[:, None] - nf4_levels()[None, :]).abs().min(1).values
    assert torch.allclose((normed - got).abs(), best, atol=1e-6, rtol=0)


@pytest.mark.parametrize("double_quant", [False, True])
def test_nf4_round_trip_error_bound(double_quant):
    w = torch.randn(300, 130, generator=torch.Generator().manual_seed(0)) * 0.05
    q = quantize_nf4(w, block_size=64, double_quant=double_quant, dq_block_size=256)
    back = dequantize_nf4(q)
    assert back.shape == w.shape and back.dtype == torch.float32
    levels = nf4_levels()
    half_gap = ((levels[1:] - levels[:-1]) / 2).max()  # 0.1519..., between -1 and -0.696
    # Per block: rounding to the nearest level, plus what clipping to a slightly smaller
    # dequantized absmax loses.
    absmax = torch.nn.functional.pad(w.reshape(-1), (0, 40)).view(-1, 64).abs().amax(1)
    scales = q.scales()
    bound = half_gap * scales + (absmax - scales).clamp(min=0) + 1e-7
    err = torch.nn.functional.pad((w - back).abs().reshape(-1), (0, 40)).view(-1, 64)
    assert (err <= bound[:, None]).all()
    rms = ((w - back).pow(2).mean().sqrt() / w.std()).item()
    assert 0.08 < rms < 0.10  # NF4 on Gaussian weights: ~9% RMS error


def test_double_quant_constants_are_smaller():
    w = torch.randn(300, 130, generator=torch.Generator().manual_seed(0))
    plain = quantize_nf4(w, 64, double_quant=False)
    dq = quantize_nf4(w, 64, double_quant=True, dq_block_size=256)
    n_blocks = -(-w.numel() // 64)  # 610
    assert plain.constants_nbytes() == 4 * n_blocks == 2440
    # int8 per block + one float32 scale per 256 blocks + the float32 offset
    assert dq.constants_nbytes() == n_blocks + 4 * 3 + 4 == 626
    assert dq.absmax_q.dtype == torch.int8 and dq.codes.dtype == torch.uint8
    assert dq.codes.numel() == n_blocks * 64 // 2  # two 4-bit codes a byte, last block padded
    assert (dq.scales() - plain.absmax).abs().max() <= plain.absmax.max() / 127


def test_lora_starts_as_the_base_and_trains_only_adapters():
    model = tiny()
    src, tgt = batch()
    before = model(src, tgt)[0]
    names = apply_lora(model, LoRAConfig(rank=4, alpha=8))
    assert len(names) == 2 * 4 + 2 * 7  # encoder: qkv proj fc proj; decoder adds q kv proj
    assert "decoder.1.cross.kv" in names and "lm_head" not in names
    assert torch.equal(model(src, tgt)[0], before)  # B = 0
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {f"{n}.lora_{m}" for n in names for m in "AB"}


def adapted(seed=0, **lora) -> NMT:
    model = tiny(seed)
    apply_lora(model, LoRAConfig(**({"rank": 4, "alpha": 8} | lora)))
    torch.manual_seed(seed + 1)
    for layer in lora_layers(model).values():
        torch.nn.init.normal_(layer.lora_B, std=0.05)
    return model


def test_merge_matches_and_unmerge_restores_exactly():
    model = adapted()
    src, tgt = batch()
    unmerged = model(src, tgt)[0]
    weights = {n: layer.base.weight.detach().clone() for n, layer in lora_layers(model).items()}
    merge(model)
    assert all(layer.merged for layer in lora_layers(model).values())
    merged = model(src, tgt)[0]
    assert not torch.equal(merged, model.lm_head(torch.zeros(1, 32)))  # a real output
    assert torch.allclose(merged, unmerged, atol=1e-5, rtol=0)
    changed = [n for n, layer in lora_layers(model).items()
               if not torch.equal(layer.base.weight, weights[n])]
    assert len(changed) == len(weights)  # merging really changed every weight
    unmerge(model)
    assert all(torch.equal(layer.base.weight, weights[n]) for n, layer in lora_layers(model).items())
    assert torch.equal(model(src, tgt)[0], unmerged)


def test_targets_by_pattern():
    model = tiny()
    names = apply_lora(model, LoRAConfig(targets=["decoder.*.cross.q", "encoder.1.mlp.*"]))
    assert names == ["encoder.1.mlp.fc", "encoder.1.mlp.proj", "decoder.0.cross.q",
                     "decoder.1.cross.q"]
    with pytest.raises(SpecError, match="no layer matches the LoRA targets"):
        apply_lora(tiny(), LoRAConfig(targets=["nothing.*"]))


def test_qlora_base_is_nf4_and_frozen():
    model = tiny()
    src, tgt = batch()
    full = model(src, tgt)[0]
    config = LoRAConfig(rank=4, alpha=8)
    quantized = quantize_model(model, config)
    apply_lora(model, config)
    assert isinstance(model.encoder[0].attn.qkv.base, Linear4bit)
    assert len(quantized) == 22
    assert not any(p.requires_grad for n, p in model.named_parameters() if "lora_" not in n)
    logits, loss = model(src, tgt[:, :-1], tgt[:, 1:])
    assert (logits - full[:, :-1]).abs().max() < 0.05  # close to the full-precision base
    loss.backward()
    assert model.decoder[0].cross.q.lora_B.grad.abs().sum() > 0
    buffers = dict(model.named_buffers())
    assert buffers["encoder.0.attn.qkv.base.codes"].dtype == torch.uint8


def test_merged_state_dict_reproduces_the_adapted_model():
    for quantize in (False, True):
        model = tiny()
        config = LoRAConfig(rank=4, alpha=8)
        if quantize:
            quantize_model(model, config)
        apply_lora(model, config)
        for layer in lora_layers(model).values():
            torch.nn.init.normal_(layer.lora_B, std=0.05)
        plain = NMT(model.config).eval()
        plain.load_state_dict(merged_state_dict(model))
        src, tgt = batch()
        assert torch.allclose(plain(src, tgt)[0], model(src, tgt)[0], atol=1e-5, rtol=0)


def test_adapter_file_round_trip(tmp_path):
    model = adapted(rank=2, alpha=4, targets=["decoder.*"])
    path = tmp_path / "sw.safetensors"
    save_adapter(path, model, LoRAConfig(rank=2, alpha=4, targets=["decoder.*"]),
                 {"d_model": 32, "vocab_size": 48}, quantized=True)
    with safe_open(str(path), framework="pt") as f:
        meta, keys = f.metadata(), sorted(f.keys())
    info = json.loads(meta["polyglot_lora"])
    assert info["quantized"] is True and info["lora"]["rank"] == 2
    assert keys[:2] == ["decoder.0.attn.proj.lora_A", "decoder.0.attn.proj.lora_B"]
    assert len(keys) == 2 * 2 * 7
    fresh = tiny()
    config = load_adapter(fresh, path, quantize=False)
    assert config.targets == ["decoder.*"]
    src, tgt = batch()
    assert torch.equal(fresh(src, tgt)[0], model(src, tgt)[0])
    quantized = tiny()
    load_adapter(quantized, path)  # NF4 base, as it was trained
    assert isinstance(quantized.decoder[0].attn.proj.base, Linear4bit)


def test_adapter_refuses_another_base(tmp_path):
    model = adapted()
    path = tmp_path / "a.safetensors"
    save_adapter(path, model, LoRAConfig(rank=4, alpha=8), {"d_model": 64}, quantized=False)
    with pytest.raises(SpecError, match="adapter was trained on another base model") as err:
        load_adapter(tiny(), path)
    assert err.value.found == "differs in d_model"


def test_merge_refuses_a_quantized_base():
    layer = LoRALinear(Linear4bit.from_linear(torch.nn.Linear(8, 4), LoRAConfig()), LoRAConfig())
    with pytest.raises(TypeError, match="quantized base"):
        layer.merge()
