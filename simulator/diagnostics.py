"""Diagnostics about scenario files: one value per problem, with a code from a catalogue that says the fix."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class SourcePos:
    """Where something stands in a file: 1-based line and column, as editors count."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    fix: str  # how to fix it, in words a trainer understands


# The catalogue. Messages are English (the format page's language); each says what to do.
CATALOGUE: dict[str, Code] = {c.code: c for c in [
    Code("KS001", "error", "YAML syntax error", "Fix the YAML at this place: check indentation, colons and quotes."),
    Code("KS002", "error", "file cannot be read", "Check the path and that the file is readable UTF-8 text."),
    Code("KS003", "error", "file too large", "Scenario files may be at most 5 MB; split the scenario."),
    Code("KS004", "error", "anchors and aliases are refused", "Write the text out in full instead of using '&' and '*'."),
    Code("KS005", "error", "duplicate key", "Remove or rename one of the two keys; YAML would silently keep only the last."),
    Code("KS006", "error", "missing key", "Add the key; see the format page for what it holds."),
    Code("KS007", "error", "wrong type", "Give the value the type the format page asks for."),
    Code("KS008", "error", "YAML turned text into another type", "Put the value in quotes, e.g. \"No\", so it stays text."),
    Code("KS010", "error", "value not allowed", "Use one of the allowed values listed in the message."),
    Code("KS011", "error", "unknown act", "Use one of the acts from the format page (listen, acknowledge, …)."),
    Code("KS012", "error", "unknown ending", "Use satisfied, dissatisfied, lost, disconnected or escalated."),
    Code("KS013", "error", "reference to a node that does not exist", "Correct the node id, or add the node."),
    Code("KS014", "error", "condition does not parse", "Write the condition as on the format page, e.g. \"anger >= 80 or flag:gescholden\"."),
    Code("KS015", "error", "condition names an unknown variable", "Use anger, trust, turns or flag:NAME."),
    Code("KS016", "error", "node with no way to any ending", "Give one of the choices from here (or after) a path to a node with `ending:`."),
    Code("KS017", "error", "wrong number of choices", "Give a node that is not an ending 2 to 6 choices."),
    Code("KS018", "error", "ending node with choices", "An ending node ends the conversation: remove its choices or its `ending`."),
    Code("KS019", "error", "routing list malformed", "Give every `next` entry `if:` and `goto:`, except the last, which has only `goto:`."),
    Code("KS020", "error", "number out of range", "Use a whole number in the range given in the message."),
    Code("KS021", "error", "invalid id", "Use lowercase letters, digits and '-' for the scenario id ('_' instead of '-' for node ids)."),
    Code("KS022", "error", "duplicate scenario id", "Give each scenario of the same language its own `id`."),
    Code("KS023", "error", "unsupported format", "Write `format: 1` at the top of the file."),
    Code("KS024", "error", "node has neither say nor narration", "Give the node a `say:` (what the customer says) or a `narration:`."),
    Code("KS025", "error", "unknown step in assess", "List steps by act name: listen, acknowledge, ask, solve, agree, follow_up."),
    Code("KS026", "error", "not a regular file", "Name a scenario file saved on disk, not a pipe, device or socket."),
    Code("KS027", "error", "nesting too deep", "A scenario needs only a few levels of lists and mappings; remove the extra brackets or indentation here."),
    Code("KS028", "error", "condition too long or too complex", "Keep a condition under 500 characters, at most 20 parentheses or `not` deep, with numbers of at most 6 digits; split it over several `next` entries."),
    Code("KS101", "warning", "node cannot be reached", "Link to it from a choice, or remove it."),
    Code("KS102", "warning", "no path can reach 100", "Add a path that takes every assessed step in order without a mistake (step 6 too), or drop a step the scenario cannot offer from `assess:`."),
    Code("KS103", "warning", "choice without feedback", "Add `feedback:` that names the step or rule and why; the debrief shows it."),
    Code("KS106", "warning", "the analysis was cut off", "Let mistakes go to their own nodes that rejoin the main line instead of looping back, or read anger/trust in fewer conditions."),
    Code("KS105", "warning", "unknown key", "Remove the key or correct its spelling; the format page lists every key."),
    Code("KS104", "warning", "the conversation can get stuck", "Make sure that at every node at least one choice is offered (an `if` that always holds, or none) and that some path leads to a node with `ending:`."),
    Code("KS107", "warning", "the right answer is the longest option", "Write the wrong options as a tired, well-meaning agent really says them (often long and friendly) and keep the right ones plain, so length gives nothing away."),
    Code("KS108", "warning", "only one option is not a mistake", "Add a second option that is not a mistake (another good answer, a step taken too early, a neutral reply), so the answer cannot be found by elimination."),
]}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    pos: SourcePos
    message: str

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        """Exactly one line, whatever names and text from the file the message quotes."""
        return one_line(f"{self.pos}: {self.severity}: {self.message} [{self.code}]")

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "path": self.pos.path, "line": self.pos.line,
                "column": self.pos.column, "message": self.message}


# Every character that ends a line for some reader (terminals, editors, str.splitlines) or is invisible control.
_LINE_BREAKING = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7f, *range(0x80, 0xa0)]}
_LINE_BREAKING.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def one_line(text: str) -> str:
    """The text with line breaks and control characters written as escapes (`\\n`), so it stays on one line."""
    text = text.translate(_LINE_BREAKING)
    if not text.isascii():   # a file name that is not UTF-8 holds lone surrogates, which no stream can print
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def diag(code: str, pos: SourcePos, detail: str) -> Diagnostic:
    """A diagnostic whose message is the detail followed by the catalogue's fix."""
    return Diagnostic(code, pos, f"{detail}. {CATALOGUE[code].fix}")


def has_errors(diagnostics) -> bool:
    return any(d.is_error for d in diagnostics)
