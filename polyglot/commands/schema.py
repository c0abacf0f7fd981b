"""`polyglot schema`: the JSON Schema of the .vibee format."""
from __future__ import annotations

import json

import click

from polyglot.commands._common import option
from polyglot.errors import SpecError, did_you_mean
from polyglot.io import write_files
from polyglot.spec.schema import spec_schema


@click.command("schema")
@click.option("--locale", default=None, metavar="CODE",
              help="Also accept the keys of this human language (e.g. ru, zh).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout (atomically).")
@click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
def command(locale: str | None, output: str | None, force: bool) -> None:
    """Print the JSON Schema of .vibee specs, for editors' YAML plugins.

    \b
    Examples:
      polyglot schema > vibee.schema.json
      polyglot schema --locale ru -o vibee-ru.schema.json
      polyglot schema --locale ru -o vibee-ru.schema.json --force
    """
    aliases: dict[str, list[str]] = {}
    if locale is not None:
        from polyglot.langpacks import human_packs

        packs = human_packs()
        if locale not in packs:
            raise SpecError(f"unknown locale `{locale}`", file="--locale", hint=did_you_mean(locale, list(packs)))
        for alias, key in packs[locale].alias_to_key.items():
            if alias != key:
                aliases.setdefault(key, []).append(alias)
    text = json.dumps(spec_schema(aliases), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    with option("-o"):
        write_files({output: text}, force=force)
