"""`polyglot langpack`: list, scaffold and check human and code language packs."""
from __future__ import annotations

import json
import re
from pathlib import Path

import click

from polyglot.errors import SpecError
from polyglot.io import write_files

# What a pack's name may be, by kind: the rules the pack validators apply to the name
# inside the pack, checked here before a file is written (a name is also a path).
NAME_RULES = {
    "code": (re.compile(r"[a-z][a-z0-9_]*"), "lowercase letters, digits and _, a letter first"),
    "human": (re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*"),
              "a lowercase BCP 47 code such as `pt` or `pt-br`"),
}


@click.group("langpack")
def command() -> None:
    """Language packs: the data that teaches polyglot a human or programming language.

    \b
    Examples:
      polyglot langpack list
      polyglot langpack new kotlin --kind code
      polyglot langpack check python
    """


def _human_rows() -> list[dict]:
    try:
        from polyglot import langpacks
    except ImportError:
        return []
    rows = []
    for code, path in langpacks.human_pack_files().items():
        try:
            pack = langpacks.human_pack_from_file(path)
            rows.append({"kind": "human", "name": code, "status": "ok", "title": pack.name, "path": str(path)})
        except SpecError as err:
            rows.append({"kind": "human", "name": code, "status": "error", "title": str(err), "path": str(path)})
    return rows


def _code_rows() -> list[dict]:
    from polyglot.codegen.pack import code_pack_dirs, load_pack_file

    rows = []
    for name, folder in code_pack_dirs().items():
        row = {"kind": "code", "name": name, "path": str(folder)}
        try:
            pack = load_pack_file(folder / "pack.toml")
        except SpecError as err:
            rows.append({**row, "status": "error", "title": str(err), "toolchain": None})
            continue
        missing = pack.toolchain.missing()
        toolchain = "present" if not missing else "missing: " + "; ".join(r.install_hint() for r in missing)
        rows.append({**row, "status": pack.status, "title": pack.display_name, "toolchain": toolchain})
    return rows


@command.command("list")
@click.option("--kind", type=click.Choice(["all", "human", "code"]), default="all", show_default=True,
              help="Which packs to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def list_packs(kind: str, as_json: bool) -> None:
    """List every pack found (POLYGLOT_PATH, installed packages, built-in) with its status.

    \b
    Examples:
      polyglot langpack list
      polyglot langpack list --kind code --json
    """
    rows = (_human_rows() if kind in ("all", "human") else []) + (_code_rows() if kind in ("all", "code") else [])
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        extra = f"  toolchain {row['toolchain']}" if row.get("toolchain") else ""
        click.echo(f"{row['kind']:<6} {row['name']:<12} {row['status']:<12} {row['title']}{extra}")


@command.command("new")
@click.argument("name")
@click.option("--kind", type=click.Choice(["code", "human"]), required=True, help="A programming or a human language.")
@click.option("--dir", "root", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder that holds (or will hold) `langpacks/`.")
def new_pack(name: str, kind: str, root: str) -> None:
    """Scaffold a new pack NAME: every required file, with TODO markers to replace.

    Nothing is written if any file of the pack already exists.

    \b
    Examples:
      polyglot langpack new kotlin --kind code
      polyglot langpack new uk --kind human --dir ~/mypacks
    """
    from polyglot.codegen.scaffold import code_pack_files, human_pack_text

    rule, expected = NAME_RULES[kind]
    if not rule.fullmatch(name):
        raise SpecError(f"bad {kind} pack name", file="NAME", expected=expected, found=json.dumps(name))
    base = Path(root) / "langpacks"
    if kind == "code":
        folder = base / "code" / name
        files = {folder / rel: text for rel, text in code_pack_files(name).items()}
    else:
        files = {base / "human" / f"{name}.toml": human_pack_text(name)}
    existing = [str(p) for p in files if p.exists()]
    if existing:
        raise SpecError(f"pack `{name}` already exists", file=existing[0], hint="pick another name or delete it")
    for path in write_files(files):
        click.echo(f"created {path}")
    click.echo(f"next: replace the TODOs, then `polyglot langpack check {name}`")


@command.command("check")
@click.argument("name")
@click.option("--specs", "specs_dir", type=click.Path(file_okay=False), default=None,
              help="Conformance specs folder (default: tests/conformance/specs of the source tree).")
@click.option("--no-verify", is_flag=True, help="Stop after rendering and parsing (no toolchain needed).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
def check_pack(name: str, specs_dir: str | None, no_verify: bool, as_json: bool) -> None:
    """Check pack NAME: schema, grammar, templates, then the conformance suite.

    For a code pack the suite renders every conformance spec into one project, parses
    each file with the pack's tree-sitter grammar, builds it and runs every test case
    (the toolchain must be installed). A human pack is validated.

    \b
    Examples:
      polyglot langpack check python
      polyglot langpack check rust --no-verify
    """
    from polyglot.codegen.conformance import conformance_specs, run_conformance
    from polyglot.codegen.pack import code_pack_dirs, load_code_pack
    from polyglot.codegen.syntax import grammar_loads

    steps: list[tuple[str, bool, str]] = []

    def step(label: str, ok: bool, detail: str = "") -> None:
        steps.append((label, ok, detail))
        if not as_json:
            click.echo(f"{'ok  ' if ok else 'FAIL'} {label}{': ' + detail if detail else ''}")

    if name not in code_pack_dirs():
        from polyglot.errors import did_you_mean
        from polyglot.langpacks import human_pack_files, load_human_pack

        known = [*code_pack_dirs(), *human_pack_files()]
        if name not in known:
            raise SpecError(f"unknown language pack `{name}`", file="NAME", hint=did_you_mean(name, known))
        pack_h = load_human_pack(name)
        step("human pack schema", True, pack_h.name)
        ok = True
    else:
        pack = load_code_pack(name)
        step("schema", True, str(pack.root))
        step("grammar", grammar_loads(pack.grammar), pack.grammar)
        result = run_conformance(pack, conformance_specs(specs_dir), verify=False)
        step("templates render", True, f"{len(result.project.specs)} specs, {len(result.project.files)} files "
                                       f"in {result.render_s:.2f} s")
        step("tree-sitter parse", not result.problems,
             f"{len(result.problems)} problem(s)" + "".join(f"\n    {p}" for p in result.problems[:10]))
        ok = not result.problems
        if not no_verify:
            from polyglot.codegen.verify import verify_project

            report = verify_project(pack, result.project)
            failed = [c for c in report.cases if c.status != "passed"]
            step("conformance", report.ok, f"{report.passed}/{len(report.cases)} cases passed in {report.seconds:.1f} s"
                 + "".join(f"\n    {c.id}: {c.detail}" for c in failed[:20])
                 + (f"\n{report.output}" if report.stage != "run" else ""))
            ok = ok and report.ok
    if as_json:
        click.echo(json.dumps({"pack": name, "ok": ok, "steps": [
            {"step": s, "ok": o, "detail": d} for s, o, d in steps]}, ensure_ascii=False, indent=2))
    if not ok:
        raise click.exceptions.Exit(1)
