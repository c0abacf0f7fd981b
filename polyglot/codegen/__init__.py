"""Code generation: a spec rendered into a programming language by its code pack.

    >>> from polyglot.codegen import load_code_pack, render_project
    >>> project = render_project(load_code_pack("python"), [read_spec("cart.vibee")])
    >>> sorted(project.files)
    ['cart.py', 'polyglot_runtime.py', 'run_tests.py', 'test_cart.py']

Modules: `pack` (loading and validating packs), `naming` (identifiers), `template`
(`{{name}}` placeholders), `render` (the base renderer packs subclass), `lower`
(expression forms a target lacks, as statements), `values` (test values as nodes),
`project` (files for one or many specs), `syntax` (tree-sitter check), `verify`
(build and run the generated tests).
"""
from __future__ import annotations

from polyglot.codegen.pack import CodePack, code_pack_dirs, load_code_pack, resolve_targets
from polyglot.codegen.project import Project, render_project
from polyglot.codegen.syntax import project_problems, syntax_problems
from polyglot.codegen.verify import VerifyReport, check_toolchain, verify_project

__all__ = ["CodePack", "Project", "VerifyReport", "check_toolchain", "code_pack_dirs", "load_code_pack",
           "project_problems", "render_project", "resolve_targets", "syntax_problems", "verify_project"]
