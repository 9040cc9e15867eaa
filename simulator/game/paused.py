"""Conversations stopped halfway, kept per player and scenario (choices and seed) so the card can offer to go on."""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

PAUSED_NAME = "paused.json"


def new_session(scenario, seed: int | None = None):
    """A Session with a random seed (the offered choices then come in this conversation's own order); engines
    without seeds get a plain session."""
    from simulator.engine.session import Session

    seed = random.randrange(2 ** 31) if seed is None else seed
    try:
        return Session(scenario, seed=seed)
    except TypeError:   # an engine before rubric 2: file order
        session = Session(scenario)
        session.seed = seed
        return session


def replay_picks(session, picks) -> int:
    """Make again the choices given as (node, file index); stops where one no longer fits. Returns how many."""
    made = 0
    for node, index in picks:
        if session.finished or session.state.node != node:
            break
        target = session.scenario.nodes[node].choices[index] if index < len(session.scenario.nodes[node].choices) \
            else None
        shown = session.choices()
        pick = next((i for i, c in enumerate(shown) if c is target), None)
        if pick is None:
            break
        session.choose(pick)
        made += 1
    return made


class PausedConversations:
    def __init__(self, folder: Path):
        self.path = Path(folder) / PAUSED_NAME

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write(self, data: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass   # cannot write: the conversation simply cannot be continued later

    @staticmethod
    def key(player: str, scenario) -> str:
        return f"{player}\t{scenario.id}\t{scenario.language}"

    def keep(self, player: str, session) -> None:
        data = self._read()
        data[self.key(player, session.scenario)] = {
            "seed": getattr(session, "seed", None), "version": session.scenario.version,
            "picks": [[t.node, t.index] for t in session.turns]}
        self._write(data)

    def get(self, player: str, scenario) -> dict | None:
        entry = self._read().get(self.key(player, scenario))
        if not isinstance(entry, dict) or not isinstance(entry.get("picks"), list) or not entry["picks"]:
            return None
        return entry

    def drop(self, player: str, scenario) -> None:
        data = self._read()
        if data.pop(self.key(player, scenario), None) is not None:
            self._write(data)


def session_from_record(scenario, record):
    """The session of a stored result, rebuilt on the scenario by the chosen texts at each node (whatever order the
    choices were shown in); None when the file changed so much that the path no longer fits."""
    session = new_session(scenario, (record.scorecard or {}).get("seed"))
    for entry in record.path:
        if session.finished or session.state.node != entry.get("node"):
            return None
        shown = session.choices()
        pick = next((i for i, c in enumerate(shown) if c.text == entry.get("text")), None)
        if pick is None:
            return None
        session.choose(pick)
    return session
