import json
import random
from collections import Counter

import pytest

from polyglot.body.check import check_body
from polyglot.body.evaluate import EvalError, evaluate
from polyglot.data.augment import Variant
from polyglot.data.dataset import record_spec, to_record
from polyglot.data.describe import Words
from polyglot.data.names import native_vocabularies
from polyglot.data.sample import (FORMS, Dropped, Namer, Node, Sample, body_text, constructs, run_tests,
                                  sample)
from polyglot.spec.ir import Param
from polyglot.spec.run import run_spec
from polyglot.spec.types import BOOL, FLOAT, INT, STRING, list_of
from polyglot.spec.values import values_equal

SAMPLES = [sample(random.Random(f"test/{i}")) for i in range(150)]


def name(id, t):
    return Node("name", t, value=id)


def lit(value, t):
    return Node("literal", t, value=value)


def test_every_body_checks_with_the_sampled_type():
    for s in SAMPLES:
        assert check_body(s.body, s.context).type == s.returns, s.body


def test_every_body_reproduces_its_recorded_answers():
    for s in SAMPLES:
        typed = check_body(s.body, s.context)
        constants = {c.name: c.value for c in s.constants}
        assert len(s.tests) >= 2 and len({json.dumps(str(c.expected)) for c in s.tests if not c.raises}) >= 2
        for case in s.tests:
            if case.raises:
                with pytest.raises(EvalError):
                    evaluate(typed, dict(case.inputs), constants)
            else:
                assert values_equal(evaluate(typed, dict(case.inputs), constants), case.expected), (s.body, case)


def test_records_read_back_and_pass_on_the_evaluator():
    for s in SAMPLES[:60]:
        record = json.loads(json.dumps(to_record("s1", "s1", Variant(s), {"en": Words("", "", "x")})))
        results = run_spec(record_spec(record))
        assert [r.status for r in results] == ["passed"] * len(s.tests), (s.body, results)


def test_every_parameter_is_used_and_every_declaration_needed():
    for s in SAMPLES:
        used = {n.value for n in s.tree.walk() if n.op == "name"}
        assert all(p.name in used for p in s.params), s.body
        for r in s.records:
            assert r.name in s.body or any(r.name in str(p.type) for p in s.params) or r.name in str(s.returns)


def test_every_construct_is_sampled():
    seen = Counter(c for s in SAMPLES for c in constructs(s.tree))
    assert sorted(seen) == sorted(FORMS)


def test_same_seed_same_sample_and_pinned():
    again = sample(random.Random("test/0"))
    assert again == SAMPLES[0]
    s = sample(random.Random("0/0"))
    assert (s.name, s.body, str(s.returns)) == ("shout_ratio", "('id_' if ratio < MAX_LEN else 'x').upper()", "String")
    assert [(dict(c.inputs)["ratio"], c.expected) for c in s.tests] == [
        (4.2, "ID_"), (25.6, "X"), (6.5, "ID_"), (-4.43, "ID_"), (16.39, "ID_")]
    assert [(c.name, c.value) for c in s.constants] == [("MAX_LEN", 20)]


@pytest.mark.parametrize("tree, text", [
    (Node("multiply", INT, (("a", Node("add", INT, (("a", name("a", INT)), ("b", lit(2, INT))))),
                            ("b", lit(2, INT)))), "(a + 2) * 2"),
    (Node("subtract", INT, (("a", name("a", INT)),
                            ("b", Node("subtract", INT, (("a", name("b", INT)), ("b", name("c", INT))))))),
     "a - (b - c)"),
    (Node("multiply", INT, (("a", name("a", INT)), ("b", lit(-1, INT)))), "a * -1"),
    (Node("upper", STRING, (("x", Node("if_else", STRING, (("cond", name("f", BOOL)), ("then", name("s", STRING)),
                                                            ("else", lit("x", STRING))))),)),
     "(s if f else 'x').upper()"),
    (Node("count", INT, (("item", "x"), ("items", name("xs", list_of(INT))),
                         ("cond", Node("greater_than", BOOL, (("a", name("x", INT)), ("b", lit(2.5, FLOAT))))))),
     "sum(1 for x in xs if x > 2.5)"),
    (Node("is_empty", BOOL, (("x", Node("filter", list_of(INT), (
        ("item", "x"), ("items", name("xs", list_of(INT))),
        ("cond", Node("equals", BOOL, (("a", name("x", INT)), ("b", lit(0, INT))))))),),)),
     "len([x for x in xs if x == 0]) == 0"),
    (Node("join", STRING, (("items", name("ws", list_of(STRING))), ("sep", lit(", ", STRING)))), "', '.join(ws)"),
    (Node("at_least", BOOL, (("a", Node("add", INT, (("a", name("a", INT)), ("b", lit(2, INT))))),
                             ("b", name("n", INT)))), "a + 2 >= n"),
    (Node("at_most", BOOL, (("a", name("a", INT)), ("b", lit(-1, INT)))), "a <= -1"),
    (Node("round", INT, (("x", Node("divide", FLOAT, (("a", name("a", INT)), ("b", name("b", INT))))),)),
     "round(a / b)"),
    (Node("round_to", FLOAT, (("x", name("p", FLOAT)), ("digits", lit(2, INT)))), "round(p, 2)"),
    (Node("split", list_of(STRING), (("x", Node("concat", STRING, (("a", name("s", STRING)),
                                                                  ("b", lit("!", STRING))))),
                                     ("sep", lit(",", STRING)))), "(s + '!').split(',')"),
    (Node("multiply", FLOAT, (("a", name("k", FLOAT)), ("b", Node("average", FLOAT, (
        ("expr", name("x", INT)), ("item", "x"), ("items", name("xs", list_of(INT)))))))),
     "k * (sum(x for x in xs) / len(xs))"),
])
def test_body_text_has_one_spelling_with_needed_parentheses(tree, text):
    assert body_text(tree) == text


def _draft(tree, params):
    return Sample("f", tuple(params), tree.type, (), (), tree, ())


def test_constant_bodies_are_dropped():
    tree = Node("greater_than", BOOL, (("a", Node("length", INT, (("x", name("s", STRING)),))), ("b", lit(-1, INT))))
    draft = _draft(tree, [Param("s", STRING)])
    with pytest.raises(Dropped) as info:
        run_tests(draft, check_body(draft.body, draft.context), random.Random(0))
    assert info.value.reason == "constant"


def test_bodies_failing_on_every_input_are_dropped():
    tree = Node("divide", FLOAT, (("a", name("n", INT)), ("b", lit(0, INT))))
    draft = _draft(tree, [Param("n", INT)])
    with pytest.raises(Dropped) as info:
        run_tests(draft, check_body(draft.body, draft.context), random.Random(0))
    assert info.value.reason == "errors"


def test_kept_cases_show_every_different_answer_first():
    tree = Node("divide", FLOAT, (("a", lit(1, INT)), ("b", name("n", INT))))
    draft = _draft(tree, [Param("n", INT)])
    cases = run_tests(draft, check_body(draft.body, draft.context), random.Random(3))
    assert [c.name for c in cases] == ["case_1", "case_2", "case_3", "case_4", "case_5"]
    answers = [c.expected for c in cases if not c.raises]
    assert len(set(answers)) == len(answers)


def test_constants_are_declared_used_and_evaluated():
    using = [s for s in SAMPLES if s.uses_constants]
    assert len(using) == 22  # 15% of samples
    for s in using:
        declared = {c.name for c in s.constants}
        assert {n.value[0] for n in s.tree.walk() if n.op == "const"} <= declared
        assert any(c.name in s.body for c in s.constants)
    unused = [s for s in SAMPLES if s.constants and not s.uses_constants]
    assert unused  # specs declare constants a behaviour does not need
    first = using[0]
    assert (first.body, [(c.name, c.value) for c in first.constants]) == (
        "(上限 - BONUS) * BONUS_RATE", [("BONUS", 5), ("BONUS_RATE", 0.1)])


def test_identifier_styles():
    styles = Counter(Namer(random.Random(i)).vocab.style.split(":")[0] for i in range(400))
    assert set(styles) == {"plain", "short", "long", "camel", "native"}
    assert all(styles[s] >= 30 for s in styles), styles
    names = [p.name for s in SAMPLES for p in s.params]
    assert any(not n.isascii() for n in names) and any("_" in n and len(n) > 10 for n in names)
    assert any(n != n.lower() and "_" not in n for n in names)  # camelCase
    assert any(len(n) <= 2 for n in names)


def test_native_identifiers_in_their_script():
    cyrillic = [s for s in SAMPLES if any("\u0400" <= ch <= "\u04ff" for p in s.params for ch in p.name)]
    assert cyrillic
    natives = native_vocabularies()
    assert sorted(natives) == ["ar", "el", "he", "hi", "ja", "ko", "ru", "zh"]
    for vocab in natives.values():
        words = [*(w for r in vocab.records for w in r), *(w for ws in vocab.fields.values() for w in ws),
                 *(w for ps in vocab.lists.values() for p in ps for w in p), *(w for ws in vocab.scalars.values() for w in ws)]
        assert all(w.isidentifier() and not w.isascii() for w in words), vocab.style
        assert all(r != singular for r, _, singular in vocab.records)


def test_shapes_people_write():
    bodies = [s.body for s in SAMPLES]
    chains = [b for b in bodies if b.count(" if ") == 2 and b.count(" == ") == 2 and b.count(".") >= 2]
    assert "'x' if tier == Tier.silver else 'id_' if tier == Tier.bronze else 'a'" in chains
    assert any(b.endswith(" if len(inputLines) > 0 else None") for b in bodies)
    assert "sum(stockProduct.accountBalance for stockProduct in stockProducts) / len(stockProducts)" in bodies


def test_native_styles_only_for_the_languages_asked_for():
    from polyglot.data.names import native_language, pick_vocabulary

    assert native_language("native:ru") == "ru" and native_language("plain") is None
    styles = Counter(pick_vocabulary(random.Random(i), langs=["en", "zh", "fr"]).style for i in range(400))
    assert {s for s in styles if s.startswith("native:")} == {"native:zh"}
    styles = Counter(pick_vocabulary(random.Random(i), langs=["en", "fr"]).style for i in range(400))
    assert not any(s.startswith("native:") for s in styles) and styles["plain"] > 200  # native draws -> plain
    every = Counter(pick_vocabulary(random.Random(i)).style for i in range(400))
    assert len({s for s in every if s.startswith("native:")}) == 8
    drawn = {sample(random.Random(f"langs/{i}"), langs=["en", "ru"]).style for i in range(120)}
    assert {s for s in drawn if s.startswith("native:")} == {"native:ru"}
