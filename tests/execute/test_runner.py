"""The worker pool: order, statuses, build steps, progress bar."""
import shutil

from polyglot.execute.runner import Job, default_workers, run_jobs
from polyglot.execute.sandbox import Limits

PY = shutil.which("python3", path="/usr/bin:/bin") or "python3"


def test_results_keep_job_order_whatever_finishes_first():
    jobs = [Job([[PY, "-c", f"import time; time.sleep({0.4 - 0.1 * i}); print({i})"]])
            for i in range(4)]
    results = run_jobs(jobs, workers=4, progress=False)
    assert [r.stdout for r in results] == ["0\n", "1\n", "2\n", "3\n"]


def test_mixed_outcomes_and_build_steps():
    jobs = [
        Job([["sh", "-c", "exit 0"]]),
        Job([["sh", "-c", "exit 4"]]),
        Job([["sleep", "30"]], limits=Limits(wall_s=0.3)),
        Job([["sh", "-c", "echo 'print(7)' > gen.py"], [PY, "gen.py"]]),
        Job([["false"], ["true"]]),
        Job([[PY, "main.py"]], {"main.py": "print(input()[::-1])"}, stdin="abc\n"),
    ]
    results = run_jobs(jobs, workers=2, progress=False)
    assert [(r.status, r.reason, r.step) for r in results] == [
        ("passed", "", 0), ("failed", "exit", 0), ("timed_out", "wall_time", 0),
        ("passed", "", 1), ("failed", "compile", 0), ("passed", "", 0)]
    assert (results[3].stdout, results[5].stdout) == ("7\n", "cba\n")


def test_progress_bar_goes_to_stderr(capsys):
    run_jobs([Job([["true"]])] * 3, workers=1, progress=True, desc="samples")
    out, err = capsys.readouterr()
    assert out == ""
    assert "samples: 100%" in err and "3/3" in err and "passed=3" in err


def test_no_jobs_and_default_workers():
    assert run_jobs([], progress=False) == []
    assert default_workers() >= 1
