"""One played conversation as the results store keeps it, and its lossless JSON form."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

STATUSES = ("finished", "abandoned")
_SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_PLAYER_LENGTH = 100


class RecordError(ValueError):
    """A result that cannot be stored as it is; the message says what is wrong."""


def utc_timestamp(moment: datetime | str | None = None) -> str:
    """A moment as UTC ISO 8601 with a `Z` (e.g. 2026-11-23T18:46:09Z); now when not given."""
    if moment is None:
        moment = datetime.now(timezone.utc)
    if isinstance(moment, str):
        moment = parse_timestamp(moment)
    if moment.tzinfo is None:
        # A naive datetime is taken as local time, as `datetime.now()` gives it.
        moment = moment.astimezone()
    moment = moment.astimezone(timezone.utc)
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """Read an ISO 8601 timestamp (a date alone means midnight UTC); raise RecordError when it is none."""
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"not a timestamp: {text!r} (expected e.g. 2026-11-23T18:46:09Z)")
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"not a timestamp: {text!r} (expected e.g. 2026-11-23T18:46:09Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


@dataclass
class ConversationResult:
    """A finished or abandoned conversation: who, which scenario (and which version of its file), when, the path
    taken and the scorecard.

    `path` entries are the scorecard's (`node`, `choice`, `act`) plus, when known, the chosen `text`, its
    `feedback`, and `options`: every choice offered at that node (`text`, `act`), so reports and xAPI can show
    what was not chosen. `votes`, for a class session, holds per path entry the vote count of each offered
    option (or None)."""

    player: str
    scenario: str
    language: str
    scenario_version: str
    started_at: str
    finished_at: str
    status: str
    scorecard: dict[str, Any]
    path: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    votes: list[list[int] | None] | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def score(self) -> int | None:
        score = self.scorecard.get("score")
        return int(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None

    @property
    def ending(self) -> str | None:
        ending = self.scorecard.get("ending")
        return ending if isinstance(ending, str) else None

    @property
    def duration_seconds(self) -> float:
        delta = parse_timestamp(self.finished_at) - parse_timestamp(self.started_at)
        return max(0.0, delta.total_seconds())

    def to_dict(self) -> dict[str, Any]:
        """The lossless JSON form (the shape of one entry in a `klantsim-results` export)."""
        data: dict[str, Any] = {
            "id": self.id,
            "player": self.player,
            "scenario": self.scenario,
            "title": self.title,
            "language": self.language,
            "scenario_version": self.scenario_version,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "path": self.path,
            "scorecard": self.scorecard,
        }
        if self.votes is not None:
            data["votes"] = self.votes
        return data

    @classmethod
    def from_dict(cls, data: Any) -> "ConversationResult":
        """Build and check a result from its JSON form; RecordError names the first problem."""
        if not isinstance(data, dict):
            raise RecordError("a result must be a JSON object")
        missing = [key for key in ("id", "player", "scenario", "language", "scenario_version", "started_at",
                                   "finished_at", "status", "scorecard") if key not in data]
        if missing:
            raise RecordError("missing " + ", ".join(repr(key) for key in missing))
        result = cls(
            id=data["id"], player=data["player"], scenario=data["scenario"], title=data.get("title") or "",
            language=data["language"], scenario_version=data["scenario_version"], started_at=data["started_at"],
            finished_at=data["finished_at"], status=data["status"], scorecard=data["scorecard"],
            path=data.get("path", data["scorecard"].get("path", []) if isinstance(data["scorecard"], dict) else []),
            votes=data.get("votes"),
        )
        return result.checked()

    def checked(self) -> "ConversationResult":
        """Return self with normalised fields, or raise RecordError saying what is wrong."""
        try:
            self.id = str(uuid.UUID(str(self.id)))
        except ValueError:
            raise RecordError(f"id {self.id!r} is not a UUID") from None
        if not isinstance(self.player, str) or not self.player.strip():
            raise RecordError("player must be a non-empty name")
        self.player = " ".join(self.player.split())
        if len(self.player) > MAX_PLAYER_LENGTH:
            raise RecordError(f"player name is longer than {MAX_PLAYER_LENGTH} characters")
        if not isinstance(self.scenario, str) or not _SCENARIO_ID.match(self.scenario):
            raise RecordError(f"scenario {self.scenario!r} is not a scenario id")
        if not isinstance(self.title, str):
            raise RecordError("title must be text")
        if not isinstance(self.language, str) or not re.match(r"^[a-z]{2,3}$", self.language):
            raise RecordError(f"language {self.language!r} is not a language code such as 'nl'")
        if not isinstance(self.scenario_version, str) or not _SHA256.match(self.scenario_version):
            raise RecordError("scenario_version must be the sha256 of the scenario file (64 hex digits)")
        if self.status not in STATUSES:
            raise RecordError(f"status {self.status!r} must be one of: {', '.join(STATUSES)}")
        self.started_at = utc_timestamp(parse_timestamp(self.started_at))
        self.finished_at = utc_timestamp(parse_timestamp(self.finished_at))
        if parse_timestamp(self.finished_at) < parse_timestamp(self.started_at):
            raise RecordError("finished_at lies before started_at")
        if not isinstance(self.scorecard, dict):
            raise RecordError("scorecard must be a JSON object")
        if "steps" in self.scorecard and not isinstance(self.scorecard["steps"], dict):
            raise RecordError("scorecard steps must be a JSON object")
        violations = self.scorecard.get("violations", [])
        if not isinstance(violations, list) or not all(isinstance(v, dict) for v in violations):
            raise RecordError("scorecard violations must be a list of objects")
        score = self.scorecard.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))
                                  or not 0 <= score <= 100):
            raise RecordError(f"scorecard score {score!r} must be a number from 0 to 100")
        if not isinstance(self.path, list) or not all(isinstance(step, dict) for step in self.path):
            raise RecordError("path must be a list of objects")
        for number, step in enumerate(self.path, 1):
            if not isinstance(step.get("node"), str) or not isinstance(step.get("act"), str):
                raise RecordError(f"path entry {number} needs a 'node' and an 'act'")
            choice = step.get("choice")
            if choice is not None and (isinstance(choice, bool) or not isinstance(choice, int) or choice < 1):
                raise RecordError(f"path entry {number}: 'choice' must be the number of the choice (1, 2, ...)")
            for key in ("text", "feedback", "say", "at"):
                if step.get(key) is not None and not isinstance(step[key], str):
                    raise RecordError(f"path entry {number}: '{key}' must be text")
            options = step.get("options")
            if options is not None and not (isinstance(options, list) and all(
                    isinstance(o, dict) and isinstance(o.get("text", ""), str) and isinstance(o.get("act", ""), str)
                    for o in options)):
                raise RecordError(f"path entry {number}: 'options' must be a list of {{text, act}} objects")
        if self.votes is not None:
            if not isinstance(self.votes, list) or len(self.votes) != len(self.path):
                raise RecordError("votes must be a list with one entry per path entry")
            for entry in self.votes:
                if entry is not None and not (isinstance(entry, list) and all(
                        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in entry)):
                    raise RecordError("each votes entry must be a list of counts (or null)")
        return self


def record_from_scorecard(scorecard: dict[str, Any], player: str, *, language: str, scenario_version: str,
                          started_at: datetime | str, finished_at: datetime | str | None = None,
                          status: str = "finished", title: str = "", path: list[dict[str, Any]] | None = None,
                          votes: list[list[int] | None] | None = None,
                          result_id: str | None = None) -> ConversationResult:
    """A checked result from a scorecard (the shape on the format page); the path defaults to the scorecard's."""
    result = ConversationResult(
        player=player, scenario=scorecard.get("scenario", ""), title=title, language=language,
        scenario_version=scenario_version, started_at=utc_timestamp(started_at),
        finished_at=utc_timestamp(finished_at), status=status, scorecard=dict(scorecard),
        path=[dict(step) for step in (path if path is not None else scorecard.get("path", []))],
        votes=votes, id=result_id or str(uuid.uuid4()),
    )
    return result.checked()
