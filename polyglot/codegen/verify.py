"""Build and run a rendered project with the pack's toolchain; read back every case.

The generated runner prints `PASS <id>` or `FAIL <id> <why>` per case and ends with
`N passed, N failed`; this module writes the files into a fresh temp folder, runs the
pack's compile commands and then its run command (with timeouts, the whole process group
killed on expiry), and matches the printed lines against the case ids the renderer
produced. A case the runner never reported counts as failed ("missing"), so a runner
that crashes half-way cannot pass.

Generated code here is not untrusted: it is rendered from a checked, pure body that has
no I/O, so it runs as the calling user with the caller's toolchains (compilers installed
under a home folder included). Model samples go through `polyglot.execute.sandbox`.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from polyglot.codegen.pack import CodePack
from polyglot.codegen.project import Project
from polyglot.codegen.template import Template
from polyglot.errors import SpecError

_LINE = re.compile(r"^(PASS|FAIL) (\S+)(?: (.*))?$")
_SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")
_TAIL = 4000


@dataclass(frozen=True)
class CaseOutcome:
    id: str
    status: str  # "passed" | "failed" | "missing"
    detail: str = ""


@dataclass
class VerifyReport:
    """What building and running a project gave.

    `stage` is where it ended: "compile" (a build step failed), "timeout", "run" (the
    runner ran; see `cases`). `ok` is true only when every case with a body passed, every
    case of a stub (`expected_failures`) failed as its stub must, the runner's summary
    line agrees, and its exit status is non-zero exactly when a stub's case failed.
    """

    language: str
    stage: str
    ok: bool
    cases: list[CaseOutcome] = field(default_factory=list)
    summary: str = ""
    exit_code: int | None = None
    seconds: float = 0.0
    output: str = ""
    expected_failures: frozenset[str] = frozenset()

    def as_expected(self, case: CaseOutcome) -> bool:
        """A case with a body must pass; a stub's case must be reported failed."""
        return case.status == ("failed" if case.id in self.expected_failures else "passed")

    def unexpected(self) -> list[CaseOutcome]:
        return [c for c in self.cases if not self.as_expected(c)]

    @property
    def not_implemented(self) -> int:
        """Cases that failed because their behaviour is a stub, as they must."""
        return sum(c.status == "failed" and c.id in self.expected_failures for c in self.cases)

    @property
    def passed(self) -> int:
        return sum(c.status == "passed" for c in self.cases)

    @property
    def failed(self) -> int:
        return len(self.cases) - self.passed

    def to_dict(self) -> dict:
        data = asdict(self)
        data["expected_failures"] = sorted(self.expected_failures)
        return {**data, "passed": self.passed, "failed": self.failed, "not_implemented": self.not_implemented}


def check_toolchain(pack: CodePack) -> None:
    """Raise a SpecError naming the package to install when a command is missing."""
    missing = pack.toolchain.missing()
    if missing:
        names = ", ".join(f"`{r.command}`" for r in missing)
        hints = "; ".join(f"{r.install_hint()} ({r.source} package `{r.package}`)" for r in missing)
        raise SpecError(f"the {pack.display_name} toolchain is not installed: {names} not found",
                        hint=hints)


def _run(argv: list[str], cwd: str, timeout: float, env: dict[str, str]) -> tuple[int | None, str]:
    """Run `argv`; (exit code or None on timeout, stdout+stderr)."""
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as err:
        return 127, f"cannot run {argv[0]}: {err}"
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out.decode("utf-8", "replace")


def parse_results(output: str, expected: list[str]) -> tuple[list[CaseOutcome], str]:
    """Per-case outcomes in `expected` order, and the summary line (or "")."""
    seen: dict[str, CaseOutcome] = {}
    summary = ""
    for line in output.splitlines():
        line = line.rstrip("\r")
        m = _LINE.match(line)
        if m:
            seen.setdefault(m.group(2), CaseOutcome(m.group(2), "passed" if m.group(1) == "PASS" else "failed",
                                                    m.group(3) or ""))
        elif _SUMMARY.match(line):
            summary = line
    cases = [seen.get(i, CaseOutcome(i, "missing", "not reported by the test runner")) for i in expected]
    return cases, summary


def verify_project(pack: CodePack, project: Project, timeout_s: float | None = None) -> VerifyReport:
    """Write `project` to a temp folder, build it and run its tests.

    Args:
        pack: the pack that rendered it (its toolchain is used).
        project: from `render_project`.
        timeout_s: per command; default the pack's `timeout_s`.

    Returns:
        The `VerifyReport`.

    Raises:
        SpecError: the toolchain is missing (naming the package to install).
    """
    check_toolchain(pack)
    timeout = timeout_s or pack.toolchain.timeout_s
    expected = project.case_ids
    stubs = project.stub_case_ids
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"polyglot-verify-{pack.name}-") as tmp:
        for path, text in project.files.items():
            target = Path(tmp, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        env = {**os.environ, **dict(pack.toolchain.env)}
        env = {k: Template(v).fill({"dir": tmp}) for k, v in env.items()}
        for command in pack.toolchain.compile:
            argv = [Template(a).fill({"dir": tmp}) for a in command]
            code, out = _run(argv, tmp, timeout, env)
            if code != 0:
                why = "compile timed out" if code is None else f"compile failed (exit {code})"
                return VerifyReport(pack.name, "timeout" if code is None else "compile", False,
                                    [CaseOutcome(i, "failed", why) for i in expected],
                                    exit_code=code, seconds=time.perf_counter() - start, output=out[-_TAIL:],
                                    expected_failures=stubs)
        argv = [Template(a).fill({"dir": tmp}) for a in pack.toolchain.run]
        code, out = _run(argv, tmp, timeout, env)
    cases, summary = parse_results(out, expected)
    if code is None:
        cases = [c if c.status != "missing" else CaseOutcome(c.id, "missing", "run timed out") for c in cases]
    report = VerifyReport(pack.name, "timeout" if code is None else "run", False, cases, summary, code,
                          time.perf_counter() - start, out[-_TAIL:], stubs)
    m = _SUMMARY.match(summary)
    agrees = bool(m) and int(m.group(1)) == report.passed and int(m.group(2)) == report.failed
    report.ok = (code is not None and agrees and not report.unexpected()
                 and (code != 0) == (report.not_implemented > 0))
    return report
