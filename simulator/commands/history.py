"""`python main.py history`: the stored conversations of one player (or everyone), newest first."""
from __future__ import annotations

import argparse
import json

from simulator.results.cli_support import StoreError, add_data_option, fail, open_store


def register(subparsers) -> None:
    p = subparsers.add_parser("history", help="list stored conversations and best scores",
                              description="List stored conversations, newest first, and each player's best score "
                                          "per scenario.")
    p.add_argument("--player", metavar="NAME", help="only this player")
    p.add_argument("--json", action="store_true", help="print the results as JSON (klantsim-results shape)")
    add_data_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        with open_store(args) as store:
            players = [args.player] if args.player else store.players()
            if args.json:
                results = [r.to_dict() for name in players for r in store.history(name)]
                print(json.dumps(results, ensure_ascii=False, indent=1))
                return 0
            if not players or (args.player and not store.history(args.player)):
                print(f"No conversations stored yet in {store.path}." if not args.player
                      else f"No conversations stored for {args.player!r}.")
                return 0
            for name in players:
                best = store.best_scores(name)
                print(f"{name}: best " + (", ".join(f"{s} {b}" for s, b in sorted(best.items())) or "-"))
                for result in store.history(name):
                    score = "-" if result.score is None else str(result.score)
                    print(f"  {result.finished_at}  {result.scenario:<28} {score:>3}  "
                          f"{result.ending or '-':<12} {result.status}")
    except StoreError as exc:
        return fail(f"main.py history: {exc}")
    return 0
