"""`polyglot langpack`: list, new (scaffold), check."""
import json
from pathlib import Path

from click.testing import CliRunner

from polyglot.cli import cli

SPECS = Path(__file__).resolve().parents[2] / "tests" / "conformance" / "specs"


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_list_code_packs_json():
    result = run("langpack", "list", "--kind", "code", "--json")
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["python"]["status"] == "stable" and rows["python"]["title"] == "Python"
    assert rows["rust"]["kind"] == "code"


def test_list_includes_human_packs():
    result = run("langpack", "list", "--kind", "human")
    assert result.exit_code == 0
    assert any(line.split()[:3] == ["human", "ru", "ok"] for line in result.stdout.splitlines())


def test_new_code_pack_scaffold_loads_as_todo(tmp_path):
    result = run("langpack", "new", "kotlin", "--kind", "code", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "langpacks" / "code" / "kotlin"
    assert (folder / "pack.toml").is_file() and (folder / "templates" / "module.tmpl").is_file()
    assert "TODO" in (folder / "pack.toml").read_text(encoding="utf-8")
    listed = run("langpack", "list", "--kind", "code", env={"POLYGLOT_PATH": str(tmp_path)})
    assert any(line.split()[:3] == ["code", "kotlin", "todo"] for line in listed.stdout.splitlines())
    again = run("langpack", "new", "kotlin", "--kind", "code", "--dir", str(tmp_path))
    assert again.exit_code == 2 and "pack `kotlin` already exists" in again.stderr


def test_new_human_pack_scaffold(tmp_path):
    result = run("langpack", "new", "uk", "--kind", "human", "--dir", str(tmp_path))
    assert result.exit_code == 0
    text = (tmp_path / "langpacks" / "human" / "uk.toml").read_text(encoding="utf-8")
    assert text.startswith("# uk: a human language pack.") and 'code = "uk"' in text


def test_check_without_verify():
    result = run("langpack", "check", "python", "--no-verify", "--specs", str(SPECS))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "ok   grammar: python"
    assert lines[3] == "ok   tree-sitter parse: 0 problem(s)"


def test_check_unknown_pack():
    result = run("langpack", "check", "rusty")
    assert result.exit_code == 2
    assert result.stderr.strip() == "NAME: error: unknown language pack `rusty` (did you mean `rust`?)"
