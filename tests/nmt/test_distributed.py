"""FSDP and ZeRO-1 in 2 CPU processes (gloo) against one process reading the same examples."""
import json
import os
import socket
from dataclasses import replace
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp

from polyglot.nmt import distributed as pdist
from polyglot.nmt.checkpoint import list_checkpoints, load_state
from polyglot.nmt.model import NMTConfig
from polyglot.nmt.schedule import ScheduleConfig
from polyglot.nmt.train import (DataConfig, RunConfig, TokenizedDataset, TrainConfig, Trainer,
                                build_model)

STEPS = 3


def synthetic() -> TokenizedDataset:
    """16 groups of one body in 2 shifted 'languages'."""
    g = torch.Generator().manual_seed(0)
    examples = []
    for group in range(16):
        body = torch.randint(20, 60, (int(torch.randint(3, 8, (1,), generator=g)),), generator=g)
        for lang in range(2):
            examples.append(([4 + lang] + ((body + 7 * lang) % 56 + 8).tolist(),
                             [12] + body.tolist() + [3], group))
    return TokenizedDataset.from_examples(examples)


def config(out_dir: Path, strategy: str, batch_size: int, grad_accum: int) -> TrainConfig:
    return TrainConfig(
        model=NMTConfig(vocab_size=64, d_model=32, n_heads=2, n_enc_layers=2, n_dec_layers=2,
                        d_ff=64, dropout=0.0, max_len=16),
        data=DataConfig(max_src_len=16, max_tgt_len=16),
        schedule=ScheduleConfig(kind="constant", max_lr=3e-3),
        train=RunConfig(out_dir=str(out_dir), device="cpu", strategy=strategy, max_steps=STEPS,
                        batch_size=batch_size, grad_accum=grad_accum, contrastive_weight=0.5,
                        progress=False))


def worker(rank: int, world: int, port: int, root: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank),
                      WORLD_SIZE=str(world), LOCAL_RANK=str(rank))
    torch.set_num_threads(1)
    losses = {}
    try:
        for strategy in ("fsdp", "zero1"):
            cfg = config(Path(root) / strategy, strategy, batch_size=4, grad_accum=1)
            t = Trainer(cfg, build_model(cfg), synthetic(), resume=False)
            assert t.env.world_size == 2 and t.env.rank == rank
            losses[strategy] = [t.train_step()["loss"] for _ in range(STEPS)]
            t.save()  # gathers the shards; rank 0 writes
            again = Trainer(cfg, build_model(cfg), synthetic(), resume=True)  # loads, shards
            losses[f"{strategy} resumed"] = [again.train_step()["loss"], t.train_step()["loss"]]
        # Both ranks done before either leaves: a rank that tears gloo down while its peer
        # still talks to it can abort the peer ("terminate called without an active exception").
        torch.distributed.barrier()
    finally:
        pdist.teardown()
    (Path(root) / f"losses{rank}.json").write_text(json.dumps(losses))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    root = tmp_path_factory.mktemp("dist")
    mp.spawn(worker, args=(2, free_port(), str(root)), nprocs=2, join=True)
    return root


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """One process, one batch of 8: the same 8 examples a step as 2 processes x 4, whose
    contrastive term sees all 8 (each process gathers the others' embeddings)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    cfg = config(tmp_path_factory.mktemp("single"), "none", batch_size=8, grad_accum=1)
    t = Trainer(cfg, build_model(cfg), synthetic(), resume=False)
    losses = [t.train_step()["loss"] for _ in range(STEPS)]
    t.save()
    torch.set_num_threads(threads)
    return cfg, losses, load_state(list_checkpoints(cfg.train.out_dir)[-1][1])


@pytest.mark.parametrize("strategy", ["fsdp", "zero1"])
def test_two_processes_match_one(two_processes, single, strategy):
    _, expected, _ = single
    for rank in (0, 1):  # every process reports the global loss
        got = json.loads((two_processes / f"losses{rank}.json").read_text())[strategy]
        assert got == pytest.approx(expected, rel=1e-5)
    assert expected[-1] < expected[0]
    resumed, going_on = json.loads((two_processes / "losses0.json").read_text())[f"{strategy} resumed"]
    assert resumed == going_on  # the checkpoint held the whole state, shards reassembled


@pytest.mark.parametrize("strategy", ["fsdp", "zero1"])
def test_checkpoint_is_whole_and_resumes_in_one_process(two_processes, single, strategy):
    cfg, _, reference = single
    path = list_checkpoints(two_processes / strategy)[-1][1]
    state = load_state(path)
    assert state["step"] == STEPS and state["world_size"] == 2 and len(state["rng"]) == 2
    assert state["model"].keys() == reference["model"].keys()
    for name, weight in reference["model"].items():
        torch.testing.assert_close(state["model"][name], weight, rtol=1e-4, atol=1e-5)
    assert state["optimizer"]["state"].keys() == reference["optimizer"]["state"].keys()
    assert state["optimizer"]["param_groups"][0]["params"][:2] == ["nmt.tok_emb.weight",
                                                                   "nmt.encoder.0.attn.qkv.weight"]
    resumed = Trainer(replace(cfg, train=replace(cfg.train, out_dir=str(two_processes / strategy),
                                                 max_steps=STEPS + 1)),
                      build_model(cfg), synthetic(), save=False)
    assert (resumed.step, resumed.position) == (STEPS, STEPS * 8)
    assert resumed.train_step()["step"] == STEPS + 1
