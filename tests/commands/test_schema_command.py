"""`polyglot schema -o`: never over an existing file without --force, never half a file."""
import json
from pathlib import Path


def test_existing_output_is_refused_then_replaced_with_force(run):
    Path("s.json").write_bytes(b"mine\n")
    result = run("schema", "-o", "s.json")
    assert (result.code, result.line) == (
        2, "-o: error: refusing to overwrite 1 existing file(s): s.json (pass --force to overwrite)")
    assert Path("s.json").read_bytes() == b"mine\n"
    assert run("schema", "-o", "s.json", "--force").code == 0
    assert json.loads(Path("s.json").read_text())["title"]
    assert sorted(p.name for p in Path(".").iterdir()) == ["cart.vibee", "s.json"]  # no temp files


def test_output_inside_a_file(run):
    Path("afile").write_text("keep\n")
    result = run("schema", "-o", "afile/s.json")
    assert (result.code, result.line) == (2, "afile/s.json: error: cannot write here: a file is in the way, "
                                             "found file afile")
    assert Path("afile").read_text() == "keep\n"


def test_an_empty_locale_is_not_ignored(run):
    result = run("schema", "--locale", "")
    assert (result.code, result.stdout, result.line) == (2, "", "--locale: error: unknown locale ``")
