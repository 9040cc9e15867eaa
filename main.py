"""KlantSim entry point: `python main.py [command]` (see README)."""
import sys

from simulator.cli import main

if __name__ == "__main__":
    sys.exit(main())
