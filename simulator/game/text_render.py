"""Text to pixels that never fails: every font render of scenario text (the window and the PNG map) goes here.

A scenario is valid with a title of only a zero-width space, a NUL written as "\\0", or a lone surrogate
written as "\\ud800"; pygame refuses each ("Text has zero width", "A null character was found", an
encode error). Those are drawn as what they look like, nothing or a replacement mark, never raised.
"""
from __future__ import annotations

import pygame

# Control characters draw as boxes or fail (NUL); a tab is a space. Line breaks stay "\n" where pygame wraps
# (it breaks lines only there) and become spaces on a single line.
_DROP = {c: None for c in [*range(0x20), 0x7f, *range(0x80, 0xa0)]}
_WRAPPED = {**_DROP, ord("\t"): " ", ord("\n"): "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"}
_ONE_LINE = {**_DROP, ord("\t"): " ", ord("\n"): " ", 0x85: " ", 0x2028: " ", 0x2029: " "}
MAX_CHARS = 20_000   # an unwrapped line this long would already be a surface of some 100 MB


def drawable(text: str, keep_newlines: bool = True) -> str:
    """The text without what a font cannot draw: control characters dropped, lone surrogates as '?'."""
    clean = str(text)[:MAX_CHARS].translate(_WRAPPED if keep_newlines else _ONE_LINE)
    if not clean.isascii():
        clean = clean.encode("utf-8", "replace").decode("utf-8")
    return clean


def render_text(font: pygame.font.Font, text: str, colour, wraplength: int = 0, background=None) -> pygame.Surface:
    """font.render(text, antialias=True, …) that returns an empty surface rather than raising."""
    clean = drawable(text, keep_newlines=wraplength > 0)
    try:
        return font.render(clean, True, colour, background, wraplength=max(0, wraplength))
    except (pygame.error, ValueError, MemoryError):
        # "Text has zero width" (only zero-width characters) or a surface too large to make: draw nothing.
        return pygame.Surface((0, font.get_height()), pygame.SRCALPHA)


def text_size(font: pygame.font.Font, text: str) -> tuple[int, int]:
    """font.size(text) that never raises (for measuring while wrapping or fitting)."""
    try:
        return font.size(drawable(text, keep_newlines=False))
    except (pygame.error, ValueError):
        return 0, font.get_height()
