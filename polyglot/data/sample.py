"""Random well-typed bodies over random signatures: the raw material of synthetic data.

A sample is a tree of *constructs* -- exactly the ones the human packs have templates for
(`sum`, `filter`, `if_else`, ...) -- over a random signature: parameters that are lists,
records, enums, strings and numbers, with maybe one record and one enum declared. Each
construct has one body spelling (`FORMS`), so the words -> body mapping the model learns
is a function. The checker must accept the rendered text with the very type the sampler
tracked, and the reference evaluator runs it on random inputs: a body that fails on every
input, or answers the same for all of them, teaches nothing and is dropped.

Everything random comes from the `random.Random` passed in; nothing iterates over a set
or a dict of unordered origin, so a seed gives the same samples under any PYTHONHASHSEED.
"""
from __future__ import annotations

import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Collection, Iterator, Mapping

from polyglot.body.check import BodyContext, check_body
from polyglot.body.evaluate import EvalError, evaluate
from polyglot.data.names import Vocabulary, pick_vocabulary
from polyglot.spec.ir import Constant, Enum, EnumValue, Field, MapValue, Param, Record, RecordValue, TestCase
from polyglot.spec.types import BOOL, FLOAT, INT, STRING, Type, list_of, option_of

# -- the constructs and their one body spelling --------------------------------------------

#: Binding strength, loosest first (Python's order): a child that binds looser than its
#: slot allows is parenthesized.
IF, OR, CMP, ADD, MUL, UNARY, ATOM = 1, 2, 5, 6, 7, 8, 10
LEAVES = ("name", "literal", "member", "const")
#: Leaves that hold a fixed value: two of them side by side make a constant expression.
FIXED = ("literal", "member", "const")


@dataclass(frozen=True)
class Form:
    """How a construct is spelled in the body language.

    Args:
        text: the body with the construct's template placeholders (`{a} + {b}`).
        prec: how tightly the whole binds.
        slots: per placeholder, the least binding strength a child needs to go bare.
    """

    text: str
    prec: int = ATOM
    slots: Mapping[str, int] = field(default_factory=dict)


_ITER = {"items": OR, "cond": OR}  # a comprehension's iterable and filter are `or` tests
FORMS: Mapping[str, Form] = {
    "sum": Form("sum({expr} for {item} in {items})", slots=_ITER),
    "count": Form("sum(1 for {item} in {items} if {cond})", slots=_ITER),
    "length": Form("len({x})"),
    "max": Form("max({x})"),
    "min": Form("min({x})"),
    "filter": Form("[{item} for {item} in {items} if {cond}]", slots=_ITER),
    "map": Form("[{expr} for {item} in {items}]", slots=_ITER),
    "add": Form("{a} + {b}", ADD, {"a": ADD, "b": MUL}),
    "subtract": Form("{a} - {b}", ADD, {"a": ADD, "b": MUL}),
    "multiply": Form("{a} * {b}", MUL, {"a": MUL, "b": UNARY}),
    "divide": Form("{a} / {b}", MUL, {"a": MUL, "b": UNARY}),
    "greater_than": Form("{a} > {b}", CMP, {"a": ADD, "b": ADD}),
    "less_than": Form("{a} < {b}", CMP, {"a": ADD, "b": ADD}),
    "equals": Form("{a} == {b}", CMP, {"a": ADD, "b": ADD}),
    "if_else": Form("{then} if {cond} else {else}", IF, {"then": OR, "cond": OR, "else": IF}),
    "upper": Form("{x}.upper()", slots={"x": ATOM}),
    "lower": Form("{x}.lower()", slots={"x": ATOM}),
    "contains": Form("{x} in {items}", CMP, {"x": ADD, "items": ADD}),
    "field": Form("{x}.{field}", slots={"x": ATOM}),
    "is_empty": Form("len({x}) == 0", CMP),
    "reverse": Form("reversed({x})"),
    "sort": Form("sorted({x})"),
    "join": Form("{sep}.join({items})", slots={"sep": ATOM}),
    "abs": Form("abs({x})"),
    "concat": Form("{a} + {b}", ADD, {"a": ADD, "b": MUL}),
    "at_least": Form("{a} >= {b}", CMP, {"a": ADD, "b": ADD}),
    "at_most": Form("{a} <= {b}", CMP, {"a": ADD, "b": ADD}),
    "round": Form("round({x})"),
    "round_to": Form("round({x}, {digits})"),
    "split": Form("{x}.split({sep})", slots={"x": ATOM}),
    "average": Form("sum({expr} for {item} in {items}) / len({items})", MUL, _ITER),
}
#: Parts that hold an identifier, not a sub-expression.
NAME_PARTS = ("item", "field")


@dataclass(frozen=True)
class Node:
    """One construct of a sampled body, or a leaf.

    Args:
        op: a key of `FORMS`, or a leaf kind: `name` (parameter or loop variable),
            `literal`, `member` (an enum member, `value` is `(enum, member)`), `const`
            (one of the spec's constants, `value` is `(name, value)`).
        type: the type the checker will infer for it.
        parts: placeholder -> child node, or identifier for `item` and `field`, in the
            construct's placeholder order.
        value: what a leaf holds.
    """

    op: str
    type: Type
    parts: tuple[tuple[str, Node | str], ...] = ()
    value: Any = None

    def part(self, name: str) -> Node | str:
        return dict(self.parts)[name]

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, parents first, in placeholder order."""
        yield self
        for _, child in self.parts:
            if isinstance(child, Node):
                yield from child.walk()


def leaf_text(node: Node) -> str:
    """A leaf as written in a body, and as it is quoted in words."""
    if node.op == "member":
        return f"{node.value[0]}.{node.value[1]}"
    if node.op == "name":
        return node.value
    if node.op == "const":
        return node.value[0]
    return repr(node.value)  # None, True, 3, 2.5, 'text'


def _body(node: Node) -> tuple[str, int]:
    if node.op in LEAVES:
        negative = isinstance(node.value, (int, float)) and not isinstance(node.value, bool) and node.value < 0
        return leaf_text(node), UNARY if negative else ATOM
    form = FORMS[node.op]
    fills = {}
    for name, child in node.parts:
        if isinstance(child, str):
            fills[name] = child
            continue
        text, prec = _body(child)
        fills[name] = f"({text})" if prec < form.slots.get(name, 0) else text
    return form.text.format(**fills), form.prec


def body_text(node: Node) -> str:
    """The one body spelling of a tree, parenthesized only where Python needs it.

    Example:
        >>> a, b = Node("name", INT, value="a"), Node("literal", INT, value=2)
        >>> body_text(Node("multiply", INT, (("a", Node("add", INT, (("a", a), ("b", b)))), ("b", b))))
        '(a + 2) * 2'
    """
    return _body(node)[0]


def constructs(node: Node) -> tuple[str, ...]:
    """The distinct constructs of a tree, sorted."""
    return tuple(sorted({n.op for n in node.walk() if n.op not in LEAVES}))


# -- identifiers ----------------------------------------------------------------------------

#: (enum, members, other names for the same enum).
ENUMS = (
    ("Color", ("red", "green", "blue"), ("Colour", "Hue", "Shade")),
    ("Status", ("open", "closed", "pending"), ("State", "Phase", "Stage")),
    ("Priority", ("low", "medium", "high"), ("Urgency", "Importance", "Rank")),
    ("Size", ("small", "medium", "large"), ("Fit", "Format", "Bulk")),
    ("Direction", ("north", "south", "east", "west"), ("Heading", "Bearing", "Course")),
    ("Mood", ("happy", "calm", "sad"), ("Feeling", "Temper", "Humor")),
    ("Tier", ("gold", "silver", "bronze"), ("Level", "Plan", "Grade")),
)
#: Loop variables when the list's singular is taken.
LOOP_NAMES = ("x", "y", "z", "e", "v", "el", "it", "elem")
#: A spec's constants by type: (name, values it is often set to).
CONSTANTS = {
    "Int": (("MAX_ITEMS", (10, 20, 100)), ("MIN_AGE", (18, 21)), ("LIMIT", (5, 10)), ("THRESHOLD", (3, 5, 10)),
            ("MAX_LEN", (8, 10, 20)), ("PASS_MARK", (50, 60)), ("BATCH_SIZE", (4, 8)), ("MAX_RETRIES", (3, 5)),
            ("MIN_QTY", (1, 2)), ("BONUS", (5, 10)), ("DEFAULT_COUNT", (1, 0))),
    "Float": (("TAX_RATE", (0.2, 0.07)), ("DISCOUNT", (0.1, 0.15, 0.25)), ("FREE_SHIPPING_OVER", (50.0, 100.0)),
              ("MIN_SCORE", (2.5, 4.0)), ("VAT", (0.2, 0.19)), ("FEE", (1.5, 2.0)), ("MAX_WEIGHT", (20.0, 30.0)),
              ("BONUS_RATE", (0.05, 0.1)), ("SCALE", (2.0, 10.0)), ("PASS_SCORE", (5.0, 10.5))),
    "String": (("SEPARATOR", (", ", "-")), ("PREFIX", ("id_", "x")), ("DEFAULT_NAME", ("unknown", "N/A")),
               ("SUFFIX", ("!", ".txt"))),
}
#: Chance that a sample's spec declares constants, and that a leaf of their type is one.
CONSTANT_CHANCE, CONSTANT_LEAF = 0.6, 0.8
#: The verb of a behaviour's name, by the construct at the top of its body.
VERBS = {
    "sum": ("total", "sum"), "count": ("count", "number_of"), "length": ("size", "length"),
    "max": ("largest", "max"), "min": ("smallest", "min"), "filter": ("select", "keep"),
    "map": ("transform", "map"), "add": ("add", "increase"), "subtract": ("subtract", "reduce"),
    "multiply": ("scale", "multiply"), "divide": ("divide", "ratio"), "greater_than": ("exceeds", "above"),
    "less_than": ("below", "under"), "equals": ("matches", "same"), "if_else": ("choose", "pick"),
    "upper": ("shout", "upper"), "lower": ("quiet", "lower"), "contains": ("has", "includes"),
    "field": ("get", "read"), "is_empty": ("is_empty", "none"), "reverse": ("reverse", "flip"),
    "sort": ("sort", "order"), "join": ("join", "glue"), "abs": ("magnitude", "absolute"),
    "concat": ("concat", "append"), "at_least": ("reaches", "at_least"), "at_most": ("within", "at_most"),
    "round": ("round", "whole"), "round_to": ("round", "rounded"), "split": ("split", "parts"),
    "average": ("average", "mean"),
}


class Namer:
    """Fresh identifiers by role; one per sample, so no name is drawn twice in it.

    Args:
        rng: draws the names (and the vocabulary, when none is given).
        vocab: the naming style; default one drawn by `pick_vocabulary`.
        langs: the languages the sample will be described in; a style in one language's
            own words is drawn only among these (None: any).
    """

    def __init__(self, rng: random.Random, vocab: Vocabulary | None = None,
                 langs: Collection[str] | None = None) -> None:
        self.rng = rng
        self.vocab = pick_vocabulary(rng, langs) if vocab is None else vocab
        self.used: set[str] = set()  # membership only; never iterated
        self.singular: dict[str, str] = {}  # list parameter -> its loop-variable word
        self.nouns: dict[str, tuple[str, str]] = {}  # record -> (plural, singular)

    def fresh(self, options: tuple[str, ...]) -> str:
        free = [o for o in options if o not in self.used]
        name = self.rng.choice(free) if free else next(
            f"{options[0]}{i}" for i in range(2, 10**6) if f"{options[0]}{i}" not in self.used)
        self.used.add(name)
        return name

    def record(self) -> str:
        name, plural, singular = self.rng.choice([r for r in self.vocab.records if r[0] not in self.used])
        self.used.add(name)
        self.nouns[name] = (plural, singular)
        return name

    def enum(self, members: tuple[str, ...] | None = None) -> tuple[str, tuple[str, ...]]:
        """A fresh enum; with `members`, another name for the enum that has them."""
        if members is None:
            name, members, _ = self.rng.choice(ENUMS)
        else:
            name = self.fresh(next(alt for _, m, alt in ENUMS if m == members))
        self.used.add(name)
        return name, members

    def param(self, t: Type) -> str:
        if t.name == "List" and t.elem.name in self.nouns:
            plural, singular = self.nouns[t.elem.name]
            name = self.fresh((plural, f"{singular}{self.vocab.list_suffix}"))
            self.singular[name] = singular
            return name
        if t.name == "List":
            pairs = self.vocab.lists[t.elem.name]
            name = self.fresh(tuple(p for p, _ in pairs))
            self.singular[name] = dict(pairs).get(name, "x")
            return name
        if t.name in self.nouns:
            return self.fresh((self.nouns[t.name][1], "current", "selected"))
        if t.name in self.vocab.scalars:
            return self.fresh(self.vocab.scalars[t.name])
        return self.fresh((t.name.lower(), "wanted", "kind"))  # an enum

    def field(self, t: Type, taken: set[str]) -> str:
        """A field name for type `t`, not in `taken` (the record's other fields) nor drawn before."""
        options = self.vocab.fields.get(t.name, (t.name.lower(), "kind", "category"))
        free = [o for o in options if o not in taken and o not in self.used]
        return self.rng.choice(free) if free else f"{options[0]}_{len(taken)}"

    def constant(self, t: Type) -> tuple[str, Any]:
        """A fresh constant of type `t` and a value for it."""
        pairs = CONSTANTS[t.name]
        name = self.fresh(tuple(n for n, _ in pairs))
        return name, self.rng.choice(dict(pairs).get(name, pairs[0][1]))

    def var(self, items: Node, taken: tuple[str, ...] = ()) -> str:
        """A loop variable over `items`: its singular when free, else a short name.

        Loop variables are not reserved: sibling loops may share one, and a draw that is
        thrown away does not use one up. `taken` holds the loop variables in scope.
        """
        word = self.singular.get(items.value) if items.op == "name" else None
        options = [word, word[0]] if word else []
        options += [*LOOP_NAMES, *(f"x{i}" for i in range(2, len(taken) + 3))]
        return next(o for o in options if o not in self.used and o not in taken)


# -- the samples ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """A behaviour: signature, body tree and test cases, all checked.

    Args:
        name: the behaviour's name.
        params: the parameters the body uses, in signature order.
        returns: the body's type.
        records: the records the signature needs (at most one).
        enums: the enums it needs (at most one).
        tree: the body.
        tests: inputs with the evaluator's answers (`raises` where it fails).
        constants: the spec's constants: those the body uses, and maybe one it does not,
            as hand-written specs declare constants for several behaviours.
        style: the identifier style its names were drawn in (`polyglot.data.names`).
    """

    name: str
    params: tuple[Param, ...]
    returns: Type
    records: tuple[Record, ...]
    enums: tuple[Enum, ...]
    tree: Node
    tests: tuple[TestCase, ...]
    constants: tuple[Constant, ...] = ()
    style: str = "plain"

    @property
    def body(self) -> str:
        return body_text(self.tree)

    @property
    def context(self) -> BodyContext:
        return BodyContext(params=self.params, records=self.records, enums=self.enums, constants=self.constants)

    @property
    def uses_constants(self) -> bool:
        return any(n.op == "const" for n in self.tree.walk())


class Dropped(Exception):
    """A draw that makes no sample; `reason` is counted in the dataset's stats."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sample(rng: random.Random, dropped: Counter | None = None, tries: int = 200,
           langs: Collection[str] | None = None) -> Sample:
    """Draw one checked, evaluated, non-constant sample.

    Args:
        rng: the only source of randomness.
        dropped: counts the draws thrown away, by reason (`no_body`, `errors`, `constant`).
        tries: draws to make before giving up.
        langs: the languages it will be described in: names in one language's own words
            are drawn only for these (None: for any pack with ``[names]``).

    Returns:
        The `Sample`.

    Example:
        >>> s = sample(random.Random("0/0"))
        >>> check_body(s.body, s.context).type == s.returns
        True
    """
    for _ in range(tries):
        try:
            return _draw(rng, langs)
        except Dropped as why:
            if dropped is not None:
                dropped[why.reason] += 1
    raise RuntimeError(f"no sample in {tries} draws")  # a sampler bug, not bad input


def _draw(rng: random.Random, langs: Collection[str] | None = None) -> Sample:
    namer = Namer(rng, langs=langs)
    records, enums, candidates = _world(rng, namer)
    constants = _constants(rng, namer, candidates)
    ret = _pick(rng, _RETURNS)(rng, records, enums, candidates)
    tree = _Builder(rng, namer, records, enums, candidates, constants).top(ret, rng.choice((1, 2, 2, 3, 3)))
    used = {n.value for n in tree.walk() if n.op == "name"}
    params = tuple(p for p in candidates if p.name in used)
    records, enums = _needed(tree, params, records, enums)
    used_consts = {n.value[0] for n in tree.walk() if n.op == "const"}
    constants = tuple(c for c in constants if c.name in used_consts or rng.random() < 0.4)
    name = f"{rng.choice(VERBS[tree.op])}_{params[0].name if params else 'value'}"
    draft = Sample(name, params, tree.type, records, enums, tree, (), constants, namer.vocab.style)
    typed = check_body(draft.body, draft.context)
    if typed.type != tree.type:
        raise AssertionError(f"sampler typed {draft.body} as {tree.type}, checker as {typed.type}")
    return replace(draft, tests=run_tests(draft, typed, rng))


def _pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _world(rng: random.Random, namer: Namer) -> tuple[tuple[Record, ...], tuple[Enum, ...], tuple[Param, ...]]:
    """Maybe an enum, maybe a record, and 2-4 candidate parameters."""
    enums: tuple[Enum, ...] = ()
    records: tuple[Record, ...] = ()
    kinds: list[Type] = []
    if rng.random() < 0.3:
        enums = (Enum(*namer.enum()),)
    if rng.random() < 0.6:
        name = namer.record()
        types = [rng.choice((INT, FLOAT)), *rng.sample((INT, FLOAT, STRING, STRING, BOOL), rng.randint(1, 3))]
        if enums and rng.random() < 0.7:
            types.append(Type(enums[0].name))
        taken: set[str] = set()
        fields = []
        for t in types:
            fname = namer.field(t, taken)
            taken.add(fname)
            fields.append(Field(fname, t))
        records = (Record(name, tuple(fields)),)
        kinds.append(list_of(Type(name)) if rng.random() < 0.8 else Type(name))
    pool = [list_of(INT), list_of(FLOAT), list_of(STRING), INT, FLOAT, STRING, INT, FLOAT]
    if enums:
        pool.append(Type(enums[0].name))
    if rng.random() < 0.15:
        pool.append(BOOL)
    for t in rng.sample(pool, rng.randint(1, 3)):
        if t not in kinds or t.name != "List":
            kinds.append(t)
    rng.shuffle(kinds)
    return records, enums, tuple(Param(namer.param(t), t) for t in kinds)


def _constants(rng: random.Random, namer: Namer, params: tuple[Param, ...]) -> tuple[Constant, ...]:
    """Maybe one or two constants, mostly of the types the parameters hold."""
    if rng.random() >= CONSTANT_CHANCE:
        return ()
    kinds = [t for p in params for t in ([p.type.elem] if p.type.name == "List" else [p.type])
             if t.name in CONSTANTS] + [INT, FLOAT]
    constants = []
    for t in rng.sample(kinds, min(len(kinds), rng.choice((1, 1, 2)))):
        name, value = namer.constant(t)
        constants.append(Constant(name, t, value))
    return tuple(constants)


def _ret_numeric(rng, records, enums, params) -> Type:
    return rng.choice((INT, INT, FLOAT))


def _ret_list(rng, records, enums, params) -> Type:
    lists = [p.type for p in params if p.type.name == "List"]
    return rng.choice(lists) if lists and rng.random() < 0.7 else list_of(rng.choice((INT, FLOAT, STRING)))


def _ret_named(rng, records, enums, params) -> Type:
    named = [Type(r.name) for r in records] + [Type(e.name) for e in enums]
    return rng.choice(named) if named else STRING


def _ret_option(rng, records, enums, params) -> Type:
    return option_of(rng.choice((INT, FLOAT, STRING)))


_RETURNS = ((_ret_numeric, 4), (lambda *a: BOOL, 1.5), (lambda *a: STRING, 2.2), (_ret_list, 2.5),
            (_ret_option, 0.7), (_ret_named, 0.6))


def _needed(tree: Node, params: tuple[Param, ...], records: tuple[Record, ...],
            enums: tuple[Enum, ...]) -> tuple[tuple[Record, ...], tuple[Enum, ...]]:
    """The declarations the signature and body refer to (a record pulls in its field types)."""
    names: set[str] = set()

    def visit(t: Type) -> None:
        names.add(t.name)
        for a in t.args:
            visit(a)
        for r in records:
            if r.name == t.name:
                for f in r.fields:
                    if f.type.name not in names:
                        visit(f.type)

    for t in [p.type for p in params] + [n.type for n in tree.walk()]:
        visit(t)
    return (tuple(r for r in records if r.name in names), tuple(e for e in enums if e.name in names))


class _Builder:
    """Grows a tree top-down by type: every construct asks for children of the types it needs."""

    def __init__(self, rng: random.Random, namer: Namer, records: tuple[Record, ...],
                 enums: tuple[Enum, ...], params: tuple[Param, ...], constants: tuple[Constant, ...] = ()) -> None:
        self.rng, self.namer = rng, namer
        self.constants = constants
        self.records = {r.name: r for r in records}
        self.enums = {e.name: e for e in enums}
        self.scope: list[tuple[str, Type]] = [(p.name, p.type) for p in params]
        self.locals: list[str] = []
        self.iterables: dict[str, Node] = {}  # loop variable -> the list it runs over

    # -- choosing -------------------------------------------------------------------------
    def top(self, t: Type, depth: int) -> Node:
        node = self.expr(t, depth, leaf=False)
        if node is None:
            raise Dropped("no_body")
        return node

    def expr(self, t: Type, depth: int, leaf: bool = True) -> Node | None:
        """A node of type `t` at most `depth` constructs deep, or None if none fits."""
        options = [(self._leaf, 3.0 if depth <= 1 else 1.0)] if leaf else []
        if depth > 0:
            options += [(getattr(self, "c_" + op), w) for op, w in _WEIGHTS]
        keys = [(self.rng.random() ** (1.0 / w), i) for i, (_, w) in enumerate(options)]
        for _, i in sorted(keys, reverse=True):  # a weighted random order, then first fit
            node = options[i][0](t, depth - 1)
            if node is not None:
                return node
        return None

    def using(self, var: str, t: Type, depth: int, bare: bool = True) -> Node | None:
        """A node that mentions loop variable `var` (and is not just `var` unless `bare`)."""
        for _ in range(4):
            node = self.expr(t, depth)
            if node is not None and any(n.op == "name" and n.value == var for n in node.walk()):
                if bare or node.op != "name":
                    return node
        return None

    def names(self, t: Type) -> list[str]:
        return [name for name, nt in self.scope if nt == t]

    def list_types(self, keep: Callable[[Type], bool] = lambda t: True) -> list[Type]:
        found: list[Type] = []
        for _, t in self.scope:
            if t.name == "List" and keep(t.elem) and t not in found:
                found.append(t)
        return found

    def iterate(self, depth: int, keep: Callable[[Type], bool], body: Callable[[str, Type], Node | None],
                ordered: bool = True) -> tuple[Node, str, Node] | None:
        """Pick a list to loop over, name the loop variable, build `body` with it in scope.

        `ordered`: whether the result depends on the order (a sum of a sorted list does not).
        """
        types = self.list_types(keep)
        if not types:
            return None
        t = self.rng.choice(types)
        items = self.expr(t, depth) if self.rng.random() < 0.2 else self._leaf(t, depth)
        if items is None or (not ordered and items.op in ("sort", "reverse")):
            return None
        var = self.namer.var(items, tuple(self.locals))
        self.iterables[var] = items
        self.scope.append((var, t.elem))
        self.locals.append(var)
        try:
            inner = body(var, t.elem)
        finally:
            self.scope.pop()
            self.locals.pop()
        return (items, var, inner) if inner is not None else None

    # -- leaves ---------------------------------------------------------------------------
    def _leaf(self, t: Type, depth: int) -> Node | None:
        names = self.names(t)
        local = [n for n in names if n in self.locals]
        if local and self.rng.random() < 0.7:
            return Node("name", t, value=self.rng.choice(local))
        consts = [c for c in self.constants if c.type == t]
        if consts and self.rng.random() < CONSTANT_LEAF:
            return self.constant(self.rng.choice(consts))
        if names and (self.rng.random() < 0.75 or t not in (INT, FLOAT, STRING)):
            return Node("name", t, value=self.rng.choice(names))
        if t.name in self.enums:
            return Node("member", t, value=(t.name, self.rng.choice(self.enums[t.name].members)))
        return self.literal(t)

    def constant(self, c: Constant) -> Node:
        return Node("const", c.type, value=(c.name, c.value))

    def literal(self, t: Type) -> Node | None:
        if t == INT:
            return Node("literal", t, value=self.rng.choice((0, 1, 2, 3, 5, 10, 100, -1)))
        if t == FLOAT:
            return Node("literal", t, value=self.rng.choice((0.5, 1.5, 2.0, 10.0, 0.25, 100.0)))
        if t == STRING:
            return Node("literal", t, value=self.rng.choice(_STRING_LITERALS))
        return None

    # -- constructs, one method each: c_<construct>(type wanted, depth left) --------------
    def _pair(self, op: str, t: Type, ta: Type, tb: Type, depth: int) -> Node | None:
        a, b = self.expr(ta, depth), self.expr(tb, depth)
        if a is None or b is None or (a.op in FIXED and b.op in FIXED) or a == b:
            return None
        if a.op in FIXED and op in _MIRROR:
            a, b, op = b, a, _MIRROR[op]  # `x == 3` and `x > 3`, as people write them
        return Node(op, t, (("a", a), ("b", b)))

    def _numbers(self, t: Type) -> tuple[Type, Type] | None:
        if t == INT:
            return INT, INT
        if t == FLOAT:
            return self.rng.choice(((FLOAT, FLOAT), (FLOAT, INT), (INT, FLOAT)))
        return None

    def _arith(self, op: str, t: Type, depth: int) -> Node | None:
        pair = self._numbers(t)
        return self._pair(op, t, *pair, depth) if pair else None

    def c_add(self, t, depth):
        return self._arith("add", t, depth)

    def c_subtract(self, t, depth):
        return self._arith("subtract", t, depth)

    def c_multiply(self, t, depth):
        return self._arith("multiply", t, depth)

    def c_divide(self, t, depth):
        if t != FLOAT:
            return None
        return self._pair("divide", t, self.rng.choice((INT, FLOAT)), self.rng.choice((INT, FLOAT)), depth)

    def _compare(self, op: str, t: Type, depth: int) -> Node | None:
        if t != BOOL:
            return None
        return self._pair(op, t, self.rng.choice((INT, FLOAT)), self.rng.choice((INT, FLOAT)), depth)

    def c_greater_than(self, t, depth):
        return self._compare("greater_than", t, depth)

    def c_less_than(self, t, depth):
        return self._compare("less_than", t, depth)

    def c_at_least(self, t, depth):
        return self._compare("at_least", t, depth)

    def c_at_most(self, t, depth):
        return self._compare("at_most", t, depth)

    def c_round(self, t, depth):
        """`round(x)`: a Float to the nearest Int."""
        return self._unary("round", t, FLOAT if t == INT else None, depth)

    def c_round_to(self, t, depth):
        """`round(x, 2)`: a Float to a few decimals."""
        node = self._unary("round_to", t, FLOAT if t == FLOAT else None, depth)
        if node is None:
            return None
        return Node("round_to", t, (*node.parts, ("digits", Node("literal", INT, value=self.rng.choice((1, 2, 2, 3))))))

    def c_split(self, t, depth):
        """`s.split(',')`: a String into its parts."""
        if t != list_of(STRING):
            return None
        x = self.expr(STRING, depth)
        if x is None or x.op in FIXED or x.op in ("upper", "lower"):
            return None
        seps = [self.constant(c) for c in self.constants if c.type == STRING and c.value]
        sep = (self.rng.choice(seps) if seps and self.rng.random() < 0.3
               else Node("literal", STRING, value=self.rng.choice(_SPLIT_SEPARATORS)))
        return Node("split", t, (("x", x), ("sep", sep)))

    def c_equals(self, t, depth):
        if t != BOOL:
            return None
        kinds = [INT, STRING] + [Type(e) for e in self.enums]
        return self._pair("equals", t, *[self.rng.choice(kinds)] * 2, depth)

    def c_concat(self, t, depth):
        if t != STRING and t.name != "List":
            return None
        return self._pair("concat", t, t, t, depth)

    def _unary(self, op: str, t: Type, x_type: Type | None, depth: int) -> Node | None:
        if x_type is None:
            return None
        x = self.expr(x_type, depth)
        if x is None or x.op in FIXED or x.op in _POINTLESS.get(op, ()):
            return None
        return Node(op, t, (("x", x),))

    def c_abs(self, t, depth):
        return self._unary("abs", t, t if t in (INT, FLOAT) else None, depth)

    def c_upper(self, t, depth):
        return self._unary("upper", t, STRING if t == STRING else None, depth)

    def c_lower(self, t, depth):
        return self._unary("lower", t, STRING if t == STRING else None, depth)

    def c_max(self, t, depth):
        return self._unary("max", t, list_of(t) if t in (INT, FLOAT, STRING) else None, depth)

    def c_min(self, t, depth):
        return self._unary("min", t, list_of(t) if t in (INT, FLOAT, STRING) else None, depth)

    def c_sort(self, t, depth):
        ok = t.name == "List" and t.elem in (INT, FLOAT, STRING)
        return self._unary("sort", t, t if ok else None, depth)

    def c_reverse(self, t, depth):
        return self._unary("reverse", t, t if t.name == "List" else None, depth)

    def _sized(self) -> Type:
        return self.rng.choice(self.list_types() + [STRING])

    def c_length(self, t, depth):
        return self._unary("length", t, self._sized() if t == INT else None, depth)

    def c_is_empty(self, t, depth):
        return self._unary("is_empty", t, self._sized() if t == BOOL else None, depth)

    def c_join(self, t, depth):
        if t != STRING:
            return None
        items = self.expr(list_of(STRING), depth)
        seps = [Node("name", STRING, value=n) for n in self.names(STRING)]
        seps += [self.constant(c) for c in self.constants if c.type == STRING]
        sep = (self.rng.choice(seps) if seps and self.rng.random() < 0.3
               else Node("literal", STRING, value=self.rng.choice(_SEPARATORS)))
        return Node("join", t, (("items", items), ("sep", sep))) if items is not None else None

    def c_contains(self, t, depth):
        if t != BOOL:
            return None
        lists = self.list_types(lambda e: e == INT or e == STRING or e.name in self.enums)
        container = self.rng.choice(lists + [STRING])
        items = self.expr(container, depth)
        x = self.expr(STRING if container == STRING else container.elem, depth)
        if items is None or x is None or items.op in FIXED:
            return None
        if x == items or (x.op == "name" and self.iterables.get(x.value) == items):
            return None  # `x in xs` for x drawn from xs: always true
        return Node("contains", t, (("items", items), ("x", x)))

    def c_field(self, t, depth):
        owners = [(Type(r.name), f.name) for r in self.records.values() for f in r.fields if f.type == t]
        if not owners:
            return None
        rt, fname = self.rng.choice(owners)
        x = self.expr(rt, depth)
        return Node("field", t, (("x", x), ("field", fname))) if x is not None else None

    def c_if_else(self, t, depth):
        cond = self.expr(BOOL, depth)
        if cond is None:
            return None
        if t.name == "Option":
            value = self.expr(t.elem, depth)
            if value is None:
                return None
            none = Node("literal", t, value=None)
            then, other = (value, none) if self.rng.random() < 0.7 else (none, value)
        else:
            then, other = self.expr(t, depth), self.expr(t, depth)
            if then is None or other is None or then == other:
                return None
        return Node("if_else", t, (("cond", cond), ("then", then), ("else", other)))

    def c_sum(self, t, depth):
        if t not in (INT, FLOAT):
            return None
        found = self.iterate(depth, lambda e: e == t or self._has_field(e, t),
                             lambda var, elem: self.using(var, t, depth, bare=True), ordered=False)
        if found is None:
            return None
        items, var, expr = found
        return Node("sum", t, (("expr", expr), ("item", var), ("items", items)))

    def c_count(self, t, depth):
        if t != INT:
            return None
        found = self.iterate(depth, lambda e: True, lambda var, elem: self.using(var, BOOL, depth), ordered=False)
        if found is None:
            return None
        items, var, cond = found
        return Node("count", t, (("item", var), ("items", items), ("cond", cond)))

    def c_filter(self, t, depth):
        if t.name != "List":
            return None
        found = self.iterate(depth, lambda e: e == t.elem, lambda var, elem: self.using(var, BOOL, depth))
        if found is None:
            return None
        items, var, cond = found
        return Node("filter", t, (("item", var), ("items", items), ("cond", cond)))

    def c_map(self, t, depth):
        if t.name != "List":
            return None
        found = self.iterate(depth, lambda e: e != t.elem or self.rng.random() < 0.3,
                             lambda var, elem: self.using(var, t.elem, depth, bare=False))
        if found is None:
            return None
        items, var, expr = found
        return Node("map", t, (("expr", expr), ("item", var), ("items", items)))

    # -- shapes people write, built from the constructs above ----------------------------
    def c_chain(self, t, depth):
        """An enum mapped to values: `0.2 if t == Tier.gold else (0.1 if t == Tier.silver else 0.0)`."""
        subjects = [(n, nt) for n, nt in self.scope if nt.name in self.enums]
        if t not in (INT, FLOAT, STRING) or not subjects:
            return None
        name, et = self.rng.choice(subjects)
        members = self.rng.sample(self.enums[et.name].members, 2)
        values = [self._leaf(t, 0) for _ in range(3)]
        if any(v is None for v in values) or len({body_text(v) for v in values}) < 3:
            return None
        subject = Node("name", et, value=name)
        node = values[2]
        for member, value in reversed(list(zip(members, values))):
            cond = Node("equals", BOOL, (("a", subject), ("b", Node("member", et, value=(et.name, member)))))
            node = Node("if_else", t, (("cond", cond), ("then", value), ("else", node)))
        return node

    def c_average(self, t, depth):
        """`sum(x.price for x in xs) / len(xs)`: the mean of a list, or of a field over one."""
        if t != FLOAT:
            return None
        total = self.c_sum(self.rng.choice((INT, FLOAT)), depth)
        if total is None or total.part("items").op != "name":
            return None
        return Node("average", t, total.parts)

    def c_guarded_max(self, t, depth):
        """`max(xs) if len(xs) > 0 else None`, or `min`."""
        if t.name != "Option" or t.elem not in (INT, FLOAT, STRING):
            return None
        extreme = self._unary(self.rng.choice(("max", "min")), t.elem, list_of(t.elem), depth)
        if extreme is None:
            return None
        size = Node("length", INT, (("x", extreme.part("x")),))
        cond = Node("greater_than", BOOL, (("a", size), ("b", Node("literal", INT, value=0))))
        return Node("if_else", t, (("cond", cond), ("then", extreme), ("else", Node("literal", t, value=None))))

    def _has_field(self, t: Type, wanted: Type) -> bool:
        record = self.records.get(t.name)
        return record is not None and any(f.type == wanted for f in record.fields)


#: Relative chance of trying each construct first; tuned so every construct shows up often.
_WEIGHTS = (
    ("sum", 2.0), ("count", 2.5), ("length", 1.0), ("max", 1.8), ("min", 1.6), ("filter", 2.5),
    ("map", 3.0), ("add", 1.0), ("subtract", 1.0), ("multiply", 1.0), ("divide", 2.0),
    ("greater_than", 1.0), ("less_than", 1.0), ("equals", 2.5), ("if_else", 0.5), ("upper", 2.0),
    ("lower", 2.0), ("contains", 1.5), ("field", 1.5), ("is_empty", 1.0), ("reverse", 1.0),
    ("sort", 2.0), ("join", 2.5), ("abs", 0.7), ("concat", 1.0),
    ("at_least", 1.0), ("at_most", 1.0), ("round", 1.2), ("round_to", 1.2), ("split", 2.0),
    ("chain", 2.0), ("average", 1.5), ("guarded_max", 1.5),
)
_MIRROR = {"equals": "equals", "greater_than": "less_than", "less_than": "greater_than",
           "at_least": "at_most", "at_most": "at_least"}
#: Children that make a construct pointless: sorting a sorted list, the largest of a
#: reversed one, `abs` of a length, ...
_POINTLESS = {
    "sort": ("sort", "reverse"), "reverse": ("reverse",), "upper": ("upper", "lower"),
    "lower": ("upper", "lower"), "abs": ("abs", "length", "count"), "max": ("sort", "reverse"),
    "min": ("sort", "reverse"), "length": ("sort", "reverse", "map", "upper", "lower"),
    "is_empty": ("sort", "reverse", "map", "upper", "lower"),
    "round": ("round_to",), "round_to": ("round_to",),
}
_STRING_LITERALS = ("a", "x", "ok", "the", "-", "!", "id_", "A")
_SEPARATORS = (", ", "-", " ", "; ", "/", "")
_SPLIT_SEPARATORS = (",", " ", ";", "-", ", ", "/")

# -- test inputs and answers ----------------------------------------------------------------

_WORDS = ("apple", "Bob", "hello world", "", "x", "Data", "ok", "QUEUE", "a-b", "tea", "Mixed Case",
          "zeta", "alpha", "Oslo", "id_42")
INPUTS_PER_SAMPLE = 8  # inputs tried per sample
CASES_KEPT = 5  # test cases kept: the first answers, plus at most one error case


def random_value(t: Type, rng: random.Random, records: Mapping[str, Record], enums: Mapping[str, Enum],
                 literals: tuple[Any, ...] = (), seen: list[Any] | None = None) -> Any:
    """A random IR value of type `t`.

    The body's own `literals` and the scalars drawn earlier for the same call (`seen`, which
    this extends) come up often, so that comparisons, filters and membership tests are
    sometimes true.
    """
    seen = [] if seen is None else seen
    scalar = {"Int": int, "Float": float, "String": str}.get(t.name)
    if scalar is not None:
        own = [v for v in literals if type(v) is scalar]
        earlier = [v for v in seen if type(v) is scalar]
        roll = rng.random()
        if own and roll < 0.2:
            value = rng.choice(own)
            value = value + rng.choice((-1, 0, 1)) if t == INT else value
        elif earlier and roll < 0.35:
            value = rng.choice(earlier)
        elif t == INT:
            value = rng.randint(-5, 15)
        elif t == FLOAT:
            value = round(rng.uniform(-5.0, 40.0), rng.choice((1, 2)))
        else:
            value = rng.choice(_WORDS)
            if own and rng.random() < 0.3:
                value += rng.choice(own)
        seen.append(value)
        return value
    if t == BOOL:
        return rng.random() < 0.5
    if t.name == "List":
        size = rng.choice((0, 1, 2, 3, 3, 4, 4, 5, 6))
        return tuple(random_value(t.elem, rng, records, enums, literals, seen) for _ in range(size))
    if t.name == "Option":
        return None if rng.random() < 0.3 else random_value(t.elem, rng, records, enums, literals, seen)
    if t.name in records:
        return RecordValue(t.name, tuple((f.name, random_value(f.type, rng, records, enums, literals, seen))
                                         for f in records[t.name].fields))
    return EnumValue(t.name, rng.choice(enums[t.name].members))


def to_json(value: Any) -> Any:
    """An IR value as JSON, the way a spec's test case writes it (a record is a mapping of
    its fields, an enum value its member name, an empty Option null)."""
    if isinstance(value, tuple):
        return [to_json(v) for v in value]
    if isinstance(value, RecordValue):
        return {k: to_json(v) for k, v in value.fields}
    if isinstance(value, EnumValue):
        return value.member
    if isinstance(value, MapValue):
        return {str(to_json(k)): to_json(v) for k, v in value.entries}
    return value


def finite(value: Any) -> bool:
    """Whether a value holds no inf or nan anywhere (test values must compare exactly)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, tuple):
        return all(finite(v) for v in value)
    if isinstance(value, RecordValue):
        return all(finite(v) for _, v in value.fields)
    if isinstance(value, MapValue):
        return all(finite(k) and finite(v) for k, v in value.entries)
    return True


def answer_inputs(draw: Callable[[], tuple], answer: Callable[[dict], Any],
                  tries: int) -> tuple[list[TestCase], list[TestCase], int]:
    """Run a body on up to `tries` distinct random inputs; what it answered, in test cases.

    Args:
        draw: one random input, as ``((param, value), ...)``.
        answer: the body's value for ``{param: value}`` (raises `EvalError` on failure).
        tries: inputs to draw (repeats are drawn but not run again).

    Returns:
        ``(answers, errors, distinct)``: the answered cases, every different answer's first
        case first (a non-finite answer is left out: test values must compare exactly);
        the inputs that raised; how many different answers there were.
    """
    tried: set[str] = set()
    answers: list[TestCase] = []
    errors: list[TestCase] = []
    for _ in range(tries):
        inputs = draw()
        key = json.dumps([to_json(v) for _, v in inputs])
        if key in tried:
            continue
        tried.add(key)
        try:
            value = answer(dict(inputs))
        except EvalError:
            errors.append(TestCase("", inputs, raises=True))
            continue
        if finite(value):
            answers.append(TestCase("", inputs, value))
    shown = [json.dumps(to_json(c.expected)) for c in answers]
    firsts = [c for i, c in enumerate(answers) if shown[i] not in shown[:i]]
    return firsts + [c for c in answers if c not in firsts], errors, len(firsts)


def run_tests(sample: Sample, typed: Any, rng: random.Random) -> tuple[TestCase, ...]:
    """Run the body on random inputs; keep the answers as test cases.

    Raises:
        Dropped: `errors` when no input gives an answer, `constant` when every answer is
            the same.
    """
    records = {r.name: r for r in sample.records}
    enums = {e.name: e for e in sample.enums}
    literals = tuple(n.value for n in sample.tree.walk() if n.op == "literal" and n.value is not None)
    literals += tuple(c.value for c in sample.constants)
    constants = {c.name: c.value for c in sample.constants}

    def draw() -> tuple:
        seen: list[Any] = []
        return tuple((p.name, random_value(p.type, rng, records, enums, literals, seen)) for p in sample.params)

    answers, errors, distinct = answer_inputs(draw, lambda inputs: evaluate(typed, inputs, constants),
                                              INPUTS_PER_SAMPLE)
    if not answers:
        raise Dropped("errors")
    if distinct < 2:
        raise Dropped("constant")
    kept = answers[:CASES_KEPT - 1] + (errors[:1] or answers[CASES_KEPT - 1:CASES_KEPT])
    return tuple(replace(c, name=f"case_{i + 1}") for i, c in enumerate(kept))
