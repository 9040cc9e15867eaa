"""xAPI (Experience API 1.0.3, ADL) statements for stored results, for an organisation's learning record store.

Per conversation: `attempted` (when it started), one `answered` per choice (a cmi.interaction of type choice,
listing the offered options and the response), then for a finished conversation `completed` and `passed` or
`failed`, for an abandoned one `terminated` with completion false. Statement ids are derived from the result id,
and from the statement's content, so exporting twice gives the same ids (a learning record store does not count a
conversation twice) while a statement whose content differs (another pass score, another base IRI) gets another id.
Choice ids come from the choice itself (its act and a hash of its text), never from its position on screen. The
statements carry no `version` property: the learning record store sets it. The last statement carries the whole
result in a context extension, so `import` can read an xAPI file back losslessly.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator

from simulator.results.record import ConversationResult, json_object

DEFAULT_BASE_IRI = "https://klantsim.example"  # organisations pass their own with --base-iri
FALLBACK_PASS_SCORE = 70
XAPI_VERSION = "1.0.3"  # the version these statements follow (sent as X-Experience-API-Version, not in statements)

VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("attempted", "answered", "completed", "passed", "failed", "terminated")
}
ACTIVITY_TYPES = {
    "simulation": "http://adlnet.gov/expapi/activities/simulation",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
RECORD_EXTENSION = "klantsim-record"  # the last path segment of the extension IRI that carries the whole result
_STATEMENT_NAMESPACE = uuid.UUID("5b0a3c52-6f1e-4f3c-9d56-2a1f6a0c7e11")


@lru_cache(maxsize=1)
def default_pass_score() -> int:
    """The rubric's pass mark (`pass_mark` in rubric.yaml) where the rubric has one, else 70."""
    try:
        from simulator.scoring.rubric import load_rubric

        mark = getattr(load_rubric(), "pass_mark", None)
    except Exception:
        mark = None
    if isinstance(mark, (int, float)) and not isinstance(mark, bool) and 0 <= mark <= 100:
        return int(mark)
    return FALLBACK_PASS_SCORE



def iso_duration(seconds: float) -> str:
    """ISO 8601 duration, e.g. 125.5 -> PT2M5.5S (precision 0.01 s, as xAPI keeps it)."""
    centis = max(0, round(seconds * 100))
    hours, rest = divmod(centis, 360000)
    minutes, centis = divmod(rest, 6000)
    whole, frac = divmod(centis, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if whole or frac or text == "PT":
        text += f"{whole}.{frac:02d}".rstrip("0").rstrip(".") + "S"
    return text


def _lang_map(result: ConversationResult, text: str) -> dict[str, str]:
    return {result.language: text}


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


class _Statement(dict):
    """A statement (a plain dict to every caller) that also keeps its JSON text, made once for the id's digest and
    reused when it is written or sent."""

    text: str


def _with_id(statement: dict[str, Any], result: ConversationResult, kind: str, number: int = 0) -> dict[str, Any]:
    """The statement with its id first: a UUIDv5 over the conversation, the statement's place in it and a digest of
    everything it says, so the same content always gets the same id and different content never shares one."""
    body = json.dumps(statement, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    statement_id = str(uuid.uuid5(_STATEMENT_NAMESPACE, f"{result.id}/{kind}/{number}/{digest}"))
    made = _Statement(id=statement_id, **statement)
    made.text = f'{{"id": "{statement_id}", {body[1:]}' if len(body) > 2 else f'{{"id": "{statement_id}"}}'
    return made


def statement_text(statement: dict[str, Any]) -> str:
    """The statement as JSON (the text made with its id when it came from here)."""
    return getattr(statement, "text", None) or json.dumps(statement, ensure_ascii=False)


@lru_cache(maxsize=4096)
def _option_id(act: str, text: str) -> str:
    return f"{act}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def option_id(option: dict[str, Any]) -> str:
    """A choice's interaction-component id from the choice itself: its act and a hash of its text (stable when the
    order on screen changes, e.g. when a condition hides another choice)."""
    text = str(option.get("text") or "")
    act = "".join(ch for ch in str(option.get("act") or "choice") if ch.isalnum() or ch in "-_") or "choice"
    return _option_id(act, text)


def _unique_ids(options: list[dict[str, Any]]) -> list[str]:
    ids, seen = [], set()
    for option in options:
        base = candidate = option_id(option)
        count = 1
        while candidate in seen:  # the same text twice at one node (a scenario mistake): keep ids unique
            count += 1
            candidate = f"{base}-{count}"
        seen.add(candidate)
        ids.append(candidate)
    return ids


def _answer_result(step: dict[str, Any], choice_id: str, base: str) -> dict[str, Any]:
    """An `answered` statement's result: the chosen choice's id as the response, and its act. For an answer typed in
    the player's own words the response is what was typed, the chosen choice's id moves to the `choice` extension
    and what the recogniser heard ({act, confidence}) goes in the `heard` extension."""
    extensions: dict[str, Any] = {f"{base}/xapi/extensions/act": step["act"]}
    typed = step.get("typed")
    if not isinstance(typed, str):
        return {"response": choice_id, "extensions": extensions}
    extensions[f"{base}/xapi/extensions/choice"] = choice_id
    heard = step.get("heard")
    if isinstance(heard, dict):
        extensions[f"{base}/xapi/extensions/heard"] = {"act": heard.get("act"),
                                                        "confidence": heard.get("confidence")}
    return {"response": typed, "extensions": extensions}


def record_extension_iri(base_iri: str) -> str:
    return f"{base_iri.rstrip('/')}/xapi/extensions/{RECORD_EXTENSION}"


def statements_for(result: ConversationResult, base_iri: str = DEFAULT_BASE_IRI,
                   pass_score: int | None = None) -> list[dict[str, Any]]:
    """The statements that describe one conversation, in the order they happened."""
    if pass_score is None:
        pass_score = default_pass_score()
    base = base_iri.rstrip("/")
    actor = {"objectType": "Agent", "name": result.player,
             "account": {"homePage": base, "name": result.player}}
    scenario_activity = {
        "objectType": "Activity",
        "id": f"{base}/scenarios/{result.language}/{result.scenario}",
        "definition": {"type": ACTIVITY_TYPES["simulation"],
                       "name": _lang_map(result, result.title or result.scenario)},
    }
    context: dict[str, Any] = {
        "registration": result.id,
        "platform": "KlantSim",
        "language": result.language,
        "extensions": {f"{base}/xapi/extensions/scenario-version": result.scenario_version},
    }
    child_context = dict(context, contextActivities={"parent": [{"objectType": "Activity",
                                                                 "id": scenario_activity["id"]}]})
    duration = iso_duration(result.duration_seconds)

    statements = [_with_id({
        "actor": actor, "verb": _verb("attempted"), "object": scenario_activity, "context": context,
        "timestamp": result.started_at,
    }, result, "attempted")]
    for number, step in enumerate(result.path, 1):
        options = [o for o in (step.get("options") or []) if isinstance(o, dict)]
        chosen = step.get("choice")
        if not options:
            # Only the chosen option is known (a result built from a bare scorecard).
            options = [{"text": step.get("text") or "", "act": step.get("act")}]
        ids = _unique_ids(options)
        choices = [{"id": ids[i], "description": _lang_map(result, str(o.get("text") or o.get("act")))}
                   for i, o in enumerate(options)]
        # Match by text first: an option list may hold every choice of the node, not only those offered.
        by_text = [i for i, o in enumerate(options) if step.get("text") and o.get("text") == step.get("text")]
        if by_text:
            response = ids[by_text[0]]
        elif isinstance(chosen, int) and chosen <= len(ids):
            response = ids[chosen - 1]
        else:
            response = ids[0]
        definition: dict[str, Any] = {"type": ACTIVITY_TYPES["interaction"], "interactionType": "choice",
                                      "name": _lang_map(result, f"{result.title or result.scenario}: {step['node']}"),
                                      "choices": choices}
        statements.append(_with_id({
            "actor": actor, "verb": _verb("answered"),
            "object": {"objectType": "Activity",
                       "id": f"{scenario_activity['id']}/nodes/{step['node']}", "definition": definition},
            "result": _answer_result(step, response, base),
            "context": child_context, "timestamp": step.get("at") or result.finished_at,
        }, result, "answered", number))

    record_context = dict(context, extensions=dict(context["extensions"],
                                                   **{record_extension_iri(base): result.to_dict()}))
    if result.status == "abandoned":
        statements.append(_with_id({
            "actor": actor, "verb": _verb("terminated"), "object": scenario_activity,
            "result": {"completion": False, "duration": duration}, "context": record_context,
            "timestamp": result.finished_at,
        }, result, "terminated"))
        return statements

    score = result.score if result.score is not None else 0
    success = score >= pass_score
    outcome = {"score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
               "success": success, "completion": True, "duration": duration}
    if result.ending:
        outcome["extensions"] = {f"{base}/xapi/extensions/ending": result.ending}
    statements.append(_with_id({
        "actor": actor, "verb": _verb("completed"), "object": scenario_activity, "result": outcome,
        "context": context, "timestamp": result.finished_at,
    }, result, "completed"))
    verdict = "passed" if success else "failed"
    statements.append(_with_id({
        "actor": actor, "verb": _verb(verdict), "object": scenario_activity, "result": outcome,
        "context": record_context, "timestamp": result.finished_at,
    }, result, verdict))
    return statements


def statements(results: Iterable[ConversationResult], base_iri: str = DEFAULT_BASE_IRI,
               pass_score: int | None = None) -> Iterator[dict[str, Any]]:
    """Every statement of every result, one conversation at a time (a generator: memory stays flat)."""
    for result in results:
        yield from statements_for(result, base_iri, pass_score)


def write_xapi(results: Iterable[ConversationResult], path: str | Path, base_iri: str = DEFAULT_BASE_IRI,
               pass_score: int | None = None) -> int:
    """Write a JSON array of statements (what an LRS's POST /statements accepts), streamed; returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for statement in statements(results, base_iri, pass_score):
            handle.write(",\n" if count else "\n")
            handle.write(statement_text(statement))
            count += 1
        handle.write("\n]\n")
    return count


_RECORD_KEY = re.compile(r"^(https?://[^\s]+)/xapi/extensions/" + RECORD_EXTENSION + r"$")
_RECORD_VERBS = {VERBS["passed"], VERBS["failed"], VERBS["terminated"]}


def carried_record(statement: dict[str, Any]) -> tuple[Any, str | None]:
    """(the KlantSim record a statement carries or None, why a statement that looks like ours was refused or None).

    Accepted only when it is exactly ours: a closing verb of ours, a UUID registration equal to the record's id,
    and the record extension under the same organisation IRI as the actor's account."""
    context = json_object(statement.get("context"))
    extensions = json_object(context.get("extensions"))
    keys = [key for key in extensions if isinstance(key, str) and key.endswith("/" + RECORD_EXTENSION)]
    if not keys:
        return None, None
    key = keys[0]
    match = _RECORD_KEY.match(key)
    actor = json_object(statement.get("actor"))
    account = json_object(actor.get("account"))
    home = account.get("homePage")
    if match is None or not isinstance(home, str) or match.group(1) != home.rstrip("/"):
        return None, f"extension {key!r} is not KlantSim's record extension for this organisation"
    verb = json_object(statement.get("verb"))
    if verb.get("id") not in _RECORD_VERBS:
        return None, f"verb {verb.get('id')!r} is not one KlantSim writes with a record"
    registration = context.get("registration")
    try:
        registration = str(uuid.UUID(registration)) if isinstance(registration, str) else None
    except ValueError:
        registration = None
    record = extensions[key]
    if registration is None:
        return None, "its registration is not a UUID"
    if not isinstance(record, dict) or str(record.get("id", "")).lower() != registration:
        return None, "its registration does not match the record it carries"
    return record, None
