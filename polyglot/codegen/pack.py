"""Code packs: a programming language described as data (`langpacks/code/<lang>/`).

A pack folder holds `pack.toml` (names, types, expression and statement templates,
file layout, toolchain), `templates/*.tmpl` (the multi-line templates), and at most one
`render.py` whose `Renderer` subclass overrides hooks where data cannot say it. The
format is documented in docs/code-langpacks.md; every defect is a located `SpecError`.

Packs are found where human packs are (`polyglot.langpacks.pack_roots`: POLYGLOT_PATH,
the `polyglot.langpacks` entry points, the built-in folder), first root wins, under
`<root>/code/<name>/pack.toml`.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polyglot.codegen.naming import CASES, KINDS, NamingRules
from polyglot.codegen.template import Template
from polyglot.errors import SpecError, did_you_mean
from polyglot.langpacks import describe_toml_value, langpacks_dir, TomlSource, toml_error, unknown_choice, pack_roots

ATOM = 100
ASSOCS = ("left", "right", "none")

#: Every base key of the `[expr]` table: operators, builtins, string methods, node kinds.
EXPR_KEYS = (
    "+", "-", "*", "/", "//", "%", "**", "neg", "pos", "not", "and", "or",
    "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is_none", "is_some", "ifelse",
    "len", "sum", "min", "max", "abs", "sorted", "sorted_reverse", "reversed", "any", "all",
    "range", "str", "int", "float", "round",
    ".upper", ".lower", ".strip", ".split", ".join", ".replace", ".startswith", ".endswith",
    ".find", ".count",
    "index", "slice", "slice_from", "slice_to", "slice_all", "list", "list_empty", "map",
    "map_empty", "map_entry", "field", "record_new", "record_arg", "enum_member", "some",
    "unwrap", "name", "iter", "call_behavior",
)
#: Keys a pack may leave out: a fallback exists (see docs/code-langpacks.md).
EXPR_OPTIONAL = frozenset({"pos", "ifelse", "slice_from", "slice_to", "slice_all", "list_empty",
                           "map_empty", "iter"})
#: Item templates: joined into a container, so their slots never need parentheses.
EXPR_ITEMS = frozenset({"map_entry", "record_arg"})

TYPE_KEYS = ("Int", "Float", "Bool", "String", "List", "Map", "Option", "Record", "Enum")
LITERAL_KEYS = ("int", "float", "string", "true", "false", "none", "nan", "inf", "neg_inf")
LITERAL_OPTIONAL = ("int_min", "paren")
STATEMENT_KEYS = ("return", "declare", "declare_uninit", "assign", "if", "if_else", "for", "append")
COMPREHENSION_KEYS = ("expr", "for", "if", "push")

#: Templates every pack defines, and the placeholders each may use.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "module": ("header", "module", "spec", "runtime", "exports", "enums", "records",
               "constants", "functions"),
    "tests": ("header", "module", "spec", "runtime", "exports", "cases", "tests_module"),
    "runner": ("header", "runtime", "imports", "suites"),
    "runtime": ("header",),
    "record": ("name", "doc", "fields"),
    "record_field": ("name", "type", "index", "doc"),
    "enum": ("name", "doc", "members"),
    "enum_member": ("name", "value", "index"),
    "constant": ("name", "type", "value", "doc"),
    "function": ("name", "params", "returns", "body", "doc"),
    "stub": ("name", "params", "returns", "doc", "message"),
    "legacy_stub": ("name", "doc", "message"),
    "param": ("name", "type", "index"),
    "export": ("name", "quoted"),
    "case": ("id", "call", "expected", "tol", "function"),
    "case_raises": ("id", "call", "function"),
    "case_stub": ("id", "message", "function"),
    "runner_import": ("module", "tests_module", "module_file", "tests_file"),
    "runner_suite": ("module", "tests_module", "module_file", "tests_file"),
}
#: Placeholders every template may use on top of its own.
COMMON_PLACEHOLDERS = ("module", "spec", "runtime", "header")
#: Container templates may join their items with another template: `{{fields/approx}}`.
LIST_PLACEHOLDERS = {"record": ("fields",), "enum": ("members",), "function": ("params",),
                     "stub": ("params",), "module": ("exports",), "tests": ("exports",)}

DEFAULT_JOINS = {"records": "\n\n", "enums": "\n\n", "constants": "\n", "functions": "\n\n",
                 "fields": "\n", "members": "\n", "params": ", ", "exports": ", ", "cases": "\n",
                 "imports": "\n", "suites": "\n", "args": ", ", "items": ", ", "entries": ", ",
                 "statements": "\n", "clauses": " "}
SOURCES = ("debian", "pypi", "npm", "preinstalled")
TOP_FIELDS = ("name", "display_name", "extension", "grammar", "status", "naming", "comments",
              "strings", "literals", "types", "expr", "comprehension", "statements", "join",
              "templates", "layout", "toolchain")
STATUSES = ("stable", "experimental", "todo")
_TABLES = frozenset(TOP_FIELDS[5:])
_REFINEMENT = re.compile(r"(\([^()]*\))?(->[^()]+)?")


@dataclass(frozen=True)
class ExprTemplate:
    """One `[expr]` entry: how a node renders, and how tightly the result binds.

    Args:
        template: the text, `{{0}}`, `{{1}}`... for the node's operands.
        prec: precedence of the result (1-99; `ATOM` = 100 for calls and atoms).
        assoc: `left`, `right` or `none`: which operand may share the precedence.
        inner: the precedence of the operator inside the template when it differs from the
            result's, e.g. 10 for `checked({{0}} + {{1}})`, whose result is an atom.
    """

    template: Template
    prec: int = ATOM
    assoc: str = "left"
    inner: int | None = None


@dataclass(frozen=True)
class Requirement:
    """A command the toolchain needs and the package that provides it."""

    command: str
    package: str
    source: str
    probe: tuple[str, ...] = ()

    def install_hint(self) -> str:
        return {"debian": f"apt-get install -y {self.package}",
                "pypi": f"pip install {self.package}",
                "npm": f"npm install -g {self.package}",
                "preinstalled": f"install {self.package}"}[self.source]

    def present(self) -> bool:
        """The command is on PATH and, when the pack gives a probe (`python3 -m ziglang
        version`), the probe exits 0."""
        if shutil.which(self.command) is None:
            return False
        if not self.probe:
            return True
        try:
            return subprocess.run(list(self.probe), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  stdin=subprocess.DEVNULL, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False


@dataclass(frozen=True)
class Toolchain:
    """How to build and run a rendered project: argv lists with `{{...}}` placeholders."""

    compile: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]
    requires: tuple[Requirement, ...]
    timeout_s: float = 120.0
    env: tuple[tuple[str, str], ...] = ()

    def missing(self) -> list[Requirement]:
        return [r for r in self.requires if not r.present()]


@dataclass(frozen=True)
class Layout:
    """Which files a project has: one module and one test file per spec, plus shared files."""

    module: str
    tests: str
    files: tuple[tuple[str, str], ...]  # (path, template) rendered once per project
    runtime: str  # the runtime file's path (its stem names the runtime module)
    blank_lines: int = 2
    grammar_skip: tuple[str, ...] = ()  # paths (after filling) not to parse with tree-sitter
    qualify: Template | None = None  # how tests name the module's types and functions


@dataclass(frozen=True)
class CodePack:
    """A programming language pack, validated. See docs/code-langpacks.md for every field."""

    name: str
    display_name: str
    extension: str
    grammar: str
    status: str
    naming: NamingRules
    comments: dict[str, Any]
    strings: dict[str, Any]
    literals: dict[str, Template]
    types: dict[str, Template]
    expr: dict[str, ExprTemplate]
    comprehension: dict[str, ExprTemplate] | None
    statements: dict[str, Template]
    joins: dict[str, str]
    templates: dict[str, Template]
    layout: Layout
    toolchain: Toolchain
    root: Path | None = None
    renderer_path: Path | None = field(default=None, compare=False)

    def template(self, name: str) -> Template:
        return self.templates[name]

    def join(self, name: str) -> str:
        return self.joins.get(name, DEFAULT_JOINS.get(name, "\n"))

    def renderer_class(self) -> type:
        """The pack's `Renderer` (from its render.py), or the base one."""
        from polyglot.codegen.render import Renderer

        if self.renderer_path is None:
            return Renderer
        module_name = f"polyglot_codepack_{self.name}"
        spec = importlib.util.spec_from_file_location(module_name, self.renderer_path)
        if spec is None or spec.loader is None:
            raise SpecError("cannot import the pack's render.py", file=str(self.renderer_path))
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as err:  # a broken pack is bad input, reported where it is
            raise SpecError(f"render.py failed to import: {type(err).__name__}: {err}",
                            file=str(self.renderer_path)) from None
        cls = getattr(module, "Renderer", None)
        if not (isinstance(cls, type) and issubclass(cls, Renderer)):
            raise SpecError("render.py must define `Renderer`, a subclass of "
                            "polyglot.codegen.render.Renderer", file=str(self.renderer_path))
        return cls


# ---------------------------------------------------------------------------------------
# Reading and validation
# ---------------------------------------------------------------------------------------


class _Reader:
    """Validates one parsed pack.toml (plus its templates folder)."""

    def __init__(self, src: TomlSource, folder: Path | None) -> None:
        self.src = src
        self.folder = folder

    def err(self, message: str, path: list, **extra: Any) -> SpecError:
        return self.src.error(message, path, **extra)

    def table(self, data: dict, name: str, required: bool = True) -> dict:
        if name not in data:
            if required:
                raise self.err("missing table", [name], hint=f"add a `[{name}]` table")
            return {}
        value = data[name]
        if not isinstance(value, dict):
            raise self.err("wrong type", [name], expected="a table", found=describe_toml_value(value))
        return value

    def string(self, data: dict, path: list, required: bool = True, default: str = "") -> str:
        key = path[-1]
        if key not in data:
            if required:
                raise self.err("missing field", path)
            return default
        value = data[key]
        if not isinstance(value, str):
            raise self.err("wrong type", path, expected="a string", found=describe_toml_value(value))
        return value

    def template(self, text: str, path: list, allowed: tuple[str, ...] | None, name: str) -> Template:
        t = Template(text, name)
        if allowed is not None:
            for ph in t.placeholders:
                base = ph.split("/")[0]
                if base not in allowed:
                    raise self.err(f"unknown placeholder `{{{{{ph}}}}}`", path,
                                   needle="{{" + ph, expected=", ".join(f"{{{{{a}}}}}" for a in allowed))
        return t

    def read(self, data: dict) -> CodePack:
        for key in data:
            if key not in TOP_FIELDS:
                raise self.err("unknown field", [key], **unknown_choice(key, TOP_FIELDS))
        name = self.string(data, ["name"])
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise self.err("bad pack name", ["name"], expected="lowercase letters, digits and _",
                           found=describe_toml_value(name))
        if self.folder is not None and self.folder.name != name:
            raise self.err("pack name does not match its folder", ["name"],
                           expected=describe_toml_value(self.folder.name), found=describe_toml_value(name))
        status = self.string(data, ["status"], required=False, default="stable")
        if status not in STATUSES:
            raise self.err("unknown status", ["status"], **unknown_choice(status, STATUSES))
        naming = self.naming(self.table(data, "naming"))
        templates = self.templates(self.table(data, "templates", required=False))
        return CodePack(
            name=name,
            display_name=self.string(data, ["display_name"]),
            extension=self.string(data, ["extension"]),
            grammar=self.string(data, ["grammar"]),
            status=status,
            naming=naming,
            comments=self.comments(self.table(data, "comments")),
            strings=self.strings(self.table(data, "strings")),
            literals=self.literals(self.table(data, "literals")),
            types=self.types(self.table(data, "types")),
            expr=self.expr(self.table(data, "expr")),
            comprehension=self.comprehension(data),
            statements=self.statements(self.table(data, "statements")),
            joins=self.joins(self.table(data, "join", required=False)),
            templates=templates,
            layout=self.layout(self.table(data, "layout"), templates),
            toolchain=self.toolchain(self.table(data, "toolchain")),
            root=self.folder,
            renderer_path=(self.folder / "render.py") if self.folder and (self.folder / "render.py").is_file() else None,
        )

    def naming(self, table: dict) -> NamingRules:
        known = (*KINDS, "reserved", "escape", "unicode", "ascii_kinds", "leading_digit",
                 "case_insensitive", "empty")
        for key in table:
            if key not in known:
                raise self.err("unknown field", ["naming", key], **unknown_choice(key, known))
        cases = {}
        for kind in KINDS:
            if kind not in table and kind in ("local", "module"):
                cases[kind] = table.get("param", "snake") if kind == "local" else "snake"
                continue
            style = self.string(table, ["naming", kind])
            if style not in CASES:
                raise self.err("unknown case style", ["naming", kind], **unknown_choice(style, CASES))
            cases[kind] = style
        reserved = table.get("reserved", [])
        if not isinstance(reserved, list) or not all(isinstance(r, str) for r in reserved):
            raise self.err("wrong type", ["naming", "reserved"], expected="an array of strings",
                           found=describe_toml_value(reserved))
        escape = self.string(table, ["naming", "escape"], required=False, default="{{name}}_")
        leading = self.string(table, ["naming", "leading_digit"], required=False, default="_{{name}}")
        for key, text in (("escape", escape), ("leading_digit", leading)):
            self.template(text, ["naming", key], ("name",), f"naming.{key}")
            if "{{name}}" not in text.replace(" ", ""):
                raise self.err("must contain `{{name}}`", ["naming", key], found=describe_toml_value(text))
        for key in ("unicode", "case_insensitive"):
            if key in table and not isinstance(table[key], bool):
                raise self.err("wrong type", ["naming", key], expected="true or false",
                               found=describe_toml_value(table[key]))
        ascii_kinds = table.get("ascii_kinds", ["module"])
        if not isinstance(ascii_kinds, list) or any(k not in KINDS for k in ascii_kinds):
            raise self.err("wrong type", ["naming", "ascii_kinds"],
                           expected="an array of " + ", ".join(KINDS), found=describe_toml_value(ascii_kinds))
        rules = NamingRules(cases=cases, reserved=frozenset(reserved), escape=escape,
                            unicode=table.get("unicode", True), leading_digit=leading,
                            case_insensitive=table.get("case_insensitive", False),
                            empty=self.string(table, ["naming", "empty"], required=False, default="x"),
                            ascii_kinds=frozenset(ascii_kinds))
        return rules

    def comments(self, table: dict) -> dict[str, Any]:
        known = ("line", "doc_open", "doc_line", "doc_close", "doc_escapes")
        for key in table:
            if key not in known:
                raise self.err("unknown field", ["comments", key], **unknown_choice(key, known))
        out: dict[str, Any] = {"line": self.string(table, ["comments", "line"])}
        for key in ("doc_open", "doc_close"):
            out[key] = self.string(table, ["comments", key], required=False, default="")
        out["doc_line"] = self.string(table, ["comments", "doc_line"], required=False,
                                      default=out["line"] + " {{text}}")
        self.template(out["doc_line"], ["comments", "doc_line"], ("text",), "comments.doc_line")
        out["doc_escapes"] = self.string_map(table, ["comments", "doc_escapes"])
        return out

    def string_map(self, table: dict, path: list) -> dict[str, str]:
        value = table.get(path[-1], {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.err("wrong type", path, expected="a table of strings", found=describe_toml_value(value))
        return dict(value)

    def strings(self, table: dict) -> dict[str, Any]:
        known = ("quote", "escapes", "control", "invisible", "non_ascii", "utf16")
        for key in table:
            if key not in known:
                raise self.err("unknown field", ["strings", key], **unknown_choice(key, known))
        out: dict[str, Any] = {
            "quote": self.string(table, ["strings", "quote"]),
            "escapes": self.string_map(table, ["strings", "escapes"]),
            "control": self.string(table, ["strings", "control"]),
            "invisible": self.string(table, ["strings", "invisible"], required=False, default="keep"),
            "non_ascii": self.string(table, ["strings", "non_ascii"], required=False, default="keep"),
            "utf16": bool(table.get("utf16", False)),
        }
        hexes = ("hex", "hex2", "hex4", "hex6", "hex8")
        self.template(out["control"], ["strings", "control"], hexes, "strings.control")
        for key in ("invisible", "non_ascii"):
            if out[key] != "keep":
                self.template(out[key], ["strings", key], hexes, f"strings.{key}")
        return out

    def literals(self, table: dict) -> dict[str, Template]:
        known = LITERAL_KEYS + LITERAL_OPTIONAL
        out = {}
        for key in table:
            if key not in known:
                raise self.err("unknown field", ["literals", key], **unknown_choice(key, known))
        for key in known:
            if key in table or key in LITERAL_KEYS:
                text = self.string(table, ["literals", key])
                allowed = ("0",) if key == "paren" else ("v",)
                out[key] = self.template(text, ["literals", key], allowed, f"literals.{key}")
        out.setdefault("paren", Template("({{0}})", "literals.paren"))
        return out

    def types(self, table: dict) -> dict[str, Template]:
        out = {}
        for key, text in table.items():
            base = key.split("<")[0]
            if base not in TYPE_KEYS and base != "Unit":
                raise self.err("unknown type", ["types", key], **unknown_choice(base, TYPE_KEYS))
            if not isinstance(text, str):
                raise self.err("wrong type", ["types", key], expected="a string", found=describe_toml_value(text))
            out[key.replace(" ", "")] = self.template(text, ["types", key], ("0", "1", "name", "module"),
                                                      f"types.{key}")
        for key in TYPE_KEYS:
            if key not in out:
                raise self.err("missing field", ["types", key])
        return out

    def expr_entry(self, value: Any, path: list, allowed: tuple[str, ...] | None = None) -> ExprTemplate:
        if isinstance(value, str):
            value = {"template": value}
        elif isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], int):
            value = {"template": value[0], "prec": value[1]}
        if not isinstance(value, dict):
            raise self.err("wrong type", path, expected='a template, ["template", precedence] or '
                           "{template = ..., prec = ..., assoc = ..., inner = ...}", found=describe_toml_value(value))
        for key in value:
            if key not in ("template", "prec", "assoc", "inner"):
                raise self.err("unknown field", path + [key], **unknown_choice(key, ("template", "prec", "assoc", "inner")))
        text = value.get("template")
        if not isinstance(text, str):
            raise self.err("missing field", path + ["template"])
        prec = value.get("prec", ATOM)
        inner = value.get("inner")
        for key, number in (("prec", prec), ("inner", inner)):
            if number is not None and (isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= ATOM):
                raise self.err("wrong type", path + [key], expected=f"an integer from 0 to {ATOM}",
                               found=str(number) if isinstance(number, int) else describe_toml_value(number))
        assoc = value.get("assoc", "left")
        if assoc not in ASSOCS:
            raise self.err("unknown associativity", path + ["assoc"], **unknown_choice(str(assoc), ASSOCS))
        t = self.template(text, path, allowed, ".".join(map(str, path)))
        return ExprTemplate(t, prec, assoc, inner)

    def expr(self, table: dict) -> dict[str, ExprTemplate]:
        out: dict[str, ExprTemplate] = {}
        bases = set()
        for key, value in table.items():
            norm = normalize_key(key)
            base = key_base(norm, EXPR_KEYS)
            if base is None:
                base = re.split(r"[(]|->", norm)[0]
                raise self.err("unknown expression key", ["expr", key], **unknown_choice(base, EXPR_KEYS))
            bases.add(base)
            out[norm] = self.expr_entry(value, ["expr", key])
        for base in EXPR_KEYS:
            if base not in bases and base not in EXPR_OPTIONAL:
                raise self.err(f"missing expression key `{base}`", ["expr"],
                               hint="every operator, builtin, string method and node kind needs "
                                    "a template; see docs/code-langpacks.md")
        return out

    def comprehension(self, data: dict) -> dict[str, ExprTemplate] | None:
        table = self.table(data, "comprehension", required=False)
        if not table:
            return None
        names = {"expr": ("elt", "clauses", "out", "T", "T0"),
                 "for": ("var", "iter", "body", "out", "type"),
                 "if": ("cond", "body", "out"), "push": ("elt", "out")}
        out = {}
        for key in table:
            if key not in names:
                raise self.err("unknown field", ["comprehension", key], **unknown_choice(key, tuple(names)))
        for key, allowed in names.items():
            if key not in table:
                raise self.err("missing field", ["comprehension", key])
            out[key] = self.expr_entry(table[key], ["comprehension", key], allowed)
        return out

    def statements(self, table: dict) -> dict[str, Template]:
        names = {"return": ("value",), "declare": ("name", "type", "value"),
                 "declare_uninit": ("name", "type"), "assign": ("name", "value"),
                 "if": ("cond", "then"), "if_else": ("cond", "then", "else"),
                 "for": ("var", "type", "iter", "body"), "append": ("list", "value", "type")}
        out = {}
        for key, text in table.items():
            if key not in names:
                raise self.err("unknown field", ["statements", key], **unknown_choice(key, tuple(names)))
            if not isinstance(text, str):
                raise self.err("wrong type", ["statements", key], expected="a string", found=describe_toml_value(text))
            out[key] = self.template(text, ["statements", key], names[key], f"statements.{key}")
        if "return" not in out:
            raise self.err("missing field", ["statements", "return"])
        return out

    def joins(self, table: dict) -> dict[str, str]:
        for key, value in table.items():
            if not isinstance(value, str):
                raise self.err("wrong type", ["join", key], expected="a string", found=describe_toml_value(value))
        return dict(table)

    def templates(self, table: dict) -> dict[str, Template]:
        found: dict[str, tuple[str, list]] = {}
        for key, text in table.items():
            if not isinstance(text, str):
                raise self.err("wrong type", ["templates", key], expected="a string", found=describe_toml_value(text))
            found[key] = (text, ["templates", key])
        folder = self.folder / "templates" if self.folder is not None else None
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*.tmpl")):
                if path.stem in found:
                    raise self.err(f"template `{path.stem}` is defined twice: here and in "
                                   f"templates/{path.name}", ["templates", path.stem])
                found[path.stem] = (path.read_text(encoding="utf-8"), ["templates", path.stem])
        out = {}
        for name, (text, path) in found.items():
            base = name.split(".")[0]
            allowed = TEMPLATES.get(base)
            if allowed is None:  # an extra item template, used as {{fields/NAME}}
                allowed = ("name", "type", "value", "index", "doc", "quoted", "field", "member")
            out[name] = self.template(text, path, allowed + COMMON_PLACEHOLDERS, name)
        for name in TEMPLATES:
            if name not in out:
                raise self.err(f"missing template `{name}`", ["templates"],
                               hint=f"add templates/{name}.tmpl or `{name} = ...` under [templates]")
        for container, lists in LIST_PLACEHOLDERS.items():
            for ph in out[container].placeholders:
                if "/" in ph:
                    base, item = ph.split("/", 1)
                    if base not in lists or item not in out:
                        raise self.err(f"template `{container}` joins with unknown template `{item}`",
                                       ["templates", container])
        return out

    def layout(self, table: dict, templates: dict[str, Template]) -> Layout:
        known = ("module", "tests", "files", "runtime", "blank_lines", "grammar_skip", "qualify")
        for key in table:
            if key not in known:
                raise self.err("unknown field", ["layout", key], **unknown_choice(key, known))
        module = self.string(table, ["layout", "module"])
        tests = self.string(table, ["layout", "tests"])
        for key, text in (("module", module), ("tests", tests)):
            self.template(text, ["layout", key], ("module",), f"layout.{key}")
        files = table.get("files", {})
        if not isinstance(files, dict):
            raise self.err("wrong type", ["layout", "files"], expected="a table path -> template",
                           found=describe_toml_value(files))
        for path, template in files.items():
            if template not in templates:
                raise self.err(f"unknown template `{template}`", ["layout", "files", path],
                               **unknown_choice(str(template), tuple(templates)))
        runtime = self.string(table, ["layout", "runtime"])
        if runtime not in files:
            raise self.err("the runtime file must be one of [layout.files]", ["layout", "runtime"],
                           found=describe_toml_value(runtime))
        blank = table.get("blank_lines", 2)
        if isinstance(blank, bool) or not isinstance(blank, int) or blank < 0:
            raise self.err("wrong type", ["layout", "blank_lines"], expected="a non-negative integer",
                           found=describe_toml_value(blank))
        skip = table.get("grammar_skip", [])
        if not isinstance(skip, list) or not all(isinstance(x, str) for x in skip):
            raise self.err("wrong type", ["layout", "grammar_skip"], expected="an array of file paths",
                           found=describe_toml_value(skip))
        qualify = None
        if "qualify" in table:
            text = self.string(table, ["layout", "qualify"])
            self.template(text, ["layout", "qualify"], ("module", "name"), "layout.qualify")
            qualify = Template(text)
        return Layout(module, tests, tuple(files.items()), runtime, blank, tuple(skip), qualify)

    def toolchain(self, table: dict) -> Toolchain:
        known = ("compile", "run", "requires", "timeout_s", "env")
        for key in table:
            if key not in known:
                raise self.err("unknown field", ["toolchain", key], **unknown_choice(key, known))

        def argv(value: Any, path: list) -> tuple[str, ...]:
            if not isinstance(value, list) or not value or not all(isinstance(a, str) for a in value):
                raise self.err("wrong type", path, expected="a non-empty array of strings (an argv)",
                               found=describe_toml_value(value))
            return tuple(value)

        compile_ = table.get("compile", [])
        if not isinstance(compile_, list):
            raise self.err("wrong type", ["toolchain", "compile"], expected="an array of argv arrays",
                           found=describe_toml_value(compile_))
        if "run" not in table:
            raise self.err("missing field", ["toolchain", "run"])
        requires = []
        for i, req in enumerate(table.get("requires", [])):
            path = ["toolchain", "requires", i]
            if not isinstance(req, dict):
                raise self.err("wrong type", path, expected="{command = ..., package = ..., source = ...}",
                               found=describe_toml_value(req))
            source = self.string(req, path + ["source"])
            if source not in SOURCES:
                raise self.err("unknown package source", path + ["source"], **unknown_choice(source, SOURCES))
            requires.append(Requirement(self.string(req, path + ["command"]), self.string(req, path + ["package"]),
                                        source, argv(req["probe"], path + ["probe"]) if "probe" in req else ()))
        timeout = table.get("timeout_s", 120)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            raise self.err("wrong type", ["toolchain", "timeout_s"], expected="a positive number",
                           found=describe_toml_value(timeout))
        env = self.string_map(table, ["toolchain", "env"])
        return Toolchain(tuple(argv(c, ["toolchain", "compile", i]) for i, c in enumerate(compile_)),
                         argv(table["run"], ["toolchain", "run"]), tuple(requires), float(timeout),
                         tuple(env.items()))


def key_base(key: str, bases: tuple[str, ...]) -> str | None:
    """The base of a refined key (`-(Int,Int)->Int` -> `-`), or None if it has none."""
    for base in sorted(bases, key=len, reverse=True):
        if key.startswith(base) and _REFINEMENT.fullmatch(key[len(base):]):
            return base
    return None


def normalize_key(key: str) -> str:
    """`+(Int, Int)` -> `+(Int,Int)`: no spaces, except inside the operator `not in`."""
    head = "not in" if key.startswith("not in") else ""
    return head + re.sub(r"\s+", "", key[len(head):])


def parse_code_pack(text: str, file: str | os.PathLike[str] | None = None) -> CodePack:
    """Parse and validate a pack.toml; its folder (for templates/ and render.py) is the file's.

    Args:
        text: the TOML document.
        file: the pack.toml path; None for a pack given as text only (templates inline).

    Returns:
        The validated `CodePack`.

    Raises:
        SpecError: on bad TOML or any defect, located in `file`.
    """
    name = os.fspath(file) if file is not None else None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise toml_error(err, text, name) from None
    folder = Path(name).parent if name is not None else None
    return _Reader(TomlSource(text, name, _TABLES), folder).read(data)


def load_pack_file(path: str | os.PathLike[str]) -> CodePack:
    """Read and validate `path` (a pack.toml)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"cannot read pack file: {err}", file=os.fspath(path)) from None
    return parse_code_pack(text, path)


def code_pack_dirs(roots: list[str | os.PathLike[str]] | None = None) -> dict[str, Path]:
    """Every code pack folder that can be found, by name; the first root wins.

    Args:
        roots: folders to search (each holding `langpacks/` or being it);
            default `polyglot.langpacks.pack_roots()`.

    Returns:
        name -> folder holding pack.toml, sorted by name.
    """
    dirs = pack_roots() if roots is None else tuple(langpacks_dir(Path(r)) for r in roots)
    found: dict[str, Path] = {}
    for root in dirs:
        for toml in sorted((root / "code").glob("*/pack.toml")):
            found.setdefault(toml.parent.name, toml.parent)
    return dict(sorted(found.items()))


def load_code_pack(name: str, roots: list[str | os.PathLike[str]] | None = None) -> CodePack:
    """The code pack called `name` (e.g. `rust`).

    Raises:
        SpecError: no such pack (with the closest name), or a malformed one.
    """
    dirs = code_pack_dirs(roots)
    if name not in dirs:
        raise SpecError(f"unknown target language `{name}`", **unknown_choice(name, list(dirs)))
    return load_pack_file(dirs[name] / "pack.toml")


def resolve_targets(text: str, roots: list[str | os.PathLike[str]] | None = None) -> list[str]:
    """`rust,python` or `all` -> pack names, checked, in the order given (all: sorted).

    Raises:
        SpecError: an unknown name, with a did-you-mean hint.
    """
    dirs = code_pack_dirs(roots)
    names = [t.strip() for t in text.split(",") if t.strip()]
    if names == ["all"]:
        return list(dirs)
    for n in names:
        if n not in dirs:
            hint = did_you_mean(n, list(dirs))
            raise SpecError(f"unknown target language `{n}`", hint=hint,
                            expected=None if hint else "one of " + ", ".join(dirs) + " or all")
    if not names:
        raise SpecError("no target language given", expected="a name such as python, or all")
    return list(dict.fromkeys(names))


__all__ = ["ATOM", "CodePack", "ExprTemplate", "Layout", "Requirement", "Toolchain",
           "code_pack_dirs", "load_code_pack", "load_pack_file", "parse_code_pack",
           "resolve_targets"]
