"""Spec augmentation: more ways to say the same behaviour, each one re-checked.

- `rename`: every identifier -- parameters, loop variables, constants, record and enum names, fields --
  replaced consistently in the signature, the body, the words and the test cases;
- `reorder`: the parameters in another order (the body does not change);
- `synonyms`: other paraphrases for the same words;
- `drop_given`: no `given` text, as in specs that only say `when` and `then`.

The first two change the sample, so the result is checked and its test cases re-run
(`validate`); the last two change only how it is described.
"""
from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from polyglot.body.check import check_body
from polyglot.body.evaluate import EvalError, evaluate
from polyglot.data.sample import Namer, Node, Sample
from polyglot.spec.ir import Enum, EnumValue, Field, Param, Record, RecordValue, TestCase
from polyglot.spec.types import Type
from polyglot.spec.values import values_equal

AUGMENTATIONS = ("rename", "reorder", "synonyms", "drop_given")
#: How often each is applied to a variant (one is always applied). `given` usually says
#: little beyond the signature, but most specs have it, so it is dropped less often.
CHANCE = {"rename": 0.6, "reorder": 0.5, "synonyms": 0.6, "drop_given": 0.3}


@dataclass(frozen=True)
class Variant:
    """A sample and how to describe it.

    Args:
        sample: the (maybe renamed or reordered) behaviour.
        kinds: the augmentations applied, in `AUGMENTATIONS` order; empty for the original.
        given: whether the words include a `given` text.
    """

    sample: Sample
    kinds: tuple[str, ...] = ()
    given: bool = True

    @property
    def synonyms(self) -> bool:
        return "synonyms" in self.kinds


def augment(sample: Sample, rng: random.Random, langs: Collection[str] | None = None) -> Variant:
    """A random non-empty set of augmentations applied to `sample`.

    Args:
        sample: a checked sample.
        rng: chooses the augmentations and the new names.
        langs: the languages the variant will be described in (new names in one
            language's own words are drawn only among these; None: any).

    Returns:
        The `Variant`, already validated.
    """
    usable = [k for k in AUGMENTATIONS if k != "reorder" or len(sample.params) > 1]
    chosen = {k for k in usable if rng.random() < CHANCE[k]} or {rng.choice(usable)}
    kinds = tuple(k for k in AUGMENTATIONS if k in chosen)
    if "rename" in chosen:
        sample = rename(sample, rng, langs)
    if "reorder" in chosen:
        sample = reorder(sample, rng)
    if chosen & {"rename", "reorder"}:
        validate(sample)
    return Variant(sample, kinds, given="drop_given" not in chosen)


def validate(sample: Sample) -> None:
    """Check the body again and re-run every test case on the evaluator.

    Raises:
        AssertionError: the body's type or some answer changed (an augmentation bug).
    """
    typed = check_body(sample.body, sample.context)
    assert typed.type == sample.returns, f"{sample.body}: {typed.type} != {sample.returns}"
    constants = {c.name: c.value for c in sample.constants}
    for case in sample.tests:
        try:
            value = evaluate(typed, dict(case.inputs), constants)
        except EvalError:
            assert case.raises, f"{sample.body} now fails on {case.name}"
            continue
        assert not case.raises and values_equal(value, case.expected), f"{sample.body}: {case.name} changed"


def reorder(sample: Sample, rng: random.Random) -> Sample:
    """The parameters in another order (unchanged when there is only one)."""
    if len(sample.params) < 2:
        return sample
    order = list(range(len(sample.params)))
    while order == sorted(order):
        rng.shuffle(order)
    tests = tuple(replace(c, inputs=tuple(c.inputs[i] for i in order)) for c in sample.tests)
    return replace(sample, params=tuple(sample.params[i] for i in order), tests=tests)


def rename(sample: Sample, rng: random.Random, langs: Collection[str] | None = None) -> Sample:
    """Every identifier replaced by a fresh one, consistently everywhere.

    Args:
        sample: the behaviour.
        rng: draws the new names.
        langs: the languages it will be described in (see `augment`).

    Returns:
        The renamed sample; no old parameter, loop-variable, record or enum name is kept.
    """
    return _Renamer(sample, rng, langs).sample()


class _Renamer:
    def __init__(self, sample: Sample, rng: random.Random, langs: Collection[str] | None) -> None:
        self.old = sample
        self.namer = Namer(rng, langs=langs)
        # Reserve every old name, so that each one changes.
        self.namer.used.update(n.value for n in sample.tree.walk() if n.op == "name")
        self.namer.used.update(v for n in sample.tree.walk() for k, v in n.parts if k == "item")
        self.namer.used.update(x.name for x in (*sample.params, *sample.records, *sample.enums, *sample.constants))
        self.types: dict[str, str] = {}
        self.fields: dict[tuple[str, str], str] = {}
        self.values: dict[str, str] = {}
        self.consts = {c.name: self.namer.constant(c.type)[0] for c in sample.constants}
        for e in sample.enums:
            self.types[e.name] = self.namer.enum(e.members)[0]
        for r in sample.records:
            self.types[r.name] = self.namer.record()
        for r in sample.records:
            taken = {f.name for f in r.fields}
            for f in r.fields:
                new = self.namer.field(self.type(f.type), taken)
                taken.add(new)
                self.fields[(r.name, f.name)] = new

    def type(self, t: Type) -> Type:
        return Type(self.types.get(t.name, t.name), tuple(self.type(a) for a in t.args))

    def sample(self) -> Sample:
        s = self.old
        params = []
        for p in s.params:
            self.values[p.name] = self.namer.param(self.type(p.type))
            params.append(Param(self.values[p.name], self.type(p.type)))
        tree = self.node(s.tree)
        records = tuple(Record(self.types[r.name], tuple(Field(self.fields[(r.name, f.name)], self.type(f.type))
                                                         for f in r.fields)) for r in s.records)
        enums = tuple(Enum(self.types[e.name], e.members) for e in s.enums)
        tests = tuple(TestCase(c.name, tuple((self.values[k], self.value(v)) for k, v in c.inputs),
                               self.value(c.expected), c.raises, c.tolerance) for c in s.tests)
        name = s.name
        if s.params and name.endswith("_" + s.params[0].name):  # `total_items` -> `total_orders`
            name = name[: -len(s.params[0].name)] + self.values[s.params[0].name]
        constants = tuple(replace(c, name=self.consts[c.name]) for c in s.constants)
        return Sample(name, tuple(params), self.type(s.returns), records, enums, tree, tests, constants,
                      self.namer.vocab.style)

    def node(self, n: Node) -> Node:
        t = self.type(n.type)
        if n.op == "name":
            return Node("name", t, value=self.values[n.value])
        if n.op == "member":
            return Node("member", t, value=(self.types[n.value[0]], n.value[1]))
        if n.op == "literal":
            return Node("literal", t, value=n.value)
        if n.op == "const":
            return Node("const", t, value=(self.consts[n.value[0]], n.value[1]))
        parts = dict(n.parts)
        new: dict[str, Node | str] = {}
        if "item" in parts:  # the list first: the loop variable is named after it
            new["items"] = self.node(parts["items"])  # type: ignore[arg-type]
            var = self.namer.var(new["items"])  # type: ignore[arg-type]
            self.namer.used.add(var)
            self.values[parts["item"]] = var  # type: ignore[index]
            new["item"] = var
        for key, child in n.parts:
            if key in new:
                continue
            if key == "field":
                new[key] = self.fields[(parts["x"].type.name, child)]  # type: ignore[union-attr,index]
            else:
                new[key] = self.node(child)  # type: ignore[arg-type]
        return Node(n.op, t, tuple((k, new[k]) for k, _ in n.parts))

    def value(self, v: Any) -> Any:
        if isinstance(v, tuple):
            return tuple(self.value(x) for x in v)
        if isinstance(v, RecordValue):
            return RecordValue(self.types[v.type], tuple((self.fields[(v.type, k)], self.value(x)) for k, x in v.fields))
        if isinstance(v, EnumValue):
            return EnumValue(self.types[v.type], v.member)
        return v
