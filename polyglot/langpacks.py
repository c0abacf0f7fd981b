"""Language packs: the data that teaches polyglot a language.

A human pack, ``langpacks/human/<code>.toml``, holds the words a spec may be written in:
aliases for every canonical key (``дано`` -> ``given``), localized type names,
transliteration overrides, and the sentence templates that synthetic data is rendered
with. The format is documented in docs/human-langpacks.md.

Packs are looked up in three places, first found wins, so that a user can shadow a
language or add one without touching the install:

1. ``POLYGLOT_PATH``: folders separated by ``os.pathsep`` (``:`` on POSIX);
2. installed packages, through the entry point group ``polyglot.langpacks``;
3. the built-in ``langpacks/`` folder beside the ``polyglot`` package.

Each place is a folder holding ``langpacks/`` (or that ``langpacks/`` folder itself).
Loaded packs are cached per tuple of folders; ``clear_pack_caches()`` forgets them, for
tests and for tools that edit packs while running. Every defect in a pack is a
``SpecError`` naming the file, line, column and key path.
"""
from __future__ import annotations

import functools
import json
import keyword
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from string import Formatter
from types import MappingProxyType, ModuleType
from typing import Any, Iterable, Mapping, Sequence

from anyascii import anyascii

import polyglot
from polyglot.errors import SpecError, did_you_mean
from polyglot.spec.keys import CANONICAL_KEYS, DECORATIVE_KEYS, UNIVERSAL_ALIASES
from polyglot.spec.names import normal_name

ENV_VAR = "POLYGLOT_PATH"
ENTRY_POINT_GROUP = "polyglot.langpacks"
#: The locale whose words the canonical keys are; it wins ties in `infer_locale`.
CANONICAL_LOCALE = "en"

# ---------------------------------------------------------------------------------------
# Where packs live (shared by human and code packs)
# ---------------------------------------------------------------------------------------


def builtin_langpacks_dir() -> Path:
    """The ``langpacks/`` folder that ships with polyglot."""
    return Path(polyglot.__file__).resolve().parent.parent / "langpacks"


def langpacks_dir(root: Path) -> Path:
    """A root may be a folder holding ``langpacks/`` or that folder itself."""
    return root / "langpacks" if (root / "langpacks").is_dir() else root


@functools.lru_cache(maxsize=1)
def _entry_point_dirs() -> tuple[Path, ...]:
    """``langpacks/`` folders named by installed packages, sorted by entry point name.

    An entry point may resolve to a path (str or PathLike), to a module whose folder
    holds ``langpacks/``, or to a callable returning either.
    """
    dirs = []
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"entry point {ep.name} = {ep.value}"
        try:
            target = ep.load()
            if callable(target) and not isinstance(target, ModuleType):
                target = target()
        except Exception as err:  # a broken plugin is bad input: report it, located
            raise SpecError(f"cannot load language pack entry point: {err}", file=where) from err
        if isinstance(target, ModuleType):
            root = Path(target.__file__).parent if target.__file__ else Path(list(target.__path__)[0])
        elif isinstance(target, (str, os.PathLike)):
            root = Path(target)
        else:
            raise SpecError("language pack entry point resolves to neither a folder nor a module",
                            file=where, expected="a path or a module", found=type(target).__name__)
        dirs.append(langpacks_dir(root))
    return tuple(dirs)


def pack_roots() -> tuple[Path, ...]:
    """The ``langpacks/`` folders to search, highest precedence first.

    Returns:
        `POLYGLOT_PATH` entries, then entry-point folders, then the built-in folder,
        each once.
    """
    env = os.environ.get(ENV_VAR, "")
    dirs = [langpacks_dir(Path(p).expanduser()) for p in env.split(os.pathsep) if p]
    dirs += _entry_point_dirs()
    dirs.append(builtin_langpacks_dir())
    unique: dict[Path, Path] = {}
    for d in dirs:
        unique.setdefault(d.resolve(), d)
    return tuple(unique.values())


def clear_pack_caches() -> None:
    """Forget discovered entry points and loaded packs (after editing or installing one)."""
    _entry_point_dirs.cache_clear()
    _human_pack_files.cache_clear()
    _human_pack_at.cache_clear()


# ---------------------------------------------------------------------------------------
# Locating errors in a TOML file (tomllib keeps no positions)
# ---------------------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def toml_error(err: tomllib.TOMLDecodeError, text: str, file: str | None) -> SpecError:
    """A SpecError at the line and column tomllib names in its message."""
    message = str(err)
    match = _TOML_POSITION.search(message)
    line = column = None
    if match and match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
    elif match:  # "at end of document"
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    core = message[: match.start()] if match else message
    return SpecError(f"invalid TOML: {core}", file=file, line=line, column=column)


def _format_path(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            bare = re.fullmatch(r"[A-Za-z0-9_-]+", part) is not None
            text += ("." if text else "") + (part if bare else json.dumps(part, ensure_ascii=False))
    return text


def _locate(text: str, path: Sequence[str | int], tables: frozenset[str],
            needle: str | None = None, nth: int = 0) -> tuple[int | None, int | None]:
    """Best-effort 1-based (line, column) of a key path in TOML text.

    Finds ``[table]`` headers and ``key =`` lines, then the `nth` (0-based) occurrence of
    ``needle`` (an array element) after the key; falls back to the key, then to the
    enclosing table header, or (None, None).
    """
    if not path:
        return None, None
    if path[0] in tables:
        table, key = str(path[0]), (str(path[1]) if len(path) > 1 else None)
    else:
        table, key = "", str(path[0])
    key_re = key and re.compile(
        r"^(\s*)(?:%s|\"%s\"|'%s')\s*=" % (re.escape(key), re.escape(key), re.escape(key)))
    lines = text.split("\n")
    current, fallback = "", (None, None)
    for i, line in enumerate(lines):
        header = _TABLE_HEADER.match(line)
        if header:
            current = header.group(1).strip("\"'")
            if current == table:
                fallback = (i + 1, line.index("[") + 1)
            continue
        if current != table or key_re is None:
            continue
        found = key_re.match(line)
        if not found:
            continue
        if needle is not None:
            for j in range(i, len(lines)):
                if j > i and (_TABLE_HEADER.match(lines[j]) or re.match(r"^\s*[\w\"'-]+\s*=", lines[j])):
                    break
                start = lines[j].find(needle, found.end() if j == i else 0)
                while start >= 0 and nth > 0:
                    start, nth = lines[j].find(needle, start + len(needle)), nth - 1
                if start >= 0:
                    return j + 1, start + 1
        return i + 1, len(found.group(1)) + 1
    return fallback


@dataclass(frozen=True)
class TomlSource:
    """The text a pack came from, so errors can point into it."""

    text: str
    file: str | None
    tables: frozenset[str]

    def error(self, message: str, path: Sequence[str | int] = (), needle: str | None = None,
              nth: int = 0, **extra: Any) -> SpecError:
        line, column = _locate(self.text, path, self.tables, needle, nth)
        return SpecError(message, file=self.file, line=line, column=column,
                         path=_format_path(path) or None, **extra)


def describe_toml_value(value: Any) -> str:
    """How a TOML value is named in `found` of an error."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value == []:
        return "an empty array"
    kinds = {bool: "a boolean", int: "an integer", float: "a float", dict: "a table", list: "an array"}
    return next((name for kind, name in kinds.items() if isinstance(value, kind)), "a date or time")


def _one_of(choices: Iterable[str]) -> str:
    return "one of " + ", ".join(f"`{c}`" for c in choices)


def unknown_choice(word: str, choices: Sequence[str]) -> dict[str, str | None]:
    """`expected`/`hint` for an unknown name: the close match if any, else every choice."""
    hint = did_you_mean(word, choices)
    return {"hint": hint} if hint else {"expected": _one_of(choices)}


# ---------------------------------------------------------------------------------------
# Human packs: the format
# ---------------------------------------------------------------------------------------

#: Top-level fields of a human pack, in file order; all but the last three are required.
HUMAN_PACK_FIELDS = ("code", "name", "native_name", "script", "direction", "word_separator",
                     "sacrebleu_tokenizer", "keys", "templates", "types", "transliteration", "names")
_HUMAN_STRING_FIELDS = HUMAN_PACK_FIELDS[:7]
_HUMAN_OPTIONAL = frozenset({"types", "transliteration", "names"})
#: The keys of ``[names]``: identifiers in the language's own words (all but `list_suffix` required).
HUMAN_NAMES_FIELDS = ("records", "fields", "lists", "scalars", "list_suffix")
#: ``[names.fields]``, ``[names.lists]``, ``[names.scalars]``: the types each must name, every one.
HUMAN_NAME_TYPES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "fields": ("Int", "Float", "String", "Bool"),
    "lists": ("Int", "Float", "String"),
    "scalars": ("Int", "Float", "String", "Bool"),
})
#: Appended to a record list's singular for a second name for a list of records (`товар_2`).
HUMAN_NAMES_LIST_SUFFIX = "_2"
_HUMAN_TABLES = frozenset({"keys", "types", "transliteration", "templates", "names",
                           *(f"names.{t}" for t in HUMAN_NAME_TYPES)})

#: ISO 15924 script names a pack may declare (``Japanese`` = Han + Hiragana + Katakana).
SCRIPTS = ("Arabic", "Armenian", "Bengali", "Cyrillic", "Devanagari", "Ethiopic", "Georgian",
           "Greek", "Gujarati", "Gurmukhi", "Han", "Hangul", "Hebrew", "Hiragana", "Japanese",
           "Kannada", "Katakana", "Khmer", "Lao", "Latin", "Malayalam", "Myanmar", "Oriya",
           "Sinhala", "Tamil", "Telugu", "Thaana", "Thai", "Tibetan")
DIRECTIONS = ("ltr", "rtl")
#: What sacrebleu should tokenize text in the language with (see polyglot.metrics).
SACREBLEU_TOKENIZERS = ("13a", "zh", "ja-mecab", "char")
#: Between words: a space, or nothing for scripts written without spaces (zh, ja, th).
WORD_SEPARATORS = (" ", "")
BUILTIN_TYPES = ("Int", "Float", "Bool", "String", "List", "Map", "Option")

#: Template construct -> the placeholders each of its paraphrases uses, every one of them,
#: and no others. The body each construct stands for is in docs/human-langpacks.md.
HUMAN_TEMPLATE_PLACEHOLDERS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "returns": ("expr",),
    "sum": ("expr", "item", "items"),
    "count": ("item", "items", "cond"),
    "length": ("x",),
    "max": ("x",),
    "min": ("x",),
    "filter": ("item", "items", "cond"),
    "map": ("expr", "item", "items"),
    "add": ("a", "b"),
    "subtract": ("a", "b"),
    "multiply": ("a", "b"),
    "divide": ("a", "b"),
    "greater_than": ("a", "b"),
    "less_than": ("a", "b"),
    "equals": ("a", "b"),
    "if_else": ("cond", "then", "else"),
    "upper": ("x",),
    "lower": ("x",),
    "contains": ("items", "x"),
    "field": ("x", "field"),
    "is_empty": ("x",),
    "reverse": ("x",),
    "sort": ("x",),
    "join": ("items", "sep"),
    "abs": ("x",),
    "concat": ("a", "b"),
    "at_least": ("a", "b"),
    "at_most": ("a", "b"),
    "round": ("x",),
    "round_to": ("x", "digits"),
    "split": ("x", "sep"),
    "average": ("expr", "item", "items"),
    "given_list": ("items",),
    "given_value": ("x",),
    "when_computed": ("x",),
})
#: Every construct needs this many different paraphrases, for variety in synthetic data.
MIN_PARAPHRASES = 2

_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
_ASCII_IDENT = re.compile(r"[A-Za-z0-9_]*")


def _is_word(text: str) -> bool:
    """One word or a snake_case phrase: letters, combining marks, digits, `_`; a letter first."""
    return (bool(text) and unicodedata.category(text[0]).startswith("L")
            and all(c == "_" or unicodedata.category(c)[0] in "LMN" for c in text))


def _reserved_meanings() -> dict[str, str | None]:
    """Casefolded spellings that mean one thing in every locale (None: decorative)."""
    meanings: dict[str, str | None] = {k.casefold(): None for k in DECORATIVE_KEYS}
    meanings.update({alias.casefold(): key for alias, key in UNIVERSAL_ALIASES.items()})
    meanings.update({key.casefold(): key for key in CANONICAL_KEYS})
    return meanings


@dataclass(frozen=True)
class HumanNames:
    """Identifiers in a language's own words, for synthetic specs written by its speakers.

    Args:
        records: (record type, a list of it, one of it); the last names a loop variable, so
            it differs from the type's name.
        fields: field names by field type (`HUMAN_NAME_TYPES["fields"]`).
        lists: (list, one element) parameter names by element type; the element names the
            loop variable.
        scalars: parameter names by type.
        list_suffix: makes a second name for a list of records (``товар_2``).
    """

    records: tuple[tuple[str, str, str], ...]
    fields: Mapping[str, tuple[str, ...]]
    lists: Mapping[str, tuple[tuple[str, str], ...]]
    scalars: Mapping[str, tuple[str, ...]]
    list_suffix: str = HUMAN_NAMES_LIST_SUFFIX


@dataclass(frozen=True)
class HumanPack:
    """A human language: its key aliases, type names, transliteration and templates.

    Args:
        code: BCP 47 language code, also the file's stem (``ru``).
        name: English name (``Russian``).
        native_name: the name in the language itself (``Русский``).
        script: ISO 15924 script name (``Cyrillic``).
        direction: ``ltr`` or ``rtl``.
        word_separator: ``" "``, or ``""`` for scripts written without spaces.
        sacrebleu_tokenizer: tokenizer for BLEU on text in this language.
        keys: canonical key -> its aliases, most natural first.
        templates: construct -> paraphrases with ``{placeholder}`` fields.
        types: built-in type name -> localized names.
        transliteration: character -> ASCII, applied before the generic transliteration
            (lowercase entries already extended to their uppercase forms).
        names: identifiers in the language's own words, or None (``[names]`` is optional).
        source: the file the pack was read from, if any.

    Derived: ``alias_to_key`` maps every alias (exactly as written, NFC) to its canonical
    key; ``type_alias_to_type`` does the same for type names.
    """

    code: str
    name: str
    native_name: str
    script: str
    direction: str
    word_separator: str
    sacrebleu_tokenizer: str
    keys: Mapping[str, tuple[str, ...]]
    templates: Mapping[str, tuple[str, ...]]
    types: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    transliteration: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    names: HumanNames | None = None
    source: Path | None = None
    alias_to_key: Mapping[str, str] = field(init=False, repr=False, compare=False)
    type_alias_to_type: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _folded: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        aliases = {a: key for key, names in self.keys.items() for a in names}
        type_aliases = {a: t for t, names in self.types.items() for a in names}
        object.__setattr__(self, "alias_to_key", MappingProxyType(aliases))
        object.__setattr__(self, "type_alias_to_type", MappingProxyType(type_aliases))
        object.__setattr__(self, "_folded", MappingProxyType({a.casefold(): k for a, k in aliases.items()}))

    def alias(self, key: str) -> str:
        """The most natural spelling of canonical `key` in this language."""
        return self.keys[key][0]

    def key_for(self, word: str) -> str | None:
        """The canonical key `word` stands for in this language, or None.

        Exact match first, then NFC and case-insensitive (packs are validated to be
        unambiguous under casefolding), so ``Дано`` finds ``given`` too.
        """
        exact = self.alias_to_key.get(word)
        if exact is not None:
            return exact
        return self._folded.get(unicodedata.normalize("NFC", word).casefold())

    def transliterate(self, text: str) -> str:
        """`text` as an ASCII identifier, with this pack's overrides (see `transliterate`)."""
        return _transliterate(text, self.transliteration)


# ---------------------------------------------------------------------------------------
# Human packs: reading and validation
# ---------------------------------------------------------------------------------------


class _HumanPackReader:
    """Validates one parsed pack document, raising located SpecErrors."""

    def __init__(self, src: TomlSource, expected_code: str | None) -> None:
        self.src = src
        self.expected_code = expected_code

    def read(self, data: dict[str, Any], source: Path | None) -> HumanPack:
        for name in data:
            if name not in HUMAN_PACK_FIELDS:
                raise self.src.error("unknown field", [name], **unknown_choice(name, HUMAN_PACK_FIELDS))
        for name in HUMAN_PACK_FIELDS:
            if name not in data and name not in _HUMAN_OPTIONAL:
                raise self.src.error("missing field", [name])
        text = {name: self._string(data, name) for name in _HUMAN_STRING_FIELDS}
        self._check_code(text["code"])
        self._check_choice(text, "script", SCRIPTS, "unknown script")
        self._check_choice(text, "direction", DIRECTIONS, "unknown direction")
        self._check_choice(text, "word_separator", WORD_SEPARATORS, "unknown word separator")
        self._check_choice(text, "sacrebleu_tokenizer", SACREBLEU_TOKENIZERS, "unknown sacrebleu tokenizer")
        for name in ("name", "native_name"):
            if not text[name].strip():
                raise self.src.error("must not be empty", [name])
        return HumanPack(
            **text,
            keys=self._keys(self._table(data, "keys")),
            templates=self._templates(self._table(data, "templates")),
            types=self._types(self._table(data, "types")),
            transliteration=self._transliteration(self._table(data, "transliteration")),
            names=self._names(self._table(data, "names")) if "names" in data else None,
            source=source,
        )

    # -- scalars -------------------------------------------------------------------------

    def _string(self, data: dict[str, Any], name: str) -> str:
        value = data[name]
        if not isinstance(value, str):
            raise self.src.error("wrong type", [name], expected="a string", found=describe_toml_value(value))
        return value

    def _check_code(self, code: str) -> None:
        if not _CODE.fullmatch(code):
            raise self.src.error("bad language code", ["code"],
                                 expected="a lowercase BCP 47 code such as `pt` or `pt-br`",
                                 found=describe_toml_value(code))
        if self.expected_code is not None and code != self.expected_code:
            raise self.src.error("pack code does not match its file name", ["code"],
                                 expected=describe_toml_value(self.expected_code), found=describe_toml_value(code))

    def _check_choice(self, text: dict[str, str], name: str, choices: Sequence[str], message: str) -> None:
        value = text[name]
        if value not in choices:
            hint = did_you_mean(value, choices)
            expected = None if hint else _one_of(json.dumps(c) for c in choices)
            raise self.src.error(message, [name], expected=expected, found=describe_toml_value(value), hint=hint)

    def _table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.src.error("wrong type", [name], expected="a table", found=describe_toml_value(value))
        return value

    def _strings(self, path: list[str | int], value: Any, what: str) -> list[str]:
        """A non-empty array of non-empty strings, NFC-normalized."""
        if not isinstance(value, list) or not value:
            raise self.src.error("wrong type", path, expected=f"a non-empty array of {what}",
                                 found=describe_toml_value(value))
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.src.error("wrong type", [*path, i], expected="a string", found=describe_toml_value(item))
        return [unicodedata.normalize("NFC", item) for item in value]

    # -- tables --------------------------------------------------------------------------

    def _keys(self, table: dict[str, Any]) -> Mapping[str, tuple[str, ...]]:
        for key in table:
            if key not in CANONICAL_KEYS:
                raise self.src.error("unknown canonical key", ["keys", key], **unknown_choice(key, CANONICAL_KEYS))
        for key in CANONICAL_KEYS:
            if key not in table:
                raise self.src.error("missing canonical key", ["keys", key])
        reserved = _reserved_meanings()
        seen: dict[str, str] = {}  # casefolded alias -> its key
        keys: dict[str, tuple[str, ...]] = {}
        for key in CANONICAL_KEYS:
            aliases = self._strings(["keys", key], table[key], "aliases")
            for i, alias in enumerate(aliases):
                path, folded = ["keys", key, i], alias.casefold()
                if not _is_word(alias):
                    raise self.src.error("alias must be one word or a snake_case phrase", path, needle=alias,
                                         expected="letters, digits and `_`, a letter first",
                                         found=describe_toml_value(alias))
                if folded in seen:
                    message = (f"duplicate alias `{alias}`" if seen[folded] == key
                               else f"alias `{alias}` is already used for `{seen[folded]}`")
                    raise self.src.error(message, path, needle=alias, nth=aliases[:i].count(alias))
                if folded in reserved and reserved[folded] != key:
                    meaning = reserved[folded]
                    message = (f"alias `{alias}` is a decorative key in every locale" if meaning is None
                               else f"alias `{alias}` already means `{meaning}` in every locale")
                    raise self.src.error(message, path, needle=alias)
                seen[folded] = key
            keys[key] = tuple(aliases)
        return MappingProxyType(keys)

    def _types(self, table: dict[str, Any]) -> Mapping[str, tuple[str, ...]]:
        builtin = {t.casefold(): t for t in BUILTIN_TYPES}
        seen: dict[str, str] = {}  # casefolded name -> its type
        types: dict[str, tuple[str, ...]] = {}
        for name, value in table.items():
            if name not in BUILTIN_TYPES:
                raise self.src.error("unknown built-in type", ["types", name], **unknown_choice(name, BUILTIN_TYPES))
            names = self._strings(["types", name], value, "type names")
            for i, alias in enumerate(names):
                path, folded = ["types", name, i], alias.casefold()
                if not _is_word(alias):
                    raise self.src.error("type name must be one word", path, needle=alias,
                                         expected="letters, digits and `_`, a letter first",
                                         found=describe_toml_value(alias))
                if folded in seen:
                    message = (f"duplicate type name `{alias}`" if seen[folded] == name
                               else f"type name `{alias}` is already used for `{seen[folded]}`")
                    raise self.src.error(message, path, needle=alias, nth=names[:i].count(alias))
                if builtin.get(folded, name) != name:
                    raise self.src.error(f"type name `{alias}` is the built-in type `{builtin[folded]}`",
                                         path, needle=alias)
                seen[folded] = name
            types[name] = tuple(names)
        return MappingProxyType({t: types[t] for t in BUILTIN_TYPES if t in types})

    def _transliteration(self, table: dict[str, Any]) -> Mapping[str, str]:
        given: dict[str, str] = {}
        for char, value in table.items():
            path = ["transliteration", char]
            char = unicodedata.normalize("NFC", char)
            if len(char) != 1:
                raise self.src.error("override key must be one character", path, found=describe_toml_value(char))
            if not isinstance(value, str):
                raise self.src.error("wrong type", path, expected="a string", found=describe_toml_value(value))
            if not _ASCII_IDENT.fullmatch(value):
                raise self.src.error("override must be ASCII", path, expected="letters, digits and `_` only",
                                     found=describe_toml_value(value))
            given[char] = value
        overrides = dict(given)
        for char, value in given.items():  # `ж = zh` also gives `Ж = Zh`
            upper = char.upper()
            if upper != char and len(upper) == 1 and upper not in given:
                overrides[upper] = value[:1].upper() + value[1:]
        return MappingProxyType(dict(sorted(overrides.items())))

    def _names(self, table: dict[str, Any]) -> HumanNames:
        for key in table:
            if key not in HUMAN_NAMES_FIELDS:
                raise self._names_error("unknown field", [key], **unknown_choice(key, HUMAN_NAMES_FIELDS))
        for key in HUMAN_NAMES_FIELDS[:-1]:
            if key not in table:
                raise self.src.error("missing field", ["names", key])
        suffix = table.get("list_suffix", HUMAN_NAMES_LIST_SUFFIX)
        if not isinstance(suffix, str):
            raise self.src.error("wrong type", ["names", "list_suffix"], expected="a string",
                                 found=describe_toml_value(suffix))
        if not ("x" + suffix).isidentifier() or "x" + suffix != normal_name("x" + suffix):
            raise self.src.error("list suffix must continue an identifier", ["names", "list_suffix"],
                                 expected="letters, digits and `_`", found=describe_toml_value(suffix))
        records = self._tuples(["names", "records"], table["records"], 3, "[type, list of it, one of it]")
        for i, (record, _, singular) in enumerate(records):
            if singular == record:
                raise self.src.error(f"`{record}` names both the record and one of it", ["names", "records", i, 2],
                                     needle=singular, nth=1, hint="the last word names a loop variable "
                                     "over a list of records, so it must differ from the type's name")
        by_type: dict[str, Any] = {}
        for kind, types in HUMAN_NAME_TYPES.items():
            sub = table[kind]
            if not isinstance(sub, dict):
                raise self.src.error("wrong type", ["names", kind], expected="a table of names by type",
                                     found=describe_toml_value(sub))
            for t in sub:
                if t not in types:
                    raise self._names_error("unknown type", [kind, t], **unknown_choice(t, types))
            found: dict[str, Any] = {}
            for t in types:
                if t not in sub:
                    raise self._names_error("missing type", [kind, t])
                if kind == "lists":
                    found[t] = self._tuples(["names", kind, t], sub[t], 2, "[list, one element]")
                else:
                    found[t] = tuple(self._identifiers(["names", kind, t], sub[t]))
            by_type[kind] = MappingProxyType(found)
        return HumanNames(records, by_type["fields"], by_type["lists"], by_type["scalars"], suffix)

    def _names_error(self, message: str, path: list[str | int], needle: str | None = None, nth: int = 0,
                     **extra: Any) -> SpecError:
        """An error inside ``[names.<kind>]``: found under that header, else at ``kind =`` in ``[names]``."""
        header = f"names.{path[0]}"
        line, column = _locate(self.src.text, [header, *path[1:]], self.src.tables | {header}, needle, nth)
        if line is None:
            line, column = _locate(self.src.text, ["names", path[0]], self.src.tables, needle, nth)
        return SpecError(message, file=self.src.file, line=line, column=column,
                         path=_format_path(["names", *path]), **extra)

    def _error_at(self, path: list[str | int], message: str, needle: str | None = None, nth: int = 0,
                  **extra: Any) -> SpecError:
        if len(path) > 2 and path[1] in HUMAN_NAME_TYPES:
            return self._names_error(message, path[1:], needle, nth, **extra)
        return self.src.error(message, path, needle, nth, **extra)

    def _identifiers(self, path: list[str | int], value: Any, distinct: bool = True) -> list[str]:
        """A non-empty array of identifiers of the body language, as Python reads them."""
        if not isinstance(value, list) or not value:
            raise self._error_at(path, "wrong type", expected="a non-empty array of identifiers",
                                 found=describe_toml_value(value))
        names: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self._error_at([*path, i], "wrong type", expected="an identifier",
                                     found=describe_toml_value(item))
            name = unicodedata.normalize("NFC", item)
            if not name.isidentifier() or keyword.iskeyword(name) or normal_name(name) != name:
                raise self._error_at([*path, i], f"`{item}` is not a valid identifier", needle=item,
                                     expected="letters, digits and `_`, not starting with a digit, "
                                     "not a keyword, in NFKC form")
            if distinct and name in names:
                raise self._error_at([*path, i], f"duplicate name `{name}`", needle=item, nth=names.count(name))
            names.append(name)
        return names

    def _tuples(self, path: list[str | int], value: Any, size: int, shape: str) -> tuple[tuple[str, ...], ...]:
        """A non-empty array of arrays of `size` identifiers each (a record's words, a list's)."""
        if not isinstance(value, list) or not value:
            raise self._error_at(path, "wrong type", expected=f"a non-empty array of {shape}",
                                 found=describe_toml_value(value))
        found: list[tuple[str, ...]] = []
        for i, group in enumerate(value):
            if not isinstance(group, list) or len(group) != size:
                raise self._error_at([*path, i], "wrong shape", expected=shape,
                                     found=describe_toml_value(group) if not isinstance(group, list)
                                     else f"{len(group)} names")
            words = tuple(self._identifiers([*path, i], group, distinct=False))
            if words[0] in (w[0] for w in found):
                raise self._error_at([*path, i, 0], f"duplicate name `{words[0]}`", needle=words[0], nth=1)
            found.append(words)
        return tuple(found)

    def _templates(self, table: dict[str, Any]) -> Mapping[str, tuple[str, ...]]:
        constructs = tuple(HUMAN_TEMPLATE_PLACEHOLDERS)
        for construct in table:
            if construct not in HUMAN_TEMPLATE_PLACEHOLDERS:
                raise self.src.error("unknown template construct", ["templates", construct],
                                     **unknown_choice(construct, constructs))
        for construct in constructs:
            if construct not in table:
                raise self.src.error("missing template", ["templates", construct])
        templates: dict[str, tuple[str, ...]] = {}
        for construct, wanted in HUMAN_TEMPLATE_PLACEHOLDERS.items():
            path = ["templates", construct]
            texts = self._strings(path, table[construct], "paraphrases")
            if len(texts) < MIN_PARAPHRASES:
                raise self.src.error("too few paraphrases", path, expected=f"at least {MIN_PARAPHRASES}",
                                     found=str(len(texts)))
            for i, template in enumerate(texts):
                if template in texts[:i]:
                    raise self.src.error("duplicate paraphrase", [*path, i], needle=template,
                                         nth=texts[:i].count(template))
                self._check_placeholders(template, construct, wanted, [*path, i])
            templates[construct] = tuple(texts)
        return MappingProxyType(templates)

    def _check_placeholders(self, template: str, construct: str, wanted: tuple[str, ...],
                            path: list[str | int]) -> None:
        allowed = ", ".join("{%s}" % w for w in wanted)
        try:
            parts = list(Formatter().parse(template))
        except ValueError as err:
            raise self.src.error(f"bad braces: {err}", path, needle=template,
                                 hint="write a literal brace as `{{` or `}}`") from None
        used = []
        for _, name, spec, conversion in parts:
            if name is None:
                continue
            if spec or conversion:
                raise self.src.error(f"placeholder `{{{name}}}` has a format spec or conversion", path,
                                     needle=template, expected=f"only {allowed}")
            if name not in wanted:
                raise self.src.error(f"unknown placeholder `{{{name}}}` in `{construct}`", path, needle=template,
                                     expected=f"only {allowed}")
            used.append(name)
        for name in wanted:
            if name not in used:
                raise self.src.error(f"missing placeholder `{{{name}}}` in `{construct}`", path,
                                     needle=template, expected=f"all of {allowed}")


def parse_human_pack(text: str, file: str | os.PathLike[str] | None = None) -> HumanPack:
    """Parse and validate a human pack from TOML text.

    Args:
        text: the TOML document.
        file: where it came from; named in errors, and its stem must equal ``code``.

    Returns:
        The validated `HumanPack`.

    Raises:
        SpecError: on bad TOML or any defect in the pack, located in `file`.
    """
    name = os.fspath(file) if file is not None else None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise toml_error(err, text, name) from None
    src = TomlSource(text, name, _HUMAN_TABLES)
    expected_code = Path(name).stem if name is not None else None
    return _HumanPackReader(src, expected_code).read(data, Path(name) if name is not None else None)


def human_pack_from_file(path: str | os.PathLike[str]) -> HumanPack:
    """Read and validate the human pack in `path` (``langpacks/human/<code>.toml``).

    Args:
        path: a UTF-8 TOML file whose stem is the pack's code.

    Returns:
        The validated `HumanPack`.

    Raises:
        SpecError: when the file cannot be read or the pack is malformed.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise SpecError("pack file is not UTF-8 text", file=os.fspath(path), found=str(err)) from None
    except OSError as err:
        raise SpecError(f"cannot read pack file: {err.strerror}", file=os.fspath(path)) from None
    return parse_human_pack(text, path)


def human_pack_files(roots: Sequence[str | os.PathLike[str]] | None = None) -> dict[str, Path]:
    """The file that defines each human language, first root wins.

    Args:
        roots: folders to search (each holding ``langpacks/`` or being it);
            default `pack_roots()`.

    Returns:
        code -> path, sorted by code.
    """
    return dict(_human_pack_files(_roots(roots)))


def _roots(roots: Sequence[str | os.PathLike[str]] | None) -> tuple[Path, ...]:
    return pack_roots() if roots is None else tuple(langpacks_dir(Path(r)) for r in roots)


@functools.lru_cache(maxsize=16)
def _human_pack_files(roots: tuple[Path, ...]) -> tuple[tuple[str, Path], ...]:
    found: dict[str, Path] = {}
    for root in roots:
        for path in sorted((root / "human").glob("*.toml")):
            found.setdefault(path.stem, path)
    return tuple(sorted(found.items()))


@functools.lru_cache(maxsize=256)
def _human_pack_at(path: Path) -> HumanPack:
    return human_pack_from_file(path)


def human_packs(roots: Sequence[str | os.PathLike[str]] | None = None) -> dict[str, HumanPack]:
    """Every human pack that can be found, by code.

    Folder listings and packs are cached: `clear_pack_caches()` after editing a pack in
    place or installing one.

    Args:
        roots: folders to search; default `pack_roots()` (POLYGLOT_PATH, entry points,
            built-in), read anew on each call.

    Returns:
        A new dict, code -> `HumanPack`, sorted by code.

    Raises:
        SpecError: when any pack found is malformed.

    Example:
        >>> human_packs()["ru"].alias_to_key["дано"]
        'given'
    """
    return {code: _human_pack_at(path) for code, path in _human_pack_files(_roots(roots))}


def load_human_pack(code: str, roots: Sequence[str | os.PathLike[str]] | None = None) -> HumanPack:
    """The human pack for `code`, reading only its own file.

    Args:
        code: a language code such as ``ru``.
        roots: as for `human_packs`.

    Returns:
        The `HumanPack`.

    Raises:
        SpecError: when no pack has that code, or its file is malformed.
    """
    files = dict(_human_pack_files(_roots(roots)))
    if code not in files:
        raise SpecError(f"unknown human language `{code}`", **unknown_choice(code, list(files)))
    return _human_pack_at(files[code])


def infer_locale(keys: Iterable[Any], packs: Mapping[str, HumanPack] | None = None) -> str | None:
    """The human language a spec is written in, guessed from its mapping keys.

    The pack that recognises the most distinct keys wins (canonical English keys count
    for ``en``, whose pack lists them); ties go to ``en``, then to the first code in
    alphabetical order. Non-string keys are ignored.

    Args:
        keys: the mapping keys of a spec (all levels give the best guess).
        packs: candidate packs; default `human_packs()`.

    Returns:
        A language code, or None when no pack knows any of the keys.

    Example:
        >>> infer_locale(["имя", "поведения", "дано"])
        'ru'
    """
    words = {k for k in keys if isinstance(k, str)}
    packs = human_packs() if packs is None else packs
    scores = {code: sum(pack.key_for(w) is not None for w in words) for code, pack in packs.items()}
    best = max(scores.values(), default=0)
    if best == 0:
        return None
    return min((code for code, score in scores.items() if score == best),
               key=lambda code: (code != CANONICAL_LOCALE, code))


# ---------------------------------------------------------------------------------------
# Transliteration
# ---------------------------------------------------------------------------------------

#: Characters that each stand for a whole syllable: CJK ideographs (with extensions and
#: compatibility forms) and Hangul syllables. Each is romanized as its own `_`-separated
#: lowercase chunk, so 西安 (xi_an) and 先 (xian) stay apart.
SYLLABIC_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
                   (0x20000, 0x3134F))
_IDENT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_SEP = "\0"  # a soft separator: becomes `_` unless next to one already, or at an end
_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]+")


def _is_syllabic(char: str) -> bool:
    point = ord(char)
    return any(lo <= point <= hi for lo, hi in SYLLABIC_RANGES)


def _transliterate(text: str, overrides: Mapping[str, str]) -> str:
    pieces = []
    for char in unicodedata.normalize("NFC", text):
        if char in _IDENT_CHARS:
            pieces.append(char)
            continue
        ascii_ = overrides.get(char)
        if ascii_ is None:
            ascii_ = anyascii(char)
            if _is_syllabic(char):
                ascii_ = ascii_.lower()
        ascii_ = _NOT_IDENT.sub(_SEP, ascii_)
        pieces.append(_SEP + ascii_ + _SEP if _is_syllabic(char) else ascii_)
    joined = re.sub(_SEP + "+", _SEP, "".join(pieces)).strip(_SEP)
    return re.sub(f"{_SEP}*_{_SEP}*", "_", joined).replace(_SEP, "_")


def transliterate(text: str, locale: str | None = None) -> str:
    """`text` as ASCII for an identifier, the same way every time.

    Rules, in order: NFC-normalize; keep ``[A-Za-z0-9_]`` as is (an ASCII identifier
    comes back unchanged); replace other characters by the pack's override for
    `locale`, else by ``anyascii``; romanize each syllabic character (CJK ideograph,
    Hangul syllable) in lowercase and set it off with ``_``; turn whatever is still not
    ``[A-Za-z0-9_]`` into ``_``. Separators introduced this way never double an
    underscore already there and are dropped at both ends. A leading digit or an empty
    result is left for the code packs to handle.

    Args:
        text: an identifier in any script.
        locale: a human pack code whose ``[transliteration]`` overrides apply; None for
            the generic rules only.

    Returns:
        A string of ``[A-Za-z0-9_]``, possibly empty.

    Example:
        >>> transliterate("итоговая_цена", "ru"), transliterate("总价")
        ('itogovaya_tsena', 'zong_jia')
    """
    overrides = load_human_pack(locale).transliteration if locale is not None else {}
    return _transliterate(text, overrides)
