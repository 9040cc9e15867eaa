"""The scenario choice: a card per scenario (title, summary, difficulty, channel, source, best score); broken
files get a card with their first error instead of stopping the game."""
from __future__ import annotations

from functools import partial
from pathlib import Path

import pygame

from simulator.game.scenes import Scene
from simulator.game.widgets import Button


class SelectScene(Scene):
    name = "select"

    def __init__(self, app):
        super().__init__(app)
        self.scroll = 0
        self.broken = None   # the broken file whose first error is shown under the cards
        self._paused: dict[tuple[str, str], dict] | None = None   # (scenario id, language) -> stopped conversation

    # -- cards -----------------------------------------------------------------------------------------
    def entries(self) -> list:
        lang = self.app.lang
        results = self.app.library()
        playable = [r for r in results if r.ok]
        broken = [r for r in results if not r.ok]
        playable.sort(key=lambda r: (r.scenario.language != lang, r.scenario.difficulty, r.scenario.title.casefold()))
        return playable + broken

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        self.best = self.app.best_scores()
        pad = look.px(28)
        self.top = look.px(18) + look.font_px("title") + look.font_px("body") + look.px(40)
        self.view = pygame.Rect(pad, self.top, w - 2 * pad, h - self.top - look.px(16))
        cols = 2 if w >= 1000 else 1   # below that one card a row, so titles are not cut
        gap = look.px(16)
        card_w = (self.view.width - (cols - 1) * gap - look.px(14)) // cols
        card_h = (look.font("heading", bold=True).get_linesize() + 3 * look.font("body").get_linesize()
                  + 2 * look.font("small").get_linesize() + look.px(44))
        card_h = round(card_h)
        buttons = []
        for i, result in enumerate(self.entries()):
            base = pygame.Rect(self.view.x + (i % cols) * (card_w + gap), self.view.y + (i // cols) * (card_h + gap),
                               card_w, card_h)
            if result.ok:
                b = Button(base.copy(), result.scenario.title, partial(self.play, result), kind="card")
            else:
                b = Button(base.copy(), Path(result.path).name, partial(self.show_broken, result), kind="broken")
            b.extra = {"base": base, "result": result}
            buttons.append(b)
        self.focus.columns = cols
        self.focus.set(buttons)
        self.content_h = (((len(buttons) + cols - 1) // cols) * (card_h + gap)) if buttons else 0
        self._place()

    def _place(self) -> None:
        max_scroll = max(0, self.content_h - self.view.height)
        self.scroll = max(0, min(self.scroll, max_scroll))
        for b in self.focus.buttons:
            b.rect = b.extra["base"].move(0, -self.scroll)

    def _reveal_focus(self) -> None:
        b = self.focus.focused
        if b is None:
            return
        base = b.extra["base"]
        if base.top - self.scroll < self.view.top:
            self.scroll = base.top - self.view.top
        elif base.bottom - self.scroll > self.view.bottom:
            self.scroll = base.bottom - self.view.bottom
        self._place()

    # -- actions ---------------------------------------------------------------------------------------
    def play(self, result) -> None:
        self.broken = None
        if self.app.class_mode:   # the projector screens (votes, discussion) live in scenes/classroom.py
            self.app.open_class_conversation(result.scenario)
            return
        paused = self.paused_entry(result.scenario)
        if paused is None:
            self.app.open_conversation(result.scenario)
            return
        from simulator.game.overlays import Question

        def fresh():
            self.paused_store().drop(self.app.player, result.scenario)
            self.app.open_conversation(result.scenario)

        self.app.ask(Question(self.app, self.t("resume_question"), self.t("resume_explain", n=len(paused["picks"])),
                              [(self.t("resume_yes"), "V" if self.app.lang == "nl" else "C",
                                pygame.K_v if self.app.lang == "nl" else pygame.K_c,
                                lambda: self.app.open_conversation(result.scenario, resume=paused)),
                               (self.t("resume_new"), "N", pygame.K_n, fresh),
                               (self.t("resume_cancel"), "Esc", pygame.K_ESCAPE, lambda: None)]))

    def paused_store(self):
        from simulator.game.paused import PausedConversations
        from simulator.game.settings import config_dir

        return PausedConversations(config_dir(self.app.data_dir))

    def paused_entry(self, scenario) -> dict | None:
        """The stopped conversation of this player on this scenario, if there is one (not for the class)."""
        if self.app.class_mode or not self.app.player:
            return None
        if self._paused is None:   # read once per visit of this screen, not per frame
            self._paused = {}
            store = self.paused_store()
            for result in self.app.library():
                if result.ok:
                    found = store.get(self.app.player, result.scenario)
                    if found is not None:
                        self._paused[(result.scenario.id, result.scenario.language)] = found
        return self._paused.get((scenario.id, scenario.language))

    def enter(self) -> None:
        self._paused = None
        super().enter()

    def header_keys(self) -> list:
        keys = []
        if not self.app.class_mode:
            keys.append(("H", self.t("history"), self.app.open_history))
        keys.append(("F2", self.t("settings"), self.app.open_settings))
        keys.append(("Esc", self.t("back"), self.back))
        return keys

    def back(self) -> None:
        if self.app.class_mode:   # the class's first screen: Esc asks before it closes the game
            from simulator.game.overlays import Question

            self.app.ask(Question(self.app, self.t("quit_question"), "",
                                  [(self.t("quit"), "Q", pygame.K_q, self.app.quit),
                                   (self.t("stop_no"), "Esc", pygame.K_n, lambda: None)]))
            return
        self.app.pop()

    def play_path(self, path) -> None:
        """Start the scenario file given on the command line (or show why it cannot be played)."""
        target = Path(path).resolve()
        for result in self.app.library():
            if Path(result.path).resolve() == target:
                if result.ok:
                    self.play(result)
                else:
                    self.show_broken(result)
                return

    def show_broken(self, result) -> None:
        self.broken = result

    def card_error(self, result) -> str:
        """A broken file's card: LINE:COLUMN: its first error, in the window's language."""
        err = result.first_error
        return f"{err.pos.line}:{err.pos.column}: {err.render(self.app.lang)}" if err else result.path

    @property
    def message(self) -> str:
        """Why the chosen broken file cannot be played, worded in the window's language (also after a change in
        the settings), or ""."""
        if self.broken is None:
            return ""
        err = self.broken.first_error
        return self.t("broken_file", error=err.line(self.app.lang) if err else self.broken.path)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * self.look.px(60)
            self._place()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_h and not self.app.class_mode:
            self.app.open_history()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F2:
            self.app.open_settings()
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            step = self.focus.columns * max(1, self.view.height // max(1, self.focus.buttons[0].rect.height
                                                                       if self.focus.buttons else 1))
            self.focus.move(step if event.key == pygame.K_PAGEDOWN else -step)
            self._reveal_focus()
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN) and not self.view.collidepoint(event.pos):
            return   # a card scrolled out of sight cannot be hovered or clicked
        if self.focus.handle(event) and event.type == pygame.KEYDOWN:
            self._reveal_focus()

    # -- drawing ---------------------------------------------------------------------------------------
    def card_meta(self, sc) -> str:
        """Difficulty, channel and language of a card, in the window's language like every other word the window
        says (the scenario's own title and summary stay in its language, which is named)."""
        stars = "●" * sc.difficulty + "○" * (3 - sc.difficulty)
        return self.t("card_meta", difficulty=stars, channel=self.t("channel_" + sc.channel), lang=sc.language.upper())

    def draw(self, surface: pygame.Surface) -> None:
        look, (w, h) = self.look, self.app.size
        mode = self.t("mode_" + self.app.mode)
        # The class has no personal history (H is off there), so its line does not offer it.
        line = self.t("class_line") if self.app.class_mode else \
            self.t("player_line", player=self.app.player or "?", mode=mode)
        self.draw_header(surface, self.t("choose_scenario"), line)
        if not self.focus.buttons:
            look.blit_text(surface, self.t("no_scenarios"), (w // 2, h // 2), "heading", "muted", align="center")
        clip = surface.get_clip()
        surface.set_clip(self.view)
        for i, b in enumerate(self.focus.buttons):
            if b.rect.colliderect(self.view):
                self.draw_card(surface, b, self.focus.active and i == self.focus.index)
        surface.set_clip(clip)
        if self.content_h > self.view.height:   # a scroll bar, so the player knows there is more
            bar = pygame.Rect(self.view.right - look.px(8), self.view.y, look.px(8), self.view.height)
            pygame.draw.rect(surface, look.color("meter_back"), bar, border_radius=look.px(4))
            knob_h = max(look.px(30), bar.height * self.view.height // self.content_h)
            knob_y = bar.y + (bar.height - knob_h) * self.scroll // max(1, self.content_h - self.view.height)
            pygame.draw.rect(surface, look.color("muted"), (bar.x, knob_y, bar.width, knob_h), border_radius=look.px(4))
        if self.message:
            r = pygame.Rect(look.px(28), h - look.px(110), w - look.px(56), look.px(96))
            look.panel(surface, r, "broken", "bad", width=2)
            look.blit_text(surface, self.message, (r.x + look.px(14), r.y + look.px(10)), "small", "text",
                           r.width - look.px(28), max_height=r.height - look.px(16))

    def draw_card(self, surface: pygame.Surface, b: Button, focused: bool) -> None:
        look = self.look
        r = b.rect
        result = b.extra["result"]
        look.panel(surface, r, "broken" if not result.ok else ("button_hover" if focused else "panel"),
                   "focus" if focused else ("bad" if not result.ok else "panel_edge"), width=3 if focused else 1)
        pad = look.px(16)
        x, y, width = r.x + pad, r.y + pad - look.px(4), r.width - 2 * pad
        if not result.ok:
            y += look.blit_text(surface, look.fit(b.label, "heading", width, bold=True), (x, y), "heading", "text",
                                bold=True)
            y += look.blit_text(surface, self.t("broken_card"), (x, y + look.px(4)), "body", "bad", bold=True)
            look.blit_text(surface, self.card_error(result), (x, y + look.px(10)), "small", "text", width,
                           max_height=r.bottom - y - look.px(18))
            return
        sc = result.scenario
        best = self.best.get((sc.id, sc.language))
        badge_w = 0
        if best is None and self.paused_entry(sc) is not None:
            badge = look.render(self.t("resume_badge"), "small", "bubble_text", bold=True)
            br = badge.get_rect(topright=(r.right - pad, r.y + pad)).inflate(look.px(12), look.px(6))
            pygame.draw.rect(surface, look.color("warn"), br, border_radius=look.px(6))
            surface.blit(badge, badge.get_rect(center=br.center))
            badge_w = br.width + look.px(8)
        if best is not None:
            badge = look.render(self.t("best_score", score=best), "small", "bubble_text", bold=True)
            br = badge.get_rect(topright=(r.right - pad, r.y + pad)).inflate(look.px(12), look.px(6))
            pygame.draw.rect(surface, look.color("good"), br, border_radius=look.px(6))
            surface.blit(badge, badge.get_rect(center=br.center))
            badge_w = br.width + look.px(8)
        y += look.blit_text(surface, look.fit(sc.title, "heading", width - badge_w, bold=True), (x, y), "heading",
                            "accent" if focused else "text", bold=True) + look.px(6)
        summary_h = 3 * look.font("body").get_linesize() + look.px(2)
        summary = look.clamp_lines(" ".join(sc.summary.split()), "body", width, summary_h)
        look.blit_text(surface, summary, (x, y), "body", "text", width, max_height=summary_h)
        y += summary_h + look.px(6)
        meta = self.card_meta(sc)
        y += look.blit_text(surface, look.fit(meta, "small", width), (x, y), "small", "muted")
        if sc.source:
            look.blit_text(surface, look.fit(self.t("source", source=sc.source), "small", width), (x, y + look.px(2)),
                           "small", "muted", italic=True)
