"""How long reading + checking 1,000 generated specs takes, against plain YAML parsing.

Baseline: `yaml.load` of the same texts with PyYAML's libyaml-backed CSafeLoader -- the
parser our reader also uses -- measured in the same run. The ratio says what the located, typed,
checked reading costs on top of parsing.

    python benchmarks/spec_read.py [--n 1000] [--out benchmarks/results/spec_read.md]
"""
from __future__ import annotations

import argparse
import platform
import random
import time
from datetime import date
from pathlib import Path

import yaml

from polyglot.spec.reader import parse_spec
from polyglot.spec.run import run_spec

BODIES = [
    ("Float", "sum(i.price * i.qty for i in items)", "{items: [{name: a, price: 2.0, qty: 3}]}", "6.0"),
    ("Int", "len([i for i in items if i.qty > LIMIT])", "{items: [{name: a, price: 1.0, qty: 9}]}", "0"),
    ("List<String>", "sorted([i.name.upper() for i in items])", "{items: [{name: b, price: 1.0, qty: 1}]}", "[B]"),
    ("Bool", "any(i.price > 1.5 for i in items)", "{items: [{name: a, price: 2.0, qty: 1}]}", "true"),
]


def make_spec(i: int, rng: random.Random) -> str:
    lines = [f"name: spec_{i}", 'version: "1.0"', "constants: {LIMIT: 10}", "types:",
             "  Item: {fields: {name: String, price: Float, qty: Int}}", "behaviors:"]
    for j in range(rng.randint(3, 8)):
        returns, body, given, expected = rng.choice(BODIES)
        lines += [f"  - name: b{j}", "    given: a list of items", "    when: asked", "    then: answers",
                  "    params: {items: List<Item>}", f"    returns: {returns}",
                  f'    implementation: "{body}"', "    test_cases:",
                  f"      - {{name: c{j}, input: {given}, expected: {expected}}}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "spec_read.md"))
    args = ap.parse_args()
    rng = random.Random(0)
    texts = [make_spec(i, rng) for i in range(args.n)]
    behaviours = sum(t.count("  - name:") for t in texts)

    start = time.perf_counter()
    for t in texts:
        yaml.load(t, Loader=yaml.CSafeLoader)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    specs = [parse_spec(t, file=f"spec_{i}.vibee") for i, t in enumerate(texts)]
    read = time.perf_counter() - start

    start = time.perf_counter()
    results = [r for s in specs for r in run_spec(s)]
    run = time.perf_counter() - start
    assert all(r.status == "passed" for r in results), [r for r in results if r.status != "passed"][:3]

    rows = [
        ("yaml.load, CSafeLoader (baseline)", baseline, 1.0),
        ("read + type-check (polyglot)", read, read / baseline),
        ("run test cases (evaluator)", run, run / baseline),
        ("read + check + run", read + run, (read + run) / baseline),
    ]
    table = ["| step | seconds | x baseline |", "|---|---|---|"]
    table += [f"| {name} | {secs:.3f} | {ratio:.2f} |" for name, secs, ratio in rows]
    text = (f"# Reading specs\n\n{args.n} generated specs, {behaviours} behaviours, {len(results)} test cases; "
            f"{date.today()}, Python {platform.python_version()}, {platform.machine()}.\n\n"
            + "\n".join(table) + "\n")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
