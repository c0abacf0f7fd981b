"""The Unicode tokenizer: words for spaced scripts, character clusters for unspaced ones."""
import re
import unicodedata

import pytest

from polyglot.errors import SpecError
from polyglot.metrics.tokenizers import TOKENIZERS, get_tokenizer
from polyglot.metrics.tokenizers.unicode_words import UnicodeWordTokenizer, is_unspaced

tokenize = UnicodeWordTokenizer()


@pytest.mark.parametrize("text, tokens", [
    ("The Quick, brown FOX!", ["the", "quick", "brown", "fox"]),
    ("Straße GROSS", ["strasse", "gross"]),                       # casefold, not lower
    ("Привет, мир! Как дела?", ["привет", "мир", "как", "дела"]),
    ("مرحبا بالعالم", ["مرحبا", "بالعالم"]),
    ("שלום עולם", ["שלום", "עולם"]),
    ("Tiếng Việt rất đẹp", ["tiếng", "việt", "rất", "đẹp"]),
    ("한국어 문장입니다.", ["한국어", "문장입니다"]),                    # Hangul is spaced
    ("Ελληνικά ΚΕΙΜΕΝΑ", ["ελληνικά", "κειμενα"]),
    ("x=1.5, y_2 = 30%", ["x", "1", "5", "y_2", "30"]),             # digits kept
    ("我爱北京。", ["我", "爱", "北", "京"]),
    ("2024年の東京タワー", ["2024", "年", "の", "東", "京", "タ", "ワ", "ー"]),
    ("ພາສາລາວ", ["ພ", "າ", "ສ", "າ", "ລ", "າ", "ວ"]),
    ("မြန်မာ", ["မြ", "န်", "မာ"]),
    ("ខ្មែរ", ["ខ្", "មែ", "រ"]),
    ("ที่นี่", ["ที่", "นี่"]),                                         # marks join their base
    ("abc中文def", ["abc", "中", "文", "def"]),
    ("", []),
    ("  ...  ", []),
])
def test_tokens(text, tokens):
    assert tokenize(text) == tokens


def test_hindi_vowel_signs_stay_inside_words():
    text = "हिन्दी भाषा सुंदर है।"
    assert tokenize(text) == ["हिन्दी", "भाषा", "सुंदर", "है"]
    # Python's `re` does not count combining vowel signs as \w and would cut the words.
    assert re.findall(r"\w+", text)[:2] == ["ह", "न"]


def test_composed_and_decomposed_text_match():
    composed = unicodedata.normalize("NFC", "café naïve")
    decomposed = unicodedata.normalize("NFD", "café naïve")
    assert composed != decomposed
    assert tokenize(composed) == tokenize(decomposed) == ["café", "naïve"]


def test_unspaced_ranges():
    assert [is_unspaced(c) for c in "a中ぁカก\u0e80ក\u1000한\U00020000"] == \
        [False, True, True, True, True, True, True, True, False, True]


def test_registry_and_rouge_interface():
    assert list(TOKENIZERS) == ["unicode"]
    tokenizer = get_tokenizer("unicode")
    assert tokenizer.signature() == "unicode"
    assert tokenizer.tokenize("Ab cD") == ["ab", "cd"]
    with pytest.raises(SpecError) as err:
        get_tokenizer("unicod")
    assert err.value.hint == "did you mean `unicode`?"
