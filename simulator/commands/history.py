"""`python main.py history`: the stored conversations of one player (or everyone), newest first."""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import argparse
import json
import sys
from itertools import chain, groupby

from simulator.results.cli_support import StoreError, add_data_option, fail, invocation, open_store, player_name, prog
from simulator.results.record import printable


def register(subparsers) -> None:
    p = subparsers.add_parser("history", help=command_help("history"),
                              description="List stored conversations, newest first, and each player's best score "
                                          "per scenario; with --lrs URL, also how many are not yet sent there.")
    p.add_argument("--player", metavar="NAME", type=player_name, help="only this player")
    p.add_argument("--json", action="store_true", help="print the results as JSON (klantsim-results shape)")
    p.add_argument("--lrs", metavar="URL", help="say how many conversations `sync --lrs URL` has not yet sent")
    add_data_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        with open_store(args) as store:
            if args.json:
                players = [args.player] if args.player else None
                out = sys.stdout
                out.write("[")
                for number, result in enumerate(store.iter_results(players=players)):
                    out.write(",\n" if number else "\n")
                    out.write(json.dumps(result.to_dict(), ensure_ascii=False))
                out.write("\n]\n")
                return 0
            rows = store.summaries(args.player)
            first = next(rows, None)
            if first is None:
                print(f"No conversations stored yet in {store.path}." if not args.player
                      else f"No conversations stored for {printable(args.player)!r}.")
            else:
                for name, group in groupby(chain([first], rows), key=lambda row: row[0]):
                    best = store.best_scores(name)
                    print(f"{printable(name)}: best " +
                          (", ".join(f"{s} {b}" for s, b in sorted(best.items())) or "-"))
                    for _, finished, scenario, score, ending, status in group:
                        score_text = "-" if score is None else str(score)
                        print(f"  {finished}  {printable(scenario):<28} {score_text:>3}  "
                              f"{printable(ending or '-'):<12} {status}")
            from simulator.results.sync import SyncError, known_lrs, unsent_count

            if not args.lrs:  # every LRS synced to before: what it has not had yet
                for lrs, unsent in known_lrs(store):
                    print(f"Not yet sent to {lrs}: {unsent} conversation(s)"
                          + (f" ({invocation()} sync --lrs {lrs})" if unsent else ""))
            if args.lrs:
                try:
                    unsent = unsent_count(store, args.lrs)
                except SyncError as exc:
                    return fail(f"{prog()} history: {exc}")
                print(f"Not yet sent to {args.lrs}: {unsent} conversation(s) ({invocation()} sync --lrs {args.lrs})")
    except StoreError as exc:
        return fail(f"{prog()} history: {exc}")
    return 0
