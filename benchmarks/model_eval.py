"""Evaluate a words -> body model: held-out exact match and pass@1 per human language,
and words-only `translate` on hand-written specs.

    python benchmarks/model_eval.py --model out/train-gpu --test out/data/gpu/test.jsonl \\
        [--limit 200] [--device cuda] [--out benchmarks/results/model-v1-eval.md]

Words-only: every spec under --words-only (default: `examples/` and the held-out
`benchmarks/words_only/`, written by hand and never used to shape the data) with its
implementations removed; a behaviour counts when the body the model proposes type-checks
and passes the behaviour's test cases.

Exact match: the greedy body equals the reference text. pass@1: the greedy body parses,
type-checks against the signature and passes every test case of the record on the
reference evaluator (a different but equivalent body counts). Baseline, same run: the
share of records whose reference body is the most frequent body of the training split
("always answer the commonest body"), which is what a model that ignores the words gets.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import gzip
import json
import time
from pathlib import Path

import torch

from polyglot.body.check import BodyContext, BodyError, check_body
from polyglot.data.dataset import record_spec
from polyglot.nmt.decode import greedy
from polyglot.nmt.propose import fill_bodies, in_vocabulary, load_bundle, source_for
from polyglot.nmt.tokenizer import BODY, PAD_ID, tag
from polyglot.spec.ir import Body
from polyglot.spec.reader import read_spec
from polyglot.spec.run import run_case

ROOT = Path(__file__).resolve().parent.parent


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return records[:limit] if limit else records


def passes(spec, behavior, text: str) -> bool:
    try:
        expr = check_body(text, BodyContext(behavior.params, spec.records, spec.enums, spec.constants),
                          behavior.returns)
    except BodyError:
        return False
    trial = dataclasses.replace(behavior, body=Body(text, expr))
    return all(run_case(spec, trial, case).status == "passed" for case in behavior.tests)


@torch.no_grad()
def evaluate(model, tokenizer, records: list[dict], device: str, batch: int = 128) -> dict[str, dict]:
    """Per language: exact-match and pass@1 counts over `records`."""
    langs = sorted({lang for r in records for lang in r["words"]})
    table = {}
    allowed = in_vocabulary(model, tokenizer)
    for lang in langs:
        items = [r for r in records if lang in r["words"]]
        specs = [dataclasses.replace(record_spec(r, lang), locale=lang) for r in items]
        texts: list[str] = []
        for start in range(0, len(items), batch):
            chunk = specs[start:start + batch]
            lines = [source_for(s.behaviors[0], s, lang).removeprefix(tag(lang)).removeprefix(" ") for s in chunk]
            ids = [tokenizer.encode(line, lang=lang)[:model.config.max_len] for line in lines]
            width = max(map(len, ids))
            src = torch.tensor([x + [PAD_ID] * (width - len(x)) for x in ids], device=device)
            out = greedy(model, src, max_len=min(128, model.config.max_len - 1), start=[tokenizer.lang_id(BODY)],
                         constraint=allowed)
            texts += [tokenizer.decode(o).strip() for o in out]
        exact = sum(t == r["body"] for t, r in zip(texts, items))
        ok = sum(passes(s, s.behaviors[0], t) for s, t in zip(specs, texts))
        table[lang] = {"n": len(items), "exact": exact, "pass1": ok}
    return table


def words_only(model, tokenizer, folders: list[Path], k: int = 16) -> list[dict]:
    """Each spec with its implementations removed: can the model write them back?"""
    rows = []
    for path in sorted(p for folder in folders for p in folder.resolve().glob("*.vibee")):
        spec = read_spec(path, on_warning=lambda w: None)
        blank = dataclasses.replace(spec, behaviors=tuple(dataclasses.replace(b, body=None) for b in spec.behaviors))
        filled, proposals = fill_bodies(blank, model, tokenizer, k=k, method="sample", seed=0)
        for p in proposals:
            reference = next((b.body.source for b in spec.behaviors if b.name == p.behavior and b.body), None)
            rows.append({"example": str(path.relative_to(ROOT)), "locale": spec.locale, "behavior": p.behavior, "reference": reference,
                         "found": p.body.source if p.body else None,
                         "candidates": len(p.candidates),
                         "well_typed": sum(not c.verdict.startswith("bad body") for c in p.candidates)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--train", default=None, help="training split, for the commonest-body baseline")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--words-only", nargs="*", type=Path,
                    default=[ROOT / "examples", ROOT / "benchmarks" / "words_only"],
                    help="folders of hand-written specs to blank and fill")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "model-eval.md"))
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    model, tokenizer = load_bundle(args.model, device=args.device)
    records = read_jsonl(Path(args.test), args.limit)
    start = time.perf_counter()
    table = evaluate(model, tokenizer, records, args.device)
    seconds = time.perf_counter() - start
    baseline = None
    if args.train:
        common, _ = collections.Counter(r["body"] for r in read_jsonl(Path(args.train))).most_common(1)[0]
        baseline = sum(r["body"] == common for r in records) / len(records)
    examples = words_only(model, tokenizer, [f for f in args.words_only if f.is_dir()])
    n = sum(row["n"] for row in table.values())
    lines = [f"Held-out records: {len(records)} ({args.test}), greedy decoding, {args.device}, "
             f"{seconds:.1f} s. Parameters: {sum(p.numel() for p in model.parameters()) / 1e6:.2f}M.", "",
             "| language | records | exact match | pass@1 |", "|---|---|---|---|"]
    lines += [f"| {lang} | {row['n']} | {row['exact'] / row['n']:.1%} | {row['pass1'] / row['n']:.1%} |"
              for lang, row in table.items()]
    lines.append(f"| all | {n} | {sum(r['exact'] for r in table.values()) / n:.1%} | "
                 f"{sum(r['pass1'] for r in table.values()) / n:.1%} |")
    if baseline is not None:
        lines += ["", f"Baseline (the commonest training body, whatever the words): exact match {baseline:.1%}."]
    by_folder = collections.defaultdict(lambda: [0, 0])
    for r in examples:
        by_folder[str(Path(r["example"]).parent)][0] += r["found"] is not None
        by_folder[str(Path(r["example"]).parent)][1] += 1
    lines += ["", "Words-only translate (implementations removed; 16 sampled candidates; "
              "a body counts only when it type-checks and passes the behaviour's cases): "
              + ", ".join(f"`{folder}/` {ok}/{n}" for folder, (ok, n) in by_folder.items()), "",
              "| example | behaviour | reference | model's body | well-typed candidates |", "|---|---|---|---|---|"]
    lines += [f"| {r['example']} | {r['behavior']} | {'`' + r['reference'] + '`' if r['reference'] else '(words only)'} | "
              f"{'`' + r['found'] + '`' if r['found'] else 'none passed'} | {r['well_typed']}/{r['candidates']} |"
              for r in examples]
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps({"table": table, "examples": examples, "baseline": baseline}, indent=2))
    print(text)


if __name__ == "__main__":
    main()
