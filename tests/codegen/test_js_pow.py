"""The JavaScript and TypeScript runtimes' float power against the evaluator's.

The evaluator's float `**` is Python's, that is glibc's pow (its x86-64 build with FMA),
which is not correctly rounded; the runtimes repeat its algorithm instead of using V8's
Math.pow, which differs in about 9% of results. PINNED holds that pow's results where a
slip would show: where glibc's build without FMA rounds differently, where glibc is 1 ulp
from the exact power, subnormal results and results near overflow. A random sample is
also held to this host's Python when the host's pow is that same build (agrees on PINNED).
"""
import math
import random
import struct
import subprocess
from pathlib import Path

import pytest

from polyglot.codegen.pack import CodePack, load_code_pack
from polyglot.codegen.verify import check_toolchain
from polyglot.errors import SpecError

PINNED = [  # (x, y, x ** y) in float.hex()
    ("0x1.fffffffffe3fep-1", "0x1.159a7d54468c4p+36", "0x1.e2830bb6892f1p-1"),  # glibc without FMA differs
    ("0x1.91acf6507c7c8p+2", "0x1.4800000000000p+5", "0x1.906bb06aafe57p+108"),  # glibc without FMA differs
    ("0x1.6c00000000000p+6", "0x1.e000000000000p+2", "0x1.c057dde45cdf1p+48"),  # glibc without FMA differs
    ("0x1.fb643899ed4cbp+0", "0x1.1152036759616p+5", "0x1.a57f556d9cbadp+33"),  # glibc without FMA differs
    ("-0x1.8000000000000p+2", "0x1.1000000000000p+5", "0x1.d9fe779881945p+87"),  # glibc without FMA differs
    ("0x1.4d05648e55884p+2", "-0x1.1000000000000p+5", "0x1.12000684d85b5p-81"),  # glibc without FMA differs
    ("-0x1.8000000000000p+1", "0x1.1000000000000p+5", "0x1.d9fe779881945p+53"),  # glibc without FMA differs
    ("-0x1.2000000000000p+4", "0x1.1000000000000p+4", "-0x1.d9fe779881945p+70"),  # glibc without FMA differs
    ("0x1.68b7a0f902814p+563", "-0x1.8b78c138c1440p-2", "0x1.4c6461e39a211p-218"),  # glibc without FMA differs
    ("-0x1.3baec6736c2cap+3", "0x1.a000000000000p+5", "0x1.a60a3ed547fc5p+171"),  # glibc without FMA differs
    ("0x1.00000546097c9p+0", "-0x1.16839890c9205p+16", "0x1.f4a723cdd1d63p-1"),  # glibc without FMA differs
    ("0x1.4b4734e76eaa6p+9", "0x1.c23579249621cp+3", "0x1.ce904c5c7163fp+131"),  # glibc without FMA differs
    ("0x1.0ac3e70de6000p+2", "-0x1.1000000000000p+5", "0x1.f8c55f88d1dccp-71"),  # 1 ulp from the exact
    ("0x1.a00d5bef46c74p+2", "0x1.5000000000000p+4", "0x1.a3a5c55846d0ep+56"),  # 1 ulp from the exact
    ("0x1.627e747f2a834p+286", "0x1.ddd69f449fb40p-4", "0x1.56629691d93e2p+33"),  # 1 ulp from the exact
    ("0x1.fd9f9f3482c20p+2", "0x1.e1117fa614f44p+4", "0x1.ff78b3a1b1b8fp+89"),  # 1 ulp from the exact
    ("0x1.4000000000000p+4", "0x1.7000000000000p+4", "0x1.52d02c7e14af7p+99"),  # 1 ulp from the exact
    ("0x1.1000000000000p+4", "0x1.a000000000000p+3", "0x1.19814a3a69769p+53"),  # 1 ulp from the exact
    ("0x1.1000000000000p+3", "0x1.a000000000000p+3", "0x1.19814a3a69769p+40"),  # 1 ulp from the exact
    ("0x1.7e7b7a7ae3dcep+983", "0x1.13755258894d0p-1", "0x1.20056b0ad87cap+529"),  # 1 ulp from the exact
    ("0x1.deb897cc9d975p+2", "-0x1.7d9f56f4e5ce9p+5", "0x1.6e4684b654c19p-139"),  # 1 ulp from the exact
    ("0x1.4000000000000p+3", "0x1.7000000000000p+4", "0x1.52d02c7e14af7p+76"),  # 1 ulp from the exact
    ("0x1.8d09a4f743a5dp-10", "0x1.1800000000000p+6", "0x1.3f67e26613d54p-656"),  # 1 ulp from the exact
    ("0x1.9aa2e7d6726d8p+1", "0x1.2000000000000p+5", "0x1.74b0907cf0e76p+60"),  # 1 ulp from the exact
    ("0x1.a47814bb0ed68p-4", "0x1.4000000000000p+8", "0x0.000000086b99ap-1022"),  # subnormal
    ("0x1.6d15fb6ddab7dp-845", "0x1.4324d00b2d3edp+0", "0x0.0000000000103p-1022"),  # subnormal
    ("0x1.000616bf5820bp+0", "-0x1.db995f160085cp+22", "0x0.0000030277b8bp-1022"),  # subnormal
    ("0x1.193e557098bb9p-5", "0x1.b000000000000p+7", "0x0.00000009e3e1ap-1022"),  # subnormal
    ("0x1.1225a2eddcdd3p+16", "-0x1.0000000000000p+6", "0x0.00cc90bbbc20cp-1022"),  # subnormal
    ("0x1.3ef80defa2b7bp+361", "-0x1.7396f919627e1p+1", "0x0.00000021d1a72p-1022"),  # subnormal
    ("0x1.fffffff7fd6bdp-1", "0x1.71625fa06d1aep+39", "0x0.0000000000073p-1022"),  # subnormal
    ("0x1.4a7ce822bbefep+184", "-0x1.631fad90101d8p+2", "0x0.7dc7c2b23dd59p-1022"),  # subnormal
    ("0x1.f7afe31f16c38p-403", "0x1.52e7093a4a77ep+1", "0x0.00000000002f9p-1022"),  # subnormal
    ("0x1.201ad58692545p-673", "0x1.87596ee6d7182p+0", "0x0.02b67eae92836p-1022"),  # subnormal
    ("0x1.e0685ef4020abp-11", "0x1.9800000000000p+6", "0x0.018b9110f431bp-1022"),  # subnormal
    ("0x1.8c8236f4d0753p-895", "0x1.2a4c8f07776cdp+0", "0x0.00000e75db34dp-1022"),  # subnormal
    ("0x1.2f035303121b4p-933", "-0x1.14735bb9dbefcp+0", "0x1.34bd9255d675ap+1007"),  # near overflow
    ("0x1.6d4a71ee0ebe2p+807", "0x1.3cdb13078099dp+0", "0x1.6359c1698cf5fp+999"),  # near overflow
    ("0x1.7b74f5883782dp-51", "-0x1.3f1d6824c95d2p+4", "0x1.ceca8cdc87406p+1005"),  # near overflow
    ("0x1.63e328cb03c6ep-784", "-0x1.4c4d7dcd8b095p+0", "0x1.0ae30cdca575bp+1017"),  # near overflow
    ("0x1.fb4ee1013b3bfp+89", "0x1.69075964591b2p+3", "0x1.2f0bf1c6d70c9p+1015"),  # near overflow
    ("0x1.ce4fbf4806c7ep-889", "-0x1.20a3f94cd18cdp+0", "0x1.4ef7418983a6bp+1001"),  # near overflow
    ("0x1.3fde95f341d10p+265", "0x1.ea668d2a3263cp+1", "0x1.6d78401c7c00ap+1016"),  # near overflow
    ("0x1.750cf302c61aap-515", "-0x1.f9f8570f5fde4p+0", "0x1.bc6fccb0546e3p+1016"),  # near overflow
    ("0x1.03d334502bd3ep-758", "-0x1.59b27909e8883p+0", "0x1.7918ac28ae79bp+1023"),  # near overflow
    ("0x1.b6ce47730a70dp+524", "0x1.eb436e2b39a47p+0", "0x1.086ae942c5712p+1007"),  # near overflow
    ("0x1.a0542d22d1025p-332", "-0x1.85d648d239448p+1", "0x1.008d8dd7741e1p+1009"),  # near overflow
    ("0x1.5d0fcbedf4f37p-615", "-0x1.a23701d828bcep+0", "0x1.f3c24b9d6fd1cp+1003"),  # near overflow
]

SPECIAL = [  # (x, y, x ** y): signs, zeros, exact powers, the range's ends, errors
    (-6.0, 34.0, "0x1.d9fe779881945p+87"),  # glibc's: 1 ulp above 6 ** 34
    (-2.0, 3.0, "-0x1.0000000000000p+3"),
    (-0.5, 1e300, "0x0.0p+0"),
    (-0.5, 1075.0, "-0x0.0p+0"),
    (2.0, -1074.0, "0x0.0000000000001p-1022"),
    (2.0, -1075.0, "0x0.0p+0"),
    (1.0000000000000002, 1e-30, "0x1.0000000000000p+0"),
    (-1.0, 1e300, "0x1.0000000000000p+0"),
    (-1.0, -3.0, "-0x1.0000000000000p+0"),
    (4.0, 0.5, "0x1.0000000000000p+1"),
    (1.7976931348623157e308, 1.0, "0x1.fffffffffffffp+1023"),
    (-2.0, 1e300, "OverflowError"),
    (1e308, 2.0, "OverflowError"),
    (-10.0, 309.0, "OverflowError"),
    (0.0, -1.0, "ZeroDivisionError"),
    (-8.0, 1 / 3, "complex"),
]

ERRORS = {"float overflow": "OverflowError", "zero to a negative power": "ZeroDivisionError",
          "a negative number to a fractional power": "complex"}

DRIVER = """
const cases = %s;
const view = new DataView(new ArrayBuffer(8));
const out = [];
for (const [x, y] of cases) {
  try {
    view.setFloat64(0, powFloat(x, y));
    out.push(view.getBigUint64(0).toString(16));
  } catch (e) {
    out.push("error: " + e.message);
  }
}
console.log(out.join("|"));
"""


def python_pow(x: float, y: float) -> str:
    """The evaluator's answer as float.hex() or the name of its error."""
    try:
        r = x ** y
    except (OverflowError, ZeroDivisionError) as err:
        return type(err).__name__
    return "complex" if isinstance(r, complex) else r.hex()


def spelled(word: str) -> str:
    """A driver's word (the result's bits in hex, or `error: <message>`) as python_pow spells it."""
    if word.startswith("error: "):
        return ERRORS.get(word[7:], word)
    return struct.unpack("<d", int(word, 16).to_bytes(8, "little"))[0].hex()


def pack_or_skip(language: str) -> CodePack:
    """The pack, or a skip naming what to install when its toolchain is missing."""
    pack = load_code_pack(language)
    try:
        check_toolchain(pack)
    except SpecError as err:
        pytest.skip(str(err))
    return pack


def run(argv: list[str], cwd: Path) -> str:
    """stdout of a command that must succeed."""
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def js_pow(tmp_path: Path, cases: list[tuple[float, float]]) -> list[str]:
    """powFloat of the javascript runtime on each case, spelled like python_pow."""
    pack = pack_or_skip("javascript")
    (tmp_path / "polyglot_runtime.js").write_text(pack.template("runtime").fill({"header": ""}))
    literal = "[" + ",".join(f"[{x!r},{y!r}]" for x, y in cases) + "]"
    driver = 'const { powFloat } = require("./polyglot_runtime.js");' + DRIVER % literal
    (tmp_path / "driver.js").write_text(driver)
    return [spelled(w) for w in run(["node", "driver.js"], tmp_path).strip().split("|")]


def ts_pow(tmp_path: Path, cases: list[tuple[float, float]]) -> list[str]:
    """powFloat of the typescript runtime, compiled as the pack compiles it."""
    pack = pack_or_skip("typescript")
    (tmp_path / "polyglot_runtime.ts").write_text(pack.template("runtime").fill({"header": ""}))
    literal = "[" + ",".join(f"[{x!r},{y!r}]" for x, y in cases) + "]"
    driver = 'import { powFloat } from "./polyglot_runtime";' + DRIVER % literal
    driver = driver.replace("const cases =", "const cases: [number, number][] =")
    driver = driver.replace("const out = []", "const out: string[] = []")
    driver = driver.replace("e.message", "(e as Error).message")
    (tmp_path / "driver.ts").write_text(driver)
    [compile_argv] = pack.toolchain.compile
    run([*compile_argv[:-1], "driver.ts"], tmp_path)
    return [spelled(w) for w in run(["node", "out/driver.js"], tmp_path).strip().split("|")]


def pinned_cases() -> tuple[list[tuple[float, float]], list[str]]:
    """PINNED and SPECIAL as (x, y) pairs and their results spelled like python_pow."""
    cases = [(float.fromhex(x), float.fromhex(y)) for x, y, _ in PINNED] + [(x, y) for x, y, _ in SPECIAL]
    results = [r for _, _, r in PINNED + SPECIAL]
    return cases, [r if r in ERRORS.values() else float.fromhex(r).hex() for r in results]


def random_cases(n: int, seed: int = 0) -> list[tuple[float, float]]:
    """Pairs from several distributions: plain ranges, integers, halves, negative bases with
    integer exponents, the whole exponent range, bases near 1, and powers near the ends."""
    r = random.Random(seed)
    draws = [
        lambda: (r.uniform(0, 10), r.uniform(-50, 50)),
        lambda: (float(r.randint(-30, 30)), float(r.randint(-40, 40))),
        lambda: (r.randint(0, 400) / 2, r.randint(-80, 80) / 2),
        lambda: (r.uniform(-10, 10), float(r.randint(-400, 400))),
        lambda: (math.ldexp(r.random() + 0.5, r.randint(-1074, 1023)), r.uniform(-3, 3)),
        lambda: (1 + r.uniform(-1e-6, 1e-6) * 10.0 ** r.randint(-10, 5),
                 r.uniform(-1e6, 1e6) * 10.0 ** r.randint(-6, 6)),
        lambda: (math.ldexp(r.random(), -1022 - r.randint(0, 52)), r.uniform(-1.1, 1.1)),
        lambda: (lambda x: (x, r.choice([1, -1]) * r.uniform(500, 1100) / abs(math.log(x))))(
            math.ldexp(r.random() + 0.5, r.choice([r.randint(-1074, -2), r.randint(2, 1023)]))),
    ]
    return [draws[i % len(draws)]() for i in range(n)]


def test_pinned_javascript(tmp_path):
    cases, expected = pinned_cases()
    assert js_pow(tmp_path, cases) == expected


def test_pinned_typescript(tmp_path):
    cases, expected = pinned_cases()
    assert ts_pow(tmp_path, cases) == expected


def test_random_javascript_matches_python(tmp_path):
    cases, expected = pinned_cases()
    if [python_pow(x, y) for x, y in cases] != expected:
        pytest.skip("this host's pow is not glibc's x86-64 FMA build, which the runtimes follow")
    cases = random_cases(24_000)
    got = js_pow(tmp_path, cases)
    expected = [python_pow(x, y) for x, y in cases]
    wrong = [(x.hex(), y.hex(), g, e) for (x, y), g, e in zip(cases, got, expected) if g != e]
    assert len(got) == len(cases) and wrong == []
