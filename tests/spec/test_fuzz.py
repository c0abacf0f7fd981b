"""No input may escape the reader as anything but an IR or a SpecError.

Two generators: random YAML documents, and random mutations (textual and structural) of
real specs. Together they run 2,400 cases per CI run.
"""
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyglot.errors import SpecError
from polyglot.spec.ir import Spec
from polyglot.spec.reader import parse_spec
from polyglot.spec.run import run_spec

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ROOT = Path(__file__).resolve().parents[2]
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.vibee"))]
SETTINGS = settings(max_examples=800, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

KEYS = ["name", "types", "fields", "enum", "values", "behaviors", "params", "returns", "type",
        "implementation", "test_cases", "input", "expected", "raises", "tolerance", "constants",
        "given", "When", "параметры", "返回", "locale", "module", "x", "items", "Item", "Color"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                    st.sampled_from(["Int", "List<Item>", "Map<String, Int>", "Int?", "sum(x for x in items)",
                                     "x +", "[]", "{}", "null", "Color.red", "len(items) / 0", "range(10**12)",
                                     "-9223372036854775808", "len([]) + len({})", "int(1e300)", "'x' * 10**18",
                                     "-" * 120 + "1", "len(range(-9223372036854775808, 9223372036854775807))",
                                     "Map<List<Int>, Int>", "Integer", "ﬁle", "no", "NaN"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5)),
    max_leaves=30)


def accept(text) -> None:
    try:
        spec = parse_spec(text, file="fuzz.vibee", strict=False)
    except SpecError as err:
        assert str(err).startswith("fuzz.vibee")
        return
    assert isinstance(spec, Spec)
    run_spec(spec)  # the evaluator must not escape either: results, not exceptions


@SETTINGS
@given(values)
def test_random_documents(doc):
    accept(yaml.dump(doc, Dumper=DUMPER, allow_unicode=True))


@SETTINGS
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 7), st.text(max_size=6)),
                                        min_size=1, max_size=4))
def test_text_mutations(seed, edits):
    lines = seed.splitlines()
    for where, kind, junk in edits:
        i = where % max(1, len(lines))
        if kind == 0 and lines:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[i] if lines else junk)
        elif kind == 2 and lines:
            lines[i] = lines[i][: where % (len(lines[i]) + 1)] + junk + lines[i][where % (len(lines[i]) + 1):]
        elif kind == 3 and lines:
            lines[i] = " " + lines[i]
        elif kind == 4 and lines:
            lines[i] = lines[i].lstrip()
        elif kind == 5 and len(lines) > 1:
            j = (where // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 6 and lines:
            lines[i] = lines[i].replace(":", junk or "", 1)
        else:
            lines.insert(i, junk)
    accept("\n".join(lines))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


@SETTINGS
@given(st.sampled_from(SEEDS), st.integers(0, 10**6), values)
def test_structural_mutations(seed, where, replacement):
    doc = yaml.load(seed, Loader=LOADER)
    paths = list(_paths(doc))[1:]
    path = paths[where % len(paths)]
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = replacement
    accept(yaml.dump(doc, Dumper=DUMPER, allow_unicode=True))
