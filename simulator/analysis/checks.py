"""Checks that need the state-space search (which respects `if` conditions): run by `validate` and `analyse`."""
from __future__ import annotations

from simulator.analysis.search import analyse
from simulator.diagnostics import Diagnostic, diag
from simulator.scenario.checks import _graph, _reach
from simulator.scenario.model import Scenario


def analysis_checks(scenario: Scenario, analysis=None) -> list[Diagnostic]:
    """Checks that need the state-space search (which respects `if` conditions)."""
    analysis = analysis or analyse(scenario)
    out: list[Diagnostic] = []
    structurally = _reach(scenario.start, _graph(scenario))
    for nid in sorted(structurally - analysis.reachable_nodes, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS101", scenario.nodes[nid].pos, "unreachable_conditions", node=nid))
    for nid in sorted(analysis.stuck_nodes, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS104", scenario.nodes[nid].pos, "stuck", node=nid))
    if not analysis.complete:
        out.append(diag("KS106", scenario.nodes[scenario.start].pos, "search_cut", states=f"{analysis.states:,}"))
    if analysis.best is None:
        out.append(diag("KS104", scenario.nodes[scenario.start].pos, "no_ending_reachable"))
    else:
        missed = [s for s in scenario.assess if s not in analysis.best.steps]
        if missed:
            out.append(diag("KS102", scenario.nodes[scenario.start].pos, "best_misses",
                            choices=",".join(map(str, analysis.best.choices)), steps=missed))
    return out

