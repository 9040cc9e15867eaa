"""`python main.py import FILE…`: merge exports from other machines into this results database."""
from __future__ import annotations

import argparse
import sys

from simulator.results.cli_support import StoreError, add_data_option, fail, open_store
from simulator.results.importer import ImportFileError, read_export


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="merge exported results (export --json or --xapi) into this database",
        description="Read files written by `export --json` (or `export --xapi`) and add their conversations. "
                    "A conversation already present (same id) is skipped, so importing a file twice adds "
                    "nothing the second time.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="read and check the files, change nothing")
    add_data_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    batches, failed = [], False
    for name in args.files:
        try:
            batch = read_export(name)
        except ImportFileError as exc:
            print(f"main.py import: {exc}", file=sys.stderr)
            failed = True
            continue
        for problem in batch.problems:
            print(f"main.py import: {problem}", file=sys.stderr)
        failed = failed or bool(batch.problems)
        batches.append(batch)
    try:
        with open_store(args) as store:
            for batch in batches:
                if args.dry_run:
                    new = sum(1 for result in batch.results if store.get(result.id) is None)
                    print(f"{batch.path}: {new} would be added, {len(batch.results) - new} already present")
                    continue
                added, present = store.save_many(batch.results)
                print(f"{batch.path}: {added} added, {present} already present")
    except StoreError as exc:
        return fail(f"main.py import: {exc}")
    return 1 if failed else 0
