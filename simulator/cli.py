"""The command line: argparse subcommands, one module each in simulator.commands."""
from __future__ import annotations

import argparse
import importlib

from simulator.commands.failures import (CommandFailed, UsageError, program_label,  # noqa: F401 - also here
                                         program_name, run_handled)

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
    "simulator.commands.sync",
    "simulator.commands.recognise",
]


class KlantSimArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line, never a traceback."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse's name
        from simulator.commands.common import say

        command = self.prog.split()[1:]  # prog is 'PROG' or 'PROG COMMAND'
        hint = " ".join([program_name(), *command[-1:], "--help"])
        self.exit(2, f"{self.prog}: {message}\n({say('try_help', command=hint)})\n")


def build_parser() -> argparse.ArgumentParser:
    from simulator import __version__

    parser = KlantSimArgumentParser(
        prog=program_label(),
        description="KlantSim: oefen gesprekken met boze klanten / practise conversations with angry customers.",
    )
    parser.add_argument("--version", action="version", version=f"KlantSim {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=KlantSimArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from simulator.diagnostics import set_language

    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(getattr(args, "lang", None))  # messages follow --lang, else the system language, else Dutch
    if not getattr(args, "run", None):
        # Bare `python main.py`: the game, or the terminal when there is no screen.
        from simulator.commands.play import start_default

        return start_default()
    return run_handled(args.run, args, program_name())
