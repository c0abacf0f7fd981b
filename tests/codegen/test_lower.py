"""Lowering: a pack without comprehensions or conditional expressions gets statements.

The python pack with `[comprehension]` and `ifelse` removed must still pass the
comprehension and logic conformance specs, short-circuits and guarded branches included,
since Python checks the statements the lowering produced.
"""
import re
import shutil
from pathlib import Path

import pytest

from polyglot.codegen.conformance import conformance_specs, run_conformance
from polyglot.codegen.pack import load_pack_file
from polyglot.codegen.project import render_project
from polyglot.spec.reader import parse_spec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def statements_pack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lowered") / "code" / "pystmt"
    shutil.copytree(ROOT / "langpacks" / "code" / "python", folder)
    text = (folder / "pack.toml").read_text(encoding="utf-8").replace('name = "python"', 'name = "pystmt"')
    text = re.sub(r"\nifelse = .*\n", "\n", text)
    text = re.sub(r"\[comprehension\]\n(.*\n){4}", "", text)
    (folder / "pack.toml").write_text(text, encoding="utf-8")
    pack = load_pack_file(folder / "pack.toml")
    assert pack.comprehension is None and not any(k.startswith("ifelse") for k in pack.expr)
    return pack


def test_lowered_statements_exact(statements_pack):
    spec = parse_spec("name: t\nbehaviors:\n  - name: f\n    params: {xs: List<Int>}\n    returns: Int\n"
                      "    implementation: \"sum([v // 2 for v in xs]) if len(xs) > 0 else -1\"\n")
    source = render_project(statements_pack, [spec]).files["t.py"]
    body = source[source.index("def f"):]
    assert body == (
        "def f(xs: list[int]) -> int:\n"
        "    choice: int\n"
        "    if len(xs) > 0:\n"
        "        items: list[int] = []\n"
        "        for v in xs:\n"
        "            items.append(_rt.i64(v // 2))\n"
        "        choice = _rt.int_sum(items)\n"
        "    else:\n"
        "        choice = -1\n"
        "    return choice\n")


def test_short_circuit_keeps_later_operands_guarded(statements_pack):
    spec = parse_spec("name: t\nbehaviors:\n  - name: f\n    params: {xs: List<Int>}\n    returns: Bool\n"
                      "    implementation: \"len(xs) > 0 and max([v for v in xs]) > 1\"\n")
    source = render_project(statements_pack, [spec]).files["t.py"]
    assert source[source.index("def f"):] == (
        "def f(xs: list[int]) -> bool:\n"
        "    cond: bool = len(xs) > 0\n"
        "    if cond:\n"
        "        items: list[int] = []\n"
        "        for v in xs:\n"
        "            items.append(v)\n"
        "        cond = max(items) > 1\n"
        "    return cond\n")


def test_lowered_code_passes_conformance(statements_pack):
    specs = [s for s in conformance_specs() if s.name in ("comprehensions", "logic", "enums", "unicode")]
    result = run_conformance(statements_pack, specs)
    assert result.problems == []
    assert result.unexpected() == []
    assert result.report.summary == "75 passed, 0 failed"
