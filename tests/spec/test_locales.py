"""A spec written wholly in any of the 20 human languages reads to the same IR as in English."""
import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from polyglot.langpacks import human_packs
from polyglot.spec.reader import parse_spec

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = (ROOT / "examples" / "cart.vibee").read_text(encoding="utf-8")
PACKS = human_packs()


def localize(doc: dict, pack) -> dict:
    """Rename every spec key (never a record field or a test value) into the pack's words."""
    k = pack.alias
    types_word = {t: names[0] for t, names in pack.types.items() if names}

    def type_text(text: str) -> str:
        return re.sub(r"\b(Int|Float|Bool|String|List|Map|Option)\b",
                      lambda m: types_word.get(m.group(1), m.group(1)), text)

    def behavior(b: dict) -> dict:
        out = {}
        for key, value in b.items():
            if key == "params":
                value = {name: type_text(t) for name, t in value.items()} if isinstance(value, dict) else [
                    {k("name"): p["name"], k("type"): type_text(p["type"])} for p in value]
            elif key == "returns":
                value = type_text(value)
            elif key == "test_cases":
                value = [{k(tk): tv for tk, tv in case.items()} for case in value]
            out[k(key)] = value
        return out

    out = {}
    for key, value in doc.items():
        if key == "locale":
            continue
        if key == "types":
            value = {name: {k(tk): ({f: type_text(t) for f, t in tv.items()} if tk == "fields" else tv)
                            for tk, tv in body.items()} for name, body in value.items()}
        elif key == "behaviors":
            value = [behavior(b) for b in value]
        out[k(key)] = value
    return out


@pytest.mark.parametrize("code", sorted(PACKS))
def test_spec_in_every_language_reads_the_same(code):
    english = parse_spec(ENGLISH, file="cart.vibee")
    text = yaml.safe_dump(localize(yaml.safe_load(ENGLISH), PACKS[code]), allow_unicode=True, sort_keys=False)
    warnings = []
    localized = parse_spec(text, file=f"cart.{code}.vibee", strict=True, on_warning=warnings.append)
    assert warnings == []
    assert localized.locale == code  # inferred from the keys alone
    assert dataclasses.replace(localized, locale="en") == english


def test_twenty_languages():
    assert sorted(PACKS) == sorted("en ru zh es ar hi ja ko de fr pt it nl pl tr vi th he el sw".split())
