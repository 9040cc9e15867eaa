"""`python main.py import FILE…`: merge exports from other machines into this results database."""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import argparse
import sqlite3
import sys

from simulator.results.cli_support import StoreError, add_data_option, fail, open_store, prog
from simulator.results.importer import ImportBatch, ImportFileError, open_export
from simulator.results.store import sqlite_problem, stored_copies

CHUNK = 1_000  # results checked and saved together; memory stays flat however large the file


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help=command_help("import"),
        description="Read files written by `export --json` or `export --xapi` (or a learning record store's "
                    "statements) and add their conversations. A conversation already present (same id) is skipped, "
                    "so importing a file twice adds nothing the second time. A bad record costs one line and is "
                    "skipped; the good ones are kept.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="read and check the files, change nothing "
                                                          "(not even create the database)")
    add_data_option(p)
    p.set_defaults(run=run)


def _chunks(batch: ImportBatch):
    """Lists of up to CHUNK results; when the file breaks off, the results read before the break come first."""
    results = iter(batch.results)
    while True:
        chunk = []
        try:
            for result in results:
                chunk.append(result)
                if len(chunk) == CHUNK:
                    break
        except ImportFileError:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


def _conflicts(batch: ImportBatch, chunk, stored: dict[str, dict]) -> list[str]:
    return [f"{batch.path}: conversation {result.id} is already stored with different content; the stored one is "
            f"kept" for result in chunk if result.id in stored and stored[result.id] != result.to_dict()]


def _report_problems(batch: ImportBatch, shown: int) -> int:
    for problem in batch.problems[shown:]:
        print(f"{prog()} import: {problem}", file=sys.stderr)
    return len(batch.problems)


def run(args: argparse.Namespace) -> int:
    failed = False
    store = None
    try:
        for name in args.files:
            try:
                batch = open_export(name)
            except ImportFileError as exc:
                print(f"{prog()} import: {exc}", file=sys.stderr)
                failed = True
                continue
            added = present = shown = 0
            try:
                for chunk in _chunks(batch):
                    shown = _report_problems(batch, shown)
                    if args.dry_run:
                        stored = stored_copies(args.data, (r.id for r in chunk))
                    else:
                        if store is None:
                            store = open_store(args)
                        stored = store.stored_copies(r.id for r in chunk)
                    for line in _conflicts(batch, chunk, stored):
                        print(f"{prog()} import: {line}", file=sys.stderr)
                        failed = True
                    if args.dry_run:
                        new = sum(1 for result in chunk if result.id not in stored)
                        added, present = added + new, present + len(chunk) - new
                    else:
                        assert store is not None  # opened above for this chunk
                        try:
                            new, old = store.save_many(chunk)
                        except sqlite3.Error as exc:
                            return fail(f"{prog()} import: {sqlite_problem(exc, store.path)}; {added} conversation(s) "
                                        f"from {batch.path} were added before it")
                        added, present = added + new, present + old
            except ImportFileError as exc:  # the file breaks off after some entries: those stay added
                _report_problems(batch, shown)
                print(f"{prog()} import: {exc}", file=sys.stderr)
                failed = True
                shown = len(batch.problems)
            shown = _report_problems(batch, shown)
            failed = failed or bool(batch.problems)
            if args.dry_run:
                print(f"{batch.path}: {added} would be added, {present} already present")
            else:
                print(f"{batch.path}: {added} added, {present} already present")
    except StoreError as exc:
        return fail(f"{prog()} import: {exc}")
    finally:
        if store is not None:
            store.close()
    return 1 if failed else 0
