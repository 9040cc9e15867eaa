"""The title screen: the player types a name or picks one from the local list; language and settings from here."""
from __future__ import annotations

from functools import partial

import pygame

from simulator.game.scenes import Scene
from simulator.game.widgets import Button, TextEntry

MAX_NAME = 40


class TitleScene(Scene):
    name = "title"

    def __init__(self, app):
        super().__init__(app)
        self.entry: TextEntry | None = None   # made by layout(), which enter() runs first
        self.error = ""
        self.typed = app.player or ""

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        col_w = min(w - look.px(80), look.px(620))
        x = (w - col_w) // 2
        self.col = pygame.Rect(x, 0, col_w, h)
        self.name_y = look.px(250)
        entry_h = look.font_px("heading") + look.px(26)
        self.entry = TextEntry(pygame.Rect(x, self.name_y + look.font_px("body") + look.px(12), col_w, entry_h),
                               self.typed, MAX_NAME, self.t("name_placeholder"))

        buttons: list[Button] = []
        y = self.entry.rect.bottom + look.px(18)
        players = self.app.settings.players[:6]
        self.players_y = y
        if players:
            y += look.font_px("small") + look.px(8)
            per_row = 3
            bw = (col_w - (per_row - 1) * look.px(10)) // per_row
            bh = look.font_px("body") + look.px(20)
            for i, name in enumerate(players):
                r = pygame.Rect(x + (i % per_row) * (bw + look.px(10)), y + (i // per_row) * (bh + look.px(10)), bw, bh)
                buttons.append(Button(r, name, partial(self.start, name)))
            y += ((len(players) + per_row - 1) // per_row) * (bh + look.px(10))
        y += look.px(14)
        bh = look.font_px("body") + look.px(26)
        buttons.append(Button(pygame.Rect(x, y, col_w, bh), self.t("start"), self.start_typed, hint="Enter",
                              kind="primary"))
        y += bh + look.px(12)
        half = (col_w - look.px(12)) // 2
        other = "English" if self.app.lang == "nl" else "Nederlands"
        buttons.append(Button(pygame.Rect(x, y, half, bh), self.t("settings"), self.open_settings, hint="F2"))
        buttons.append(Button(pygame.Rect(x + half + look.px(12), y, half, bh), other, self.toggle_language,
                              hint="F3"))
        y += bh + look.px(12)
        buttons.append(Button(pygame.Rect(x, y, col_w, bh), self.t("quit"), self.app.quit, hint="Esc"))
        self.focus.set(buttons)
        self.focus.index = len(players)   # "Start" under the keyboard once the entry lets go
        self.focus.active = False

    def leave(self) -> None:
        if self.entry is not None:
            self.typed = self.entry.text
        super().leave()

    def relayout(self) -> None:
        if self.entry is not None:
            self.typed = self.entry.text
        super().relayout()

    # The cursor stands still (no blinking): a blinking one woke the loop twice a second for nothing.
    blinking = False

    def focus_entry(self, on: bool) -> None:
        if self.entry is not None:
            self.entry.focused = on
        self.focus.active = not on

    # -- actions ---------------------------------------------------------------------------------------
    def start_typed(self) -> None:
        self.start(self.entry.text if self.entry is not None else self.typed)

    def start(self, name: str) -> None:
        name = " ".join(name.split())
        if not name:
            self.error = self.t("name_needed")
            self.focus_entry(True)
            return
        self.error = ""
        self.typed = name
        self.app.player = name
        self.app.settings.remember_player(name)
        self.app.settings.save()
        self.app.open_select()
        if self.app.scenario_path is not None:
            self.app.scene.play_path(self.app.scenario_path)

    def open_settings(self) -> None:
        self.app.open_settings()

    def toggle_language(self) -> None:
        self.app.settings.language = "en" if self.app.lang == "nl" else "nl"
        self.app.apply_settings()

    def back(self) -> None:
        self.app.quit()

    # -- events ----------------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        entry = self.entry
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F2:
                self.open_settings()
                return
            if event.key == pygame.K_F3:
                self.toggle_language()
                return
        if entry is not None and entry.focused:
            if event.type == pygame.KEYDOWN and event.key in (pygame.K_DOWN, pygame.K_TAB):
                self.focus_entry(False)
                return
            outcome = entry.handle(event)
            if outcome == "changed":
                self.error = ""
            elif outcome == "submit":
                self.start_typed()
            if outcome is not None:
                return
        elif event.type == pygame.TEXTINPUT and entry is not None:   # typing goes to the name field
            self.focus_entry(True)
            entry.handle(event)
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_UP and self.focus.index == 0:
            self.focus_entry(True)
            return
        if event.type == pygame.MOUSEBUTTONDOWN and entry is not None and entry.rect.collidepoint(event.pos):
            self.focus_entry(True)
            return
        if self.focus.handle(event) and entry is not None and event.type != pygame.KEYDOWN:
            entry.focused = not self.focus.active

    def draw(self, surface: pygame.Surface) -> None:
        look, (w, h) = self.look, self.app.size
        look.blit_text(surface, "KlantSim", (w // 2, look.px(60)), "huge", "accent", bold=True, align="center",
                       on="background")
        look.blit_text(surface, self.t("tagline"), (w // 2, look.px(60) + look.font_px("huge") + look.px(18)),
                       "heading", "text", w - look.px(80), align="center", on="background")
        # (drawn as it comes: with extra large text in a small window it runs into the tagline)
        look.blit_text(surface, self.t("your_name"), (self.col.x, self.name_y), "body", "text", bold=True)
        assert self.entry is not None   # layout() ran on enter
        self.entry.draw(surface, look)
        if self.error:
            look.blit_text(surface, self.error, (self.col.right, self.name_y), "body", "bad", align="right")
        if len(self.focus.buttons) > 4:
            look.blit_text(surface, self.t("pick_name"), (self.col.x, self.players_y), "small", "muted",
                           on="background")
        self.focus.draw(surface, look)
        if self.app.notice:
            look.blit_text(surface, self.app.notice, (w // 2, h - look.px(40)), "small", "warn", w - look.px(60),
                           align="center")
