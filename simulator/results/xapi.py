"""xAPI (Experience API 1.0.3, ADL) statements for stored results, for an organisation's learning record store.

Per conversation: `attempted` (when it started), one `answered` per choice (a cmi.interaction of type choice,
listing the offered options and the response), then for a finished conversation `completed` and `passed` or
`failed`, for an abandoned one `terminated` with completion false. Statement ids are derived from the result id,
so exporting twice gives the same ids and a learning record store does not count a conversation twice. The last
statement carries the whole result in a context extension, so `import` can read an xAPI file back losslessly.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Iterable

from simulator.results.record import ConversationResult

DEFAULT_BASE_IRI = "https://klantsim.example"  # organisations pass their own with --base-iri
DEFAULT_PASS_SCORE = 70
XAPI_VERSION = "1.0.3"

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


def _statement_id(result: ConversationResult, kind: str, number: int = 0) -> str:
    return str(uuid.uuid5(_STATEMENT_NAMESPACE, f"{result.id}/{kind}/{number}"))


def _option_id(number: int) -> str:
    return f"choice-{number}"


def statements_for(result: ConversationResult, base_iri: str = DEFAULT_BASE_IRI,
                   pass_score: int = DEFAULT_PASS_SCORE) -> list[dict[str, Any]]:
    """The statements that describe one conversation, in the order they happened."""
    base = base_iri.rstrip("/")
    actor = {"objectType": "Agent", "name": result.player,
             "account": {"homePage": base, "name": result.player}}
    scenario_activity = {
        "objectType": "Activity",
        "id": f"{base}/scenarios/{result.language}/{result.scenario}",
        "definition": {"type": ACTIVITY_TYPES["simulation"],
                       "name": _lang_map(result, result.title or result.scenario)},
    }
    context = {
        "registration": result.id,
        "platform": "KlantSim",
        "language": result.language,
        "extensions": {f"{base}/xapi/extensions/scenario-version": result.scenario_version},
    }
    child_context = dict(context, contextActivities={"parent": [{"objectType": "Activity",
                                                                 "id": scenario_activity["id"]}]})
    duration = iso_duration(result.duration_seconds)

    statements = [{
        "id": _statement_id(result, "attempted"), "actor": actor, "verb": _verb("attempted"),
        "object": scenario_activity, "context": context, "timestamp": result.started_at, "version": XAPI_VERSION,
    }]
    for number, step in enumerate(result.path, 1):
        options = step.get("options") or []
        chosen = step.get("choice")
        if options:
            choices = [{"id": _option_id(i), "description": _lang_map(result, str(o.get("text") or o.get("act")))}
                       for i, o in enumerate(options, 1)]
        else:
            # Only the chosen option is known (a result built from a bare scorecard).
            choices = [{"id": _option_id(chosen if isinstance(chosen, int) else 1),
                        "description": _lang_map(result, str(step.get("text") or step.get("act")))}]
        # Match by text first: an option list may hold every choice of the node, not only those offered.
        by_text = [i for i, o in enumerate(options, 1) if step.get("text") and o.get("text") == step.get("text")]
        if by_text:
            response = _option_id(by_text[0])
        elif isinstance(chosen, int) and chosen <= len(choices):
            response = _option_id(chosen) if options else choices[0]["id"]
        else:
            response = choices[0]["id"]
        definition: dict[str, Any] = {"type": ACTIVITY_TYPES["interaction"], "interactionType": "choice",
                                      "name": _lang_map(result, f"{result.title or result.scenario}: {step['node']}"),
                                      "choices": choices}
        statements.append({
            "id": _statement_id(result, "answered", number), "actor": actor, "verb": _verb("answered"),
            "object": {"objectType": "Activity",
                       "id": f"{scenario_activity['id']}/nodes/{step['node']}", "definition": definition},
            "result": {"response": response, "extensions": {f"{base}/xapi/extensions/act": step["act"]}},
            "context": child_context, "timestamp": step.get("at") or result.finished_at, "version": XAPI_VERSION,
        })

    record_context = dict(context, extensions=dict(context["extensions"],
                                                   **{f"{base}/xapi/extensions/{RECORD_EXTENSION}":
                                                      result.to_dict()}))
    if result.status == "abandoned":
        statements.append({
            "id": _statement_id(result, "terminated"), "actor": actor, "verb": _verb("terminated"),
            "object": scenario_activity, "result": {"completion": False, "duration": duration},
            "context": record_context, "timestamp": result.finished_at, "version": XAPI_VERSION,
        })
        return statements

    score = result.score if result.score is not None else 0
    success = score >= pass_score
    outcome = {"score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
               "success": success, "completion": True, "duration": duration}
    if result.ending:
        outcome["extensions"] = {f"{base}/xapi/extensions/ending": result.ending}
    statements.append({
        "id": _statement_id(result, "completed"), "actor": actor, "verb": _verb("completed"),
        "object": scenario_activity, "result": outcome, "context": context, "timestamp": result.finished_at,
        "version": XAPI_VERSION,
    })
    statements.append({
        "id": _statement_id(result, "passed" if success else "failed"), "actor": actor,
        "verb": _verb("passed" if success else "failed"), "object": scenario_activity, "result": outcome,
        "context": record_context, "timestamp": result.finished_at, "version": XAPI_VERSION,
    })
    return statements


def statements(results: Iterable[ConversationResult], base_iri: str = DEFAULT_BASE_IRI,
               pass_score: int = DEFAULT_PASS_SCORE) -> list[dict[str, Any]]:
    return [s for result in results for s in statements_for(result, base_iri, pass_score)]


def write_xapi(results: Iterable[ConversationResult], path: str | Path, base_iri: str = DEFAULT_BASE_IRI,
               pass_score: int = DEFAULT_PASS_SCORE) -> int:
    """Write a JSON array of statements (what an LRS's POST /statements accepts); returns how many."""
    items = statements(results, base_iri, pass_score)
    Path(path).write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(items)


def records_in_statements(items: list[Any]) -> tuple[list[Any], int]:
    """The result dicts carried by statements (see RECORD_EXTENSION), and how many statements belong to no
    conversation that carries one (statements from another tool)."""
    records, covered, loose = [], set(), []
    for statement in items:
        if not isinstance(statement, dict):
            loose.append(None)
            continue
        context = statement.get("context") if isinstance(statement.get("context"), dict) else {}
        registration = context.get("registration") if isinstance(context.get("registration"), str) else None
        extensions = context.get("extensions") if isinstance(context.get("extensions"), dict) else {}
        carried = [value for key, value in extensions.items()
                   if isinstance(key, str) and key.rstrip("/").endswith("/" + RECORD_EXTENSION)]
        records.extend(carried)
        if carried and registration:
            covered.add(registration)
        elif not carried:
            loose.append(registration)
    return records, sum(1 for registration in loose if registration is None or registration not in covered)
