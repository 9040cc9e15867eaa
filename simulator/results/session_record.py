"""Turning a played Session into a stored result: what the game and the terminal call when a conversation ends."""
from __future__ import annotations

from datetime import datetime, UTC
from pathlib import Path
from typing import Any

from simulator.digest import sha256
from simulator.results.record import ConversationResult, record_from_scorecard, utc_timestamp


def _file_version(scenario: Any) -> str:
    version = getattr(scenario, "version", "")
    if isinstance(version, str) and len(version) == 64:
        return version
    path = Path(str(getattr(scenario, "path", "")))
    if path.is_file():
        return sha256(path.read_bytes()).hexdigest()
    return sha256(b"").hexdigest()  # a scenario built from text in memory: no file to point at


def _path_with_options(session: Any) -> list[dict[str, Any]]:
    """The scorecard's path, each entry with the chosen text and feedback and every option that was offered,
    found by replaying the choices on a fresh session (the engine is deterministic)."""
    replay = type(session)(session.scenario, getattr(session, "rubric", None))
    times = list(getattr(session, "times", None) or [])
    path = []
    for number, turn in enumerate(session.turns):
        options = [{"text": choice.text, "act": choice.act} for choice in replay.choices()]
        say = replay.node.say
        replay.choose(turn.offered - 1)
        entry = {"node": turn.node, "choice": turn.offered, "act": turn.act, "text": turn.text,
                 "feedback": turn.feedback, "options": options, "say": say}
        if len(times) == len(session.turns):  # when each answer was given (older sessions: unknown)
            entry["at"] = utc_timestamp(datetime.fromtimestamp(times[number], UTC))
        for key in ("feedback", "say"):
            if entry[key] is None:
                del entry[key]
        path.append(entry)
    return path


def record_from_session(session: Any, player: str, started_at: datetime | str, status: str | None = None, *,
                        finished_at: datetime | str | None = None,
                        votes: list[list[int] | None] | None = None,
                        typed: list[dict[str, Any] | None] | None = None) -> ConversationResult:
    """A checked result for `session` (simulator.engine.session.Session) played by `player`.

    status: "finished" or "abandoned"; by default finished when the session reached an ending, else abandoned.
    finished_at defaults to now; votes (class mode) is one list of counts per choice made, one count per
    offered option. typed (answers in the player's own words) is one entry per choice made, None for a choice picked
    from the list, else {"typed": text, "heard": {"act", "confidence"}}, merged into that path entry. Raises
    simulator.results.record.RecordError when a field is unusable (e.g. an empty name).
    """
    scenario = session.scenario
    if status is None:
        status = "finished" if session.finished else "abandoned"
    path = _path_with_options(session)
    for entry, words in zip(path, typed or ()):
        if words:
            entry.update({key: words[key] for key in ("typed", "heard") if words.get(key) is not None})
    return record_from_scorecard(
        session.scorecard(), player, language=scenario.language, scenario_version=_file_version(scenario),
        started_at=started_at, finished_at=finished_at, status=status, title=scenario.title,
        path=path, votes=votes,
    )


def save_session(store: Any, session: Any, player: str, started_at: datetime | str, status: str | None = None,
                 **keywords: Any) -> ConversationResult:
    """record_from_session, then store.save; returns the saved result."""
    result = record_from_session(session, player, started_at, status, **keywords)
    store.save(result)
    return result
