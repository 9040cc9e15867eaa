"""Exports of stored results: CSV for spreadsheets, and the lossless `klantsim-results` JSON for merging."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from collections.abc import Iterable

import re

from simulator.results.record import ConversationResult, json_object, parse_timestamp, printable

STEPS = ("listen", "acknowledge", "ask", "solve", "agree", "follow_up")
EXPORT_FORMAT = "klantsim-results"
EXPORT_VERSION = 1

CSV_COLUMNS = (
    "id", "player", "scenario", "title", "language", "scenario_version", "started_at", "finished_at",
    "duration_seconds", "status", "ending", "score", *STEPS, "violations", "violation_rules", "path",
    "anger", "trust", "typed", "heard_act", "heard_confidence",
)
ANSWER_SEPARATOR = " > "  # between the answers of one conversation, as in `path`
# Semicolons: the list separator of Dutch (and most European) Excel, which opens such a file straight into columns;
# LibreOffice detects it. The BOM makes both read UTF-8, so ë, é and ĳ survive.
CSV_DELIMITER = ";"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_SEEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and newlines stay (quoted) as they are


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
    # Control characters (ESC, BEL ...) are shown as escapes: they would steer a terminal that prints the file.
    if isinstance(value, str):
        value = printable(value) if _CONTROL_SEEN.search(value) else value
        if value.startswith(_FORMULA_STARTS):
            return "'" + value
    return value


def row_values(result: ConversationResult) -> list[Any]:
    """One conversation's values in CSV_COLUMNS order, typed (numbers as numbers, None where unknown)."""
    card = result.scorecard
    steps = json_object(card.get("steps"))
    violations = [v for v in card.get("violations", []) if isinstance(v, dict)]
    customer = json_object(card.get("customer"))
    return [
        result.id, result.player, result.scenario, result.title, result.language, result.scenario_version,
        result.started_at, result.finished_at, round(result.duration_seconds), result.status, result.ending or "",
        result.score,
        *(step_state(steps.get(step)) for step in STEPS),
        len(violations), " ".join(str(v.get("rule", "")) for v in violations),
        " > ".join(str(step.get("act", "")) for step in result.path),
        customer.get("anger"), customer.get("trust"),
        *typed_columns(result.path),
    ]


def typed_columns(path: list[dict[str, Any]]) -> tuple[str, str, str]:
    """The answers given in the player's own words, one item per path entry (lined up with the `path` column), an
    empty item for a choice picked from the list; all three empty when nothing was typed."""
    if not any(isinstance(step.get("typed"), str) or isinstance(step.get("heard"), dict) for step in path):
        return "", "", ""
    typed, acts, confidences = [], [], []
    for step in path:
        heard = json_object(step.get("heard"))
        confidence = heard.get("confidence")
        typed.append(" ".join(str(step.get("typed") or "").split()))
        acts.append(str(heard.get("act") or ""))
        confidences.append(f"{round(confidence, 3):g}" if isinstance(confidence, (int, float)) and
                           not isinstance(confidence, bool) else "")
    return ANSWER_SEPARATOR.join(typed), ANSWER_SEPARATOR.join(acts), ANSWER_SEPARATOR.join(confidences)


def csv_row(result: ConversationResult) -> list[Any]:
    return [_cell("" if value is None else value) for value in row_values(result)]


def _write_csv_rows(handle, results: Iterable[ConversationResult], delimiter: str) -> int:
    writer = csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for result in results:
        writer.writerow(csv_row(result))
        count += 1
    return count


def csv_text(results: Iterable[ConversationResult], delimiter: str = CSV_DELIMITER) -> str:
    """The CSV export as text (without the BOM)."""
    buffer = io.StringIO()
    _write_csv_rows(buffer, results, delimiter)
    return buffer.getvalue()


def write_csv(results: Iterable[ConversationResult], path: str | Path, delimiter: str = CSV_DELIMITER) -> int:
    """One row per conversation, UTF-8 with BOM, semicolon-separated (or `delimiter`), CRLF line ends; streamed.
    Returns how many rows."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        return _write_csv_rows(handle, results, delimiter)


def export_document(results: Iterable[ConversationResult]) -> dict[str, Any]:
    """The lossless export: every field of every result, as `import` reads it back."""
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "results": [r.to_dict() for r in results]}


def write_json(results: Iterable[ConversationResult], path: str | Path) -> int:
    """The lossless export, written one result at a time (memory stays flat); returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(f'{{"format": "{EXPORT_FORMAT}", "version": {EXPORT_VERSION}, "results": [')
        for result in results:
            handle.write(",\n" if count else "\n")
            handle.write(json.dumps(result.to_dict(), ensure_ascii=False))
            count += 1
        handle.write("\n]}\n")
    return count


# Spreadsheet (xlsx) columns: how each is typed and how wide it is drawn (in characters).
_XLSX_NUMBERS = {"duration_seconds", "score", "violations", "anger", "trust"}
_XLSX_TIMES = {"started_at", "finished_at"}
_XLSX_WIDTHS = {"id": 38, "player": 24, "scenario": 22, "title": 36, "language": 9, "scenario_version": 18,
                "started_at": 20, "finished_at": 20, "duration_seconds": 10, "status": 11, "ending": 14, "score": 7,
                "violations": 10, "violation_rules": 30, "path": 50, "anger": 7, "trust": 7, "typed": 50,
                "heard_act": 30, "heard_confidence": 18}


def write_xlsx(results: Iterable[ConversationResult], path: str | Path) -> int:
    """One row per conversation in an Excel workbook: numbers as numbers, times as date-times (UTC), a frozen header
    with a filter, and column widths; written in openpyxl's streaming mode. Returns how many rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KlantSim")
    sheet.freeze_panes = "A2"
    for number, column in enumerate(CSV_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(number)].width = _XLSX_WIDTHS.get(column, 13)
    bold = Font(bold=True)
    header = []
    for column in CSV_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    times = {CSV_COLUMNS.index(c) for c in _XLSX_TIMES}
    numbers = {CSV_COLUMNS.index(c) for c in _XLSX_NUMBERS}
    count = 0
    for result in results:
        row = row_values(result)
        for index, value in enumerate(row):
            if index in times:
                row[index] = parse_timestamp(value).replace(tzinfo=None)  # shown as a date-time (UTC)
            elif index in numbers:
                row[index] = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            elif isinstance(value, str):
                if _CONTROL.search(value):
                    value = printable(value)
                if value.startswith("="):  # openpyxl would store it as a formula: keep it text
                    cell = WriteOnlyCell(sheet, value=None)
                    cell.value, cell.data_type = value, "s"
                    value = cell
                row[index] = value
        sheet.append(row)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(CSV_COLUMNS))}{count + 1}"
    workbook.save(path)
    return count
