"""How fast `polyglot data synth` makes data, against only checking and running its bodies.

Baseline: `check_body` + `evaluate` on every body the run produced (originals and
augmented variants) with each of its kept test cases -- the work any generator of checked
data must do at least once per record -- measured in the same run on the same records. The
ratio says what sampling (with its dropped draws and the 8 inputs tried per body),
augmentation and describing in every language cost on top.

    python benchmarks/data_synth.py [--n 2000] [--langs all] [--out benchmarks/results/data_synth.md]
"""
from __future__ import annotations

import argparse
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

from polyglot.body.check import BodyContext, check_body
from polyglot.body.evaluate import EvalError, evaluate
from polyglot.data.dataset import SPLITS, record_spec, resolve_languages, synthesize, write_dataset


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--langs", default="all")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "data_synth.md"))
    args = ap.parse_args()
    langs = resolve_languages(args.langs)

    start = time.perf_counter()
    data = synthesize(args.n, langs, seed=args.seed)
    synth = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_dataset(data, tmp, force=True)
        write = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())

    # The baseline's inputs, read back into IR outside the clock.
    records = [r for s in SPLITS for r in data.splits[s]]
    jobs = []
    for r in records:
        spec = record_spec(r)
        behavior = spec.behaviors[0]
        jobs.append((behavior.body.source, spec, behavior, [dict(c.inputs) for c in behavior.tests]))
    cases = sum(len(inputs) for *_, inputs in jobs)
    start = time.perf_counter()
    for source, spec, behavior, inputs in jobs:
        context = BodyContext(behavior.params, spec.records, spec.enums, spec.constants)
        expr = check_body(source, context, behavior.returns)
        constants = {c.name: c.value for c in spec.constants}
        for env in inputs:
            try:
                evaluate(expr, env, constants)
            except EvalError:
                pass
    baseline = time.perf_counter() - start

    rate = args.n / (synth + write)
    rows = [
        ("check + evaluate the same bodies (baseline)", baseline, 1.0),
        ("synthesize: sample, augment, describe, split", synth, synth / baseline),
        ("write the files", write, write / baseline),
        ("polyglot data synth in all", synth + write, (synth + write) / baseline),
    ]
    table = ["| step | seconds | x baseline |", "|---|---|---|"]
    table += [f"| {name} | {secs:.3f} | {ratio:.2f} |" for name, secs, ratio in rows]
    text = (f"# Synthetic data\n\n{args.n} samples (+{len(records) - args.n} augmented) described in "
            f"{len(langs)} languages: {len(records)} records, {cases} test cases, {size / 2**20:.1f} MiB "
            f"written; {date.today()}, Python {platform.python_version()}, {platform.machine()}.\n\n"
            + "\n".join(table)
            + f"\n\n**{rate:.0f} samples/s** ({rate * len(langs):.0f} descriptions/s counting each "
              f"language); the baseline alone runs at {args.n / baseline:.0f} samples/s.\n")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
