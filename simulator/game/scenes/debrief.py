"""The debrief, built around lessons: the score and ending, three things to do differently (each tied to the choice
that caused it), the rubric 2 score breakdown, your path beside the best path matched by node, and every choice
with its feedback. All in the window's language; the scenario's own words stay as written."""
from __future__ import annotations

import pygame

from simulator.game.lessons import aligned_paths, breakdown_of, lessons
from simulator.game.scenes import Scene
from simulator.game.widgets import KeyBar

ENDING_COLOURS = {"satisfied": "good", "escalated": "accent", "disconnected": "warn", "dissatisfied": "warn",
                  "lost": "bad", None: "muted"}
# One line of a section: (text, role, colour, bold, italic, indent).
Line = tuple[str, str, str, bool, bool, int]
STATUS_COLOURS = {"in_order": "good", "too_early": "warn", "missed": "bad", "open": "bad", "lost": "bad",
                  "not_assessed": "muted", "excused": "muted"}


class DebriefScene(Scene):
    name = "debrief"

    def __init__(self, app, scenario, session, votes=None, from_history: bool = False, typed=None):
        super().__init__(app)
        # what the player typed per turn number (answers in their own words): a TypedTurns or a {n: text} dict
        by_turn = getattr(typed, "by_turn", typed) or {}
        self.typed = {n: (v[0] if isinstance(v, tuple) else v) for n, v in by_turn.items() if v}
        self.scenario = scenario            # as chosen on the select screen (replay starts from it)
        self.session = session
        self.votes = votes
        self.from_history = from_history
        self.card = session.scorecard()
        self.breakdown = breakdown_of(self.card, session.rubric)
        self.rows = aligned_paths(session)
        self.lessons = lessons(session)
        self.scroll = 0
        self.content_h = 0

    def label(self, key: str) -> str:
        return self.session.rubric.label(key, self.app.lang)

    def rule(self, rule: str) -> str:
        return self.session.rubric.rule_text(rule, self.app.lang)

    @property
    def parted(self) -> int | None:
        """The first of the player's choices that broke a rule (the real mistake), 0-based; None without one."""
        for n, turn in enumerate(self.session.turns):
            if turn.violations:
                return n
        return None

    # -- layout ----------------------------------------------------------------------------------------
    def action_keys(self) -> list:
        """The bar at the bottom: every key of this screen, each a button."""
        keys = [] if self.from_history else [("R", self.t("replay"), self.replay),
                                             ("S", self.t("other_scenario"), self.other),
                                             ("T", self.t("to_title"), self.to_title)]
        keys.append(("PgUp/PgDn", self.t("key_scroll_page"), lambda: self.scroll_by(1)))
        return keys

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        self.pad = look.px(24)
        self.top = look.px(18) + look.font("title").get_linesize() + look.font("body").get_linesize() + look.px(20)
        self.actions = KeyBar()
        bar_h = self.actions.place(look, self.action_keys(), pygame.Rect(self.pad, 0, w - 2 * self.pad, 0))
        for b in self.actions.buttons:
            b.rect.y += h - bar_h - look.px(8)
        self.view = pygame.Rect(self.pad, self.top, w - 2 * self.pad, h - self.top - bar_h - look.px(20))
        two = w >= 1100
        gap = look.px(24)
        col_w = (self.view.width - gap - look.px(14)) // 2 if two else self.view.width - look.px(14)
        self.columns = [pygame.Rect(self.view.x, 0, col_w, 0)]
        if two:
            self.columns.append(pygame.Rect(self.view.x + col_w + gap, 0, col_w, 0))
        self.focus.set([])
        self.sections = self.build_sections()

    def build_sections(self) -> list[list[list[Line]]]:
        """Per column, its sections; each section a list of lines (text, role, colour, bold, italic, indent)."""
        card, t = self.card, self.t
        score = [(str(card["score"]) + " / 100", "title", "accent", True, False, 0)]
        ending = card["ending"]
        score.append((t("ending_label", ending=t("ending_" + (ending or "none"))), "body",
                      ENDING_COLOURS.get(ending, "muted"), True, False, 0))
        score.append((t("outcome_not_score"), "small", "muted", False, False, 0))

        lesson_lines = [(t("lessons_title"), "heading", "text", True, False, 0)]
        if not self.lessons:
            lesson_lines.append((t("no_lessons"), "body", "good", False, False, 0))
        for n, lesson in enumerate(self.lessons, 1):
            if lesson.kind == "step_missed":
                head = t("lesson_missed", step=self.label(lesson.subject))
            elif lesson.kind == "step_too_early":
                head = t("lesson_too_early", step=self.label(lesson.subject))
            else:
                head = self.rule(lesson.subject)
                if lesson.times > 1:
                    head += " " + t("lesson_times", n=lesson.times)
            lesson_lines.append((f"{n}. {head}", "body", "bad" if lesson.kind not in ("step_missed", "step_too_early")
                                 else "warn", True, False, 0))
            if lesson.number:
                lesson_lines.append((t("lesson_at_choice", n=lesson.number, said=lesson.said), "small", "text",
                                     False, False, 1))
            if lesson.feedback:
                lesson_lines.append((lesson.feedback, "small", "muted", False, True, 1))
            if lesson.better:
                lesson_lines.append((t("lesson_better", better=lesson.better), "small", "good", False, False, 1))

        bd = self.breakdown
        parts = [(t("breakdown_title"), "heading", "text", True, False, 0)]
        for s in bd["steps"]:
            status = s["status"] if s.get("assessed", True) or s["status"] == "not_assessed" else "excused"
            words = t("status_" + status)
            reason = s.get("reason_key") or (s.get("reason") if s.get("reason") in ("handed_over",) else None)
            if not s.get("assessed", True) and reason and reason != "not_assessed":
                words += " — " + t("reason_" + str(reason), default=str(s.get("reason") or reason))
            parts.append((t("breakdown_step", step=self.label(s["step"]), earned=s["earned"], weight=s["weight"],
                            status=words), "small", STATUS_COLOURS.get(status, "text"), False, False, 0))
        for p in bd["penalties"]:
            fatal = " — " + t("fatal") if p.get("fatal") else ""
            parts.append((t("breakdown_penalty", rule=self.rule(p["rule"]), points=p["points"]) + fatal, "small",
                          "bad", bool(p.get("fatal")), False, 0))
        parts.append((t("breakdown_total", earned=bd.get("earned"), penalty=bd.get("penalty"),
                        possible=bd.get("possible"), score=bd.get("score")), "small", "text", True, False, 0))
        if bd.get("fatal"):
            cap = bd.get("cap") if bd.get("cap") is not None else getattr(self.session.rubric, "fatal_cap", "")
            parts.append((t("breakdown_cap", rule=self.rule(bd["fatal"]), cap=cap), "small", "bad", True, False, 0))
        if bd.get("pass_mark") is not None:
            parts.append((t("breakdown_pass" if bd.get("passed") else "breakdown_fail", mark=bd["pass_mark"]), "small",
                          "good" if bd.get("passed") else "bad", True, False, 0))

        paths = [(t("paths_title"), "heading", "text", True, False, 0)]
        if self.parted is None and all(r.same for r in self.rows):
            paths.append((t("same_as_best"), "small", "good", False, False, 0))
        elif self.parted is not None:
            paths.append((t("mistake_at", n=self.parted + 1), "small", "bad", False, False, 0))
        for row in self.rows:
            if row.mine is not None and row.best is not None and row.same:
                paths.append((f"{row.number}. ✓ {row.mine.text}", "small", "good", False, False, 0))
                typed = self.typed.get((row.number or 0) - 1)
                if typed:
                    paths.append((t("free_typed", text=typed), "small", "muted", False, True, 1))
                continue
            if row.mine is not None:
                colour = "bad" if row.mistake else "text"
                mark = "✗" if row.mistake else "·"
                paths.append((f"{row.number}. {mark} {t('you')}: {row.mine.text}", "small", colour, row.mistake,
                              False, 0))
                typed = self.typed.get((row.number or 0) - 1)
                if typed:
                    paths.append((t("free_typed", text=typed), "small", "muted", False, True, 1))
                if row.mine.violations:
                    paths.append((", ".join(dict.fromkeys(self.rule(r) for r in row.mine.violations)), "small", "bad",
                                  False, True, 1))
            if row.best is not None:
                paths.append((f"{t('best_short')}: {row.best.text}", "small", "good", False, False, 1))

        choices = [(t("choices_title"), "heading", "text", True, False, 0)]
        for n, turn in enumerate(self.session.turns, 1):
            choices.append((f"{n}. {self.label(turn.act)}: {turn.text}", "small", "text", False, False, 0))
            if self.typed.get(n - 1):   # the answer in the player's own words, next to the choice it counted as
                choices.append((t("free_typed", text=self.typed[n - 1]), "small", "accent", False, True, 1))
            if turn.feedback:
                choices.append((turn.feedback, "small", "muted", False, True, 1))
        if len(self.columns) == 2:
            return [[score, lesson_lines, parts], [paths, choices]]
        return [[score, lesson_lines, parts, paths, choices]]

    def t(self, key: str, default: str | None = None, **fmt) -> str:
        text = self.app.t(key, **fmt)
        return default if default is not None and text == "game_" + key else text

    # -- actions ---------------------------------------------------------------------------------------
    def replay(self) -> None:
        self.app.replace_with_conversation(self.scenario)

    def other(self) -> None:
        self.app.pop_to("select")

    def to_title(self) -> None:
        self.app.pop_to("title")

    def scroll_by(self, pages: float) -> None:
        self.scroll += round(self.view.height * 0.8 * pages)
        self.app.dirty = True

    def back(self) -> None:
        if self.from_history:
            self.app.pop()
        else:
            self.other()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_r and not self.from_history:
                self.replay()
            elif event.key == pygame.K_s and not self.from_history:
                self.other()
            elif event.key == pygame.K_t and not self.from_history:
                self.to_title()
            elif event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_UP, pygame.K_DOWN):
                step = self.view.height * 0.8 if event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN) else \
                    self.look.px(40)
                self.scroll += round(step) * (-1 if event.key in (pygame.K_PAGEUP, pygame.K_UP) else 1)
            # Space and Enter do nothing here: they used to start a new game and wipe the debrief
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * self.look.px(50)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.actions.handle(event)

    # -- drawing ---------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        look = self.look
        self.draw_header(surface, self.t("debrief"), self.session.scenario.title)
        clip = surface.get_clip()
        surface.set_clip(self.view)
        self.scroll = max(0, min(self.scroll, max(0, self.content_h - self.view.height)))
        tallest = 0
        for column, sections in zip(self.columns, self.sections):
            y = self.view.y - self.scroll
            for section in sections:
                for text, role, colour, bold, italic, indent in section:
                    x = column.x + indent * look.px(18)
                    width = column.width - indent * look.px(18)
                    y += look.blit_text(surface, text, (x, y), role, colour, width, bold=bold, italic=italic,
                                        on="background") + look.px(3)
                y += look.px(16)
            tallest = max(tallest, y + self.scroll - self.view.y)
        surface.set_clip(clip)
        self.content_h = tallest
        pygame.draw.line(surface, look.color("panel_edge"), (0, self.view.bottom + look.px(6)),
                         (self.app.size[0], self.view.bottom + look.px(6)), 1)
        self.actions.draw(surface, look)
        if self.content_h > self.view.height:
            bar = pygame.Rect(self.view.right - look.px(6), self.view.y, look.px(6), self.view.height)
            pygame.draw.rect(surface, look.color("meter_back"), bar, border_radius=look.px(3))
            knob_h = max(look.px(30), bar.height * self.view.height // self.content_h)
            knob_y = bar.y + (bar.height - knob_h) * self.scroll // max(1, self.content_h - self.view.height)
            pygame.draw.rect(surface, look.color("muted"), (bar.x, knob_y, bar.width, knob_h),
                             border_radius=look.px(3))
