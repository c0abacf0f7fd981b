"""The C replay of codebleu 0.7.0's comment-removing expression (compat mode's stripping
for its C-family languages) gives what `re` gives."""
from __future__ import annotations

import random
import re

import pytest

from test_native import texts_for

from polyglot.metrics.codebleu import CodeBLEU
from polyglot.metrics.codebleu._native import strip_slash_comments
from polyglot.metrics.codebleu.source import SLASH_COMMENTS, RegexStripper

SLASH_LANGUAGES = ("c", "cpp", "csharp", "go", "java", "javascript", "php", "rust")


@pytest.mark.parametrize("lang", SLASH_LANGUAGES)
def test_the_package_expression_is_replayed_in_c(lang: str) -> None:
    stripper = CodeBLEU(lang, mode="compat").stripper
    assert (stripper.pattern.pattern, stripper.pattern.flags & ~re.UNICODE, stripper.comment_starts) == SLASH_COMMENTS
    texts = [t.strip() for t in texts_for(lang)]
    texts += [t[: len(t) * k // 5] for t in texts for k in range(1, 5)]  # unclosed comments and quotes
    changed = 0
    for text in texts:
        expected = stripper(text)
        assert stripper.fast(text) == expected, text[:200]  # a lone surrogate: `re` itself
        changed += expected != text
    assert changed > 10


# pieces the expression has corner cases for: both comment kinds, both quotes, escapes
# (of a quote, of a newline, at the very end), `/*/`, and what str.strip() takes for blank
PIECES = ["//", "/*", "*/", "/*/", "/", "*", "'", '"', "\\", "\\'", '\\"', "\\\\", "\\\n", "x", "a b",
          "é", "€", "\U0001F600", "\xa0", "\u3000", "\u2028", "\x1c", "\x85", "\t", "\r", " ", "\n", "\n\n"]


def test_generated_corner_cases() -> None:
    rng = random.Random(11)
    stripper = CodeBLEU("java", mode="compat").stripper
    for _ in range(5000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 16)))
        assert strip_slash_comments(text) == stripper(text), repr(text)


def test_other_expressions_stay_with_re() -> None:
    """Only the package's own expression is replayed; any other runs through `re`."""
    hashes = RegexStripper(re.compile(r"#.*?$", re.MULTILINE), "#")
    assert hashes.fast("a = 1  # one\n# two\nb") == "a = 1   \nb"
    assert strip_slash_comments("a = 1  # one\n# two\nb") == "a = 1  # one\n# two\nb"


def test_a_lone_surrogate_falls_back_to_re() -> None:
    stripper = CodeBLEU("c", mode="compat").stripper
    assert stripper.fast("x = '\ud800'; // c\n") == "x = '\ud800';  "
