"""Build CodeBLEU's native analysis engine and per-pair counts; everything else is in pyproject.toml."""
from setuptools import Extension, setup

TS = "third_party/tree-sitter/lib"

setup(
    ext_modules=[
        Extension(
            name="polyglot.metrics.codebleu._native",
            sources=[f"{TS}/src/lib.c", "polyglot/metrics/codebleu/csrc/analyse.c",
                     "polyglot/metrics/codebleu/csrc/pystrip.c", "polyglot/metrics/codebleu/csrc/slashstrip.c"],
            include_dirs=[f"{TS}/include", f"{TS}/src"],
            define_macros=[("_DEFAULT_SOURCE", None),
                           ("PY_SSIZE_T_CLEAN", None), ("TREE_SITTER_HIDE_SYMBOLS", None)],
            extra_compile_args=["-O3", "-std=c11", "-flto"],
            extra_link_args=["-O3", "-flto"],
        ),
        Extension(
            name="polyglot.metrics.codebleu._counts",
            sources=["polyglot/metrics/codebleu/csrc/counts.c"],
            define_macros=[("PY_SSIZE_T_CLEAN", None)],
            extra_compile_args=["-O2", "-std=c11"],
        ),
    ],
)
