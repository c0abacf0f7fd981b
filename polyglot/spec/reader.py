"""Read a .vibee file into the typed IR: keys in any of 20 human languages, every VIBEE spelling.

The reader is forgiving about spelling (localized keys, `values:` for `enum:`, params as a
list or a mapping, JSON inside strings) and strict about meaning: every type resolves, every
test value fits its type, every body type-checks. Anything wrong is a SpecError pointing at
the file, line and column; decorative keys are ignored with a warning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any, Callable

from polyglot.body.check import BodyContext, BodyError, check_body
from polyglot.errors import SpecError, did_you_mean
from polyglot.spec import keys as K
from polyglot.spec.fold import rejoin
from polyglot.spec.ir import (Behavior, Body, Constant, Enum, Field, Param, Record, Spec,
                              TestCase)
from polyglot.spec.names import normal_name
from polyglot.spec.types import (ANY, GENERICS, NONE, PRIMITIVES, TYPE_ALIASES, Type, TypeSyntaxError,
                                  parse_type)
from polyglot.spec.values import ValueError_, convert_value, describe, infer_type, yaml11_hint
from polyglot.spec.yamlsafe import Located, load_yaml, yaml11_number

Warn = Callable[[SpecError], None]
#: Fields of prose for people: a folded (`>`) line break between two characters of a script
#: written without spaces (Chinese, Japanese, Thai...) joins them without a space here only.
_PROSE = frozenset({"given", "when", "then", "description"})
_CONTEXTS = {
    "top": K.TOP_KEYS, "type": K.TYPE_KEYS, "behavior": K.BEHAVIOR_KEYS,
    "param": K.PARAM_KEYS, "test": K.TEST_KEYS, "constant": K.CONSTANT_KEYS,
}


def read_spec(path: str | FilePath, *, strict: bool = False, on_warning: Warn | None = None) -> Spec:
    """Read and check one .vibee file.

    Args:
        path: the file.
        strict: unknown keys are errors (with a "did you mean") instead of warnings.
        on_warning: called with each warning (a SpecError whose severity is "warning").

    Returns:
        The Spec IR.

    Raises:
        SpecError: the first problem, located.

    Example:
        >>> spec = read_spec("examples/cart.vibee")
        >>> [b.name for b in spec.behaviors]
        ['total_price', ...]
    """
    path = FilePath(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SpecError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a spec file", file=str(path)) from None
    except OSError as err:
        raise SpecError(f"cannot read file: {err.strerror}", file=str(path)) from None
    return parse_spec(data, file=str(path), strict=strict, on_warning=on_warning)


def parse_spec(text: str | bytes, file: str = "<input>", *, strict: bool = False,
               on_warning: Warn | None = None) -> Spec:
    """Like `read_spec`, from text already in memory."""
    doc = load_yaml(text, file)
    return _Reader(doc, strict, on_warning or (lambda w: None)).read()


@dataclass
class _Reader:
    doc: Located
    strict: bool
    warn: Warn
    aliases: dict[str, str] = field(default_factory=dict)
    type_aliases: dict[str, str] = field(default_factory=dict)
    locale: str = "en"
    #: where each declared type ("Item",) and field ("Item", "price") was written, for errors
    declared_at: dict[tuple[str, ...], tuple] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)  # record and enum names
    enum_names: set[str] = field(default_factory=set)

    # -- helpers --------------------------------------------------------------------------
    def error(self, path: tuple, message: str, key: bool = False, **kw: Any) -> SpecError:
        return self.doc.error(path, message, key=key, **kw)

    def warning(self, path: tuple, message: str, key: bool = False, **kw: Any) -> None:
        err = self.doc.error(path, message, key=key, **kw)
        err.severity = "warning"
        self.warn(err)

    def canon(self, mapping: Any, path: tuple, context: str) -> dict[str, tuple[Any, tuple]]:
        """Map a mapping's keys to canonical ones: {canonical: (value, path of the value)}."""
        if not isinstance(mapping, dict):
            raise self.error(path, f"expected a mapping of {context} keys", found=describe(mapping))
        allowed = _CONTEXTS[context]
        out: dict[str, tuple[Any, tuple]] = {}
        for key, value in mapping.items():
            canonical = self.aliases.get(key) or self.aliases.get(str(key).casefold())
            vpath = path + (key,)
            if canonical in allowed:
                if canonical in out:
                    raise self.error(vpath, f"`{key}` repeats `{canonical}`", key=True)
                out[canonical] = (value, vpath)
            elif key in K.DECORATIVE_KEYS or str(key).casefold() in K.DECORATIVE_KEYS:
                self.warning(vpath, f"decorative key `{key}` ignored", key=True)
            else:
                names = list(allowed) + [a for a, c in self.aliases.items() if c in allowed]
                hint = did_you_mean(str(key), names)
                where = f" in a {context}" if context != "top" else ""
                message = f"unknown key `{key}`{where}"
                if canonical:
                    message = f"`{key}` does not belong{where}"
                if self.strict:
                    raise self.error(vpath, message, key=True, hint=hint)
                self.warning(vpath, message + " ignored", key=True, hint=hint)
        return out

    def text(self, entry: tuple[Any, tuple] | None, what: str) -> str:
        """A text field as written: `version: 1.10` is "1.10", `then: true` is "true"."""
        if entry is None:
            return ""
        value, path = entry
        if value is None:
            return ""
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            return "; ".join(self._scalar_text(v, path + (i,), what) for i, v in enumerate(value))
        if isinstance(value, (str, int, float)):
            return self._scalar_text(value, path, what)
        raise self.error(path, f"`{what}` must be text", found=describe(value))

    def _scalar_text(self, value: Any, path: tuple, what: str) -> str:
        if not isinstance(value, str):
            return self.doc.written.get(path, str(value))
        literal = self.doc.literal(path) if what in _PROSE else None
        return rejoin(literal, value) if literal is not None else value

    def ident(self, value: Any, path: tuple, what: str, key: bool = False) -> str:
        """A name as Python reads it (NFKC-normalised), or a located error.

        A plain scalar YAML reads as something else is the name as written: `name: null`
        is `null`, `name: true` is `true` (and `name: 5` is an invalid identifier `5`).
        """
        if not key and not isinstance(value, str) and path in self.doc.written:
            value = self.doc.written[path]
            if not value:
                raise self.error(path, f"{what} is empty", key=key)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.error(path, f"{what} must be a name", found=describe(value), key=key)
        written = str(value).strip()
        name = normal_name(written)
        if not (written.isidentifier() and name.isidentifier()):
            raise self.error(path, f"{what} `{written}` is not a valid identifier",
                             expected="letters, digits and _, not starting with a digit", key=key)
        return name

    def claim(self, seen: dict[str, str], name: str, written: Any, path: tuple, message: str,
              key: bool = False) -> None:
        """Declare `name` (spelled `written`) once in `seen`; a second declaration is an error.

        Two spellings that are one name after NFKC (`ﬁle`, `file`) clash too, with a hint,
        since Python -- and so the body -- cannot tell them apart.
        """
        written = str(written).strip()
        if name not in seen:
            seen[name] = written
            return
        hint = None
        if seen[name] != written:
            hint = (f"`{seen[name]}` and `{written}` are one name to Python, which reads "
                    "identifiers in NFKC form; rename one")
        raise self.error(path, message, key=key, hint=hint)

    def type_of(self, value: Any, path: tuple, key: bool = False) -> Type:
        if isinstance(value, bool) or not isinstance(value, str):
            raise self.error(path, "a type must be written as text, e.g. `List<Int>`",
                             found=describe(value), key=key)
        try:
            return parse_type(value, self.type_aliases)
        except TypeSyntaxError as err:
            line, col = self.doc.locate_fragment(path, 1, err.offset + 1, value)
            raise SpecError(f"bad type `{value}`: {err}", file=self.doc.file, line=line,
                            column=col, path=_fmt(path)) from None

    # -- the document ---------------------------------------------------------------------
    def read(self) -> Spec:
        top_value = self.doc.value
        if not isinstance(top_value, dict):
            raise self.error((), "a spec is a mapping of keys such as `name:` and `behaviors:`",
                             found=describe(top_value) if top_value is not None else "an empty file")
        self.choose_locale(top_value)
        top = self.canon(top_value, (), "top")
        if "name" not in top:
            raise self.error((), "missing `name`", hint="every spec starts with `name: ...`")
        name = self.text(top["name"], "name").strip()
        if not name:
            raise self.error(top["name"][1], "`name` is empty")
        module = self.text(top.get("module"), "module").strip() or re.sub(r"\W+", "_", name).strip("_") or "spec"
        records, enums = self.read_types(top.get("types"))
        declared = {r.name for r in records} | {e.name for e in enums}
        self.enum_names = {e.name for e in enums}
        self.resolve_types(records, declared)
        constants = self.read_constants(top.get("constants"), records, enums)
        imports = self.read_imports(top.get("imports"))
        context = BodyContext((), tuple(records), tuple(enums), tuple(constants))
        behaviors = self.read_behaviors(top.get("behaviors"), top.get("test_cases"), context, declared)
        return Spec(name=name, module=module, version=self.text(top.get("version"), "version"),
                    locale=self.locale, description=self.text(top.get("description"), "description"),
                    records=tuple(records), enums=tuple(enums), constants=tuple(constants),
                    imports=imports, behaviors=tuple(behaviors), source=self.doc.file)

    def choose_locale(self, top: dict) -> None:
        from polyglot.langpacks import human_packs, infer_locale

        packs = human_packs()
        declared = None
        for key, value in top.items():
            is_locale = key in ("locale", "lang") or any(
                p.alias_to_key.get(key) == "locale" for p in packs.values())
            if is_locale:
                if not isinstance(value, str) or value not in packs:
                    raise self.error((key,), "unknown locale", expected=" ".join(sorted(packs)),
                                     found=describe(value), hint=did_you_mean(str(value), list(packs)))
                declared = value
        if declared is None:
            keys = list(top)
            for v in top.values():
                items = v if isinstance(v, list) else list(v.values()) if isinstance(v, dict) else []
                for item in items[:20]:
                    if isinstance(item, dict):
                        keys.extend(item)
            declared = infer_locale([k for k in keys if isinstance(k, str)]) or "en"
        self.locale = declared
        pack = packs.get(declared)
        self.aliases = {k: k for k in K.CANONICAL_KEYS}
        self.aliases.update(K.UNIVERSAL_ALIASES)
        if pack is not None:
            self.aliases.update(pack.alias_to_key)
            self.aliases.update({a.casefold(): k for a, k in pack.alias_to_key.items()})
            for canonical, spellings in pack.types.items():
                for spelling in spellings:
                    self.type_aliases[normal_name(spelling)] = canonical

    def read_imports(self, entry) -> tuple[str, ...]:
        if entry is None or entry[0] is None:
            return ()
        value, path = entry
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            if isinstance(item, dict):  # {module: x} or {name: x}
                item = next(iter(item.values()), "") if item else ""
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                raise self.error(path + (i,), "an import must be a module name", found=describe(item))
            out.append(str(item))
        return tuple(out)

    # -- types ----------------------------------------------------------------------------
    def read_types(self, entry) -> tuple[list[Record], list[Enum]]:
        records: list[Record] = []
        enums: list[Enum] = []
        if entry is None or entry[0] is None:
            return records, enums
        value, path = entry
        if isinstance(value, dict):
            items = [(name, body, path + (name,), True) for name, body in value.items()]
        elif isinstance(value, list):
            items = []
            for i, body in enumerate(value):
                if not isinstance(body, dict):
                    raise self.error(path + (i,), "expected a type: a mapping with `name:` and `fields:`",
                                     found=describe(body))
                fields = self.canon(body, path + (i,), "type")
                if "name" not in fields:
                    raise self.error(path + (i,), "a type in a list needs `name:`")
                items.append((fields["name"][0], body, path + (i,), False))
        else:
            raise self.error(path, "`types` must be a mapping of type names", found=describe(value))
        seen: dict[str, str] = {}
        for name, body, tpath, name_is_key in items:
            npath = tpath if name_is_key else tpath + ("name",)
            tname = self.ident(name, npath, "a type name", key=name_is_key)
            if tname in PRIMITIVES or tname in GENERICS:
                raise self.error(tpath, f"`{tname}` is a built-in type and cannot be redeclared", key=name_is_key)
            self.refuse_builtin_spelling(tname, npath, name_is_key)
            self.claim(seen, tname, name, tpath, f"type `{tname}` is declared twice", key=name_is_key)
            self.declared_at[(tname,)] = tpath
            kind = self.read_type_body(tname, body, tpath)
            (records if isinstance(kind, Record) else enums).append(kind)  # type: ignore[arg-type]
        return records, enums

    def refuse_builtin_spelling(self, name: str, path: tuple, key: bool) -> None:
        """A type named `Integer` or `Text` would silently be Int or String wherever it is used."""
        builtin = TYPE_ALIASES.get(name) or self.type_aliases.get(name)
        if builtin is not None:
            raise self.error(path, f"`{name}` is another spelling of the built-in type `{builtin}` "
                             "and cannot name a declared type", key=key,
                             hint=f"`{name}` in a type means `{builtin}`; rename this one, e.g. `My{name}`")
        if name in (ANY.name, NONE.name):
            raise self.error(path, f"`{name}` is reserved by the body checker and cannot name a declared "
                             "type", key=key, hint=f"rename this one, e.g. `My{name}`")

    def read_type_body(self, name: str, body: Any, path: tuple) -> Record | Enum:
        if isinstance(body, list):  # `Color: [red, green]`
            return Enum(name, self.read_members(body, path))
        if body is None:
            return Record(name, ())
        if isinstance(body, str):  # `Id: String` aliases are not types of their own
            raise self.error(path, f"type `{name}` must declare `fields:` or `enum:`",
                             found=describe(body))
        if not isinstance(body, dict):
            raise self.error(path, f"type `{name}` must be a mapping", found=describe(body))
        canonical_keys = {self.aliases.get(k) or self.aliases.get(str(k).casefold()) for k in body}
        if not canonical_keys & {"fields", "enum", "values", "variants", "description", "name"}:
            return Record(name, self.read_fields(name, body, path))  # fields written directly
        fields = self.canon(body, path, "type")
        description = self.text(fields.get("description"), "description")
        kinds = [k for k in ("fields", "enum", "values", "variants") if k in fields]
        if len(kinds) > 1:
            raise self.error(path, f"type `{name}` has both `{kinds[0]}` and `{kinds[1]}`")
        if not kinds:
            return Record(name, (), description)
        value, vpath = fields[kinds[0]]
        if kinds[0] == "fields":
            return Record(name, self.read_fields(name, value, vpath), description)
        return Enum(name, self.read_members(value, vpath), description)

    def read_members(self, value: Any, path: tuple) -> tuple[str, ...]:
        if isinstance(value, dict):
            raw = list(value.keys())
        elif isinstance(value, list):
            raw = []
            for i, item in enumerate(value):
                ipath = path + (i,)
                if isinstance(item, dict):
                    if "name" in item:
                        item, ipath = item["name"], ipath + ("name",)
                    elif len(item) == 1:
                        item = next(iter(item))
                raw.append((item, ipath))
        elif isinstance(value, str):
            raw = [m.strip() for m in value.replace("|", ",").split(",")]
        else:
            raise self.error(path, "enum members must be a list of names", found=describe(value))
        members: dict[str, str] = {}
        for item in raw:
            item, ipath = item if isinstance(item, tuple) else (item, path)
            member = self.ident(item, ipath, "an enum member")
            self.claim(members, member, item, ipath, f"enum member `{member}` appears twice")
        if not members:
            raise self.error(path, "an enum needs at least one member")
        return tuple(members)

    def read_fields(self, owner: str, value: Any, path: tuple) -> tuple[Field, ...]:
        entries: list[tuple[Any, Any, tuple, str]] = []  # (name, type, path, description)
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, dict):  # f: {type: Int, description: ...}
                    sub = self.canon(v, path + (k,), "param")
                    if "type" not in sub:
                        raise self.error(path + (k,), f"field `{k}` needs a `type:`")
                    entries.append((k, sub["type"][0], sub["type"][1], self.text(sub.get("description"), "description")))
                else:
                    entries.append((k, v, path + (k,), ""))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                ipath = path + (i,)
                if isinstance(item, dict) and len(item) == 1 and not (
                        self.aliases.get(next(iter(item))) in ("name", "type")):
                    (k, v), = item.items()
                    entries.append((k, v, ipath + (k,), ""))
                elif isinstance(item, dict):
                    sub = self.canon(item, ipath, "param")
                    if "name" not in sub or "type" not in sub:
                        raise self.error(ipath, "a field needs `name:` and `type:`")
                    entries.append((sub["name"][0], sub["type"][0], sub["type"][1],
                                    self.text(sub.get("description"), "description")))
                else:
                    raise self.error(ipath, "a field is `name: Type` or {name: ..., type: ...}",
                                     found=describe(item))
        elif value is not None:
            raise self.error(path, "`fields` must be a mapping of field names to types", found=describe(value))
        fields: list[Field] = []
        seen: dict[str, str] = {}
        for fname, ftype, fpath, desc in entries:
            name = self.ident(fname, fpath, "a field name", key=isinstance(fpath[-1], str) and fpath[-1] == fname)
            self.claim(seen, name, fname, fpath, f"field `{name}` is declared twice", key=True)
            self.declared_at[(owner, name)] = fpath
            fields.append(Field(name, self.type_of(ftype, fpath), desc))
        return tuple(fields)

    def resolve_types(self, records: list[Record], declared: set[str]) -> None:
        self.declared = declared
        for r in records:
            for f in r.fields:
                self.check_type_names(f.type, self._field_path(r, f))
        graph = {r.name: {n for f in r.fields for n in _names(f.type)} for r in records}
        for r in records:
            if _reaches(graph, r.name, r.name):
                raise SpecError(f"record `{r.name}` contains itself; recursive types are not supported",
                                file=self.doc.file, line=self._type_line(r.name))

    def _field_path(self, r: Record, f: Field) -> tuple:
        return self.declared_at.get((r.name, f.name), ("types",))

    def _type_line(self, name: str) -> int | None:
        return self.doc.where(self.declared_at.get((name,), ("types",)), key=True)[0]

    def check_type_names(self, t: Type, path: tuple) -> None:
        for name in _names(t):
            if name not in self.declared:
                known = list(PRIMITIVES) + sorted(self.declared)
                raise self.error(path, f"unknown type `{name}`", expected="Int, Float, Bool, String, "
                                 "List<T>, Map<K,V>, Option<T> or a declared type",
                                 hint=did_you_mean(name, known))
        for key in _map_keys(t):  # as in a body's map literal: keys every target hashes alike
            if key.name not in ("Int", "String", "Bool") and key.name not in self.enum_names:
                raise self.error(path, f"a map key cannot be {key}", expected="Int, String, Bool or an enum",
                                 hint="a list or record of values can stand in for a map")

    # -- constants ------------------------------------------------------------------------
    def read_constants(self, entry, records, enums) -> list[Constant]:
        if entry is None or entry[0] is None:
            return []
        value, path = entry
        items: list[tuple[Any, Any, tuple, bool]] = []
        if isinstance(value, dict):
            items = [(k, v, path + (k,), True) for k, v in value.items()]
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, dict) or "name" not in item:
                    raise self.error(path + (i,), "a constant in a list needs `name:` and `value:`")
                items.append((item["name"], {k: v for k, v in item.items() if k != "name"}, path + (i,), False))
        else:
            raise self.error(path, "`constants` must be a mapping of names to values", found=describe(value))
        out: list[Constant] = []
        seen: dict[str, str] = {}
        rmap, emap = {r.name: r for r in records}, {e.name: e for e in enums}
        for name, body, cpath, is_key in items:
            cname = self.ident(name, cpath, "a constant name", key=is_key)
            self.claim(seen, cname, name, cpath, f"constant `{cname}` is declared twice", key=is_key)
            ctype, cvalue, description, vpath = None, body, "", cpath
            if isinstance(body, dict) and any(self.aliases.get(k) == "value" for k in body):
                fields = self.canon(body, cpath, "constant")
                cvalue, vpath = fields["value"]
                description = self.text(fields.get("description"), "description")
                if "type" in fields:
                    ctype = self.type_of(fields["type"][0], fields["type"][1])
                    self.check_type_names(ctype, fields["type"][1])
            if ctype is None:
                ctype = infer_type(cvalue)
                if vpath in self.doc.yaml11_numbers:
                    number = yaml11_number(cvalue)
                    self.warning(vpath, f"constant `{cname}` is the text `{cvalue}`, not a number",
                                 hint=f"YAML 1.1 read it as {number} but YAML 1.2, which this reader "
                                 f"follows, reads text; write {number}, or quote it to keep it as text")
                if ctype is None:
                    raise self.error(vpath, f"cannot tell the type of constant `{cname}`",
                                     hint="write it as {type: ..., value: ...}")
            try:
                converted = convert_value(cvalue, ctype, rmap, emap)
            except ValueError_ as err:
                raise self._value_error(err, vpath) from None
            out.append(Constant(cname, ctype, converted, description))
        return out

    def _value_error(self, err: ValueError_, base: tuple) -> SpecError:
        path = base + tuple(err.path)
        hint = err.hint
        if hint is None and err.expected == "a String" and path in self.doc.written:
            hint = f'quote it to keep it as text: "{self.doc.written[path]}"'
        return self.error(path, err.message, key=err.key, expected=err.expected, found=err.found, hint=hint)

    # -- behaviours -----------------------------------------------------------------------
    def read_behaviors(self, entry, top_tests, context: BodyContext, declared: set[str]) -> list[Behavior]:
        raw: list[tuple[dict, tuple]] = []
        if entry is not None and entry[0] is not None:
            value, path = entry
            if isinstance(value, list):
                raw = [(b, path + (i,)) for i, b in enumerate(value)]
            elif isinstance(value, dict):
                for k, b in value.items():
                    if isinstance(b, dict) and not any(self.aliases.get(x) == "name" for x in b):
                        b = {"name": k, **b}
                    raw.append((b, path + (k,)))
            else:
                raise self.error(path, "`behaviors` must be a list of behaviours", found=describe(value))
        extra = self.collect_top_tests(top_tests, raw)
        seen: dict[str, str] = {}
        return [self.read_behavior(body, bpath, context, extra, seen) for body, bpath in raw]

    def collect_top_tests(self, entry, raw) -> dict[str, list[tuple[Any, tuple]]]:
        """Top-level test_cases, grouped by the behaviour each names."""
        grouped: dict[str, list[tuple[Any, tuple]]] = {}
        if entry is None or entry[0] is None:
            return grouped
        value, path = entry
        if not isinstance(value, list):
            raise self.error(path, "`test_cases` must be a list", found=describe(value))
        names = []
        for body, bpath in raw:
            if isinstance(body, dict):
                for k, v in body.items():
                    if self.aliases.get(k) == "name" and isinstance(v, str):
                        names.append(normal_name(v.strip()))
        for i, case in enumerate(value):
            cpath = path + (i,)
            target = None
            if isinstance(case, dict):
                for k, v in case.items():
                    if self.aliases.get(k) == "behavior":
                        target = v
            if isinstance(target, str):
                target = normal_name(target.strip())
            if target is None and len(names) == 1:
                target = names[0]
            if target is None:
                raise self.error(cpath, "a top-level test case must name its `behavior:`",
                                 hint=f"one of: {', '.join(names)}" if names else None)
            if target not in names:
                raise self.error(cpath, f"test case names unknown behaviour `{target}`",
                                 hint=did_you_mean(str(target), names))
            grouped.setdefault(target, []).append((case, cpath))
        return grouped

    def read_behavior(self, body: Any, path: tuple, context: BodyContext, extra,
                      seen: dict[str, str]) -> Behavior:
        fields = self.canon(body, path, "behavior")
        if "name" not in fields:
            raise self.error(path, "a behaviour needs a `name:`")
        name = self.ident(fields["name"][0], fields["name"][1], "a behaviour name")
        self.claim(seen, name, fields["name"][0], path, f"behaviour `{name}` is declared twice")
        params = self.read_params(fields.get("params"))
        returns = None
        if "returns" in fields and fields["returns"][0] is not None:
            returns = self.type_of(*fields["returns"])
            self.check_type_names(returns, fields["returns"][1])
        body_ir = None
        signature = returns is not None
        if "implementation" in fields and fields["implementation"][0] is not None:
            source, ipath = fields["implementation"]
            if not isinstance(source, str):
                raise self.error(ipath, "`implementation` must be an expression in text", found=describe(source))
            if "params" in fields or returns is not None:
                ctx = BodyContext(tuple(params), context.records, context.enums, context.constants)
                try:
                    expr = check_body(source, ctx, returns)
                except BodyError as err:
                    line, col = self.doc.locate_fragment(ipath, err.line, err.col, source.strip())
                    raise SpecError(f"body: {err.message}", file=self.doc.file, line=line, column=col,
                                    path=_fmt(ipath), hint=err.hint) from None
                body_ir = Body(source.strip(), expr)
                returns = returns or expr.type
                signature = True
            else:
                self.warning(ipath, "`implementation` ignored: the behaviour has no `params` or `returns`")
        elif "params" in fields and returns is None:
            self.warning(path, f"behaviour `{name}` has params but no `returns`: it will be a stub")
        cases = []
        if "test_cases" in fields and fields["test_cases"][0] is not None:
            value, tpath = fields["test_cases"]
            if not isinstance(value, list):
                raise self.error(tpath, "`test_cases` must be a list", found=describe(value))
            cases.extend((c, tpath + (i,)) for i, c in enumerate(value))
        cases.extend(extra.get(name, []))
        tests = []
        seen_tests: dict[str, str] = {}
        for i, (c, cpath) in enumerate(cases):
            test = self.read_test(c, cpath, i, params, returns if signature else None, context)
            written = next((v for k, v in c.items() if self.aliases.get(k) == "name" and isinstance(v, str)),
                           test.name)
            self.claim(seen_tests, test.name, written, cpath, f"test case `{test.name}` appears twice in `{name}`")
            tests.append(test)
        return Behavior(name=name, given=self.text(fields.get("given"), "given"),
                        when=self.text(fields.get("when"), "when"), then=self.text(fields.get("then"), "then"),
                        description=self.text(fields.get("description"), "description"),
                        params=tuple(params), returns=returns, body=body_ir, tests=tuple(tests),
                        signature_given=signature)

    def read_params(self, entry) -> list[Param]:
        if entry is None or entry[0] is None:
            return []
        value, path = entry
        items: list[tuple[Any, Any, tuple, tuple, str]] = []  # name, type, name path, type path, desc
        if isinstance(value, dict):
            items = [(k, v, path + (k,), path + (k,), "") for k, v in value.items()]
        elif isinstance(value, list):
            for i, item in enumerate(value):
                ipath = path + (i,)
                if isinstance(item, dict) and len(item) == 1 and self.aliases.get(next(iter(item))) not in ("name", "type"):
                    (k, v), = item.items()
                    items.append((k, v, ipath + (k,), ipath + (k,), ""))
                elif isinstance(item, dict):
                    sub = self.canon(item, ipath, "param")
                    for need in ("name", "type"):
                        if need not in sub:
                            raise self.error(ipath, f"a parameter needs `{need}:`")
                    items.append((sub["name"][0], sub["type"][0], sub["name"][1], sub["type"][1],
                                  self.text(sub.get("description"), "description")))
                else:
                    raise self.error(ipath, "a parameter is {name: ..., type: ...} or `name: Type`",
                                     found=describe(item))
        else:
            raise self.error(path, "`params` must be a list or a mapping", found=describe(value))
        params: list[Param] = []
        seen: dict[str, str] = {}
        for pname, ptype, npath, tpath, desc in items:
            name = self.ident(pname, npath, "a parameter name")
            self.claim(seen, name, pname, npath, f"parameter `{name}` is declared twice", key=npath == tpath)
            t = self.type_of(ptype, tpath)
            self.check_type_names(t, tpath)
            params.append(Param(name, t, desc))
        return params

    def read_test(self, case: Any, path: tuple, index: int, params: list[Param],
                  returns: Type | None, context: BodyContext) -> TestCase:
        fields = self.canon(case, path, "test")
        name = f"case_{index + 1}"
        if "name" in fields and (fields["name"][0] is not None or fields["name"][1] in self.doc.written):
            name = self.ident(fields["name"][0], fields["name"][1], "a test case name")
        raises = False
        if "raises" in fields:
            raises = fields["raises"][0]
            if not isinstance(raises, bool):
                raise self.error(fields["raises"][1], "`raises` must be true or false", found=describe(raises),
                                 hint=yaml11_hint(raises))
        tolerance = 1e-9
        if "tolerance" in fields:
            tolerance = fields["tolerance"][0]
            if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not tolerance >= 0:
                raise self.error(fields["tolerance"][1], "`tolerance` must be a non-negative number",
                                 found=describe(tolerance), hint=yaml11_hint(tolerance))
            tolerance = float(tolerance)
        records = {r.name: r for r in context.records}
        enums = {e.name: e for e in context.enums}
        raw_input, ipath = fields.get("input", ({}, path))
        expected_entry = fields.get("expected")
        if returns is None:  # no signature: keep the example as written, it cannot be checked
            raw = raw_input if isinstance(raw_input, dict) else {"input": raw_input}
            return TestCase(name, tuple((str(k), _freeze_raw(v)) for k, v in raw.items()),
                            _freeze_raw(expected_entry[0]) if expected_entry else None, raises, tolerance)
        from polyglot.spec.values import maybe_json
        if raw_input is None:
            raw_input = {}
        raw_input = maybe_json(raw_input, Type("Map", ()))
        if not isinstance(raw_input, dict) or (len(params) == 1 and len(raw_input) != 1 and params[0].name
                                               not in {normal_name(str(k).strip()) for k in raw_input}):
            if len(params) == 1:
                raw_input = {params[0].name: raw_input}
            else:
                raise self.error(ipath, "`input` must map parameter names to values", found=describe(raw_input))
        names = [p.name for p in params]
        given: dict[str, Any] = {}  # parameter name -> its key in `input`
        spelled: dict[str, str] = {}
        for k in raw_input:
            key = normal_name(str(k).strip())
            if key not in names:
                raise self.error(ipath + (k,), f"`{k}` is not a parameter of this behaviour", key=True,
                                 hint=did_you_mean(str(k), names) or (f"parameters: {', '.join(names)}" if names else "it has none"))
            self.claim(spelled, key, k, ipath + (k,), f"parameter `{key}` is given twice", key=True)
            given[key] = k
        inputs = []
        for p in params:
            if p.name not in given:
                if p.type.name == "Option":
                    inputs.append((p.name, None))
                    continue
                raise self.error(ipath, f"test case `{name}` gives no value for parameter `{p.name}`")
            written = given[p.name]
            try:
                inputs.append((p.name, convert_value(raw_input[written], p.type, records, enums)))
            except ValueError_ as err:
                raise self._value_error(err, ipath + (written,)) from None
        expected = None
        if raises:
            if expected_entry is not None and expected_entry[0] is not None:
                raise self.error(expected_entry[1], "a test case with `raises: true` expects no value")
        else:
            if expected_entry is None:
                raise self.error(path, f"test case `{name}` has no `expected:` (or `raises: true`)")
            try:
                expected = convert_value(expected_entry[0], returns, records, enums)
            except ValueError_ as err:
                raise self._value_error(err, expected_entry[1]) from None
        return TestCase(name, tuple(inputs), expected, raises, tolerance)


def _freeze_raw(value: Any) -> Any:
    from polyglot.spec.ir import MapValue

    if isinstance(value, list):
        return tuple(_freeze_raw(v) for v in value)
    if isinstance(value, dict):
        return MapValue(tuple((k, _freeze_raw(v)) for k, v in value.items()))
    return value


def _names(t: Type) -> list[str]:
    out = [] if t.name in PRIMITIVES or t.name in GENERICS else [t.name]
    for a in t.args:
        out.extend(_names(a))
    return out


def _map_keys(t: Type) -> list[Type]:
    out = [t.args[0]] if t.name == "Map" else []
    for a in t.args:
        out.extend(_map_keys(a))
    return out


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen: set[str] = set()
    stack = list(graph.get(start, ()))
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return False


def _fmt(path: tuple) -> str:
    from polyglot.spec.yamlsafe import format_path

    return format_path(path)
