import json
import math
import random

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from polyglot.errors import SpecError
from polyglot.nmt.checkpoint import (checkpoint_path, list_checkpoints, load_state,
                                     prune_checkpoints, rng_state, save_state, set_rng_state)


def tree():
    shared = torch.arange(6, dtype=torch.float32).view(2, 3)
    return {
        "model": {"w": shared, "tied": shared, "bf16": torch.ones(2, dtype=torch.bfloat16),
                  "codes": torch.tensor([1, 255], dtype=torch.uint8)},
        "optimizer": {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.zeros(2)}},
                      "param_groups": [{"lr": 0.1, "betas": (0.9, 0.98), "fused": None,
                                        "amsgrad": False, "params": [0]}]},
        "scaler": {"scale": 65536.0, "_growth_tracker": 0},
        "floats": [math.inf, 0.1, -0.0],
        "python_rng": random.Random(5).getstate(),
        "name": "ckpt",
    }


def same(a, b):
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and torch.equal(a, b)
    if isinstance(a, dict):
        return (isinstance(b, dict) and list(a) == list(b)
                and all(type(k) is type(j) for k, j in zip(a, b))
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


def test_round_trip_keeps_types_and_values(tmp_path):
    path = tmp_path / "c.safetensors"
    save_state(path, tree())
    back = load_state(path)
    assert same(tree(), back)
    assert math.copysign(1, back["floats"][2]) == -1  # -0.0 survives JSON
    assert back["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.98)


def test_shared_tensors_are_stored_once(tmp_path):
    path = tmp_path / "c.safetensors"
    save_state(path, tree())
    with safe_open(str(path), framework="pt") as f:
        keys = sorted(f.keys())
    assert keys == ["/model/bf16", "/model/codes", "/model/w", "/optimizer/state/0/exp_avg",
                    "/optimizer/state/0/step"]
    back = load_state(path)
    assert back["model"]["tied"] is back["model"]["w"]


def test_never_unpickles(tmp_path, monkeypatch):
    path = tmp_path / "c.safetensors"
    save_state(path, tree())
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load called"))
    assert same(load_state(path), tree())


def test_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "c.safetensors"
    save_state(path, {"a": torch.ones(2)})
    before = path.read_bytes()
    with pytest.raises(TypeError, match="cannot store object at '/b'"):
        save_state(path, {"a": torch.zeros(2), "b": object()})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.safetensors"]


def test_unreadable_and_foreign_files(tmp_path):
    garbage = tmp_path / "g.safetensors"
    garbage.write_bytes(b"not a checkpoint")
    with pytest.raises(SpecError, match="cannot read checkpoint") as err:
        load_state(garbage)
    assert err.value.file == str(garbage)
    model_file = tmp_path / "m.safetensors"
    save_file({"w": torch.ones(1)}, str(model_file), metadata={"nmt_config": "{}"})
    with pytest.raises(SpecError, match="not a polyglot training checkpoint"):
        load_state(model_file)


def test_metadata_is_plain_json(tmp_path):
    path = tmp_path / "c.safetensors"
    save_state(path, {"step": 7, "t": torch.zeros(1)})
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
    assert meta["format"] == "polyglot-checkpoint/1"
    assert json.loads(meta["polyglot_state"]) == {"$d": {"step": 7, "t": {"$t": "/t"}}}


def test_list_and_prune(tmp_path):
    for step in (3, 10, 7):
        save_state(checkpoint_path(tmp_path, step), {"step": step})
    (tmp_path / ".ckpt-00000011.safetensors.x.tmp").write_bytes(b"half")  # a killed write
    assert [s for s, _ in list_checkpoints(tmp_path)] == [3, 7, 10]
    prune_checkpoints(tmp_path, keep=2)
    assert [p.name for _, p in list_checkpoints(tmp_path)] == ["ckpt-00000007.safetensors",
                                                               "ckpt-00000010.safetensors"]
    assert list_checkpoints(tmp_path / "missing") == []


def test_rng_round_trip(tmp_path):
    random.seed(1)
    torch.manual_seed(1)
    path = tmp_path / "rng.safetensors"
    save_state(path, {"rng": rng_state()})
    expected = (random.random(), torch.rand(3))
    random.seed(2)
    torch.manual_seed(2)
    set_rng_state(load_state(path)["rng"])
    got = (random.random(), torch.rand(3))
    assert got[0] == expected[0] and torch.equal(got[1], expected[1])
