"""The conformance suite: every shared spec, one project per language, one build.

`tests/conformance/specs/*.vibee` exercise every type and body construct with edge values
whose meaning the reference evaluator fixes. A pack conforms when all of them render
without a syntax problem and every test case passes after one compile of one project --
one build per language, because compilers such as kotlinc cost seconds per call.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from polyglot.codegen.pack import CodePack
from polyglot.codegen.project import Project, render_project
from polyglot.codegen.syntax import SyntaxProblem, project_problems
from polyglot.codegen.verify import VerifyReport, verify_project
from polyglot.errors import SpecError
from polyglot.langpacks import builtin_langpacks_dir
from polyglot.spec.ir import Spec
from polyglot.spec.reader import read_spec


def default_specs_dir() -> Path:
    """`tests/conformance/specs` of the source tree polyglot runs from."""
    return builtin_langpacks_dir().parent / "tests" / "conformance" / "specs"


def conformance_specs(folder: str | Path | None = None) -> list[Spec]:
    """Every `*.vibee` in `folder` (default `default_specs_dir()`), sorted by file name.

    Raises:
        SpecError: the folder holds no spec, or a spec is malformed.
    """
    root = Path(folder) if folder is not None else default_specs_dir()
    paths = sorted(root.glob("*.vibee"))
    if not paths:
        raise SpecError("no conformance specs found", file=str(root),
                        hint="run from a source checkout, or pass the specs folder")
    return [read_spec(p, on_warning=lambda w: None) for p in paths]


@dataclass
class ConformanceResult:
    """Rendering, syntax and (when run) verification of the suite for one language."""

    language: str
    project: Project
    problems: list[SyntaxProblem]
    render_s: float
    report: VerifyReport | None = None

    def per_spec(self) -> dict[str, tuple[int, int]]:
        """spec name -> (cases that behaved as expected, cases in all); needs `report`."""
        good = {c.id for c in (self.report.cases if self.report else []) if self.report.as_expected(c)}
        return {s.spec: (sum(i in good for i in s.case_ids), len(s.case_ids)) for s in self.project.specs}

    def unexpected(self) -> list:
        """Cases that did not behave as expected (all of them when not verified)."""
        return self.report.unexpected() if self.report else []

    @property
    def ok(self) -> bool:
        """No syntax problem, and the verification is ok (stubs failing as they must)."""
        return not self.problems and self.report is not None and self.report.stage == "run" and self.report.ok


def run_conformance(pack: CodePack, specs: list[Spec], verify: bool = True) -> ConformanceResult:
    """Render `specs` into one project, parse every file, and optionally build and run it.

    Raises:
        SpecError: the pack cannot render a spec, or (verify) its toolchain is missing.
    """
    start = time.perf_counter()
    project = render_project(pack, specs)
    render_s = time.perf_counter() - start
    result = ConformanceResult(pack.name, project, project_problems(pack, project), render_s)
    if verify:
        result.report = verify_project(pack, project)
    return result


def format_matrix(rows: dict[str, dict[str, tuple[int, int]] | str]) -> str:
    """A language x spec table of `passed/total` (as expected), one row per language.

    Args:
        rows: language -> {spec: (as expected, total)}, or a string saying why it did not run.

    Returns:
        Plain text, one line per language plus a header.
    """
    specs = sorted({s for r in rows.values() if isinstance(r, dict) for s in r})
    width = max([len(lang) for lang in rows] + [8])
    cols = [max(len(s), 7) for s in specs]
    lines = [" ".join([f"{'language':<{width}}", *(f"{s:>{w}}" for s, w in zip(specs, cols)), f"{'total':>9}"])]
    for lang, row in rows.items():
        if isinstance(row, str):
            lines.append(f"{lang:<{width}} {row}")
            continue
        cells = [f"{row[s][0]}/{row[s][1]}" if s in row else "-" for s in specs]
        done, total = sum(v[0] for v in row.values()), sum(v[1] for v in row.values())
        lines.append(" ".join([f"{lang:<{width}}", *(f"{c:>{w}}" for c, w in zip(cells, cols)),
                               f"{f'{done}/{total}':>9}"]))
    return "\n".join(lines)
