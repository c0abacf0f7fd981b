"""`polyglot check`: validate specs and run their test cases on the reference evaluator."""
from __future__ import annotations

import json

import click

from polyglot.commands._common import read_spec_arg
from polyglot.errors import SpecError
from polyglot.spec.run import run_spec

_MARK = {"passed": "PASS", "failed": "FAIL", "error": "ERR ", "skipped": "SKIP"}


@click.command("check")
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--strict", is_flag=True, help="Treat unknown keys as errors, not warnings.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report instead of text.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
def command(specs: tuple[str, ...], strict: bool, as_json: bool, quiet: bool) -> None:
    """Validate SPECS and run every test case on the reference evaluator.

    Exit status: 0 all cases pass, 1 some case fails, 2 a spec is malformed. SPEC `-`
    reads standard input. With --json, a malformed spec's error is in its file's entry,
    and the first one also under the report's "error" key.

    \b
    Examples:
      polyglot check examples/cart.vibee
      polyglot check --strict --json examples/*.vibee
      cat cart.vibee | polyglot check -
    """
    reports = []
    worst = 0
    first_error: SpecError | None = None
    for arg in specs:
        path = "<stdin>" if arg == "-" else arg
        warnings: list[SpecError] = []
        try:
            spec = read_spec_arg(arg, strict=strict, on_warning=warnings.append)
        except SpecError as err:
            reports.append({"file": path, "error": err.to_dict(), "warnings": [w.to_dict() for w in warnings]})
            worst = 2
            first_error = first_error or err
            if not as_json:
                _print_warnings(warnings)
            click.echo(str(err), err=True)
            continue
        results = run_spec(spec)
        counts = {s: sum(r.status == s for r in results) for s in _MARK}
        if counts["failed"] or counts["error"]:
            worst = max(worst, 1)
        reports.append({"file": path, "spec": spec.name, "locale": spec.locale,
                        "behaviors": len(spec.behaviors), "counts": counts,
                        "cases": [r.to_dict() for r in results],
                        "warnings": [w.to_dict() for w in warnings]})
        if as_json:
            continue
        _print_warnings(warnings)
        for r in results:
            if quiet and r.status in ("passed", "skipped"):
                continue
            detail = f"  ({r.detail})" if r.detail and r.status != "passed" else ""
            click.echo(f"  {_MARK[r.status]} {r.behavior}/{r.case}{detail}")
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        click.echo(f"{path}: {len(spec.behaviors)} behaviours, {len(results)} cases"
                   + (f": {summary}" if summary else ""))
    if as_json:
        report = {"files": reports, "exit": worst}
        if first_error is not None:
            report["error"] = first_error.to_dict()
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if worst:
        raise click.exceptions.Exit(worst)


def _print_warnings(warnings: list[SpecError]) -> None:
    for w in warnings:
        click.echo(str(w), err=True)
