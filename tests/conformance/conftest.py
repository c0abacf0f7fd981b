"""Collect each language's conformance results and print the matrix at the end."""
import pytest

from polyglot.codegen.conformance import conformance_specs, format_matrix

MATRIX = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def specs():
    return conformance_specs()


@pytest.fixture
def matrix(request) -> dict:
    """language -> {spec: (as expected, total)} or why it did not run; shared by the session."""
    return request.config.stash.setdefault(MATRIX, {})


def pytest_terminal_summary(terminalreporter, config):
    rows = config.stash.get(MATRIX, {})
    if rows:
        terminalreporter.section("conformance matrix (cases as expected / cases)")
        terminalreporter.write_line(format_matrix(dict(sorted(rows.items()))))
