"""Back-translation: write words for lifted bodies, keep only words that lead back to them.

A model trained with ``[data] reverse = true`` also reads a body (``<body> body``) and
writes its source line in a chosen language (``<lang> given ... | then ... | sig: ...``).
For every record and language it samples `k` such descriptions; each description's
`given`/`when`/`then` go into the record's spec, the forward direction proposes bodies for
it (`polyglot.nmt.propose.propose`), and the description is kept only if some proposed
body passes every test case of the record on the reference evaluator. A description that
reads back to the wrong behaviour is noise the model would learn from; this filter is
what makes the words trustworthy without a person reading them.

The signature segments the model writes (``sig:``, ``types:``, ``consts:``) are not kept:
the record's own signature is the truth.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import torch

from polyglot.data.dataset import SEGMENT_SEPARATOR, record_spec
from polyglot.errors import SpecError
from polyglot.nmt.decode import sample
from polyglot.nmt.model import NMT
from polyglot.nmt.propose import SHIPPED, in_vocabulary, propose
from polyglot.nmt.tokenizer import BODY, Tokenizer

WORD_LABELS = ("given", "when", "then")
CONFIG_FILE = "config.json"  # what `polyglot train` writes next to the model
#: The first record's greedy description must hold this segment for a model without a
#: config.json to count as trained in the reverse direction.
SIGNATURE_LABEL = "sig:"
RECORD_KEYS = ("id", "name", "params", "returns", "body", "tests")


@dataclass(frozen=True)
class Settings:
    """How descriptions are drawn and read back.

    Args:
        k: descriptions sampled per record and language.
        k_forward: bodies proposed per description.
        temperature, top_p: sampling settings of both directions.
        seed: everything random follows from it.
        max_len: longest description in tokens.
    """

    k: int = 4
    k_forward: int = 4
    temperature: float = 0.8
    top_p: float = 0.95
    seed: int = 0
    max_len: int = 128


@dataclass
class Outcome:
    """Backtranslate's result: records with kept words, and counts per language."""

    records: list[dict[str, Any]] = field(default_factory=list)
    per_language: dict[str, dict[str, int]] = field(default_factory=dict)
    records_in: int = 0

    @property
    def stats(self) -> dict[str, Any]:
        tried = sum(s["tried"] for s in self.per_language.values())
        kept = sum(s["kept"] for s in self.per_language.values())
        return {"records_in": self.records_in, "records_out": len(self.records), "tried": tried, "kept": kept,
                "per_language": self.per_language}


#: a segment's label and its words; a model may write the label as `given,` or `then:`
LABELLED = re.compile(r"\s*(\w+)\s*[,:;]?\s+(.*)", re.DOTALL)


def parse_description(text: str) -> dict[str, str] | None:
    """The `given`/`when`/`then` words of a source line the reverse model wrote.

    Segments are split at `` | `` and read by their label; the signature segments are
    dropped. Returns None when no words segment is there.

    Example:
        >>> parse_description("then returns x times 2 | sig: double(x: Int) -> Int")
        {'given': '', 'when': '', 'then': 'returns x times 2'}
    """
    words = dict.fromkeys(WORD_LABELS, "")
    for segment in text.split(SEGMENT_SEPARATOR.strip()):
        found = LABELLED.match(segment)
        if found and found[1] in words and found[2].strip() and not words[found[1]]:
            words[found[1]] = " ".join(found[2].split())
    return words if any(words.values()) else None


def model_folder(path: str | os.PathLike[str]) -> Path:
    """A model folder as `load_bundle` finds it (a path, or a shipped model's name)."""
    folder = Path(path)
    if not folder.exists() and (SHIPPED / str(path)).is_dir():
        folder = SHIPPED / str(path)
    return folder


def trained_reverse(folder: Path) -> bool | None:
    """Whether the run's ``config.json`` says ``data.reverse``; None without one."""
    config = folder / CONFIG_FILE
    if not config.is_file():
        return None
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        return bool(data["data"]["reverse"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SpecError(f"cannot read the training config: {err}", file=str(config)) from None


def refuse_forward_only(folder: Path, how: str) -> SpecError:
    return SpecError(f"the model was trained without the reverse direction ({how}); "
                     "it cannot describe bodies", file=str(folder),
                     hint="train one with `[data] reverse = true`; see docs/training.md")


def _seed(settings: Settings, *parts: str) -> int:
    return zlib.crc32("|".join([str(settings.seed), *parts]).encode("utf-8"))


@torch.no_grad()
def describe(model: NMT, tokenizer: Tokenizer, body: str, lang: str, *, k: int, seed: int,
             temperature: float = 0.8, top_p: float = 0.95, max_len: int = 128,
             greedy: bool = False) -> list[str]:
    """Body -> words: `k` sampled source lines in `lang` (unique, in the order drawn).

    The source is encoded as training encodes a reverse pair (``<body> body``, no eos)
    and the decoder starts from the language's tag.
    """
    device = next(model.parameters()).device
    limit = model.config.max_len
    src = torch.tensor([tokenizer.encode(body, lang=BODY)[:limit]], device=device)
    start = [tokenizer.lang_id(lang)]
    drawn = sample(model, src.expand(1 if greedy else k, -1), max_len=min(max_len, limit - 1),
                   temperature=temperature, top_p=top_p, top_k=1 if greedy else None, seed=seed,
                   start=start, constraint=in_vocabulary(model, tokenizer))
    return [t for t in dict.fromkeys(tokenizer.decode(ids).strip() for ids in drawn) if t]


def round_trips(record: Mapping[str, Any], lang: str, words: Mapping[str, str], model: NMT,
                tokenizer: Tokenizer, settings: Settings, seed: int) -> bool:
    """Whether the forward direction, reading `words`, proposes a body that passes all of
    the record's test cases (checked and run by `propose` on the reference evaluator)."""
    spec = record_spec({**record, "words": {lang: dict(words)}}, lang)
    spec = dataclasses.replace(spec, locale=lang)
    behavior = dataclasses.replace(spec.behaviors[0], body=None)
    proposal = propose(behavior, spec, model, tokenizer, k=settings.k_forward, method="sample",
                       temperature=settings.temperature, top_p=settings.top_p, seed=seed,
                       max_len=settings.max_len)
    return proposal.body is not None


def check_record(record: Any, where: str) -> None:
    """A located error for a line that is not a lifted record."""
    missing = [k for k in RECORD_KEYS if not isinstance(record, dict) or k not in record]
    if missing:
        raise SpecError("not a lifted record", file=where, expected="keys " + ", ".join(RECORD_KEYS),
                        found="missing " + ", ".join(missing))


def read_lifted(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The records of a ``polyglot data lift`` file; a bad line is a located `SpecError`."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"cannot read records: {getattr(err, 'strerror', None) or err}", file=str(path)) from None
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as err:
            raise SpecError(f"not JSON: {err}", file=str(path), line=number) from None
        check_record(record, f"{path}:{number}")
        records.append(record)
    return records


def backtranslate(records: Sequence[Mapping[str, Any]], model: NMT, tokenizer: Tokenizer,
                  langs: Sequence[str], settings: Settings = Settings(), *, folder: Path | None = None,
                  progress: bool = False) -> Outcome:
    """Describe every record in every language; keep the descriptions that round-trip.

    Args:
        records: lifted records (`polyglot.data.lift`), words empty or not.
        model, tokenizer: a model trained with ``[data] reverse = true``.
        langs: human languages to describe in; each needs a tag in the tokenizer.
        settings: sampling settings and seed.
        folder: the model's folder: its ``config.json`` says whether it was trained in
            the reverse direction; without one, the first record's greedy description
            must hold a ``sig:`` segment.
        progress: a tqdm bar on stderr.

    Returns:
        The `Outcome`: records that kept words in at least one language, the first kept
        description per language in ``words``; per language, records tried and kept,
        descriptions drawn and unreadable.

    Raises:
        SpecError: a model trained without the reverse direction; a language the
            tokenizer has no tag for.
    """
    from tqdm import tqdm

    for lang in langs:
        tokenizer.lang_id(lang)  # a SpecError naming the language, before any work
    reverse = trained_reverse(folder) if folder is not None else None
    if reverse is False:
        raise refuse_forward_only(folder, f"{CONFIG_FILE}: data.reverse = false")  # type: ignore[arg-type]
    if reverse is None and records:
        probe = describe(model, tokenizer, records[0]["body"], langs[0], k=1, seed=0,
                         max_len=settings.max_len, greedy=True)
        if not any(SIGNATURE_LABEL in text for text in probe):
            raise refuse_forward_only(folder or Path("."), f"its description of a body has no `{SIGNATURE_LABEL}` "
                                      f"segment: {(probe or [''])[0][:60]!r}")
    outcome = Outcome(records_in=len(records),
                      per_language={lang: {"tried": 0, "kept": 0, "descriptions": 0, "unreadable": 0}
                                    for lang in langs})
    for record in tqdm(records, desc="backtranslate", unit="record", disable=not progress):
        words: dict[str, dict[str, str]] = {}
        for lang in langs:
            stats = outcome.per_language[lang]
            stats["tried"] += 1
            seed = _seed(settings, str(record["id"]), lang)
            texts = describe(model, tokenizer, record["body"], lang, k=settings.k, seed=seed,
                             temperature=settings.temperature, top_p=settings.top_p, max_len=settings.max_len)
            stats["descriptions"] += len(texts)
            for i, text in enumerate(texts):
                parsed = parse_description(text)
                if parsed is None:
                    stats["unreadable"] += 1
                    continue
                if round_trips(record, lang, parsed, model, tokenizer, settings, seed + i + 1):
                    words[lang] = parsed
                    stats["kept"] += 1
                    break
        if words:
            outcome.records.append({**record, "words": {**record.get("words", {}), **words}})
    return outcome


def load_model(path: str | os.PathLike[str], device: str = "cpu") -> tuple[NMT, Tokenizer, Path]:
    """`load_bundle`, plus the folder it was read from (for its ``config.json``)."""
    from polyglot.nmt.propose import load_bundle

    folder = model_folder(path)
    model, tokenizer = load_bundle(folder, device=device)
    return model, tokenizer, folder


__all__ = ["Outcome", "Settings", "backtranslate", "describe", "load_model", "parse_description",
           "read_lifted", "round_trips", "trained_reverse"]
