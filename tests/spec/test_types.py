import pytest

from polyglot.spec.types import Type, TypeSyntaxError, parse_type


@pytest.mark.parametrize("text, shown", [
    ("Int", "Int"),
    ("List<Item>", "List<Item>"),
    ("Map<String, List<Int>>", "Map<String, List<Int>>"),
    ("Int?", "Option<Int>"),
    ("List<Int?>", "List<Option<Int>>"),
    ("[Item]", "List<Item>"),
    ("[]u8", "List<Int>"),
    ("Optional<str>", "Option<String>"),
    ("f64", "Float"),
    ("Boolean", "Bool"),
    ("Dict<string, Double>", "Map<String, Float>"),
])
def test_parse_type_spellings(text, shown):
    assert str(parse_type(text)) == shown


def test_localized_alias():
    assert parse_type("Список<Целое>", {"Список": "List", "Целое": "Int"}) == Type("List", (Type("Int"),))


@pytest.mark.parametrize("text, message, offset", [
    ("List", "List needs 1 type argument(s), e.g. List<String>", 0),
    ("Map<Int>", "Map takes 2 type argument(s), got 1", 0),
    ("List<Int", "type ends early; expected >", 8),
    ("Int>", "unexpected '>' after the type", 3),
    ("", "empty type", 0),
    ("Foo<Int>", "Foo takes no type arguments", 0),
    ("Int$", "unexpected character '$' in type", 3),
])
def test_parse_type_errors(text, message, offset):
    with pytest.raises(TypeSyntaxError) as info:
        parse_type(text)
    assert str(info.value) == message
    assert info.value.offset == offset
