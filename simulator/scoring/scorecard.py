"""The scorecard: a pure function from a played path to the JSON shape on the format page, with the breakdown a
quality scorecard shows (per step its weight and what it earned, each penalty, a fatal cap, what was not
assessed and why)."""
from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from typing import Any, Protocol

from simulator.scenario.acts import STEPS
from simulator.scenario.model import Scenario
from simulator.scoring import judge
from simulator.scoring.rubric import Rubric

STATUS_NAMES = {0: "open", 1: "too_early", 2: "in_order"}

Card = dict[str, Any]   # a JSON object of the scorecard (its shape is on the format page)


class PlayedTurn(Protocol):
    """What the scorecard reads of a turn (the engine's Turn; scoring does not import the engine)."""

    @property
    def node(self) -> str: ...
    @property
    def offered(self) -> int: ...
    @property
    def act(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def feedback(self) -> str | None: ...
    @property
    def violations(self) -> tuple[str, ...]: ...


class EndState(Protocol):
    """What the scorecard reads of the state a conversation ended in (the engine's State)."""

    @property
    def node(self) -> str: ...
    @property
    def step_status(self) -> tuple[int, ...]: ...
    @property
    def excuse(self) -> int: ...
    @property
    def anger(self) -> int: ...
    @property
    def trust(self) -> int: ...
    @property
    def left(self) -> bool: ...


def normalise(raw: int, best_raw: int) -> int:
    """A 0..100 share: raw points relative to a reference (100 when the reference is 0 and nothing was lost)."""
    if best_raw <= 0:
        return 100 if raw >= best_raw else 0
    return max(0, min(100, round(100 * raw / best_raw)))


def step_statuses(scenario: Scenario, step_status: Sequence[int], turns: Iterable[PlayedTurn],
                  excused: Container[str]) -> dict[str, str]:
    """Per step: in_order, too_early, open, excused (no longer possible: a colleague took over or the contact
    was ended correctly) or not_assessed."""
    out = {}
    for step, status in zip(STEPS, step_status):
        if step not in scenario.assessed_set:
            out[step] = "not_assessed"
        elif status:
            out[step] = STATUS_NAMES[status]
        elif step in excused:
            out[step] = "excused"
        else:
            out[step] = "open"
    return out


def step_report(scenario: Scenario, step_status: Sequence[int], turns: Iterable[PlayedTurn] = (),
                excused: Container[str] = ()) -> dict[str, Card]:
    statuses = step_statuses(scenario, step_status, turns, excused)
    return {step: {"done": status > 0, "in_order": status == 2 if step in scenario.assessed_set else status > 0,
                   "assessed": step in scenario.assessed_set and step not in excused, "status": statuses[step]}
            for step, status in zip(STEPS, step_status)}


def violation_entries(scenario: Scenario, rubric: Rubric, turns: Iterable[PlayedTurn], closing: tuple[str, ...],
                      end_node: str) -> list[Card]:
    out: list[Card] = []
    for turn in turns:
        for rule in turn.violations:
            out.append({"rule": rule, "node": turn.node, "message": rubric.rule_text(rule, scenario.language),
                        "act": turn.act, "choice": turn.text, "feedback": turn.feedback,
                        "points": rubric.penalties[rule], "fatal": rubric.is_fatal(rule, turn.act)})
    for rule in closing:
        out.append({"rule": rule, "node": end_node, "message": rubric.rule_text(rule, scenario.language),
                    "points": rubric.penalties[rule], "fatal": rubric.is_fatal(rule)})
    return out


def _excuse_reason(excuse: int) -> str:
    return "handed_over" if excuse == judge.EXCUSE_LATER_STEPS else "contact_ended"


def breakdown(scenario: Scenario, rubric: Rubric, final_state: EndState, turns: Iterable[PlayedTurn],
              violations: list[Card], excused: Container[str]) -> Card:
    """The score explained: per step its weight and what it earned, each penalty, the fatal cap, what was not
    assessed and why. `score` here equals the scorecard's score."""
    language = scenario.language
    statuses = step_statuses(scenario, final_state.step_status, turns, excused)
    steps: list[dict[str, Any]] = []
    for step, status in zip(STEPS, final_state.step_status):
        assessed = step in scenario.assessed_set and step not in excused
        reason_key = ("not_assessed" if step not in scenario.assessed_set
                      else _excuse_reason(final_state.excuse) if step in excused else None)
        steps.append({"step": step, "label": rubric.label(step, language), "weight": rubric.weights[step],
                      "earned": rubric.earned(step, status) if assessed else 0, "status": statuses[step],
                      "assessed": assessed, "reason_key": reason_key,
                      "reason": rubric.note(reason_key, language) if reason_key else None})
    earned = sum(s["earned"] for s in steps)
    possible = judge.possible_points(rubric, scenario.assessed_set, excused)
    penalties = [{"rule": v["rule"], "node": v["node"], "points": v["points"], "fatal": v["fatal"]} for v in violations]
    penalty = sum(p["points"] for p in penalties)
    fatal_rule = next((p["rule"] for p in penalties if p["fatal"]), None)
    value = judge.score(rubric, earned, penalty, possible, fatal_rule is not None)
    uncapped = judge.score(rubric, earned, penalty, possible, False)
    cap = rubric.fatal_cap if fatal_rule is not None and uncapped > rubric.fatal_cap else None
    return {"steps": steps, "possible": possible, "earned": earned, "penalty": penalty, "penalties": penalties,
            "fatal": fatal_rule, "cap": cap,
            "cap_note": rubric.note("fatal_cap", language, rule=rubric.label(fatal_rule, language) if fatal_rule
                                    else "", cap=rubric.fatal_cap, pass_mark=rubric.pass_mark) if fatal_rule else None,
            "score": value, "pass_mark": rubric.pass_mark, "passed": value >= rubric.pass_mark}


def build_scorecard(scenario: Scenario, rubric: Rubric, turns: Sequence[PlayedTurn], final_state: EndState,
                    closing: tuple[str, ...], finished: bool, ending: str | None) -> Card:
    violations = violation_entries(scenario, rubric, turns, closing, final_state.node)
    excused = judge.excused_steps(final_state.step_status, scenario.assessed_set, final_state.excuse)
    explained = breakdown(scenario, rubric, final_state, turns, violations, excused)
    steps = step_report(scenario, final_state.step_status, turns, excused)
    for step in excused:
        steps[step][_excuse_reason(final_state.excuse)] = True
    card = {
        "scenario": scenario.id,
        "language": scenario.language,
        "title": scenario.title,
        "version": scenario.version,
        "finished": finished,
        "ending": ending if finished else None,
        "end_node": final_state.node,
        "score": explained["score"],
        "passed": explained["passed"],
        "points": explained["earned"] - explained["penalty"],
        "possible": explained["possible"],
        "steps": steps,
        "violations": violations,
        "path": [{"node": t.node, "choice": t.offered, "act": t.act, "text": t.text} for t in turns],
        "customer": {"anger": final_state.anger, "trust": final_state.trust},
        "breakdown": explained,
    }
    if final_state.left:
        card["left"] = {"reason": "patience", "message": rubric.note("patience", scenario.language)}
    return card
