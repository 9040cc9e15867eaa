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
    # A search cut off at its limit proves nothing about the nodes and states it did not get to: say so once (KS106)
    # rather than call each of them unreachable or stuck.
    unproven = set() if analysis.complete else structurally
    for nid in sorted(structurally - analysis.reachable_nodes - unproven, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS101", scenario.nodes[nid].pos,
                        f"node '{nid}' cannot be reached: no path satisfies the conditions that lead here"))
    for nid in sorted(analysis.stuck_nodes - unproven, key=lambda n: scenario.nodes[n].pos):
        out.append(diag("KS104", scenario.nodes[nid].pos,
                        f"the conversation can get stuck at node '{nid}': sometimes none of its choices' `if` holds"))
    if not analysis.complete:
        out.append(diag("KS106", scenario.nodes[scenario.start].pos,
                        f"the search stopped after {analysis.states:,} states; the best path and the scores "
                        "may fall short of the real maximum, and which nodes can be reached or get stuck is not "
                        "known"))
    if analysis.best is None and analysis.complete:
        out.append(diag("KS104", scenario.nodes[scenario.start].pos, "no ending can be reached from start"))
    elif analysis.best is not None and analysis.complete and not analysis.reaches_100:
        best = analysis.best
        missed = [s for s in scenario.assess if s not in best.steps]
        why = []
        if missed:
            why.append(f"it misses the assessed step(s) {', '.join(missed)}")
        if best.violations:
            why.append(f"it breaks {', '.join(dict.fromkeys(best.violations))}")
        out.append(diag("KS102", scenario.nodes[scenario.start].pos,
                        f"the best path ({', '.join(map(str, best.choices))}) scores {best.score}"
                        + (f": {'; '.join(why)}" if why else "")))
    return out
