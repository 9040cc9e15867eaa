"""One played conversation as the results store keeps it, and its lossless JSON form."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, UTC
from typing import Any, TypeGuard

from simulator.scenario.acts import ACTS

STATUSES = ("finished", "abandoned")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_PLAYER_LENGTH = 100
MAX_PATH_ENTRIES = 2_000      # a real conversation has tens of choices; a million-entry path is an attack
MAX_TEXT_LENGTH = 20_000      # one line of a scenario, a title, a feedback text
MAX_OPTIONS = 100             # choices offered at one node
MAX_TYPED_LENGTH = 2_000      # an answer typed in the player's own words (the recogniser reads no more either)
EARLIEST_YEAR = 2000          # no KlantSim result is older; year 1 overflows when moved to UTC
# C0 and C1 control characters (ESC, BEL, NUL, the OSC introducer ...): they steer terminals and break files.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # text may keep tab and newlines


class RecordError(ValueError):
    """A result that cannot be stored as it is; the message says what is wrong."""


def json_object(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one: for reading optional parts of untrusted data."""
    return value if isinstance(value, dict) else {}


def printable(text: Any) -> str:
    """`text` with every control character shown as an escape (\\x1b), for terminals, spreadsheets and HTML."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def check_player_name(name: Any) -> str:
    """The name, with runs of spaces made one; RecordError when it is empty, too long or has control characters."""
    if not isinstance(name, str) or not name.strip():
        raise RecordError("player must be a non-empty name")
    if _CONTROL.search(name.strip()):
        raise RecordError(f"player name {printable(name)!r} contains control characters; type the name again")
    name = " ".join(name.split())
    if len(name) > MAX_PLAYER_LENGTH:
        raise RecordError(f"player name is longer than {MAX_PLAYER_LENGTH} characters")
    return name


def utc_timestamp(moment: datetime | str | None = None) -> str:
    """A moment as UTC ISO 8601 with a `Z` (e.g. 2026-11-23T18:46:09Z); now when not given."""
    if moment is None:
        moment = datetime.now(UTC)
    if isinstance(moment, str):
        moment = parse_timestamp(moment)
    try:
        if moment.tzinfo is None:
            # A naive datetime is taken as local time, as `datetime.now()` gives it.
            moment = moment.astimezone()
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        raise RecordError(f"timestamp {moment.isoformat()} lies outside the years {EARLIEST_YEAR}-9999") from None
    if moment.year < EARLIEST_YEAR:
        raise RecordError(f"timestamp {moment.isoformat()} lies before {EARLIEST_YEAR}; check the clock")
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """Read an ISO 8601 timestamp (a date alone means midnight UTC); raise RecordError when it is none."""
    if not isinstance(text, str) or not text.strip() or len(text) > 64:
        raise RecordError(f"not a timestamp: {printable(text)[:64]!r} (expected e.g. 2026-11-23T18:46:09Z)")
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"not a timestamp: {printable(text)!r} (expected e.g. 2026-11-23T18:46:09Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
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
    id: str = field(default_factory=lambda: new_id())

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
    def from_dict(cls, data: Any) -> ConversationResult:
        """Build and check a result from its JSON form; RecordError names the first problem."""
        if not isinstance(data, dict):
            raise RecordError("a result must be a JSON object")
        missing = [key for key in ("id", "player", "scenario", "language", "scenario_version", "started_at",
                                   "finished_at", "status", "scorecard") if key not in data]
        if missing:
            raise RecordError("missing " + ", ".join(repr(key) for key in missing))
        # Unchecked input (any JSON value): checked() below says what is wrong with it.
        path: Any = data.get("path", data["scorecard"].get("path", []) if isinstance(data["scorecard"], dict) else [])
        result = cls(
            id=data["id"], player=data["player"], scenario=data["scenario"], title=data.get("title") or "",
            language=data["language"], scenario_version=data["scenario_version"], started_at=data["started_at"],
            finished_at=data["finished_at"], status=data["status"], scorecard=data["scorecard"],
            path=path,
            votes=data.get("votes"),
        )
        return result.checked()

    def checked(self) -> ConversationResult:
        """Return self with normalised fields, or raise RecordError saying what is wrong."""
        if not (isinstance(self.id, str) and _CANONICAL_UUID.match(self.id)):   # as uuid.UUID writes it: kept
            import uuid

            try:
                self.id = str(uuid.UUID(self.id if isinstance(self.id, str) else ""))
            except ValueError:
                raise RecordError(f"id {printable(self.id)[:60]!r} is not a UUID") from None
        self.player = check_player_name(self.player)
        if not isinstance(self.scenario, str) or len(self.scenario) > 200 or not _SCENARIO_ID.match(self.scenario):
            raise RecordError(f"scenario {printable(self.scenario)[:60]!r} is not a scenario id")
        _check_text(self.title, "title")
        if not isinstance(self.language, str) or not re.match(r"^[a-z]{2,3}$", self.language):
            raise RecordError(f"language {printable(self.language)[:20]!r} is not a language code such as 'nl'")
        if not isinstance(self.scenario_version, str) or not _SHA256.match(self.scenario_version):
            raise RecordError("scenario_version must be the sha256 of the scenario file (64 hex digits)")
        if not isinstance(self.status, str) or self.status not in STATUSES:
            raise RecordError(f"status {printable(self.status)[:20]!r} must be one of: {', '.join(STATUSES)}")
        self.started_at = utc_timestamp(parse_timestamp(self.started_at))
        self.finished_at = utc_timestamp(parse_timestamp(self.finished_at))
        if parse_timestamp(self.finished_at) < parse_timestamp(self.started_at):
            raise RecordError("finished_at lies before started_at")
        _check_scorecard(self.scorecard)
        _check_path(self.path)
        if self.votes is not None:
            if not isinstance(self.votes, list) or len(self.votes) != len(self.path):
                raise RecordError("votes must be a list with one entry per path entry")
            for entry in self.votes:
                if entry is not None and not (isinstance(entry, list) and len(entry) <= MAX_OPTIONS and all(
                        isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 1_000_000 for n in entry)):
                    raise RecordError("each votes entry must be a list of counts (or null)")
        return self


def _check_text(value: Any, what: str, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise RecordError(f"{what} must be text")
    if len(value) > MAX_TEXT_LENGTH:
        raise RecordError(f"{what} is longer than {MAX_TEXT_LENGTH} characters")
    if _CONTROL_IN_TEXT.search(value):
        raise RecordError(f"{what} contains control characters")


_STEP_FLAGS = ("done", "in_order", "assessed", "handed_over")


def _is_scalar(value: Any) -> bool:
    """A plain detail: a flag, a number, a short word or nothing."""
    return value is None or isinstance(value, bool) or _is_number(value) or (
        isinstance(value, str) and len(value) <= 200 and not _CONTROL.search(value))


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value  # not NaN


def _check_scorecard(card: Any) -> None:
    if not isinstance(card, dict):
        raise RecordError("scorecard must be a JSON object")
    score = card.get("score")
    if score is not None and not (_is_number(score) and 0 <= score <= 100):
        raise RecordError(f"scorecard score {printable(score)[:20]!r} must be a number from 0 to 100")
    for key in ("ending", "scenario", "end_node"):
        _check_text(card.get(key), f"scorecard {key}", optional=True)
    steps = card.get("steps", {})
    if not isinstance(steps, dict) or len(steps) > 20:
        raise RecordError("scorecard steps must be a JSON object")
    for name, step in steps.items():
        # the flags are true/false; newer scorecards add plain details beside them (e.g. a status word)
        if not isinstance(step, dict) or len(step) > 20 or \
                not all(isinstance(step[flag], bool) for flag in _STEP_FLAGS if flag in step) or \
                not all(_is_scalar(value) for value in step.values()):
            raise RecordError(f"scorecard step {printable(name)[:30]!r} must be an object of true/false flags")
    violations = card.get("violations", [])
    if not isinstance(violations, list) or len(violations) > MAX_PATH_ENTRIES:
        raise RecordError("scorecard violations must be a list of objects")
    for number, violation in enumerate(violations, 1):
        if not isinstance(violation, dict):
            raise RecordError("scorecard violations must be a list of objects")
        _check_text(violation.get("rule"), f"violation {number}: 'rule'")
        for key in ("node", "message", "act", "choice", "feedback"):
            _check_text(violation.get(key), f"violation {number}: '{key}'", optional=True)
    customer = card.get("customer", {})
    if not isinstance(customer, dict) or not all(_is_number(v) and -1000 <= v <= 1000 for v in customer.values()):
        raise RecordError("scorecard customer must map anger and trust to numbers")
    for key in ("points", "best_points"):
        if card.get(key) is not None and not (_is_number(card[key]) and abs(card[key]) <= 1_000_000):
            raise RecordError(f"scorecard {key} must be a number")
    if "path" in card and (not isinstance(card["path"], list) or len(card["path"]) > MAX_PATH_ENTRIES):
        raise RecordError(f"scorecard path must be a list of at most {MAX_PATH_ENTRIES} entries")


def _check_path(path: Any) -> None:
    if not isinstance(path, list):
        raise RecordError("path must be a list of objects")
    if len(path) > MAX_PATH_ENTRIES:
        raise RecordError(f"path has {len(path)} entries; at most {MAX_PATH_ENTRIES} are accepted")
    for number, step in enumerate(path, 1):
        if not isinstance(step, dict):
            raise RecordError("path must be a list of objects")
        if not isinstance(step.get("node"), str) or not isinstance(step.get("act"), str):
            raise RecordError(f"path entry {number} needs a 'node' and an 'act'")
        for key in ("node", "act"):
            _check_text(step[key], f"path entry {number}: '{key}'")
        choice = step.get("choice")
        if choice is not None and (isinstance(choice, bool) or not isinstance(choice, int) or
                                   not 1 <= choice <= MAX_OPTIONS):
            raise RecordError(f"path entry {number}: 'choice' must be the number of the choice (1, 2, ...)")
        for key in ("text", "feedback", "say"):
            _check_text(step.get(key), f"path entry {number}: '{key}'", optional=True)
        if step.get("at") is not None:
            try:
                step["at"] = utc_timestamp(parse_timestamp(step["at"]))
            except RecordError as exc:
                raise RecordError(f"path entry {number}: 'at': {exc}") from None
        options = step.get("options")
        if options is not None:
            if not isinstance(options, list) or len(options) > MAX_OPTIONS or not all(
                    isinstance(o, dict) and isinstance(o.get("text", ""), str) and isinstance(o.get("act", ""), str)
                    for o in options):
                raise RecordError(f"path entry {number}: 'options' must be a list of {{text, act}} objects")
            for option in options:
                _check_text(option.get("text", ""), f"path entry {number}: option text")
        _check_typed(step, number)


def _check_typed(step: dict[str, Any], number: int) -> None:
    """An answer in the player's own words: `typed` (one line of text) and `heard` ({act, confidence}), both
    optional; a field that is present must be usable."""
    typed = step.get("typed")
    if "typed" in step and typed is not None:
        if not isinstance(typed, str):
            raise RecordError(f"path entry {number}: 'typed' must be text")
        if len(typed) > MAX_TYPED_LENGTH:
            raise RecordError(f"path entry {number}: 'typed' is longer than {MAX_TYPED_LENGTH} characters")
        if _CONTROL.search(typed):
            raise RecordError(f"path entry {number}: 'typed' {printable(typed)[:60]!r} contains control characters")
    heard = step.get("heard")
    if "heard" in step and heard is not None:
        if not isinstance(heard, dict) or set(heard) - {"act", "confidence"}:
            raise RecordError(f"path entry {number}: 'heard' must be an object with 'act' and 'confidence'")
        act, confidence = heard.get("act"), heard.get("confidence")
        if not isinstance(act, str) or act not in ACTS:
            raise RecordError(f"path entry {number}: 'heard' act {printable(act)[:40]!r} is not an act of the "
                              f"method (e.g. listen, acknowledge, set_limit)")
        if not (_is_number(confidence) and 0 <= confidence <= 1):
            raise RecordError(f"path entry {number}: 'heard' confidence {printable(confidence)[:20]!r} must be a "
                              f"number from 0 to 1")


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
        votes=votes, id=result_id or new_id(),
    )
    return result.checked()


def new_id() -> str:
    """A random UUID (version 4), as `str(uuid.uuid4())` writes it, without importing uuid: a game saves its result
    without it (uuid and what it loads are a tenth of a megabyte of the window's memory)."""
    import os

    n = int.from_bytes(os.urandom(16), "big") & ~(0xC000 << 48) & ~(0xF000 << 64) | (0x8000 << 48) | (0x4000 << 64)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
