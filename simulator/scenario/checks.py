"""Lint passes over a loaded scenario, one function per check, each returning diagnostics.

`structural_checks` run on every load (cheap: graph reachability). The checks that need the state-space
search live above the engine, in `simulator.analysis.checks`.
"""
from __future__ import annotations

from collections import deque

from simulator.diagnostics import Diagnostic, diag
from simulator.scenario.model import Scenario


def _graph(scenario: Scenario) -> dict[str, set[str]]:
    return {nid: {r.goto for c in n.choices for r in c.routes if r.goto in scenario.nodes}
            for nid, n in scenario.nodes.items()}


def _reach(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def check_unreachable(scenario: Scenario) -> list[Diagnostic]:
    reached = _reach(scenario.start, _graph(scenario))
    return [diag("KS101", n.pos, f"node '{n.id}' cannot be reached from start '{scenario.start}'")
            for n in scenario.nodes.values() if n.id not in reached]


def check_dead_ends(scenario: Scenario) -> list[Diagnostic]:
    """Nodes from which no sequence of choices leads to an ending, conditions aside."""
    reverse: dict[str, set[str]] = {nid: set() for nid in scenario.nodes}
    for nid, targets in _graph(scenario).items():
        for t in targets:
            reverse[t].add(nid)
    can_end: set[str] = set()
    queue = deque(n.id for n in scenario.nodes.values() if n.ending)
    can_end.update(queue)
    while queue:
        for prev in reverse[queue.popleft()]:
            if prev not in can_end:
                can_end.add(prev)
                queue.append(prev)
    return [diag("KS016", n.pos, f"node '{n.id}' has no way to any ending")
            for n in scenario.nodes.values() if n.id not in can_end]


def structural_checks(scenario: Scenario) -> list[Diagnostic]:
    return check_dead_ends(scenario) + check_unreachable(scenario)
