"""The player's history: every conversation they played on this computer, newest first, with score and ending."""
from __future__ import annotations

from datetime import datetime

import pygame

from simulator.game.scenes import Scene
from simulator.game.text_render import text_size

ENDING_COLOURS = {"satisfied": "good", "escalated": "accent", "disconnected": "warn", "dissatisfied": "warn",
                  "lost": "bad"}


class HistoryScene(Scene):
    name = "history"

    def __init__(self, app):
        super().__init__(app)
        self.rows = self.load()
        self.top_row = 0
        self.selected: int | None = None   # nothing until the arrows choose a row (Enter then opens its debrief)
        self.message = ""

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

    def select(self, delta: int) -> None:
        if not self.rows:
            return
        current = -1 if self.selected is None and delta > 0 else (self.selected or 0)
        self.selected = max(0, min(len(self.rows) - 1, current + delta))
        if self.selected < self.top_row:
            self.top_row = self.selected
        elif self.selected >= self.top_row + self.visible:
            self.top_row = self.selected - self.visible + 1

    def open(self, index: int) -> None:
        """The debrief of that conversation, rebuilt from its stored choices on the scenario file."""
        from simulator.game.paused import session_from_record

        record = self.rows[index]
        for result in self.app.library():
            if result.ok and result.scenario.id == record.scenario and result.scenario.language == record.language:
                session = session_from_record(result.scenario, record)
                if session is not None:
                    self.message = ""
                    typed = {n: step.get("typed") for n, step in enumerate(record.path)
                             if isinstance(step, dict) and isinstance(step.get("typed"), str)}
                    self.app.open_debrief(result.scenario, session, from_history=True, typed=typed)
                    return
        self.message = self.t("history_gone")

    def row_at(self, pos) -> int | None:
        if not self.table.collidepoint(pos):
            return None
        i = (pos[1] - self.table.y - self.row_h + self.look.px(6)) // self.row_h
        index = self.top_row + i
        return index if 0 <= i < self.visible and index < len(self.rows) else None

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            step = {pygame.K_DOWN: 1, pygame.K_UP: -1, pygame.K_PAGEDOWN: self.visible,
                    pygame.K_PAGEUP: -self.visible}.get(event.key)
            if step:
                self.select(step)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.selected is not None:
                self.open(self.selected)
            elif event.key == pygame.K_h:
                self.back()
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll(-event.y * 3)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            index = self.row_at(event.pos)
            if index is not None:
                self.selected = index
                self.open(index)

    def when(self, stamp: str, width: int = 0) -> str:
        """The moment in local time, as long as `width` pixels allow: with the year, with two digits of it, or
        without it (a narrow window shows the day and time whole rather than cut off with an ellipsis)."""
        try:
            moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
        except ValueError:
            return stamp
        for form in ("%d-%m-%Y %H:%M", "%d-%m-%y %H:%M", "%d-%m %H:%M"):
            text = moment.strftime(form)
            if not width or text_size(self.look.font("body"), text)[0] <= width:
                break
        return text

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
            if self.top_row + i == self.selected:
                pygame.draw.rect(surface, look.color("button_hover"), (t.x, y - look.px(6), t.width, self.row_h),
                                 border_radius=look.px(6))
                pygame.draw.rect(surface, look.color("focus"), (t.x, y - look.px(6), t.width, self.row_h),
                                 max(1, look.px(2)), border_radius=look.px(6))
            elif i % 2 == 0:
                pygame.draw.rect(surface, look.color("panel"), (t.x, y - look.px(6), t.width, self.row_h),
                                 border_radius=look.px(6))
            score = r.score
            if r.status != "finished":
                ending, colour = self.t("history_abandoned"), "muted"
            else:
                ending = self.t("ending_" + (r.ending or "none"))
                colour = ENDING_COLOURS.get(r.ending, "muted")
            cells = [(self.when(r.finished_at, widths[0]), "text"), (r.title or r.scenario, "text"),
                     ("—" if score is None or r.status != "finished" else f"{score}/100", "text"), (ending, colour)]
            for (x, _), width, (text, c) in zip(cols, widths, cells):
                look.blit_text(surface, look.fit(text, "body", width), (x, y), "body", c)
            y += self.row_h
        hint = self.message or self.t("history_open")
        look.blit_text(surface, hint, (t.x, t.bottom + look.px(24)), "small", "bad" if self.message else "muted",
                       t.width)
        if len(self.rows) > self.visible:
            look.blit_text(surface, self.t("history_more", first=self.top_row + 1,
                                           last=min(len(self.rows), self.top_row + self.visible), n=len(self.rows)),
                           (t.centerx, t.bottom + look.px(8)), "small", "muted", align="center")
