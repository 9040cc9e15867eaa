"""The player's history: every conversation they played on this computer, newest first, with score and ending."""
from __future__ import annotations

from datetime import datetime

import pygame

from simulator.game.scenes import Scene

ENDING_COLOURS = {"satisfied": "good", "escalated": "accent", "disconnected": "warn", "dissatisfied": "warn",
                  "lost": "bad"}


class HistoryScene(Scene):
    name = "history"

    def __init__(self, app):
        super().__init__(app)
        self.rows = self.load()
        self.top_row = 0

    def load(self) -> list:
        store = self.app.store()
        if store is None or not self.app.player:
            return []
        try:
            return store.history(self.app.player)
        except Exception as exc:   # an unreadable store must not stop the game
            self.app.notice = self.t("store_unavailable", reason=str(exc))
            return []

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        self.table = pygame.Rect(look.px(28), look.px(18) + look.font_px("title") + look.font_px("body") + look.px(40),
                                 w - 2 * look.px(28), 0)
        self.row_h = look.font("body").get_linesize() + look.px(14)
        self.table.height = h - self.table.y - look.px(50)
        self.visible = max(1, (self.table.height - self.row_h) // self.row_h)

    def scroll(self, delta: int) -> None:
        self.top_row = max(0, min(self.top_row + delta, max(0, len(self.rows) - self.visible)))

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            step = {pygame.K_DOWN: 1, pygame.K_UP: -1, pygame.K_PAGEDOWN: self.visible,
                    pygame.K_PAGEUP: -self.visible}.get(event.key)
            if step:
                self.scroll(step)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_h):
                self.back()
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll(-event.y * 3)

    def when(self, stamp: str) -> str:
        try:
            moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
        except ValueError:
            return stamp
        return moment.strftime("%d-%m-%Y %H:%M")

    def draw(self, surface: pygame.Surface) -> None:
        look = self.look
        finished = [r for r in self.rows if r.status == "finished"]
        self.draw_header(surface, self.t("history_title"),
                         self.t("history_line", player=self.app.player or "?", n=len(self.rows), done=len(finished)))
        t = self.table
        if not self.rows:
            look.blit_text(surface, self.t("history_empty"), (t.centerx, t.y + look.px(40)), "heading", "muted",
                           t.width, align="center")
            return
        cols = [(t.x + look.px(12), "history_when"), (t.x + round(t.width * 0.19), "history_scenario"),
                (t.x + round(t.width * 0.66), "history_score"), (t.x + round(t.width * 0.76), "history_ending")]
        widths = [cols[i + 1][0] - cols[i][0] - look.px(12) for i in range(3)] + [t.right - cols[3][0] - look.px(12)]
        y = t.y
        for (x, key), width in zip(cols, widths):
            look.blit_text(surface, look.fit(self.t(key), "body", width, bold=True), (x, y), "body", "accent",
                           bold=True)
        y += self.row_h
        pygame.draw.line(surface, look.color("panel_edge"), (t.x, y - look.px(7)), (t.right, y - look.px(7)))
        for i, r in enumerate(self.rows[self.top_row:self.top_row + self.visible]):
            if i % 2 == 0:
                pygame.draw.rect(surface, look.color("panel"), (t.x, y - look.px(6), t.width, self.row_h),
                                 border_radius=look.px(6))
            score = r.score
            if r.status != "finished":
                ending, colour = self.t("history_abandoned"), "muted"
            else:
                ending = self.t("ending_" + (r.ending or "none"))
                colour = ENDING_COLOURS.get(r.ending, "muted")
            cells = [(self.when(r.finished_at), "text"), (r.title or r.scenario, "text"),
                     ("—" if score is None or r.status != "finished" else f"{score}/100", "text"), (ending, colour)]
            for (x, _), width, (text, c) in zip(cols, widths, cells):
                look.blit_text(surface, look.fit(text, "body", width), (x, y), "body", c)
            y += self.row_h
        if len(self.rows) > self.visible:
            look.blit_text(surface, self.t("history_more", first=self.top_row + 1,
                                           last=min(len(self.rows), self.top_row + self.visible), n=len(self.rows)),
                           (t.centerx, t.bottom + look.px(8)), "small", "muted", align="center")
