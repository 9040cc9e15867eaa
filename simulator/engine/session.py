"""The one API every front end drives: the current line, the offered choices, choose, undo, scorecard.

A session is a scenario plus the list of choices made; everything else is derived from that, so undo,
snapshot and restore are exact.
"""
from __future__ import annotations

import time

from simulator.engine import conversation as conv
from simulator.engine.customer import expression
from simulator.engine.machines import phase_index
from simulator.scenario.model import Choice, Node, Scenario
from simulator.scoring.rubric import Rubric, load_rubric
from simulator.scoring.scorecard import build_scorecard, step_report

_ANALYSES: dict[tuple, object] = {}
_KEEP = 32  # analyses kept (a trainer pressing F5 makes a new one per file version)


class ChoiceError(ValueError):
    """A choice that cannot be made now (out of range, or the conversation has ended)."""


def analysis_of(scenario: Scenario, rubric: Rubric):
    """The analysis of a scenario (best path, what 100 means), computed once per file version and start."""
    key = (scenario.path, scenario.version, scenario.id, scenario.language, scenario.start, id(rubric))
    if key not in _ANALYSES:
        from simulator.analysis.search import analyse

        if len(_ANALYSES) >= _KEEP:
            del _ANALYSES[next(iter(_ANALYSES))]
        _ANALYSES[key] = analyse(scenario, rubric)
    return _ANALYSES[key]


class Session:
    def __init__(self, scenario: Scenario, rubric: Rubric | None = None):
        self.scenario = scenario
        self.rubric = rubric or load_rubric()
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
        return self.node.say or ""

    def choices(self) -> list[Choice]:
        """The choices offered now (those whose `if` holds), in file order; empty when finished."""
        if self.node.ending is not None:
            return []
        return [c for _, c in conv.offered(self.scenario, self.state)]

    @property
    def finished(self) -> bool:
        return conv.is_final(self.scenario, self.state)

    @property
    def ending(self) -> str | None:
        return self.node.ending

    @property
    def mood(self) -> tuple[int, int]:
        return self.state.anger, self.state.trust

    @property
    def expression(self) -> str:
        return expression(*self.mood)

    @property
    def steps(self) -> dict[str, dict]:
        return step_report(self.scenario, self.state.step_status)

    @property
    def phase(self) -> int:
        """How many assessed steps are earned in order right now (falls back to 0)."""
        return phase_index(self.state.phase, self.scenario.assess)

    # -- acting ----------------------------------------------------------------------------------
    def choose(self, i: int) -> conv.Turn:
        """Make the i-th offered choice (0-based). Raises ChoiceError when that is not possible."""
        if self.finished:
            raise ChoiceError("the conversation has ended")
        options = conv.offered(self.scenario, self.state)
        if not 0 <= i < len(options):
            raise ChoiceError(f"choice {i + 1} is not offered; choose 1 to {len(options)}")
        index, _ = options[i]
        state, turn = conv.take(self.scenario, self.state, index, i + 1)
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
    @property
    def analysis(self):
        """The scenario's analysis: the best path for the debrief, and what a score of 100 means."""
        return analysis_of(self.scenario, self.rubric)

    @property
    def best_points(self) -> int:
        return self.analysis.best_raw

    def scorecard(self) -> dict:
        state = self.state
        closing = conv.closing(state) if self.finished else ()
        return build_scorecard(self.scenario, self.rubric, self.turns, state,
                               conv.raw_points(self.scenario, state, self.rubric), self.best_points,
                               closing, self.finished)

    def snapshot(self) -> dict:
        """A JSON-able record of this session, enough to restore it exactly."""
        sc = self.scenario
        return {"format": 1, "scenario": sc.id, "language": sc.language, "version": sc.version,
                "choices": [t.offered for t in self.turns]}

    @classmethod
    def restore(cls, scenario: Scenario, snapshot: dict, rubric: Rubric | None = None) -> "Session":
        """Rebuild a session from `snapshot()`; raises ValueError if it does not fit this scenario."""
        if not isinstance(snapshot, dict) or snapshot.get("scenario") != scenario.id:
            raise ValueError(f"this snapshot is not of scenario '{scenario.id}'")
        session = cls.replay(scenario, snapshot.get("choices", []), rubric)
        if len(session.turns) != len(snapshot.get("choices", [])):
            raise ValueError("the snapshot's choices no longer fit this scenario")
        return session

    @classmethod
    def replay(cls, scenario: Scenario, choices, rubric: Rubric | None = None) -> "Session":
        """A session with the given 1-based offered choices applied, as far as they still fit."""
        session = cls(scenario, rubric)
        for number in choices:
            if not isinstance(number, int) or session.finished:
                break
            try:
                session.choose(number - 1)
            except ChoiceError:
                break
        return session

    @classmethod
    def replay_turns(cls, scenario: Scenario, turns, rubric: Rubric | None = None) -> "Session":
        """A session on a changed version of the file that keeps the earlier path as far as it still exists.

        Each old turn (its `node`, file `index` and `text`) is made again while the new session stands at the same
        node: the offered choice with the same text, else the one at the same place in the file, else replay stops.
        `len(result.turns)` says how many were kept."""
        session = cls(scenario, rubric)
        for turn in turns:
            if session.finished or session.state.node != turn.node:
                break
            options = conv.offered(scenario, session.state)
            pick = next((i for i, (_, c) in enumerate(options) if c.text == turn.text), None)
            if pick is None:
                pick = next((i for i, (index, _) in enumerate(options) if index == turn.index), None)
            if pick is None:
                break
            session.choose(pick)
        return session
