"""Bodies in words: a sampled tree said in a human language through its pack's templates.

Each construct picks one of its pack's paraphrases (seeded), and its placeholders are
filled with the words for its children, recursively; identifiers and literals appear as
they are written in the body, except that a constant is named or given by its value
("more than MAX_ITEMS" or "more than 100") and a fraction may be a percentage (0.2 as
"20%"), as people write them. Word order is the template's, and the templates are written
in each language's own order, so no language needs code here. A shape made of several
constructs that people name with one word (an average) is said with that word.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from polyglot.data.sample import LEAVES, Node, Sample, leaf_text
from polyglot.langpacks import HumanPack

#: Between the `given` phrases of several parameters, in every language.
GIVEN_SEPARATOR = ", "


@dataclass(frozen=True)
class Words:
    """A behaviour's words in one language: the `given:`, `when:` and `then:` texts."""

    given: str
    when: str
    then: str


def describe(node: Node, pack: HumanPack, rng: random.Random) -> str:
    """`node` in words: one paraphrase per construct, children nested into placeholders.

    Args:
        node: a body tree from `polyglot.data.sample`.
        pack: the human language.
        rng: chooses the paraphrases; consumed parent first, then children in placeholder
            order, so the same tree shape with the same seed picks the same paraphrases.

    Returns:
        The phrase, e.g. ``the sum of the price of item over all item in items``.
    """
    if node.op in LEAVES:
        return leaf_words(node, rng)
    node = said_as(node)
    template = rng.choice(pack.templates[node.op])
    fills = {name: child if isinstance(child, str) else describe(child, pack, rng)
             for name, child in node.parts}
    return template.format(**fills)


def said_as(node: Node) -> Node:
    """`node` as the construct people would name it: a shape of several constructs that has
    its own words becomes that construct (`sum(e for x in xs) / len(xs)` is an `average`).
    """
    if node.op == "divide":
        total, size = node.part("a"), node.part("b")
        if (isinstance(total, Node) and total.op == "sum" and isinstance(size, Node) and size.op == "length"
                and size.part("x") == total.part("items")):
            return Node("average", node.type, total.parts)
    return node


def leaf_words(node: Node, rng: random.Random) -> str:
    """A leaf in words: as written, a constant maybe by its value, a fraction maybe as a percentage."""
    text = leaf_text(node)
    if node.op not in ("literal", "const"):
        return text
    value = node.value[1] if node.op == "const" else node.value
    if node.op == "const":
        text = rng.choice((text, repr(value)))
        if text != repr(value):
            return text
    if isinstance(value, float) and 0 < value < 1:
        text = rng.choice((text, f"{round(value * 100, 6):g}%"))
    return text


def describe_sample(sample: Sample, pack: HumanPack, rng: random.Random, given: bool = True) -> Words:
    """A whole behaviour in words.

    `then` says what it returns, `when` names it as computed, `given` introduces each
    parameter (a list, or a value) in signature order. `then` draws from `rng` first, so
    dropping `given` or reordering parameters keeps the same `then`.

    Args:
        sample: the behaviour.
        pack: the human language.
        rng: chooses the paraphrases.
        given: False to leave the `given` text empty.

    Returns:
        The `Words`.
    """
    then = rng.choice(pack.templates["returns"]).format(expr=describe(sample.tree, pack, rng))
    when = rng.choice(pack.templates["when_computed"]).format(x=sample.name)
    phrases = []
    for p in sample.params:
        if p.type.name == "List":
            phrases.append(rng.choice(pack.templates["given_list"]).format(items=p.name))
        else:
            phrases.append(rng.choice(pack.templates["given_value"]).format(x=p.name))
    return Words(GIVEN_SEPARATOR.join(phrases) if given else "", when, then)
