"""CodeBLEU speed: polyglot's compat mode against the `codebleu` 0.7.0 package, same pairs, same run.

    python benchmarks/codebleu_speed.py              # python, java and c; 5 rounds
    python benchmarks/codebleu_speed.py --rounds 9 --languages python,go

Both score the 360 (hypothesis, reference) pairs of `codebleu_compat.py` one pair at a
time (``sentence_score`` / ``calc_codebleu`` per pair; each reference is paired with 12
hypotheses). The runs alternate -- the baseline, then ours, round after round -- and
each side keeps its fastest round, so load from other processes hits both alike. Every
round of ours starts from a fresh metric: nothing analysed in one round is reused in
the next. Also printed: how many times faster than the baseline ours would be if it did
nothing but tree-sitter's own work (parsing each distinct text, and the query search
where the engine cannot match the query during its own scan) -- the ceiling of any
implementation built on these parses.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from codebleu_compat import (  # noqa: E402  (a sibling script, not a package)
    BENCHMARKED, COMPONENTS, GOAL_SPEEDUP, alternate, baseline_python, build_corpus, run_baseline,
    run_ours, tree_sitter_floor,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "polyglot-codebleu-0.7.0",
                        help="the baseline's virtual environment (created if missing)")
    parser.add_argument("--languages", default=",".join(BENCHMARKED),
                        help="comma-separated languages with programs under the fixtures folder")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating rounds; the fastest of each side counts")
    args = parser.parse_args()
    corpus = build_corpus(args.languages.split(","))
    python = baseline_python(args.venv)
    best = alternate(args.rounds, {"theirs": lambda: run_baseline(python, corpus),
                                   "ours": lambda: run_ours(corpus, "compat"),
                                   "floor": lambda: tree_sitter_floor(corpus)})
    theirs, ours = best["theirs"], best["ours"]
    floor = {lang: r["time"] for lang, r in best["floor"].items()}

    print(f"CodeBLEU compat vs codebleu 0.7.0: {sum(map(len, corpus.values()))} pairs, one at a time, "
          f"fastest of {args.rounds} alternating rounds\n")
    print(f"{'language':10} {'pairs':>5} {'codebleu (s)':>12} {'ours (s)':>9} {'ratio':>7} "
          f"{'tree-sitter only (s)':>20} {'ceiling':>8} {'max |diff|':>10}")
    worst = 0.0
    for lang, pairs in corpus.items():
        t, o = theirs[lang], ours[lang]
        diff = max(abs(a[c] - b[c]) for a, b in zip(o["pairs"], t["pairs"]) for c in COMPONENTS)
        worst = max(worst, diff)
        print(f"{lang:10} {len(pairs):5} {t['pair_time']:12.3f} {o['pair_time']:9.3f} "
              f"{t['pair_time'] / o['pair_time']:6.1f}x {floor[lang]:20.3f} "
              f"{t['pair_time'] / floor[lang]:7.1f}x {diff:10.6f}")
    total_t = sum(r["pair_time"] for r in theirs.values())
    total_o = sum(r["pair_time"] for r in ours.values())
    total_f = sum(floor.values())
    ratio = total_t / total_o
    print(f"{'all':10} {sum(map(len, corpus.values())):5} {total_t:12.3f} {total_o:9.3f} {ratio:6.1f}x "
          f"{total_f:20.3f} {total_t / total_f:7.1f}x {worst:10.6f}")
    print(f"\nspeed: {ratio:.1f}x codebleu 0.7.0 (goal {GOAL_SPEEDUP:.0f}x: "
          f"{'met' if ratio >= GOAL_SPEEDUP else 'NOT met'}); "
          f"agreement: largest difference of any component on any pair {worst:.6f}")
    return 0 if worst == 0.0 else 1


if __name__ == "__main__":
    sys.exit(main())
