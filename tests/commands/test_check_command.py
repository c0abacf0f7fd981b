"""`polyglot check` on bad input: stdin, directories, and --json reports that carry the error."""
from pathlib import Path

CART = (Path(__file__).resolve().parents[2] / "examples" / "cart.vibee").read_text(encoding="utf-8")


def test_stdin(run):
    result = run("check", "-", input=CART)
    assert result.code == 0
    assert result.stdout.splitlines()[-1] == "<stdin>: 7 behaviours, 13 cases: 13 passed"


def test_stdin_error_is_located(run):
    result = run("check", "--strict", "-", input="name: x\nbehaviors:\n  - name: f\n    gven: 1\n")
    assert (result.code, result.line) == (
        2, "<stdin>:4:5: error: behaviors[0].gven: unknown key `gven` in a behavior (did you mean `given`?)")


def test_bom_prefixed_spec_is_read(run):
    Path("bom.vibee").write_bytes(b"\xef\xbb\xbf" + CART.encode("utf-8"))
    result = run("check", "-q", "bom.vibee")
    assert (result.code, result.stdout) == (0, "bom.vibee: 7 behaviours, 13 cases: 13 passed\n")


def test_json_report_carries_the_first_error(run):
    Path("bin.vibee").write_bytes(b"\x00\x9f\x92\x96")
    Path("empty.vibee").write_bytes(b"")
    result = run("check", "--json", "cart.vibee", "bin.vibee", "empty.vibee")
    assert result.code == 2
    report = result.json
    assert [f["file"] for f in report["files"]] == ["cart.vibee", "bin.vibee", "empty.vibee"]
    assert report["error"] == report["files"][1]["error"]
    assert report["error"]["text"] == "bin.vibee: error: file is not valid UTF-8 (byte 1)"
    assert result.stderr.splitlines() == [
        "bin.vibee: error: file is not valid UTF-8 (byte 1)",
        "empty.vibee: error: a spec is a mapping of keys such as `name:` and `behaviors:`, found an empty file"]


def test_json_without_errors_has_no_error_key(run):
    result = run("check", "--json", "cart.vibee")
    assert result.code == 0 and "error" not in result.json


def test_a_directory_with_json(run):
    Path("adir").mkdir()
    result = run("check", "--json", "adir")
    assert result.code == 2
    assert result.json["error"]["text"] == "SPECS: error: File 'adir' is a directory"
