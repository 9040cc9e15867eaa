"""`python main.py report -o report.html`: the class report, one self-contained HTML file."""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import argparse
from pathlib import Path

from simulator.results.cli_support import (StoreError, add_data_option, add_filter_options, fail, open_store,
                                           player_names, prog, write_atomically)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help=command_help("report"),
        description="Write one self-contained HTML file about the stored results: per player, per step of the "
                    "method, the most common mistakes, and per scenario how often each choice was taken.")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the HTML file to write")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="language of the report (default nl)")
    p.add_argument("--templates", metavar="DIR",
                   help="a folder with your own copies of report.html, charts.html and/or report.css (a copy of "
                        "simulator/results/templates) to restyle the report; files it lacks come from KlantSim")
    add_filter_options(p)
    add_data_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from simulator.results.report import write_report

    from jinja2 import TemplateError, TemplateSyntaxError

    from simulator.results.record import printable

    players = player_names(args.players)
    if args.templates and not Path(args.templates).is_dir():
        return fail(f"{prog()} report: --templates {args.templates}: no such folder")
    try:
        with open_store(args) as store:
            if players:
                known = store.players()
                unknown = sorted(set(players) - set(known))
                if unknown:
                    print(f"{prog()} report: warning: no results for {printable(', '.join(unknown))} "
                          f"(known players: {printable(', '.join(known)) or 'none'})")
            count = store.count_results(players=players, since=args.since)
            write_atomically(args.output, lambda tmp: write_report(
                store.iter_results(players=players, since=args.since), tmp, language=args.lang, since=args.since,
                players=players, template_dir=args.templates))
    except StoreError as exc:
        return fail(f"{prog()} report: {exc}")
    except TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if isinstance(exc, TemplateSyntaxError) and exc.lineno else ""
        return fail(f"{prog()} report: a template in {args.templates or 'KlantSim'} cannot be used{where}: "
                    f"{exc.message or exc}; fix it or leave --templates out")
    print(f"{args.output}: report of {count} conversation(s)")
    return 0
