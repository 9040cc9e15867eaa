"""Text to pixels that never fails: every font render of scenario text (the window and the PNG map) goes here.

A scenario is valid with a title of only a zero-width space, a NUL written as "\\0", or a lone surrogate
written as "\\ud800"; pygame refuses each ("Text has zero width", "A null character was found", an
encode error). Those are drawn as what they look like, nothing or a replacement mark, never raised.

`Font` draws with FreeType through pygame.freetype, not with SDL_ttf (pygame.font): SDL_ttf shapes every text
with HarfBuzz, whose code alone takes about 1 MB of the game's memory, and Dutch and English need no shaping.
A `Font` has pygame.font.Font's line height, line distance and baseline at every size (tests/test_text_render.py
compares them), so layouts keep their measures; it wraps and aligns as SDL_ttf does, and also applies the font's
kerning (AV, To), so a line can be a few pixels narrower than SDL_ttf made it.
"""
from __future__ import annotations

import struct

import pygame
import pygame.freetype

_LEFT, _CENTER, _RIGHT = pygame.FONT_LEFT, pygame.FONT_CENTER, pygame.FONT_RIGHT
MAX_WIDTH = 16_384   # pixels; the rest of a line this long is off every screen (SDL_ttf refused such lines)
_CHUNK = 256         # letters measured at once: FreeType's width of one text wraps round past 65,535 pixels


def _units_per_em(path: str) -> int:
    """The font's design grid (the 'head' table's unitsPerEm), which SDL_ttf's line metrics are computed in."""
    with open(path, "rb") as fh:
        header = fh.read(12)
        for _ in range(struct.unpack(">H", header[4:6])[0]):
            tag, _sum, offset, _length = struct.unpack(">4sIII", fh.read(16))
            if tag == b"head":
                fh.seek(offset + 18)
                return struct.unpack(">H", fh.read(2))[0]
    return 2048   # pragma: no cover - every TrueType font has a head table


def _ceil_26_6(units: int, scale: int) -> int:
    """FreeType's FT_CEIL(FT_MulFix(units, scale)) in whole pixels, as SDL_ttf computes its line metrics."""
    product = units * scale
    fixed = (product + 0x8000) >> 16 if product >= 0 else -((-product + 0x8000) >> 16)
    return (fixed + 63) >> 6


class Font:
    """One font file at a pixel size (settable: `point_size`), with the part of pygame.font.Font's interface the
    window uses: size(), render() (antialiased, wrapped at `wraplength`, aligned by `align`), get_height(),
    get_linesize() and get_ascent()."""

    def __init__(self, path: str, px: int):
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self._face = pygame.freetype.Font(path, px)
        self._face.kerning = True
        self._face.origin = True   # render_to's position is the pen's start on the baseline
        self._face.pad = True      # measures as pygame.font does (a line's box, not only its ink)
        self._em = _units_per_em(path)
        self.align = _LEFT
        self.point_size = px

    @property
    def point_size(self) -> int:
        return self._px

    @point_size.setter
    def point_size(self, px: int) -> None:
        face = self._face
        self._px = px = max(1, int(px))
        face.size = px
        scale = ((px * 64) << 16) // self._em   # FT_DivFix(size in 26.6, units per em)
        self._ascent = _ceil_26_6(face.ascender, scale)
        self._height = _ceil_26_6(face.ascender - face.descender, scale)
        self._linesize = _ceil_26_6(face.height, scale)

    def get_ascent(self) -> int:
        return self._ascent

    def get_height(self) -> int:
        return self._height

    def get_linesize(self) -> int:
        return self._linesize

    def size(self, text: str) -> tuple[int, int]:
        return (self._width(text) if text else 0), self._height

    def _lines(self, text: str, wraplength: int) -> list[str]:
        """The text's lines: broken at each line break and, with a wraplength, between words (a word wider than the
        line between its letters), as SDL_ttf wraps."""
        if not wraplength:
            return [text.replace("\n", " ")]
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split(" "):
                candidate = f"{current} {word}" if current else word
                if current and self._width(candidate) > wraplength:
                    lines.append(current)
                    candidate = word
                while len(candidate) > 1:   # wider than a line: broken between letters, a line at a time
                    head = candidate[:wraplength + 1]   # more letters than pixels never fit (zero-width ones aside)
                    if len(head) == len(candidate) and self._width(head) <= wraplength:
                        break
                    cut = self._fitting(head, wraplength)
                    lines.append(candidate[:cut])
                    candidate = candidate[cut:]
                current = candidate
            lines.append(current)
        return lines

    def _width(self, text: str) -> int:
        measure = self._face.get_rect
        if len(text) <= _CHUNK:
            return measure(text).width
        return sum(measure(text[i:i + _CHUNK]).width for i in range(0, len(text), _CHUNK))

    def _fitting(self, word: str, wraplength: int) -> int:
        """How many of the word's first letters fit `wraplength` pixels (at least one)."""
        low, high = 1, len(word) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._width(word[:middle]) <= wraplength:
                low = middle
            else:
                high = middle - 1
        return low

    def _visible(self, line: str) -> str:
        """The line cut where it passes MAX_WIDTH: what is drawn of it (FreeType would wrap a longer one round)."""
        if len(line) <= _CHUNK:
            return line
        used = 0
        for start in range(0, len(line), _CHUNK):
            used += self._width(line[start:start + _CHUNK])
            if used > MAX_WIDTH:
                return line[:start + _CHUNK]
        return line

    def render(self, text: str, antialias: bool, colour, background=None, wraplength: int = 0) -> pygame.Surface:
        """The text drawn as pygame.font.Font.render draws it: on `background`, 8 bits a pixel whose value is the
        ink's coverage (palette from the background to the colour); without one, in `colour` with the coverage as
        its alpha, 32 bits a pixel. Lines are `get_linesize()` apart; the box grows where a glyph reaches above the
        ascent or below the descent (Å, a | at a small size), so nothing is cut off."""
        lines = [self._visible(line) for line in self._lines(text, max(0, wraplength))]
        face, px = self._face, self._px
        boxes = [face.get_rect(line[:_CHUNK]) if line else None for line in lines]   # where the first letter sits
        face.pad = False   # the ink alone: how far it reaches above and below the baseline
        try:
            inks = [face.get_rect(line[i:i + _CHUNK]) for line in lines for i in range(0, len(line), _CHUNK)]
        finally:
            face.pad = True
        below = self._height - self._ascent
        lift = max([0] + [ink.y - self._ascent for ink in inks if ink.height])
        drop = max([0] + [ink.height - ink.y - below for ink in inks if ink.height])
        # a short line's width is its box's; a long one is measured in pieces (see _width)
        widths = [min(MAX_WIDTH, box.width if len(line) <= _CHUNK else self._width(line)) if box else 0
                  for line, box in zip(lines, boxes)]
        width = min(MAX_WIDTH, wraplength) if wraplength and len(lines) > 1 else max(widths)
        height = lift + self._linesize * (len(lines) - 1) + self._height + drop
        colour = pygame.Color(colour)
        if background is not None:
            surface = pygame.Surface((width, height), 0, 8)
            back = pygame.Color(background)
            surface.set_palette([tuple(b + (c - b) * i // 255 for b, c in zip(back[:3], colour[:3]))
                                 for i in range(256)])
            surface.fill(0)
        else:
            surface = pygame.Surface((width, height), pygame.SRCALPHA)
            surface.fill((colour.r, colour.g, colour.b, 0))
        for i, (box, line_width) in enumerate(zip(boxes, widths)):
            if box is None or not line_width:
                continue
            x = {_CENTER: (width - line_width) // 2, _RIGHT: width - line_width}.get(self.align, 0) - box.x
            pen = (x, lift + i * self._linesize + self._ascent)
            if background is not None:
                view = surface.get_view("2")
                face.render_raw_to(view, lines[i], pen, size=px)
                del view
            else:
                face.render_to(surface, pen, lines[i], colour, size=px)
        return surface


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


def render_text(font: Font, text: str, colour, wraplength: int = 0, background=None) -> pygame.Surface:
    """font.render(text, antialias=True, …) that returns an empty surface rather than raising."""
    clean = drawable(text, keep_newlines=wraplength > 0)
    try:
        return font.render(clean, True, colour, background, wraplength=max(0, wraplength))
    except (pygame.error, ValueError, MemoryError):
        # "Text has zero width" (only zero-width characters) or a surface too large to make: draw nothing.
        return pygame.Surface((0, font.get_height()), pygame.SRCALPHA)


def text_size(font: Font, text: str) -> tuple[int, int]:
    """font.size(text) that never raises (for measuring while wrapping or fitting)."""
    try:
        return font.size(drawable(text, keep_newlines=False))
    except (pygame.error, ValueError):
        return 0, font.get_height()
