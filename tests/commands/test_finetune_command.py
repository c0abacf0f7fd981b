"""`polyglot finetune`: output paths checked before training, never over the base model.

Nothing here trains: every case fails before the model is even read.
"""
from pathlib import Path

import pytest


@pytest.fixture
def ft(run):
    Path("cfg.toml").write_text('[train]\nout_dir = "run"\n', encoding="utf-8")
    Path("base.safetensors").write_bytes(b"weights")
    return lambda *args: run("finetune", "--model", "base.safetensors", "--config", "cfg.toml", *args)


def test_out_may_not_replace_the_base(ft):
    result = ft("--out", "./base.safetensors", "--force")
    assert (result.code, result.line) == (2, "--out: error: would replace the base model, found ./base.safetensors")
    assert Path("base.safetensors").read_bytes() == b"weights"


def test_existing_out_and_merged_are_refused(ft):
    Path("a.safetensors").write_bytes(b"old adapter")
    result = ft("--out", "a.safetensors")
    assert (result.code, result.line) == (2, "a.safetensors: error: already exists (pass --force to overwrite)")
    assert Path("a.safetensors").read_bytes() == b"old adapter"
    result = ft("--merged", "a.safetensors")
    assert (result.code, result.line) == (2, "a.safetensors: error: already exists (pass --force to overwrite)")


def test_merged_inside_a_file(ft):
    Path("afile").write_text("keep\n")
    result = ft("--merged", "afile/m.safetensors")
    assert (result.code, result.line) == (
        2, "afile/m.safetensors: error: cannot write here: a file is in the way, found file afile")


@pytest.mark.parametrize("override, message", [
    ("model.d_model=3", "--set: error: model: table [model] is not read here; expected [data], [optim], "
                        "[schedule], [train], [lora]"),
    ("lora.rank=two", "--set: error: lora.rank: wrong type; expected an integer, found 'two'"),
])
def test_override_errors(ft, override, message):
    result = ft("--set", override)
    assert (result.code, result.line) == (2, message)


def test_a_file_that_is_not_a_model(ft):
    result = ft("--json")
    assert result.code == 2
    assert result.json["error"]["text"] == ("base.safetensors: error: cannot read model checkpoint, "
                                            "found Error while deserializing header: header too small")
