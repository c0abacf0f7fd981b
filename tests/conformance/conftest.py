"""Collect each language's conformance results and print the matrix at the end."""
from pathlib import Path

import pytest

from polyglot.codegen.conformance import conformance_specs, format_matrix

MATRIX = pytest.StashKey[dict]()


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def specs():
    """The conformance specs and the shipped examples, built together: every example must
    translate and verify in every language too, at no extra compiler run."""
    return conformance_specs() + conformance_specs(EXAMPLES)


@pytest.fixture
def matrix(request) -> dict:
    """language -> {spec: (as expected, total)} or why it did not run; shared by the session."""
    return request.config.stash.setdefault(MATRIX, {})


def pytest_terminal_summary(terminalreporter, config):
    rows = config.stash.get(MATRIX, {})
    if rows:
        terminalreporter.section("conformance matrix (cases as expected / cases)")
        terminalreporter.write_line(format_matrix(dict(sorted(rows.items()))))
