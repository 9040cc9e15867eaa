"""The rules of rubric 2 applied to one turn and to the end of a conversation: pure functions, no state.

The act sets come from the one vocabulary (simulator.scenario.acts); the step phase and the boundary ladder are
the engine's machines, whose events (in_order, too_early, limit_named, ended_without_warning, ...) arrive here.
"""
from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from typing import NamedTuple

from simulator.scenario.acts import (BOUNDARY_ANSWERS, DOOR_OPENERS, FALL_BACK_ACTS, LIMIT_ACTS, METHOD_MISTAKES,
                                     MISTAKE_ACTS, STEP_OF_ACT, STEPS)
from simulator.scoring.rubric import Rubric

# Which steps leave the measure at the end of a conversation (see `excused_steps`).
EXCUSE_NONE = 0
EXCUSE_LATER_STEPS = 1   # a colleague who can decide took over: solving, agreeing and checking are theirs
EXCUSE_ALL = 2           # the customer made the rest impossible: a contact ended correctly (limit, warning, end)
LATER_STEPS = ("solve", "agree", "follow_up")


class Verdict(NamedTuple):
    """What the rubric says of one turn, and the boundary situation after it."""

    violations: tuple[str, ...]
    abuse_streak: int               # abusive lines in a row answered without a boundary
    boundary_started: bool          # a limit was named or a contact ended: a way to a solution must follow
    door_offered: bool              # since then, a way to a solution was offered
    excuse: int                     # EXCUSE_*: which untaken steps leave the measure


def judge_turn(act: str, abusive: bool, phase_events: tuple[str, ...], ladder_events: tuple[str, ...],
               abuse_streak: int, boundary_started: bool, door_offered: bool, excuse: int = EXCUSE_NONE) -> Verdict:
    violations: list[str] = []
    if "too_early" in phase_events:
        violations.append("too_early")
    if act in FALL_BACK_ACTS:
        violations.append("back_to_start")
    if act == "counter" and abusive:
        violations.append("counter_abuse")
    # A warning without a limit is a ladder mistake when it answers abuse; aimed at a customer who is not abusive
    # it is limit_without_abuse alone. Ending a contact without a warning is a ladder mistake always.
    if ("warned_without_limit" in ladder_events and abusive) or "ended_without_warning" in ladder_events:
        violations.append("boundary_ladder")
    if act in LIMIT_ACTS and not abusive:
        violations.append("limit_without_abuse")
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
    else:
        abuse_streak = 0

    if act in STEP_OF_ACT or act in MISTAKE_ACTS:
        # The conversation went on after the handover or the ended contact (the customer rang back, the agent
        # decided what happens next): the steps were possible after all, so they count again.
        excuse = EXCUSE_NONE
    if act == "hand_over":
        # The colleague who can decide agrees the solution, makes the agreements and checks them; listening,
        # understanding and asking were possible before the handover, abusive customer or not.
        excuse = max(excuse, EXCUSE_LATER_STEPS)
    if "ended" in ladder_events:
        excuse = EXCUSE_ALL
    if act in DOOR_OPENERS and boundary_started:
        door_offered = True
    if act in ("set_limit", "end_contact") or "warned_without_limit" in ladder_events:
        boundary_started = True   # a warning without a limit counts as the limit
    return Verdict(tuple(violations), abuse_streak, boundary_started, door_offered, excuse)


def closing_violations(boundary_started: bool, door_offered: bool) -> tuple[str, ...]:
    """Rules judged when the conversation ends."""
    return ("door_closed",) if boundary_started and not door_offered else ()


def penalty(rubric: Rubric, violations: Iterable[str]) -> int:
    return sum(rubric.penalties[v] for v in violations)


def is_fatal(rubric: Rubric, violations: Iterable[str], act: str | None = None) -> bool:
    return any(rubric.is_fatal(v, act) for v in violations)


def excused_steps(step_status: Sequence[int], assessed: Container[str], excuse: int) -> tuple[str, ...]:
    """Assessed steps not taken that leave the measure: the customer or a colleague made them impossible."""
    if excuse == EXCUSE_NONE:
        return ()
    return tuple(step for step, status in zip(STEPS, step_status)
                 if step in assessed and status == 0 and (excuse == EXCUSE_ALL or step in LATER_STEPS))


def earned_points(rubric: Rubric, step_status: Sequence[int], assessed: Container[str]) -> int:
    """Points earned by the assessed steps: each its weight in order, a share of it too early."""
    return sum(rubric.earned(step, status) for step, status in zip(STEPS, step_status) if step in assessed)


def possible_points(rubric: Rubric, assessed: Container[str], excused: Container[str]) -> int:
    """The weights of the assessed steps that stayed possible: what 100 means for this conversation."""
    return sum(rubric.weights[step] for step in STEPS if step in assessed and step not in excused)


def score(rubric: Rubric, earned: int, penalties: int, possible: int, fatal: bool) -> int:
    """100 x (earned - penalties) / possible, clamped to 0..100, capped at fatal_cap after a fatal mistake."""
    # When nothing could be assessed (the contact was ended correctly before any step), the formula's limit: 100
    # without a mistake, 0 with one (a penalty over nothing to earn). This keeps the score monotone: taking a step in
    # order never lowers it, which the analysis relies on.
    if possible > 0:
        value = round(100 * (earned - penalties) / possible)
    else:
        value = 100 if penalties == 0 else 0
    value = max(0, min(100, value))
    return min(value, rubric.fatal_cap) if fatal else value
