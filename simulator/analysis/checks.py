"""Checks that need the state-space search (which respects `if` conditions): run by `validate` and `analyse`."""
from __future__ import annotations

from simulator.analysis.search import Analysis, analyse
from simulator.diagnostics import Diagnostic, T, diag
from simulator.scenario.checks import _graph, _reach
from simulator.scenario.model import Scenario


def analysis_checks(scenario: Scenario, analysis: Analysis | None = None) -> list[Diagnostic]:
    """Checks that need the state-space search (which respects `if` conditions)."""
    analysis = analysis or analyse(scenario)
    out: list[Diagnostic] = []
    structurally = _reach(scenario.start, _graph(scenario))
    # A search cut off at its limit proves nothing about the nodes and states it did not get to: say so once (KS106)
    # rather than call each of them unreachable or stuck.
    unproven = set() if analysis.complete else structurally
    for nid in sorted(structurally - analysis.reachable_nodes - unproven, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS101", scenario.nodes[nid].pos, "unreachable_conditions", node=nid))
    for nid in sorted(analysis.stuck_nodes - unproven, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS104", scenario.nodes[nid].pos, "stuck", node=nid))
    if not analysis.complete:
        out.append(diag("KS106", scenario.nodes[scenario.start].pos, "search_cut", states=f"{analysis.states:,}"))
    if analysis.best is None and analysis.complete:
        out.append(diag("KS104", scenario.nodes[scenario.start].pos, "no_ending_reachable"))
    elif analysis.best is not None and analysis.complete and not analysis.reaches_100:
        best = analysis.best
        missed = [s for s in scenario.assess if s not in best.steps]
        why = []
        if missed:
            why.append(T("why_misses", steps=missed))
        if best.violations:
            why.append(T("why_breaks", rules=list(dict.fromkeys(best.violations))))
        reasons = T("best_why1", a=why[0]) if len(why) == 1 else T("best_why2", a=why[0], b=why[1]) if why else ""
        out.append(diag("KS102", scenario.nodes[scenario.start].pos, "best_scores",
                        choices=",".join(map(str, best.choices)), score=best.score, why=reasons))
    return out
