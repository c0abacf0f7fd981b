"""The dataflow engine: what the flow and locals captures mean, on small programs."""
from __future__ import annotations

from polyglot.metrics.codebleu import CodeBLEU, dataflow
from polyglot.metrics.codebleu.source import parse_stripped


def edges(lang: str, code: str, mode: str = "default") -> list[tuple]:
    """``(name, relation, parent names)`` of every entry, positions left out."""
    metric = CodeBLEU(lang, mode=mode)
    tree, source = parse_stripped(metric._parser, code.encode(), metric.strip_query, metric.strip_prefix)
    caps = dataflow.read_captures(metric.flow_query, tree.root_node)
    return [(e[0], e[2], e[3]) for e in dataflow.extract_dataflow(tree.root_node, source, caps, metric.compat)]


def test_values_flow_into_targets_and_uses_come_from_definitions():
    assert edges("python", "def f(a):\n    x = a + 1\n    return x\n") == [
        ("a", "comesFrom", []),
        ("x", "computedFrom", ["a"]),
        ("a", "comesFrom", ["a"]),
        ("x", "comesFrom", ["x"]),
    ]


def test_scopes_keep_names_apart():
    # the inner `x` is g's parameter; the outer one is never used, so it is dropped
    code = "x = 1\ndef g(x):\n    return x\n"
    assert edges("python", code) == [("x", "comesFrom", []), ("x", "comesFrom", ["x"])]
    # compat mode has no scopes: the parameter is a use of the global, and literals are nodes
    assert edges("python", code, "compat") == [
        ("x", "computedFrom", ["1"]), ("1", "comesFrom", []),
        ("x", "comesFrom", ["x"]), ("x", "comesFrom", ["x"]),
    ]


def test_branches_merge_and_loops_see_the_previous_iteration():
    code = "int f(int n) {\n  int s = 0;\n  while (n > 0) { s = s + n; n--; }\n  if (s) s = 1; else s = 2;\n  return s;\n}\n"
    flow = edges("c", code)
    assert ("s", "computedFrom", ["n", "s"]) in flow  # s = s + n, parents by first appearance
    assert ("n", "computedFrom", ["n"]) in flow       # n-- reads n
    assert flow[-1] == ("s", "comesFrom", ["s"])       # return s
    metric = CodeBLEU("c")
    tree, source = parse_stripped(metric._parser, code.encode(), metric.strip_query)
    caps = dataflow.read_captures(metric.flow_query, tree.root_node)
    entries = dataflow.extract_dataflow(tree.root_node, source, caps, False)
    assert len(entries[-1][4]) == 2  # ... from both branches of the if
    loop_use = [e for e in entries if e[0] == "s" and e[2] == "comesFrom" and e[3]][0]
    assert len(loop_use[4]) == 2     # `s` in the loop: from `int s = 0` and the last pass


def test_normalize_renames_in_order_of_appearance():
    entries = [("a", 1, "comesFrom", [], []), ("b", 3, "computedFrom", ["a"], [1])]
    assert dataflow.normalize(entries) == [("var_0", "comesFrom", ()), ("var_1", "computedFrom", ("var_0",))]


def test_match_counts_use_each_edge_once():
    ref = [("var_0", "comesFrom", ())] * 3
    assert dataflow.match_counts([("var_0", "comesFrom", ())], ref) == (1, 3)


def test_compat_parent_order_follows_cpython_sets():
    # `int t = a + b + c;` under codebleu's Java walker: one edge per value token, merged
    # with list(set(...)); with PYTHONHASHSEED=0 CPython iterates {a, b, c} as c, a, b.
    flow = edges("java", "class A { void f(int a, int b, int c) { int t = a + b + c; } }", "compat")
    assert ("t", "comesFrom", ["c", "a", "b"]) in flow
