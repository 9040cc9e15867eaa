"""The debrief: score and ending, each of the six steps, every violation with its feedback, and the player's path
beside the best path with the point where they parted."""
from __future__ import annotations

import pygame
import pygame_gui

from simulator.analysis import analysis_of
from simulator.game.look import escape
from simulator.game.scenes import Scene
from simulator.game.widgets import Button
from simulator.scenario.model import STEPS

ENDING_COLOURS = {"satisfied": "good", "escalated": "accent", "disconnected": "warn", "dissatisfied": "warn",
                  "lost": "bad", None: "muted"}


def parting_point(player: list[tuple[str, int]], best: list[tuple[str, int]]) -> int | None:
    """Index of the first choice where the player's (node, choice) left the best path; None if they are equal."""
    for i, (mine, theirs) in enumerate(zip(player, best)):
        if mine != theirs:
            return i
    if len(player) != len(best):
        return min(len(player), len(best))
    return None


class DebriefScene(Scene):
    name = "debrief"

    def __init__(self, app, scenario, session, votes=None):
        super().__init__(app)
        self.scenario = scenario            # as chosen on the select screen (replay starts from it)
        self.session = session
        self.votes = votes
        self.card = session.scorecard()
        self.best = analysis_of(session.scenario, session.rubric).best
        mine = [(t.node, t.offered) for t in session.turns]
        theirs = list(zip(self.best.nodes, self.best.choices)) if self.best else []
        # A path that scores as high as the best one is a best path too: no "parted at" for it.
        self.parted = None if self.card["score"] >= 100 else parting_point(mine, theirs)
        self.list = None

    def label(self, key: str) -> str:
        return self.session.rubric.label(key, self.app.lang)

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        pad = look.px(28)
        self.pad = pad
        self.top = look.px(18) + look.font_px("title") + look.font_px("body") + look.px(34)
        bh = look.font_px("body") + look.px(26)
        self.bottom = h - bh - look.px(22)
        col_gap = look.px(24)
        left_w = round((w - 2 * pad) * 0.28)
        mid_w = round((w - 2 * pad) * 0.37)
        self.left = pygame.Rect(pad, self.top, left_w, self.bottom - self.top)
        self.mid = pygame.Rect(self.left.right + col_gap, self.top, mid_w, self.bottom - self.top)
        self.right = pygame.Rect(self.mid.right + col_gap, self.top, w - pad - self.mid.right - col_gap,
                                 self.bottom - self.top)
        self.list = pygame_gui.elements.UITextBox(self.violations_html(), self.right, manager=look.manager)
        self.ui = [self.list]
        bw = (w - 2 * pad - 2 * look.px(16)) // 3
        y = h - bh - look.px(14)
        buttons = [Button(pygame.Rect(pad, y, bw, bh), self.t("replay"), self.replay, hint="R", kind="primary"),
                   Button(pygame.Rect(pad + bw + look.px(16), y, bw, bh), self.t("other_scenario"), self.other,
                          hint="S"),
                   Button(pygame.Rect(pad + 2 * (bw + look.px(16)), y, bw, bh), self.t("to_title"), self.to_title,
                          hint="T")]
        self.focus.columns = 1
        self.focus.set(buttons)

    def violations_html(self) -> str:
        p = self.look.palette
        hexc = lambda name: "#%02x%02x%02x" % tuple(p[name])[:3]  # noqa: E731
        parts = [f"<b>{escape(self.t('violations_title'))}</b>"]
        violations = self.card["violations"]
        if not violations:
            parts.append(f"<font color='{hexc('good')}'>{escape(self.t('no_violations'))}</font>")
        for v in violations:
            rule = self.session.rubric.rule_text(v["rule"], self.app.lang)   # the window's language, like the rest
            entry = f"<font color='{hexc('bad')}'>{escape(rule)}</font>"
            if v.get("choice"):
                entry += f"<br>{escape(self.t('you_said'))} {escape(v['choice'])}"
            if v.get("feedback"):
                entry += f"<br><i><font color='{hexc('muted')}'>{escape(v['feedback'])}</font></i>"
            parts.append(entry)
        # every choice with its feedback: in exam mode this is the first time the player sees it
        parts.append(f"<b>{escape(self.t('choices_title'))}</b>")
        for n, turn in enumerate(self.session.turns, 1):
            entry = f"{n}. <b>{escape(self.label(turn.act))}</b>: {escape(turn.text)}"
            if turn.feedback:
                entry += f"<br><i><font color='{hexc('muted')}'>{escape(turn.feedback)}</font></i>"
            parts.append(entry)
        return "<br><br>".join(parts)

    # -- actions ---------------------------------------------------------------------------------------
    def replay(self) -> None:
        from simulator.game.scenes.conversation import ConversationScene

        self.app.replace(ConversationScene(self.app, self.scenario))

    def other(self) -> None:
        self.app.pop_to("select")

    def to_title(self) -> None:
        self.app.pop_to("title")

    def back(self) -> None:
        self.other()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_r:
                self.replay()
                return
            if event.key == pygame.K_s:
                self.other()
                return
            if event.key == pygame.K_t:
                self.to_title()
                return
            if event.key in (pygame.K_LEFT, pygame.K_RIGHT):
                self.focus.move(1 if event.key == pygame.K_RIGHT else -1)
                return
            if event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
                bar = getattr(self.list, "scroll_bar", None)
                if bar is not None:
                    d = -1 if event.key == pygame.K_PAGEUP else 1
                    bar.set_scroll_from_start_percentage(bar.start_percentage + d * bar.visible_percentage * 0.8)
                return
        self.focus.handle(event)

    # -- drawing ---------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        look = self.look
        card = self.card
        self.draw_header(surface, self.t("debrief"), self.session.scenario.title)
        # score and ending
        x, y = self.left.x, self.left.y
        score = look.render(str(card["score"]), "huge", "accent", bold=True)
        surface.blit(score, (x, y - look.px(6)))
        look.blit_text(surface, "/100", (x + score.get_width() + look.px(6), y + score.get_height() -
                                         look.font_px("heading") - look.px(14)), "heading", "muted")
        y += score.get_height()
        ending = card["ending"]
        ending_text = self.t("ending_" + (ending or "none"))
        y += look.blit_text(surface, self.t("ending_label", ending=ending_text), (x, y), "body",
                            ENDING_COLOURS.get(ending, "muted"), self.left.width, bold=True) + look.px(4)
        y += look.blit_text(surface, self.t("outcome_not_score"), (x, y), "small", "muted", self.left.width)
        y += look.px(16)
        y += look.blit_text(surface, self.t("steps_title"), (x, y), "heading", "text", bold=True) + look.px(8)
        row_h = look.font_px("body") + look.font_px("small") + look.px(12)
        for i, step in enumerate(STEPS):
            info = card["steps"][step]
            if not info.get("assessed", True):
                mark, colour, status = "–", "muted", self.t("step_not_assessed")
            elif info["done"] and info["in_order"]:
                mark, colour, status = "✓", "good", self.t("step_done")
            elif info["done"]:
                mark, colour, status = "!", "warn", self.t("step_too_early")
            else:
                mark, colour, status = "✗", "bad", self.t("step_missed")
            badge = pygame.Rect(x, y + look.px(2), look.px(28), look.px(28))
            pygame.draw.circle(surface, look.color(colour), badge.center, badge.width // 2)
            m = look.render(mark, "body", "bubble_text", bold=True)
            surface.blit(m, m.get_rect(center=badge.center))
            tx = badge.right + look.px(10)
            tw = self.left.right - tx
            look.blit_text(surface, look.fit(f"{i + 1}. {self.label(step)}", "body", tw), (tx, y), "body", "text")
            look.blit_text(surface, status, (tx, y + look.font_px("body") + look.px(4)), "small", colour)
            y += row_h
        self.draw_paths(surface)
        self.focus.draw(surface, look)

    def draw_paths(self, surface: pygame.Surface) -> None:
        look = self.look
        r = self.mid
        look.panel(surface, r)
        pad = look.px(14)
        x, y = r.x + pad, r.y + pad
        y += look.blit_text(surface, self.t("paths_title"), (x, y), "heading", "text", bold=True) + look.px(6)
        if self.parted is None:
            msg, colour = self.t("same_as_best"), "good"
        else:
            msg, colour = self.t("parted_at", n=self.parted + 1), "warn"
        y += look.blit_text(surface, msg, (x, y), "small", colour, r.width - 2 * pad) + look.px(10)
        num_w = look.px(30)
        col_w = (r.width - 2 * pad - num_w - look.px(8)) // 2
        mine_x, best_x = x + num_w, x + num_w + col_w + look.px(8)
        look.blit_text(surface, self.t("your_path"), (mine_x, y), "small", "accent", bold=True)
        look.blit_text(surface, self.t("best_path"), (best_x, y), "small", "good", bold=True)
        y += look.font_px("small") + look.px(8)
        mine = [t.act for t in self.session.turns]
        best = self.best.acts if self.best else []
        rows = max(len(mine), len(best))
        gap = look.px(8)

        def row_height(i: int) -> int:
            texts = [self.label(seq[i]) for seq in (mine, best) if i < len(seq)]
            return max(look.render(t, "small", "text", col_w).get_height() for t in texts) + gap

        start = 0
        if self.parted is not None:   # keep the parting point in view when the rows do not all fit
            while start < self.parted - 1 and sum(row_height(i) for i in range(start, rows)) > r.bottom - pad - y:
                start += 1
        shown = start
        for i in range(start, rows):
            rh = row_height(i)
            if y + rh > r.bottom - pad:
                break
            row = pygame.Rect(r.x + look.px(4), y - look.px(4), r.width - look.px(8), rh)
            if self.parted is not None and i == self.parted:
                pygame.draw.rect(surface, look.color("warn"), row, max(1, look.px(2)), border_radius=look.px(6))
            look.blit_text(surface, f"{i + 1}.", (x, y), "small", "muted")
            if i < len(mine):
                differs = self.parted is not None and i >= self.parted
                look.blit_text(surface, self.label(mine[i]), (mine_x, y), "small", "warn" if differs else "text",
                               col_w)
            if i < len(best):
                look.blit_text(surface, self.label(best[i]), (best_x, y), "small", "text", col_w)
            y += rh
            shown = i + 1
        if rows > shown:
            look.blit_text(surface, "…", (x, y - look.px(6)), "small", "muted")
