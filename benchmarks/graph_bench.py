"""The map: `graph -o map.svg` (Graphviz layout and drawing) of generated scenarios, against loading and
checking the same file, measured in the same run. The aim: a 500-node map in under 5 s."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.scenario_bench import generate
from simulator.analysis.graph import build_graph
from simulator.commands.graph import render, to_dot
from simulator.scenario.loader import load_text

SIZES = (30, 100, 500)


def _times(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in SIZES:
            text = generate(n)
            repeat = 3
            load = _times(lambda text=text, n=n: load_text(text, f"gen-{n}.yaml"), repeat)
            scenario = load_text(text, f"gen-{n}.yaml").scenario
            target = Path(folder) / f"gen-{n}.svg"
            draw = _times(lambda scenario=scenario, target=target: render(to_dot(build_graph(scenario), "nl", scenario),
                                                                          "svg", target), repeat)
            rows.append({"nodes": n, "load_ms": statistics.median(load) * 1e3,
                         "graph_ms": statistics.median(draw) * 1e3,
                         "graph_spread_ms": (max(draw) - min(draw)) * 1e3,
                         "ratio": statistics.median(draw) / statistics.median(load)})
    return rows


def print_table(rows: list[dict]) -> None:
    print("| nodes | load+check (baseline) | graph -o map.svg (median of 3, spread) | ratio |")
    print("|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['nodes']:,} | {r['load_ms']:.1f} ms | {r['graph_ms']:.0f} ms (±{r['graph_spread_ms'] / 2:.0f}) "
              f"| {r['ratio']:.1f}x |")


if __name__ == "__main__":
    print_table(run())
