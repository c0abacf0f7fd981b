"""The canonical keys of a .vibee spec, by the mapping they may appear in.

Human language packs map their own words onto these (`дано` -> `given`). A key that is
none of these and not decorative is unknown: a warning, or an error under --strict.
"""
from __future__ import annotations

TOP_KEYS = (
    "name", "version", "locale", "language", "module", "description", "types",
    "constants", "imports", "behaviors", "test_cases",
)
TYPE_KEYS = ("name", "fields", "enum", "values", "variants", "description")
BEHAVIOR_KEYS = (
    "name", "description", "given", "when", "then", "params", "returns",
    "implementation", "test_cases",
)
PARAM_KEYS = ("name", "type", "description")
TEST_KEYS = ("name", "behavior", "input", "expected", "tolerance", "raises", "description")
CONSTANT_KEYS = ("type", "value", "description")

#: Every canonical key, once. Human packs give aliases for each of these.
CANONICAL_KEYS: tuple[str, ...] = tuple(dict.fromkeys(
    TOP_KEYS + TYPE_KEYS + BEHAVIOR_KEYS + PARAM_KEYS + TEST_KEYS + CONSTANT_KEYS
))

#: Spellings seen in real VIBEE files that mean a canonical key in every locale.
UNIVERSAL_ALIASES: dict[str, str] = {
    "behaviours": "behaviors",
    "When": "when", "Given": "given", "Then": "then",
    "tests": "test_cases", "testcases": "test_cases", "examples": "test_cases",
    "inputs": "input", "output": "expected", "expect": "expected",
    "return": "returns", "return_type": "returns", "parameters": "params",
    "impl": "implementation", "lang": "locale", "desc": "description",
}

#: Keys VIBEE files use for decoration; read, ignored with a warning, never an error.
#: A word may be both (`output` is `expected` inside a test case, a file path at the top):
#: the reader tries the alias first and falls back to decoration where it does not belong.
DECORATIVE_KEYS = frozenset({
    "sacred_constants", "sacred_formula", "creation_pattern", "pas_pattern", "pas_analysis",
    "self_evolution", "generation", "author", "target", "output", "world", "category",
    "spec_type", "chapter", "introduction", "body", "conclusion", "tags", "metadata",
    "trinity", "trinity_formula", "dependencies", "license", "status", "priority",
    "notes", "references", "metrics", "benchmarks", "phi", "golden_identity",
})
