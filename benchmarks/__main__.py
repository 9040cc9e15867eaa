"""`python -m benchmarks` (or `make bench`): every benchmark, each against a baseline measured in the same run.

`python -m benchmarks scenario`, `graph`, `game`, `recognition`, `dist` or `results` runs one part.
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
    from benchmarks import dist_bench, game_bench, graph_bench, results_bench, scenario_bench

    chosen = parts or ["scenario", "graph", "game", "recognition", "dist", "results"]
    if "scenario" in chosen:
        print("## Scenario files: load+check and analysis, as ratios to yaml.load(CSafeLoader) of the same file\n")
        scenario_bench.print_table(scenario_bench.run())
        print()
    if "graph" in chosen:
        print("## The map: graph -o map.svg through Graphviz, as ratios to load+check of the same file\n")
        graph_bench.print_table(graph_bench.run())
        print()
    if "game" in chosen:
        print("## The game window, as ratios to a bare pygame-ce window on the same video driver\n")
        game_bench.print_table(game_bench.run())
        print()
    if "recognition" in chosen:
        from benchmarks import recognition_bench

        print("## Recognising typed answers, as ratios to a bare len(text) call\n")
        recognition_bench.print_table(recognition_bench.run())
        print()
    if "dist" in chosen:
        print("## The download (make dist): the bundle's start-up against python main.py, and the zip's size\n")
        dist_bench.print_table(dist_bench.run())
        print()
    if "results" in chosen:
        print("## Results: report, export and history, as ratios to a plain SELECT over the same rows "
              "(fresh process each, 3 runs)\n")
        results_bench.print_table(results_bench.run())
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
