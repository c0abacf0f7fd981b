import ast
import random

from polyglot.data.augment import AUGMENTATIONS, Variant, augment, rename, reorder, validate
from polyglot.data.dataset import describe_variant
from polyglot.data.describe import describe_sample
from polyglot.data.sample import sample
from polyglot.langpacks import load_human_pack

SAMPLES = [sample(random.Random(f"augment/{i}")) for i in range(80)]


def identifiers(sample):
    """Every name the body, the signature and the declarations spell."""
    nodes = list(ast.walk(ast.parse(sample.body, mode="eval")))
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}  # len(...), s.upper()
    names = {n.id for n in nodes if isinstance(n, ast.Name) and id(n) not in called}
    names |= {n.attr for n in nodes if isinstance(n, ast.Attribute) and id(n) not in called}
    names |= {p.name for p in sample.params} | {r.name for r in sample.records} | {e.name for e in sample.enums}
    names |= {f.name for r in sample.records for f in r.fields}
    return names


def test_rename_replaces_every_identifier_and_keeps_the_answers():
    for i, s in enumerate(SAMPLES):
        new = rename(s, random.Random(i))
        validate(new)  # re-checked, every case re-run
        members = {m for e in s.enums for m in e.members}
        old = identifiers(s) - members - {f.name for r in s.records for f in r.fields}
        assert not old & identifiers(new), (s.body, new.body)
        for r, q in zip(s.records, new.records):
            assert not {f.name for f in r.fields} & {f.name for f in q.fields}
        assert [c.name for c in new.tests] == [c.name for c in s.tests]
        assert [c.raises for c in new.tests] == [c.raises for c in s.tests]
        assert [str(p.type).replace(r.name, "R") for p in s.params for r in s.records] == \
            [str(p.type).replace(r.name, "R") for p in new.params for r in new.records]


def test_rename_example():
    s = next(s for s in SAMPLES if s.records and "for" in s.body)
    new = rename(s, random.Random(0))
    assert (s.body, new.body) == (
        "sum(customer_order.days_overdue for customer_order in customer_orders) > "
        "(10.0 * offset_days if len(customer_orders) == 0 else 10.0)",
        "sum(товар.год for товар in товар_2) > (10.0 * минимум if len(товар_2) == 0 else 10.0)")
    assert (s.name, new.name) == ("exceeds_offset_days", "exceeds_минимум")
    assert [(r.name, [f.name for f in r.fields]) for r in new.records] == [("Товар", ["оценка", "код", "оплачен", "год"])]
    words = describe_sample(new, load_human_pack("en"), random.Random(1))
    assert words.then == ("the result is the sum of товар.год over all товар in товар_2 > 10.0 multiplied by "
                          "минимум if there is nothing in товар_2, otherwise 10.0")


def test_reorder_changes_the_signature_not_the_body():
    for i, s in enumerate(s for s in SAMPLES if len(s.params) > 1):
        new = reorder(s, random.Random(i))
        validate(new)
        assert new.body == s.body and new.params != s.params
        assert sorted(new.params, key=lambda p: p.name) == sorted(s.params, key=lambda p: p.name)
        assert all(dict(a.inputs) == dict(b.inputs) and [k for k, _ in a.inputs] == [p.name for p in new.params]
                   for a, b in zip(new.tests, s.tests))


def test_every_variant_is_valid_and_augmented():
    kinds = set()
    for i, s in enumerate(SAMPLES):
        variant = augment(s, random.Random(i))
        validate(variant.sample)
        assert variant.kinds and set(variant.kinds) <= set(AUGMENTATIONS)
        assert variant.given == ("drop_given" not in variant.kinds)
        kinds.update(variant.kinds)
    assert kinds == set(AUGMENTATIONS)


def test_synonyms_choose_other_paraphrases():
    pack = load_human_pack("ru")
    for s in SAMPLES[:20]:
        base = describe_variant(Variant(s), pack, "k")
        assert describe_variant(Variant(s, ("synonyms",)), pack, "k") != base
        assert describe_variant(Variant(s, ("drop_given",), given=False), pack, "k").then == base.then
