from pathlib import Path

import pytest

from polyglot.errors import SpecError
from polyglot.nmt.tokenizer import (
    BOS_ID, EOS_ID, HUMAN_LANGUAGES, LANGUAGES, PAD_ID, UNK_ID, Tokenizer,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "parallel.tsv"


def read_parallel() -> dict[str, list[str]]:
    header, *rows = FIXTURE.read_text(encoding="utf-8").splitlines()
    langs = header.split("\t")
    cells = [row.split("\t") for row in rows]
    return {lang: [row[i] for row in cells] for i, lang in enumerate(langs)}


@pytest.fixture(scope="module")
def parallel():
    return read_parallel()


@pytest.fixture(scope="module")
def tok(parallel):
    return Tokenizer.train([s for sents in parallel.values() for s in sents], vocab_size=1000)


def test_fixture_is_multi_parallel(parallel):
    assert list(parallel) == list(LANGUAGES)
    assert {len(s) for s in parallel.values()} == {10}


def test_special_ids_and_layout(tok):
    assert (tok.pad_id, tok.unk_id, tok.bos_id, tok.eos_id) == (0, 1, 2, 3)
    assert (tok.sp.id_to_piece(PAD_ID), tok.sp.id_to_piece(UNK_ID)) == ("<pad>", "<unk>")
    assert tok.langs == list(LANGUAGES)
    assert tok.lang_id("en") == 4 and tok.lang_id("body") == 24
    assert tok.control_ids == {"<sep>": 25, "<mask>": 26}
    assert tok.sp.id_to_piece(27) == "<0x00>"
    assert tok.vocab_size == 1000


@pytest.mark.parametrize("lang", LANGUAGES)
def test_round_trip_every_script(tok, parallel, lang):
    for sentence in parallel[lang]:
        assert tok.decode(tok.encode(sentence)) == sentence
        ids = tok.encode(sentence, lang=lang, add_eos=True)
        assert ids[0] == tok.lang_id(lang) and ids[-1] == EOS_ID
        assert tok.decode(ids) == sentence


def test_whitespace_and_fullwidth_survive(tok):
    for text in ["  a  *  b ", "x\ty\nz", "（全角）、。", "ﻻ"]:
        assert tok.decode(tok.encode(text)) == text


def test_byte_fallback_for_unseen_characters(tok):
    text = "🦜 鱻 𠀋"  # emoji, rare CJK, CJK extension B: none in the training text
    ids = tok.encode(text)
    assert UNK_ID not in ids
    assert tok.sp.encode("🦜", out_type=str) == ["▁", "<0xF0>", "<0x9F>", "<0xA6>", "<0x9C>"]
    assert tok.decode(ids) == text


def test_tags_are_single_tokens(tok):
    for lang in LANGUAGES:
        assert tok.encode(f"<{lang}>") == [tok.sp.piece_to_id("▁"), tok.lang_id(lang)]
        assert tok.sp.encode(f"<{lang}>", out_type=str)[-1] == f"<{lang}>"
    assert tok.decode(tok.encode("<ru>x"), keep_tags=True) == "<ru>x"
    assert tok.decode([BOS_ID, tok.lang_id("de"), *tok.encode("Hallo"), EOS_ID, PAD_ID]) == "Hallo"


def test_unknown_language_is_a_spec_error(tok):
    with pytest.raises(SpecError, match="no language tag for 'rus'") as err:
        tok.encode("x", lang="rus")
    assert err.value.hint == "did you mean `ru`?"


def test_fertility_report(tok, parallel):
    report = tok.fertility(parallel)
    per = report.tokens_per_sentence
    assert list(per) == list(LANGUAGES)
    assert per["en"] == pytest.approx(18.8) and per["ru"] == pytest.approx(28.5)
    assert per["zh"] == pytest.approx(9.1) and per["hi"] == pytest.approx(31.9)
    assert per["body"] == pytest.approx(9.8)
    assert (report.worst, report.best) == ("hi", "zh")
    assert report.parity == pytest.approx(31.9 / 9.1)
    assert report.format().splitlines()[-1] == "parity 3.505 (hi / zh)"
    # A byte-fallback emoji costs the dummy-prefix piece plus its 4 UTF-8 bytes.
    bytes_only = tok.fertility({"one": ["🦜"], "two": ["🦜🦜"]})
    assert bytes_only.tokens_per_sentence == {"one": 5.0, "two": 9.0}
    assert bytes_only.parity == 1.8


def test_fertility_rejects_ragged_corpus(tok):
    with pytest.raises(SpecError, match="same, non-zero number"):
        tok.fertility({"en": ["a", "b"], "ru": ["а"]})


def test_save_load_round_trip(tok, tmp_path):
    path = tmp_path / "spm.model"
    tok.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["spm.model"]
    again = Tokenizer.load(path)
    text = "Возвращает сумму всех цен. 🦜"
    assert again.encode(text, lang="ru") == tok.encode(text, lang="ru")
    assert again.langs == tok.langs and again.vocab_size == tok.vocab_size


def test_load_rejects_garbage(tmp_path):
    path = tmp_path / "bad.model"
    path.write_bytes(b"not a model")
    with pytest.raises(SpecError, match="not a SentencePiece model"):
        Tokenizer.load(path)
    with pytest.raises(SpecError, match="cannot read tokenizer"):
        Tokenizer.load(tmp_path / "missing.model")


def test_custom_language_list():
    tok = Tokenizer.train(["hello world", "привет мир"], vocab_size=300,
                          langs=["en", "xx"])
    assert tok.langs == ["en", "xx"] and tok.lang_id("xx") == 5
    assert tok.control_ids == {"<sep>": 6, "<mask>": 7}
    assert len(HUMAN_LANGUAGES) == 20


def test_load_rejects_foreign_special_ids(tmp_path):
    import io

    import sentencepiece as spm

    writer = io.BytesIO()  # SentencePiece's own defaults: unk=0, bos=1, eos=2, no pad
    spm.SentencePieceTrainer.train(sentence_iterator=iter(["hello world"] * 3), model_writer=writer,
                                   vocab_size=20, hard_vocab_limit=False, minloglevel=2)
    (tmp_path / "foreign.model").write_bytes(writer.getvalue())
    with pytest.raises(SpecError, match="foreign special ids") as err:
        Tokenizer.load(tmp_path / "foreign.model")
    assert err.value.found == "-1/0/1/2"
