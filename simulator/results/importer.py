"""Reading exports back: a `klantsim-results` JSON export, or an xAPI statements file written by KlantSim."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from simulator.results.export import EXPORT_FORMAT, EXPORT_VERSION
from simulator.results.record import ConversationResult, RecordError
from simulator.results.xapi import records_in_statements

MAX_IMPORT_BYTES = 200 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message (one line) says why and what to do."""


@dataclass
class ImportBatch:
    """What one file holds: readable results, and one line per entry that could not be read."""

    path: Path
    kind: str  # "klantsim-results" or "xapi"
    results: list[ConversationResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_export(path: str | Path) -> ImportBatch:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFileError(f"{path}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split the export")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a folder; give the export files themselves") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: not UTF-8 text; give a file written by `export --json` or "
                              f"`export --xapi`") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (a CSV export cannot be imported: use `export --json`)" if path.suffix.lower() == ".csv" else ""
        raise ImportFileError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}{hint}") from None

    if isinstance(document, dict) and document.get("format") == EXPORT_FORMAT:
        version = document.get("version")
        if not isinstance(version, int) or version > EXPORT_VERSION:
            raise ImportFileError(f"{path}: export version {version!r} is newer than this KlantSim reads "
                                  f"({EXPORT_VERSION}); update KlantSim")
        entries = document.get("results")
        if not isinstance(entries, list):
            raise ImportFileError(f"{path}: 'results' must be a list")
        batch = ImportBatch(path, EXPORT_FORMAT)
        _read_entries(batch, entries, "result")
        return batch

    if isinstance(document, dict) and "actor" in document and "verb" in document:
        document = [document]  # a single statement
    if isinstance(document, list) and all(isinstance(s, dict) and "verb" in s for s in document):
        records, without_record = records_in_statements(document)
        batch = ImportBatch(path, "xapi")
        _read_entries(batch, records, "conversation")
        if without_record:
            batch.problems.append(f"{path}: {without_record} statement(s) carry no KlantSim record "
                                  f"(written by another tool?); skipped")
        return batch

    raise ImportFileError(f"{path}: not a KlantSim export; give a file written by `export --json` or "
                          f"`export --xapi`")


def _read_entries(batch: ImportBatch, entries: list, noun: str) -> None:
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        try:
            result = ConversationResult.from_dict(entry)
        except RecordError as exc:
            batch.problems.append(f"{batch.path}: {noun} {number}: {exc}; skipped")
            continue
        if result.id not in seen:
            seen.add(result.id)
            batch.results.append(result)
