"""How fast `translate` renders, and how long verifying costs per language.

    python benchmarks/translate.py             # writes benchmarks/results/translate.md
    python benchmarks/translate.py --no-verify

A 100-behaviour spec is generated (records, an enum, constants, comprehensions,
conditionals, maps, options, string methods: a cycle of 20 body shapes, each with two
test cases). Measured in the same run:

- baseline: reading that spec (`parse_spec`: YAML, typed IR, type-checked bodies);
- rendering it to every code pack (no verify): the goal is under 1 s for all targets,
  and the ratio against reading says what rendering adds;
- verifying: one build and run of the generated tests per language whose toolchain is
  installed (the conformance-suite case: many behaviours, one compile), and the
  tree-sitter parse of every file.

Times are the fastest of `--repeat` runs (verification: one run).
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

from polyglot.codegen import code_pack_dirs, load_code_pack, project_problems, render_project, verify_project
from polyglot.codegen.verify import check_toolchain
from polyglot.errors import SpecError
from polyglot.spec.reader import parse_spec

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "translate.md"
GOAL_RENDER_ALL_S = 1.0

# (params, returns, implementation, two test cases as (input, expected))
SHAPES = [
    ("{a: Int, b: Int}", "Int", "a * b + {k} - a // (b + 1)", [("{a: 3, b: 4}", None), ("{a: -5, b: 2}", None)]),
    ("{xs: List<Int>}", "List<Int>", "[x * {k} for x in xs if x % 2 == 0]", [("{xs: [1, 2, 3, 4]}", None), ("{xs: []}", None)]),
    ("{items: List<Item>}", "Float", "sum(i.price * i.qty for i in items) + {k}.5", [("{items: [{name: a, price: 2.0, qty: 3}]}", None), ("{items: []}", None)]),
    ("{t: Tier}", "Float", "0.2 if t == Tier.gold else ({k}.0 if t == Tier.silver else 0.0)", [("{t: gold}", None), ("{t: basic}", None)]),
    ("{s: String}", "String", "s.strip().upper() + '{k}'", [("{s: ' hi '}", None), ("{s: ''}", None)]),
    ("{m: 'Map<String,Int>', k: String}", "Int", "m[k] + {k} if k in m else -1", [("{m: {a: 1}, k: a}", None), ("{m: {}, k: z}", None)]),
    ("{x: Int?}", "Int", "x + {k} if x is not None else 0", [("{x: 4}", None), ("{x: null}", None)]),
    ("{xs: List<Float>}", "Float", "max(xs) - min(xs) + {k}.0", [("{xs: [1.5, -2.0]}", None), ("{xs: [0.0]}", None)]),
    ("{n: Int}", "List<Int>", "range(n) + range({k}, n)", [("{n: 3}", None), ("{n: 0}", None)]),
    ("{s: String, sep: String}", "List<String>", "sorted(s.split(sep))", [("{s: 'b,a', sep: ','}", None), ("{s: 'x', sep: ','}", None)]),
    ("{a: Float, b: Float}", "Int", "round(a / b * {k})", [("{a: 1.0, b: 4.0}", None), ("{a: 3.0, b: 2.0}", None)]),
    ("{xs: List<String>}", "String", "', '.join(reversed(xs)) + str({k})", [("{xs: [a, b]}", None), ("{xs: []}", None)]),
    ("{p: Item, n: Int}", "Item", "Item(name=p.name, price=p.price * 2, qty=p.qty + n + {k})", [("{p: {name: a, price: 1.0, qty: 1}, n: 2}", None), ("{p: {name: b, price: 0.5, qty: 0}, n: 0}", None)]),
    ("{xs: List<Int>, i: Int}", "Int", "xs[i] + xs[-1] * {k}", [("{xs: [4, 5, 6], i: 0}", None), ("{xs: [1], i: -1}", None)]),
    ("{s: String}", "Int", "len(s) * {k} + s.find('a') + s.count('b')", [("{s: abcab}", None), ("{s: ''}", None)]),
    ("{rows: List<List<Int>>}", "List<Int>", "[sum(r) + {k} for r in rows if len(r) > 0]", [("{rows: [[1, 2], []]}", None), ("{rows: []}", None)]),
    ("{x: Int}", "Bool", "0 <= x < {k} and x != 3 or x == -1", [("{x: 2}", None), ("{x: 3}", None)]),
    ("{m: 'Map<String,Float>'}", "List<String>", "[k for k in sorted(m) if m[k] > {k}.0]", [("{m: {a: 100.0, b: -1.0}}", None), ("{m: {}}", None)]),
    ("{s: String, n: Int}", "String", "s[1:n] + s[:{k}] + str(n * 1.5)", [("{s: hello, n: 3}", None), ("{s: '', n: 0}", None)]),
    ("{xs: List<Bool>}", "Bool", "any(xs) and not all(xs) or len(xs) == {k}", [("{xs: [true, false]}", None), ("{xs: []}", None)]),
]


RAISES = object()


def generated_spec(behaviours: int = 100, outcomes: dict | None = None) -> str:
    """YAML of a spec with `behaviours` behaviours; `outcomes[(i, j)]` is case j's expected
    value as YAML text, or RAISES (without outcomes every case expects an error)."""
    lines = ["name: bench", "module: bench", "types:", "  Item:", "    fields: {name: String, price: Float, qty: Int}",
             "  Tier:", "    enum: [basic, silver, gold]", "constants:", "  LIMIT: 10", "behaviors:"]
    for i in range(behaviours):
        params, returns, body, cases = SHAPES[i % len(SHAPES)]
        lines += [f"  - name: behaviour_{i:03d}", f"    given: input number {i}", "    when: it is computed",
                  "    then: the result is returned", f"    params: {params}", f"    returns: {returns}",
                  f"    implementation: \"{body.replace('{k}', str(i % 7 + 1))}\"", "    test_cases:"]
        for j, (given, _) in enumerate(cases):
            outcome = RAISES if outcomes is None else outcomes[(i, j)]
            tail = "raises: true" if outcome is RAISES else f"expected: {outcome}"
            lines.append(f"      - {{name: case_{j}, input: {given}, {tail}}}")
    return "\n".join(lines) + "\n"


def outcomes_of(text: str) -> dict:
    """Each case's result on the reference evaluator, as YAML text (or RAISES)."""
    from polyglot.body.evaluate import EvalError, evaluate

    spec = parse_spec(text)
    constants = {c.name: c.value for c in spec.constants}
    out = {}
    for i, b in enumerate(spec.behaviors):
        for j, c in enumerate(b.tests):
            try:
                out[(i, j)] = _yaml(evaluate(b.body.expr, dict(c.inputs), constants))
            except EvalError:
                out[(i, j)] = RAISES
    return out


def _yaml(value) -> str:
    import json

    from polyglot.spec.ir import EnumValue, MapValue, RecordValue

    def plain(v):
        if isinstance(v, tuple):
            return [plain(x) for x in v]
        if isinstance(v, MapValue):
            return {str(k): plain(x) for k, x in v.entries}
        if isinstance(v, RecordValue):
            return {k: plain(x) for k, x in v.fields}
        if isinstance(v, EnumValue):
            return v.member
        return v

    return json.dumps(plain(value), ensure_ascii=False)


def fastest(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--behaviours", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    text = generated_spec(args.behaviours, outcomes_of(generated_spec(args.behaviours)))
    read_s, spec = fastest(lambda: parse_spec(text, "bench.vibee"), args.repeat)
    cases = sum(len(b.tests) for b in spec.behaviors)
    rows = []
    total_render = 0.0
    for name in code_pack_dirs():
        try:
            pack = load_code_pack(name)
            render_s, project = fastest(lambda: render_project(pack, [spec]), args.repeat)
        except SpecError as err:
            rows.append((name, None, None, None, f"cannot render: {err.message}"))
            continue
        total_render += render_s
        parse_s, problems = fastest(lambda: project_problems(pack, project), 1)
        verify = "not run"
        verify_s = None
        if not args.no_verify:
            try:
                check_toolchain(pack)
                report = verify_project(pack, project)
                verify_s = report.seconds
                verify = f"{report.passed}/{len(report.cases)} passed" + ("" if report.ok else f" [{report.stage}]")
            except SpecError as err:
                verify = f"toolchain missing ({err.hint})"
        rows.append((name, render_s, parse_s, verify_s, verify + (f"; {len(problems)} syntax problem(s)" if problems else "")))
        print(f"{name}: render {render_s * 1000:.1f} ms, parse {parse_s * 1000:.1f} ms, verify {verify}", file=sys.stderr)

    out = [
        "# translate: rendering and verification time",
        "",
        f"Spec: {len(spec.behaviors)} generated behaviours ({len(SHAPES)} body shapes cycled), {cases} test cases, "
        f"{len(text.splitlines())} lines of YAML. Produced by `benchmarks/translate.py` on "
        f"{platform.machine()} / Python {platform.python_version()}; times are the fastest of {args.repeat} runs "
        "(verify: one run, one build of the whole spec).",
        "",
        f"Baseline: reading the spec (`parse_spec`: YAML, IR, type-checked bodies) takes **{read_s * 1000:.1f} ms**.",
        "",
        f"Rendering to all {len([r for r in rows if r[1] is not None])} packs takes **{total_render * 1000:.1f} ms** "
        f"({total_render / read_s:.2f}x reading; goal < {GOAL_RENDER_ALL_S:.0f} s: "
        f"{'met' if total_render < GOAL_RENDER_ALL_S else 'NOT met'}).",
        "",
        "| language | render (ms) | render / read | tree-sitter parse (ms) | verify (s) | verify / read | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, render_s, parse_s, verify_s, note in rows:
        if render_s is None:
            out.append(f"| {name} | - | - | - | - | - | {note} |")
            continue
        v = f"{verify_s:.2f}" if verify_s is not None else "-"
        vr = f"{verify_s / read_s:.0f}x" if verify_s is not None else "-"
        out.append(f"| {name} | {render_s * 1000:.1f} | {render_s / read_s:.2f}x | {parse_s * 1000:.1f} | {v} | {vr} | {note} |")
    report = "\n".join(out) + "\n"
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    return 0 if total_render < GOAL_RENDER_ALL_S else 1


if __name__ == "__main__":
    sys.exit(main())
