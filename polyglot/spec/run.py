"""Run a spec's test cases on the reference evaluator: the fast check before any toolchain."""
from __future__ import annotations

from dataclasses import dataclass

from polyglot.body.evaluate import EvalError, LimitExceeded, Limits, evaluate
from polyglot.spec.ir import Behavior, Spec, TestCase
from polyglot.spec.values import show, values_equal


@dataclass(frozen=True)
class CaseResult:
    behavior: str
    case: str
    status: str  # "passed" | "failed" | "error" | "skipped"
    detail: str = ""

    def to_dict(self) -> dict:
        return {"behavior": self.behavior, "case": self.case, "status": self.status, "detail": self.detail}


def run_case(spec: Spec, behavior: Behavior, case: TestCase, limits: Limits = Limits()) -> CaseResult:
    """One test case: passed, failed (with what came out), error, or skipped (no body)."""
    name = (behavior.name, case.name)
    if behavior.body is None:
        why = "no signature" if not behavior.signature_given else "no implementation"
        return CaseResult(*name, "skipped", why)
    constants = {c.name: c.value for c in spec.constants}
    try:
        actual = evaluate(behavior.body.expr, dict(case.inputs), constants, limits)
    except LimitExceeded as err:
        return CaseResult(*name, "error", str(err))
    except EvalError as err:
        if case.raises:
            return CaseResult(*name, "passed", f"raised: {err}")
        return CaseResult(*name, "failed", f"raised {err}; expected {show(case.expected)}")
    if case.raises:
        return CaseResult(*name, "failed", f"returned {show(actual)}; expected an error")
    if values_equal(actual, case.expected, case.tolerance):
        return CaseResult(*name, "passed")
    return CaseResult(*name, "failed", f"got {show(actual)}; expected {show(case.expected)}")


def run_spec(spec: Spec, limits: Limits = Limits()) -> list[CaseResult]:
    """Every test case of every behaviour, in spec order."""
    return [run_case(spec, b, c, limits) for b in spec.behaviors for c in b.tests]
