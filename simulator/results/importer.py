"""Reading exports back: a `klantsim-results` JSON export, or xAPI statements written by KlantSim (a file written
by `export --xapi`, or a learning record store's `{"statements": [...]}` answer).

Every record is checked field by field; a bad one costs one line and is skipped, the good ones are kept. The file
itself is read defensively: regular files only, at most MAX_IMPORT_BYTES, nesting bounded before parsing."""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from simulator.results.export import EXPORT_FORMAT, EXPORT_VERSION
from simulator.results.record import MAX_PATH_ENTRIES, ConversationResult, RecordError, printable
from simulator.results.xapi import records_in_statements

MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_RECORD_BYTES = 2 * 1024 * 1024  # one conversation; real ones are a few kilobytes
MAX_DEPTH = 64                      # a KlantSim export nests about 8 deep
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message (one line) says why and what to do."""


@dataclass
class ImportBatch:
    """What one file holds: readable results, and one line per entry that could not be read."""

    path: Path
    kind: str  # "klantsim-results" or "xapi"
    results: list[ConversationResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON text, found without parsing (strings are skipped): linear time."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        else:
            depth -= 1
    return deepest


def _read_text(path: Path) -> str:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportFileError(f"{path}: is a folder; give the export files themselves")
    if not stat.S_ISREG(info.st_mode):
        raise ImportFileError(f"{path}: not a regular file (a pipe or a device); give an export file")
    if info.st_size > MAX_IMPORT_BYTES:
        raise ImportFileError(f"{path}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split the export")
    try:
        # O_NONBLOCK: should the file have been swapped for a pipe since the check, opening does not hang.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ImportFileError(f"{path}: not a regular file (a pipe or a device); give an export file")
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(f"{path}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split the export")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: not UTF-8 text; give a file written by `export --json` or "
                              f"`export --xapi`") from None


def read_export(path: str | Path) -> ImportBatch:
    path = Path(path)
    text = _read_text(path)
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise ImportFileError(f"{path}: JSON nested {depth} deep (an export nests under {MAX_DEPTH}); "
                              f"not a KlantSim export")
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        hint = " (a CSV export cannot be imported: use `export --json`)" if path.suffix.lower() == ".csv" else ""
        where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deep"
        raise ImportFileError(f"{path}{where}: not valid JSON: {message}{hint}") from None
    del text

    if isinstance(document, dict) and document.get("format") == EXPORT_FORMAT:
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version > EXPORT_VERSION:
            raise ImportFileError(f"{path}: export version {printable(version)[:20]} is newer than this KlantSim "
                                  f"reads ({EXPORT_VERSION}); update KlantSim")
        entries = document.get("results")
        if not isinstance(entries, list):
            raise ImportFileError(f"{path}: 'results' must be a list")
        batch = ImportBatch(path, EXPORT_FORMAT)
        _read_entries(batch, entries, "result")
        return batch

    if isinstance(document, dict) and isinstance(document.get("statements"), list):
        document = document["statements"]  # a learning record store's answer to GET /statements
    elif isinstance(document, dict) and "actor" in document and "verb" in document:
        document = [document]  # a single statement
    if isinstance(document, list) and all(isinstance(s, dict) and "verb" in s for s in document):
        records, without_record, refused = records_in_statements(document)
        batch = ImportBatch(path, "xapi")
        batch.problems.extend(f"{path}: {line}; skipped" for line in refused)
        _read_entries(batch, records, "conversation")
        if without_record:
            batch.problems.append(f"{path}: {without_record} statement(s) carry no KlantSim record "
                                  f"(written by another tool?); skipped")
        return batch

    raise ImportFileError(f"{path}: not a KlantSim export; give a file written by `export --json` or "
                          f"`export --xapi`")


def _read_entries(batch: ImportBatch, entries: list, noun: str) -> None:
    seen: dict[str, dict] = {}
    for number, entry in enumerate(entries, 1):
        try:
            if isinstance(entry, dict) and isinstance(entry.get("path"), list) and \
                    len(entry["path"]) > MAX_PATH_ENTRIES:  # before measuring the record: refuse it cheaply
                raise RecordError(f"path has {len(entry['path'])} entries; at most {MAX_PATH_ENTRIES} are accepted")
            size = len(json.dumps(entry, ensure_ascii=False))
            if size > MAX_RECORD_BYTES:
                raise RecordError(f"{size // 1024} kB, more than the {MAX_RECORD_BYTES // 1024} kB a "
                                  f"conversation may take")
            result = ConversationResult.from_dict(entry)
        except RecordError as exc:
            batch.problems.append(f"{batch.path}: {noun} {number}: {exc}; skipped")
            continue
        except (TypeError, ValueError, AttributeError, RecursionError) as exc:
            batch.problems.append(f"{batch.path}: {noun} {number}: unreadable ({type(exc).__name__}); skipped")
            continue
        data = result.to_dict()
        if result.id in seen:
            if seen[result.id] != data:
                batch.problems.append(f"{batch.path}: {noun} {number}: id {result.id} appears earlier in the file "
                                      f"with different content; the first one is kept")
            continue
        seen[result.id] = data
        batch.results.append(result)
