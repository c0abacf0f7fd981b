"""ROUGE in 20 scripts: rouge-score's counting, polyglot's Unicode tokenizer."""
import pytest
from rouge_score.rouge_scorer import RougeScorer

from polyglot import __version__
from polyglot.metrics import get_metric
from polyglot.metrics.rouge import ROUGE1, ROUGE2, ROUGEL, ROUGELsum

# lang -> (sentence, the same sentence with one word changed)
SENTENCES = {
    "en": ("The quick brown fox jumps over the lazy dog near the river.",
           "The quick brown fox jumps over the lazy cat near the river."),
    "ru": ("Быстрая коричневая лиса прыгает через ленивую собаку у реки.",
           "Быстрая коричневая лиса прыгает через ленивую кошку у реки."),
    "zh": ("敏捷的棕色狐狸跳过了河边那只懒惰的狗。", "敏捷的棕色狐狸跳过了河边那只懒惰的猫。"),
    "es": ("El rápido zorro marrón salta sobre el perro perezoso junto al río.",
           "El rápido zorro marrón salta sobre el gato perezoso junto al río."),
    "ar": ("الثعلب البني السريع يقفز فوق الكلب الكسول بجانب النهر.",
           "الثعلب البني السريع يقفز فوق القط الكسول بجانب النهر."),
    "hi": ("तेज़ भूरी लोमड़ी नदी के पास आलसी कुत्ते के ऊपर कूदती है।",
           "तेज़ भूरी लोमड़ी नदी के पास आलसी बिल्ली के ऊपर कूदती है।"),
    "ja": ("素早い茶色の狐が川のそばで怠けた犬を飛び越える。",
           "素早い茶色の狐が川のそばで怠けた猫を飛び越える。"),
    "ko": ("빠른 갈색 여우가 강가에서 게으른 개를 뛰어넘는다.",
           "빠른 갈색 여우가 강가에서 게으른 고양이를 뛰어넘는다."),
    "de": ("Der schnelle braune Fuchs springt am Fluss über den faulen Hund.",
           "Der schnelle braune Fuchs springt am Fluss über den faulen Kater."),
    "fr": ("Le renard brun rapide saute par-dessus le chien paresseux près de la rivière.",
           "Le renard brun rapide saute par-dessus le chat paresseux près de la rivière."),
    "pt": ("A rápida raposa marrom pula sobre o cão preguiçoso perto do rio.",
           "A rápida raposa marrom pula sobre o gato preguiçoso perto do rio."),
    "it": ("La veloce volpe marrone salta sopra il cane pigro vicino al fiume.",
           "La veloce volpe marrone salta sopra il gatto pigro vicino al fiume."),
    "nl": ("De snelle bruine vos springt over de luie hond bij de rivier.",
           "De snelle bruine vos springt over de luie kat bij de rivier."),
    "pl": ("Szybki brązowy lis przeskakuje nad leniwym psem przy rzece.",
           "Szybki brązowy lis przeskakuje nad leniwym kotem przy rzece."),
    "tr": ("Hızlı kahverengi tilki nehir kenarındaki tembel köpeğin üzerinden atlar.",
           "Hızlı kahverengi tilki nehir kenarındaki tembel kedinin üzerinden atlar."),
    "vi": ("Con cáo nâu nhanh nhẹn nhảy qua con chó lười biếng bên bờ sông.",
           "Con cáo nâu nhanh nhẹn nhảy qua con mèo lười biếng bên bờ sông."),
    "th": ("สุนัขจิ้งจอกสีน้ำตาลที่ว่องไวกระโดดข้ามสุนัขขี้เกียจริมแม่น้ำ",
           "สุนัขจิ้งจอกสีน้ำตาลที่ว่องไวกระโดดข้ามแมวขี้เกียจริมแม่น้ำ"),
    "he": ("השועל החום המהיר קופץ מעל הכלב העצלן ליד הנהר.",
           "השועל החום המהיר קופץ מעל החתול העצלן ליד הנהר."),
    "el": ("Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο δίπλα στο ποτάμι.",
           "Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη γάτο δίπλα στο ποτάμι."),
    "sw": ("Mbweha mwepesi wa kahawia anaruka juu ya mbwa mvivu karibu na mto.",
           "Mbweha mwepesi wa kahawia anaruka juu ya paka mvivu karibu na mto."),
}
VARIANTS = [ROUGE1, ROUGE2, ROUGEL, ROUGELsum]


@pytest.mark.parametrize("lang", SENTENCES)
def test_identical_text_scores_one_in_every_script(lang):
    text, _ = SENTENCES[lang]
    for variant in VARIANTS:
        score = variant(lang=lang).sentence_score(text, [text])
        assert score.score == 100.0
        assert score.statistics == (1.0, 1.0, 1.0, 1.0)


@pytest.mark.parametrize("lang", SENTENCES)
def test_one_changed_word_scores_strictly_between(lang):
    text, changed = SENTENCES[lang]
    for variant in VARIANTS:
        assert 0.0 < variant().sentence_score(changed, [text]).score < 100.0


# lang -> (tokens, tokens changed, bigrams, bigrams changed): words, or characters for zh/th
@pytest.mark.parametrize("lang, counts", [
    ("en", (12, 1, 11, 2)),
    ("ru", (9, 1, 8, 2)),
    ("hi", (12, 1, 11, 2)),
    ("zh", (18, 1, 17, 1)),
])
def test_one_changed_word_exact_values(lang, counts):
    tokens, changed_tokens, bigrams, changed_bigrams = counts
    text, changed = SENTENCES[lang]
    unigram = 100 * (tokens - changed_tokens) / tokens
    assert ROUGE1().sentence_score(changed, [text]).score == pytest.approx(unigram, rel=1e-14)
    assert ROUGEL().sentence_score(changed, [text]).score == pytest.approx(unigram, rel=1e-14)
    assert ROUGE2().sentence_score(changed, [text]).score == \
        pytest.approx(100 * (bigrams - changed_bigrams) / bigrams, rel=1e-14)


def test_thai_counts_character_clusters():
    text, changed = SENTENCES["th"]
    # สุนัข "dog" is 3 clusters (สุ นั ข), แมว "cat" is 3 (แ ม ว): 43 tokens a side, and
    # แ ม ว occur elsewhere in the sentence, so 40 of 43 still match.
    score = ROUGE1().sentence_score(changed, [text])
    assert score.detail == "(P = 93.02 R = 93.02)"
    assert score.score == pytest.approx(100 * 40 / 43, rel=1e-14)


@pytest.mark.parametrize("lang", ["ru", "zh", "ar", "hi", "th"])
def test_rouge_scores_default_tokenizer_scores_zero(lang):
    """Why polyglot has its own tokenizer: rouge-score keeps only [a-z0-9]."""
    text, _ = SENTENCES[lang]
    default = RougeScorer(["rouge1", "rougeL"]).score(text, text)
    assert (default["rouge1"].fmeasure, default["rougeL"].fmeasure) == (0.0, 0.0)
    english, _ = SENTENCES["en"]
    assert RougeScorer(["rouge1"]).score(english, english)["rouge1"].fmeasure == 1.0


def test_corpus_score_is_the_mean_of_segment_f():
    hyps = ["a b c d", "x y"]
    refs = [["a b c d", "x z"]]  # F = 1.0 and 0.5
    score = ROUGE1().corpus_score(hyps, refs)
    assert score.score == 75.0
    assert score.statistics == (2.0, 1.5, 1.5, 1.5)
    assert score.format() == (
        f"ROUGE-1 = 75.00 (P = 75.00 R = 75.00) | rouge1|nrefs:1|tok:unicode"
        f"|impl:rouge-score-0.1.2|v:{__version__}")


def test_multiple_references_take_the_best_f():
    score = get_metric("rouge2").sentence_score("the cat sat", ["a dog ran", "the cat sat"])
    assert (score.score, score.signature.info["nrefs"]) == (100.0, 2)


def test_lsum_splits_sentences_at_newlines():
    hyp, ref = "the cat sat\nthe dog ran", "the dog ran\nthe cat sat"
    assert ROUGEL().sentence_score(hyp, [ref]).score == 50.0
    assert ROUGELsum().sentence_score(hyp, [ref]).score == 100.0


def test_empty_hypothesis_scores_zero():
    assert ROUGEL().sentence_score("", ["something"]).score == 0.0
