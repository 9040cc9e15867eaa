"""`python main.py export`: stored results as CSV (spreadsheets), xAPI (learning record stores) or JSON (merging)."""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import argparse

from simulator.results import export, xapi
from simulator.results.cli_support import (StoreError, add_data_option, add_filter_options, fail, open_store,
                                           player_names, prog, write_atomically)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help=command_help("export"),
        description="Write stored results to a file. CSV: one row per conversation (UTF-8, semicolons; opens in "
                    "Excel and LibreOffice). xAPI: statements for a learning record store. JSON: every field, "
                    "for `import` on another machine.")
    p.add_argument("--csv", metavar="FILE", help="one row per conversation, for spreadsheets")
    p.add_argument("--delimiter", choices=("semicolon", "comma", "tab"), default="semicolon",
                   help="CSV field separator: semicolon (default) suits Dutch and most European Excel; "
                        "comma suits English-language Excel")
    p.add_argument("--xlsx", metavar="FILE", help="an Excel workbook: typed columns, frozen header, filter")
    p.add_argument("--xapi", metavar="FILE", help="xAPI 1.0.3 statements (a JSON array)")
    p.add_argument("--json", metavar="FILE", help="the lossless klantsim-results export, read back by `import`")
    p.add_argument("--base-iri", default=xapi.DEFAULT_BASE_IRI, metavar="IRI",
                   help="your organisation's web address, for xAPI actor accounts and activity ids "
                        f"(default {xapi.DEFAULT_BASE_IRI})")
    p.add_argument("--pass-score", type=int, default=None, metavar="N",
                   help="score from which xAPI says passed rather than failed (default: the rubric's pass mark, "
                        f"else {xapi.FALLBACK_PASS_SCORE})")
    add_filter_options(p)
    add_data_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from simulator.cli import UsageError

    if not (args.csv or args.xlsx or args.xapi or args.json):
        raise UsageError("say what to write: --csv FILE, --xlsx FILE, --xapi FILE and/or --json FILE")
    if args.pass_score is not None and not 0 <= args.pass_score <= 100:
        raise UsageError("--pass-score must be from 0 to 100")
    if args.xapi and not args.base_iri.startswith(("http://", "https://")):
        raise UsageError("--base-iri must be a web address starting with https://")
    filters = {"players": player_names(args.players), "since": args.since}
    try:
        with open_store(args) as store:
            if args.csv:
                delimiter = {"semicolon": ";", "comma": ",", "tab": "\t"}[args.delimiter]
                count = _write(args.csv, lambda tmp: export.write_csv(store.iter_results(**filters), tmp, delimiter))
                print(f"{args.csv}: {count} conversation(s)")
            if args.xlsx:
                count = _write(args.xlsx, lambda tmp: export.write_xlsx(store.iter_results(**filters), tmp))
                print(f"{args.xlsx}: {count} conversation(s)")
            if args.xapi:
                count = _write(args.xapi, lambda tmp: xapi.write_xapi(store.iter_results(**filters), tmp,
                                                                      args.base_iri, args.pass_score))
                print(f"{args.xapi}: {count} statement(s) for {store.count_results(**filters)} conversation(s)")
            if args.json:
                count = _write(args.json, lambda tmp: export.write_json(store.iter_results(**filters), tmp))
                print(f"{args.json}: {count} conversation(s)")
    except StoreError as exc:
        return fail(f"{prog()} export: {exc}")
    return 0


def _write(path, write) -> int:
    counted = []
    write_atomically(path, lambda tmp: counted.append(write(tmp)))
    return counted[0]
