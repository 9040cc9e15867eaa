"""The conversation: the customer's face and line, the agent's choices, mood meters, the six-step track, coach
feedback, undo and a scrollable transcript. Drives only the Session API."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pygame
import pygame_gui

from simulator.engine.session import Session
from simulator.game.face import draw_face
from simulator.game.look import escape
from simulator.game.scenes import Scene
from simulator.game.widgets import Button
from simulator.game.text_render import text_size
from simulator.scenario.model import STEPS

MOOD_SPEED = 70.0          # meter units per second while the face and meters catch up with the mood
FEEDBACK_MIN_S = 3.0       # coach feedback stays at least this long (or until a key), then the talk goes on
FEEDBACK_PER_CHAR_S = 0.045
FEEDBACK_MAX_S = 9.0
TOAST_S = 4.0              # "scenario reloaded" stays this long
RELOAD_SHOWN = 8           # a broken file: this many diagnostics listed, then how many more


def shown_path(path: str) -> str:
    """A file's path for the author: relative to the current folder when the file lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return path


class ConversationScene(Scene):
    name = "conversation"

    def __init__(self, app, scenario):
        super().__init__(app)
        self.scenario = scenario
        self.session = Session(app.scenario_for_play(scenario))
        self.started_at = datetime.now(timezone.utc)
        self.coach = app.mode == "coach"
        anger, trust = self.session.mood
        self.shown_anger, self.shown_trust = float(anger), float(trust)
        self.shake = 0.0
        self.track_flash = 0.0
        self.step_pulse: dict[str, float] = {}
        self.feedback: tuple[str, list[str], str | None] | None = None
        self.feedback_left = 0.0
        self.feedback_total = 1.0
        self.saved = False
        self.transcript = None
        self._transcript_key = None
        self.choice_area = pygame.Rect(0, 0, 0, 0)
        self.choice_overflow = 0
        self.choice_scroll = 0
        # F5 found a broken file: (is_error, where, message) per diagnostic, shown over the screen until a key
        self.reload_problems: list[tuple[bool, str, str]] | None = None
        self.reload_file = ""
        self.problems_shown = (0, 0)
        self.toast = ""
        self.toast_left = 0.0
        self.start_line()

    # -- the customer's line ---------------------------------------------------------------------------
    def start_line(self) -> None:
        self.line_node = self.session.state.node
        self.line = self.session.line
        self.narration = self.session.node.narration or ""
        cps = self.app.settings.chars_per_second()
        self.shown_chars = float(len(self.line)) if cps == 0 else 0.0

    @property
    def typing(self) -> bool:
        return self.shown_chars < len(self.line)

    def finish_line(self) -> None:
        self.shown_chars = float(len(self.line))
        self.refresh()

    @property
    def state(self) -> str:
        if self.feedback is not None:
            return "feedback"
        if self.typing:
            return "typing"
        if self.session.finished:
            return "ended"
        return "choosing"

    # -- layout ----------------------------------------------------------------------------------------
    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        pad = look.px(24)
        self.pad = pad
        self.top_bar = pygame.Rect(0, 0, w, look.px(30) + look.font_px("heading") + 2 * look.font_px("small"))
        self.hint_h = look.font_px("small") + look.px(16)
        body_top = self.top_bar.bottom + look.px(10)
        body_h = h - body_top - self.hint_h
        left_w = round(w * 0.21)
        right_w = round(w * 0.25)
        self.left = pygame.Rect(pad, body_top, left_w, body_h)
        self.right = pygame.Rect(w - pad - right_w, body_top, right_w, body_h)
        self.center = pygame.Rect(self.left.right + pad, body_top, self.right.left - self.left.right - 2 * pad, body_h)
        face_side = min(left_w, round(body_h * 0.55))
        self.face_rect = pygame.Rect(self.left.x + (left_w - face_side) // 2, body_top, face_side, face_side)
        self.transcript = pygame_gui.elements.UITextBox("", self.right, manager=look.manager)
        self.ui = [self.transcript]
        self._transcript_key = None
        self.undo_rect = pygame.Rect(0, 0, 0, 0)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild choices (and the end button) and the transcript after anything changed."""
        self.build_buttons()
        self.update_transcript()
        self.app.dirty = True

    def bubble_rect(self, line_role: str | None = None) -> pygame.Rect:
        look = self.look
        line_role = line_role or self.roles()[0]
        width = self.center.width - 2 * look.px(18)
        h = look.px(20)
        if self.narration:
            h += look.render(self.narration, "body", "narration", width, italic=True).get_height() + look.px(8)
        if self.line or not self.narration:   # a node with only a stage direction shows just that
            h += look.font_px("small") + look.px(6)
            h += len(look.wrap(self.line or " ", line_role, width)) * look.font(line_role).get_linesize()
        return pygame.Rect(self.center.x, self.center.y, self.center.width, h + look.px(20))

    def roles(self) -> tuple[str, str, int]:
        """Font roles for the customer's line and the choices, and the gap between choices: the largest that let
        the line and every choice fit the column (a long line with six long choices gets smaller type)."""
        look = self.look
        key = (self.line_node, self.line, look.size, look.font_px("body"))
        if getattr(self, "_roles_key", None) == key:
            return self._roles
        choices = self.session.choices() if self.line_node == self.session.state.node else []
        text_w = self.center.width - 2 * look.px(12) - look.px(40)
        result = None
        for line_role, choice_role, gap in (("heading", "body", 10), ("heading", "small", 8), ("body", "small", 6),
                                            ("small", "small", 4)):
            top = self.bubble_rect(line_role).bottom + look.px(16)
            need = sum(look.render(c.text, choice_role, "text", text_w).get_height() + 2 * look.px(12)
                       for c in choices) + look.px(gap) * max(0, len(choices) - 1)
            result = (line_role, choice_role, look.px(gap))
            if top + need <= self.center.bottom:
                break
        self._roles_key, self._roles = key, result
        return result

    def build_buttons(self) -> None:
        look = self.look
        buttons: list[Button] = []
        top = self.bubble_rect().bottom + look.px(16)
        if self.state == "choosing":
            choices = self.session.choices()
            _, role, gap = self.roles()
            width = self.center.width
            text_w = width - 2 * look.px(12) - look.px(40)
            y = top
            for i, c in enumerate(choices):
                bh = look.render(c.text, role, "text", text_w).get_height() + 2 * look.px(12)
                b = Button(pygame.Rect(self.center.x, y, width, bh), c.text, lambda i=i: self.choose(i),
                           hint=str(i + 1), kind="choice", role=role)
                b.extra["base"] = b.rect.copy()
                buttons.append(b)
                y += bh + gap
        elif self.state == "ended":
            bh = look.font_px("body") + look.px(26)
            buttons.append(Button(pygame.Rect(self.center.x, top + look.px(8), self.center.width, bh),
                                  self.t("to_debrief"), self.to_debrief, hint="Enter", kind="primary"))
        keep = len(buttons) == len(self.focus.buttons)
        self.focus.set(buttons, keep=keep)
        # with the largest text and six long choices they may not all fit: the list then scrolls
        self.choice_area = pygame.Rect(self.center.x, top - look.px(4), self.center.width,
                                       self.center.bottom - top + look.px(4))
        self.choice_overflow = max(0, (buttons[-1].rect.bottom - self.choice_area.bottom) if buttons else 0)
        if not keep:
            self.choice_scroll = 0
        self.place_choices()

    def place_choices(self) -> None:
        self.choice_scroll = max(0, min(getattr(self, "choice_scroll", 0), self.choice_overflow))
        for b in self.focus.buttons:
            if "base" in b.extra:
                b.rect = b.extra["base"].move(0, -self.choice_scroll)

    def reveal_focused_choice(self) -> None:
        b = self.focus.focused
        if b is None or "base" not in b.extra or not self.choice_overflow:
            return
        base, area = b.extra["base"], self.choice_area
        if base.bottom - self.choice_scroll > area.bottom:
            self.choice_scroll = base.bottom - area.bottom
        if base.top - self.choice_scroll < area.top:
            self.choice_scroll = base.top - area.top
        self.place_choices()

    def update_transcript(self) -> None:
        if self.transcript is None:
            return
        current = not self.typing and self.line_node == self.session.state.node
        key = (len(self.session.turns), self.session.state.node, current)
        if key == self._transcript_key:
            return
        self._transcript_key = key
        name = escape(self.session.scenario.customer.name)
        you = escape(self.t("you"))
        p = self.look.palette
        muted = "#%02x%02x%02x" % tuple(p["muted"])[:3]
        accent = "#%02x%02x%02x" % tuple(p["accent"])[:3]
        parts = [f"<b>{escape(self.t('transcript'))}</b>"]
        nodes = self.session.scenario.nodes

        def customer(node_id):
            node = nodes[node_id]
            out = ""
            if node.narration:
                out += f"<i><font color='{muted}'>{escape(node.narration)}</font></i><br>"
            if node.say:
                out += f"<font color='{accent}'><b>{name}:</b></font> {escape(node.say)}"
            return out

        for turn in self.session.turns:
            parts.append(customer(turn.node))
            line = f"<b>{you}:</b> {escape(turn.text)}"
            if self.coach and turn.feedback:
                line += f"<br><i><font color='{muted}'>{escape(turn.feedback)}</font></i>"
            parts.append(line)
        if current:
            parts.append(customer(self.session.state.node))
        self.transcript.set_text("<br><br>".join(p for p in parts if p))
        bar = getattr(self.transcript, "scroll_bar", None)
        if bar is not None:
            bar.set_scroll_from_start_percentage(1.0)

    # -- actions ---------------------------------------------------------------------------------------
    def choose(self, i: int) -> None:
        if self.state != "choosing":
            return
        anger_before = self.session.mood[0]
        turn = self.session.choose(i)
        if turn.anger > anger_before:
            self.shake = 1.0
        if turn.step_event == "fell_back":
            self.track_flash = 1.0
        elif turn.step_event in ("in_order", "too_early"):
            step = self.session.scenario.nodes[turn.node].choices[turn.index].step
            if step:
                self.step_pulse[step] = 1.0
        if self.coach and (turn.feedback or turn.violations):
            rules = [self.session.rubric.rule_text(r, self.app.lang) for r in turn.violations]
            self.feedback = (turn.feedback or "", rules, turn.step_event)
            text_len = len(turn.feedback or "") + sum(len(r) for r in rules)
            self.feedback_left = min(FEEDBACK_MAX_S, max(FEEDBACK_MIN_S, text_len * FEEDBACK_PER_CHAR_S))
            self.feedback_total = self.feedback_left
        else:
            self.start_line()
        if self.session.finished:
            self.save("finished")
        self.refresh()

    def dismiss_feedback(self) -> None:
        # the customer's next line waits until the player has read the coach's feedback
        self.feedback = None
        self.start_line()
        self.refresh()

    def undo(self) -> None:
        if not self.coach or not self.session.turns:
            return
        self.feedback = None
        self.session.undo()
        self.saved = False
        self.start_line()
        self.finish_line()

    def save(self, status: str) -> None:
        if not self.saved:
            self.saved = self.app.save_result(self.session, self.started_at, status)

    def to_debrief(self) -> None:
        from simulator.game.scenes.debrief import DebriefScene

        self.app.replace(DebriefScene(self.app, self.scenario, self.session))

    def reload(self) -> None:
        """F5, for an author previewing while writing: read the file again and replay the path so far where it
        still exists. A broken file changes nothing in play; its diagnostics are listed over the screen."""
        from simulator.scenario.loader import load_file

        result = load_file(self.scenario.path)
        if not result.ok:
            found = sorted(result.diagnostics, key=lambda d: not d.is_error)   # errors first, each in file order
            # the whole path once over the list, each problem as FILE:LINE:COLUMN: message [code]
            self.reload_file = shown_path(str(self.scenario.path))
            self.reload_problems = [(d.is_error, f"{Path(d.pos.path).name}:{d.pos.line}:{d.pos.column}:",
                                     f"{d.message} [{d.code}]") for d in found]
            self.toast_left = 0.0
            self.app.dirty = True
            return
        self.reload_problems = None
        scenario, old = result.scenario, self.session.turns
        self.session = Session.replay_turns(self.app.scenario_for_play(scenario), old, self.session.rubric)
        self.scenario = scenario
        self.app.scenario_changed()
        self.feedback = None
        self.saved = self.session.finished   # a replayed ending is not a new result
        self.step_pulse.clear()
        self.track_flash = 0.0
        self._transcript_key = None
        self.start_line()
        self.finish_line()
        kept, total = len(self.session.turns), len(old)
        parts = [self.t("reloaded", kept=kept, total=total) if total else self.t("reloaded_start")]
        start = self.app.start_node
        if start and start not in scenario.nodes:
            parts.append(self.t("reload_start_gone", node=start))
        warnings = sum(1 for d in result.diagnostics if not d.is_error)
        if warnings:
            parts.append(self.t("reload_warnings", n=warnings))
        self.toast = " · ".join(parts)
        self.toast_left = TOAST_S

    def close_problems(self) -> None:
        self.reload_problems = None
        self.app.dirty = True

    def back(self) -> None:
        if self.reload_problems is not None:   # Esc closes the list of problems first
            self.close_problems()
            return
        if self.session.turns and not self.session.finished:
            self.save("abandoned")
        self.app.pop()

    # -- events ----------------------------------------------------------------------------------------
    def skip_ahead(self, state: str) -> bool:
        """Any key or click while the line types shows it at once, and while feedback shows goes on."""
        if state == "typing":
            self.finish_line()
        elif state == "feedback":
            self.dismiss_feedback()
        else:
            return False
        return True

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F5:
            self.reload()
            return
        if self.reload_problems is not None:   # the list covers the screen: a key or click closes it
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.close_problems()
            return
        state = self.state
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
                self.scroll_transcript(-1 if event.key == pygame.K_PAGEUP else 1)
                return
            if self.coach and event.key in (pygame.K_u, pygame.K_BACKSPACE) and state != "typing":
                self.undo()
                return
            if self.skip_ahead(state):
                return
            number = _choice_number(event.key)
            if state == "choosing" and number is not None:
                if number < len(self.focus.buttons):
                    self.focus.index = number
                    self.choose(number)
                return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.coach and self.undo_rect.collidepoint(event.pos) and self.session.turns:
                self.undo()
                return
            if self.right.collidepoint(event.pos):
                return
            if self.skip_ahead(state):
                return
        if event.type == pygame.MOUSEWHEEL and self.choice_overflow and \
                self.choice_area.collidepoint(pygame.mouse.get_pos()):
            self.choice_scroll -= event.y * self.look.px(40)
            self.place_choices()
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN) and self.choice_overflow and \
                not self.choice_area.collidepoint(event.pos):
            return   # a choice scrolled out of sight cannot be hovered or clicked
        if self.focus.handle(event) and event.type == pygame.KEYDOWN:
            self.reveal_focused_choice()

    def scroll_transcript(self, direction: int) -> None:
        bar = getattr(self.transcript, "scroll_bar", None)
        if bar is not None:
            bar.set_scroll_from_start_percentage(bar.start_percentage + direction * bar.visible_percentage * 0.8)

    def update(self, dt: float) -> bool:
        if self.reload_problems is not None:
            return False   # play waits while the author reads what is wrong with the file
        moving = False
        if self.toast_left > 0:
            self.toast_left = max(0.0, self.toast_left - dt)
            moving = True
        if self.typing and self.feedback is None:
            self.shown_chars = min(len(self.line), self.shown_chars + dt * self.app.settings.chars_per_second())
            moving = True
            if not self.typing:
                self.refresh()
        anger, trust = self.session.mood
        for attr, target in (("shown_anger", anger), ("shown_trust", trust)):
            value = getattr(self, attr)
            if abs(value - target) > 0.01:
                step = MOOD_SPEED * dt
                value = target if abs(target - value) <= step else value + step * (1 if target > value else -1)
                setattr(self, attr, value)
                moving = True
        for attr in ("shake", "track_flash"):
            value = getattr(self, attr)
            if value > 0:
                setattr(self, attr, max(0.0, value - dt * (1.6 if attr == "shake" else 0.8)))
                moving = True
        for step in list(self.step_pulse):
            self.step_pulse[step] -= dt * 1.2
            if self.step_pulse[step] <= 0:
                del self.step_pulse[step]
            moving = True
        if self.feedback is not None:
            self.feedback_left -= dt
            if self.feedback_left <= 0:
                self.dismiss_feedback()
            moving = True
        return moving

    # -- drawing ---------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        look = self.look
        self.draw_top(surface)
        self.draw_customer(surface)
        self.draw_bubble(surface)
        if self.state == "feedback":
            self.draw_feedback(surface)
        elif self.choice_overflow:
            clip = surface.get_clip()
            surface.set_clip(self.choice_area)
            self.focus.draw(surface, look)
            surface.set_clip(clip)
            self.draw_scroll_marks(surface)
        else:
            self.focus.draw(surface, look)
        if self.state == "ended" and self.focus.buttons:
            ending = self.t("ending_" + (self.session.ending or "none"))
            look.blit_text(surface, self.t("conversation_over", ending=ending),
                           (self.center.centerx, self.focus.buttons[0].rect.bottom + look.px(14)), "body", "muted",
                           self.center.width, align="center")
        w, h = self.app.size
        keys = self.t("keys_coach" if self.coach else "keys_exam")
        look.blit_text(surface, keys, (w // 2, h - self.hint_h + look.px(6)), "small", "muted", align="center")

    def draw_scroll_marks(self, surface: pygame.Surface) -> None:
        look, area = self.look, self.choice_area
        for show, y, mark in ((self.choice_scroll > 0, area.top, "▲"),
                              (self.choice_scroll < self.choice_overflow, area.bottom - look.font_px("body") - 6, "▼")):
            if show:
                m = look.render(mark + " " + self.t("more_choices"), "small", "bubble_text", bold=True)
                r = m.get_rect(midtop=(area.centerx, y)).inflate(look.px(14), look.px(4))
                pygame.draw.rect(surface, look.color("accent"), r, border_radius=look.px(8))
                surface.blit(m, m.get_rect(center=r.center))

    def draw_top(self, surface: pygame.Surface) -> None:
        look, (w, _) = self.look, self.app.size
        pygame.draw.rect(surface, look.color("panel"), self.top_bar)
        pygame.draw.line(surface, look.color("panel_edge"), self.top_bar.bottomleft, self.top_bar.bottomright,
                         max(1, look.px(1)))
        pad = self.pad
        title_w = round(w * 0.36)
        look.blit_text(surface, look.fit(self.session.scenario.title, "heading", title_w, bold=True),
                       (pad, look.px(12)), "heading", "text", bold=True)
        mode = self.t("mode_" + ("coach" if self.coach else "exam"))
        y = look.px(16) + look.font_px("heading")
        line = self.t("mode_line", mode=mode, player=self.app.player or "?")
        mw = look.blit_text(surface, line, (pad, y), "small", "muted")
        del mw
        if self.coach:
            label = self.t("undo_button")
            surf = look.render(label, "small", "text" if self.session.turns else "muted", bold=True)
            r = surf.get_rect(topleft=(pad, y + look.font_px("small") + look.px(6))).inflate(look.px(14), look.px(6))
            r.topleft = (pad, y + look.font_px("small") + look.px(4))
            pygame.draw.rect(surface, look.color("button"), r, border_radius=look.px(6))
            pygame.draw.rect(surface, look.color("panel_edge"), r, 1, border_radius=look.px(6))
            surface.blit(surf, surf.get_rect(center=r.center))
            self.undo_rect = r
        self.draw_track(surface, pygame.Rect(round(w * 0.40), look.px(8), round(w * 0.60) - pad,
                                             self.top_bar.height - look.px(16)))

    def draw_track(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        look = self.look
        steps = self.session.steps
        assessed = [s for s in STEPS if steps[s]["assessed"]]
        lit = set(assessed[:self.session.phase])
        slot = area.width / len(STEPS)
        radius = max(8, look.px(14))
        cy = area.y + radius + look.px(4)
        centers = [(round(area.x + slot * (i + 0.5)), cy) for i in range(len(STEPS))]
        for i in range(len(STEPS) - 1):
            a, b = centers[i], centers[i + 1]
            colour = look.color("good") if STEPS[i] in lit and STEPS[i + 1] in lit else look.color("track_off")
            pygame.draw.line(surface, colour, (a[0] + radius, a[1]), (b[0] - radius, b[1]), max(2, look.px(4)))
        for i, (step, c) in enumerate(zip(STEPS, centers)):
            info = steps[step]
            pulse = self.step_pulse.get(step, 0.0)
            if not info["assessed"]:
                pygame.draw.circle(surface, look.color("track_off"), c, radius, max(1, look.px(2)))
                num_colour = "muted"
            elif step in lit:
                if pulse:
                    pygame.draw.circle(surface, look.color("good"), c, round(radius * (1 + 0.6 * pulse)),
                                       max(1, look.px(2)))
                pygame.draw.circle(surface, look.color("good"), c, radius)
                num_colour = "bubble_text"
            elif info["done"] and not info["in_order"]:
                pygame.draw.circle(surface, look.color("warn"), c, radius)
                num_colour = "bubble_text"
            elif info["done"]:   # earned before, lost by falling back: must be earned again
                pygame.draw.circle(surface, look.color("track_off"), c, radius)
                pygame.draw.circle(surface, look.color("good"), c, radius, max(2, look.px(3)))
                num_colour = "text"
            else:
                pygame.draw.circle(surface, look.color("track_off"), c, radius)
                num_colour = "text"
            num = look.render(str(i + 1), "small", num_colour, bold=True)
            surface.blit(num, num.get_rect(center=c))
            label = self.t("step_short_" + step)
            look.blit_text(surface, look.fit(label, "small", round(slot) - look.px(4)),
                           (c[0], cy + radius + look.px(4)), "small", "text" if info["assessed"] else "muted",
                           align="center")
        if self.track_flash > 0:
            a = min(1.0, self.track_flash * 1.5)
            overlay = pygame.Surface(area.size, pygame.SRCALPHA)
            colour = pygame.Color(look.color("bad"))
            colour.a = round(90 * a)
            overlay.fill(colour)
            surface.blit(overlay, area.topleft)
            msg = look.render(self.t("fell_back"), "body", "text", bold=True)
            back = msg.get_rect(center=area.center).inflate(look.px(20), look.px(8))
            pygame.draw.rect(surface, look.color("bad"), back, border_radius=look.px(6))
            surface.blit(msg, msg.get_rect(center=back.center))

    def draw_customer(self, surface: pygame.Surface) -> None:
        look = self.look
        draw_face(surface, self.face_rect, look, self.shown_anger, self.shown_trust, self.shake,
                  self.session.scenario.customer.name)
        y = self.face_rect.bottom + look.px(8)
        name = self.session.scenario.customer.name
        y += look.blit_text(surface, name, (self.left.centerx, y), "heading", "text", self.left.width, bold=True,
                            align="center")
        mood = self.t("expression_" + self.session.expression)
        y += look.blit_text(surface, mood, (self.left.centerx, y + look.px(2)), "small", "muted",
                            align="center") + look.px(14)
        for key, value, colour in (("anger", self.shown_anger, "anger"), ("trust", self.shown_trust, "trust")):
            label = self.t("meter_" + key)
            look.blit_text(surface, label, (self.left.x, y), "small", "text", bold=True)
            look.blit_text(surface, str(round(value)), (self.left.right, y), "small", "text", bold=True,
                           align="right")
            y += look.font_px("small") + look.px(6)
            bar = pygame.Rect(self.left.x, y, self.left.width, look.px(14))
            pygame.draw.rect(surface, look.color("meter_back"), bar, border_radius=look.px(7))
            fill = bar.copy()
            fill.width = round(bar.width * max(0.0, min(100.0, value)) / 100)
            if fill.width:
                pygame.draw.rect(surface, look.color(colour), fill, border_radius=look.px(7))
            pygame.draw.rect(surface, look.color("panel_edge"), bar, 1, border_radius=look.px(7))
            y += bar.height + look.px(14)

    def draw_bubble(self, surface: pygame.Surface) -> None:
        look = self.look
        r = self.bubble_rect()
        inner_x = r.x + look.px(18)
        width = r.width - 2 * look.px(18)
        y = r.y + look.px(14)
        pygame.draw.rect(surface, look.color("bubble"), r, border_radius=look.px(14))
        # the speech bubble's tail points at the face
        tail = [(r.x, r.y + look.px(34)), (r.x - look.px(16), r.y + look.px(44)), (r.x, r.y + look.px(54))]
        pygame.draw.polygon(surface, look.color("bubble"), tail)
        if self.narration:
            y += look.blit_text(surface, self.narration, (inner_x, y), "body", "narration" if not
                                look.high_contrast else "bubble_text", width, italic=True) + look.px(8)
            if not look.high_contrast:
                pass
        if self.line or not self.narration:
            who = self.session.scenario.customer.name + ":"
            y += look.blit_text(surface, who, (inner_x, y), "small", "bubble_text", bold=True) + look.px(6)
        # the line is broken where the whole line breaks, then typed out: words never jump to the next line
        role = self.roles()[0]
        left = int(self.shown_chars)
        line_h = look.font(role).get_linesize()
        for part in look.wrap(self.line, role, width):
            if left <= 0:
                break
            visible = part[:left].rstrip()
            if visible:
                surface.blit(look.render(visible, role, "bubble_text"), (inner_x, y))
            left -= len(part)
            y += line_h
        if self.state == "typing":
            hint = self.t("any_key")
            look.blit_text(surface, hint, (r.right - look.px(12), r.bottom - look.font_px("small") - look.px(8)),
                           "small", "bubble_text", align="right")

    def draw_feedback(self, surface: pygame.Surface) -> None:
        look = self.look
        text, rules, event = self.feedback
        top = self.bubble_rect().bottom + look.px(16)
        r = pygame.Rect(self.center.x, top, self.center.width, self.center.bottom - top)
        width = r.width - 2 * look.px(18)
        bad = bool(rules)
        parts = []
        y = r.y + look.px(14)
        title = self.t("coach_feedback")
        parts.append((title, "heading", "warn" if bad else "good", True))
        if text:
            parts.append((text, "body", "text", False))
        for rule in rules:
            parts.append(("• " + rule, "body", "bad", False))
        needed = sum(look.render(s, role, c, width, bold=b).get_height() + look.px(10) for s, role, c, b in parts)
        r.height = min(r.height, needed + look.px(60))
        look.panel(surface, r, "panel", "warn" if bad else "good", width=2)
        for s, role, colour, bold in parts:
            y += look.blit_text(surface, s, (r.x + look.px(18), y), role, colour, width, bold=bold,
                                max_height=max(0, r.bottom - y - look.px(30))) + look.px(10)
        bar = pygame.Rect(r.x + look.px(18), r.bottom - look.px(20), width, look.px(6))
        pygame.draw.rect(surface, look.color("meter_back"), bar, border_radius=look.px(3))
        bar.width = round(bar.width * max(0.0, self.feedback_left) / max(0.1, self.feedback_total))
        pygame.draw.rect(surface, look.color("muted"), bar, border_radius=look.px(3))
        look.blit_text(surface, self.t("feedback_continue"), (r.right - look.px(18), r.bottom - look.px(44)),
                       "small", "muted", align="right")

    def draw_over(self, surface: pygame.Surface) -> None:
        """Over everything, the transcript too: the list of a broken file's problems, or the reload toast."""
        if self.reload_problems is not None:
            self.draw_problems(surface)
        elif self.toast_left > 0 and self.toast:
            self.draw_toast(surface)

    def draw_toast(self, surface: pygame.Surface) -> None:
        look, (w, h) = self.look, self.app.size
        text = look.fit(self.toast, "body", w - look.px(120), bold=True)
        msg = look.render(text, "body", "text", bold=True)
        # low in the middle column, for a few seconds: the line and the choices stay readable
        r = msg.get_rect(midbottom=(self.center.centerx, h - self.hint_h - look.px(18))).inflate(look.px(36),
                                                                                              look.px(18))
        r.x = max(look.px(8), min(r.x, w - r.width - look.px(8)))
        box = pygame.Surface(r.size, pygame.SRCALPHA)
        look.panel(box, box.get_rect(), "panel", "good", width=2)
        box.blit(msg, msg.get_rect(center=box.get_rect().center))
        box.set_alpha(round(255 * min(1.0, self.toast_left / 0.5)))   # fades out in its last half second
        surface.blit(box, r)

    def problem_lines(self, where: str, message: str, width: int, max_lines: int = 3) -> list[str]:
        """The message broken into lines, the first one after the bold FILE:LINE:COLUMN, at most `max_lines`."""
        look = self.look
        font = look.font("small")
        first = width - text_size(look.font("small", bold=True), where + " ")[0]
        lines, current, limit = [], "", first
        for word in message.split():
            candidate = f"{current} {word}" if current else word
            if current and text_size(font, candidate)[0] > limit:
                lines.append(current)
                current, limit = word, width
            else:
                current = candidate
        lines.append(current)
        if len(lines) > max_lines:   # cut the message, but keep its [code] at the end
            code = message.rsplit(" ", 1)[-1] if message.endswith("]") else ""
            tail = " … " + code if code else " …"
            last, limit = lines[max_lines - 1], (width if max_lines > 1 else first)
            while last and text_size(font, last + tail)[0] > limit:
                last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
            lines = lines[:max_lines - 1] + [last.rstrip(" ,;:") + tail]
        return lines

    def draw_problems(self, surface: pygame.Surface) -> None:
        look, (w, h) = self.look, self.app.size
        shade = pygame.Surface((w, h), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 170))
        surface.blit(shade, (0, 0))
        pad, gap, item_gap = look.px(24), look.px(14), look.px(8)
        width = min(w - 2 * look.px(40), look.px(1060))
        inner = width - 2 * pad
        title, hint = self.t("reload_broken"), self.t("reload_hint")
        title_h = look.render(title, "heading", "bad", inner, bold=True).get_height()
        file_h = look.render(self.reload_file, "small", "muted", inner).get_height()
        hint_h = look.render(hint, "small", "muted", inner).get_height()
        line_h = look.font("small").get_linesize()
        more_h = line_h + look.px(6)
        room = h - 2 * look.px(20) - 2 * pad - title_h - file_h - hint_h - 2 * gap - look.px(4)
        problems = self.reload_problems or []
        items, used = [], 0
        for is_error, where, message in problems[:RELOAD_SHOWN]:
            lines = self.problem_lines(where, message, inner)
            item_h = len(lines) * line_h + item_gap
            if used + item_h + (more_h if len(problems) > len(items) + 1 else 0) > room:
                break
            items.append((is_error, where, lines))
            used += item_h
        rest = len(problems) - len(items)
        self.problems_shown = (len(items), rest)
        r = pygame.Rect(0, 0, width, pad + title_h + look.px(4) + file_h + gap + used + (more_h if rest else 0)
                        + gap + hint_h + pad)
        r.center = (w // 2, h // 2)
        look.panel(surface, r, "panel", "bad", width=2)
        x, y = r.x + pad, r.y + pad
        y += look.blit_text(surface, title, (x, y), "heading", "bad", inner, bold=True) + look.px(4)
        y += look.blit_text(surface, self.reload_file, (x, y), "small", "muted", inner) + gap
        clip = surface.get_clip()
        surface.set_clip(r.inflate(-2 * pad, 0))
        for is_error, where, lines in items:
            look.blit_text(surface, where, (x, y), "small", "bad" if is_error else "warn", bold=True)
            indent = look.render(where + " ", "small", "text", bold=True).get_width()
            for n, line in enumerate(lines):
                look.blit_text(surface, line, (x + (indent if n == 0 else 0), y), "small", "text")
                y += line_h
            y += item_gap
        surface.set_clip(clip)
        if rest:
            y += look.blit_text(surface, self.t("reload_more", n=rest), (x, y), "small", "muted") + look.px(6)
        look.blit_text(surface, hint, (x, y + gap), "small", "muted", inner)


def _choice_number(key: int) -> int | None:
    """0-based choice for the keys 1-6, on the top row or the number pad; None for other keys."""
    for first in (pygame.K_1, pygame.K_KP1):
        if first <= key <= first + 5:
            return key - first
    return None
