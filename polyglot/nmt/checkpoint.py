"""Training state in one safetensors file, written atomically, read without pickle.

A training state is a tree: model weights, optimizer moments, scaler, RNG states, data
position, step. Its tensors go into the safetensors body under their tree path
(``optimizer/state/encoder.0.attn.qkv.weight/exp_avg``); everything else -- the tree's
shape, its numbers and strings -- goes into the metadata as JSON, with each tensor
replaced by a reference to its key. Loading rebuilds the same tree: ints stay ints,
tuples stay tuples, dict keys keep their type. Nothing is unpickled, so a checkpoint
from elsewhere cannot run code (``torch.load`` is never called).

A file is written to a temp name, fsynced and renamed into place (`polyglot.io.write_atomic`),
so a run killed at any instant leaves either the old checkpoint or the new one.
"""
from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from polyglot.errors import SpecError
from polyglot.io import write_atomic

FORMAT = "polyglot-checkpoint/1"
_TREE_KEY = "polyglot_state"  # metadata key holding the JSON skeleton
_NAME = re.compile(r"^ckpt-(\d{8})\.safetensors$")


def _encode(obj: Any, path: str, tensors: dict[str, torch.Tensor], seen: dict) -> Any:
    """JSON skeleton of `obj`; tensors are moved into `tensors` (shared storage stored once)."""
    if isinstance(obj, torch.Tensor):
        ident = (obj.untyped_storage().data_ptr(), obj.storage_offset(), tuple(obj.shape),
                 tuple(obj.stride()), obj.dtype, obj.device) if obj.numel() else None
        if ident is not None and ident in seen:
            return {"$t": seen[ident]}
        if path in tensors:
            raise ValueError(f"two entries of the state share the key {path!r}")
        tensors[path] = obj.detach().cpu().contiguous()
        if ident is not None:
            seen[ident] = path
        return {"$t": path}
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj):
            return {"$d": {k: _encode(v, f"{path}/{k}", tensors, seen) for k, v in obj.items()}}
        return {"$kv": [[k, _encode(v, f"{path}/{k}", tensors, seen)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        items = [_encode(v, f"{path}/{i}", tensors, seen) for i, v in enumerate(obj)]
        return {"$l" if isinstance(obj, list) else "$tu": items}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    raise TypeError(f"cannot store {type(obj).__name__} at {path!r} in a checkpoint")


def _decode(node: Any, tensors: dict[str, torch.Tensor]) -> Any:
    if not isinstance(node, dict):
        return node
    (tag, value), = node.items()
    if tag == "$t":
        return tensors[value]
    if tag == "$d":
        return {k: _decode(v, tensors) for k, v in value.items()}
    if tag == "$kv":
        return {k: _decode(v, tensors) for k, v in value}
    items = [_decode(v, tensors) for v in value]
    return items if tag == "$l" else tuple(items)


def save_state(path: str | os.PathLike, state: dict[str, Any]) -> None:
    """Write a training-state tree to a safetensors file, whole or not at all.

    Args:
        path: the `.safetensors` file to (over)write.
        state: nested dicts, lists and tuples of tensors, numbers, strings, bools and None.
    """
    tensors: dict[str, torch.Tensor] = {}
    tree = _encode(state, "", tensors, {})
    metadata = {"format": FORMAT, _TREE_KEY: json.dumps(tree)}
    write_atomic(path, st_save(tensors, metadata=metadata))


def load_state(path: str | os.PathLike) -> dict[str, Any]:
    """Read a tree written by `save_state` (tensors on the CPU).

    Args:
        path: the checkpoint file.

    Returns:
        The state tree, equal to the one saved.
    """
    try:
        data = Path(path).read_bytes()
        tensors = st_load(data)
        header_len = int.from_bytes(data[:8], "little")
        metadata = json.loads(data[8:8 + header_len]).get("__metadata__") or {}
    except (OSError, SafetensorError, ValueError) as err:
        raise SpecError("cannot read checkpoint", file=str(path), found=str(err)) from None
    if metadata.get("format") != FORMAT or _TREE_KEY not in metadata:
        raise SpecError("not a polyglot training checkpoint", file=str(path),
                        expected=FORMAT, found=metadata.get("format"))
    return _decode(json.loads(metadata[_TREE_KEY]), tensors)


# ---------------------------------------------------------------------------------------
# A folder of numbered checkpoints
# ---------------------------------------------------------------------------------------

def checkpoint_path(out_dir: str | os.PathLike, step: int) -> Path:
    """Where the checkpoint after optimizer step `step` lives."""
    return Path(out_dir) / f"ckpt-{step:08d}.safetensors"


def list_checkpoints(out_dir: str | os.PathLike) -> list[tuple[int, Path]]:
    """(step, path) of every checkpoint in `out_dir`, oldest first; temp files are not listed."""
    out = Path(out_dir)
    if not out.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in out.iterdir() if (m := _NAME.match(p.name))]
    return sorted(found)


def prune_checkpoints(out_dir: str | os.PathLike, keep: int) -> None:
    """Delete all but the newest `keep` checkpoints (keep <= 0 keeps all)."""
    if keep > 0:
        for _, path in list_checkpoints(out_dir)[:-keep]:
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------
# Random number generators
# ---------------------------------------------------------------------------------------

def rng_state() -> dict[str, Any]:
    """Every RNG a training step draws from: Python's, torch's CPU one and, if CUDA is up,
    each CUDA device's."""
    state: dict[str, Any] = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore what `rng_state` captured (the CUDA part only where CUDA is up)."""
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(list(state["cuda"]))
