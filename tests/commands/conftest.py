"""Shared by the command tests: run `polyglot` in a fresh folder, as a user would."""
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from polyglot.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CART = (ROOT / "examples" / "cart.vibee").read_text(encoding="utf-8")


@dataclass
class Outcome:
    """What a user sees: the exit status and the two streams."""

    code: int
    stdout: str
    stderr: str

    @property
    def line(self) -> str:
        """The one line a failed command prints on stderr (asserts there is one)."""
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        return lines[0]

    @property
    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def run(tmp_path, monkeypatch):
    """`run("translate", "cart.vibee", ...)` inside tmp_path, which holds cart.vibee.

    An exception that escapes the command (what a user would see as a traceback) fails
    the test with that exception.
    """
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cart.vibee").write_text(CART, encoding="utf-8")

    def invoke(*args: str, input: str | bytes | None = None) -> Outcome:
        result = CliRunner().invoke(cli, list(args), input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Outcome(result.exit_code, result.stdout, result.stderr)
    return invoke
