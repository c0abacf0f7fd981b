import os
import random
import subprocess
import sys

import pytest

from polyglot.data.dataset import (SPLITS, construct_pairs, format_source, read_records, record_spec,
                                   resolve_languages,
                                   source_text, split_combo, split_random, synthesize, target_text,
                                   write_dataset)
from polyglot.data.names import native_language
from polyglot.errors import SpecError

LANGS = resolve_languages("all")
FILES = ("train.jsonl", "valid.jsonl", "test.jsonl", "stats.json")


def written(tmp_path, name, **kwargs):
    out = tmp_path / name
    write_dataset(synthesize(**kwargs), out)
    return {f: (out / f).read_bytes() for f in FILES}


@pytest.fixture(scope="module")
def combo():
    return synthesize(150, ["en", "zh"], seed=5, split_by="combo", test_frac=0.15)


def test_source_format_exact():
    record = {
        "name": "count_items", "params": [{"name": "items", "type": "List<Item>"}, {"name": "n", "type": "Int"}],
        "returns": "Int", "records": [{"name": "Item", "fields": [{"name": "qty", "type": "Int"},
                                                                   {"name": "color", "type": "Color"}]}],
        "enums": [{"name": "Color", "members": ["red", "green"]}], "body": "sum(1 for i in items if i.qty > n)",
        "words": {"en": {"given": "a list of items, a value n", "when": "count_items is computed",
                         "then": "returns the number of i in items for which\n the qty of i is greater than n"},
                  "ru": {"given": "", "when": "", "then": "возвращает количество i из items, для которых qty у i больше n"}},
    }
    assert source_text(record, "en") == (
        "<en> given a list of items, a value n | when count_items is computed | then returns the number of i "
        "in items for which the qty of i is greater than n | sig: count_items(items: List<Item>, n: Int) -> Int"
        " | types: Item(qty: Int, color: Color); Color{red, green}")
    assert source_text(record, "ru") == (
        "<ru> then возвращает количество i из items, для которых qty у i больше n"
        " | sig: count_items(items: List<Item>, n: Int) -> Int | types: Item(qty: Int, color: Color); Color{red, green}")
    assert target_text(record) == "sum(1 for i in items if i.qty > n)"
    assert format_source("zh", "f", [], "Int", when="计算f时") == "<zh> when 计算f时 | sig: f() -> Int"
    record["constants"] = [{"name": "MAX_ITEMS", "type": "Int", "value": 100},
                           {"name": "SEP", "type": "String", "value": "; "}]
    assert source_text(record, "ru").endswith(
        " | types: Item(qty: Int, color: Color); Color{red, green} | consts: MAX_ITEMS: Int = 100; SEP: String = \"; \"")


def test_a_used_constant_is_in_the_source_line():
    data = synthesize(40, ["en", "ru"], seed=1, augment_per_sample=1)
    records = [r for split in SPLITS for r in data.splits[split]]
    using = [r for r in records if any(c["name"] in r["body"] for c in r["constants"])]
    assert using and data.stats["uses_constants"] == len(using)
    for r in using:
        line = source_text(r, "ru")
        for c in r["constants"]:
            assert f"{c['name']}: {c['type']} = " in line.split(" | consts: ")[1]
        assert record_spec(r).constants  # read back, checked, its cases typed
    plain = next(r for r in records if not r["constants"])
    assert " consts: " not in source_text(plain, "en")


def test_same_seed_same_bytes(tmp_path):
    a = written(tmp_path, "a", n=25, langs=LANGS, seed=11)
    b = written(tmp_path, "b", n=25, langs=LANGS, seed=11)
    assert a == b and all(a.values())


def test_same_bytes_under_another_hash_seed(tmp_path):
    here = written(tmp_path, "here", n=20, langs=LANGS, seed=2, split_by="combo")
    code = ("import sys; from polyglot.data.dataset import *; "
            "write_dataset(synthesize(20, resolve_languages('all'), seed=2, split_by='combo'), sys.argv[1])")
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", code, str(tmp_path / hash_seed)], check=True, env=env)
        assert {f: (tmp_path / hash_seed / f).read_bytes() for f in FILES} == here


def test_different_seeds_differ(tmp_path):
    a = written(tmp_path, "a", n=20, langs=["en"], seed=0)
    b = written(tmp_path, "b", n=20, langs=["en"], seed=1)
    assert a["train.jsonl"] != b["train.jsonl"]


def test_records_are_multi_parallel_and_variants_stay_with_their_origin():
    data = synthesize(30, LANGS, seed=4, augment_per_sample=2)
    ids, where, native = [], {}, 0
    for split in SPLITS:
        for r in data.splits[split]:
            # names in one language's own words are described in that language only
            own = native_language(r["style"])
            assert list(r["words"]) == ([own] if own else LANGS)
            native += bool(own)
            ids.append(r["id"])
            where.setdefault(r["origin"], set()).add(split)
            assert r["id"] == r["origin"] if not r["augment"] else r["id"].startswith(r["origin"] + ".a")
    assert len(ids) == len(set(ids)) == 90
    assert all(len(s) == 1 for s in where.values()) and len(where) == 30
    assert 0 < native < 90  # both kinds occur with this seed


def test_random_split_sizes():
    where = split_random(50, random.Random(0), 0.1, 0.2)
    assert (where.count("train"), where.count("valid"), where.count("test")) == (35, 5, 10)
    data = synthesize(40, ["en"], seed=0, augment_per_sample=0)
    assert data.stats["records"] == {"train": 32, "valid": 4, "test": 4}


def test_split_combo_small_case():
    shapes = [("a", "b", "c"), ("a", "b"), ("b", "c"), ("a", "c"), ("a",), ("b",), ("c",), ("a", "b")]
    assert split_combo(shapes, random.Random(0), 0.0, 0.25) == (
        ["test", "train", "test", "train", "train", "train", "train", "train"], [("b", "c")])


def test_combo_split_holds_its_pairs_out_of_train(combo):
    held = {tuple(p) for p in combo.stats["held_out_pairs"]}
    assert len(held) >= 5
    for split in ("train", "valid"):
        for r in combo.splits[split]:
            assert not held & set(construct_pairs(r["constructs"])), r["body"]
    for r in combo.splits["test"]:
        assert held & set(construct_pairs(r["constructs"]))
    trained = {c for r in combo.splits["train"] for c in r["constructs"]}
    assert {c for p in held for c in p} <= trained
    assert 0 < combo.stats["samples"]["test"] <= int(150 * 0.15)


def test_stats(combo):
    stats = combo.stats
    assert stats["records"] == {s: len(combo.splits[s]) for s in SPLITS}
    assert stats["per_language"]["zh"]["train"] == stats["records"]["train"]
    assert stats["constructs"]["sum"]["train"] == sum("sum" in r["constructs"] for r in combo.splits["train"])
    assert sum(stats["augmentations"].values()) >= 150
    assert set(stats["dropped"]) <= {"no_body", "constant", "errors"}


def test_write_refuses_a_non_empty_folder(tmp_path):
    data = synthesize(3, ["en"], seed=0)
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(SpecError) as info:
        write_dataset(data, tmp_path)
    assert info.value.message == "output folder is not empty"
    write_dataset(data, tmp_path, force=True)
    assert read_records(tmp_path / "train.jsonl") == data.splits["train"]
    assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("langs, message", [
    ("en,xx", "unknown human language `xx`"), (" , ", "no languages given"),
])
def test_bad_languages(langs, message):
    with pytest.raises(SpecError) as info:
        resolve_languages(langs)
    assert info.value.message == message


def test_languages_in_the_order_given():
    assert resolve_languages("ru, en,ru") == ["ru", "en"]
    assert resolve_languages("all")[:3] == ["ar", "de", "el"] and len(LANGS) == 20


def test_new_constructs_described_in_synthesized_records():
    data = synthesize(120, ["en", "ru", "zh"], seed=7, augment_per_sample=0)
    by_id = {r["id"]: r for split in SPLITS for r in data.splits[split]}
    expected = {
        "at_least": ("s000095", "'!' if minValue >= FEE else 'ok'", {
            "en": "Return '!' when minValue is FEE or more, else 'ok'",
            "ru": "вернуть при условии minValue как минимум FEE — '!', иначе 'ok'",
            "zh": "返回minValue不低于1.5时为'!'，否则为'ok'"}),
        "at_most": ("s000029", "min(prices) <= 0.25", {
            "en": "Return the minimum of prices does not exceed 0.25",
            "ru": "выдаёт наименьшее значение в prices <= 0.25",
            "zh": "结果为prices中最小的元素至多为25%"}),
        "round": ("s000062", "round(ratio * LIMIT)", {
            "en": "It returns multiplies ratio by 5 rounded to the nearest whole number",
            "ru": "возвращает округляет ratio * LIMIT до целого",
            "zh": "输出最接近ratio乘LIMIT的整数"}),
        "round_to": ("s000067", "round(1.5 + limit, 3)", {
            "en": "It returns 1.5 + limit rounded to 3 decimal places",
            "ru": "сумма 1.5 и limit, округлённое до 3 знаков после запятой",
            "zh": "返回1.5加limit保留3位小数"}),
        "split": ("s000118", "max(needle.split(';'))", {
            "en": "the largest value in needle split on ';'",
            "ru": "возвращает наибольшее значение в части needle, разделённые ';'",
            "zh": "以';'为分隔符切分needle里最大的值"}),
        "average": ("s000109", "threshold + 5 < sum(v for v in values) / len(values)", {
            "en": "gives back adds 5 to threshold is smaller than the mean of v for each v of values",
            "ru": "возвращает threshold плюс 5 меньше среднее значение v по всем v из values",
            "zh": "输出threshold加上5 < values里各v的v的均值"}),
    }
    for construct, (id, body, then) in expected.items():
        record = by_id[id]
        assert construct in record["constructs"] and record["body"] == body
        assert {lang: w["then"] for lang, w in record["words"].items()} == then, construct
    used = {c for r in by_id.values() for c in r["constructs"]}
    assert set(expected) <= used
