"""Lint passes over a loaded scenario, one function per check, each returning diagnostics.

`structural_checks` run on every load (cheap: graph reachability). `analysis_checks` search the state space
and run in `validate` and `analyse`, where the conditions decide what can really happen.
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


def analysis_checks(scenario: Scenario, analysis=None) -> list[Diagnostic]:
    """Checks that need the state-space search (which respects `if` conditions)."""
    from simulator.scenario.analysis import analyse

    analysis = analysis or analyse(scenario)
    out: list[Diagnostic] = []
    structurally = _reach(scenario.start, _graph(scenario))
    for nid in sorted(structurally - analysis.reachable_nodes, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS101", scenario.nodes[nid].pos,
                        f"node '{nid}' cannot be reached: no path satisfies the conditions that lead here"))
    for nid in sorted(analysis.stuck_nodes, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS104", scenario.nodes[nid].pos,
                        f"the conversation can get stuck at node '{nid}': sometimes none of its choices' `if` holds"))
    if not analysis.complete:
        out.append(diag("KS106", scenario.nodes[scenario.start].pos,
                        f"the search stopped after {analysis.states:,} states; the best path and the scores "
                        "may fall short of the real maximum"))
    if analysis.best is None:
        out.append(diag("KS104", scenario.nodes[scenario.start].pos, "no ending can be reached from start"))
    else:
        missed = [s for s in scenario.assess if s not in analysis.best.steps]
        if missed:
            out.append(diag("KS102", scenario.nodes[scenario.start].pos,
                            f"the best path ({', '.join(map(str, analysis.best.choices))}) does not take the "
                            f"assessed step(s) {', '.join(missed)}"))
    return out

