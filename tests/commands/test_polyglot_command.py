"""The `polyglot` group: help everywhere, JSON errors, and what a bug looks like."""
import json
from pathlib import Path

import click
import pytest

from polyglot.cli import EXIT_INTERNAL, cli, main

ROOT = Path(__file__).resolve().parents[2]

COMMANDS = [["check"], ["data"], ["data", "synth"], ["data", "lift"], ["data", "backtranslate"], ["eval"], ["eval", "humaneval"], ["finetune"],
            ["langpack"], ["langpack", "list"], ["langpack", "new"], ["langpack", "check"],
            ["schema"], ["score"], ["train"], ["translate"]]


def test_every_command_is_listed():
    ctx = click.Context(cli)
    groups = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    found = [[name] for name in groups] + [
        [name, sub] for name, group in groups.items() if isinstance(group, click.Group)
        for sub in group.list_commands(ctx)]
    assert sorted(found) == sorted(COMMANDS)


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_help_has_examples(run, words):
    result = run(*words, "--help")
    assert result.code == 0
    assert "\n  Examples:\n    polyglot " in result.stdout


def test_usage_error_with_json_is_a_json_error(run):
    result = run("score", "--hyp", "h.txt", "--ref", "r.txt", "--bootstrap", "0", "--json")
    assert result.code == 2
    assert result.json == {"error": {
        "file": "--bootstrap", "line": None, "column": None, "path": None,
        "message": "0 is not in the range 1<=x<=1000000", "expected": None, "found": None,
        "hint": None, "severity": "error",
        "text": "--bootstrap: error: 0 is not in the range 1<=x<=1000000"}}
    assert "Error: Invalid value for '--bootstrap'" in result.stderr  # people still read it


def test_unknown_command_with_json(run):
    result = run("nosuch", "--json")
    assert result.code == 2
    assert result.json["error"]["text"] == "polyglot: error: No such command 'nosuch'"


def test_json_after_a_double_dash_is_an_argument(run):
    result = run("check", "--", "--json")
    assert result.code == 2
    assert result.stdout == ""
    assert result.line == "--json: error: no such file"


def test_a_bug_is_one_line_and_exit_70(monkeypatch, capsys):
    def broken(aliases):
        raise KeyError("boom")
    monkeypatch.setattr("polyglot.commands.schema.spec_schema", broken)
    assert main(["schema"]) == EXIT_INTERNAL == 70
    out, err = capsys.readouterr()
    assert out == ""
    source = (ROOT / "polyglot" / "commands" / "schema.py").read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if "spec_schema(aliases)" in text)
    assert err == ("polyglot: error: internal error: KeyError: 'boom' (a bug, raised at "  # polyglot's last line
                   f"polyglot/commands/schema.py:{line}; POLYGLOT_TRACEBACK=1 shows the traceback)\n")


def test_a_bug_with_json_and_with_the_traceback_asked_for(monkeypatch, capsys):
    monkeypatch.setattr("polyglot.commands.langpack._human_rows", lambda: 1 / 0)
    monkeypatch.setenv("POLYGLOT_TRACEBACK", "1")
    assert main(["langpack", "list", "--json"]) == 70
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["message"] == "internal error: ZeroDivisionError: division by zero"
    assert err.startswith("Traceback (most recent call last):")


def test_main_exit_codes(tmp_path, capsys):
    assert main(["check", str(tmp_path / "none.vibee")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'none.vibee'}: error: no such file\n"
    assert main(["schema", "--json"]) == 2  # the one command whose output is JSON anyway
    assert json.loads(capsys.readouterr().out)["error"]["text"] == "--json: error: No such option '--json'"
    assert main(["--version"]) == 0
