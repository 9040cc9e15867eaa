"""Exports of stored results: CSV for spreadsheets, and the lossless `klantsim-results` JSON for merging."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable

from simulator.results.record import ConversationResult

STEPS = ("listen", "acknowledge", "ask", "solve", "agree", "follow_up")
EXPORT_FORMAT = "klantsim-results"
EXPORT_VERSION = 1

CSV_COLUMNS = (
    "id", "player", "scenario", "title", "language", "scenario_version", "started_at", "finished_at",
    "duration_seconds", "status", "ending", "score", *STEPS, "violations", "violation_rules", "path",
    "anger", "trust",
)
# Semicolons: the list separator of Dutch (and most European) Excel, which opens such a file straight into columns;
# LibreOffice detects it. The BOM makes both read UTF-8, so ë, é and ĳ survive.
CSV_DELIMITER = ";"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def step_state(step: Any) -> str:
    """How a scorecard step went, as one word: in_order, too_early, not_done or not_assessed."""
    if not isinstance(step, dict):
        return "not_assessed"
    if step.get("assessed") is False:
        return "not_assessed"
    if not step.get("done"):
        return "not_done"
    return "in_order" if step.get("in_order", True) else "too_early"


def _cell(value: Any) -> Any:
    # A cell starting with = + - @ is run as a formula by spreadsheets; a name like "=HYPERLINK(...)" must stay text.
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(result: ConversationResult) -> list[Any]:
    card = result.scorecard
    steps = card.get("steps") if isinstance(card.get("steps"), dict) else {}
    violations = [v for v in card.get("violations", []) if isinstance(v, dict)]
    customer = card.get("customer") if isinstance(card.get("customer"), dict) else {}
    row = [
        result.id, result.player, result.scenario, result.title, result.language, result.scenario_version,
        result.started_at, result.finished_at, round(result.duration_seconds), result.status, result.ending or "",
        "" if result.score is None else result.score,
        *(step_state(steps.get(step)) for step in STEPS),
        len(violations), " ".join(str(v.get("rule", "")) for v in violations),
        " > ".join(str(step.get("act", "")) for step in result.path),
        customer.get("anger", ""), customer.get("trust", ""),
    ]
    return [_cell(value) for value in row]


def csv_text(results: Iterable[ConversationResult], delimiter: str = CSV_DELIMITER) -> str:
    """The CSV export as text (without the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        writer.writerow(csv_row(result))
    return buffer.getvalue()


def write_csv(results: Iterable[ConversationResult], path: str | Path, delimiter: str = CSV_DELIMITER) -> None:
    """One row per conversation, UTF-8 with BOM, semicolon-separated (or `delimiter`), CRLF line ends."""
    Path(path).write_text(csv_text(results, delimiter), encoding="utf-8-sig", newline="")


def export_document(results: Iterable[ConversationResult]) -> dict[str, Any]:
    """The lossless export: every field of every result, as `import` reads it back."""
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "results": [r.to_dict() for r in results]}


def write_json(results: Iterable[ConversationResult], path: str | Path) -> None:
    text = json.dumps(export_document(results), ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")
