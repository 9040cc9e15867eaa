"""The scorecard: a pure function from a played path to the JSON shape on the format page."""
from __future__ import annotations

from simulator.scenario.model import STEPS, Scenario
from simulator.scoring.judge import penalty
from simulator.scoring.rubric import Rubric


def normalise(raw: int, best_raw: int) -> int:
    """The 0..100 score: raw points relative to the best path this scenario allows."""
    if best_raw <= 0:
        return 100 if raw >= best_raw else 0
    return max(0, min(100, round(100 * raw / best_raw)))


def step_report(scenario: Scenario, step_status) -> dict[str, dict]:
    return {step: {"done": status > 0, "in_order": status == 2 if step in scenario.assessed_set else status > 0,
                   "assessed": step in scenario.assessed_set}
            for step, status in zip(STEPS, step_status)}


def violation_entries(scenario: Scenario, rubric: Rubric, turns, closing: tuple[str, ...], end_node: str) -> list[dict]:
    out = []
    for turn in turns:
        for rule in turn.violations:
            out.append({"rule": rule, "node": turn.node, "message": rubric.rule_text(rule, scenario.language),
                        "act": turn.act, "choice": turn.text, "feedback": turn.feedback})
    for rule in closing:
        out.append({"rule": rule, "node": end_node, "message": rubric.rule_text(rule, scenario.language)})
    return out


def build_scorecard(scenario: Scenario, rubric: Rubric, turns, final_state, raw_points: int, best_raw: int,
                    closing: tuple[str, ...], finished: bool) -> dict:
    from simulator.scoring.judge import excused_points, reference

    violations = violation_entries(scenario, rubric, turns, closing, final_state.node)
    raw = raw_points - penalty(rubric, [v["rule"] for v in violations])
    excused = excused_points(rubric, final_state.step_status, scenario.assessed_set, final_state.handed_over)
    steps = step_report(scenario, final_state.step_status)
    if final_state.handed_over:
        for info in steps.values():
            if info["assessed"] and not info["done"]:
                info["handed_over"] = True
    node = scenario.nodes[final_state.node]
    return {
        "scenario": scenario.id,
        "language": scenario.language,
        "title": scenario.title,
        "version": scenario.version,
        "finished": finished,
        "ending": node.ending if finished else None,
        "end_node": final_state.node,
        "score": normalise(raw, reference(best_raw, excused, raw_points)),
        "points": raw,
        "best_points": reference(best_raw, excused, raw_points),
        "steps": steps,
        "violations": violations,
        "path": [{"node": t.node, "choice": t.offered, "act": t.act, "text": t.text} for t in turns],
        "customer": {"anger": final_state.anger, "trust": final_state.trust},
    }
