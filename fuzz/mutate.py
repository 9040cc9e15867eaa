"""Mutations of scenario files: each case is a (kind, bytes) made from a bundled scenario and a seeded random.

The kinds follow what a hostile tester tries: byte flips, deletions, duplicated lines, swapped value types,
deep nesting, odd unicode in text and names, oversized conditions and numbers, truncation, splices of two
files; and special files (a FIFO, a device, a folder, an empty or non-UTF-8 file), which `prepare` makes.
"""
from __future__ import annotations

import os
import random
import re
from pathlib import Path
from datetime import UTC

ROOT = Path(__file__).resolve().parents[1]
BASES = sorted((ROOT / "scenarios").glob("*.yaml"))

ODD_TEXT = ["\u200b", "\u200b\u200d\ufeff", "\\0", "\\x07", "\\n", "\\r\\n", "\\u2028", "\\x85", "\\t",
            "\u202e", "e\u0301\u0301\u0301", "\U0001F600", "\uffff", "\\e[31m", "²", "٣", "１", "\u00a0",
            "' \" : # & * ! | > [ ] { } %"]
TYPE_SWAPS = ["[1, 2]", "{a: 1}", "123", "yes", "No", "null", "~", '""', "!!binary aGk=", "1.5", "2020-01-01",
              "12:30", "0x1F", "010", "*x", "&x y", "!!python/object:os.system ls", "[", "{", "-", "? a", "|\n  x",
              "9" * 5000, "-" + "9" * 30, ".inf", ".nan"]
CONDITIONS = ["(" * 245 + "anger > 1" + ")" * 245, "not " * 980 + "anger > 1", " and ".join(["flag:a"] * 980),
              "anger >= " + "9" * 5000, "anger > ²", "flag:" + "x" * 600, "((anger > 1)", "anger > 1)",
              "anger => 1", "turns < 3 or", "", "   ", "flag:", "anger > -0", "trust != 99999"]
KINDS = ("flip", "delete", "duplicate", "swap_type", "deep_nesting", "odd_unicode", "condition", "huge_number",
         "truncate", "splice", "special")
SPECIAL = ("fifo", "device", "folder", "empty", "not_utf8", "bom", "nul_bytes", "only_comment", "huge_line")


def case(seed: int, index: int) -> tuple[str, str, bytes]:
    """(kind, base name, content) of case `index`; special cases return their special kind as content's name."""
    rnd = random.Random(seed * 1_000_003 + index)
    base = BASES[index % len(BASES)]
    data = base.read_bytes()
    kind = KINDS[rnd.randrange(len(KINDS))] if index % 25 else "special"
    if kind == "special":
        return "special:" + SPECIAL[(index // 25) % len(SPECIAL)], base.name, data
    return kind, base.name, MUTATE[kind](rnd, data)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def flip(rnd: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        at = rnd.randrange(len(out))
        out[at] = out[at] ^ (1 << rnd.randrange(8)) if rnd.random() < 0.7 else rnd.choice(b":-[]{}#&*!|>'\"\n\t ")
    return bytes(out)


def delete(rnd: random.Random, data: bytes) -> bytes:
    at = rnd.randrange(len(data))
    return data[:at] + data[at + rnd.randint(1, 400):]


def duplicate(rnd: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    a = rnd.randrange(len(lines))
    b = min(len(lines), a + rnd.randint(1, 30))
    at = rnd.randrange(len(lines))
    return b"".join(lines[:at] + lines[a:b] * rnd.randint(1, 3) + lines[at:])


_VALUE = re.compile(rb"^(\s*-?\s*[A-Za-z_]+: )(.+)$", re.M)


def swap_type(rnd: random.Random, data: bytes) -> bytes:
    matches = list(_VALUE.finditer(data))
    for m in rnd.sample(matches, min(len(matches), rnd.randint(1, 3))):
        data = data.replace(m.group(0), m.group(1) + rnd.choice(TYPE_SWAPS).encode(), 1)
    return data


def deep_nesting(rnd: random.Random, data: bytes) -> bytes:
    depth = rnd.choice([50, 99, 101, 1_000, 30_000])
    style = rnd.randrange(4)
    if style == 0:
        piece = b"[" * depth
    elif style == 1:
        piece = b"[" * depth + b"]" * depth
    elif style == 2:
        piece = b"{a: " * depth + b"1" + b"}" * depth
    else:
        piece = b"\n" + b"".join(b" " * i + b"k%d:\n" % i for i in range(min(depth, 3_000)))
    lines = _lines(data)
    at = rnd.randrange(len(lines))
    line = lines[at]
    if b": " in line and style != 3:
        key = line.split(b": ", 1)[0]
        lines[at] = key + b": " + piece + b"\n"
    else:
        lines.insert(at, b"diep: " + piece + b"\n")
    return b"".join(lines)


def odd_unicode(rnd: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8")
    spots = [m.start() + 1 for m in re.finditer(r'"[^"\n]', text)]   # inside a double-quoted scalar or key
    for at in sorted(rnd.sample(spots, min(len(spots), rnd.randint(1, 4))), reverse=True):
        text = text[:at] + rnd.choice(ODD_TEXT) + text[at:]
    if rnd.random() < 0.3:   # a node id or key with a line break in it
        text = re.sub(r"^  ([a-z_]+):$", lambda m: f'  "{m.group(1)}\\n{m.group(1)}":', text, count=1, flags=re.M)
    if rnd.random() < 0.3:   # a whole title or line of only invisible characters
        text = re.sub(r'^(title|\s+say): ".*"$', lambda m: f'{m.group(1)}: "\u200b"', text, count=1, flags=re.M)
    return text.encode("utf-8")


def condition(rnd: random.Random, data: bytes) -> bytes:
    source = rnd.choice(CONDITIONS).encode()
    if b"if: " in data:
        return re.sub(rb'if: "[^"\n]*"', b'if: "' + source + b'"', data, count=rnd.randint(1, 3))
    return data.replace(b"        next: ", b'        if: "' + source + b'"\n        next: ', 1)


def huge_number(rnd: random.Random, data: bytes) -> bytes:
    number = rnd.choice([b"9" * 5000, b"-" + b"9" * 4301, b"1" + b"0" * 30, b"0x" + b"f" * 400, b"1_000_000"])
    key = rnd.choice([b"difficulty: ", b"anger: ", b"trust: ", b"format: "])
    return re.sub(re.escape(key) + rb"-?\w+", key + number, data, count=1)


def truncate(rnd: random.Random, data: bytes) -> bytes:
    return data[:rnd.randrange(len(data))]


def splice(rnd: random.Random, data: bytes) -> bytes:
    other = BASES[rnd.randrange(len(BASES))].read_bytes()
    return data[:rnd.randrange(len(data))] + other[rnd.randrange(len(other)):]


MUTATE = {"flip": flip, "delete": delete, "duplicate": duplicate, "swap_type": swap_type,
          "deep_nesting": deep_nesting, "odd_unicode": odd_unicode, "condition": condition,
          "huge_number": huge_number, "truncate": truncate, "splice": splice}


def prepare(kind: str, content: bytes, folder: Path, index: int) -> Path:
    """Write case `index` into `folder` and return its path (special kinds make their special file)."""
    path = folder / f"case{index}.nl.yaml"
    if not kind.startswith("special:"):
        path.write_bytes(content)
        return path
    special = kind.split(":", 1)[1]
    if special == "fifo" and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    elif special == "device" and os.path.exists("/dev/zero"):
        path.symlink_to("/dev/zero")
    elif special == "folder":
        path.mkdir()
        (path / "binnen.yaml").write_bytes(content)
    elif special == "empty":
        path.write_bytes(b"")
    elif special == "not_utf8":
        path.write_bytes(content.replace(b"e", b"\xe9", 3))
    elif special == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + content)
    elif special == "nul_bytes":
        path.write_bytes(content[:200] + b"\x00\x00" + content[200:])
    elif special == "only_comment":
        path.write_bytes(b"# niets\n")
    else:   # huge_line: one line of a megabyte
        path.write_bytes(content + b"extra: \"" + b"x" * 1_000_000 + b"\"\n")
    return path


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()


# -- exports of the results store, for `import` and `report` -------------------------------------------------

JSON_SWAPS = [b"null", b"[]", b"{}", b"0", b"-1", b"1e400", b"\"\"", b"true", b"\"\\u0000\"", b"\"\\n\"",
              b"9" * 5000, b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]"
              b"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", b"\"2026-13-45\"",
              '"\u200b"'.encode("utf-8")]
_JSON_VALUE = re.compile(rb'(: )("(?:[^"\\\n]|\\.)*"|-?[0-9.eE+]+|true|false|null)')


def sample_export(folder: Path) -> bytes:
    """A real `export --json` of conversations played through every bundled scenario (best path, the same typed by a
    class in its own words, and abandoned)."""
    import contextlib
    import io
    from datetime import datetime

    from simulator.analysis.search import analyse
    from simulator.cli import main
    from simulator.engine.session import Session
    from simulator.results import ResultsStore, save_session
    from simulator.scenario.loader import load_file

    data = folder / "export-data"
    store = ResultsStore.open(data)
    try:
        for n, base in enumerate(BASES):
            scenario = load_file(base).scenario
            best = analyse(scenario).best
            session = Session.replay(scenario, best.choices) if best else Session(scenario)
            save_session(store, session, f"speler{n % 3}", datetime.now(UTC), "finished")
            # the same conversation typed in a class's own words: typed and heard per turn, null votes
            acts = [step["act"] for step in session.scorecard().get("path", [])]
            typed = [{"typed": f"antwoord {i} <b>&amp;</b> “{act}”",
                      "heard": {"act": act, "confidence": 0.5 + i / 100}} for i, act in enumerate(acts)]
            save_session(store, session, f"Klas {n % 2}", datetime.now(UTC), "finished", typed=typed,
                         votes=[None] * len(acts))
            save_session(store, Session(scenario), f"speler{n % 3}", datetime.now(UTC), "abandoned")
    finally:
        store.close()
    target = folder / "export.json"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["export", "--json", str(target), "--data", str(data)])
    return target.read_bytes()


def export_case(seed: int, index: int, export: bytes) -> tuple[str, bytes]:
    """A mutated export: a JSON value swapped for another type, or a byte-level mutation."""
    rnd = random.Random(seed * 1_000_033 + index)
    kind = rnd.choice(["json_swap", "json_swap", "flip", "delete", "duplicate", "truncate"])
    if kind != "json_swap":
        return "export_" + kind, MUTATE[kind](rnd, export)
    matches = list(_JSON_VALUE.finditer(export))
    out = export
    for m in sorted(rnd.sample(matches, min(len(matches), rnd.randint(1, 4))), key=lambda m: -m.start()):
        out = out[:m.start(2)] + rnd.choice(JSON_SWAPS) + out[m.end(2):]
    return "export_json_swap", out
