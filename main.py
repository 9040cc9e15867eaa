"""KlantSim entry point: `python main.py [command]` (see README); after `make play` also `.venv/bin/klantsim`."""
import sys

# What KlantSim needs from PyPI (pyproject.toml); without them `python main.py` says what to run instead.
NEEDED = {"yaml", "transitions", "platformdirs", "pygame"}

if __name__ == "__main__":
    try:
        from simulator.cli import main

        code = main()
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in NEEDED:
            raise
        print(f"KlantSim mist het pakket '{exc.name}' / is missing the package '{exc.name}': run 'make play' once, "
              "then use .venv/bin/klantsim (or .venv/bin/python main.py).", file=sys.stderr)
        code = 1
    sys.exit(code)
