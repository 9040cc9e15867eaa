"""The one API every front end drives: the current line, the offered choices, choose, undo, scorecard.

A session is a scenario plus the list of choices made; everything else is derived from that, so undo,
snapshot and restore are exact.
"""
from __future__ import annotations

import random
import time
from collections.abc import Iterable
from typing import Any

from simulator.engine import conversation as conv
from simulator.engine.customer import expression
from simulator.engine.machines import phase_index
from simulator.scenario.acts import STEPS
from simulator.scenario.model import Choice, Node, Scenario
from simulator.scoring.rubric import Rubric, load_rubric
from simulator.scoring.judge import excused_steps
from simulator.scoring.scorecard import Card, build_scorecard, step_report

class ChoiceError(ValueError):
    """A choice that cannot be made now (out of range, or the conversation has ended)."""


def shown_order(seed: int | None, node_id: str, count: int) -> list[int]:
    """The order in which `count` offered choices are shown at a node: file order without a seed, else a
    shuffle that depends only on the seed and the node, so a stored seed replays the same order."""
    order = list(range(count))
    if seed is not None and count > 1:
        random.Random(f"{seed}:{node_id}:{count}").shuffle(order)
    return order


class Session:
    """One conversation. With a `seed`, the offered choices are shown in an order shuffled per conversation
    (the same seed gives the same order), so the best answer is not always the first; `choose(i)` then takes
    the i-th choice as shown. Without a seed they are shown in file order (scripted play, tests)."""

    def __init__(self, scenario: Scenario, rubric: Rubric | None = None, seed: int | None = None):
        self.scenario = scenario
        self.rubric = rubric or load_rubric()
        self.seed = seed
        self._states: list[conv.State] = [conv.start_state(scenario)]
        self.turns: list[conv.Turn] = []
        self.times: list[float] = []   # when each choice was made (epoch seconds), for the results

    # -- what the player sees -----------------------------------------------------------------
    @property
    def state(self) -> conv.State:
        return self._states[-1]

    @property
    def node(self) -> Node:
        return self.scenario.nodes[self.state.node]

    @property
    def line(self) -> str:
        if self.state.left:
            return self.rubric.note("patience_line", self.scenario.language)
        return self.node.say or ""

    def _shown(self) -> list[tuple[int, int, Choice]]:
        """(offered number in file order, file index, choice) for each choice offered now, in shown order."""
        if self.finished:
            return []
        options = conv.offered(self.scenario, self.state)
        return [(i + 1, *options[i]) for i in shown_order(self.seed, self.state.node, len(options))]

    def choices(self) -> list[Choice]:
        """The choices offered now (those whose `if` holds), in the order shown; empty when finished."""
        return [c for _, _, c in self._shown()]

    def shown_numbers(self) -> list[int]:
        """For each choice as shown now, its number in file order among the offered ones (as `--choices`
        counts): what the result stores, so a path reads the same whatever order it was shown in."""
        return [number for number, _, _ in self._shown()]

    @property
    def finished(self) -> bool:
        return conv.is_final(self.scenario, self.state)

    @property
    def ending(self) -> str | None:
        return conv.ending_of(self.scenario, self.state)

    @property
    def mood(self) -> tuple[int, int]:
        return self.state.anger, self.state.trust

    @property
    def expression(self) -> str:
        return expression(*self.mood)

    @property
    def steps(self) -> dict[str, Card]:
        state = self.state
        return step_report(self.scenario, state.step_status, self.turns,
                           excused_steps(state.step_status, self.scenario.assessed_set, state.excuse))

    def track(self) -> list[dict[str, Any]]:
        """The six steps as the scoring sees them now, for a live track. Per step: `assessed`; `status`, what it
        earns (open, in_order, too_early); `again`, True when a fall-back to step 1 came after it, so it must be
        taken again before the steps after it count in order (what it earned stays); `next`, True for the step
        the method expects now."""
        assess = self.scenario.assess
        phase = self.phase
        out = []
        for step, status in zip(STEPS, self.state.step_status):
            position = assess.index(step) if step in assess else None
            out.append({"step": step, "assessed": position is not None,
                        "status": {2: "in_order", 1: "too_early"}.get(status, "open"),
                        "again": bool(status) and position is not None and position >= phase,
                        "next": position is not None and position == phase})
        return out

    @property
    def phase(self) -> int:
        """How many assessed steps are earned in order right now (falls back to 0)."""
        return phase_index(self.state.phase, self.scenario.assess)

    # -- acting ----------------------------------------------------------------------------------
    def choose(self, i: int) -> conv.Turn:
        """Make the i-th choice as shown (0-based). Raises ChoiceError when that is not possible."""
        if self.finished:
            raise ChoiceError("the conversation has ended")
        shown = self._shown()
        if not 0 <= i < len(shown):
            raise ChoiceError(f"choice {i + 1} is not offered; choose 1 to {len(shown)}")
        return self._take(*shown[i][:2])

    def choose_offered(self, number: int) -> conv.Turn:
        """Make the choice with this 1-based number among the offered ones in file order (as `--choices` and
        stored results count), whatever order they are shown in."""
        if self.finished:
            raise ChoiceError("the conversation has ended")
        options = conv.offered(self.scenario, self.state)
        if not 1 <= number <= len(options):
            raise ChoiceError(f"choice {number} is not offered; choose 1 to {len(options)}")
        return self._take(number, options[number - 1][0])

    def _take(self, number: int, index: int) -> conv.Turn:
        state, turn = conv.take(self.scenario, self.state, index, number, self.rubric)
        self._states.append(state)
        self.turns.append(turn)
        self.times.append(time.time())
        return turn

    def undo(self) -> bool:
        """Take back the last choice; False when there is nothing to undo."""
        if not self.turns:
            return False
        self._states.pop()
        self.turns.pop()
        self.times.pop()
        return True

    # -- results ---------------------------------------------------------------------------------
    def scorecard(self) -> Card:
        state = self.state
        finished = self.finished
        card = build_scorecard(self.scenario, self.rubric, self.turns, state,
                               conv.closing(state) if finished else (), finished,
                               conv.ending_of(self.scenario, state))
        if self.seed is not None:
            card["seed"] = self.seed
        return card

    def snapshot(self) -> dict[str, Any]:
        """A JSON-able record of this session, enough to restore it exactly."""
        sc = self.scenario
        snap = {"format": 1, "scenario": sc.id, "language": sc.language, "version": sc.version,
                "choices": [t.offered for t in self.turns]}
        if self.seed is not None:
            snap["seed"] = self.seed
        return snap

    @classmethod
    def restore(cls, scenario: Scenario, snapshot: dict[str, Any], rubric: Rubric | None = None) -> Session:
        """Rebuild a session from `snapshot()`; raises ValueError if it does not fit this scenario."""
        if not isinstance(snapshot, dict) or snapshot.get("scenario") != scenario.id:
            raise ValueError(f"this snapshot is not of scenario '{scenario.id}'")
        seed = snapshot.get("seed")
        session = cls.replay(scenario, snapshot.get("choices", []), rubric,
                             seed if isinstance(seed, int) and not isinstance(seed, bool) else None)
        if len(session.turns) != len(snapshot.get("choices", [])):
            raise ValueError("the snapshot's choices no longer fit this scenario")
        return session

    @classmethod
    def replay(cls, scenario: Scenario, choices: Iterable[object], rubric: Rubric | None = None,
               seed: int | None = None) -> Session:
        """A session with the given 1-based offered choices (file order) applied, as far as they still fit."""
        session = cls(scenario, rubric, seed)
        for number in choices:
            if not isinstance(number, int) or session.finished:
                break
            try:
                session.choose_offered(number)
            except ChoiceError:
                break
        return session

    @classmethod
    def replay_turns(cls, scenario: Scenario, turns: Iterable[conv.Turn], rubric: Rubric | None = None,
                     seed: int | None = None) -> Session:
        """A session on a changed version of the file that keeps the earlier path as far as it still exists.

        Each old turn (its `node`, file `index` and `text`) is made again while the new session stands at the same
        node: the offered choice with the same text, else the one at the same place in the file, else replay stops.
        `len(result.turns)` says how many were kept."""
        session = cls(scenario, rubric, seed)
        for turn in turns:
            if session.finished or session.state.node != turn.node:
                break
            options = conv.offered(scenario, session.state)
            pick = next((i for i, (_, c) in enumerate(options) if c.text == turn.text), None)
            if pick is None:
                pick = next((i for i, (index, _) in enumerate(options) if index == turn.index), None)
            if pick is None:
                break
            session.choose_offered(pick + 1)
        return session
