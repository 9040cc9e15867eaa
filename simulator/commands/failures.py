"""How a command fails: the two exceptions commands raise, and the one place that turns them (and a results
store that cannot be used) into one line on stderr and an exit code. cli.py and every command import these from
here, so the command modules never import cli.py."""
from __future__ import annotations

import os
import sys


def program_name(argv0: str | None = None) -> str:
    """How the user started KlantSim, to repeat in hints so they work when typed again: `.venv/bin/klantsim`,
    `klantsim` (found on PATH), `.venv/bin/python main.py` or `python main.py`."""
    from simulator.resources import frozen

    if frozen():  # the download: its own executable
        return "klantsim"
    argv0 = argv0 if argv0 is not None else (sys.argv[0] if sys.argv else "klantsim")

    def shown(path: str) -> str:
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            return path
        return relative if not relative.startswith("..") else path

    if os.path.basename(argv0) == "main.py":
        in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
        return f"{shown(sys.executable)} main.py" if in_venv else "python main.py"
    if os.sep in argv0 or "/" in argv0:
        return shown(argv0)
    return "klantsim"


def program_label() -> str:
    """The short name that starts error lines and usage text: `klantsim` for the console command and the
    download, `main.py` otherwise (as before the console command existed)."""
    from simulator.resources import frozen

    name = os.path.basename(sys.argv[0]) if sys.argv else ""
    return "klantsim" if frozen() or name.startswith("klantsim") else "main.py"


class UsageError(Exception):
    """A mistake in how a command was called (exit 2)."""


class CommandFailed(Exception):
    """Bad input the user can fix (a missing file, an unknown id): one line, exit 1."""


def run_handled(run, args, prog: str) -> int:
    """Run a command's `run(args)`; every failure a user can cause becomes `PROG COMMAND: message` and its code."""
    where = f"{program_label()} {args.command}"
    try:
        return int(run(args) or 0)
    except UsageError as exc:
        print(f"{where}: {exc}", file=sys.stderr)
        return 2
    except CommandFailed as exc:
        print(f"{where}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        # A results-store failure. The store is imported only by commands that use it (validate must not pay for
        # it), and an exception can only be its StoreError when it was imported.
        store = sys.modules.get("simulator.results.store")
        if store is None or not isinstance(exc, store.StoreError):
            raise
        print(f"{where}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nGestopt / stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
