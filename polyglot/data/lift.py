"""Lift bodies from real source: one-line functions become records without words.

Real code holds many functions whose whole body is ``return <expression>`` over typed
parameters -- exactly a behaviour with a body. Lifting them gives the model bodies that
people wrote, not ones a sampler drew; `polyglot.data.backtranslate` then writes their
words. Which functions qualify and what their annotations mean is data, not code: the
query file ``grammars/<lang>/lift.scm`` (captures described there) says it for one
language, and this engine only reads captures, so another language needs only its own
query file.

A function is kept when its parameters and return type all map to body-language types,
its expression passes the body checker (`polyglot.body.check`) in that signature, and the
reference evaluator answers at least `MIN_CASES` random inputs with at least two different
values. The record has the format `polyglot data synth` writes (`dataset.to_record`), with
``words: {}`` and ``origin: "<file>:<line>:<function>"``.

Inputs are drawn with the synthetic sampler's `random_value` (Map added here), seeded
from the function's name and body, so the same source lifts to the same bytes.
"""
from __future__ import annotations

import ast
import hashlib
import os
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from tqdm import tqdm
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from polyglot.body import nodes as n
from polyglot.body.check import BodyContext, BodyError, check_body
from polyglot.body.evaluate import Limits, evaluate
from polyglot.data.sample import answer_inputs, random_value, to_json
from polyglot.errors import SpecError
from polyglot.spec.ir import MapValue, Param, TestCase
from polyglot.spec.types import GENERICS, PRIMITIVES, Type

QUERY_FILE = "lift.scm"
INPUTS_TRIED = 16  # random inputs run per body
MIN_CASES, MAX_CASES = 3, 5  # test cases a lifted body needs, and keeps
#: Evaluation budget per input: lifted bodies are one line, so far less than the default.
LIMITS = Limits(steps=100_000, size=100_000)
#: Why a scanned function was not lifted, in the order the checks run.
REASONS = ("not_single_return", "no_return_type", "untyped_parameter", "unsupported_type",
           "body_rejected", "trivial", "raises", "constant")
#: Why a file was skipped.
FILE_PROBLEMS = ("unreadable", "not_utf8", "syntax_error", "unlistable_folder")


class Dropped(Exception):
    """A function that is not lifted; `reason` is one of `REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


# -- the language's query ---------------------------------------------------------------------


@dataclass(frozen=True)
class LiftGrammar:
    """A language's parser and its compiled ``lift.scm``.

    Args:
        lang: the polyglot language name (``python``).
        extension: file name ending of its source files, without the dot.
        language: the tree-sitter language.
        query: the compiled lift query.
    """

    lang: str
    extension: str
    language: Language
    query: Query

    def parser(self) -> Parser:
        return Parser(self.language)


def load_lift_grammar(lang: str = "python") -> LiftGrammar:
    """The code pack's grammar with its ``lift.scm`` compiled.

    Raises:
        SpecError: unknown language, or one without a ``lift.scm``, or a bad query.
    """
    from polyglot.codegen.pack import load_code_pack
    from polyglot.metrics.codebleu.queries import compile_query, grammar_dir, load_language, read_query

    pack = load_code_pack(lang)
    folder = grammar_dir(pack.name)
    source = read_query(pack.name, QUERY_FILE)
    if not source.strip():
        raise SpecError(f"`{lang}` has no {QUERY_FILE}: it cannot be lifted from yet",
                        file=str(folder / QUERY_FILE), hint=f"write grammars/{lang}/{QUERY_FILE}")
    language = load_language(pack.grammar)
    query = compile_query(language, source, str(folder / QUERY_FILE))
    assert query is not None
    return LiftGrammar(pack.name, pack.extension, language, query)


@dataclass
class _Captures:
    """One file's captures, by node id."""

    functions: dict[int, dict[str, Node]] = field(default_factory=dict)
    params: dict[int, tuple[Node, Node]] = field(default_factory=dict)  # param -> (name, type)
    ignored: set[int] = field(default_factory=set)
    types: dict[int, list[tuple[str, list[Node]]]] = field(default_factory=dict)  # node -> [(name, args)]


def _read_captures(query: Query, root: Node) -> _Captures:
    found = _Captures()
    for pattern, match in QueryCursor(query).matches(root):
        one = {name: nodes[0] for name, nodes in match.items() if nodes}
        if "lift.function" in one:
            entry = found.functions.setdefault(one["lift.function"].id, {})
            entry.update({k: v for k, v in one.items() if k.startswith("lift.")})
        elif "lift.param" in one:
            found.params[one["lift.param"].id] = (one["lift.param.name"], one["lift.param.type"])
        elif "lift.ignore" in one:
            found.ignored.add(one["lift.ignore"].id)
        elif "lift.type" in one:
            if "lift.type.same" in one:
                meaning = ("=", [one["lift.type.same"]])
            else:
                name = query.pattern_settings(pattern).get("lift.type")
                if name is None:
                    continue
                meaning = (str(name), list(match.get("lift.type.arg", [])))
            found.types.setdefault(one["lift.type"].id, []).append(meaning)
    return found


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8")


def _type_of(node: Node, captures: _Captures, depth: int = 0) -> Type:
    """The body-language type an annotation node means, or `Dropped("unsupported_type")`."""
    for name, args in captures.types.get(node.id, ()):
        if depth > 20:
            break
        try:
            if name == "=":
                return _type_of(args[0], captures, depth + 1)
            arity = 0 if name in PRIMITIVES else GENERICS.get(name)
            if arity is None or len(args) != arity:
                continue
            return Type(name, tuple(_type_of(a, captures, depth + 1) for a in args))
        except Dropped:
            continue
    raise Dropped("unsupported_type", " ".join(_text(node).split()))


# -- functions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A function that may be lifted: its signature and its one expression."""

    name: str
    line: int  # 1-based line of the definition
    params: tuple[Param, ...]
    returns: Type
    body: str


def _candidate(found: dict[str, Node], captures: _Captures) -> Candidate:
    name = _text(found["lift.name"])
    if "lift.body" not in found:
        raise Dropped("not_single_return")
    if "lift.returns" not in found:
        raise Dropped("no_return_type")
    params = []
    for child in found["lift.parameters"].named_children:
        if child.id in captures.ignored:
            continue
        if child.id not in captures.params:
            raise Dropped("untyped_parameter", _text(child))
        pname, ptype = captures.params[child.id]
        params.append(Param(_text(pname), _type_of(ptype, captures)))
    returns = _type_of(found["lift.returns"], captures)
    return Candidate(name, found["lift.function"].start_point[0] + 1, tuple(params), returns,
                     _text(found["lift.body"]))


def one_line(body: str) -> str:
    """A body on one line: an expression written over several lines is re-spelled by the
    body language's own parser (its meaning unchanged); one line stays as written."""
    text = body.strip()
    if "\n" not in text and "\r" not in text:
        return text
    return ast.unparse(ast.parse(f"(\n{text}\n)", mode="eval"))  # lines join inside brackets


def draw_value(t: Type, rng: random.Random, literals: tuple[Any, ...], seen: list[Any]) -> Any:
    """A random IR value of type `t`: the sampler's `random_value`, plus Map."""
    if t.name == "Map":
        keys: list[Any] = []
        for _ in range(rng.choice((0, 1, 2, 3, 3, 4))):
            key = draw_value(t.args[0], rng, literals, seen)
            if key not in keys:
                keys.append(key)
        return MapValue(tuple((k, draw_value(t.args[1], rng, literals, seen)) for k in keys))
    if t.name == "List" and _holds_map(t):
        size = rng.choice((0, 1, 2, 3, 4))
        return tuple(draw_value(t.elem, rng, literals, seen) for _ in range(size))
    if t.name == "Option" and _holds_map(t):
        return None if rng.random() < 0.3 else draw_value(t.elem, rng, literals, seen)
    return random_value(t, rng, {}, {}, literals, seen)


def _holds_map(t: Type) -> bool:
    return t.name == "Map" or any(_holds_map(a) for a in t.args)


def make_cases(expr: n.Expr, params: Sequence[Param], seed: str) -> tuple[TestCase, ...]:
    """Test cases for a checked body: random inputs the evaluator answers.

    Inputs that raise or give a non-finite number are left out; the cases with different
    answers come first.

    Args:
        expr: the checked body.
        params: its parameters.
        seed: seeds the draws (the same seed, the same cases).

    Returns:
        `MIN_CASES` to `MAX_CASES` cases named ``case_1``...

    Raises:
        Dropped: ``raises`` when fewer than `MIN_CASES` inputs have an answer, ``constant``
            when every answer is the same.
    """
    rng = random.Random(seed)
    literals = tuple(node.value for node in n.walk(expr)
                     if isinstance(node, n.Literal) and node.value is not None and not isinstance(node.value, bool))

    def draw() -> tuple:
        seen: list[Any] = []
        return tuple((p.name, draw_value(p.type, rng, literals, seen)) for p in params)

    answers, _, distinct = answer_inputs(draw, lambda inputs: evaluate(expr, inputs, {}, LIMITS), INPUTS_TRIED)
    if len(answers) < MIN_CASES:
        raise Dropped("raises")
    if distinct < 2:
        raise Dropped("constant")
    kept = answers[:MAX_CASES]
    return tuple(TestCase(f"case_{i + 1}", c.inputs, c.expected) for i, c in enumerate(kept))


#: Body-language nodes -> the construct names of synthetic records (`sample.FORMS`), so
#: lifted and synthetic records count constructs alike; what has no such name keeps its own.
_CALLS = {"len": "length", "sorted": "sort", "reversed": "reverse"}
_OPERATORS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "floor_divide",
              "%": "modulo", "**": "power", ">": "greater_than", "<": "less_than", "==": "equals",
              "!=": "not_equals", ">=": "at_least", "<=": "at_most", "and": "and", "or": "or",
              "not": "not"}


def constructs_of(expr: n.Expr) -> tuple[str, ...]:
    """The distinct constructs of a checked body, sorted (the record's ``constructs``)."""
    found = set()
    for node in n.walk(expr):
        if isinstance(node, n.Call):
            found.add("round_to" if node.func == "round" and len(node.args) == 2 else _CALLS.get(node.func, node.func))
        elif isinstance(node, n.Method):
            found.add(node.method)
        elif isinstance(node, n.Binary):
            concat = node.op == "+" and node.type.name in ("String", "List")
            found.add("concat" if concat else _OPERATORS.get(node.op, node.op))
        elif isinstance(node, (n.Compare, n.BoolOp)):
            found.add(_OPERATORS.get(node.op, node.op))
        elif isinstance(node, n.Unary):
            found.add("negate" if node.op == "-" else _OPERATORS.get(node.op, node.op))
        elif isinstance(node, n.Comprehension):
            keeps = isinstance(node.elt, n.Name) and node.elt.id == node.generators[0].var
            found.add("filter" if keeps and any(g.conds for g in node.generators) else "map")
        else:
            name = {n.Contains: "contains", n.IfElse: "if_else", n.FieldGet: "field", n.Index: "index",
                    n.Slice: "slice", n.IsNone: "is_none"}.get(type(node))
            if name:
                found.add(name)
    return tuple(sorted(found))


def lifted_record(origin: str, candidate: Candidate, body: str, expr: n.Expr,
                  tests: Sequence[TestCase]) -> dict[str, Any]:
    """A lifted function as a record of `dataset.to_record`'s format (same keys, same
    order), with no words yet; the id is a hash of the origin, stable across runs."""
    return {
        "id": "lift-" + hashlib.sha1(origin.encode("utf-8")).hexdigest()[:12],
        "origin": origin,
        "augment": [],
        "style": "lifted",
        "name": candidate.name,
        "params": [{"name": p.name, "type": str(p.type)} for p in candidate.params],
        "returns": str(candidate.returns),
        "records": [],
        "enums": [],
        "constants": [],
        "body": body,
        "constructs": list(constructs_of(expr)),
        "words": {},
        "tests": [{"name": c.name, "input": {k: to_json(v) for k, v in c.inputs}, "expected": to_json(c.expected)}
                  for c in tests],
    }


def lift_function(candidate: Candidate, origin: str) -> dict[str, Any]:
    """Check a candidate's body in its signature and make its test cases.

    Raises:
        Dropped: ``body_rejected``, ``trivial`` (the body is a parameter: nothing to
            describe), ``raises`` or ``constant``.
    """
    try:
        body = one_line(candidate.body)
        if any(p.name == candidate.name for p in candidate.params):
            raise BodyError("a parameter shadows the function")
        expr = check_body(body, BodyContext(params=candidate.params), candidate.returns)
    except (BodyError, SyntaxError, ValueError, RecursionError) as err:
        raise Dropped("body_rejected", str(err)) from None
    if isinstance(expr, n.Name) and expr.kind == "param":
        raise Dropped("trivial")
    tests = make_cases(expr, candidate.params, f"lift|{candidate.name}|{body}")
    return lifted_record(origin, candidate, body, expr, tests)


# -- files --------------------------------------------------------------------------------


@dataclass
class LiftResult:
    """What `lift_paths` found: the records, and counts of everything else."""

    records: list[dict[str, Any]] = field(default_factory=list)
    files: int = 0
    functions: int = 0
    file_problems: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)

    @property
    def stats(self) -> dict[str, Any]:
        """JSON-ready counts: files read, their problems, functions scanned, lifted, dropped."""
        return {
            "files": self.files,
            "file_problems": {k: self.file_problems[k] for k in FILE_PROBLEMS},
            "functions": self.functions,
            "lifted": len(self.records),
            "dropped": {k: self.dropped[k] for k in REASONS},
        }


def lift_text(text: str, file: str, grammar: LiftGrammar, result: LiftResult) -> None:
    """Lift every function of one file's source into `result`.

    A file that does not parse cleanly counts as a ``syntax_error`` and gives nothing: a
    function inside a broken file may be cut where the parser recovered.
    """
    tree = grammar.parser().parse(text.encode("utf-8"))
    if tree.root_node.has_error:
        result.file_problems["syntax_error"] += 1
        return
    captures = _read_captures(grammar.query, tree.root_node)
    for found in sorted(captures.functions.values(), key=lambda f: f["lift.function"].start_byte):
        result.functions += 1
        try:
            candidate = _candidate(found, captures)
            origin = f"{file}:{candidate.line}:{candidate.name}"
            result.records.append(lift_function(candidate, origin))
        except Dropped as dropped:
            result.dropped[dropped.reason] += 1


def source_files(paths: Iterable[str | os.PathLike[str]], extension: str,
                 on_unlistable: Callable[[OSError], None] | None = None) -> list[Path]:
    """Files named directly, then every ``*.<extension>`` below each folder, sorted;
    symbolic links to folders are not followed (no cycles).

    A folder that cannot be listed (permission denied) is passed to `on_unlistable`, so a
    caller can count it; its files are never silently missing.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            for folder, dirs, names in os.walk(path, onerror=on_unlistable):
                dirs.sort()
                files.extend(Path(folder) / name for name in sorted(names) if name.endswith("." + extension))
        else:
            files.append(path)
    return files


def lift_paths(paths: Sequence[str | os.PathLike[str]], lang: str = "python",
               progress: bool = False) -> LiftResult:
    """Lift every qualifying function under `paths`.

    Args:
        paths: source files and folders (folders are walked for the language's files).
        lang: the programming language; needs ``grammars/<lang>/lift.scm``.
        progress: a tqdm bar on stderr.

    Returns:
        The `LiftResult`; unreadable, non-UTF-8 and unparsable files and folders that cannot
        be listed are counted, not raised (a folder also gets a warning line on stderr).

    Raises:
        SpecError: a path that does not exist, or a language that cannot be lifted.

    Example:
        >>> result = lift_paths(["src/"])
        >>> result.stats["lifted"], result.records[0]["origin"]     # doctest: +SKIP
        (12, 'src/geometry.py:3:area')
    """
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise SpecError("no such file or folder", file=missing[0])
    grammar = load_lift_grammar(lang)
    result = LiftResult()

    def unlistable(err: OSError) -> None:
        result.file_problems["unlistable_folder"] += 1
        print(f"{err.filename}: warning: cannot list folder ({err.strerror}); skipped", file=sys.stderr)

    for path in tqdm(source_files(paths, grammar.extension, unlistable), desc="lift", unit="file",
                     disable=not progress, file=None):
        result.files += 1
        try:
            data = path.read_bytes()
        except OSError:
            result.file_problems["unreadable"] += 1
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            result.file_problems["not_utf8"] += 1
            continue
        lift_text(text.removeprefix("\ufeff"), str(path), grammar, result)
    return result


__all__ = ["Candidate", "Dropped", "FILE_PROBLEMS", "LiftGrammar", "LiftResult", "REASONS", "constructs_of",
           "draw_value", "lift_function", "lift_paths", "lift_text", "lifted_record",
           "load_lift_grammar", "make_cases", "one_line", "source_files"]
