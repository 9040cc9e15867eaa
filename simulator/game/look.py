"""How the window looks at its current size and settings: colours, scaled fonts, text drawing."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pygame

from simulator.resources import resource
from simulator.game.text_render import render_text, text_size

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
        self._fonts: dict[tuple, pygame.font.Font] = {}
        self._renders: dict[tuple, pygame.Surface] = {}
        self._wraps: dict[tuple, list[str]] = {}   # wrap()'s lines; bounded together with _renders

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

    def font(self, role: str = "body", bold: bool = False, italic: bool = False) -> pygame.font.Font:
        key = (role, bold, italic)
        if key not in self._fonts:
            style = ("bold_italic" if italic else "bold") if bold else ("italic" if italic else "regular")
            self._fonts[key] = pygame.font.Font(self._font_files[style], self.font_px(role))
        return self._fonts[key]

    # -- text ----------------------------------------------------------------------------------------
    def render(self, text: str, role: str = "body", color: str | pygame.Color = "text", width: int = 0,
               bold: bool = False, italic: bool = False, align: str = "left") -> pygame.Surface:
        """The text rendered (wrapped at `width` pixels when given); cached, since scenes redraw often."""
        colour = self.color(color) if isinstance(color, str) else pygame.Color(color)
        text = text or ""
        key = (text, role, tuple(colour), width, bold, italic, align)
        surf = self._renders.get(key)
        if surf is None:
            font = self.font(role, bold, italic)
            font.align = {"left": pygame.FONT_LEFT, "center": pygame.FONT_CENTER,
                          "right": pygame.FONT_RIGHT}[align]
            surf = render_text(font, text, colour, width)
            font.align = pygame.FONT_LEFT
            if len(self._renders) + len(self._wraps) > 600:
                self._renders.clear()
                self._wraps.clear()
            self._renders[key] = surf
        return surf

    def fit(self, text: str, role: str, width: int, bold: bool = False) -> str:
        """The text shortened with an ellipsis so that one line of it fits `width` pixels."""
        font = self.font(role, bold)
        text = text or ""
        if text_size(font, text)[0] <= width:
            return text
        while text and text_size(font, text + "…")[0] > width:
            text = text[:-1]
        return text.rstrip() + "…"

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
                  align: str = "left", max_height: int = 0) -> int:
        """Draw text at pos (top-left, or top-centre/right for align); returns the height used."""
        surf = self.render(text, role, color, width, bold, italic, align)
        x, y = pos
        if align == "center":
            x -= surf.get_width() // 2
        elif align == "right":
            x -= surf.get_width()
        area = None
        if max_height and surf.get_height() > max_height:
            area = pygame.Rect(0, 0, surf.get_width(), max_height)
        surface.blit(surf, (x, y), area)
        return surf.get_height() if area is None else max_height

    def panel(self, surface: pygame.Surface, rect: pygame.Rect, fill: str = "panel", edge: str = "panel_edge",
              radius: int = 10, width: int = 1) -> None:
        pygame.draw.rect(surface, self.color(fill), rect, border_radius=self.px(radius))
        if width:
            pygame.draw.rect(surface, self.color(edge), rect, max(1, self.px(width)), border_radius=self.px(radius))
