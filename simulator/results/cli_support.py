"""What the results commands share on the command line: --data, --players, --since, and opening the store."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from simulator.results.record import RecordError, check_player_name, parse_timestamp
from simulator.results.store import DATA_ENV, ResultsStore, StoreError, print_notices


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR",
                        help=f"folder of the results database (default: ${DATA_ENV}, else the user data folder)")


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", type=since_date,
                        help="only conversations finished on or after DATE (YYYY-MM-DD or an ISO 8601 time)")
    parser.add_argument("--players", metavar="NAME", action="append", type=player_name,
                        help="only this player; repeat for more (--players 'Vries, Anouk de' --players Bram)")


def since_date(text: str) -> datetime:
    try:
        return parse_timestamp(text)
    except RecordError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write e.g. 2026-09-01") from None


def player_name(text: str) -> str:
    """A player name from the command line: spaces tidied; control characters refused."""
    try:
        return check_player_name(text)
    except RecordError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def player_names(values: list[str] | None) -> list[str] | None:
    """The names given with repeated --players, each whole (a comma belongs to the name), without repeats."""
    if values is None:
        return None
    return list(dict.fromkeys(values))


def open_store(args: argparse.Namespace) -> ResultsStore:
    """Open the store for a command; a StoreError propagates for the command to print (exit 1)."""
    store = ResultsStore.open(args.data)
    print_notices(store)
    return store


def prog() -> str:
    """The program's name in messages: `klantsim` in the downloadable bundle, else `main.py`."""
    from simulator.resources import frozen

    return "klantsim" if frozen() else "main.py"


def invocation() -> str:
    """How the user starts a command: `klantsim` in the bundle, else `python main.py`."""
    from simulator.resources import frozen

    return "klantsim" if frozen() else "python main.py"


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def write_atomically(path: str | os.PathLike, write) -> None:
    """Call write(temporary_path), then move it over `path`: a crash never leaves half a file behind."""
    target = Path(path)
    if target.is_dir():
        raise StoreError(f"{target} is a folder; give a file name")
    if not target.parent.exists():
        raise StoreError(f"folder {target.parent} does not exist")
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if temporary.exists():
            temporary.unlink()


__all__ = [
    "prog", "invocation", "add_data_option", "add_filter_options", "player_name", "player_names", "open_store",
    "fail", "write_atomically", "StoreError",
]
