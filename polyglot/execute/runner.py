"""Run many sandboxed programs at once: n samples per problem through a worker pool.

Each job spends its time in a child process, so threads are enough to keep `workers`
programs running; results come back in the order of the jobs, whatever order they
finish in. A progress bar goes to stderr (shown only on a terminal unless asked).

Example:
    >>> from polyglot.execute.runner import Job, run_jobs
    >>> jobs = [Job([["python3", "-c", f"print({i} * {i})"]]) for i in range(4)]
    >>> [r.stdout for r in run_jobs(jobs, workers=2)]
    ['0\\n', '1\\n', '4\\n', '9\\n']
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from tqdm import tqdm

from polyglot.execute.sandbox import ExecResult, Limits, run_program


@dataclass(frozen=True)
class Job:
    """One program: the commands of `run_program` (build steps, then the run), its files
    and its limits."""

    commands: Sequence[Sequence[str]]
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    limits: Limits = Limits()
    compile_limits: Limits | None = None
    stdin: str | None = None
    env: Mapping[str, str] | None = None

    def run(self) -> ExecResult:
        return run_program(self.commands, self.files, self.limits,
                           compile_limits=self.compile_limits, stdin=self.stdin, env=self.env)


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_jobs(jobs: Sequence[Job], *, workers: int | None = None, progress: bool | None = None,
             desc: str = "running") -> list[ExecResult]:
    """Run every job in the sandbox, `workers` at a time.

    Args:
        jobs: the programs to run.
        workers: how many run at once (default: one per usable core).
        progress: show a progress bar on stderr; None shows it only on a terminal.
        desc: the progress bar's label.

    Returns:
        One `ExecResult` per job, in the order of `jobs`.
    """
    results: list[ExecResult | None] = [None] * len(jobs)
    bar = tqdm(total=len(jobs), desc=desc, unit="run", file=sys.stderr,
               disable=None if progress is None else not progress, dynamic_ncols=True)
    passed = 0
    with ThreadPoolExecutor(max_workers=workers or default_workers()) as pool:
        pending = {pool.submit(job.run): index for index, job in enumerate(jobs)}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    result = results[pending.pop(future)] = future.result()
                    passed += result.passed
                    bar.update(1)
                    bar.set_postfix(passed=passed, refresh=False)
        except BaseException:
            for future in pending:  # Ctrl-C: start nothing new; running jobs end at their limits
                future.cancel()
            raise
        finally:
            bar.close()
    return results  # type: ignore[return-value]
