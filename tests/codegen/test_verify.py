"""Verification: reading runner output, missing cases, missing toolchains."""
import dataclasses

import pytest

from polyglot.codegen import load_code_pack, render_project, verify_project
from polyglot.codegen.pack import Requirement
from polyglot.codegen.verify import check_toolchain, parse_results
from polyglot.errors import SpecError
from polyglot.spec.reader import parse_spec


def test_parse_results_marks_unreported_cases_missing():
    output = "PASS m/f/a\nFAIL m/f/b got 2; expected 3\nnoise\n1 passed, 1 failed\n"
    cases, summary = parse_results(output, ["m/f/a", "m/f/b", "m/f/c"])
    assert summary == "1 passed, 1 failed"
    assert [(c.id, c.status, c.detail) for c in cases] == [
        ("m/f/a", "passed", ""), ("m/f/b", "failed", "got 2; expected 3"),
        ("m/f/c", "missing", "not reported by the test runner")]


def test_missing_toolchain_names_the_package():
    pack = load_code_pack("python")
    broken = dataclasses.replace(pack, toolchain=dataclasses.replace(
        pack.toolchain, requires=(Requirement("no-such-compiler-x", "x-compiler", "debian"),)))
    with pytest.raises(SpecError) as info:
        check_toolchain(broken)
    assert str(info.value) == ("<input>: error: the Python toolchain is not installed: `no-such-compiler-x` not "
                               "found (apt-get install -y x-compiler (debian package `x-compiler`))")


def test_wrong_answer_is_a_failure_with_detail():
    spec = parse_spec("name: w\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n"
                      "    implementation: \"a * 2\"\n    test_cases:\n"
                      "      - {name: right, input: {a: 2}, expected: 4}\n")
    project = render_project(load_code_pack("python"), [spec])
    project.files["test_w.py"] = project.files["test_w.py"].replace(", 4, 1e-09)", ", 5, 1e-09)")
    report = verify_project(load_code_pack("python"), project)
    assert (report.ok, report.stage, report.summary, report.exit_code) == (False, "run", "0 passed, 1 failed", 1)
    assert report.cases[0].detail == "got 4; expected 5"


def test_compile_failure_fails_every_case():
    spec = parse_spec("name: c\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n"
                      "    implementation: \"a\"\n    test_cases:\n      - {name: one, input: {a: 1}, expected: 1}\n")
    pack = load_code_pack("python")
    broken = dataclasses.replace(pack, toolchain=dataclasses.replace(
        pack.toolchain, compile=(("python3", "-c", "import sys; sys.exit(3)"),)))
    report = verify_project(broken, render_project(pack, [spec]))
    assert (report.stage, report.exit_code, [c.status for c in report.cases]) == ("compile", 3, ["failed"])
