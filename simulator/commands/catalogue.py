"""The commands of the command line, named once: their module, aliases and one-line help. The parser shows the
list from here without importing any command module, and imports only the one that runs, so `--help` and a
quick `validate` do not pay for the game, the results store or the map."""
from __future__ import annotations


class Command:
    """A plain class: a NamedTuple would import `typing` for every command, --help included."""

    __slots__ = ("aliases", "help", "module", "name")

    def __init__(self, name: str, aliases: tuple[str, ...], module: str, help: str) -> None:
        self.name = name
        self.aliases = aliases
        self.module = module    # has `register(subparsers)`, which adds the parser and sets `run=function(args) -> int`
        self.help = help


COMMANDS = (
    Command('play', (), "simulator.commands.play",
            'play a scenario (window, or terminal with --text)'),
    Command('validate', (), "simulator.commands.validate",
            'check scenario files or folders'),
    Command('analyse', ('analyze',), "simulator.commands.analyse",
            'search every path of a scenario'),
    Command('graph', (), "simulator.commands.graph",
            'draw a scenario as a map (.svg, .png, .dot, .mmd)'),
    Command('new', (), "simulator.commands.new",
            'write a small scenario to start from (with Dutch comments)'),
    Command('export', (), "simulator.commands.export",
            'write stored results to CSV, xlsx, xAPI or JSON'),
    Command('import', (), "simulator.commands.import_",
            'merge exported results (export --json or --xapi) into this database'),
    Command('report', (), "simulator.commands.report",
            'write the class report (one HTML file, works offline)'),
    Command('history', (), "simulator.commands.history",
            'list stored conversations and best scores'),
    Command('sync', (), "simulator.commands.sync",
            'send new results to a learning record store (xAPI)'),
    Command('recognise', ('recognize',), "simulator.commands.recognise",
            'recognise a typed answer: its act, confidence and the matching choice (JSON)'),
)
BY_NAME = {alias: c for c in COMMANDS for alias in (c.name, *c.aliases)}


def command_help(name: str) -> str:
    return BY_NAME[name].help


def command_aliases(name: str) -> list[str]:
    return list(BY_NAME[name].aliases)
