"""Several processes, one model: DDP, FSDP (ZeRO-3 style) or ZeRO-1, all PyTorch's own.

`torchrun --nproc_per_node N -m polyglot train ...` starts N copies of the trainer; each
reads its rank from the environment torchrun sets, and this module gives the trainer the
few operations that differ by strategy:

- ``ddp``: every process holds the whole model and optimizer; gradients are averaged.
- ``fsdp``: parameters, gradients and optimizer moments are sharded across processes
  (``torch.distributed.fsdp.fully_shard``, one unit per transformer block plus the root);
  a block's weights are gathered only while it computes.
- ``zero1``: DDP for the model, ``ZeroRedundancyOptimizer`` for the optimizer: each
  process keeps the Adam moments of its share of the parameters only.

On CUDA the backend is NCCL, elsewhere gloo (what the CPU tests use). Checkpoints hold
full, unsharded tensors, so a run can resume under another strategy or process count.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass

import torch
import torch.distributed as dist
import torch.nn as nn

STRATEGIES = ("none", "ddp", "fsdp", "zero1")


@dataclass(frozen=True)
class DistEnv:
    """Where this process stands: its rank among `world_size` and its device."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        """The process that writes files and prints."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def is_main_process() -> bool:
    """Whether this is the first (or only) process; under torchrun every process runs the
    same command, and only this one should print."""
    return os.environ.get("RANK", "0") == "0"


def setup(strategy: str, device: str = "auto") -> DistEnv:
    """Join the process group torchrun describes (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_*).

    Args:
        strategy: one of `STRATEGIES`; "none" refuses to run in several processes.
        device: "auto" (this process's GPU if there is one, else the CPU), "cpu", "cuda".

    Returns:
        The `DistEnv`; a single process needs no process group.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local_rank = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    if world > 1 and strategy == "none":
        raise ValueError(f"{world} processes need train.strategy ddp, fsdp or zero1")
    use_cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    if use_cuda:
        dev = torch.device("cuda", local_rank)
        torch.cuda.set_device(dev)
    else:
        dev = torch.device(device if device not in ("auto", "cuda") else "cpu")
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if use_cuda else "gloo", rank=rank, world_size=world,
                                device_id=dev if use_cuda else None)
    return DistEnv(rank, world, local_rank, dev)


def teardown() -> None:
    """Leave the process group, if one was joined."""
    if dist.is_initialized():
        dist.destroy_process_group()


def wrap(module: nn.Module, strategy: str, env: DistEnv, units: Iterable[nn.Module]) -> nn.Module:
    """Make `module` data-parallel.

    Args:
        module: the training module, already on `env.device`.
        strategy: one of `STRATEGIES`.
        env: from `setup`.
        units: FSDP's sharding units (the transformer blocks); the root gets the rest.

    Returns:
        The module to call in training (`module` itself in one process and under FSDP).
    """
    if not env.distributed:
        return module
    if strategy == "fsdp":
        from torch.distributed.fsdp import fully_shard

        for unit in units:
            fully_shard(unit)
        fully_shard(module)
        return module
    from torch.nn.parallel import DistributedDataParallel

    return DistributedDataParallel(module, device_ids=[env.device] if env.device.type == "cuda"
                                   else None)


def gather_rows(x: torch.Tensor, env: DistEnv) -> tuple[torch.Tensor, int]:
    """Every process's rows of `x` (the same shape in each), concatenated in rank order;
    gradients flow back to the process that owns each row.

    Returns:
        (the gathered tensor, the index of this process's first row in it).
    """
    if not env.distributed:
        return x, 0
    from torch.distributed.nn.functional import all_gather

    parts = all_gather(x) if x.requires_grad else _all_gather_plain(x)
    return torch.cat(parts), x.size(0) * env.rank


def _all_gather_plain(x: torch.Tensor) -> list[torch.Tensor]:
    parts = [torch.empty_like(x) for _ in range(dist.get_world_size())]
    dist.all_gather(parts, x.contiguous())
    return parts


def make_optimizer(groups: list[dict], strategy: str, env: DistEnv, **adamw) -> torch.optim.Optimizer:
    """AdamW over parameter groups; under ``zero1`` its state is sharded across processes."""
    if strategy == "zero1" and env.distributed:
        from torch.distributed.optim import ZeroRedundancyOptimizer

        return ZeroRedundancyOptimizer(groups, optimizer_class=torch.optim.AdamW, **adamw)
    return torch.optim.AdamW(groups, **adamw)


def full_state(module: nn.Module, optimizer: torch.optim.Optimizer, strategy: str, env: DistEnv
               ) -> tuple[dict, dict]:
    """Unsharded model and optimizer state dicts on the CPU; every process must call this
    (it gathers), and only the main process is sure to get them whole.

    Returns:
        (model state, optimizer state), keyed by parameter name.
    """
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_state_dict

    if strategy == "zero1" and env.distributed:
        optimizer.consolidate_state_dict(to=0)
        osd = _by_name(optimizer.state_dict(), _names(module, optimizer)) if env.is_main else {}
        return {k: v.cpu() for k, v in module.module.state_dict().items()}, osd
    options = StateDictOptions(full_state_dict=True, cpu_offload=True)
    return get_state_dict(module, optimizer, options=options)


def load_full_state(module: nn.Module, optimizer: torch.optim.Optimizer, model_state: dict,
                    optim_state: dict, strategy: str, env: DistEnv) -> None:
    """Load what `full_state` returned (every process passes the whole state; each keeps
    its shard)."""
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_state_dict

    if strategy == "zero1" and env.distributed:
        module.module.load_state_dict(model_state)
        index = {name: i for i, name in enumerate(_names(module, optimizer))}
        optimizer.load_state_dict(_by_name(optim_state, index))
        return
    set_state_dict(module, optimizer, model_state_dict=model_state, optim_state_dict=optim_state,
                   options=StateDictOptions(full_state_dict=True))


def _names(ddp: nn.Module, optimizer: torch.optim.Optimizer) -> list[str]:
    """Parameter names in ZeRO's order (its state dict numbers the parameters)."""
    name_of = {id(p): name for name, p in ddp.module.named_parameters()}
    return [name_of[id(p)] for group in optimizer.param_groups for p in group["params"]]


def _by_name(optim_state: dict, keys) -> dict:
    """An optimizer state dict with its parameter keys mapped through `keys` (a list: index
    -> name, as every other strategy saves; a dict: name -> index, as ZeRO loads)."""
    return {"state": {keys[k]: v for k, v in optim_state["state"].items()},
            "param_groups": [group | {"params": [keys[p] for p in group["params"]]}
                             for group in optim_state["param_groups"]]}


def grad_sync(module: nn.Module, strategy: str, env: DistEnv, sync: bool):
    """A context for one micro-batch's backward: reduce gradients only when `sync` (the
    last micro-batch of a step), saving the communication of gradient accumulation."""
    if not env.distributed or sync:
        if strategy == "fsdp" and env.distributed:
            module.set_requires_gradient_sync(True)
        return nullcontext()
    if strategy == "fsdp":
        module.set_requires_gradient_sync(False)
        return nullcontext()
    return module.no_sync()


def all_reduce(tensor: torch.Tensor, env: DistEnv, op: str = "sum") -> torch.Tensor:
    """Sum (or "max") `tensor` over processes in place; returns it."""
    if env.distributed:
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM if op == "sum" else dist.ReduceOp.MAX)
    return tensor


def gather_objects(obj, env: DistEnv) -> list:
    """`obj` of every process, by rank (small things only: RNG states)."""
    if not env.distributed:
        return [obj]
    out = [None] * env.world_size
    dist.all_gather_object(out, obj)
    return out


def barrier(env: DistEnv) -> None:
    if env.distributed:
        dist.barrier()
