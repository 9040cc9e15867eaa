"""How the window looks at its current size and settings: colours, scaled fonts, text drawing."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pygame

from simulator.resources import resource
from simulator.game.text_render import Font, render_text, text_size

THEME_FILE = Path(__file__).with_name("theme.json")
FONT_DIR = resource("assets", "fonts")
TEXT_SIZES = ("small", "medium", "large", "extra_large")


@lru_cache(maxsize=1)
def theme_data() -> dict:
    with open(THEME_FILE, encoding="utf-8") as fh:
        return json.load(fh)


class Look:
    """Everything size- and settings-dependent; rebuilt when the window or the settings change."""

    def __init__(self, size: tuple[int, int], text_size: str = "medium", high_contrast: bool = False):
        data = theme_data()
        self.size = size
        base_w, base_h = data["base_size"]
        # Scale with the smaller ratio, so text never outgrows the layout when the window is narrow or low.
        self.scale = max(0.6, min(size[0] / base_w, size[1] / base_h))
        self.text_factor = data["text_sizes"].get(text_size, 1.0)
        self.palette = {k: pygame.Color(v) for k, v in
                        data["palettes"]["high_contrast" if high_contrast else "normal"].items()}
        self.high_contrast = high_contrast
        self._font_px = data["font_px"]
        self._font_files = {style: str(FONT_DIR / name) for style, name in data["font"].items()}
        self._fonts: dict[str, Font] = {}   # per style (regular, bold, ...), resized per role
        self._font_sizes: dict[str, int] = {}
        # Rendered text, kept only while it is on screen: each full frame drops what it did not draw (a screen left
        # behind, a line scrolled away), so the cache holds one screen's text, not every text since the start.
        self._renders: dict[tuple, pygame.Surface] = {}
        self._used: dict[tuple, int] = {}          # key -> the frame that last used it
        self._frame = 0
        # a text's size (whatever its colour): for layouts, and to skip drawing what cannot be seen
        self._sizes: dict[tuple, tuple[int, int]] = {}
        self._wraps: dict[tuple, list[str]] = {}   # wrap()'s lines and fit()'s text; bounded with _renders
        self._ramps: dict[tuple, bytes] = {}   # (text colour, colour behind it) -> its blended palette, RGB
        self._fades: dict[tuple, pygame.Surface] = {}   # (width, colour) -> one row of that colour, for fade_top

    # -- sizes and colours ---------------------------------------------------------------------------
    def px(self, n: float) -> int:
        """A layout length given for 1280x720, at the current window size."""
        return max(1, round(n * self.scale))

    def font_px(self, role: str) -> int:
        """Text grows with a large window but never shrinks below the chosen text size: a small window reflows
        and scrolls instead."""
        return max(10, round(self._font_px[role] * max(1.0, self.scale) * self.text_factor))

    def color(self, name: str) -> pygame.Color:
        return self.palette[name]

    def font(self, role: str = "body", bold: bool = False, italic: bool = False) -> Font:
        """The font for a role, at the role's size. One font per file serves every size (set when asked; each size
        of its own costs some 150 kB), so use the font at once: the next call for the same style may resize it."""
        style = ("bold_italic" if italic else "bold") if bold else ("italic" if italic else "regular")
        px = self.font_px(role)
        font = self._fonts.get(style)
        if font is None:
            font = self._fonts[style] = Font(self._font_files[style], px)
            self._font_sizes[style] = px
        elif self._font_sizes[style] != px:
            font.point_size = px
            self._font_sizes[style] = px
        return font

    # -- text ----------------------------------------------------------------------------------------
    def render(self, text: str, role: str = "body", color: str | pygame.Color = "text", width: int = 0,
               bold: bool = False, italic: bool = False, align: str = "left", keep: bool = True,
               on: str | None = None) -> pygame.Surface:
        """The text rendered (wrapped at `width` pixels when given); cached while it is drawn every frame, since
        scenes redraw often. `keep=False` for a text drawn once (a line half typed out): rendered, not cached.
        `on`: the solid colour the text is drawn on (a palette name). The text is then kept as 1 byte a pixel instead
        of 4, with that colour behind it: blitted there it gives the very pixels the transparent text would give."""
        key = self._key(text, role, color, width, bold, italic, align, on if keep else None)
        colour, text = pygame.Color(key[2]), key[0]
        surf = self._renders.get(key)
        if surf is None:
            font = self.font(role, bold, italic)
            font.align = {"left": pygame.FONT_LEFT, "center": pygame.FONT_CENTER,
                          "right": pygame.FONT_RIGHT}[align]
            back = None if key[7] is None else self.color(key[7])
            surf = render_text(font, text, colour, width, back)
            font.align = pygame.FONT_LEFT
            if not keep:
                return surf
            if back is not None and surf.get_bitsize() == 8:
                surf.set_palette(self._blend_ramp(colour, back))
                surf.set_colorkey(0)   # no ink, not drawn: what is under the box (an edge, a corner) stays
            self._remember_size(self._size_key(key), surf.get_size())
            if len(self._renders) + len(self._wraps) > 600:
                self._renders.clear()
                self._used.clear()
                self._wraps.clear()
            self._renders[key] = surf
        self._used[key] = self._frame
        return surf

    def _blend_ramp(self, colour: pygame.Color, back: pygame.Color) -> list[tuple[int, ...]]:
        """The 256 colours text in `colour` gives on `back`, one per coverage level (a shaded text's pixel is its
        coverage): what the window's own blit makes of a transparent text's pixel of that alpha, so the two agree to
        the byte. (SDL_ttf's own shaded palette rounds differently: one level off in places.) Kept as 768 bytes."""
        key = (tuple(colour), tuple(back))
        ramp = self._ramps.get(key)
        if ramp is None:
            alpha = pygame.Surface((256, 1), pygame.SRCALPHA)
            for a in range(256):
                alpha.set_at((a, 0), (colour.r, colour.g, colour.b, a))
            screen = pygame.display.get_surface()
            flat = pygame.Surface((256, 1), 0, screen) if screen is not None else pygame.Surface((256, 1))
            flat.fill(back)
            flat.blit(alpha, (0, 0))
            ramp = self._ramps[key] = pygame.image.tobytes(flat, "RGB")
        return [tuple(ramp[i:i + 3]) for i in range(0, 768, 3)]

    def text_height(self, text: str, role: str = "body", width: int = 0, bold: bool = False, italic: bool = False,
                    align: str = "left") -> int:
        """The height render() gives the text (in any colour): measured once and remembered, without keeping its
        pixels, since layouts measure every line (also those out of view) each time something changes."""
        key = (text or "", role, width, bold, italic, align)
        size = self._sizes.get(key)
        if size is None:
            size = self.render(text, role, "text", width, bold, italic, align, keep=False).get_size()
            self._remember_size(key, size)
        return size[1]

    def _remember_size(self, key: tuple, size: tuple[int, int]) -> None:
        if len(self._sizes) > 4000:
            self._sizes.clear()
        self._sizes[key] = size

    @staticmethod
    def _size_key(key: tuple) -> tuple:
        """A render key without its colours: the size does not depend on them."""
        return key[:2] + key[3:7]

    def _key(self, text: str, role: str, color: str | pygame.Color, width: int, bold: bool, italic: bool,
             align: str, on: str | None = None) -> tuple:
        colour = self.color(color) if isinstance(color, str) else pygame.Color(color)
        return text or "", role, tuple(colour), width, bold, italic, align, on

    def forget_texts(self) -> None:
        """Another screen comes up: let go of this one's text before the next one renders its own."""
        self._renders.clear()
        self._used.clear()

    def kept_texts(self) -> list[str]:
        """The texts whose pixels are kept now (those on screen)."""
        return [key[0] for key in self._renders]

    def kept_bytes(self) -> int:
        """The memory their pixels take."""
        return sum(s.get_pitch() * s.get_height() for s in self._renders.values())

    def begin_frame(self) -> None:
        """A whole-screen redraw starts: from here on, what is drawn is marked as in use."""
        self._frame += 1

    def end_frame(self) -> None:
        """A whole-screen redraw ended: forget the text it did not draw (it is rendered again if it comes back)."""
        frame = self._frame
        for key in [k for k, f in self._used.items() if f != frame]:
            del self._used[key]
            self._renders.pop(key, None)

    def fit(self, text: str, role: str, width: int, bold: bool = False) -> str:
        """The text shortened with an ellipsis so that one line of it fits `width` pixels (cached with wrap()'s
        lines: screens fit their labels on every redraw)."""
        key = ("fit", text, role, width, bold)
        fitted = self._wraps.get(key)
        if fitted is None:
            fitted = self._wraps[key] = [self._fit(text, role, width, bold)]
        return fitted[0]

    def _fit(self, text: str, role: str, width: int, bold: bool) -> str:
        """The text, or as much of it as fits `width` with an ellipsis (the longest such start, found by halving:
        a 20,000-letter title costs some 15 measurements, not 20,000)."""
        font = self.font(role, bold)
        text = text or ""
        if text_size(font, text)[0] <= width:
            return text
        low, high = 0, len(text) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if text_size(font, text[:middle] + "…")[0] <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"

    def wrap(self, text: str, role: str, width: int, bold: bool = False) -> list[str]:
        """The text broken into lines that fit `width`, each keeping its trailing space, so that the lines joined
        give the text back: a line can then be typed out letter by letter without words jumping to the next line."""
        key = ("wrap", text, role, width, bold)
        if key in self._wraps:
            return self._wraps[key]
        font = self.font(role, bold)
        lines: list[str] = []
        current = ""
        for word in text.replace("\n", " ").split(" "):
            candidate = current + word
            if current and text_size(font, candidate)[0] > width:
                lines.append(current)
                current = word + " "
            else:
                current = candidate + " "
        lines.append(current)
        lines[-1] = lines[-1][:-1]   # the text had no space after its last word
        self._wraps[key] = lines
        return lines

    def clamp_lines(self, text: str, role: str, width: int, max_height: int) -> str:
        """The text cut at a word, with an ellipsis, so that wrapped at `width` it fits `max_height` pixels."""
        if self.render(text, role, "text", width).get_height() <= max_height:
            return text
        words = text.split()
        lo, hi = 0, len(words)
        while lo < hi:   # the most words that still fit
            mid = (lo + hi + 1) // 2
            if self.render(" ".join(words[:mid]) + "…", role, "text", width).get_height() <= max_height:
                lo = mid
            else:
                hi = mid - 1
        return " ".join(words[:lo]).rstrip(",.;:") + "…"

    def blit_text(self, surface: pygame.Surface, text: str, pos: tuple[int, int], role: str = "body",
                  color: str = "text", width: int = 0, bold: bool = False, italic: bool = False,
                  align: str = "left", max_height: int = 0, on: str | None = None) -> int:
        """Draw text at pos (top-left, or top-centre/right for align); returns the height used. A text that falls
        outside the surface's clip (scrolled out of view) is only measured: its pixels are not kept. `on` names the
        solid colour under the whole of the text's box, when there is one (see render)."""
        key = self._key(text, role, color, width, bold, italic, align, on)
        size = self._sizes.get(self._size_key(key))
        if size is None or self._on_clip(surface, pos, size, align):
            surf = self.render(text, role, color, width, bold, italic, align, on=on)
            size = surf.get_size()
            if self._on_clip(surface, pos, size, align):
                area = pygame.Rect(0, 0, size[0], max_height) if max_height and size[1] > max_height else None
                surface.blit(surf, self._top_left(pos, size, align), area)
            else:   # measured for the layout, but out of view: not worth keeping
                self._renders.pop(key, None)
                self._used.pop(key, None)
        return size[1] if not max_height or size[1] <= max_height else max_height

    @staticmethod
    def _top_left(pos: tuple[int, int], size: tuple[int, int], align: str) -> tuple[int, int]:
        x, y = pos
        if align == "center":
            x -= size[0] // 2
        elif align == "right":
            x -= size[0]
        return x, y

    def _on_clip(self, surface: pygame.Surface, pos: tuple[int, int], size: tuple[int, int], align: str) -> bool:
        """Whether text of `size` drawn at `pos` shows within the surface's clip (else it is scrolled out of view)."""
        return surface.get_clip().colliderect((*self._top_left(pos, size, align), max(1, size[0]), max(1, size[1])))

    def fade_top(self, surface: pygame.Surface, rect: pygame.Rect, colour: str = "background") -> None:
        """A band across the top of `rect` going from `colour` to clear: what is scrolled past that edge fades out
        instead of being cut off mid-line. One row of the colour (1 byte a pixel) blitted at falling opacity."""
        key = (rect.width, colour)
        row = self._fades.get(key)
        if row is None:
            row = self._fades[key] = pygame.Surface((rect.width, 1), 0, 8)
            row.set_palette_at(0, self.color(colour))
            row.fill(0)
        height = self.px(28)
        for y in range(height):
            row.set_alpha(255 - 255 * y // height)
            surface.blit(row, (rect.x, rect.y + y))

    def panel(self, surface: pygame.Surface, rect: pygame.Rect, fill: str = "panel", edge: str = "panel_edge",
              radius: int = 10, width: int = 1) -> None:
        pygame.draw.rect(surface, self.color(fill), rect, border_radius=self.px(radius))
        if width:
            pygame.draw.rect(surface, self.color(edge), rect, max(1, self.px(width)), border_radius=self.px(radius))
