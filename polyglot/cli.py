"""The `polyglot` command: one group, one small command per module in `polyglot/commands/`.

Commands are discovered by module name and imported only when used, so `polyglot --help`
stays fast and a command that needs torch does not load it for `polyglot check`.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from polyglot import __version__
from polyglot import commands as _commands_pkg
from polyglot.errors import SpecError


class LazyGroup(click.Group):
    """A group whose subcommands live in modules named after them (`commands/check.py`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = {m.name.replace("_", "-") for m in pkgutil.iter_modules(_commands_pkg.__path__)
                 if not m.name.startswith("_")}
        return sorted(names | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        try:
            module = importlib.import_module(f"polyglot.commands.{name.replace('-', '_')}")
        except ModuleNotFoundError as err:
            if err.name == f"polyglot.commands.{name.replace('-', '_')}":
                return None
            raise
        return getattr(module, "command", None)

    def invoke(self, ctx: click.Context):
        # Here, not only in main(), so CliRunner tests see the same exit code 2 users do.
        try:
            return super().invoke(ctx)
        except SpecError as err:
            click.echo(str(err), err=True)
            ctx.exit(2)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="polyglot")
def cli() -> None:
    """Turn behaviour specs (.vibee) into tested code, and score generated code.

    \b
    Examples:
      polyglot check examples/cart.vibee          # validate and run its test cases
      polyglot translate examples/cart.vibee --to rust
      polyglot langpack list
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point: SpecError becomes a located one-line error and exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="polyglot", standalone_mode=False)
    except SpecError as err:
        click.echo(str(err), err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.exceptions.Exit as err:
        return err.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
