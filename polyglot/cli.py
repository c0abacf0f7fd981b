"""The `polyglot` command: one group, one small command per module in `polyglot/commands/`.

Commands are discovered by module name and imported only when used, so `polyglot --help`
stays fast and a command that needs torch does not load it for `polyglot check`.

Errors: a `SpecError` is one located line on stderr and exit status 2. With `--json`,
stdout also gets ``{"error": {...}}`` (the `SpecError.to_dict` fields) -- for usage
errors too -- so a caller that asked for JSON always gets JSON.
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
import traceback

import click

from polyglot import __version__
from polyglot import commands as _commands_pkg
from polyglot.errors import SpecError


_JSON = "polyglot.json"  # ctx.meta key: the command line asked for --json
# Exit status of an unexpected exception (a bug): BSD sysexits' EX_SOFTWARE, so it is
# never mistaken for 1 (a check or a test failed) or 2 (bad input).
EXIT_INTERNAL = 70


class LazyGroup(click.Group):
    """A group whose subcommands live in modules named after them (`commands/check.py`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Noted before any subcommand parses its options, so a usage error can answer in JSON.
        ctx.meta[_JSON] = wants_json(args)
        return super().parse_args(ctx, args)

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
            report_error(err, as_json=ctx.meta.get(_JSON, False))
            ctx.exit(2)
        except click.UsageError as err:
            if not ctx.meta.get(_JSON):
                raise
            err.show()
            echo_json_error(_usage_error(err))
            ctx.exit(err.exit_code)


def wants_json(args: list[str]) -> bool:
    """Whether a command line asks for JSON output (`--json` before any `--`)."""
    return "--json" in (args[:args.index("--")] if "--" in args else args)


def report_error(err: SpecError, as_json: bool) -> None:
    """The one located line on stderr; with `as_json`, the error object on stdout too."""
    click.echo(str(err), err=True)
    if as_json:
        echo_json_error(err)


def echo_json_error(err: SpecError) -> None:
    click.echo(json.dumps({"error": err.to_dict()}, ensure_ascii=False))


def internal_error(err: Exception) -> SpecError:
    """An unexpected exception as one line that says where it happened."""
    package = os.path.dirname(os.path.abspath(__file__))
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if os.path.abspath(f.filename).startswith(package + os.sep)]
    frame = (ours or frames)[-1]  # the last line of polyglot's own, not torch's
    name = os.path.relpath(frame.filename, os.path.dirname(package)) if ours else os.path.basename(frame.filename)
    where = f"{name}:{frame.lineno}"
    text = (str(err).strip().splitlines() or [""])[0]
    return SpecError(f"internal error: {type(err).__name__}" + (f": {text}" if text else ""),
                     file="polyglot", hint=f"a bug, raised at {where}; "
                                           "POLYGLOT_TRACEBACK=1 shows the traceback")


def _usage_error(err: click.UsageError) -> SpecError:
    """A click usage error as a `SpecError`, located at the option at fault if known."""
    where = getattr(err, "option_name", None)  # click.NoSuchOption
    param = getattr(err, "param", None)
    if isinstance(param, click.Option):
        where = param.opts[0]
    elif param is not None:
        where = param.human_readable_name
    return SpecError(err.message.rstrip("."), file=where or "polyglot")


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
    """Entry point: SpecError becomes a located one-line error and exit code 2.

    Anything else that escapes is a bug: one line naming it and exit status 70, not a
    traceback (set POLYGLOT_TRACEBACK=1 to see where it happened).
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        code = cli.main(args=args, prog_name="polyglot", standalone_mode=False)
    except SpecError as err:
        report_error(err, as_json=wants_json(args))
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.exceptions.Exit as err:
        return err.exit_code
    except BrokenPipeError:  # the reader went away (`polyglot ... | head`): not an error here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as err:  # noqa: BLE001 -- the last stop before a traceback
        if os.environ.get("POLYGLOT_TRACEBACK"):
            traceback.print_exc()
        report_error(internal_error(err), as_json=wants_json(args))
        return EXIT_INTERNAL
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
