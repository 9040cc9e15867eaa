"""UI strings in Dutch (default) and English, read from the YAML files in this folder."""
from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import yaml

LANGUAGES = ("nl", "en")


@cache
def strings_of(front_end: str) -> dict[str, dict[str, str]]:
    """key -> {language: text} of one front end's file here (`commands`, `game`, ...): a command that prints a
    line reads its own file only. No key is in two files (tests/test_cli.py checks)."""
    with open(Path(__file__).with_name(f"{front_end}.yaml"), encoding="utf-8") as fh:
        return yaml.load(fh, Loader=yaml.CSafeLoader) or {}


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    """key -> {language: text}, merged from every *.yaml file here (one per front end)."""
    merged: dict[str, dict[str, str]] = {}
    for f in sorted(Path(__file__).parent.glob("*.yaml")):
        merged.update(strings_of(f.stem))
    return merged


def t(key: str, language: str = "nl", **fmt) -> str:
    """The text for `key` in `language` (Dutch when missing), formatted with `fmt`."""
    return _words(strings().get(key), key, language, fmt)


def _words(entry: dict[str, str] | None, key: str, language: str, fmt: dict) -> str:
    if entry is None:
        return key
    text = entry.get(language) or entry.get("nl") or key
    return text.format(**fmt) if fmt else text


def texts(*front_ends: str):
    """A t() that looks only in these front ends' files, in this order, each read when a key is first looked for
    in it."""
    def lookup(key: str, language: str = "nl", **fmt) -> str:
        for name in front_ends:
            entry = strings_of(name).get(key)
            if entry is not None:
                return _words(entry, key, language, fmt)
        return key

    return lookup


# The game window's words: its own file, the class mode's and the typed answers'. The window reads only these
# (not the command line's strings, some 0.2 MB of a game's memory).
WINDOW = ("game", "classroom", "free")
window_t = texts(*WINDOW)
