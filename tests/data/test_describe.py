import random
import re

import pytest

from polyglot.data.describe import Words, describe, describe_sample
from polyglot.data.sample import Node, Sample, sample
from polyglot.langpacks import human_packs
from polyglot.spec.ir import Param
from polyglot.spec.types import FLOAT, INT, Type, list_of

PACKS = human_packs()
LANGS = sorted(PACKS)
SAMPLES = [sample(random.Random(f"words/{i}")) for i in range(40)]
PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\}")


class First:
    """An rng stand-in that always takes the first paraphrase."""

    def choice(self, seq):
        return seq[0]


ITEM = Type("Item")
_item = Node("name", ITEM, value="item")
TOTAL = Sample("total_items", (Param("items", list_of(ITEM)), Param("n", INT)), FLOAT, (), (), Node(
    "sum", FLOAT, (("expr", Node("multiply", FLOAT, (("a", Node("field", FLOAT, (("x", _item), ("field", "price")))),
                                                     ("b", Node("field", INT, (("x", _item), ("field", "qty"))))))),
                   ("item", "item"), ("items", Node("name", list_of(ITEM), value="items")))), ())


def test_twenty_languages():
    assert len(LANGS) == 20


@pytest.mark.parametrize("lang, words", [
    ("en", Words("a list of items, a value n", "total_items is computed",
                 "returns the sum of the price of item times the qty of item over all item in items")),
    ("ja", Words("itemsのリスト, 値n", "total_itemsを計算するとき",
                 "itemsの各itemについてitemのprice掛けるitemのqtyを合計したものを返す")),
    ("tr", Words("bir items listesi, bir n değeri", "total_items hesaplandığında",
                 "items içindeki her item için item nesnesinin price alanı çarpı item nesnesinin qty alanı "
                 "toplamı değerini döndürür")),
])
def test_nested_templates_in_each_languages_order(lang, words):
    assert describe_sample(TOTAL, PACKS[lang], First()) == words


def test_leaves_are_written_as_in_the_body():
    node = Node("add", INT, (("a", Node("name", INT, value="n")), ("b", Node("literal", INT, value=-2))))
    assert describe(node, PACKS["en"], First()) == "n plus -2"
    member = Node("equals", INT, (("a", Node("name", Type("Color"), value="c")),
                                  ("b", Node("member", Type("Color"), value=("Color", "red")))))
    assert describe(member, PACKS["de"], First()) == "c ist gleich Color.red"


@pytest.mark.parametrize("lang", LANGS)
def test_no_unfilled_placeholder_and_every_parameter_named(lang):
    for i, s in enumerate(SAMPLES):
        words = describe_sample(s, PACKS[lang], random.Random(f"{lang}/{i}"))
        for text in (words.given, words.when, words.then):
            assert not PLACEHOLDER.search(text), text
        assert s.name in words.when
        for p in s.params:
            assert p.name in words.given and p.name in words.then, (p.name, words)


@pytest.mark.parametrize("lang", LANGS)
def test_paraphrase_variety(lang):
    thens = {describe_sample(TOTAL, PACKS[lang], random.Random(seed)).then for seed in range(10)}
    assert len(thens) >= 2


def test_dropping_given_keeps_the_other_words():
    full = describe_sample(SAMPLES[3], PACKS["ru"], random.Random(5))
    bare = describe_sample(SAMPLES[3], PACKS["ru"], random.Random(5), given=False)
    assert bare == Words("", full.when, full.then) and full.given


#: Paraphrases per construct in the major languages: at least this many for every construct.
MAJOR = {"en": 4, "ru": 4, "zh": 4, "es": 3, "de": 3, "fr": 3, "ja": 3}


@pytest.mark.parametrize("lang, least", sorted(MAJOR.items()))
def test_major_languages_have_more_paraphrases(lang, least):
    counts = {c: len(t) for c, t in PACKS[lang].templates.items()}
    assert min(counts.values()) >= least, counts
    assert "{expr}" in PACKS[lang].templates["returns"]  # `then` may be the bare description


def test_constants_by_name_or_value_and_fractions_as_percentages():
    const = Node("const", INT, value=("MAX_ITEMS", 100))
    node = Node("less_than", Type("Bool"), (("a", Node("name", INT, value="n")), ("b", const)))
    said = {describe(node, PACKS["en"], random.Random(i)).split(" ", 1)[1] for i in range(40)}
    assert {"is less than MAX_ITEMS", "is less than 100", "< MAX_ITEMS", "< 100"} <= said
    rate = Node("multiply", FLOAT, (("a", Node("name", FLOAT, value="x")), ("b", Node("literal", FLOAT, value=0.2))))
    said = {describe(rate, PACKS["en"], random.Random(i)) for i in range(40)}
    assert {"x times 20%", "x times 0.2"} <= said


_n, _xs = Node("name", INT, value="n"), Node("name", list_of(INT), value="xs")
_price = Node("name", FLOAT, value="price")
_text = Node("name", Type("String"), value="text")
_x = Node("name", INT, value="x")
NEW_CONSTRUCTS = {
    "at_least": Node("at_least", Type("Bool"), (("a", _n), ("b", Node("literal", INT, value=3)))),
    "at_most": Node("at_most", Type("Bool"), (("a", _n), ("b", Node("const", INT, value=("LIMIT", 5))))),
    "round": Node("round", INT, (("x", _price),)),
    "round_to": Node("round_to", FLOAT, (("x", _price), ("digits", Node("literal", INT, value=2)))),
    "split": Node("split", list_of(Type("String")), (("x", _text), ("sep", Node("literal", Type("String"), value=",")))),
    "average": Node("average", FLOAT, (("expr", _x), ("item", "x"), ("items", _xs))),
}


@pytest.mark.parametrize("lang, said", [
    ("en", {"at_least": "n is at least 3", "at_most": "n is at most LIMIT",
            "round": "price rounded to the nearest whole number", "round_to": "price rounded to 2 decimal places",
            "split": "text split on ','", "average": "the average of x over all x in xs"}),
    ("ru", {"at_least": "n не меньше 3", "at_most": "n не больше LIMIT", "round": "price, округлённое до целого",
            "round_to": "price, округлённое до 2 знаков после запятой", "split": "строка text, разбитая по ','",
            "average": "среднее значение x по всем x из xs"}),
    ("zh", {"at_least": "n大于等于3", "at_most": "n小于等于LIMIT", "round": "price四舍五入取整",
            "round_to": "price保留2位小数", "split": "按','分割text", "average": "xs中所有x的x的平均值"}),
])
def test_new_constructs_in_words(lang, said):
    assert {c: describe(node, PACKS[lang], First()) for c, node in NEW_CONSTRUCTS.items()} == said


def test_every_pack_says_every_new_construct_differently():
    for lang in LANGS:
        for construct, node in NEW_CONSTRUCTS.items():
            texts = {describe(node, PACKS[lang], random.Random(i)) for i in range(30)}
            assert len(texts) >= 2 and all("{" not in t for t in texts), (lang, construct, texts)


def test_a_sum_over_the_length_of_its_list_is_said_as_an_average():
    total = Node("sum", INT, (("expr", _x), ("item", "x"), ("items", _xs)))
    mean = Node("divide", FLOAT, (("a", total), ("b", Node("length", INT, (("x", _xs),)))))
    assert describe(mean, PACKS["en"], First()) == "the average of x over all x in xs"
    other = Node("divide", FLOAT, (("a", total), ("b", Node("length", INT, (("x", Node("name", list_of(INT),
                                                                                     value="ys")),)))))
    assert describe(other, PACKS["en"], First()) == "the sum of x over all x in xs divided by the length of ys"
