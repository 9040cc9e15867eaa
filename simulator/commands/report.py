"""`python main.py report -o report.html`: the class report, one self-contained HTML file."""
from __future__ import annotations

import argparse

from simulator.results.cli_support import (StoreError, add_data_option, add_filter_options, fail, open_store,
                                           player_names, write_atomically)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="write the class report (one HTML file, works offline)",
        description="Write one self-contained HTML file about the stored results: per player, per step of the "
                    "method, the most common mistakes, and per scenario how often each choice was taken.")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the HTML file to write")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="language of the report (default nl)")
    add_filter_options(p)
    add_data_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from simulator.results.report import write_report

    players = player_names(args.players)
    try:
        with open_store(args) as store:
            results = store.results(players=players, since=args.since)
            if players:
                unknown = sorted(set(players) - set(store.players()))
                if unknown:
                    print(f"main.py report: warning: no results for {', '.join(unknown)} "
                          f"(known players: {', '.join(store.players()) or 'none'})")
        write_atomically(args.output, lambda tmp: write_report(results, tmp, language=args.lang, since=args.since,
                                                               players=players))
    except StoreError as exc:
        return fail(f"main.py report: {exc}")
    print(f"{args.output}: report of {len(results)} conversation(s)")
    return 0
