import json
import math
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from polyglot.cli import cli
from polyglot.errors import SpecError
from polyglot.nmt import distributed as pdist
from polyglot.nmt.checkpoint import list_checkpoints, load_state
from polyglot.nmt.lora import load_adapter
from polyglot.nmt.model import NMT, NMTConfig
from polyglot.nmt.schedule import ScheduleConfig
from polyglot.nmt.train import (DataConfig, RunConfig, TokenizedDataset, TrainConfig, Trainer,
                                build_model, collate, epoch_order, info_nce, load_config, load_tokenizer,
                                read_records, run, tokenize_records)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "parallel.tsv"



# ---------------------------------------------------------------------------------------
# Helpers: synthetic integer data and a ~25k-parameter model
# ---------------------------------------------------------------------------------------

def synthetic(n_groups=24, langs=4, seed=0) -> TokenizedDataset:
    """Each group: one random body, its 'sentence' in `langs` shifted vocabularies."""
    g = torch.Generator().manual_seed(seed)
    examples = []
    for group in range(n_groups):
        n = int(torch.randint(3, 9, (1,), generator=g))
        body = torch.randint(20, 60, (n,), generator=g).tolist()
        for lang in range(langs):
            src = [4 + lang] + [(b + 7 * lang) % 56 + 8 for b in body]
            examples.append((src, [12] + body + [3], group))
    return TokenizedDataset.from_examples(examples)


def config(tmp_path, dropout=0.0, **train) -> TrainConfig:
    run_args = dict(out_dir=str(tmp_path / "run"), device="cpu", max_steps=8, batch_size=8,
                    progress=False, log_every=1, save_every=0)
    return TrainConfig(
        model=NMTConfig(vocab_size=64, d_model=32, n_heads=2, n_enc_layers=2, n_dec_layers=2,
                        d_ff=64, dropout=dropout, max_len=32),
        data=DataConfig(max_src_len=24, max_tgt_len=24),
        schedule=ScheduleConfig(kind="cosine", max_lr=3e-3, min_lr=3e-4, period=8),
        train=RunConfig(**(run_args | train)))


def trainer(cfg, data=None, **kwargs) -> Trainer:
    data = synthetic() if data is None else data
    return Trainer(cfg, build_model(cfg), data, resume=False, save=False, **kwargs)


def grads(t: Trainer) -> dict[str, torch.Tensor]:
    return {n: p.grad.clone() for n, p in t.module.named_parameters() if p.grad is not None}


# ---------------------------------------------------------------------------------------
# Config
# ---------------------------------------------------------------------------------------

def write(tmp_path, text, name="c.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_config_reads_tables_and_coerces(tmp_path):
    path = write(tmp_path, """\
        [model]
        d_model = 64
        [schedule]
        kind = "cyclic"
        max_lr = 1
        [train]
        grad_checkpoint = ["encoder.*"]
        """)
    c = load_config(path, overrides=["train.max_steps=5", "schedule.mode=triangular2"])
    assert c.model.d_model == 64 and c.model.n_heads == NMTConfig().n_heads
    assert c.schedule.max_lr == 1.0 and isinstance(c.schedule.max_lr, float)
    assert c.schedule.mode == "triangular2" and c.train.max_steps == 5
    assert c.train.grad_checkpoint == ["encoder.*"]


def test_unknown_key_is_located(tmp_path):
    path = write(tmp_path, "[model]\nd_model = 64\n\n[train]\n  max_step = 10\n")
    with pytest.raises(SpecError) as err:
        load_config(path)
    assert str(err.value) == (f"{path}:5:3: error: train.max_step: unknown key 'max_step' in "
                              "[train] (did you mean `max_steps`?)")


def test_wrong_type_is_located(tmp_path):
    path = write(tmp_path, '[train]\nbatch_size = "32"\nprogress = 1\n')
    with pytest.raises(SpecError) as err:
        load_config(path)
    e = err.value
    assert (e.line, e.path, e.expected, e.found) == (2, "train.batch_size", "an integer", "'32'")
    path = write(tmp_path, "[train]\nmax_steps = true\n")
    with pytest.raises(SpecError, match="expected an integer, found True"):
        load_config(path)
    path = write(tmp_path, "[train]\ngrad_checkpoint = [1]\n")
    with pytest.raises(SpecError, match="expected a list of strings, found \\[1\\]"):
        load_config(path)


def test_unknown_table_bad_value_and_bad_toml(tmp_path):
    with pytest.raises(SpecError) as err:
        load_config(write(tmp_path, "[trian]\nseed = 1\n"))
    assert err.value.line == 1 and err.value.hint == "did you mean `train`?"
    with pytest.raises(SpecError) as err:
        load_config(write(tmp_path, "# model\n[model]\nd_model = 30\nn_heads = 4\n"))
    assert (err.value.message, err.value.line, err.value.path) == (
        "d_model 30 is not a multiple of n_heads 4", 2, "model")
    with pytest.raises(SpecError) as err:
        load_config(write(tmp_path, "[train]\nseed = \n"))
    assert err.value.message.startswith("invalid TOML") and err.value.line == 2
    with pytest.raises(SpecError, match="table \\[model\\] is not read here"):
        load_config(write(tmp_path, "[model]\nd_model = 64\n"), tables=("train", "lora"))


def test_cross_field_checks(tmp_path):
    with pytest.raises(SpecError) as err:
        trainer(replace(config(tmp_path), train=replace(config(tmp_path).train, precision="fp8")))
    assert (err.value.path, err.value.expected) == ("train.precision", "fp32, bf16, fp16")


@pytest.mark.parametrize("name", ["tiny.toml", "gpu.toml", "lora.toml"])
def test_shipped_configs_parse(name):
    c = load_config(ROOT / "configs" / name)
    assert c.train.out_dir.startswith("out/")


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------

def test_epoch_order_keeps_parallel_examples_together():
    groups = torch.arange(30).repeat_interleave(5)[torch.randperm(150, generator=torch.Generator().manual_seed(3))]
    order = epoch_order(groups, seed=0, epoch=0, group_size=2)
    assert sorted(order.tolist()) == list(range(150))
    runs = groups[order].tolist()
    # runs of a group are 2, 2, 1 long (5 examples a group): count pairs side by side
    pairs = sum(runs[i] == runs[i + 1] for i in range(0, 150 - 1))
    assert pairs >= 60
    assert torch.equal(order, epoch_order(groups, 0, 0, 2))
    assert not torch.equal(order, epoch_order(groups, 0, 1, 2))
    assert not torch.equal(order, epoch_order(groups, 1, 0, 2))


def test_fast_collate_equals_collate():
    ds = synthetic()
    idx = [5, 0, 77, 31, 95]
    fast, slow = ds.collate(idx), collate([ds[i] for i in idx])
    lengths = [len(ds[i][0]) for i in idx]
    assert len(set(lengths)) > 1  # so there is padding to get right
    assert fast.src.shape == (5, max(lengths)) and fast.src.dtype == torch.long
    for name in ("src", "tgt_in", "tgt_out", "groups"):
        assert torch.equal(getattr(fast, name), getattr(slow, name)), name
    assert (fast.src != 0).sum(1).tolist() == lengths and fast.tgt_in[:, 0].tolist() == [12] * 5


def records_file(tmp_path) -> Path:
    rows = [line.split("\t") for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    langs = rows[0][:-1]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(
        json.dumps({"id": f"r{i}", "src": {lang: f"<{lang}> {text}" for lang, text in zip(langs, row)},
                    "body": row[-1]}, ensure_ascii=False) + "\n"
        for i, row in enumerate(rows[1:])), encoding="utf-8")
    return path


def test_records_tokenize_into_parallel_groups(tmp_path):
    path = records_file(tmp_path)
    data = DataConfig(train=str(path), tokenizer=str(tmp_path / "tok.model"), vocab_size=1000,
                      langs=["en", "ru", "zh"], reverse=True)
    tok = load_tokenizer(data, pdist.DistEnv())
    ds = tokenize_records(read_records(path), tok, data)
    assert len(ds) == 10 * 3 * 2 and ds.groups.tolist()[:6] == [0] * 6
    src, tgt, group = ds[0]
    assert src[0] == tok.lang_id("en") and tgt[0] == tok.lang_id("body") and tgt[-1] == 3
    assert tok.decode(tgt) == "sum(prices)" and tok.decode(src) == "Returns the sum of all prices."
    src, tgt, _ = ds[1]  # the reverse direction
    assert src[0] == tok.lang_id("body") and tgt[0] == tok.lang_id("en")


def test_synthetic_records_format(tmp_path):
    dataset = pytest.importorskip("polyglot.data.dataset")
    record = {"id": "s1", "name": "double", "params": [{"name": "x", "type": "Int"}],
              "returns": "Int", "records": [], "enums": [], "body": "x * 2",
              "words": {"en": {"given": "", "when": "", "then": "returns x times 2"}}}
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(record) + "\n")
    from polyglot.nmt.train import source_lines

    line = dataset.source_text(record, "en")
    assert line.startswith("<en> ")
    assert source_lines(next(read_records(path))) == {"en": line.removeprefix("<en> ")}


def test_bad_records_are_located(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "src": {"en": "<en> a"}, "body": "x"}\n\n{"id": 2,\n')
    with pytest.raises(SpecError) as err:
        list(read_records(path))
    assert (err.value.file, err.value.line) == (str(path), 3)
    path.write_text('{"id": 1, "text": "a"}\n')
    with pytest.raises(SpecError, match="not a parallel record"):
        list(read_records(path))


# ---------------------------------------------------------------------------------------
# The step: accumulation, checkpointing, precision, contrastive term
# ---------------------------------------------------------------------------------------

def test_accumulating_4x8_equals_one_batch_of_32(tmp_path):
    whole = trainer(config(tmp_path, batch_size=32, grad_accum=1))
    parts = trainer(config(tmp_path, batch_size=8, grad_accum=4))
    tokens_whole, sums_whole = whole.backward()
    tokens_parts, sums_parts = parts.backward()
    assert tokens_whole == tokens_parts and whole.position == parts.position == 32
    torch.testing.assert_close(sums_parts, sums_whole)
    a, b = grads(whole), grads(parts)
    assert a.keys() == b.keys() and len(a) == len(list(whole.module.parameters())) == 35
    for name in a:
        torch.testing.assert_close(b[name], a[name], rtol=1e-5, atol=1e-7)


def test_gradient_checkpointing_gives_the_same_gradients(tmp_path):
    plain = trainer(config(tmp_path, dropout=0.1))
    ckpt = trainer(config(tmp_path, dropout=0.1, grad_checkpoint=["encoder.*", "decoder.1"]))
    assert ckpt.checkpointed == ["encoder.0", "encoder.1", "decoder.1"]
    assert list(ckpt.nmt.state_dict()) == list(plain.nmt.state_dict())  # names unchanged
    for t in (plain, ckpt):
        torch.manual_seed(1)  # the same dropout masks
        t.backward()
    a, b = grads(plain), grads(ckpt)
    assert a.keys() == b.keys()
    assert all(torch.equal(a[n], b[n]) for n in a)  # dropout masks replayed exactly


def test_bf16_loss_close_to_fp32(tmp_path):
    fp32 = trainer(config(tmp_path, batch_size=16))
    bf16 = trainer(config(tmp_path, batch_size=16, precision="bf16"))
    (t32, s32), (t16, s16) = fp32.backward(), bf16.backward()
    ce32, ce16 = (s32[0] / t32).item(), (s16[0] / t16).item()
    assert abs(ce16 - ce32) < 0.01 * ce32 and ce16 != ce32
    g32 = torch.cat([g.flatten() for g in grads(fp32).values()])
    g16 = torch.cat([g.flatten() for g in grads(bf16).values()])
    assert torch.nn.functional.cosine_similarity(g32, g16, dim=0) > 0.99


def test_fp16_with_loss_scaling(tmp_path):
    t = trainer(config(tmp_path, precision="fp16"))
    rows = [t.train_step() for _ in range(3)]
    assert all(math.isfinite(r["loss"]) for r in rows)
    assert rows[0]["loss_scale"] == 65536.0
    assert t.state()["scaler"]["scale"] == rows[-1]["loss_scale"]


def test_info_nce_value():
    e1, e2 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    z = torch.stack([e1, e1, e2, e2])
    # Each row: one positive at similarity 1, two negatives at 0: -log(e / (e + 2)).
    assert info_nce(z, torch.tensor([0, 0, 1, 1]), 1.0).item() == pytest.approx(
        math.log(1 + 2 / math.e), abs=1e-6)
    # Row 3 has no positive and is no anchor; rows 0, 1 see 1 positive and 2 negatives.
    loss = info_nce(z, torch.tensor([0, 0, 1, 2]), 1.0)
    assert loss.item() == pytest.approx(math.log(1 + 2 / math.e), abs=1e-6)
    alone = torch.randn(3, 2, requires_grad=True)
    zero = info_nce(alone, torch.tensor([0, 1, 2]), 0.1)
    zero.backward()
    assert zero.item() == 0.0 and torch.equal(alone.grad, torch.zeros(3, 2))


def test_contrastive_term_pulls_parallel_sentences_together(tmp_path):
    cfg = config(tmp_path, batch_size=16, contrastive_weight=1.0, max_steps=30)
    cfg = replace(cfg, schedule=ScheduleConfig(kind="constant", max_lr=3e-3))
    t = trainer(cfg)
    rows = [t.train_step() for _ in range(30)]
    assert rows[-1]["contrastive"] < 0.5 * rows[0]["contrastive"]


# ---------------------------------------------------------------------------------------
# Checkpoints: stop and resume, and SIGKILL
# ---------------------------------------------------------------------------------------

def test_stop_and_resume_in_process(tmp_path):
    cfg = config(tmp_path, dropout=0.1, save_every=3, contrastive_weight=0.5)
    data = synthetic()
    stopper = lambda t: t.request_stop() if t.step == 4 else None  # noqa: E731
    first = Trainer(cfg, build_model(cfg), data, on_step=stopper).fit()
    assert first["status"] == "stopped" and first["step"] == 4
    assert [s for s, _ in list_checkpoints(cfg.train.out_dir)] == [3, 4]
    second = Trainer(cfg, build_model(cfg), data)
    assert (second.step, second.epoch, second.position) == (4, 0, 32)  # 8 examples a step
    assert second.fit()["status"] == "done"
    ref_cfg = replace(cfg, train=replace(cfg.train, out_dir=str(tmp_path / "ref")))
    Trainer(ref_cfg, build_model(ref_cfg), data).fit()
    a = load_state(list_checkpoints(cfg.train.out_dir)[-1][1])
    b = load_state(list_checkpoints(ref_cfg.train.out_dir)[-1][1])
    assert a["step"] == b["step"] == 8
    assert all(torch.equal(a["model"][k], b["model"][k]) for k in b["model"])
    with pytest.raises(SpecError, match="out_dir already holds checkpoints"):
        Trainer(replace(cfg, train=replace(cfg.train, resume=False)), build_model(cfg), data)


def identical(a, b) -> bool:
    """Equal trees: same types, same values, tensors equal in dtype, shape and every bit."""
    if isinstance(a, torch.Tensor):
        return (isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape
                and torch.equal(a.reshape(-1).view(torch.uint8), b.reshape(-1).view(torch.uint8)))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(identical(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(identical, a, b))
    return type(a) is type(b) and a == b


KILLABLE = """\
import sys, time, torch
torch.set_num_threads(1)
from polyglot.nmt import train
def hold(trainer):
    if trainer.step == int(sys.argv[2]):
        print("holding at", trainer.step, flush=True)
        time.sleep(300)
train.run(train.load_config(sys.argv[1]), on_step=hold)
"""


def jsonl_config(tmp_path, out: str, **train) -> Path:
    records = records_file(tmp_path)
    lines = {"model": dict(vocab_size=0, d_model=32, n_heads=2, n_enc_layers=1, n_dec_layers=1,
                           d_ff=64, dropout=0.1, max_len=48),
             "data": dict(train=str(records), valid=str(records), tokenizer=str(tmp_path / "tok.model"),
                          vocab_size=1000, langs=["en", "ru", "de", "fr"], max_src_len=48, max_tgt_len=24),
             "schedule": dict(kind="cyclic", max_lr=1e-2, min_lr=1e-3, step_size=3),
             "train": dict(out_dir=str(tmp_path / out), device="cpu", max_steps=8, batch_size=4,
                           grad_accum=2, save_every=2, keep_checkpoints=2, log_every=1,
                           eval_every=4, eval_batches=2, contrastive_weight=0.2,
                           progress=False) | train}
    text = "".join(f"[{table}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items())
                   for table, values in lines.items())
    return write(tmp_path, text, f"{out}.toml")


def test_sigkill_then_resume_gives_identical_weights(tmp_path):
    killed_cfg = jsonl_config(tmp_path, "killed")
    ref = load_config(jsonl_config(tmp_path, "ref"))
    load_tokenizer(ref.data, pdist.DistEnv())  # both runs share it
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(script), str(killed_cfg), "5"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line == "holding at 5\n", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)  # steps 5 is lost: the newest checkpoint is 4
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    out = tmp_path / "killed"
    assert [s for s, _ in list_checkpoints(out)] == [2, 4]
    resumed = subprocess.run([sys.executable, str(script), str(killed_cfg), "-1"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert run(ref)["status"] == "done"
    a = load_state(out / "ckpt-00000008.safetensors")
    b = load_state(tmp_path / "ref" / "ckpt-00000008.safetensors")
    for part in ("model", "optimizer", "rng", "data", "scaler", "step"):
        assert identical(a[part], b[part]), part  # bit for bit
    exported = NMT.load(out / "model.safetensors").state_dict()
    assert all(torch.equal(v, b["model"][f"nmt.{k}"]) for k, v in exported.items())
    drop = lambda path: [{k: v for k, v in json.loads(r).items() if k != "tokens_per_s"}  # noqa: E731
                         for r in path.read_text().splitlines()]
    assert drop(out / "metrics.jsonl") == drop(tmp_path / "ref" / "metrics.jsonl")


# ---------------------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------------------

def test_cli_train_then_finetune(tmp_path):
    cfg = jsonl_config(tmp_path, "base", max_steps=4, eval_every=0, save_every=0)
    runner = CliRunner()
    result = runner.invoke(cli, ["train", "--config", str(cfg), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["status"] == "done" and out["step"] == 4 and set(out["eval"]) == {
        "step", "valid_ce", "valid_retrieval"}
    base = Path(out["model"])
    model = NMT.load(base)
    assert model.config.vocab_size % 64 == 0 and model.config.d_model == 32
    # Again with more steps: resumes at 4.
    result = runner.invoke(cli, ["train", "--config", str(cfg), "--set", "train.max_steps=6"])
    assert result.exit_code == 0 and result.output.startswith("done at step 6"), result.output
    rows = [json.loads(r) for r in (tmp_path / "base" / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows if "loss" in r] == [1, 2, 3, 4, 5, 6]

    lora_cfg = write(tmp_path, f"""\
        [data]
        train = "{tmp_path / 'train.jsonl'}"
        tokenizer = "{tmp_path / 'tok.model'}"
        langs = ["sw"]
        max_src_len = 48
        max_tgt_len = 24
        [schedule]
        kind = "constant"
        max_lr = 1e-2
        [train]
        out_dir = "{tmp_path / 'ft'}"
        device = "cpu"
        max_steps = 3
        batch_size = 4
        progress = false
        [lora]
        rank = 2
        targets = ["decoder.*"]
        """, "lora.toml")
    for method in ("--qlora", "--lora"):
        adapter = tmp_path / f"sw{method}.safetensors"
        result = runner.invoke(cli, ["finetune", method, "--model", str(base), "--config",
                                     str(lora_cfg), "--out", str(adapter), "--json",
                                     "--set", f"train.out_dir={tmp_path / method}"])
        assert result.exit_code == 0, result.output
        out = json.loads(result.output.strip().splitlines()[-1])
        # rank 2 x (in + out) over qkv 32->96, proj, q 32->32, kv 32->64, proj, fc 32->64, proj
        assert out["status"] == "done" and out["layers"] == 7
        assert out["trainable"] == 2 * (128 + 64 + 64 + 96 + 64 + 96 + 96) == 1216
        assert adapter.stat().st_size < base.stat().st_size / 5
        adapted = NMT.load(base)
        assert load_adapter(adapted, adapter).rank == 2
    result = runner.invoke(cli, ["finetune", "--model", str(base), "--config", str(cfg)])
    assert result.exit_code == 2 and "table [model] is not read here" in result.output


def test_cli_reports_config_errors(tmp_path):
    cfg = write(tmp_path, "[train]\nmax_stpes = 3\n")
    result = CliRunner().invoke(cli, ["train", "--config", str(cfg)])
    assert result.exit_code == 2
    assert f"{cfg}:2:1: error: train.max_stpes: unknown key" in result.output


def test_cli_find_lr(tmp_path):
    cfg = jsonl_config(tmp_path, "lr")
    result = CliRunner().invoke(cli, ["train", "--config", str(cfg), "--find-lr",
                                      "--lr-range", "1e-4", "1", "6", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    lrs = [row[1] for row in out["rows"]]
    assert lrs[0] == 1e-4 and all(a < b for a, b in zip(lrs, lrs[1:])) and len(lrs) <= 6
    assert Path(out["file"]).name in ("lr_find.csv", "lr_find.png") and Path(out["file"]).exists()
    assert list_checkpoints(tmp_path / "lr") == []


def test_config_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf[train]\nmax_steps = 3\n")
    assert load_config(path).train.max_steps == 3
