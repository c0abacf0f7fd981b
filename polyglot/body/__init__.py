"""The portable expression language: the one body every target renders (DESIGN.md §3)."""
from polyglot.body.check import BodyContext, check_body, parse_body
from polyglot.body.evaluate import EvalError, Limits, evaluate

__all__ = ["BodyContext", "EvalError", "Limits", "check_body", "evaluate", "parse_body"]
