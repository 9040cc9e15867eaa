"""The rules of the rubric applied to one turn and to the end of a conversation: pure functions, no state."""
from __future__ import annotations

from typing import NamedTuple

from simulator.scenario.acts import BOUNDARY_ANSWERS, DOOR_OPENERS, FALL_BACK_ACTS, METHOD_MISTAKES, STEPS
from simulator.scoring.rubric import Rubric



class Verdict(NamedTuple):
    """What the rubric says of one turn."""

    violations: tuple[str, ...]
    awards: frozenset               # boundary points earned now: set_limit, warn, end_contact, door_open
    abuse_streak: int               # abusive lines in a row answered without a boundary
    boundary_started: bool          # a limit was named or a contact ended
    door_offered: bool              # after that, a way to a solution was offered
    handed_over: bool               # a colleague took over an abusive call: later steps are theirs


def judge_turn(act: str, abusive: bool, phase_events: tuple[str, ...], ladder_events: tuple[str, ...],
               abuse_streak: int, boundary_started: bool, door_offered: bool, handed_over: bool = False) -> Verdict:
    violations: list[str] = []
    awards: set[str] = set()  # noqa: C405
    if "too_early" in phase_events:
        violations.append("too_early")
    if act in FALL_BACK_ACTS:
        violations.append("back_to_start")
    if act == "counter" and abusive:
        violations.append("counter_abuse")
    if "warned_without_limit" in ladder_events or "ended_without_warning" in ladder_events:
        violations.append("boundary_ladder")
    if act == "give_in":
        violations.append("gave_in")
    if act in METHOD_MISTAKES:
        violations.append("method")

    if abusive:
        if act in BOUNDARY_ANSWERS:
            abuse_streak = 0
        else:
            abuse_streak += 1
            if abuse_streak >= 2:
                violations.append("abuse_tolerated")
                abuse_streak = 0
        if "limit_named" in ladder_events:
            awards.add("set_limit")
        if "warned" in ladder_events:
            awards.add("warn")
        if "ended" in ladder_events:
            awards.add("end_contact")
    else:
        abuse_streak = 0

    if act == "hand_over" and (abusive or boundary_started):
        handed_over = True
    if boundary_started and act in DOOR_OPENERS and not door_offered:
        door_offered = True
        awards.add("door_open")
    if act in ("set_limit", "end_contact"):
        boundary_started = True
    return Verdict(tuple(violations), frozenset(awards), abuse_streak, boundary_started, door_offered, handed_over)


def closing_violations(boundary_started: bool, door_offered: bool) -> tuple[str, ...]:
    """Rules judged when the conversation ends."""
    return ("door_closed",) if boundary_started and not door_offered else ()


def penalty(rubric: Rubric, violations) -> int:
    return sum(rubric.penalties[v] for v in violations)


def points(rubric: Rubric, step_status: dict[str, int] | tuple, assessed, awards) -> int:
    """Points earned: each assessed step once (in order or too early), plus boundary awards."""
    total = 0
    for step, status in zip(STEPS, step_status):
        if step in assessed:
            total += rubric.step_in_order if status == 2 else rubric.step_too_early if status == 1 else 0
    return total + sum(rubric.boundary[a] for a in awards)


def excused_points(rubric: Rubric, step_status, assessed, handed_over: bool) -> int:
    """Points of the assessed steps a colleague took over: they leave the measure instead of counting as
    missed. (Letting a colleague take over an abusive call is part of the method; the colleague, not the
    player, then takes the steps that are left.)"""
    if not handed_over:
        return 0
    return sum(rubric.step_in_order for step, status in zip(STEPS, step_status) if step in assessed and status == 0)


def reference(best_raw: int, excused: int, earned: int) -> int:
    """What 100 means for a path. Normally the best path's points. When a colleague took over, the steps they
    take leave the measure, but never so far that the path's own points (before penalties) exceed it: the
    ladder points of an abusive branch must not lift a path with violations to 100."""
    if not excused:
        return best_raw
    return max(best_raw - excused, earned)
