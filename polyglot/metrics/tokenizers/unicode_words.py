"""Words for spaced scripts, characters for scripts written without spaces.

rouge-score's default tokenizer keeps only ``[a-z0-9]``, so Russian, Arabic or Hindi
text becomes no tokens at all and every score is 0. This tokenizer keeps every
script: a word is a maximal run of Unicode letters, marks, digits and connector
punctuation (Unicode's ``\\w``, including the combining vowel signs that Python's
``re`` leaves out, which would cut Hindi words apart). Chinese, Japanese, Thai, Lao,
Khmer and Myanmar put no spaces between words, so there each character -- a base
character with the combining marks that follow it -- is one token, the standard
practice for character-level ROUGE on these scripts.
"""
from __future__ import annotations

import bisect
import unicodedata

from polyglot.metrics.tokenizers.base import Tokenizer

# Code point ranges (inclusive) of scripts written without spaces between words.
UNSPACED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0E7F),    # Thai
    (0x0E80, 0x0EFF),    # Lao
    (0x1000, 0x109F),    # Myanmar
    (0x1780, 0x17FF),    # Khmer
    (0x19E0, 0x19FF),    # Khmer symbols
    (0x2E80, 0x2FDF),    # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),    # 々 〆 〇
    (0x3021, 0x3029),    # Hangzhou numerals
    (0x3038, 0x303B),
    (0x3040, 0x30FF),    # Hiragana, Katakana
    (0x3100, 0x312F),    # Bopomofo
    (0x31F0, 0x31FF),    # Katakana phonetic extensions
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xA9E0, 0xA9FF),    # Myanmar extended-B
    (0xAA60, 0xAA7F),    # Myanmar extended-A
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFF66, 0xFF9F),    # halfwidth Katakana
    (0x1B000, 0x1B16F),  # Kana supplement and extensions
    (0x20000, 0x2FA1F),  # CJK extensions B-F, compatibility supplement
    (0x30000, 0x323AF),  # CJK extensions G-H
)
_STARTS = [start for start, _ in UNSPACED_RANGES]

# General categories that make up a word: letters, marks, numbers, connector punctuation.
WORD_CATEGORIES = frozenset("LMN") | {"Pc"}


def is_unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words."""
    i = bisect.bisect_right(_STARTS, ord(char)) - 1
    return i >= 0 and ord(char) <= UNSPACED_RANGES[i][1]


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in WORD_CATEGORIES or category in WORD_CATEGORIES


class UnicodeWordTokenizer(Tokenizer):
    """NFC, casefold, then words (spaced scripts) and characters (unspaced scripts).

    Example:
        >>> UnicodeWordTokenizer()("Straße 2024年の東京")
        ['strasse', '2024', '年', 'の', '東', '京']
    """

    def signature(self) -> str:
        return "unicode"

    def __call__(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFC", text.casefold())
        tokens: list[str] = []
        word: list[str] = []
        after_unspaced = False  # the last token is an unspaced character marks may join
        for char in text:
            if is_unspaced(char):
                if word:
                    tokens.append("".join(word))
                    word = []
                if after_unspaced and unicodedata.category(char)[0] == "M":
                    tokens[-1] += char
                else:
                    tokens.append(char)
                after_unspaced = True
            elif _is_word_char(char):
                word.append(char)
                after_unspaced = False
            else:
                if word:
                    tokens.append("".join(word))
                    word = []
                after_unspaced = False
        if word:
            tokens.append("".join(word))
        return tokens
