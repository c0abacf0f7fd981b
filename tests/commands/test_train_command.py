"""`polyglot train` on bad configs and options: located at --set, the file or the option.

Nothing here trains: every case fails before the first step.
"""
from pathlib import Path

import pytest


@pytest.fixture
def cfg(run):
    Path("cfg.toml").write_text('[train]\nout_dir = "run"\n', encoding="utf-8")
    return run


@pytest.mark.parametrize("override, message", [
    ("model.nokey=1", "--set: error: model.nokey: unknown key 'nokey' in [model]"),
    ("model.d_model=big", "--set: error: model.d_model: wrong type; expected an integer, found 'big'"),
    ("modle.d_model=1", "--set: error: modle: unknown table [modle]; expected [model], [data], [optim], "
                        "[schedule], [train], [lora] (did you mean `model`?)"),
    ("model.d_model=-6", "--set: error: model: d_model must be >= 1, got -6"),
    ("model.d_model=30", "--set: error: model: d_model 30 is not a multiple of n_heads 4"),
    ("train.log_every=0", "--set: error: train.log_every: bad value; expected >= 1, found 0"),
    ("schedule.max_lr=-1", "--set: error: schedule.max_lr: bad value; expected > 0, found -1.0"),
    ("model.dropout=2.0", "--set: error: model: dropout must be in [0, 1), got 2.0"),
    ("nokey", "--set: error: an override is table.key=value, found nokey"),
])
def test_override_errors_are_located_at_set(cfg, override, message):
    result = cfg("train", "--config", "cfg.toml", "--set", override)
    assert (result.code, result.line) == (2, message)


def test_a_key_error_in_the_file_keeps_its_line(cfg):
    Path("cfg.toml").write_text('[train]\nout_dir = "run"\nbatch_size = "x"\n', encoding="utf-8")
    result = cfg("train", "--config", "cfg.toml", "--set", "train.max_steps=3")
    assert (result.code, result.line) == (2, "cfg.toml:3:1: error: train.batch_size: wrong type; "
                                             "expected an integer, found 'x'")


def test_errors_found_later_name_the_config(cfg):
    result = cfg("train", "--config", "cfg.toml")
    assert (result.code, result.line) == (2, "cfg.toml: error: data.train: no training data; expected a JSONL file")


def test_out_dir_that_is_a_file(cfg):
    Path("afile").write_text("keep\n")
    result = cfg("train", "--config", "cfg.toml", "--set", "train.out_dir=afile")
    assert (result.code, result.line) == (2, "afile: error: train.out_dir: is a file, not a folder")
    result = cfg("train", "--config", "cfg.toml", "--set", "train.out_dir=afile/run")
    assert (result.code, result.line) == (
        2, "afile/run: error: train.out_dir: cannot create a folder here: a file is in the way, found file afile")
    assert Path("afile").read_text() == "keep\n"


@pytest.mark.parametrize("lr_range", [["1", "0", "5"], ["0", "1", "5"], ["1e-4", "1", "1"], ["nan", "1", "5"]])
def test_bad_lr_range(cfg, lr_range):
    result = cfg("train", "--config", "cfg.toml", "--find-lr", "--lr-range", *lr_range)
    assert result.code == 2
    assert result.line.startswith("--lr-range: error: need 0 < START < END and STEPS >= 2, found ")


def test_max_minutes_must_be_finite(cfg):
    result = cfg("train", "--config", "cfg.toml", "--max-minutes", "nan", "--json")
    assert (result.code, result.json["error"]["text"]) == (2, "--max-minutes: error: 'nan' is not a finite number")


def test_unreadable_config_with_json(cfg):
    Path("bin.toml").write_bytes(b"\xff\xfe")
    result = cfg("train", "--config", "bin.toml", "--json")
    assert result.code == 2
    assert result.json["error"]["file"] == "bin.toml"
    assert result.json["error"]["message"] == "cannot read config"
