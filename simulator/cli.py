"""The command line: argparse subcommands, one module each in simulator.commands."""
from __future__ import annotations

import argparse
import importlib

from simulator.commands.failures import (CommandFailed, UsageError, program_label,  # noqa: F401 - also here
                                         program_name, run_handled)

from simulator.commands.catalogue import BY_NAME, COMMANDS

TYPE_CHECKING = False   # as typing.TYPE_CHECKING (mypy reads it so), without importing typing for --help
if TYPE_CHECKING:
    from typing import NoReturn

COMMAND_MODULES = [c.module for c in COMMANDS]


class KlantSimArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line, never a traceback."""

    def error(self, message: str) -> NoReturn:
        from simulator.commands.common import say

        command = self.prog.split()[1:]  # prog is 'PROG' or 'PROG COMMAND'
        hint = " ".join([program_name(), *command[-1:], "--help"])
        self.exit(2, f"{self.prog}: {message}\n({say('try_help', command=hint)})\n")


def _chosen(argv: list[str] | None) -> str | None:
    """The command named on the command line (the first word that is not an option), if it is one we know."""
    import sys

    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if not w.startswith("-")), None) if words else None


def build_parser(argv: list[str] | None = None, everything: bool = False) -> argparse.ArgumentParser:
    """The parser. Only the command that runs is imported and gets its full arguments; the others are listed
    with their one-line help (from the catalogue) without importing them. `everything` imports them all."""
    from simulator import __version__

    parser = KlantSimArgumentParser(
        prog=program_label(),
        description="KlantSim: oefen gesprekken met boze klanten / practise conversations with angry customers.",
    )
    parser.add_argument("--version", action="version", version=f"KlantSim {__version__}")
    # prog given: argparse would otherwise lay out a usage line to find it, importing shutil for the terminal width
    sub = parser.add_subparsers(dest="command", parser_class=KlantSimArgumentParser, prog=parser.prog)
    chosen = BY_NAME.get(_chosen(argv) or "")
    for command in COMMANDS:
        if everything or command is chosen:
            importlib.import_module(command.module).register(sub)
        else:
            sub.add_parser(command.name, aliases=list(command.aliases), help=command.help, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    from simulator.diagnostics import set_language

    parser = build_parser(argv)
    args = parser.parse_args(argv)
    set_language(getattr(args, "lang", None))  # messages follow --lang, else the system language, else Dutch
    if not getattr(args, "run", None):
        # Bare `python main.py`: the game, or the terminal when there is no screen.
        from simulator.commands.play import start_default

        return start_default()
    return run_handled(args.run, args, program_name())
