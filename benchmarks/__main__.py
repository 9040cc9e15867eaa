"""`python -m benchmarks` (or `make bench`): every benchmark, each against a baseline measured in the same run.

`python -m benchmarks scenario`, `graph` or `game` runs one part.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(parts: list[str]) -> int:
    from benchmarks import game_bench, graph_bench, scenario_bench

    chosen = parts or ["scenario", "graph", "game"]
    if "scenario" in chosen:
        print("## Scenario files: load+check and analysis, as ratios to yaml.load(CSafeLoader) of the same file\n")
        scenario_bench.print_table(scenario_bench.run())
        print()
    if "graph" in chosen:
        print("## The map: graph -o map.svg through Graphviz, as ratios to load+check of the same file\n")
        graph_bench.print_table(graph_bench.run())
        print()
    if "game" in chosen:
        print("## The game window (dummy video driver), as ratios to a bare pygame-ce window\n")
        game_bench.print_table(game_bench.run())
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
