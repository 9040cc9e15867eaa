"""`python main.py import FILE…`: merge exports from other machines into this results database."""
from __future__ import annotations

import argparse
import sqlite3
import sys

from simulator.results.cli_support import StoreError, add_data_option, fail, open_store
from simulator.results.importer import ImportBatch, ImportFileError, read_export
from simulator.results.store import sqlite_problem, stored_copies


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="merge exported results (export --json or --xapi) into this database",
        description="Read files written by `export --json` or `export --xapi` (or a learning record store's "
                    "statements) and add their conversations. A conversation already present (same id) is skipped, "
                    "so importing a file twice adds nothing the second time. A bad record costs one line and is "
                    "skipped; the good ones are kept.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="read and check the files, change nothing "
                                                          "(not even create the database)")
    add_data_option(p)
    p.set_defaults(run=run)


def _conflicts(batch: ImportBatch, stored: dict[str, dict]) -> list[str]:
    return [f"{batch.path}: conversation {result.id} is already stored with different content; the stored one is "
            f"kept" for result in batch.results if result.id in stored and stored[result.id] != result.to_dict()]


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
    if not batches:
        return 1
    try:
        if args.dry_run:
            for batch in batches:
                stored = stored_copies(args.data, (r.id for r in batch.results))
                for line in _conflicts(batch, stored):
                    print(f"main.py import: {line}", file=sys.stderr)
                new = sum(1 for result in batch.results if result.id not in stored)
                print(f"{batch.path}: {new} would be added, {len(batch.results) - new} already present")
            return 1 if failed else 0
        with open_store(args) as store:
            try:
                for batch in batches:
                    for line in _conflicts(batch, store.stored_copies(r.id for r in batch.results)):
                        print(f"main.py import: {line}", file=sys.stderr)
                        failed = True
                    added, present = store.save_many(batch.results)
                    print(f"{batch.path}: {added} added, {present} already present")
            except sqlite3.Error as exc:
                return fail(f"main.py import: {sqlite_problem(exc, store.path)}; nothing from {batch.path} was added")
    except StoreError as exc:
        return fail(f"main.py import: {exc}")
    return 1 if failed else 0
