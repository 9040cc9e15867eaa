"""The rules of the conversation as `transitions` state machines, so they are visible in one place.

Two machines:
- StepPhase: how far the six steps of the method have been earned (per scenario: only the assessed steps).
  A step is in order when every assessed step before it has been earned; a step taken too early is named
  once and the phase jumps to it; the back-to-step-1 acts (acts.FALL_BACK_ACTS) fall back to the start: the
  steps already taken keep what they earned, but must be taken again before the steps after them count in order.
- BoundaryLadder: the answer to abuse: calm -> limit_set -> warned -> ended. Skipping a rung is a violation;
  every ended contact is a new start, so a customer who rings back is owed the limit and the warning again.

The machines are the definition. Because the analysis of a scenario asks the same question (state, act)
hundreds of thousands of times, each machine is also compiled into a table by running it once for every
(state, trigger) pair: the table and the machine can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from transitions import Machine

from simulator.scenario.acts import FALL_BACK_ACTS, LADDER_ACTS  # noqa: F401  (the machines' triggers)

if TYPE_CHECKING:   # TransitionConfigDict exists only in transitions' type stubs
    from transitions.core import EventData, TransitionConfigDict


@dataclass(frozen=True)
class Outcome:
    """What one trigger did: the new state and the events its callbacks recorded."""

    state: str
    events: tuple[str, ...]


class _Recorder:
    """The plain model object the machines decorate; callbacks append events to it."""

    def __init__(self) -> None:
        self.events: list[str] = []


def _tagged(tag: str) -> Callable[[EventData], None]:
    """The `after` callback that records `tag` on the machine's model (a _Recorder)."""
    return lambda event: cast(_Recorder, event.model).events.append(tag)


def build_step_phase(assessed: tuple[str, ...]) -> Machine:
    """The six-step phase for the steps a scenario assesses."""
    states = ["start", *assessed]
    transitions: list[TransitionConfigDict] = []
    for i, step in enumerate(assessed, start=1):
        for j, source in enumerate(states):
            if j == i - 1:
                transitions.append({"trigger": step, "source": source, "dest": step, "after": _tagged("in_order")})
            elif j >= i:
                transitions.append({"trigger": step, "source": source, "dest": None, "after": _tagged("in_order")})
            else:
                # Too early: penalised once, and the phase jumps here, so that one skipped step is one mistake
                # (the skipped step stays missed) rather than making every later step "too early" as well.
                transitions.append({"trigger": step, "source": source, "dest": step, "after": _tagged("too_early")})
    transitions.append({"trigger": "fall_back", "source": "*", "dest": "start", "after": _tagged("fell_back")})
    return Machine(model=_Recorder(), states=states, transitions=transitions, initial="start",
                   auto_transitions=False, send_event=True)


def build_boundary_ladder() -> Machine:
    """The ladder for answering abuse: calm -> limit_set -> warned -> ended.

    Ending the contact closes that contact: a customer who rings back starts a new one, so the ladder starts
    again from `ended` (which behaves like `calm`): the next hang-up needs its own warning. Ending a contact
    without a warning since the abuse started is a violation every time, also a second time in a row."""
    t: list[TransitionConfigDict] = [
        {"trigger": "set_limit", "source": ["calm", "ended"], "dest": "limit_set", "after": _tagged("limit_named")},
        {"trigger": "set_limit", "source": ["limit_set", "warned"], "dest": None},
        {"trigger": "warn", "source": "limit_set", "dest": "warned", "after": _tagged("warned")},
        # A warning without a limit before it skips a rung: it counts as the limit, not as the warning, so
        # ending the contact right after it is still an end without a warning.
        {"trigger": "warn", "source": ["calm", "ended"], "dest": "limit_set", "after": _tagged("warned_without_limit")},
        {"trigger": "warn", "source": "warned", "dest": None},
        {"trigger": "end_contact", "source": "warned", "dest": "ended", "after": _tagged("ended")},
        {"trigger": "end_contact", "source": ["calm", "limit_set", "ended"], "dest": "ended",
         "after": _tagged("ended_without_warning")},
    ]
    return Machine(model=_Recorder(), states=["calm", "limit_set", "warned", "ended"], transitions=t,
                   initial="calm", auto_transitions=False, send_event=True)


def _compile(machine: Machine, triggers: Iterable[str]) -> dict[tuple[str, str], Outcome]:
    table: dict[tuple[str, str], Outcome] = {}
    model = machine.models[0]
    for state in machine.states:
        for trigger in triggers:
            machine.set_state(state)
            model.events = []
            model.trigger(trigger)
            table[(state, trigger)] = Outcome(model.state, tuple(model.events))
    return table


@lru_cache(maxsize=64)
def step_phase_table(assessed: tuple[str, ...]) -> dict[tuple[str, str], Outcome]:
    return _compile(build_step_phase(assessed), [*assessed, "fall_back"])


@lru_cache(maxsize=1)
def ladder_table() -> dict[tuple[str, str], Outcome]:
    return _compile(build_boundary_ladder(), LADDER_ACTS)


def phase_index(phase: str, assessed: tuple[str, ...]) -> int:
    """How many assessed steps are earned in order (0 at the start)."""
    return 0 if phase == "start" else assessed.index(phase) + 1

