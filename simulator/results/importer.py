"""Reading exports back: a `klantsim-results` JSON export, or xAPI statements written by KlantSim (a file written
by `export --xapi`, or a learning record store's `{"statements": [...]}` answer).

Every record is checked field by field; a bad one costs one line and is skipped, the good ones are kept. The file
itself is read defensively: regular files only, at most MAX_IMPORT_BYTES, nesting bounded before parsing."""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator

from simulator.results.export import EXPORT_FORMAT, EXPORT_VERSION
from simulator.results.record import MAX_PATH_ENTRIES, ConversationResult, RecordError, json_object, printable
from simulator.results.xapi import carried_record

MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_RECORD_BYTES = 2 * 1024 * 1024  # one conversation; real ones are a few kilobytes
MAX_DEPTH = 64                      # a KlantSim export nests about 8 deep
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
MAX_INT_DIGITS = 30  # no field of a result needs more; Python refuses to read ints of over 4,300 digits at all


def _int(digits: str) -> int | float:
    """A JSON integer; one too long to be a value of a result becomes infinity, which every numeric field refuses
    with its own message (Python's int() would raise for 4,300 digits and more, and costs time long before)."""
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        return float("-inf") if digits.startswith("-") else float("inf")
    return int(digits)


_DECODER = json.JSONDecoder(parse_int=_int)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message (one line) says why and what to do."""


@dataclass
class ImportBatch:
    """What one file holds: its results, read one at a time (`results` is consumed once), and one line per entry
    that could not be read (filled in as the results are read)."""

    path: Path
    kind: str  # "klantsim-results" or "xapi"
    results: Iterable[ConversationResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def nesting_depth(text: str, block: int = 1 << 20) -> int:
    """How deep arrays and objects nest in JSON text, found without parsing (strings are skipped): linear time.

    Read in blocks that end at a line break, so memory stays small: JSON forbids a raw line break inside a string,
    so no string spans two blocks (in a file that breaks that rule the count may be off, and parsing fails)."""
    depth = deepest = start = 0
    while start < len(text):
        end = text.find("\n", start + block)
        end = len(text) if end < 0 else end + 1
        for char in _NOT_BRACKET.sub("", _STRING.sub("", text[start:end])):
            if char in "[{":
                depth += 1
                if depth > deepest:
                    deepest = depth
            else:
                depth -= 1
        start = end
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


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_EXPORT_HEAD = re.compile(r'[ \t\n\r]*\{[ \t\n\r]*"format"[ \t\n\r]*:[ \t\n\r]*"klantsim-results"[ \t\n\r]*,'
                          r'[ \t\n\r]*"version"[ \t\n\r]*:[ \t\n\r]*(\d{1,9})[ \t\n\r]*,[ \t\n\r]*"results"[ \t\n\r]*:'
                          r'[ \t\n\r]*\[')
_STATEMENTS_HEAD = re.compile(r'[ \t\n\r]*(?:\{[ \t\n\r]*"statements"[ \t\n\r]*:[ \t\n\r]*)?\[')


def _skip_whitespace(text: str, position: int) -> int:
    """The position of the first character at or after `position` that is not JSON whitespace."""
    match = _WHITESPACE.match(text, position)
    assert match is not None  # the pattern matches the empty string, so always
    return match.end()


def _json_error(path: Path, exc: json.JSONDecodeError) -> ImportFileError:
    hint = " (a CSV export cannot be imported: use `export --json`)" if path.suffix.lower() == ".csv" else ""
    return ImportFileError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}{hint}")


def _array_items(text: str, position: int, path: Path, closing: str) -> Iterator[Any]:
    """The values of the JSON array that starts just before `position`, decoded one at a time (only one is ever in
    memory as Python objects); then checks that what follows the array closes the document (`closing` is "" for
    a bare array, "}" for an object, whose other members after the array are read and ignored)."""
    decoder = _DECODER
    position = _skip_whitespace(text, position)
    if text.startswith("]", position):
        position += 1
    else:
        while True:
            try:
                value, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError as exc:
                raise _json_error(path, exc) from None
            yield value
            position = _skip_whitespace(text, position)
            if text.startswith(",", position):
                position = _skip_whitespace(text, position + 1)
            elif text.startswith("]", position):
                position += 1
                break
            else:
                raise _json_error(path, json.JSONDecodeError("Expecting ',' delimiter", text, position))
    rest = text[position:].strip()
    if closing and rest.startswith(","):
        try:  # other members after the array, e.g. an LRS's "more" link after its statements
            fine = isinstance(_DECODER.decode("{" + rest[1:]), dict)
        except json.JSONDecodeError:
            fine = False
    else:
        fine = rest == closing
    if not fine:
        raise ImportFileError(f"{path}: not valid JSON after the last entry (the file may be cut off); the entries "
                              f"before it were read")


def open_export(path: str | Path) -> ImportBatch:
    """The file checked as a whole (a regular file, size, nesting), with its results to be read one by one."""
    path = Path(path)
    text = _read_text(path)
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise ImportFileError(f"{path}: JSON nested {depth} deep (an export nests under {MAX_DEPTH}); "
                              f"not a KlantSim export")
    head = _EXPORT_HEAD.match(text)
    if head:  # what `export --json` writes: entries decoded one at a time
        version = int(head.group(1))
        if version > EXPORT_VERSION:
            raise ImportFileError(f"{path}: export version {version} is newer than this KlantSim reads "
                                  f"({EXPORT_VERSION}); update KlantSim")
        batch = ImportBatch(path, EXPORT_FORMAT)
        batch.results = _checked_results(batch, _array_items(text, head.end(), path, "}"), "result")
        return batch
    head = _STATEMENTS_HEAD.match(text)
    if head and (text.lstrip().startswith("{") or _looks_like_statements(text, head.end())):
        batch = ImportBatch(path, "xapi")
        closing = "}" if text.lstrip().startswith("{") else ""
        batch.results = _checked_results(batch, _records(batch, _array_items(text, head.end(), path, closing)),
                                         "conversation")
        return batch
    try:
        document = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise _json_error(path, exc) from None
    except RecursionError:
        raise ImportFileError(f"{path}: not valid JSON: nested too deep") from None
    del text
    return _from_document(path, document)


def _looks_like_statements(text: str, position: int) -> bool:
    """Whether a bare array's first entry is an object with a verb (else it is something else, read whole)."""
    position = _skip_whitespace(text, position)
    if text.startswith("]", position):
        return False
    try:
        first, _ = _DECODER.raw_decode(text, position)
    except json.JSONDecodeError:
        return False
    return isinstance(first, dict) and "verb" in first


def _from_document(path: Path, document: Any) -> ImportBatch:
    """A file whose layout the streaming reader does not know (keys in another order, one statement), read whole."""
    if isinstance(document, dict) and document.get("format") == EXPORT_FORMAT:
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise ImportFileError(f"{path}: export version {printable(version)[:20]} is not a version number "
                                  f"(1, 2, ...); give a file written by `export --json`")
        if version > EXPORT_VERSION:
            raise ImportFileError(f"{path}: export version {printable(version)[:20]} is newer than this KlantSim "
                                  f"reads ({EXPORT_VERSION}); update KlantSim")
        entries = document.get("results")
        if not isinstance(entries, list):
            raise ImportFileError(f"{path}: 'results' must be a list")
        batch = ImportBatch(path, EXPORT_FORMAT)
        batch.results = _checked_results(batch, iter(entries), "result")
        return batch
    if isinstance(document, dict) and isinstance(document.get("statements"), list):
        document = document["statements"]
    elif isinstance(document, dict) and "actor" in document and "verb" in document:
        document = [document]  # a single statement
    if isinstance(document, list) and all(isinstance(s, dict) and "verb" in s for s in document):
        batch = ImportBatch(path, "xapi")
        batch.results = _checked_results(batch, _records(batch, iter(document)), "conversation")
        return batch
    raise ImportFileError(f"{path}: not a KlantSim export; give a file written by `export --json` or "
                          f"`export --xapi`")


def _records(batch: ImportBatch, statements: Iterator[Any]) -> Iterator[Any]:
    """The KlantSim records carried by a stream of statements; refused and foreign statements become problems."""
    covered, loose = set(), []
    for number, statement in enumerate(statements, 1):
        if not isinstance(statement, dict) or "verb" not in statement:
            batch.problems.append(f"{batch.path}: entry {number} is not an xAPI statement; skipped")
            continue
        context = json_object(statement.get("context"))
        registration = context.get("registration") if isinstance(context.get("registration"), str) else None
        record, problem = carried_record(statement)
        if problem:
            batch.problems.append(f"{batch.path}: statement {number}: {problem}; skipped")
        elif record is not None:
            assert registration is not None  # carried_record accepts a record only with a UUID registration
            covered.add(registration.lower())
            yield record
            continue
        loose.append(registration.lower() if registration else None)
    without = sum(1 for registration in loose if registration is None or registration not in covered)
    if without:
        batch.problems.append(f"{batch.path}: {without} statement(s) carry no KlantSim record "
                              f"(written by another tool?); skipped")


def _odd_number(value: Any) -> bool:
    """Whether a NaN or an infinity (a JSON NaN, Infinity, or an integer too long to read) sits anywhere in value;
    the nesting is bounded (MAX_DEPTH) before parsing."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_odd_number(item) for item in value.values())
    if isinstance(value, list):
        return any(_odd_number(item) for item in value)
    return False


def read_export(path: str | Path) -> ImportBatch:
    """As open_export, with every result read (a list): for small files and tests."""
    batch = open_export(path)
    batch.results = list(batch.results)
    return batch


def _checked_results(batch: ImportBatch, entries: Iterator[Any], noun: str) -> Iterator[ConversationResult]:
    seen: dict[str, str] = {}  # id -> digest of its content, to tell a repeat from a conflicting duplicate
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
            if _odd_number(entry):  # in a field no check reads: still never stored
                raise RecordError(f"holds a number that no result has (NaN, infinity or more than {MAX_INT_DIGITS} "
                                  f"digits)")
        except RecordError as exc:
            batch.problems.append(f"{batch.path}: {noun} {number}: {exc}; skipped")
            continue
        except (TypeError, ValueError, AttributeError, RecursionError) as exc:
            batch.problems.append(f"{batch.path}: {noun} {number}: unreadable ({type(exc).__name__}); skipped")
            continue
        digest = hashlib.sha256(json.dumps(result.to_dict(), sort_keys=True).encode("utf-8")).hexdigest()
        if result.id in seen:
            if seen[result.id] != digest:
                batch.problems.append(f"{batch.path}: {noun} {number}: id {result.id} appears earlier in the file "
                                      f"with different content; the first one is kept")
            continue
        seen[result.id] = digest
        yield result
