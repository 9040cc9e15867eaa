"""Valid scenarios of unusual shape, for the limits: long chains (deep paths) and the like."""
from __future__ import annotations

HEADER = ["format: 1", "id: keten", 'title: "Keten"', 'summary: "Een lange keten."', "language: nl",
          "difficulty: 1", "channel: phone", 'customer: {name: "K"}', "start: n0", "nodes:"]


def chain(n: int, title: str = "Keten", say: str = "Verder.") -> str:
    """n nodes in a row, each with two choices to the next, then an ending: valid, and n levels deep."""
    out = list(HEADER)
    out[2] = f"title: {_quoted(title)}"
    for i in range(n):
        nxt = f"n{i + 1}" if i + 1 < n else "klaar"
        out.append(f"  n{i}:")
        out.append(f"    say: {_quoted(say)}")
        out.append("    choices:")
        out.append(f'      - {{text: "Ja.", act: listen, feedback: "Goed.", next: {nxt}}}')
        out.append(f'      - {{text: "Nee.", act: neutral, feedback: "Neutraal.", next: {nxt}}}')
    out.append('  klaar: {say: "Dank u.", ending: satisfied}')
    return "\n".join(out) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar for any text (escapes for quotes, backslashes and control characters)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch in "\x7f\x85\u2028\u2029" or 0xd800 <= ord(ch) < 0xe000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def compact_chain(n: int) -> str:
    """Like `chain`, one line per node: 32,000 nodes stay under the 5 MB limit."""
    out = list(HEADER)
    for i in range(n):
        nxt = f"n{i + 1}" if i + 1 < n else "klaar"
        out.append(f"  n{i}: {{say: V, choices: [{{text: J, act: listen, feedback: G, next: {nxt}}}, "
                   f"{{text: N, act: neutral, feedback: G, next: {nxt}}}]}}")
    out.append('  klaar: {say: "Dank u.", ending: satisfied}')
    return "\n".join(out) + "\n"
