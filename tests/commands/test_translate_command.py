"""`polyglot translate` on bad input: located errors, and files left as they were."""
import errno
import os
from pathlib import Path

import pytest

CART = (Path(__file__).resolve().parents[2] / "examples" / "cart.vibee").read_text(encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("to, message", [
    ("python,,rust", "--to: error: empty item 2 in `python,,rust`; expected names separated by single commas"),
    ("python,", "--to: error: empty item 2 in `python,`; expected names separated by single commas"),
    ("", "--to: error: empty list; expected names separated by commas"),
])
def test_empty_language_names_are_refused(run, to, message):
    result = run("translate", "cart.vibee", "--to", to, "-o", "out")
    assert (result.code, result.line) == (2, message)
    assert not Path("out").exists()


def test_stdin(run):
    result = run("translate", "-", "--to", "python", input=CART)
    assert result.code == 0
    assert result.stdout.startswith("# ==> cart.py <==\n")


def test_stdin_errors_name_stdin(run):
    result = run("translate", "-", "--to", "python", input="name: x\nbehaviors: [1\n")
    assert result.code == 2
    assert result.line.startswith("<stdin>:3:1: error: invalid YAML")


def test_output_inside_a_file(run):
    Path("afile").write_text("keep\n")
    result = run("translate", "cart.vibee", "--to", "python", "-o", "afile/sub")
    assert (result.code, result.line) == (
        2, "afile/sub: error: cannot create a folder here: a file is in the way, found file afile")
    assert Path("afile").read_text() == "keep\n"


def test_existing_outputs_are_refused_and_nothing_is_written(run):
    Path("out").mkdir()
    Path("out/cart.py").write_bytes(b"mine\n")
    result = run("translate", "cart.vibee", "--to", "python", "-o", "out")
    assert (result.code, result.line) == (
        2, "-o: error: refusing to overwrite 1 existing file(s): out/cart.py (pass --force to overwrite)")
    assert tree(Path("out")) == {"cart.py": b"mine\n"}  # the other three not written either


def test_several_languages_are_written_all_or_none(run):
    Path("out").mkdir()
    Path("out/rust").write_text("in the way\n")
    result = run("translate", "cart.vibee", "--to", "python,rust", "-o", "out")
    assert result.code == 2
    assert result.line.endswith(": error: cannot write here: a file is in the way, found file out/rust")
    assert tree(Path("out")) == {"rust": b"in the way\n"}  # no out/python/ either


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "interrupted"])
def test_a_write_that_fails_halfway_changes_nothing(run, monkeypatch, failure):
    assert run("translate", "cart.vibee", "--to", "python", "-o", "out").code == 0
    before = tree(Path("out"))
    calls, real_fsync = [], os.fsync

    def fsync(fd):  # the third file fails after two were staged (cart.py, test_cart.py)
        calls.append(fd)
        if len(calls) == 3:
            raise failure
        real_fsync(fd)
    monkeypatch.setattr("polyglot.io.os.fsync", fsync)
    Path("cart.vibee").write_text(CART.replace("over all items", "over every item"), encoding="utf-8")
    result = run("translate", "cart.vibee", "--to", "python", "-o", "out", "--force")
    if isinstance(failure, OSError):
        assert (result.code, result.line) == (2, "out/polyglot_runtime.py: error: cannot write: No space left on device")
    else:
        assert result.code == 1 and result.stderr.strip() == "Aborted!"
    assert tree(Path("out")) == before  # byte for byte, and no temp files left


def test_seed_must_be_a_64_bit_non_negative_int(run):
    for seed in ("-1", str(2**63)):
        result = run("translate", "cart.vibee", "--to", "python", "--seed", seed)
        assert result.code == 2
        assert "Error: Invalid value for '--seed'" in result.stderr


def test_json_errors(run):
    result = run("translate", "cart.vibee", "--to", "klingon", "--json")
    assert result.code == 2
    error = result.json["error"]
    assert (error["message"], error["hint"]) == ("unknown target language `klingon`", "did you mean `kotlin`?")
    assert error["text"] == result.line
    result = run("translate", "missing.vibee", "--to", "python", "--json")
    assert (result.code, result.json["error"]["text"]) == (2, "missing.vibee: error: no such file")


def test_a_folder_that_is_not_a_model(run):
    Path("m").mkdir()
    Path("m/model.safetensors").write_bytes(b"not a model")
    result = run("translate", "cart.vibee", "--to", "python", "--model", "m")
    assert (result.code, result.line) == (2, "m: error: not a model folder: missing tokenizer.model")


def test_existing_outputs_are_refused_before_the_model_is_read(run):
    # the model folder is broken too: the file in the way is reported first, so a real
    # model would not have spent minutes proposing bodies that cannot be written
    Path("m").mkdir()
    Path("out").mkdir()
    Path("out/cart.py").write_bytes(b"mine\n")
    result = run("translate", "cart.vibee", "--to", "python", "-o", "out", "--model", "m")
    assert (result.code, result.line) == (
        2, "-o: error: refusing to overwrite 1 existing file(s): out/cart.py (pass --force to overwrite)")
    assert Path("out/cart.py").read_bytes() == b"mine\n"
    result = run("translate", "cart.vibee", "--to", "python", "-o", "out", "--model", "m", "--force")
    assert (result.code, result.line) == (2, "m: error: not a model folder: missing model.safetensors, tokenizer.model")
