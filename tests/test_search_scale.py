"""Large files: the search and the path count are loops, not recursion, so a 20,000-node chain (20,000 levels deep)
is analysed and counted like a short one; and the search finishes the benchmark's 20,000-node trainer-shaped file
within its state limit (before the level search it stopped at the limit and said so)."""
from __future__ import annotations

import sys

from conftest import scenario_from
from fuzz.shapes import compact_chain
from simulator.analysis.graph import count_paths
from simulator.analysis.search import MAX_STATES, analyse

NODES = 20_000


def test_a_20000_node_chain_is_analysed_and_counted_without_recursion():
    assert sys.getrecursionlimit() < NODES   # a recursive walk would fail here
    scenario = scenario_from(compact_chain(NODES))
    a = analyse(scenario)
    assert a.complete and a.best.steps == ["listen"] and len(a.best.choices) == NODES   # listening only
    assert a.reachable_nodes == set(scenario.nodes)
    # two choices at each node: 2**20000 paths; the count goes 20,000 deep before its first ending, then stops at its
    # limit and says the number is a lower bound
    counted = count_paths(scenario, limit=NODES + 1_000)
    assert not counted.complete and counted.paths >= 1 and counted.loop_backs == 0


def test_the_benchmark_file_of_20000_nodes_is_searched_completely():
    from benchmarks.scenario_bench import generate

    a = analyse(scenario_from(generate(NODES)))
    assert a.complete and a.states < MAX_STATES
    assert a.best.score == 100 and a.worst.score == 0 and {"satisfied", "lost", "escalated"} <= set(a.endings)
