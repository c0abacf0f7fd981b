"""The CPython set-order emulation behind compat mode."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from polyglot.metrics.codebleu.pyset import set_order, str_hash

WORDS = ["total", "a", "b", "xs", "i", "sum_even", "déjà", "变量", "", "self", "x1", "x2",
         "values", "n", "mid", "lo", "hi", "target", "items", "count", "word", "k", "p", "q"]


def test_str_hash_matches_cpython_with_seed_zero():
    code = "import json,sys; print(json.dumps([hash(w) for w in json.loads(sys.argv[1])]))"
    out = subprocess.run([sys.executable, "-c", code, json.dumps(WORDS)], capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"}).stdout
    expected = [h & 0xFFFFFFFFFFFFFFFF for h in json.loads(out)]
    assert [str_hash(w) for w in WORDS] == expected


def test_set_order_matches_cpython_with_seed_zero():
    cases = [WORDS, WORDS[::-1], WORDS[:5] * 3, WORDS[3:9], ["b", "a"], ["a"], []]
    code = "import json,sys; print(json.dumps([list(set(c)) for c in json.loads(sys.argv[1])]))"
    out = subprocess.run([sys.executable, "-c", code, json.dumps(cases)], capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"}).stdout
    assert [set_order(c) for c in cases] == json.loads(out)
    assert set_order(["a", "b", "c"]) == ["c", "a", "b"]
