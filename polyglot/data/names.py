"""Identifier vocabularies: the names a sample's signature is spelled with, in several styles.

Hand-written specs name things every way: `xs` and `n`, `line_items` and `unit_price`,
`lineItems` and `unitPrice`, and -- in Russian, Chinese, Arabic, ... specs -- words in the
language's own script (`текст`, `学生们`). A model that saw only one style learns the
names, not to copy them from the signature. Each `Vocabulary` is one style; a sample draws
one (`pick_vocabulary`), and its parameters, records, fields and loop variables come from it.
The styles here are language-neutral; the words in a language's own script are that human
pack's ``[names]`` table (docs/human-langpacks.md), so a new pack brings its own.

A record's singular word names the loop variable over a list of it, so it must differ from
the record's own name (`Item` / `item`, `طالب` / `الطالب`).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Collection, Mapping

from polyglot.langpacks import HumanPack, human_packs


#: How a style in a language's own words is named: `native:ru`.
NATIVE_PREFIX = "native:"


@dataclass(frozen=True)
class Vocabulary:
    """Names for every role, by type name.

    Args:
        style: `plain`, `short`, `long`, `camel` or `native:<lang>` (`NATIVE_PREFIX`).
        records: (record, plural, singular): a record type, the words for a list of it and one of it.
        fields: field names by field type.
        lists: (plural, singular) list-parameter names by element type; the singular names
            the loop variable.
        scalars: parameter names by type.
        list_suffix: makes a second name for a list of records (`item_list`, `itemList`).
    """

    style: str
    records: tuple[tuple[str, str, str], ...]
    fields: Mapping[str, tuple[str, ...]]
    lists: Mapping[str, tuple[tuple[str, str], ...]]
    scalars: Mapping[str, tuple[str, ...]]
    list_suffix: str = "_list"


PLAIN = Vocabulary(
    "plain",
    records=(
        ("Item", "items", "item"), ("Order", "orders", "order"), ("Product", "products", "product"),
        ("Employee", "employees", "employee"), ("Student", "students", "student"),
        ("Task", "tasks", "task"), ("Book", "books", "book"), ("Account", "accounts", "account"),
        ("City", "cities", "city"), ("Song", "songs", "song"), ("Player", "players", "player"),
        ("Invoice", "invoices", "invoice"), ("Ticket", "tickets", "ticket"),
        ("Package", "packages", "parcel"), ("Room", "rooms", "room"), ("Movie", "movies", "movie"),
    ),
    fields={
        "Int": ("qty", "age", "year", "stock", "pages", "level", "votes", "minutes", "floor", "rank"),
        "Float": ("price", "weight", "rating", "balance", "score", "amount", "height", "cost", "speed"),
        "String": ("name", "title", "city", "code", "label", "owner", "tag", "email", "author"),
        "Bool": ("active", "done", "available", "paid", "verified", "urgent"),
    },
    lists={
        "Int": (("numbers", "n"), ("scores", "score"), ("ages", "age"), ("counts", "c"), ("values", "v"),
                ("marks", "mark"), ("steps", "step"), ("xs", "x"), ("years", "year")),
        "Float": (("prices", "price"), ("weights", "w"), ("readings", "r"), ("amounts", "amount"),
                  ("temperatures", "t"), ("rates", "rate"), ("ys", "y"), ("distances", "d")),
        "String": (("words", "word"), ("names", "name"), ("tags", "tag"), ("lines", "line"),
                   ("labels", "label"), ("parts", "part"), ("titles", "title"), ("codes", "code")),
    },
    scalars={
        "Int": ("n", "limit", "threshold", "k", "minimum", "offset", "bonus", "extra", "cap", "target"),
        "Float": ("rate", "factor", "tax", "discount", "scale", "bias", "fee", "ratio", "budget"),
        "String": ("text", "prefix", "suffix", "word", "label", "title", "sep", "query", "needle"),
        "Bool": ("flag", "strict", "enabled", "verbose"),
    },
)

SHORT = Vocabulary(
    "short",
    records=(("Rec", "rs", "r"), ("Row", "rows", "row"), ("Obj", "objs", "o"), ("Item", "its", "it"),
             ("Node", "ns", "nd"), ("Entry", "es", "e")),
    fields={
        "Int": ("n", "k", "qty", "cnt", "num", "idx"),
        "Float": ("p", "w", "val", "amt", "x", "v"),
        "String": ("s", "nm", "id", "key", "txt"),
        "Bool": ("ok", "on", "flag"),
    },
    lists={
        "Int": (("xs", "x"), ("ns", "n"), ("nums", "n"), ("a", "x"), ("arr", "v"), ("lst", "i")),
        "Float": (("ys", "y"), ("fs", "f"), ("vals", "v"), ("ps", "p"), ("ws", "w")),
        "String": (("ss", "s"), ("ws", "w"), ("strs", "s"), ("toks", "t"), ("names", "nm")),
    },
    scalars={
        "Int": ("n", "k", "m", "i", "lo", "hi", "t", "c"),
        "Float": ("r", "f", "p", "w", "x", "c"),
        "String": ("s", "t", "q", "w", "sep", "pre"),
        "Bool": ("b", "f", "ok"),
    },
    list_suffix="_lst",
)

LONG = Vocabulary(
    "long",
    records=(("LineItem", "line_items", "line_item"), ("CustomerOrder", "customer_orders", "customer_order"),
             ("UserAccount", "user_accounts", "user_account"), ("SensorReading", "sensor_readings", "sensor_reading"),
             ("StockProduct", "stock_products", "stock_product"), ("TeamPlayer", "team_players", "team_player"),
             ("ExamResult", "exam_results", "exam_result"), ("ShoppingCartEntry", "cart_entries", "cart_entry")),
    fields={
        "Int": ("item_count", "page_count", "age_in_years", "stock_level", "retry_count", "days_overdue"),
        "Float": ("unit_price", "total_weight", "average_rating", "account_balance", "base_cost", "max_speed"),
        "String": ("full_name", "display_title", "city_name", "product_code", "owner_email", "short_label"),
        "Bool": ("is_active", "is_done", "has_paid", "is_verified"),
    },
    lists={
        "Int": (("input_numbers", "number"), ("all_scores", "score"), ("user_ages", "age"),
                ("page_counts", "page_count"), ("daily_steps", "step_count")),
        "Float": (("item_prices", "item_price"), ("sensor_values", "sensor_value"), ("daily_temperatures", "temp"),
                  ("order_amounts", "amount"), ("exchange_rates", "exchange_rate")),
        "String": (("user_names", "user_name"), ("input_lines", "line"), ("file_names", "file_name"),
                   ("search_terms", "term"), ("product_codes", "product_code")),
    },
    scalars={
        "Int": ("max_count", "min_value", "item_limit", "page_size", "retry_count", "offset_days", "target_total"),
        "Float": ("tax_rate", "discount_factor", "unit_price", "base_fee", "min_balance", "scale_factor"),
        "String": ("search_text", "name_prefix", "file_suffix", "user_name", "join_separator", "query_string"),
        "Bool": ("is_strict", "include_all", "dry_run"),
    },
)


def camel(name: str) -> str:
    """`line_items` -> `lineItems`."""
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


CAMEL = Vocabulary(
    "camel",
    records=tuple((r, camel(p), camel(s)) for r, p, s in LONG.records),
    fields={t: tuple(camel(n) for n in names) for t, names in LONG.fields.items()},
    lists={t: tuple((camel(p), camel(s)) for p, s in pairs) for t, pairs in LONG.lists.items()},
    scalars={t: tuple(camel(n) for n in names) for t, names in LONG.scalars.items()},
    list_suffix="List",
)


def native_vocabulary(pack: HumanPack) -> Vocabulary | None:
    """The `native:<code>` style of a pack that has ``[names]``, else None."""
    names = pack.names
    if names is None:
        return None
    return Vocabulary(f"{NATIVE_PREFIX}{pack.code}", names.records, names.fields, names.lists, names.scalars,
                      names.list_suffix)


def native_vocabularies(packs: Mapping[str, HumanPack] | None = None) -> dict[str, Vocabulary]:
    """Identifiers in the language's own words, by code, for every pack with ``[names]``.

    Args:
        packs: code -> pack; default every pack found (`human_packs`), so a user pack with
            ``[names]`` on POLYGLOT_PATH takes part with no code change.

    Returns:
        code -> its `Vocabulary`, sorted by code.
    """
    packs = human_packs() if packs is None else packs
    found = {code: native_vocabulary(packs[code]) for code in sorted(packs)}
    return {code: v for code, v in found.items() if v is not None}


def native_language(style: str) -> str | None:
    """The language a `native:<code>` style is written in; None for the others.

    A sample whose names are in one language's words reads naturally only in that
    language's sentences.
    """
    return style[len(NATIVE_PREFIX):] if style.startswith(NATIVE_PREFIX) else None


#: How often each style is drawn for a sample (native: one of `native_vocabularies`, at random).
STYLES = (("plain", 0.45), ("short", 0.15), ("long", 0.12), ("camel", 0.12), ("native", 0.16))
_BY_STYLE = {v.style: v for v in (PLAIN, SHORT, LONG, CAMEL)}


def pick_vocabulary(rng: random.Random, langs: Collection[str] | None = None,
                    packs: Mapping[str, HumanPack] | None = None) -> Vocabulary:
    """One style's vocabulary, drawn by `STYLES`' weights.

    Args:
        rng: draws the style, then the language of a native one.
        langs: the languages the sample will be described in: a native style is drawn
            only among these (None: any pack with ``[names]``). With none of them having
            ``[names]``, a native draw falls back to `plain`.
        packs: code -> pack; default every pack found.
    """
    style = rng.choices([s for s, _ in STYLES], [w for _, w in STYLES])[0]
    if style == "native":
        natives = native_vocabularies(packs)
        codes = [code for code in natives if langs is None or code in langs]
        return natives[rng.choice(codes)] if codes else PLAIN
    return _BY_STYLE[style]
