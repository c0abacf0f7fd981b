"""Folded prose (`>` block scalars) in scripts written without spaces between words.

YAML folds each line break inside a `>` scalar into a space. That is right for English and
wrong for Chinese, Japanese or Thai, where `返回` on one line and `总和` on the next mean
`返回总和`, not `返回 总和`. The rule follows CSS Text Level 3's segment break
transformation (what a browser does with the same line break in HTML): a folded break
between two wide East Asian characters, neither of them Hangul (Korean puts spaces between
words), disappears; so does one between a wide character and East Asian punctuation of
ambiguous width (`“`, `…`). Thai, Lao, Khmer, Myanmar, Tibetan and the Tai scripts, which
CSS leaves to the browser, are treated like the wide ones.
"""
from __future__ import annotations

import unicodedata

#: Scripts written without spaces between words whose characters are not East Asian wide.
NO_SPACE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x1950, 0x19DF),  # Tai Le, New Tai Lue
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x1A20, 0x1AAF),  # Tai Tham
    (0xA9E0, 0xA9FF),  # Myanmar extended-B
    (0xAA60, 0xAADF),  # Myanmar extended-A, Tai Viet
)
#: Hangul: wide, but Korean separates words with spaces.
HANGUL_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC),
)


def _in(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _wide(char: str) -> bool:
    return ((unicodedata.east_asian_width(char) in ("F", "W", "H") and not _in(HANGUL_RANGES, char))
            or _in(NO_SPACE_RANGES, char))


def _ambiguous_punctuation(char: str) -> bool:
    return unicodedata.east_asian_width(char) == "A" and unicodedata.category(char)[0] in "PS"


def no_space_between(before: str, after: str) -> bool:
    """Whether a line break between these two characters joins them without a space.

    Example:
        >>> no_space_between("回", "总"), no_space_between("d", "总"), no_space_between("다", "음")
        (True, False, False)
    """
    if _wide(before):
        return _wide(after) or _ambiguous_punctuation(after)
    return _ambiguous_punctuation(before) and _wide(after)


def rejoin(literal: str, folded: str) -> str:
    """`folded` without the spaces folding put between two characters of no-space scripts.

    Args:
        literal: the same block scalar read with its line breaks kept (`|`).
        folded: the scalar as YAML folded it (`>`).

    Returns:
        `folded` with those spaces removed; `folded` unchanged if the two do not line up.

    Example:
        >>> rejoin("返回\\n总和\\nof a\\nb", "返回 总和 of a b")
        '返回总和 of a b'
    """
    out: list[str] = []
    i = 0
    for j, char in enumerate(folded):
        while i < len(literal) and literal[i] != char:
            if literal[i] != "\n":
                return folded
            if char == " ":  # this break was folded into this space
                break
            i += 1  # a break folding dropped (before an empty line)
        if i >= len(literal):
            return folded
        if literal[i] == "\n" and char == " ":
            if 0 < j < len(folded) - 1 and no_space_between(folded[j - 1], folded[j + 1]):
                i += 1
                continue
        out.append(char)
        i += 1
    return "".join(out)
