"""Folded prose joins lines of Chinese, Japanese, Thai... without a space; other scripts keep it."""
import pytest

from polyglot.spec.fold import no_space_between, rejoin


@pytest.mark.parametrize("before, after, joined", [
    ("回", "总", True),     # Han
    ("す", "る", True),     # Hiragana
    ("ト", "ー", True),     # Katakana
    ("ｶ", "ﾅ", True),       # halfwidth Katakana
    ("。", "返", True),     # CJK punctuation
    ("，", "总", True),     # fullwidth comma
    ("า", "ผ", True),       # Thai
    ("ន", "ក", True),       # Khmer
    ("回", "“", True),      # East Asian ambiguous punctuation next to a wide character
    ("”", "总", True),
    ("다", "음", False),     # Korean writes spaces between words
    ("回", "a", False),
    ("a", "总", False),
    ("a", "b", False),
    ("д", "а", False),
    ("“", "a", False),
    ("回", "1", False),
])
def test_no_space_between(before, after, joined):
    assert no_space_between(before, after) is joined


@pytest.mark.parametrize("literal, folded, expected", [
    ("返回\n总和", "返回 总和", "返回总和"),
    ("返回\n总和\nof a\nb", "返回 总和 of a b", "返回总和 of a b"),
    ("返回\n\n总和", "返回\n总和", "返回\n总和"),              # an empty line is a line break, kept
    ("返回\n  代码\n总和", "返回\n  代码\n总和", "返回\n  代码\n总和"),  # more-indented lines are not folded
    ("返回 \n总和", "返回  总和", "返回  总和"),              # a space written at the end of a line stays
    ("คืนค่า\nผลรวม", "คืนค่า ผลรวม", "คืนค่าผลรวม"),
    ("다음\n합계", "다음 합계", "다음 합계"),
    ("sum\n总和", "sum 总和", "sum 总和"),
    ("返回\n总和", "something else", "something else"),       # cannot line up: left as folded
])
def test_rejoin(literal, folded, expected):
    assert rejoin(literal, folded) == expected
