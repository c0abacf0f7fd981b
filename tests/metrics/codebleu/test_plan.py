"""The scan plan: shallow query patterns matched during the C engine's scan find exactly
the matches tree-sitter's query cursor finds."""
from __future__ import annotations

import pytest
from tree_sitter import Query
from tree_sitter_language_pack import get_binding

from test_native import texts_for

from polyglot.metrics.codebleu import COMPAT_LANGUAGES, CodeBLEU
from polyglot.metrics.codebleu._native import Engine
from polyglot.metrics.codebleu.native import _sources, new_engine
from polyglot.metrics.codebleu.plan import scan_plan
from polyglot.metrics.codebleu.queries import available_languages, grammar_dir
from polyglot.metrics.codebleu.scan import ERROR_KIND


def cuts(text: str) -> list[str]:
    """The text and three prefixes of it: broken trees have ERROR and MISSING nodes."""
    return [text] + [text[:len(text) * k // 4] for k in (1, 2, 3)]


def planned(metric: CodeBLEU) -> bool:
    flow, _ = _sources(metric.lang, metric.compat, metric.grammar.language, grammar_dir(metric.lang))
    return flow is not None and scan_plan(Query(metric.grammar.language, flow), flow) is not None


def check_same_matches(lang: str, mode: str) -> int:
    """Plan and cursor agree on every test text of ``lang`` (and its cuts); returns the matches seen."""
    metric = CodeBLEU(lang, mode=mode)
    by_plan, by_cursor = new_engine(metric), new_engine(metric, planned=False)
    end = "\n" if metric.grammar.final_newline else ""
    seen = 0
    for text in texts_for(lang):
        for cut in cuts(text.strip()):
            if metric.stripper:
                cut = metric.stripper.fast(cut)
            source = (cut + end).encode("utf-8", "replace")
            expected = by_cursor.matches(source)
            assert by_plan.matches(source) == expected, cut[:200]
            seen += len(expected)
    return seen


#: (language, mode) whose flow query has a plan: the others run the cursor alone
PLANNED = [(lang, mode) for mode, langs in (("compat", COMPAT_LANGUAGES), ("default", available_languages()))
           for lang in langs if planned(CodeBLEU(lang, mode=mode))]


@pytest.mark.parametrize("lang, mode", PLANNED)
def test_plans_find_the_cursors_matches(lang: str, mode: str) -> None:
    assert check_same_matches(lang, mode) > 50


def test_the_benchmarked_compat_queries_have_plans() -> None:
    assert {(lang, "compat") for lang in ("python", "java", "c", "cpp", "csharp", "javascript")} <= set(PLANNED)


# ---- the plan's data ---------------------------------------------------------------------

def plan_of(lang: str, source: str):
    return scan_plan(Query(CodeBLEU(lang).grammar.language, source), source)


def test_plan_data_of_shallow_patterns() -> None:
    source = ('((assignment left: (_) @t right: (_) @v) @a (#set! flow.style "zip"))\n'
              '; a comment between patterns\n'
              '(if_statement "if" _ @any alternative: (else_clause) @e) @b\n'
              '((assignment !right) @s)\n'
              '[(while_statement) (for_statement)] @loop\n'
              '(default_parameter value: (_)? @v)\n')
    assert plan_of("python", source) == [
        (("assignment",), ("a",), (), (("left", "", True, False, ("t",)), ("right", "", True, False, ("v",)))),
        (("if_statement",), ("b",), (), (("", "if", False, False, ()), ("", "", False, False, ("any",)),
                                         ("alternative", "else_clause", True, False, ("e",)))),
        (("assignment",), ("s",), ("right",), ()),
        (("while_statement", "for_statement"), ("loop",), (), ()),
        (("default_parameter",), (), (), (("value", "", True, True, ("v",)),)),
    ]


@pytest.mark.parametrize("source", [
    "(call function: (attribute object: (identifier) @o))",  # nested two deep
    "(block . (expression_statement) @first)",                # anchor
    "(block (expression_statement)* @all)",                   # repetition
    "(_ alternative: (else_clause) @e)",                      # wildcard root
    "[(identifier) @a (integer) @b]",                         # captures inside the alternation
    "((identifier) @a (identifier) @b)",                      # a sequence of siblings
])
def test_deeper_patterns_keep_the_cursor(source: str) -> None:
    assert plan_of("python", source + "\n(if_statement) @i\n") is None


# ---- matching semantics, against the cursor on hand-made queries -------------------------------

def engines(lang: str, source: str, usable: bool = True) -> tuple[Engine, Engine]:
    metric = CodeBLEU(lang)
    kinds = metric._kinds
    ids = sorted(i for i in kinds.names if i != ERROR_KIND) + [ERROR_KIND]
    args = (get_binding(lang), False, source, None, "comment",
            [kinds.names[i] for i in ids], [kinds.named[i] for i in ids], [])
    plan = scan_plan(Query(metric.grammar.language, source), source)
    assert plan is not None
    by_plan, by_cursor = Engine(*args, plan), Engine(*args)
    assert (by_plan.planned(), by_cursor.planned()) == (usable, False)
    return by_plan, by_cursor


PYTHON = """\
if a:
    x = 1
elif b:
    x = 2
elif c:
    pass
else:
    x, y = 3, 4
for i in range(3):
    total += i
else:
    done = True
def f(p, q=1, *r, s=2):
    return [v for v in p if v]
"""


@pytest.mark.parametrize("source, count", [
    ("(if_statement alternative: (elif_clause) @alt) @if", 2),      # one match per fitting child
    ("(if_statement (_) @any) @if", 5),                           # every named child
    ("(if_statement _ @any) @if", 7),                             # named or not ("if", ":")
    ('(if_statement "if" @kw alternative: (_) @alt)', 3),         # a literal child
    ("(for_statement left: (_) @t right: (_) @v !alternative)", 0),  # a negated field
    ("(for_statement left: (_) @t right: (_) @v alternative: (_))", 1),
    ("(default_parameter name: (_) @n value: (_)? @v) @d", 2),     # longest match kept
    ("(parameters (identifier)? @p (default_parameter)? @d)", 2),  # p with q=1, p with s=2
    ('((identifier) @id (#eq? @id "x"))', 3),                     # a text predicate
    ("[(pass_statement) (return_statement)] @leaf", 2),
    ("(block (expression_statement) @s)", 5),                     # a supertype: what it wraps
    ("(expression_statement (assignment left: _ @l)) @e", None),  # no plan: not compared
])
def test_plan_matches_like_the_cursor(source: str, count: int | None) -> None:
    if count is None:
        assert plan_of("python", source) is None
        return
    by_plan, by_cursor = engines("python", source)
    for cut in cuts(PYTHON):
        assert by_plan.matches(cut.encode()) == by_cursor.matches(cut.encode()), cut
    assert len(by_cursor.matches(PYTHON.encode())) == count


def test_a_supertype_root_keeps_the_cursor() -> None:
    """``(expression)`` names a supertype, which only the compiled grammar knows: the
    engine refuses that plan and runs the cursor."""
    by_plan, by_cursor = engines("python", "(expression) @e\n(if_statement) @i\n", usable=False)
    assert by_plan.matches(PYTHON.encode()) == by_cursor.matches(PYTHON.encode())
    assert len(by_cursor.matches(PYTHON.encode())) > 10


def test_more_captures_on_one_node_than_a_plan_keeps_run_the_cursor() -> None:
    captures = " ".join(f"@c{i}" for i in range(9))
    by_plan, by_cursor = engines("python", f"(if_statement) {captures}\n", usable=False)
    assert by_plan.matches(PYTHON.encode()) == by_cursor.matches(PYTHON.encode())
    assert len(by_cursor.matches(PYTHON.encode())) == 1
