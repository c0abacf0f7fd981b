"""One SentencePiece model for all 20 human languages and the body language.

Sharing one vocabulary is what lets one encoder place parallel sentences close together
and one decoder write bodies for every source language. The model is trained in memory
(no temp files) with:

- identity normalisation: no NFKC, so full-width CJK punctuation, Arabic presentation
  forms and code such as ``a  *  b`` decode to exactly what was encoded;
- byte fallback: a character never seen in training (an emoji, a rare CJK ideograph)
  becomes its UTF-8 bytes instead of ``<unk>``, so nothing is lost;
- fixed special ids, the same in every model polyglot trains:

      0 <pad>   1 <unk>   2 <s> (bos)   3 </s> (eos)
      4 ...     one tag per language, in the order given to `Tokenizer.train`
                (``<en>``, ``<ru>``, ..., ``<body>``), then the control tokens
                ``<sep>`` and ``<mask>``
      then      256 byte pieces ``<0x00>``..``<0xFF>``, then learned pieces.

Tags and control tokens are SentencePiece *user-defined symbols*: each is always a single
token, also when written literally in text (``"<ru> ..."`` in a data file).
"""
from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import sentencepiece as spm

from polyglot.errors import SpecError, did_you_mean
from polyglot.io import write_atomic

HUMAN_LANGUAGES = (
    "en", "ru", "zh", "es", "ar", "hi", "ja", "ko", "de", "fr",
    "pt", "it", "nl", "pl", "tr", "vi", "th", "he", "el", "sw",
)
BODY = "body"  # the portable expression language, a language like the others
LANGUAGES = HUMAN_LANGUAGES + (BODY,)
# <sep> separates a behaviour's words from its signature; <mask> marks a masked span
# in denoising data.
CONTROL_TOKENS = ("<sep>", "<mask>")

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
_TAG = re.compile(r"<([A-Za-z0-9_-]+)>")


def tag(lang: str) -> str:
    """The tag token of a language: ``tag("ru") == "<ru>"``."""
    return f"<{lang}>"


@dataclass(frozen=True)
class FertilityReport:
    """How many tokens each language spends on the same sentences.

    A shared vocabulary is fair when parity is close to 1: a language that needs three
    times the tokens gets a third of the context and trains slower.
    """

    tokens_per_sentence: dict[str, float]  # language -> mean tokens per sentence (no tag)
    parity: float  # max / min of tokens_per_sentence

    @property
    def worst(self) -> str:
        """The language that spends the most tokens."""
        return max(self.tokens_per_sentence, key=self.tokens_per_sentence.__getitem__)

    @property
    def best(self) -> str:
        """The language that spends the fewest tokens."""
        return min(self.tokens_per_sentence, key=self.tokens_per_sentence.__getitem__)

    def format(self) -> str:
        """A plain-text table, one language a line, then the parity."""
        lines = [f"{lang:>6}  {n:6.2f}" for lang, n in self.tokens_per_sentence.items()]
        lines.append(f"parity {self.parity:.3f} ({self.worst} / {self.best})")
        return "\n".join(lines)


class Tokenizer:
    """A trained SentencePiece model plus polyglot's language tags.

    Args:
        model_proto: the serialized SentencePiece model (what `save` writes).
        source: where the bytes came from, for error messages.
    """

    pad_id, unk_id, bos_id, eos_id = PAD_ID, UNK_ID, BOS_ID, EOS_ID  # the same in every model

    def __init__(self, model_proto: bytes, source: str | None = None):
        try:
            self.sp = spm.SentencePieceProcessor(model_proto=model_proto)
        except (RuntimeError, TypeError) as err:
            raise SpecError("not a SentencePiece model", file=source, found=str(err)) from None
        found = (self.sp.pad_id(), self.sp.unk_id(), self.sp.bos_id(), self.sp.eos_id())
        if found != (PAD_ID, UNK_ID, BOS_ID, EOS_ID):
            raise SpecError("SentencePiece model with foreign special ids", file=source,
                            expected=f"pad/unk/bos/eos = {PAD_ID}/{UNK_ID}/{BOS_ID}/{EOS_ID}",
                            found="/".join(map(str, found)),
                            hint="train it with Tokenizer.train")
        self.model_proto = model_proto
        # User-defined symbols sit right after the four specials, before the byte pieces.
        symbols = []
        for i in range(4, self.sp.get_piece_size()):
            piece = self.sp.id_to_piece(i)
            if self.sp.is_byte(i) or not _TAG.fullmatch(piece):
                break
            symbols.append(piece)
        self.tag_ids = {_TAG.fullmatch(s).group(1): 4 + i for i, s in enumerate(symbols)
                        if s not in CONTROL_TOKENS}
        self.control_ids = {s: 4 + i for i, s in enumerate(symbols) if s in CONTROL_TOKENS}
        self._skip = {PAD_ID, BOS_ID, EOS_ID, *self.tag_ids.values()}  # what decode drops

    @classmethod
    def train(
        cls,
        texts: Iterable[str],
        vocab_size: int = 16000,
        *,
        langs: Iterable[str] = LANGUAGES,
        model_type: str = "unigram",
        character_coverage: float = 0.9995,
        num_threads: int = 1,
        **options,
    ) -> "Tokenizer":
        """Train a tokenizer in memory.

        Args:
            texts: training sentences, one string each, from all languages.
            vocab_size: target vocabulary size, specials and byte pieces included; a
                corpus too small for it yields a smaller vocabulary instead of an error.
            langs: language codes that get a tag, in id order.
            model_type: "unigram" or "bpe".
            character_coverage: share of characters that get their own piece; the rest
                fall back to bytes.
            num_threads: trainer threads (1 keeps training reproducible).
            **options: any other SentencePiece trainer option.

        Returns:
            The trained `Tokenizer`.

        Example:
            >>> tok = Tokenizer.train(["Returns the sum.", "Возвращает сумму."],
            ...                       vocab_size=400)
            >>> tok.decode(tok.encode("Возвращает сумму.", lang="ru"))
            'Возвращает сумму.'
        """
        langs = list(langs)
        texts = [t for t in texts if t]
        if not texts:
            raise SpecError("no text to train a tokenizer on", expected="at least one sentence")
        writer = io.BytesIO()
        settings = dict(
            vocab_size=vocab_size, hard_vocab_limit=False, model_type=model_type,
            character_coverage=character_coverage, byte_fallback=True,
            pad_id=PAD_ID, unk_id=UNK_ID, bos_id=BOS_ID, eos_id=EOS_ID,
            user_defined_symbols=[tag(lang) for lang in langs] + list(CONTROL_TOKENS),
            normalization_rule_name="identity", remove_extra_whitespaces=False,
            split_digits=True, num_threads=num_threads, minloglevel=2,
        )
        settings.update(options)
        spm.SentencePieceTrainer.train(sentence_iterator=iter(texts), model_writer=writer,
                                       **settings)
        return cls(writer.getvalue())

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Tokenizer":
        """Load a tokenizer written by `save`."""
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise SpecError("cannot read tokenizer", file=str(path), found=err.strerror) from None
        return cls(data, source=str(path))

    def save(self, path: str | os.PathLike) -> None:
        """Write the serialized model; the file appears whole or not at all."""
        write_atomic(path, self.model_proto)

    @property
    def vocab_size(self) -> int:
        return self.sp.get_piece_size()

    @property
    def langs(self) -> list[str]:
        """Languages with a tag, in id order."""
        return list(self.tag_ids)

    def lang_id(self, lang: str) -> int:
        """The id of a language's tag."""
        if lang not in self.tag_ids:
            raise SpecError(f"no language tag for {lang!r}", expected=", ".join(self.tag_ids),
                            found=lang, hint=did_you_mean(lang, self.tag_ids))
        return self.tag_ids[lang]

    def encode(self, text: str, lang: str | None = None, *, add_eos: bool = False) -> list[int]:
        """Token ids of a text.

        Args:
            text: the text; any Unicode, encoded losslessly.
            lang: when given, the language's tag is prepended (what the model reads first).
            add_eos: append ``</s>``, as decoder targets need.

        Returns:
            The ids.
        """
        ids = self.sp.encode(text)
        if lang is not None:
            ids = [self.lang_id(lang)] + ids
        if add_eos:
            ids.append(EOS_ID)
        return ids

    def decode(self, ids: Iterable[int], *, keep_tags: bool = False) -> str:
        """The text of token ids; pad, bos and eos are dropped, and language tags unless
        `keep_tags` (so ``decode(encode(s, lang)) == s``)."""
        skip = {PAD_ID, BOS_ID, EOS_ID} if keep_tags else self._skip
        return self.sp.decode([int(i) for i in ids if int(i) not in skip])

    def fertility(self, parallel: dict[str, list[str]]) -> FertilityReport:
        """Mean tokens per sentence for each language of a parallel corpus.

        Args:
            parallel: language -> sentences, the i-th sentence of every language meaning
                the same.

        Returns:
            A `FertilityReport`; its parity is max / min of the per-language means.
        """
        sizes = {lang: len(sents) for lang, sents in parallel.items()}
        if not sizes or len(set(sizes.values())) != 1 or 0 in sizes.values():
            raise SpecError("a parallel corpus needs the same, non-zero number of sentences "
                            "in every language", found=str(sizes))
        means = {lang: sum(len(self.sp.encode(s)) for s in sents) / len(sents)
                 for lang, sents in parallel.items()}
        return FertilityReport(means, max(means.values()) / min(means.values()))
