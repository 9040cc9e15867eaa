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
(state, trigger) pair. Those tables are shipped, generated, in `rule_tables.py`, so a game never imports
`transitions` (with logging and six, some 0.9 MB of a window's memory): `make tables` writes them again, and
tests/test_engine_tables.py builds them from the machines and fails when the two disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from simulator.engine import rule_tables
from simulator.scenario.acts import FALL_BACK_ACTS, LADDER_ACTS  # noqa: F401  (the machines' triggers)

if TYPE_CHECKING:   # TransitionConfigDict exists only in transitions' type stubs
    from transitions import Machine
    from transitions.core import EventData, TransitionConfigDict

TABLES_FILE = Path(__file__).with_name("rule_tables.py")
REGENERATE = "make tables"   # (or: python -m simulator.engine.machines)


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
    from transitions import Machine   # here: a game plays from the shipped tables and never loads transitions

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
    from transitions import Machine

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


def compile_step_phase(assessed: tuple[str, ...]) -> dict[tuple[str, str], Outcome]:
    """The step phase's table, by running its machine (what rule_tables.py holds, by position)."""
    return _compile(build_step_phase(assessed), [*assessed, "fall_back"])


def compile_ladder() -> dict[tuple[str, str], Outcome]:
    """The ladder's table, by running its machine."""
    return _compile(build_boundary_ladder(), LADDER_ACTS)


@lru_cache(maxsize=64)
def step_phase_table(assessed: tuple[str, ...]) -> dict[tuple[str, str], Outcome]:
    """The step phase for these assessed steps, from the shipped table for their number. The machine depends only on
    the steps' positions: state i is "start" (0) or the i-th assessed step, trigger j the j-th step or fall_back."""
    states = ("start", *assessed)
    triggers = (*assessed, "fall_back")
    return {(states[i], triggers[j]): Outcome(states[dest], events)
            for (i, j), (dest, events) in rule_tables.STEP_PHASE[len(assessed)].items()}


@lru_cache(maxsize=1)
def ladder_table() -> dict[tuple[str, str], Outcome]:
    """The boundary ladder, from the shipped table."""
    return {key: Outcome(dest, events) for key, (dest, events) in rule_tables.LADDER.items()}


def tables_source() -> str:
    """rule_tables.py as the machines define it now: the step phase for 0 to 6 assessed steps (by position; the
    steps' names do not change what the machine does) and the ladder."""
    from simulator.scenario.acts import STEPS

    lines = ['"""The engine\'s rules as tables, GENERATED from the `transitions` machines in machines.py: do not edit.',
             f"Write it again after changing a machine: `{REGENERATE}` (tests/test_engine_tables.py checks it).",
             "", "STEP_PHASE[n]: n assessed steps; (state, trigger) -> (next state, events), by position:",
             "state 0 is the start, state i the i-th assessed step; trigger j < n is the (j+1)-th assessed step,",
             "trigger n is fall_back.",
             '"""', "", "STEP_PHASE: dict[int, dict[tuple[int, int], tuple[int, tuple[str, ...]]]] = {"]
    for n in range(len(STEPS) + 1):
        assessed = STEPS[:n]
        states, triggers = ("start", *assessed), (*assessed, "fall_back")
        lines.append(f"    {n}: {{")
        for (state, trigger), out in compile_step_phase(assessed).items():
            key = (states.index(state), triggers.index(trigger))
            lines.append(f"        {key!r}: ({states.index(out.state)}, {out.events!r}),")
        lines.append("    },")
    lines += ["}", "", "LADDER: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {"]
    lines += [f"    {key!r}: ({out.state!r}, {out.events!r})," for key, out in compile_ladder().items()]
    lines += ["}", ""]
    return "\n".join(lines)


def write_tables() -> None:
    TABLES_FILE.write_text(tables_source(), encoding="utf-8")


def phase_index(phase: str, assessed: tuple[str, ...]) -> int:
    """How many assessed steps are earned in order (0 at the start)."""
    return 0 if phase == "start" else assessed.index(phase) + 1



if __name__ == "__main__":
    write_tables()
    print(f"wrote {TABLES_FILE}")
