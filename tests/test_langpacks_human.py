"""Human language packs: the 20 shipped packs, validation errors, discovery, transliteration."""
from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

import pytest

from polyglot import langpacks
from polyglot.errors import SpecError
from polyglot.langpacks import (
    HUMAN_TEMPLATE_PLACEHOLDERS, builtin_langpacks_dir, clear_pack_caches, human_pack_from_file,
    human_packs, infer_locale, load_human_pack, parse_human_pack, transliterate,
)
from polyglot.spec.keys import CANONICAL_KEYS
from polyglot.spec.types import FLOAT, list_of

FLOAT_LIST = list_of(FLOAT)

CODES = ("en ru zh es ar hi ja ko de fr pt it nl pl tr vi th he el sw").split()


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch):
    """Each test sees only the built-in packs unless it sets POLYGLOT_PATH itself."""
    monkeypatch.delenv("POLYGLOT_PATH", raising=False)
    clear_pack_caches()
    yield
    clear_pack_caches()


@pytest.fixture(scope="module")
def packs():
    return human_packs([builtin_langpacks_dir()])


# -- the shipped packs ---------------------------------------------------------------------


def test_exactly_the_twenty_languages_ship(packs):
    assert sorted(packs) == sorted(CODES)
    assert all(pack.source.name == f"{code}.toml" for code, pack in packs.items())


@pytest.mark.parametrize("code", CODES)
def test_pack_is_complete_and_unambiguous(packs, code):
    pack = packs[code]
    assert tuple(pack.keys) == CANONICAL_KEYS
    aliases = [a for names in pack.keys.values() for a in names]
    assert len({a.casefold() for a in aliases}) == len(aliases)
    assert len(pack.alias_to_key) == len(aliases)
    assert all(pack.alias_to_key[pack.alias(k)] == k for k in CANONICAL_KEYS)
    assert tuple(pack.templates) == tuple(HUMAN_TEMPLATE_PLACEHOLDERS)
    for construct, texts in pack.templates.items():
        fill = {p: f"<{p}>" for p in HUMAN_TEMPLATE_PLACEHOLDERS[construct]}
        rendered = [t.format(**fill) for t in texts]
        assert len(set(rendered)) == len(texts) >= 2
        assert all(all(v in r for v in fill.values()) for r in rendered)


def test_direction_script_and_tokenizer(packs):
    assert sorted(c for c, p in packs.items() if p.direction == "rtl") == ["ar", "he"]
    assert sorted(c for c, p in packs.items() if p.word_separator == "") == ["ja", "th", "zh"]
    assert {c: p.sacrebleu_tokenizer for c, p in packs.items() if p.sacrebleu_tokenizer != "13a"} == {
        "zh": "zh", "ja": "ja-mecab", "th": "char"}
    assert {c: p.script for c, p in packs.items() if p.script != "Latin"} == {
        "ru": "Cyrillic", "zh": "Han", "ar": "Arabic", "hi": "Devanagari", "ja": "Japanese",
        "ko": "Hangul", "th": "Thai", "he": "Hebrew", "el": "Greek"}


def test_alias_to_key_has_canonical_keys_for_english_only(packs):
    assert all(packs["en"].alias_to_key[k] == k for k in CANONICAL_KEYS)
    for code in CODES[1:]:
        assert not set(CANONICAL_KEYS) <= set(packs[code].alias_to_key), code


def test_known_aliases(packs):
    assert packs["ru"].alias_to_key["дано"] == "given"
    assert packs["zh"].alias_to_key["参数"] == "params"
    assert packs["zh"].alias_to_key["测试用例"] == "test_cases"
    assert packs["ja"].alias_to_key["戻り値"] == "returns"
    assert packs["ar"].alias_to_key["المعاملات"] == "params"
    assert packs["hi"].alias_to_key["पैरामीटर"] == "params"
    assert packs["sw"].alias_to_key["vigezo"] == "params"
    assert packs["ru"].type_alias_to_type["Список"] == "List"
    assert packs["ru"].key_for("Дано") == "given"  # case-insensitive fallback
    assert packs["ru"].key_for("given") is None


@pytest.mark.parametrize("code", CODES)
def test_infer_locale_finds_each_pack_from_its_own_keys(packs, code):
    pack = packs[code]
    assert infer_locale(pack.alias_to_key, packs) == code
    assert infer_locale([pack.alias(k) for k in CANONICAL_KEYS], packs) == code


def test_infer_locale_ties_and_misses(packs):
    assert infer_locale(["version", "module"], packs) == "en"  # en, de, fr, nl tie: en wins
    assert infer_locale(["nome"], packs) == "it"  # it and pt tie: alphabetical
    assert infer_locale(["имя", "поведения", "дано", "name"], packs) == "ru"
    assert infer_locale(["xyz", 3, None], packs) is None
    assert infer_locale([], packs) is None


# -- transliteration -----------------------------------------------------------------------


@pytest.mark.parametrize("locale, text, expected", [
    ("ru", "итоговая_цена", "itogovaya_tsena"),
    ("ru", "Объём", "Obyom"),
    ("zh", "总价", "zong_jia"),
    ("zh", "计算总价", "ji_suan_zong_jia"),
    ("zh", "总价_usd", "zong_jia_usd"),
    ("ar", "السعر", "alsar"),
    ("ar", "عدد_العناصر", "add_alanasr"),
    ("el", "τιμή", "timi"),
    ("el", "Ψυχή", "Psychi"),
    ("de", "Größe", "Groesse"),
    ("de", "Übergröße", "Uebergroesse"),
    ("ja", "なまえ", "namae"),
    ("ja", "名前", "ming_qian"),
    ("ko", "가격", "ga_gyeog"),
    ("ko", "총_가격", "chong_ga_gyeog"),
    ("hi", "कुल_योग", "kul_yog"),
    ("th", "ราคา", "rakha"),
    ("he", "מחיר", "mchyr"),
    ("he", "שלום", "shlvm"),
])
def test_transliterate_pinned(locale, text, expected):
    assert transliterate(text, locale) == expected


@pytest.mark.parametrize("text, expected", [
    ("Größe", "Grosse"),          # no overrides: anyascii only
    ("西安", "xi_an"),             # two syllables ...
    ("先", "xian"),                # ... are not one
    ("a总b", "a_zong_b"),
    ("__init__", "__init__"),      # ASCII identifiers come back unchanged
    ("a__b", "a__b"),
    ("_总_", "_zong_"),
    ("总__价", "zong__jia"),
    ("😀x", "grinning_x"),
    ("x-y z", "x_y_z"),
    ("e\u0301t\u00e9", "ete"),    # NFC first: decomposed and composed agree
    ("", ""),
])
def test_transliterate_generic(text, expected):
    assert transliterate(text) == expected


def test_transliterate_unknown_locale():
    with pytest.raises(SpecError) as err:
        transliterate("x", "rux")
    assert str(err.value) == "<input>: error: unknown human language `rux` (did you mean `ru`?)"


# -- validation errors ---------------------------------------------------------------------

HEADER = """code = "xx"
name = "Test"
native_name = "Test"
script = "Latin"
direction = "ltr"
word_separator = " "
sacrebleu_tokenizer = "13a"
"""


def pack_text() -> str:
    """A valid pack whose every line is predictable."""
    keys = "\n".join(f'{k} = ["{k}_x", "{k}_y"]' for k in CANONICAL_KEYS)
    templates = "\n".join(
        f"{c} = " + json.dumps([" ".join("{%s}" % p for p in ph) + end for end in (" one", " two")])
        for c, ph in HUMAN_TEMPLATE_PLACEHOLDERS.items())
    return (f'{HEADER}\n[keys]\n{keys}\n\n[types]\nList = ["Liste"]\n\n'
            f'[transliteration]\n"ä" = "ae"\n\n[templates]\n{templates}\n')


def at(text: str, snippet: str) -> str:
    """`line:column` of the first `snippet` in `text`."""
    before = text[: text.index(snippet)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def error_for(text: str) -> str:
    with pytest.raises(SpecError) as err:
        parse_human_pack(text, "xx.toml")
    return str(err.value)


def test_the_test_pack_is_valid():
    pack = parse_human_pack(pack_text(), "xx.toml")
    assert pack.alias_to_key["given_y"] == "given"
    assert pack.transliteration == {"ä": "ae", "Ä": "Ae"}
    assert pack.transliterate("Bär") == "Baer"


@pytest.mark.parametrize("old, new, expected", [
    ('direction = "ltr"', 'direction = "ltr', "xx.toml:5:17: error: invalid TOML: Illegal character '\\n'"),
    ('script = "Latin"', 'scirpt = "Latin"', "xx.toml:4:1: error: scirpt: unknown field (did you mean `script`?)"),
    ('direction = "ltr"\n', "", "xx.toml: error: direction: missing field"),
    ('direction = "ltr"', 'direction = "up"',
     'xx.toml:5:1: error: direction: unknown direction; expected one of `"ltr"`, `"rtl"`, found "up"'),
    ('script = "Latin"', 'script = "Latn"',
     'xx.toml:4:1: error: script: unknown script, found "Latn" (did you mean `Latin`?)'),
    ('sacrebleu_tokenizer = "13a"', 'sacrebleu_tokenizer = "intl"',
     'xx.toml:7:1: error: sacrebleu_tokenizer: unknown sacrebleu tokenizer; '
     'expected one of `"13a"`, `"zh"`, `"ja-mecab"`, `"char"`, found "intl"'),
    ('word_separator = " "', "word_separator = 1",
     "xx.toml:6:1: error: word_separator: wrong type; expected a string, found an integer"),
    ('code = "xx"', 'code = "yy"',
     'xx.toml:1:1: error: code: pack code does not match its file name; expected "xx", found "yy"'),
])
def test_header_errors(old, new, expected):
    text = pack_text()
    assert old in text
    assert error_for(text.replace(old, new, 1)) == expected


def test_missing_canonical_key():
    text = pack_text().replace('given = ["given_x", "given_y"]\n', "")
    assert error_for(text) == f"xx.toml:{at(text, '[keys]')}: error: keys.given: missing canonical key"


def test_unknown_canonical_key():
    text = pack_text().replace('given = ["given_x"', 'gvien = ["given_x"')
    assert error_for(text) == f"xx.toml:{at(text, 'gvien')}: error: keys.gvien: unknown canonical key " \
                              "(did you mean `given`?)"


def test_alias_collisions():
    text = pack_text().replace('when = ["when_x"', 'when = ["Given_X"')
    assert error_for(text) == f"xx.toml:{at(text, 'Given_X')}: error: keys.when[0]: " \
                              "alias `Given_X` is already used for `given`"
    text = pack_text().replace('when = ["when_x", "when_y"]', 'when = ["when_x", "when_x"]')
    second = 'when_x"]'
    assert error_for(text) == f"xx.toml:{at(text, second)}: error: keys.when[1]: duplicate alias `when_x`"
    text = pack_text().replace('fields = ["fields_x"', 'fields = ["tests"')
    assert error_for(text) == f"xx.toml:{at(text, 'tests')}: error: keys.fields[0]: " \
                              "alias `tests` already means `test_cases` in every locale"
    text = pack_text().replace('fields = ["fields_x"', 'fields = ["metadata"')
    assert error_for(text) == f"xx.toml:{at(text, 'metadata')}: error: keys.fields[0]: " \
                              "alias `metadata` is a decorative key in every locale"


def test_alias_must_be_a_word():
    text = pack_text().replace('"given_y"', '"given y"')
    assert error_for(text) == f"xx.toml:{at(text, 'given y')}: error: keys.given[1]: alias must be one word " \
                              'or a snake_case phrase; expected letters, digits and `_`, a letter first, found "given y"'
    text = pack_text().replace('given = ["given_x", "given_y"]', "given = []")
    assert error_for(text) == f"xx.toml:{at(text, 'given = []')}: error: keys.given: wrong type; " \
                              "expected a non-empty array of aliases, found an empty array"


def test_type_and_transliteration_errors():
    cases = [
        ('List = ["Liste"]', 'Lst = ["Liste"]', "Lst",
         "types.Lst: unknown built-in type (did you mean `List`?)"),
        ('List = ["Liste"]', 'List = ["Liste", "Map"]', "Map",
         "types.List[1]: type name `Map` is the built-in type `Map`"),
        ('"ä" = "ae"', '"äu" = "oi"', '"äu"',
         'transliteration."äu": override key must be one character, found "äu"'),
        ('"ä" = "ae"', '"ä" = "a-e"', '"ä" = "a-e"',
         'transliteration."ä": override must be ASCII; expected letters, digits and `_` only, found "a-e"'),
    ]
    for old, new, snippet, expected in cases:
        text = pack_text().replace(old, new)
        assert error_for(text) == f"xx.toml:{at(text, snippet)}: error: {expected}"


@pytest.mark.parametrize("old, new, snippet, expected", [
    ('"{expr} one"', '"{result} one"', "{result}",
     "templates.returns[0]: unknown placeholder `{result}` in `returns`; expected only {expr}"),
    ('"{a} {b} one"', '"{a} one"', "{a} one",
     "templates.add[0]: missing placeholder `{b}` in `add`; expected all of {a}, {b}"),
    ('"{a} {b} one"', '"{a:>3} {b} one"', "{a:>3}",
     "templates.add[0]: placeholder `{a}` has a format spec or conversion; expected only {a}, {b}"),
    ('"{a} {b} one"', '"{a} {b one"', "{a} {b one",
     "templates.add[0]: bad braces: expected '}' before end of string (write a literal brace as `{{` or `}}`)"),
    ('"{x} one", "{x} two"]\nmin', '"{x} one"]\nmin', "max =",
     "templates.max: too few paraphrases; expected at least 2, found 1"),
    ('"{x} one", "{x} two"]\nmin', '"{x} one", "{x} one"]\nmin', '{x} one"]\nmin',
     "templates.max[1]: duplicate paraphrase"),
    ('\nmax = ', '\nmaxi = ', "maxi",
     "templates.maxi: unknown template construct (did you mean `max`?)"),
])
def test_template_errors(old, new, snippet, expected):
    text = pack_text()
    assert old in text
    text = text.replace(old, new, 1)
    assert error_for(text) == f"xx.toml:{at(text, snippet)}: error: {expected}"


def test_missing_template():
    text = pack_text()
    text = text.replace(next(line for line in text.splitlines() if line.startswith("sort =")) + "\n", "")
    assert error_for(text) == f"xx.toml:{at(text, '[templates]')}: error: templates.sort: missing template"


def test_unreadable_file_and_unknown_code(tmp_path):
    with pytest.raises(SpecError) as err:
        human_pack_from_file(tmp_path / "zz.toml")
    assert str(err.value) == f"{tmp_path / 'zz.toml'}: error: cannot read pack file: No such file or directory"
    with pytest.raises(SpecError) as err:
        load_human_pack("klingon")
    assert str(err.value).startswith("<input>: error: unknown human language `klingon`; expected one of `ar`, `de`")


# -- discovery -----------------------------------------------------------------------------


def write_pack(folder: Path, code: str, text: str) -> Path:
    path = folder / "langpacks" / "human" / f"{code}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_polyglot_path_shadows_and_extends(tmp_path, monkeypatch):
    builtin_ru = (builtin_langpacks_dir() / "human" / "ru.toml").read_text(encoding="utf-8")
    user_ru = write_pack(tmp_path / "user", "ru", builtin_ru.replace('given = ["дано"]', 'given = ["дано", "пусть"]'))
    write_pack(tmp_path / "user", "xx", pack_text())
    monkeypatch.setenv("POLYGLOT_PATH", f"{tmp_path / 'nowhere'}:{tmp_path / 'user'}")
    packs = human_packs()
    assert sorted(packs) == sorted([*CODES, "xx"])
    assert packs["ru"].source == user_ru
    assert packs["ru"].alias_to_key["пусть"] == "given"
    assert packs["de"].source == builtin_langpacks_dir() / "human" / "de.toml"
    assert infer_locale(["given_x", "when_y"]) == "xx"
    monkeypatch.delenv("POLYGLOT_PATH")
    assert "пусть" not in load_human_pack("ru").alias_to_key  # the cache is keyed by roots


def test_broken_user_pack_is_reported(tmp_path, monkeypatch):
    path = write_pack(tmp_path, "ru", "code = \n")
    monkeypatch.setenv("POLYGLOT_PATH", str(tmp_path))
    assert load_human_pack("en").code == "en"  # only the pack asked for is read
    with pytest.raises(SpecError) as err:
        human_packs()
    assert str(err.value) == f"{path}:1:8: error: invalid TOML: Invalid value"


def test_entry_point_module_and_path(tmp_path, monkeypatch):
    module_dir = tmp_path / "site" / "extra_packs"
    module_dir.mkdir(parents=True)
    (module_dir / "__init__.py").write_text("")
    write_pack(module_dir, "xx", pack_text())
    write_pack(tmp_path / "plain", "yy", pack_text().replace('code = "xx"', 'code = "yy"'))
    (tmp_path / "site" / "plain_path.py").write_text(f"WHERE = {str(tmp_path / 'plain')!r}\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    eps = [metadata.EntryPoint("b", "plain_path:WHERE", langpacks.ENTRY_POINT_GROUP),
           metadata.EntryPoint("a", "extra_packs", langpacks.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(metadata, "entry_points", lambda group: eps if group == langpacks.ENTRY_POINT_GROUP else [])
    clear_pack_caches()
    roots = langpacks.pack_roots()
    assert roots == (module_dir / "langpacks", tmp_path / "plain" / "langpacks", builtin_langpacks_dir())
    assert {"xx", "yy"} <= set(human_packs())


def test_bad_entry_point(monkeypatch):
    eps = [metadata.EntryPoint("bad", "no_such_module_xyz", langpacks.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(metadata, "entry_points", lambda group: eps)
    clear_pack_caches()
    with pytest.raises(SpecError) as err:
        human_packs()
    assert str(err.value) == ("entry point bad = no_such_module_xyz: error: cannot load language pack "
                              "entry point: No module named 'no_such_module_xyz'")



# -- [names]: identifiers in the language's own words --------------------------------------

NAMES = """
[names]
records = [["Ding", "dinge", "ding"], ["Kiste", "kisten", "kiste"]]
list_suffix = "_b"

[names.fields]
Int = ["anzahl", "jahr"]
Float = ["preis"]
String = ["titel"]
Bool = ["aktiv"]

[names.lists]
Int = [["zahlen", "zahl"]]
Float = [["preise", "preis"]]
String = [["wörter", "wort"]]

[names.scalars]
Int = ["grenze"]
Float = ["faktor"]
String = ["trenner"]
Bool = ["streng"]
"""


def names_error(old: str, new: str) -> tuple[str, str]:
    """The error for the test pack with `NAMES` edited, and the edited text."""
    text = pack_text() + NAMES
    assert old in text
    text = text.replace(old, new, 1)
    return error_for(text), text


def test_shipped_names(packs):
    assert sorted(c for c, p in packs.items() if p.names) == ["ar", "el", "he", "hi", "ja", "ko", "ru", "zh"]
    ru = packs["ru"].names
    assert ru.records[0] == ("Товар", "товары", "товар")
    assert ru.fields["Int"] == ("количество", "возраст", "год", "остаток")
    assert ru.lists["String"][2] == ("строки", "строка")
    assert ru.scalars["Bool"] == ("флаг", "строго")
    assert ru.list_suffix == "_2"
    assert packs["zh"].names.lists["Int"][0] == ("数字列表", "数")
    assert packs["en"].names is None  # English names are the language-neutral styles


def test_names_parsed():
    names = parse_human_pack(pack_text() + NAMES, "xx.toml").names
    assert names.records == (("Ding", "dinge", "ding"), ("Kiste", "kisten", "kiste"))
    assert dict(names.fields) == {"Int": ("anzahl", "jahr"), "Float": ("preis",), "String": ("titel",),
                                  "Bool": ("aktiv",)}
    assert dict(names.lists) == {"Int": (("zahlen", "zahl"),), "Float": (("preise", "preis"),),
                                 "String": (("wörter", "wort"),)}
    assert names.scalars["String"] == ("trenner",) and names.list_suffix == "_b"
    assert parse_human_pack(pack_text(), "xx.toml").names is None


@pytest.mark.parametrize("old, new, snippet, expected", [
    ('list_suffix = "_b"', 'list_sufix = "_b"', "list_sufix",
     "names.list_sufix: unknown field (did you mean `list_suffix`?)"),
    ('records = [["Ding", "dinge", "ding"], ["Kiste", "kisten", "kiste"]]\n', "", "[names]\n",
     "names.records: missing field"),
    ('records = [["Ding", "dinge", "ding"], ["Kiste", "kisten", "kiste"]]', 'records = []', "records",
     "names.records: wrong type; expected a non-empty array of [type, list of it, one of it], found an empty array"),
    ('["Kiste", "kisten", "kiste"]', '["Kiste", "kisten"]', "records",
     "names.records[1]: wrong shape; expected [type, list of it, one of it], found 2 names"),
    ('"dinge"', '"2dinge"', "2dinge",
     "names.records[0][1]: `2dinge` is not a valid identifier; expected letters, digits and `_`, "
     "not starting with a digit, not a keyword, in NFKC form"),
    ('"ding"]', '"Ding"]', 'Ding"]',
     "names.records[0][2]: `Ding` names both the record and one of it (the last word names a loop variable "
     "over a list of records, so it must differ from the type's name)"),
    ('["Kiste", "kisten", "kiste"]', '["Ding", "kisten", "kiste"]', 'Ding", "kisten"',
     "names.records[1][0]: duplicate name `Ding`"),
    ('list_suffix = "_b"', 'list_suffix = "-b"', 'list_suffix',
     'names.list_suffix: list suffix must continue an identifier; expected letters, digits and `_`, found "-b"'),
    ('Int = ["anzahl", "jahr"]', 'Int = ["anzahl", "for"]', "for",
     "names.fields.Int[1]: `for` is not a valid identifier; expected letters, digits and `_`, "
     "not starting with a digit, not a keyword, in NFKC form"),
    ('Int = ["anzahl", "jahr"]', 'Int = ["anzahl", "anzahl"]', 'anzahl"]',
     "names.fields.Int[1]: duplicate name `anzahl`"),
    ('Int = ["anzahl", "jahr"]', 'Int = ["anzahl", 3]', 'Int = ["anzahl", 3]',
     "names.fields.Int[1]: wrong type; expected an identifier, found an integer"),
    ('Bool = ["aktiv"]', 'Bool = []', 'Bool = []',
     "names.fields.Bool: wrong type; expected a non-empty array of identifiers, found an empty array"),
    ('Bool = ["aktiv"]', 'Boolean = ["aktiv"]', "Boolean",
     "names.fields.Boolean: unknown type (did you mean `Bool`?)"),
    ('Float = [["preise", "preis"]]\n', "", "[names.lists]",
     "names.lists.Float: missing type"),
    ('String = [["wörter", "wort"]]', 'String = [["wörter", "wort", "w"]]', 'String = [["wörter"',
     "names.lists.String[0]: wrong shape; expected [list, one element], found 3 names"),
    ('String = [["wörter", "wort"]]', 'String = [["wörter", "ﬁle"]]', "ﬁle",
     "names.lists.String[0][1]: `ﬁle` is not a valid identifier; expected letters, digits and `_`, "
     "not starting with a digit, not a keyword, in NFKC form"),
    ('[names.scalars]\nInt = ["grenze"]', '[names.scalars]\nInt = "grenze"', 'Int = "grenze"',
     'names.scalars.Int: wrong type; expected a non-empty array of identifiers, found "grenze"'),
])
def test_names_errors(old, new, snippet, expected):
    message, text = names_error(old, new)
    assert message == f"xx.toml:{at(text, snippet)}: error: {expected}"


def test_names_errors_in_inline_tables():
    text = pack_text() + NAMES.replace("[names.scalars]\n", "").replace(
        'Int = ["grenze"]\nFloat = ["faktor"]\nString = ["trenner"]\nBool = ["streng"]\n', "")
    text = text.replace('list_suffix = "_b"',
                        'list_suffix = "_b"\nscalars = {Int = ["grenze"], Float = ["faktor"], String = ["a b"], '
                        'Bool = ["streng"]}')
    assert error_for(text).startswith(f"xx.toml:{at(text, 'a b')}: error: names.scalars.String[0]: `a b` is not")
    text = (pack_text() + NAMES).replace("[names.fields]", "[names.felds]")
    assert error_for(text) == f"xx.toml:{at(text, '[names.felds]')}: error: names.felds: unknown field " \
                              "(did you mean `fields`?)"


def test_a_user_pack_with_names_brings_native_identifiers(tmp_path, monkeypatch):
    import random

    from polyglot.data.names import native_vocabularies, pick_vocabulary
    from polyglot.data.sample import Namer, sample

    write_pack(tmp_path, "xx", pack_text() + NAMES)
    monkeypatch.setenv("POLYGLOT_PATH", str(tmp_path))
    natives = native_vocabularies()
    assert sorted(natives) == ["ar", "el", "he", "hi", "ja", "ko", "ru", "xx", "zh"]
    assert natives["xx"].style == "native:xx" and natives["xx"].list_suffix == "_b"
    drawn = {pick_vocabulary(random.Random(i), langs=["xx", "en"]).style for i in range(60)}
    assert "native:xx" in drawn and not {s for s in drawn if s.startswith("native:")} - {"native:xx"}
    s = next(s for s in (sample(random.Random(f"user/{i}")) for i in range(300)) if s.style == "native:xx")
    words = {w for r in NAMES.split("\n") for w in re.findall(r'"(\w+)"', r)}
    assert s.params and all(p.name in words or p.name.startswith(("ding", "kiste")) for p in s.params), s.params
    assert Namer(random.Random(0), natives["xx"]).param(FLOAT_LIST) == "preise"
