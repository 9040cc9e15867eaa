"""The screens of the game; each is a Scene that lays itself out for the window size, handles events and draws."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from simulator.game.widgets import FocusList, KeyBar

if TYPE_CHECKING:  # pragma: no cover
    from simulator.game.app import App


class Scene:
    """One screen. `layout()` builds its buttons for the current size; `leave()` lets go of what it holds.
    The app calls `handle` for every event, `update(dt)` (True while something animates) and `draw`."""

    name = "scene"
    blinking = False   # True while a text cursor blinks: the loop then wakes a few times a second

    def __init__(self, app: App):
        self.app = app
        self.focus = FocusList()
        self.keybar = KeyBar()   # the screen's key hints, each also a button (the app routes clicks to it)

    # -- life cycle ------------------------------------------------------------------------------------
    def enter(self) -> None:
        self.layout()

    def leave(self) -> None:
        """Called when the screen is closed."""

    def relayout(self) -> None:
        self.layout()

    def layout(self) -> None:
        """Build buttons for self.app.size."""

    # -- per frame -------------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        self.focus.handle(event)

    def update(self, dt: float) -> bool:
        return False

    def draw(self, surface: pygame.Surface) -> None:
        self.focus.draw(surface, self.app.look)

    def back(self) -> None:
        self.app.pop()

    # -- helpers ---------------------------------------------------------------------------------------
    def t(self, key: str, **fmt) -> str:
        return self.app.t(key, **fmt)

    @property
    def look(self):
        return self.app.look

    def draw_header(self, surface: pygame.Surface, title: str, subtitle: str = "") -> int:
        """The screen's title bar; returns its bottom y."""
        look = self.look
        w = self.app.size[0]
        pad = look.px(28)
        h = look.blit_text(surface, title, (pad, look.px(18)), "title", "text", bold=True, on="background")
        y = look.px(18) + h
        if subtitle:
            y += look.blit_text(surface, subtitle, (pad, y + look.px(2)), "body", "muted", w - 2 * pad, on="background")
        self.keybar.place(look, self.header_keys(), pygame.Rect(w // 2, look.px(18), w // 2 - pad, 0), align="right")
        self.keybar.draw(surface, look)
        return y + look.px(12)

    def header_keys(self) -> list:
        """The keys offered in the title bar, as (key, label, action); every screen has Esc = back."""
        return [("Esc", self.t("back"), self.back)]
