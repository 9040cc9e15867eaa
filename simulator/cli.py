"""The command line: argparse subcommands, one module each in simulator.commands."""
from __future__ import annotations

import argparse
import importlib
import sys

# Each module has `register(subparsers)`, which adds its parser and sets `run=function(args) -> int`.
COMMAND_MODULES = [
    "simulator.commands.play",
    "simulator.commands.validate",
    "simulator.commands.analyse",
    "simulator.commands.graph",
    "simulator.commands.new",
    "simulator.commands.export",
    "simulator.commands.import_",
    "simulator.commands.report",
    "simulator.commands.history",
    "simulator.commands.recognise",
]


class UsageError(Exception):
    """A mistake in how a command was called (exit 2)."""


class CommandFailed(Exception):
    """Bad input the user can fix (a missing file, an unknown id): one line, exit 1."""


class KlantSimArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line, never a traceback."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse's name
        from simulator.resources import frozen

        command = " ".join(["klantsim" if frozen() else "python main.py", *self.prog.split()[1:]])
        self.exit(2, f"{self.prog}: {message}\n(try: {command} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from simulator import __version__
    from simulator.resources import frozen

    parser = KlantSimArgumentParser(
        prog="klantsim" if frozen() else "main.py",
        description="KlantSim: oefen gesprekken met boze klanten / practise conversations with angry customers.",
    )
    parser.add_argument("--version", action="version", version=f"KlantSim {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=KlantSimArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        # Bare `python main.py`: the game, or the terminal when there is no screen.
        from simulator.commands.play import start_default

        return start_default()
    try:
        return int(args.run(args) or 0)
    except UsageError as exc:
        print(f"{parser.prog} {args.command}: {exc}", file=sys.stderr)
        return 2
    except CommandFailed as exc:
        print(f"{parser.prog} {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nGestopt / stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
