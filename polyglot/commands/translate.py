"""`polyglot translate`: a spec -> code and its tests, in one or more languages."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click

from polyglot.codegen import load_code_pack, project_problems, render_project, resolve_targets, verify_project
from polyglot.commands._common import MAX_SEED, option, read_spec_arg, split_list
from polyglot.io import check_new_files, check_out_dir, write_files


@click.command("translate")
@click.argument("spec", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--to", "targets", required=True, metavar="LANG[,LANG...]|all",
              help="Target languages, comma-separated, or `all` for every code pack.")
@click.option("-o", "--output", type=click.Path(file_okay=False), default=None,
              help="Write files here (one language: into DIR; several: DIR/<lang>/). "
                   "Without it, one language is printed to stdout.")
@click.option("--verify", is_flag=True, help="Build the code and run its generated tests (needs the toolchain).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist under -o.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report (files, syntax, verification).")
@click.option("--model", "model_dir", default=None, metavar="DIR|v0",
              help="A model folder (model.safetensors + tokenizer.model), or `v0` for the shipped "
                   "model, that writes bodies for behaviours with words but no implementation.")
@click.option("-k", "--candidates", default=8, show_default=True, type=click.IntRange(1, 256),
              help="With --model: how many bodies to propose per behaviour.")
@click.option("--decode", "method", type=click.Choice(["sample", "beam"]), default="sample",
              show_default=True, help="With --model: nucleus sampling or beam search.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, MAX_SEED),
              help="With --model: the sampling seed.")
def command(spec: str, targets: str, output: str | None, verify: bool, force: bool, as_json: bool,
            model_dir: str | None, candidates: int, method: str, seed: int) -> None:
    """Render SPEC into code and tests for each target language.

    Every file is parsed with the language's tree-sitter grammar; --verify also compiles
    it and runs the tests. Exit status: 0 ok, 1 a syntax problem or a failing test,
    2 bad input (a malformed spec, an unknown language, a file in the way). SPEC `-`
    reads standard input. Files under -o are written all or none, and existing ones
    only with --force.

    \b
    Examples:
      polyglot translate examples/cart.vibee --to python
      cat cart.vibee | polyglot translate - --to go
      polyglot translate examples/cart.vibee --to rust,javascript -o out/ --verify
      polyglot translate examples/cart.vibee --to all -o out/ --force --json
      polyglot translate words_only.vibee --to go --model v0 -k 16
    """
    with option("--to"):
        names = resolve_targets(",".join(split_list(targets, "--to")))
    if output is None and len(names) > 1 and not as_json:
        raise click.UsageError("several target languages need -o DIR (or --json)")
    if output is not None:
        with option("-o"):
            check_out_dir(output, must_be_empty=False)  # before a model spends minutes
    parsed = read_spec_arg(spec, on_warning=lambda w: click.echo(str(w), err=True))
    packs = {name: load_code_pack(name) for name in names}
    if output is not None and model_dir is not None:
        # the files a spec makes do not depend on its bodies: refuse now, not after the model
        stubs = {name: render_project(packs[name], [parsed]) for name in names}
        with option("-o"):
            check_new_files(_planned(output, stubs), force=force)
    parsed, proposals = _fill_bodies(parsed, model_dir, candidates=candidates, method=method, seed=seed)
    projects = {name: render_project(packs[name], [parsed]) for name in names}
    problems = {name: project_problems(packs[name], projects[name]) for name in names}

    written: dict[str, list[str]] = {name: [] for name in names}
    if output is not None:
        planned = _planned(output, projects)
        with option("-o"):
            write_files({path: text for path, (_, text) in planned.items()}, force=force)
        for path, (name, _) in planned.items():
            written[name].append(os.fspath(path))

    reports = {name: verify_project(packs[name], projects[name]) for name in names} if verify else {}
    # A stub of a behaviour without a signature fails as it must (the spec promises no
    # contract to check); a behaviour with a signature but no body is a gap --verify reports.
    unimplemented = [b.name for b in parsed.behaviors if b.body is None and b.signature_given]
    failed = any(problems.values()) or any(not r.ok for r in reports.values()) or bool(verify and unimplemented)

    if as_json:
        click.echo(json.dumps({"spec": parsed.name, "proposals": proposals, "targets": [
            {"language": name,
             "files": projects[name].files if output is None else None,
             "written": written[name],
             "syntax": [str(p) for p in problems[name]],
             "verify": reports[name].to_dict() if name in reports else None}
            for name in names], "exit": 1 if failed else 0}, ensure_ascii=False, indent=2))
    else:
        for name in names:
            if output is None:
                line = packs[name].comments["line"]
                for path, text in projects[name].files.items():
                    click.echo(f"{line} ==> {path} <==")
                    click.echo(text)
            for problem in problems[name]:
                click.echo(f"{name}: syntax: {problem}", err=True)
            if name in reports:
                _echo_report(reports[name], err=output is None)
        for path in (p for name in names for p in written[name]):
            click.echo(f"wrote {path}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


def _planned(output: str, projects: dict) -> dict[Path, tuple[str, str]]:
    """``path -> (language, text)`` of every file under -o: one folder per language if several."""
    planned: dict[Path, tuple[str, str]] = {}
    for name, project in projects.items():
        folder = Path(output) if len(projects) == 1 else Path(output) / name
        planned.update({folder / path: (name, text) for path, text in project.files.items()})
    return planned


def _fill_bodies(spec, model_dir: str | None, **options) -> tuple:
    """Bodies from the model where the spec has only words; a warning for each still missing."""
    proposals: list[dict] = []
    if model_dir is not None:
        from polyglot.nmt.propose import fill_bodies, load_bundle

        model, tokenizer = load_bundle(model_dir)
        spec, found = fill_bodies(spec, model, tokenizer, k=options["candidates"],
                                  method=options["method"], seed=options["seed"])
        proposals = [{"behavior": p.behavior, "body": p.body.source if p.body else None,
                      "candidates": [c.__dict__ for c in p.candidates]} for p in found]
        for p in found:
            if p.body is not None:
                kept = sum(c.verdict in ("chosen", "passed") for c in p.candidates)
                click.echo(f"{spec.source}: note: `{p.behavior}`: body from the model: {p.body.source} "
                           f"({kept} of {len(p.candidates)} candidates pass its cases)", err=True)
    for b in spec.behaviors:
        if b.body is None and b.signature_given:
            why = "no candidate passed its test cases" if model_dir else "no implementation and no --model"
            click.echo(f"{spec.source}: warning: `{b.name}`: {why}; it is rendered as a stub that fails",
                       err=True)
    return spec, proposals


def _echo_report(report, err: bool) -> None:
    for case in report.cases:
        mark = "PASS" if case.status == "passed" else "FAIL"
        detail = f"  ({case.detail})" if case.detail and case.status != "passed" else ""
        click.echo(f"  {mark} {case.id}{detail}", err=err)
    tail = "" if report.ok else f" [{report.stage}]"
    stubs = f" ({report.not_implemented} not implemented: stubs fail as they must)" if report.not_implemented else ""
    click.echo(f"{report.language}: {report.passed} passed, {report.failed} failed{stubs} "
               f"in {report.seconds:.1f} s{tail}", err=err)
    if report.stage in ("compile", "timeout") and report.output:
        click.echo(report.output, err=err)
