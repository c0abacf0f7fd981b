"""Code pack loading: exact, located validation errors, discovery, target names."""
import shutil
from pathlib import Path

import pytest

from polyglot.codegen.pack import code_pack_dirs, load_code_pack, parse_code_pack, resolve_targets
from polyglot.errors import SpecError

PYTHON = Path(__file__).resolve().parents[2] / "langpacks" / "code" / "python"
BASE = (PYTHON / "pack.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("packs") / "code" / "python"
    shutil.copytree(PYTHON, target)
    return target


def error(folder: Path, old: str, new: str) -> str:
    assert old in BASE
    with pytest.raises(SpecError) as info:
        parse_code_pack(BASE.replace(old, new, 1), folder / "pack.toml")
    return str(info.value).replace(str(folder), "<pack>")


@pytest.mark.parametrize("old, new, expected", [
    ('status = "stable"', 'statuss = "stable"',
     "<pack>/pack.toml:8:1: error: statuss: unknown field (did you mean `status`?)"),
    ('function = "snake"', 'function = "snek"',
     "<pack>/pack.toml:12:1: error: naming.function: unknown case style (did you mean `snake`?)"),
    ('name = "python"', 'name = "pyth"',
     '<pack>/pack.toml:4:1: error: name: pack name does not match its folder; expected "python", found "pyth"'),
    ('len = "len({{0}})"\n', "",
     "<pack>/pack.toml:70:1: error: expr: missing expression key `len` (every operator, builtin, string "
     "method and node kind needs a template; see docs/code-langpacks.md)"),
    ('len = "len({{0}})"', 'length = "len({{0}})"',
     "<pack>/pack.toml:100:1: error: expr.length: unknown expression key (did you mean `len`?)"),
    ("{{expected}}, {{tol}})", "{{expect}}, {{tol}})",
     "<pack>/pack.toml:181:47: error: templates.case: unknown placeholder `{{expect}}`; expected {{id}}, "
     "{{call}}, {{expected}}, {{tol}}, {{function}}, {{module}}, {{spec}}, {{runtime}}, {{header}}"),
    ('"+" = ["{{0}} + {{1}}", 10]', '"+" = { template = "{{0}} + {{1}}", prec = 200 }',
     '<pack>/pack.toml:72:1: error: expr."+".prec: wrong type; expected an integer from 0 to 100, found 200'),
    ('assoc = "right" }', 'assoc = "rigth" }',
     "<pack>/pack.toml:99:1: error: expr.ifelse.assoc: unknown associativity (did you mean `right`?)"),
    ('extension = "py"', "extension = py", "<pack>/pack.toml:6:13: error: invalid TOML: Invalid value"),
    ('source = "debian"', 'source = "apt"',
     "<pack>/pack.toml:197:1: error: toolchain.requires[0].source: unknown package source; expected one of "
     "`debian`, `pypi`, `npm`, `preinstalled`"),
    ('runtime = "polyglot_runtime.py"', 'runtime = "rt.py"',
     '<pack>/pack.toml:190:1: error: layout.runtime: the runtime file must be one of [layout.files], found "rt.py"'),
])
def test_validation_errors(folder, old, new, expected):
    assert error(folder, old, new) == expected


def test_missing_template_file(folder):
    (folder / "templates" / "record.tmpl").rename(folder / "templates" / "record.off")
    try:
        with pytest.raises(SpecError) as info:
            parse_code_pack(BASE, folder / "pack.toml")
    finally:
        (folder / "templates" / "record.off").rename(folder / "templates" / "record.tmpl")
    assert str(info.value).replace(str(folder), "<pack>") == (
        "<pack>/pack.toml:175:1: error: templates: missing template `record` "
        "(add templates/record.tmpl or `record = ...` under [templates])")


def test_builtin_packs_load():
    pack = load_code_pack("python")
    assert (pack.name, pack.extension, pack.grammar, pack.naming.cases["type"]) == ("python", "py", "python", "pascal")
    assert {"python", "javascript", "rust"} <= set(code_pack_dirs())


def test_polyglot_path_shadows_and_adds(tmp_path, monkeypatch, folder):
    root = tmp_path / "mine" / "langpacks" / "code"
    shutil.copytree(folder, root / "python")
    shutil.copytree(folder, root / "pyextra")
    text = (root / "pyextra" / "pack.toml").read_text(encoding="utf-8")
    (root / "pyextra" / "pack.toml").write_text(text.replace('name = "python"', 'name = "pyextra"'), encoding="utf-8")
    monkeypatch.setenv("POLYGLOT_PATH", str(tmp_path / "mine"))
    dirs = code_pack_dirs()
    assert dirs["python"] == root / "python" and dirs["pyextra"] == root / "pyextra"
    assert load_code_pack("pyextra").name == "pyextra"


def test_resolve_targets():
    assert resolve_targets("rust, python,rust") == ["rust", "python"]
    assert {"python", "javascript", "rust"} <= set(resolve_targets("all"))
    with pytest.raises(SpecError) as info:
        resolve_targets("pyton")
    assert str(info.value) == "<input>: error: unknown target language `pyton` (did you mean `python`?)"
