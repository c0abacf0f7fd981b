"""Specs: reading .vibee files into the typed IR, and running their test cases."""
from polyglot.spec.ir import Behavior, Spec, TestCase
from polyglot.spec.reader import parse_spec, read_spec

__all__ = ["Behavior", "Spec", "TestCase", "parse_spec", "read_spec"]
