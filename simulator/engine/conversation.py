"""One conversation step as a pure function: (scenario, state, choice) -> (next state, turn record).

The Session (what front ends use) and the analysis (which searches all paths) both call `take`, so a path
scores the same whether it is played or analysed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from simulator.engine.customer import apply_effect
from simulator.engine.machines import ladder_table, step_phase_table
from simulator.scenario.acts import FALL_BACK_ACTS, LADDER_ACTS
from simulator.scenario.conditions import evaluate
from simulator.scenario.model import STEPS, Choice, Scenario
from simulator.scoring import judge
from simulator.scoring.rubric import Rubric, load_rubric


class State(NamedTuple):
    """Everything that decides what happens next and what the conversation is worth. Hashable, so the analysis
    can search over it. (A NamedTuple: the analysis makes hundreds of thousands of them, and tuples are cheap.)"""

    node: str
    anger: int
    trust: int
    turns: int = 0
    flags: frozenset[str] = frozenset()
    phase: str = "start"                 # StepPhase machine state
    ladder: str = "calm"                 # BoundaryLadder machine state
    step_status: tuple[int, ...] = (0,) * len(STEPS)   # per step: 0 not taken, 1 too early, 2 in order (best so far)
    abuse_streak: int = 0
    boundary_started: bool = False       # a limit or an ended contact still needs a way to a solution after it
    door_offered: bool = False
    excuse: int = judge.EXCUSE_NONE      # which untaken steps leave the measure (judge.EXCUSE_*)
    fatal: bool = False                  # a fatal rule was broken: the score is capped
    circles: int = 0                     # times the conversation went back round (scenario.back_edges)
    left: bool = False                   # the customer lost patience and left (ending `lost`)


@dataclass(frozen=True)
class Turn:
    """What one choice did, for the transcript, coach feedback and the scorecard."""

    node: str
    offered: int            # 1-based number among the offered choices (as `--choices` counts)
    index: int              # 0-based index among all the node's choices in the file
    act: str
    text: str
    feedback: str | None
    abusive: bool           # the line answered was abusive
    violations: tuple[str, ...]
    step_event: str | None  # in_order, too_early, fell_back or None
    anger: int              # mood after the choice
    trust: int
    next_node: str
    left: bool = False      # after this choice the customer lost patience and left


def start_state(scenario: Scenario) -> State:
    return State(node=scenario.start, anger=scenario.customer.anger, trust=scenario.customer.trust)


def offered(scenario: Scenario, state: State) -> list[tuple[int, Choice]]:
    """The node's choices whose `if` holds now, with their index in the file."""
    node = scenario.nodes[state.node]
    fixed = scenario.unconditional_options.get(node.id)
    if fixed is not None:
        return fixed
    return [(i, c) for i, c in enumerate(node.choices)
            if c.when is None or evaluate(c.when.expr, state.anger, state.trust, state.turns, state.flags)]


def is_final(scenario: Scenario, state: State) -> bool:
    node = scenario.nodes[state.node]
    return state.left or node.ending is not None or not offered(scenario, state)


def ending_of(scenario: Scenario, state: State) -> str | None:
    """The ending kind of a finished conversation: the node's, or `lost` when the customer ran out of patience."""
    return "lost" if state.left else scenario.nodes[state.node].ending


def advance(scenario: Scenario, state: State, index: int, rubric: Rubric | None = None,
            ) -> tuple[State, tuple[str, ...], str | None]:
    """The state after the node's choice `index` (0-based in the file), the violations, and the step event
    (in_order, too_early, fell_back or None). The analysis calls this hundreds of thousands of times."""
    rubric = rubric or load_rubric()
    node = scenario.nodes[state.node]
    choice = node.choices[index]
    act = choice.act

    phase = state.phase
    phase_events: tuple[str, ...] = ()
    status = state.step_status
    step = choice.step
    if step is not None:
        slot = STEPS.index(step)
        if step in scenario.assessed_set:
            outcome = step_phase_table(scenario.assess)[(phase, step)]
            phase, phase_events = outcome.state, outcome.events
            new = 2 if "in_order" in phase_events else 1
        else:
            new = 2
        if new > status[slot]:
            status = status[:slot] + (new,) + status[slot + 1:]
    elif act in FALL_BACK_ACTS:
        outcome = step_phase_table(scenario.assess)[(phase, "fall_back")]
        phase, phase_events = outcome.state, outcome.events

    ladder = state.ladder
    ladder_events: tuple[str, ...] = ()
    if act in LADDER_ACTS:
        outcome = ladder_table()[(ladder, act)]
        ladder, ladder_events = outcome.state, outcome.events

    verdict = judge.judge_turn(act, node.abusive, phase_events, ladder_events, state.abuse_streak,
                               state.boundary_started, state.door_offered, state.excuse)
    anger, trust = apply_effect(state.anger, state.trust, choice)
    flags = state.flags | frozenset(choice.sets) if choice.sets else state.flags
    turns = state.turns + 1
    target = choice.routes[-1].goto
    for route in choice.routes:
        if route.when is None or evaluate(route.when.expr, anger, trust, turns, flags):
            target = route.goto
            break
    circles, left = state.circles, False
    if (node.id, target) in scenario.back_edges:
        circles += 1
        if circles > rubric.patience:
            target, left = node.id, True   # the customer does not go round again: they leave from here
    fatal = state.fatal or (bool(verdict.violations) and judge.is_fatal(rubric, verdict.violations, act))
    new_state = State(target, anger, trust, turns, flags, phase, ladder, status, verdict.abuse_streak,
                      verdict.boundary_started, verdict.door_offered, verdict.excuse, fatal, circles, left)
    return new_state, verdict.violations, phase_events[0] if phase_events else None


def take(scenario: Scenario, state: State, index: int, offered_number: int = 0,
         rubric: Rubric | None = None) -> tuple[State, Turn]:
    """`advance`, plus the record of the turn for the transcript, coach feedback and scorecard."""
    new_state, violations, step_event = advance(scenario, state, index, rubric)
    node = scenario.nodes[state.node]
    choice = node.choices[index]
    turn = Turn(node=node.id, offered=offered_number, index=index, act=choice.act, text=choice.text,
                feedback=choice.feedback, abusive=node.abusive, violations=violations, step_event=step_event,
                anger=new_state.anger, trust=new_state.trust, next_node=new_state.node, left=new_state.left)
    return new_state, turn


def closing(state: State) -> tuple[str, ...]:
    return judge.closing_violations(state.boundary_started, state.door_offered)


__all__ = ["State", "Turn", "start_state", "offered", "advance", "take", "is_final", "ending_of", "closing"]
