"""Lifting one-expression functions from real source: the query, the reasons, the records."""
import json
import os

import pytest
from click.testing import CliRunner

from polyglot.cli import cli
from polyglot.data.dataset import read_records, record_spec
from polyglot.data.lift import LiftResult, lift_paths, lift_text, load_lift_grammar, one_line
from polyglot.spec.run import run_spec

SOURCE = '''\
import typing
from typing import Optional


def area(w: float, h: float) -> float:
    """The area of a w x h rectangle."""
    return w * h


def shout(s: str, n: int = 1) -> str:
    return (s.upper()
            + "!" * n)


def lookup(m: dict[str, list[int]], k: str) -> int:
    return len(m[k]) if k in m else 0


def first_or_none(xs: typing.List[int]) -> Optional[int]:
    return xs[0] if len(xs) > 0 else None


def maybe(x: int | None, /, *, y: int) -> bool:
    return x is not None and x > y


def no_return_type(x: int):
    return x + 1


def untyped(x, y: int) -> int:
    return x + y


def two_statements(x: int) -> int:
    y = x + 1
    return y


def unsupported(xs: set[int]) -> int:
    return len(xs)


def calls_helper(x: int) -> int:
    return helper(x)


def always_fails(x: int) -> int:
    return x // 0


def constant(x: int) -> int:
    return len("abc")


def identity(x: int) -> int:
    return x


class Box:
    def width(self) -> int:
        return 3
'''
LIFTED = ["area", "shout", "lookup", "first_or_none", "maybe"]


@pytest.fixture(scope="module")
def grammar():
    return load_lift_grammar("python")


def lifted(text, grammar, file="m.py"):
    result = LiftResult()
    lift_text(text, file, grammar, result)
    return result


def test_reasons_and_records(grammar):
    result = lifted(SOURCE, grammar)
    assert result.stats == {
        "files": 0, "file_problems": {"unreadable": 0, "not_utf8": 0, "syntax_error": 0, "unlistable_folder": 0},
        "functions": 14, "lifted": 5,
        "dropped": {"not_single_return": 1, "no_return_type": 1, "untyped_parameter": 2, "unsupported_type": 1,
                    "body_rejected": 1, "trivial": 1, "raises": 1, "constant": 1}}
    by_name = {r["name"]: r for r in result.records}
    assert list(by_name) == LIFTED
    assert by_name["area"]["origin"] == "m.py:5:area"
    signatures = {name: ([p["type"] for p in r["params"]], r["returns"]) for name, r in by_name.items()}
    assert signatures == {
        "area": (["Float", "Float"], "Float"),
        "shout": (["String", "Int"], "String"),
        "lookup": (["Map<String, List<Int>>", "String"], "Int"),
        "first_or_none": (["List<Int>"], "Option<Int>"),
        "maybe": (["Option<Int>", "Int"], "Bool"),
    }
    assert by_name["shout"]["body"] == "s.upper() + '!' * n"  # re-spelled on one line
    assert by_name["lookup"]["constructs"] == ["contains", "if_else", "index", "length"]
    area = by_name["area"]
    assert list(area) == ["id", "origin", "augment", "style", "name", "params", "returns", "records", "enums",
                          "constants", "body", "constructs", "words", "tests"]
    assert area["words"] == {} and area["augment"] == [] and area["id"].startswith("lift-")
    for record in result.records:
        assert 3 <= len(record["tests"]) <= 5
        assert len({json.dumps(c["expected"]) for c in record["tests"]}) >= 2  # not constant
        assert [c["name"] for c in record["tests"]] == [f"case_{i}" for i in range(1, len(record["tests"]) + 1)]


def test_records_run_as_specs(grammar):
    for record in lifted(SOURCE, grammar).records:
        spec = record_spec({**record, "words": {"en": {"given": "", "when": "", "then": "x"}}})
        results = run_spec(spec)
        assert results and all(r.status == "passed" for r in results), (record["name"], results)


def test_same_source_same_records(grammar):
    assert lifted(SOURCE, grammar).records == lifted(SOURCE, grammar).records
    other = lifted(SOURCE, grammar, file="n.py").records
    assert [r["tests"] for r in other] == [r["tests"] for r in lifted(SOURCE, grammar).records]
    assert other[0]["id"] != lifted(SOURCE, grammar).records[0]["id"]


def test_one_line():
    assert one_line("a +\n  b") == "a + b"
    assert one_line(" x.split( ',' ) ") == "x.split( ',' )"


def write_tree(tmp_path):
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "geo.py").write_text(SOURCE, encoding="utf-8")
    (src / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\ndef f(x: int) -> int:\n    return x + 1  # \xe9\n")
    (src / "broken.py").write_text("def f(x: int) -> int:\n    return (x +\n", encoding="utf-8")
    os.symlink(src / "missing.py", src / "dangling.py")
    (src / "notes.txt").write_text("def g(x: int) -> int:\n    return x\n", encoding="utf-8")
    return src


def test_bad_files_are_counted(tmp_path):
    result = lift_paths([write_tree(tmp_path)])
    assert result.stats["files"] == 4
    assert result.stats["file_problems"] == {"unreadable": 1, "not_utf8": 1, "syntax_error": 1,
                                             "unlistable_folder": 0}
    assert [r["name"] for r in result.records] == LIFTED
    assert result.records[0]["origin"] == f"{tmp_path}/src/pkg/geo.py:5:area"


def _lock(folder):
    """chmod 000 `folder`, or skip when that does not stop listing it (running as root)."""
    folder.chmod(0)
    try:
        os.listdir(folder)
    except PermissionError:
        return
    folder.chmod(0o755)
    pytest.skip("chmod 000 does not stop this user listing a folder (root)")


def test_a_folder_that_cannot_be_listed_is_counted_and_reported(tmp_path, capsys):
    src = write_tree(tmp_path)
    locked = src / "pkg"
    _lock(locked)
    try:
        result = lift_paths([src])
    finally:
        locked.chmod(0o755)
    assert result.stats["files"] == 3  # pkg/geo.py is not reached
    assert result.stats["file_problems"] == {"unreadable": 1, "not_utf8": 1, "syntax_error": 1,
                                             "unlistable_folder": 1}
    assert capsys.readouterr().err == f"{locked}: warning: cannot list folder (Permission denied); skipped\n"


def test_unlistable_folders_are_counted_whoever_runs(tmp_path, monkeypatch, capsys):
    """The same path without chmod: listing `pkg` (and the top folder, named directly) fails."""
    src = write_tree(tmp_path)
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) in (str(src / "pkg"), str(tmp_path / "other")):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    (tmp_path / "other").mkdir()
    monkeypatch.setattr(os, "scandir", scandir)
    result = lift_paths([src, tmp_path / "other"])
    assert (result.stats["files"], result.stats["file_problems"]["unlistable_folder"]) == (3, 2)
    assert capsys.readouterr().err.splitlines() == [
        f"{src / 'pkg'}: warning: cannot list folder (Permission denied); skipped",
        f"{tmp_path / 'other'}: warning: cannot list folder (Permission denied); skipped"]
    out = tmp_path / "lifted.jsonl"
    cli = invoke(str(src), "-o", str(out))
    assert cli.exit_code == 0, cli.output
    assert cli.stdout.splitlines()[1] == "skipped files: 1 unreadable, 1 not_utf8, 1 syntax_error, 1 unlistable_folder"


def invoke(*args):
    return CliRunner().invoke(cli, ["data", "lift", *args])


def test_cli_writes_records(tmp_path):
    src, out = write_tree(tmp_path), tmp_path / "lifted.jsonl"
    result = invoke(str(src), "-o", str(out), "--progress")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"lifted 5 of 14 functions in 4 files to {out} (")
    assert lines[1:] == ["skipped files: 1 unreadable, 1 not_utf8, 1 syntax_error",
                         "dropped: 1 not_single_return, 1 no_return_type, 2 untyped_parameter, "
                         "1 unsupported_type, 1 body_rejected, 1 trivial, 1 raises, 1 constant"]
    assert "lift: 100%" in result.stderr
    records = read_records(out)
    assert [r["name"] for r in records] == LIFTED
    before = out.read_bytes()
    refused = invoke(str(src), "-o", str(out), "--json")
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"{out}: error: already exists")
    forced = invoke(str(src), "-o", str(out), "--json", "--force")
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["stats"]["lifted"] == 5
    assert out.read_bytes() == before  # the same source, the same bytes


def test_cli_errors(tmp_path):
    result = invoke(str(tmp_path / "nowhere"), "-o", str(tmp_path / "o.jsonl"))
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'nowhere'}: error: no such file or folder\n"
    result = invoke(str(tmp_path), "-o", str(tmp_path / "o.jsonl"), "--lang", "rust")
    assert result.exit_code == 2 and "has no lift.scm" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()
