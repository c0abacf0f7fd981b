"""Print the conformance matrix (language x spec) without pytest.

    python tests/conformance/matrix.py                 # every pack whose toolchain is here
    python tests/conformance/matrix.py rust python     # some
    python tests/conformance/matrix.py --no-verify     # render and parse only
"""
from __future__ import annotations

import argparse
import sys
import time

from polyglot.codegen.conformance import conformance_specs, format_matrix, run_conformance
from polyglot.codegen.pack import code_pack_dirs, load_code_pack
from polyglot.errors import SpecError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("languages", nargs="*", help="code packs (default: all)")
    parser.add_argument("--no-verify", action="store_true", help="only render and parse")
    args = parser.parse_args(argv)
    specs = conformance_specs()
    rows: dict[str, dict[str, tuple[int, int]] | str] = {}
    failed = False
    for language in args.languages or list(code_pack_dirs()):
        start = time.perf_counter()
        try:
            result = run_conformance(load_code_pack(language), specs, verify=not args.no_verify)
        except SpecError as err:
            rows[language] = f"error: {err}"
            failed = True
            continue
        if result.problems:
            rows[language] = f"{len(result.problems)} syntax problem(s), first: {result.problems[0]}"
            failed = True
        elif args.no_verify:
            rows[language] = f"parsed clean ({len(result.project.files)} files, {result.render_s:.2f} s)"
        else:
            rows[language] = result.per_spec()
            failed = failed or not result.ok
        print(f"{language}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    print(format_matrix(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
