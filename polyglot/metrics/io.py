"""Reading hypotheses and references: text files, folders, or JSONL.

Three layouts, one per way people keep system outputs:

* a text file: one segment per line, matched with the other side by line number;
* a folder: every file (recursively, hidden ones skipped) is one segment, matched with
  the other side by its relative path -- generated source files, one per problem --
  and ordered by that path;
* a ``.jsonl`` file: ``{"id": ..., "hyp": ...}`` (``"ref"`` on the reference side, or
  ``"text"`` on either), matched by id.

Folders and JSONL can be matched with each other (ids are relative paths); a text file
only with a text file. Every bad input is a `SpecError` naming the file and line.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from polyglot.errors import SpecError

# Which JSONL field holds the text, per side.
TEXT_FIELDS = {"hyp": ("hyp", "text"), "ref": ("ref", "text")}
# How many missing ids an error lists before "... and N more".
MAX_LISTED = 10


@dataclass(frozen=True)
class Segments:
    """The segments of one input, in reading order.

    Args:
        source: the path as given.
        keyed: True when segments are matched by id (folder, JSONL), False by line.
        ids: segment ids: line numbers (``"1"``...), relative paths, or JSONL ids.
        texts: the segments.
        lines: the line each segment starts on in ``source`` (1 for a folder's files).
    """

    source: str
    keyed: bool
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Corpus:
    """Hypotheses and aligned reference streams, ready for `Metric.corpus_score`."""

    ids: tuple[str, ...]
    hypotheses: list[str]
    references: list[list[str]]


def read_segments(path: str | os.PathLike, side: str = "hyp") -> Segments:
    """Read one input; the layout follows the path (folder, ``*.jsonl``, else text lines).

    Args:
        path: a text file, a folder, or a ``.jsonl`` file.
        side: ``"hyp"`` or ``"ref"``: which JSONL field holds the text.

    Returns:
        The `Segments`.

    Raises:
        SpecError: missing, unreadable, binary, non-UTF-8 or empty input; bad JSONL.
    """
    source = str(path)
    p = Path(path)
    if p.is_dir():
        return _read_folder(p, source)
    if p.suffix.lower() == ".jsonl":
        return _read_jsonl(source, TEXT_FIELDS[side])
    return _read_lines(source)


def read_corpus(hyp_path: str | os.PathLike, ref_paths: list[str] | list[os.PathLike]) -> Corpus:
    """Read hypotheses and one or more references and align them segment by segment.

    Args:
        hyp_path: the hypotheses.
        ref_paths: one path per reference set.

    Returns:
        A `Corpus` whose ``references[k][i]`` is the k-th reference of segment ``i``.

    Raises:
        SpecError: a bad input, or segments present on one side only.
    """
    if not ref_paths:
        raise SpecError("no references given", expected="at least one reference file or folder")
    hyps = read_segments(hyp_path, "hyp")
    streams = [_align(hyps, read_segments(path, "ref")) for path in ref_paths]
    return Corpus(hyps.ids, list(hyps.texts), streams)


def _align(hyps: Segments, refs: Segments) -> list[str]:
    """The reference texts in the hypotheses' order, or a located error."""
    if hyps.keyed != refs.keyed:
        by = {True: "matched by id (folder or JSONL)", False: "matched by line (text file)"}
        raise SpecError(f"cannot match references {by[refs.keyed]} with hypotheses "
                        f"{by[hyps.keyed]} in {hyps.source}", file=refs.source,
                        hint="give both sides in the same layout")
    if not refs.keyed:
        if len(refs.texts) == len(hyps.texts):
            return list(refs.texts)
        longer, shorter = (hyps, refs) if len(hyps.texts) > len(refs.texts) else (refs, hyps)
        n = len(shorter.texts)
        role = "hypothesis" if longer is hyps else "reference"
        raise SpecError(f"{role} line {n + 1} has no counterpart: {longer.source} has "
                        f"{len(longer.texts)} lines, {shorter.source} has {n}",
                        file=longer.source, line=longer.lines[n],
                        hint="a text file is one segment per line; for code, give folders "
                             "with one file per segment, or .jsonl")
    ref_by_id = dict(zip(refs.ids, refs.texts))
    no_ref = [i for i in hyps.ids if i not in ref_by_id]
    hyp_ids = set(hyps.ids)
    no_hyp = [i for i in refs.ids if i not in hyp_ids]
    if no_ref:
        raise SpecError(f"{len(no_ref)} hypothesis segment(s) have no reference in "
                        f"{refs.source}: {_listing(no_ref)}", file=hyps.source)
    if no_hyp:
        raise SpecError(f"{len(no_hyp)} reference segment(s) have no hypothesis in "
                        f"{hyps.source}: {_listing(no_hyp)}", file=refs.source)
    return [ref_by_id[i] for i in hyps.ids]


def _listing(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_LISTED])
    return shown + (f" ... and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else "")


def _read_text(path: Path, source: str) -> str:
    """A file's UTF-8 text (BOM dropped), or a located error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SpecError("no such file or folder", file=source) from None
    except OSError as err:
        raise SpecError(f"cannot read: {err.strerror or err}", file=source) from None
    nul = data.find(b"\0")
    if nul >= 0:
        raise SpecError("binary file (contains a NUL byte), not text", file=source,
                        line=data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise SpecError(f"not UTF-8 text: invalid byte 0x{data[err.start]:02x}", file=source,
                        line=line, column=column) from None


def _split_lines(text: str) -> list[str]:
    """Lines split on ``\\n`` only (as sacrebleu reads them), ``\\r\\n`` tolerated."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _read_lines(source: str) -> Segments:
    text = _read_text(Path(source), source)
    lines = _split_lines(text)
    if not lines:
        raise SpecError("empty input: no segments", file=source,
                        expected="one segment per line")
    numbers = tuple(range(1, len(lines) + 1))
    return Segments(source, False, tuple(map(str, numbers)), tuple(lines), numbers)


def _read_folder(folder: Path, source: str) -> Segments:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [Path(root) / n for n in names if not n.startswith(".")]
    if not files:
        raise SpecError("empty input: the folder has no files", file=source,
                        expected="one file per segment")
    by_id = sorted((f.relative_to(folder).as_posix(), f) for f in files)
    ids = tuple(i for i, _ in by_id)
    texts = tuple(_read_text(f, str(f)) for _, f in by_id)
    return Segments(source, True, ids, texts, (1,) * len(files))


def _read_jsonl(source: str, fields: tuple[str, ...]) -> Segments:
    ids: list[str] = []
    texts: list[str] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_split_lines(_read_text(Path(source), source)), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise SpecError(f"invalid JSON: {err.msg}", file=source, line=number,
                            column=err.colno) from None
        if not isinstance(record, dict):
            raise SpecError("a JSONL line must be an object", file=source, line=number,
                            expected='{"id": ..., "' + fields[0] + '": ...}',
                            found=type(record).__name__)
        key = record.get("id")
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise SpecError("missing or invalid `id`", file=source, line=number,
                            expected="a string or an integer",
                            found=None if key is None else json.dumps(key))
        key = str(key)
        if key in seen:
            raise SpecError(f"duplicate id `{key}` (first on line {seen[key]})",
                            file=source, line=number)
        field_name = next((f for f in fields if f in record), None)
        if field_name is None:
            raise SpecError("no text field", file=source, line=number,
                            expected=" or ".join(f"`{f}`" for f in fields))
        if not isinstance(record[field_name], str):
            raise SpecError(f"`{field_name}` must be a string", file=source, line=number,
                            found=type(record[field_name]).__name__)
        seen[key] = number
        ids.append(key)
        texts.append(record[field_name])
        lines.append(number)
    if not ids:
        raise SpecError("empty input: no JSONL records", file=source)
    return Segments(source, True, tuple(ids), tuple(texts), tuple(lines))
