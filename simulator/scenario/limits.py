"""Limits checked before any work on a scenario file: only regular files, read at most a cap, a bounded
YAML nesting depth. Each refusal is a diagnostic that says the fix, never a hang or a crash.

libyaml's composer recurses in C once per nested list or mapping: some 25,000 levels overflow the C stack
and kill the process (SIGSEGV), which no `except` can catch. The loader's composer counts the levels as it
goes and stops one past MAX_NESTING; `nesting_problem` then finds the exact place with the parser's event
stream (a loop, no recursion). It also runs when composing fails, so that a file both too deep and broken
further on is refused for its depth, as before.
"""
from __future__ import annotations

import os
import re
import stat

import yaml

from simulator.diagnostics import Diagnostic, SourcePos, T, diag

MAX_NESTING = 100          # a scenario needs 7 levels (top, nodes, node, choices, choice, next, entry)
_READ_CHUNK = 1 << 16
_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.M)   # indentation and block indicators at the start of a line


def read_regular_file(path: str, shown: str, cap: int) -> bytes | Diagnostic:
    """At most cap+1 bytes of a regular file, or the diagnostic why it cannot be read.

    A FIFO would block for ever and /dev/zero never ends; their stat size says nothing. So: refuse what is not
    a regular file (checked again on the open descriptor, in case the path changed), and read no more than the
    cap allows, whatever the size claims.
    """
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return diag("KS002", SourcePos(shown), "is_folder")
        if not stat.S_ISREG(mode):
            return diag("KS026", SourcePos(shown), "not_regular_file", kind=_kind(mode))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return diag("KS002", SourcePos(shown), "no_such_file")
    except OSError as exc:
        return diag("KS002", SourcePos(shown), "os_error", reason=exc.strerror or str(exc))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return diag("KS026", SourcePos(shown), "not_regular_file", kind=_kind(mode))
        chunks: list[bytes] = []
        total = 0
        while total <= cap:
            chunk = os.read(fd, min(_READ_CHUNK, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        return diag("KS002", SourcePos(shown), "os_error", reason=exc.strerror or str(exc))
    finally:
        os.close(fd)
    if len(data) > cap:
        return diag("KS003", SourcePos(shown), "larger_than", size=f"{cap / 1048576:g}")
    return data


def _kind(mode: int) -> T:
    if stat.S_ISFIFO(mode):
        return T("file_kind_pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return T("file_kind_device")
    if stat.S_ISSOCK(mode):
        return T("file_kind_socket")
    return T("file_kind_other")


def nesting_problem(text: str, path: str, limit: int = MAX_NESTING) -> Diagnostic | None:
    """KS027 at the first list or mapping nested deeper than `limit`, else None; linear, never recursive.

    Nesting needs either brackets (flow style) or deeper and deeper indentation (block style): a file with
    fewer brackets than the limit and short line prefixes cannot be deep, and skips the exact scan (which
    parses the file a second time).
    """
    brackets = text.count("[") + text.count("{")
    prefix = max((len(m) for m in _BLOCK_PREFIX.findall(text)), default=0)
    if brackets + prefix < limit:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    assert mark is not None  # the parser marks every event it emits
                    return diag("KS027", SourcePos(path, mark.line + 1, mark.column + 1), "nesting_too_deep",
                                limit=limit)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None   # a syntax error: composing meets it at the same place, no deeper, and reports it
    return None
