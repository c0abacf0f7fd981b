"""Synthetic training data: records, the model's source format, splits, and the files.

One record is one behaviour -- signature, body, test cases -- with its words in every
requested language, so parallel sentences share an `id` (the contrastive term needs them).
Augmented variants of a sample get ids `<origin>.a1`, `<origin>.a2`, ... and always land in
the same split as their origin, so no test behaviour leaks into training.

The model reads `source_text(record, lang)` and writes `target_text(record)`:

    <en> given a list of items, a value n | when count_items is computed | then returns
    the number of item in items for which the qty of item is greater than n
    | sig: count_items(items: List<Item>, n: Int) -> Int | types: Item(name: String, qty: Int)
    | consts: MAX_ITEMS: Int = 100

(one line). Segments are joined by `` | `` and each starts with its label: `given`,
`when`, `then` (the words, any of them may be absent), `sig:` (always), `types:` (only
when the signature needs records or enums: records first, as `Name(field: Type, ...)`,
then enums as `Name{a, b}`, separated by `; `), `consts:` (only when the spec declares
constants: `NAME: Type = value`, the value as JSON, separated by `; `). Runs of
whitespace in the words become one space. `translate` builds the same line from a spec
with `format_source`; a spec without constants gives the line the format had before
`consts:` existed, so models trained on that format read it unchanged.

Every file is the same bytes for the same arguments: all randomness comes from
`random.Random` seeded with strings, and nothing iterates over an unordered container.
"""
from __future__ import annotations

import ast
import json
import os
import random
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from tqdm import tqdm

from polyglot.body.check import BodyContext, check_body
from polyglot.data.augment import AUGMENTATIONS, Variant, augment
from polyglot.data.describe import Words, describe_sample
from polyglot.data.names import native_language
from polyglot.data.sample import constructs, sample, to_json
from polyglot.errors import SpecError, did_you_mean
from polyglot.io import check_out_dir, write_files
from polyglot.langpacks import HumanPack, human_packs
from polyglot.spec.ir import Behavior, Body, Constant, Enum, Field, Param, Record, Spec, TestCase
from polyglot.spec.types import parse_type
from polyglot.spec.values import convert_value

SPLITS = ("train", "valid", "test")
SPLIT_BY = ("random", "combo")
SEGMENT_SEPARATOR = " | "
#: Paraphrase draws tried for a `synonyms` variant before settling for the same words.
SYNONYM_TRIES = 8


# -- the model's source format --------------------------------------------------------------


def format_source(lang: str, name: str, params: Sequence[tuple[str, str]], returns: str,
                  given: str = "", when: str = "", then: str = "",
                  records: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
                  enums: Sequence[tuple[str, Sequence[str]]] = (),
                  constants: Sequence[tuple[str, str, Any]] = ()) -> str:
    """The model's input line for a behaviour (the format is in the module docstring).

    Args:
        lang: the human language's code, written as the tag ``<lang>``.
        name: the behaviour's name.
        params: (name, type) pairs in signature order, types as written (``List<Item>``).
        returns: the return type as written.
        given: the `given` words; empty to leave the segment out. Likewise `when`, `then`.
        records: (name, [(field, type), ...]) for each record the signature needs.
        enums: (name, [member, ...]) for each enum it needs.
        constants: (name, type, value) for each constant of the spec, the value as JSON
            (a record a mapping, an enum value its member name).

    Returns:
        One line.

    Example:
        >>> format_source("en", "double", [("x", "Int")], "Int", then="returns x times 2")
        '<en> then returns x times 2 | sig: double(x: Int) -> Int'
        >>> format_source("en", "can_add", [("n", "Int")], "Bool", then="n is below MAX_ITEMS",
        ...               constants=[("MAX_ITEMS", "Int", 100)])
        '<en> then n is below MAX_ITEMS | sig: can_add(n: Int) -> Bool | consts: MAX_ITEMS: Int = 100'
    """
    segments = [f"{label} {' '.join(text.split())}" for label, text in
                (("given", given), ("when", when), ("then", then)) if text.strip()]
    signature = ", ".join(f"{p}: {t}" for p, t in params)
    segments.append(f"sig: {name}({signature}) -> {returns}")
    types = [f"{r}({', '.join(f'{f}: {t}' for f, t in fields)})" for r, fields in records]
    types += [f"{e}{{{', '.join(members)}}}" for e, members in enums]
    if types:
        segments.append("types: " + "; ".join(types))
    if constants:
        segments.append("consts: " + "; ".join(f"{c}: {t} = {json.dumps(v, ensure_ascii=False)}"
                                               for c, t, v in constants))
    return f"<{lang}> " + SEGMENT_SEPARATOR.join(segments)


def source_text(record: Mapping[str, Any], lang: str) -> str:
    """The model's input for `record` in language `lang` (see `format_source`).

    Args:
        record: a dataset record (one line of `train.jsonl`).
        lang: one of the record's languages.

    Returns:
        One line, starting with the tag ``<lang>``.
    """
    words = record["words"][lang]
    return format_source(
        lang, record["name"], [(p["name"], p["type"]) for p in record["params"]], record["returns"],
        words["given"], words["when"], words["then"],
        [(r["name"], [(f["name"], f["type"]) for f in r["fields"]]) for r in record["records"]],
        [(e["name"], e["members"]) for e in record["enums"]],
        [(c["name"], c["type"], c["value"]) for c in record.get("constants", ())])


def target_text(record: Mapping[str, Any]) -> str:
    """The model's output for `record`: the body expression."""
    return record["body"]


# -- records ----------------------------------------------------------------------------------


def to_record(id: str, origin: str, variant: Variant, words: Mapping[str, Words]) -> dict[str, Any]:
    """A variant and its words as one JSON-ready record (keys in a fixed order)."""
    s = variant.sample
    tests = []
    for case in s.tests:
        entry: dict[str, Any] = {"name": case.name, "input": {k: to_json(v) for k, v in case.inputs}}
        if case.raises:
            entry["raises"] = True
        else:
            entry["expected"] = to_json(case.expected)
        tests.append(entry)
    return {
        "id": id,
        "origin": origin,
        "augment": list(variant.kinds),
        "style": s.style,
        "name": s.name,
        "params": [{"name": p.name, "type": str(p.type)} for p in s.params],
        "returns": str(s.returns),
        "records": [{"name": r.name, "fields": [{"name": f.name, "type": str(f.type)} for f in r.fields]}
                    for r in s.records],
        "enums": [{"name": e.name, "members": list(e.members)} for e in s.enums],
        "constants": [{"name": c.name, "type": str(c.type), "value": to_json(c.value)} for c in s.constants],
        "body": s.body,
        "constructs": list(constructs(s.tree)),
        "words": {lang: {"given": w.given, "when": w.when, "then": w.then} for lang, w in words.items()},
        "tests": tests,
    }


def record_spec(record: Mapping[str, Any], lang: str | None = None) -> Spec:
    """A record read back as a one-behaviour spec IR, body checked, tests typed.

    This is how a record meets the rest of polyglot: `polyglot.spec.run.run_spec` runs
    its test cases on the reference evaluator, the renderers turn it into code.

    Args:
        record: a dataset record.
        lang: whose words fill `given`/`when`/`then`; default the record's first language.

    Returns:
        The `Spec`.
    """
    records = tuple(Record(r["name"], tuple(Field(f["name"], parse_type(f["type"])) for f in r["fields"]))
                    for r in record["records"])
    enums = tuple(Enum(e["name"], tuple(e["members"])) for e in record["enums"])
    params = tuple(Param(p["name"], parse_type(p["type"])) for p in record["params"])
    returns = parse_type(record["returns"])
    by_record, by_enum = {r.name: r for r in records}, {e.name: e for e in enums}
    constants = tuple(Constant(c["name"], t, convert_value(c["value"], t, by_record, by_enum))
                      for c in record.get("constants", ()) for t in [parse_type(c["type"])])
    types = {p.name: p.type for p in params}
    tests = tuple(TestCase(
        case["name"],
        tuple((k, convert_value(v, types[k], by_record, by_enum)) for k, v in case["input"].items()),
        None if case.get("raises") else convert_value(case["expected"], returns, by_record, by_enum),
        bool(case.get("raises"))) for case in record["tests"])
    expr = check_body(record["body"], BodyContext(params, records, enums, constants), returns)
    words = record["words"][lang or next(iter(record["words"]))]
    behavior = Behavior(record["name"], words["given"], words["when"], words["then"], params=params,
                        returns=returns, body=Body(record["body"], expr), tests=tests)
    return Spec(record["id"], record["id"].replace(".", "_"), records=records, enums=enums,
                constants=constants, behaviors=(behavior,))


# -- generating -------------------------------------------------------------------------------


def resolve_languages(spec: str, packs: Mapping[str, HumanPack] | None = None) -> list[str]:
    """``all`` or ``en,ru,...`` -> language codes in the order given (``all``: by code).

    Raises:
        SpecError: an empty list or an unknown code.
    """
    packs = human_packs() if packs is None else packs
    if spec.strip() == "all":
        return sorted(packs)
    codes: list[str] = []
    for code in (c.strip() for c in spec.split(",")):
        if not code:
            continue
        if code not in packs:
            raise SpecError(f"unknown human language `{code}`", path="--langs",
                            expected="`all` or codes such as en,ru,zh", hint=did_you_mean(code, list(packs)))
        if code not in codes:
            codes.append(code)
    if not codes:
        raise SpecError("no languages given", path="--langs", expected="`all` or codes such as en,ru,zh")
    return codes


def describe_variant(variant: Variant, pack: HumanPack, key: str) -> Words:
    """The words for a variant; `key` seeds the paraphrases.

    Variants of one sample share `key`, so a rename keeps the original's paraphrases and
    only `synonyms` changes them (to the first other draw that differs).
    """
    words = describe_sample(variant.sample, pack, random.Random(key), variant.given)
    if variant.synonyms:
        for salt in range(1, SYNONYM_TRIES + 1):
            other = describe_sample(variant.sample, pack, random.Random(f"{key}/synonyms/{salt}"), variant.given)
            if other != words:
                return other
    return words


@dataclass
class Dataset:
    """Records by split, and the stats written beside them."""

    splits: dict[str, list[dict[str, Any]]]
    stats: dict[str, Any]


def synthesize(n: int, langs: Sequence[str], seed: int = 0, split_by: str = "random", augment_per_sample: int = 1,
               valid_frac: float = 0.1, test_frac: float = 0.1, progress: bool = False,
               packs: Mapping[str, HumanPack] | None = None) -> Dataset:
    """Sample `n` behaviours, describe them in `langs`, augment and split them.

    Args:
        n: samples to draw (each gives 1 + `augment_per_sample` records).
        langs: human language codes.
        seed: everything random follows from it.
        split_by: ``random`` (samples shuffled into splits) or ``combo`` (test holds every
            sample with a held-out pair of constructs; those pairs never occur in train or valid).
        augment_per_sample: augmented variants per sample.
        valid_frac: share of samples for validation.
        test_frac: share of samples for test (for ``combo``: at most this share).
        progress: a progress bar on stderr.
        packs: code -> pack; default every pack found.

    Returns:
        The `Dataset`.

    Raises:
        SpecError: an unknown language or split method, or fractions that leave no training data.
    """
    packs = human_packs() if packs is None else packs
    for code in langs:
        if code not in packs:
            raise SpecError(f"unknown human language `{code}`", hint=did_you_mean(code, list(packs)))
    if split_by not in SPLIT_BY:
        raise SpecError(f"unknown split method `{split_by}`", expected=" or ".join(SPLIT_BY))
    if not (0 <= valid_frac and 0 <= test_frac and valid_frac + test_frac < 1):
        raise SpecError("the valid and test shares must be >= 0 and leave some training data",
                        found=f"{valid_frac} + {test_frac}")
    dropped: Counter = Counter()
    groups: list[list[dict[str, Any]]] = []
    for i in tqdm(range(n), desc="synth", unit="sample", file=sys.stderr, disable=not progress):
        base = sample(random.Random(f"{seed}/sample/{i}"), dropped, langs=langs)
        origin = f"s{i:06d}"
        variants = [Variant(base)]
        variants += [augment(base, random.Random(f"{seed}/augment/{i}/{k}"), langs)
                     for k in range(1, augment_per_sample + 1)]
        group = []
        for k, variant in enumerate(variants):
            # names in one language's own words are described in that language only
            own = native_language(variant.sample.style)
            words = {lang: describe_variant(variant, packs[lang], f"{seed}/words/{origin}/{lang}")
                     for lang in ([own] if own else langs)}
            group.append(to_record(origin if k == 0 else f"{origin}.a{k}", origin, variant, words))
        groups.append(group)
    shapes = [tuple(g[0]["constructs"]) for g in groups]
    rng = random.Random(f"{seed}/split/{split_by}")
    if split_by == "random":
        assignment, held = split_random(len(groups), rng, valid_frac, test_frac), []
    else:
        assignment, held = split_combo(shapes, rng, valid_frac, test_frac)
    splits: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    for group, where in zip(groups, assignment):
        splits[where].extend(group)
    stats = _stats(splits, list(langs), dropped, held, dict(
        seed=seed, n=n, split_by=split_by, augment=augment_per_sample, valid_frac=valid_frac, test_frac=test_frac))
    return Dataset(splits, stats)


def split_random(n: int, rng: random.Random, valid_frac: float, test_frac: float) -> list[str]:
    """Each of `n` samples' split, by a seeded shuffle: exactly round(n * frac) in valid and test."""
    order = list(range(n))
    rng.shuffle(order)
    n_test, n_valid = round(n * test_frac), round(n * valid_frac)
    where = ["train"] * n
    for rank, i in enumerate(order):
        if rank < n_test:
            where[i] = "test"
        elif rank < n_test + n_valid:
            where[i] = "valid"
    return where


def construct_pairs(shape: Iterable[str]) -> list[tuple[str, str]]:
    """The unordered pairs of distinct constructs in one body, sorted."""
    return list(combinations(sorted(set(shape)), 2))


def split_combo(shapes: Sequence[Sequence[str]], rng: random.Random, valid_frac: float,
                test_frac: float) -> tuple[list[str], list[tuple[str, str]]]:
    """Hold out pairs of constructs: test gets every sample with one, train and valid none.

    Pairs are taken in a seeded random order while the samples they hold out fit in
    `test_frac` of the data, and only if every construct keeps at least one training
    sample (the test then asks for new *combinations* of known constructs). Valid is a
    random `valid_frac` of the rest.

    Args:
        shapes: each sample's constructs.
        rng: the order pairs are tried in, and the valid draw.
        valid_frac: share of samples for validation.
        test_frac: the most test may hold.

    Returns:
        Each sample's split, and the held-out pairs (sorted).
    """
    n = len(shapes)
    holders: dict[tuple[str, str], list[int]] = {}
    for i, shape in enumerate(shapes):
        for pair in construct_pairs(shape):
            holders.setdefault(pair, []).append(i)
    pairs = sorted(holders)
    rng.shuffle(pairs)
    left = Counter(c for shape in shapes for c in set(shape))  # training samples per construct
    budget = int(n * test_frac)
    test: set[int] = set()
    held: list[tuple[str, str]] = []
    for pair in pairs:
        new = [i for i in holders[pair] if i not in test]
        if len(test) + len(new) > budget:
            continue
        lost = Counter(c for i in new for c in set(shapes[i]))
        if any(left[c] <= k for c, k in lost.items()):
            continue
        held.append(pair)
        test.update(new)
        left.subtract(lost)
    rest = [i for i in range(n) if i not in test]
    rng.shuffle(rest)
    valid = set(rest[:round(n * valid_frac)])
    where = ["test" if i in test else "valid" if i in valid else "train" for i in range(n)]
    return where, sorted(held)


def _stats(splits: Mapping[str, list[dict[str, Any]]], langs: list[str], dropped: Counter,
           held: list[tuple[str, str]], settings: dict[str, Any]) -> dict[str, Any]:
    names = sorted({c for records in splits.values() for r in records for c in r["constructs"]})
    stats: dict[str, Any] = dict(settings)
    stats["languages"] = langs
    stats["records"] = {s: len(splits[s]) for s in SPLITS}
    stats["samples"] = {s: sum(not r["augment"] for r in splits[s]) for s in SPLITS}
    stats["per_language"] = {lang: {
        **{s: sum(lang in r["words"] for r in splits[s]) for s in SPLITS},
        "mean_then_chars": round(statistics.fmean([len(r["words"][lang]["then"]) for s in SPLITS
                                                   for r in splits[s] if lang in r["words"]] or [0]), 2),
    } for lang in langs}
    stats["uses_constants"] = sum(uses_constants(r) for s in SPLITS for r in splits[s])
    stats["identifier_styles"] = dict(sorted(Counter(
        r["style"].split(":")[0] for s in SPLITS for r in splits[s]).items()))
    stats["constructs"] = {c: {s: sum(c in r["constructs"] for r in splits[s]) for s in SPLITS} for c in names}
    stats["augmentations"] = {k: sum(k in r["augment"] for s in SPLITS for r in splits[s]) for k in AUGMENTATIONS}
    stats["dropped"] = {k: dropped[k] for k in sorted(dropped)}
    stats["held_out_pairs"] = [list(p) for p in held]
    return stats


def uses_constants(record: Mapping[str, Any]) -> bool:
    """Whether a record's body names one of its constants."""
    names = {c["name"] for c in record.get("constants", ())}
    return bool(names) and any(isinstance(n, ast.Name) and n.id in names
                               for n in ast.walk(ast.parse(record["body"], mode="eval")))


def write_dataset(dataset: Dataset, out_dir: str | os.PathLike[str], force: bool = False) -> list[Path]:
    """Write ``train.jsonl``, ``valid.jsonl``, ``test.jsonl`` and ``stats.json``: all of
    them or, on any failure, none.

    Args:
        dataset: from `synthesize`.
        out_dir: the folder; created if missing.
        force: write into a folder that already holds files.

    Returns:
        The paths written.

    Raises:
        SpecError: `out_dir` is a file, or a non-empty folder without `force`.
    """
    out = check_out_dir(out_dir, must_be_empty=not force)
    files: dict[Path, str] = {
        out / f"{split}.jsonl": records_text(dataset.splits[split])
        for split in SPLITS}
    files[out / "stats.json"] = json.dumps(dataset.stats, ensure_ascii=False, indent=2) + "\n"
    return write_files(files, force=True)


def records_text(records: Iterable[dict[str, Any]]) -> str:
    """Records as JSON lines, UTF-8 kept as is: what `read_records` reads back."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def read_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The records of one ``.jsonl`` file, in order."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


__all__ = ["Dataset", "SPLITS", "SPLIT_BY", "construct_pairs", "describe_variant", "format_source",
           "read_records", "record_spec", "records_text", "resolve_languages", "source_text", "split_combo", "split_random",
           "synthesize", "target_text", "to_record", "uses_constants", "write_dataset"]
