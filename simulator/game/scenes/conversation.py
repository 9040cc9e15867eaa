"""The conversation: one dialogue log read top to bottom (the customer's lines, your answers with the coach's
stamp and feedback attached, the choices below the last line), the customer's framed portrait, mood meters and
the honest six-step track. Drives only the Session API; saving, the debrief and questions go through the app.

With the setting "answer in your own words" the choices are not listed: the player types in a field under the log,
FreePlay (simulator.recognition) maps the answer onto an offered choice, and an unclear one gets "Bedoelde je…?"
with the two closest choices (keys 1/2, a click, or type again)."""
from __future__ import annotations

from datetime import datetime, UTC
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from simulator.game.face import draw_face, mood_name
from simulator.game.free_answers import (LOADING, READY, RECOGNISER, UNAVAILABLE, TypedTurns,
                                         unavailable_text)
from simulator.game.lessons import track_of
from simulator.game.motion import Motion
from simulator.game.overlays import ProblemsList, Question
from simulator.game.paused import PausedConversations, new_session, replay_picks
from simulator.game.scenes import Scene
from simulator.game.track import draw_track, track_height, track_radius
from simulator.game.settings import config_dir
from simulator.game.widgets import Button, TextEntry
from simulator.i18n import window_t as translate

if TYPE_CHECKING:
    from simulator.recognition.free_play import FreePlay, Unclear

FEEDBACK_TIMER_S = 8.0     # with the setting on, the coach's box goes on by itself after this long
TYPING_FRAME_MS = 66       # the typed line's frame interval
TOAST_S = 4.0              # "scenario reloaded" stays this long
MAX_ANSWER_CHARS = 300     # a typed answer; no one says more in one turn


def shown_path(path: str) -> str:
    """A file's path for the author: relative to the current folder when the file lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return path


def choice_number(key: int) -> int | None:
    """0-based choice for the keys 1-6, on the top row or the number pad; None for other keys."""
    for first in (pygame.K_1, pygame.K_KP1):
        if first <= key <= first + 5:
            return key - first
    return None


class ConversationScene(Scene):
    name = "conversation"

    def __init__(self, app, scenario, resume: dict | None = None):
        super().__init__(app)
        self.scenario = scenario
        self.session = new_session(app.scenario_for_play(scenario), resume.get("seed") if resume else None)
        if resume:
            replay_picks(self.session, resume.get("picks", []))
        self.started_at = datetime.now(UTC)
        self.coach = app.mode == "coach"
        anger, trust = self.session.mood
        self.motion = Motion(anger=float(anger), trust=float(trust))
        self.waiting_feedback = False       # coach mode: the last answer's feedback waits for a key
        self.feedback_left = 0.0
        self.saved = False
        self.scroll = 0                      # pixels scrolled up from the bottom of the log
        self.drawn_chars = -1                # how much of the typed line is on screen
        self.toast = ""
        self.focus.wake_on_keys = True       # nothing is chosen until the arrows or Tab focus a choice
        self.focused_by_keys = False
        self.focus.active = False
        # answers in your own words: the recogniser gets ready in a thread; until then "even geduld…"
        self.typed = TypedTurns()
        self.free_state = RECOGNISER.start(self.session.scenario.language) if app.settings.free_answers else None
        if self.free_state == UNAVAILABLE:   # say so once; the conversation plays with the choices
            self.toast = self.t("setting_free_answers") + ": " + unavailable_text(self.t)
            self.motion.pulse("toast", TOAST_S * 2)
        self._free: FreePlay | None = None
        self.pending: Unclear | None = None  # an Unclear answer: "Bedoelde je…?" with its two candidates
        self.free_note = ""                  # a line over the field: "even geduld…", an empty answer …
        self.entry: TextEntry | None = None
        self.swallow = ""                    # a TEXTINPUT to drop: the digit that picked a "Bedoelde je…?" choice
        self.anger_before = 0
        self.start_line()

    # -- the customer's line ---------------------------------------------------------------------------
    def start_line(self) -> None:
        self.line_node = self.session.state.node
        self.line = self.session.line
        cps = self.app.settings.chars_per_second()
        self.shown_chars = float(len(self.line)) if cps == 0 else 0.0
        self.scroll = 0
        if self.line:
            self.app.audio.speak(self.line, self.session.scenario.language)

    @property
    def typing(self) -> bool:
        return self.shown_chars < len(self.line)

    def finish_line(self) -> None:
        self.shown_chars = float(len(self.line))
        self.refresh()

    @property
    def state(self) -> str:
        if self.waiting_feedback:
            return "feedback"
        if self.typing:
            return "typing"
        if self.session.finished:
            return "ended"
        return "choosing"

    @property
    def present(self) -> bool:
        """The customer is on screen once they have said something (a stage direction alone sets the scene)."""
        nodes = self.session.scenario.nodes
        return any(nodes[t.node].say for t in self.session.turns) or (bool(self.line) and self.shown_chars > 0)

    # -- answers in your own words ---------------------------------------------------------------------
    @property
    def free_on(self) -> bool:
        """The player answers by typing (the setting is on and the recogniser is ready or getting ready)."""
        return self.free_state in (LOADING, READY)

    @property
    def free(self) -> FreePlay | None:
        """The FreePlay of this session (a new one after F5 replaced the session)."""
        if self.free_state != READY:
            return None
        if self._free is None or self._free.session is not self.session:
            from simulator.recognition import FreePlay

            self._free = FreePlay(self.session, RECOGNISER.recogniser, self.session.scenario.language)
            self.pending = None
        return self._free

    def check_recogniser(self) -> bool:
        """While it loads: notice when it is ready (or failed). True while still loading."""
        if self.free_state != LOADING:
            return False
        state = RECOGNISER.state(self.session.scenario.language)
        if state == LOADING:
            return True
        self.free_state = state
        if state == UNAVAILABLE:
            self.toast = self.t("setting_free_answers") + ": " + unavailable_text(self.t)
            self.motion.pulse("toast", TOAST_S * 2)
        self.free_note = ""
        self.refresh()
        return False

    def send(self) -> None:
        """Enter in the field: recognise the typed answer and go on along its choice, or ask "Bedoelde je…?"."""
        if self.entry is None or self.state != "choosing":
            return
        text = self.entry.text.strip()
        if self.free_state == LOADING:
            self.free_note = self.t("free_loading")
            self.refresh()
            return
        free = self.free
        if free is None:
            return
        from simulator.recognition import Answered, RecognitionError

        self.anger_before = self.session.mood[0]
        try:
            result = free.answer(text)
        except RecognitionError:
            self.free_note = self.t("free_placeholder")
            self.refresh()
            return
        self.free_note = ""
        if isinstance(result, Answered):
            self.took(text, result)
        else:
            self.pending = result
            self.entry.text, self.entry.cursor = "", 0   # empty: 1 and 2 pick, or type the answer again
            self.app.audio.cue("choice")
            self.refresh()
            self.reveal_bottom()

    def pick_meant(self, n: int) -> None:
        """"Bedoelde je…?": take candidate n (0-based)."""
        free = self.free
        if free is None or self.pending is None or self.state != "choosing":
            return
        text = free.pending[0] if free.pending else ""
        self.anger_before = self.session.mood[0]
        self.took(text, free.pick(n))

    def took(self, text: str, result) -> None:
        self.pending = None
        self.typed.keep(len(self.session.turns) - 1, text, result.recognition)
        if self.entry is not None:
            self.entry.text, self.entry.cursor = "", 0
        self.after_choice(result.turn, self.anger_before)

    def heard_label(self, act: str) -> str:
        label = self.session.rubric.label(act, self.app.lang)
        return label[:1].lower() + label[1:] if self.app.lang == "nl" else label.lower()

    def reveal_bottom(self) -> None:
        self.scroll = 0
        self.place()

    # -- layout ----------------------------------------------------------------------------------------
    def layout(self) -> None:
        look, w = self.look, self.app.size[0]
        self.pad = look.px(20)
        narrow = w < 1000
        self.left_w = max(150, min(340, round(w * (0.22 if narrow else 0.25))))
        self.refresh()

    def top_height(self) -> int:
        look, (w, _) = self.look, self.app.size
        title_w = w - 2 * self.pad
        h = look.px(10) + look.text_height(self.session.scenario.title, "heading", title_w, bold=True)
        h += look.font("small").get_linesize() + look.px(6)
        if self.coach:
            h += self.track_height() + look.px(6)
        return h + look.px(8)

    def track_height(self) -> int:
        return track_height(self.look, self.app.size[0] - 2 * self.pad, self.t)

    def radius(self) -> int:
        return track_radius(self.look)

    def refresh(self) -> None:
        """Work out where everything goes after anything changed: bars, columns, the log and its buttons."""
        look, (w, h) = self.look, self.app.size
        pad = self.pad
        self.top_bar = pygame.Rect(0, 0, w, self.top_height())
        self.keybar.buttons = []
        keys_h = self.keybar.place(look, self.key_items(), pygame.Rect(pad, 0, w - 2 * pad, 0))
        self.keys_area = pygame.Rect(0, h - keys_h - look.px(16), w, keys_h + look.px(16))
        for b in self.keybar.buttons:
            b.rect.y += self.keys_area.y + look.px(8)
        body_top = self.top_bar.bottom + look.px(10)
        body_h = self.keys_area.y - body_top - look.px(6)
        self.left = pygame.Rect(pad, body_top, self.left_w, body_h)
        self.log_rect = pygame.Rect(self.left.right + pad, body_top, w - self.left.right - 2 * pad, body_h)
        if self.free_on:   # the field sits under the log, as wide as it
            entry_h = look.font("body").get_linesize() + look.px(20)
            note_h = look.font("small").get_linesize() + look.px(4)
            self.log_rect.height -= entry_h + note_h + look.px(8)
            rect = pygame.Rect(self.log_rect.x + look.px(12), self.log_rect.bottom + note_h + look.px(6),
                               self.log_rect.width - look.px(24), entry_h)
            if self.entry is None:
                self.entry = TextEntry(rect, max_length=MAX_ANSWER_CHARS, role="body")
                pygame.key.start_text_input()
            self.entry.rect = rect
            self.entry.placeholder = self.t("free_loading") if self.free_state == LOADING else \
                self.t("free_placeholder")
            self.entry.focused = self.state in ("choosing", "typing", "feedback")
        elif self.entry is not None:
            self.entry = None
        side = min(self.left_w, round(body_h * 0.62))
        self.face_rect = pygame.Rect(self.left.x + (self.left_w - side) // 2, body_top, side, side)
        self.build_log()
        self.app.dirty = True

    def key_items(self) -> list:
        """The keys of this moment, each also a button."""
        items = []
        state = self.state
        if state == "choosing" and self.free_on:
            if self.pending is not None:
                items.append(("1/2", self.t("key_choose"), lambda: self.pick_meant(0)))
            items.append(("Enter", self.t("key_send"), self.send))
        elif state == "choosing":
            n = len(self.session.choices())
            items.append(("1" if n == 1 else f"1–{n}", self.t("key_choose"), self.focus_first))
        elif state in ("typing",):
            items.append((self.t("key_space"), self.t("key_show_all"), self.finish_line))
        elif state == "feedback":
            items.append(("Enter", self.t("feedback_continue"), self.dismiss_feedback))
        if self.coach and self.session.turns:
            items.append(("Ctrl+Z" if self.free_on else "U", self.t("undo_button"), self.undo))
        items.append(("PgUp/PgDn", self.t("key_scroll"), lambda: self.scroll_log(1)))
        items.append(("Esc", self.t("stop"), self.back))
        return items

    # -- the dialogue log --------------------------------------------------------------------------------
    def entries(self) -> list[tuple]:
        """What the log shows, oldest first: ("direction", text), ("customer", text), ("you", turn)."""
        nodes = self.session.scenario.nodes
        out = []
        for turn in self.session.turns:
            node = nodes[turn.node]
            if node.narration:
                out.append(("direction", node.narration))
            if node.say:
                out.append(("customer", node.say))
            out.append(("you", turn))
        node = self.session.node
        if node.narration:
            out.append(("direction", node.narration))
        if self.line:
            out.append(("current", self.line))
        if self.pending is not None and self.state == "choosing":
            out.append(("ask", self.ask_lines()))
        return out

    def ask_lines(self) -> list[tuple[str, str, str, bool, bool]]:
        """Over the two closest choices: what was typed, in coach mode what it sounded like (in exam mode nothing
        that judges), then "Bedoelde je…?"."""
        lines = []
        if self.free and self.free.pending:
            lines.append((self.t("free_typed", text=self.free.pending[0]), "small", "muted", False, True))
        if self.coach:
            assert self.pending is not None   # asked only while an answer is unclear
            heard = translate("heard_as", self.app.lang, label=self.heard_label(self.pending.recognition.act))
            if self.pending.reason == "no_match":
                heard += " " + translate("not_offered", self.app.lang)
            lines.append((heard, "small", "accent", True, False))
        lines.append((translate("did_you_mean", self.app.lang), "heading", "text", True, False))
        lines.append((self.t("free_pick_or_type"), "small", "muted", False, False))
        return lines

    def ask_text(self) -> str:
        return " ".join(line[0] for line in self.ask_lines())

    def turn_number(self, turn) -> int:
        return next((n for n, t in enumerate(self.session.turns) if t is turn), -1)

    def you_lines(self, turn) -> list[tuple[str, str, str, bool, bool]]:
        """An answer's lines in the log: (text, role, colour, bold, italic). A typed answer shows what was typed,
        then (smaller) the choice it counts as and, for the coach, what it sounded like."""
        entry = self.typed.by_turn.get(self.turn_number(turn))
        if entry is None:
            return [(turn.text, "body", "text", False, False)]
        text, recognition = entry
        lines = [(text, "body", "text", False, False),
                 (self.t("free_counts_as", text=turn.text.strip()), "small", "muted", False, True)]
        if self.coach:
            lines.append((translate("heard_as", self.app.lang, label=self.heard_label(recognition.act)), "small",
                          "muted", True, False))
        return lines

    def stamps(self, turn) -> list[tuple[str, str]]:
        """The coach's stamps on an answer: (text, colour). None in exam mode: nothing judges live there."""
        if not self.coach:
            return []
        out = []
        step = self.session.scenario.nodes[turn.node].choices[turn.index].step
        if turn.step_event == "in_order" and step:
            out.append(("✓ " + self.t("stamp_step", step=self.t("step_short_" + step)), "good"))
        elif turn.step_event == "too_early" and step:
            out.append(("! " + self.t("stamp_too_early", step=self.t("step_short_" + step)), "warn"))
        for rule in turn.violations:
            out.append(("✗ " + self.session.rubric.rule_text(rule, self.app.lang), "bad"))
        if turn.step_event == "fell_back" and "back_to_start" not in turn.violations:
            out.append(("↺ " + self.t("fell_back"), "bad"))
        return out

    def build_log(self) -> None:
        """Lay out the log's blocks (without drawing): each is (y, kind, payload, height) in log coordinates."""
        look = self.look
        width = self.log_rect.width - look.px(24)
        gap = look.px(12)
        blocks, y = [], 0
        for kind, item in self.entries():
            if kind == "direction":
                hgt = look.text_height(item, "body", width, italic=True)
            elif kind == "ask":
                hgt = sum(look.text_height(text, role, width, bold=bold, italic=italic) + look.px(2)
                          for text, role, colour, bold, italic in item)
            elif kind in ("customer", "current"):
                hgt = look.font("small").get_linesize() + len(look.wrap(item, "body", width - look.px(20))) * \
                    look.font("body").get_linesize() + look.px(16)
            else:
                turn = item
                hgt = look.font("small").get_linesize() + look.px(16) + sum(
                    look.text_height(text, role, width - look.px(20), bold=bold, italic=italic)
                    for text, role, colour, bold, italic in self.you_lines(turn))
                for text, _ in self.stamps(turn):
                    hgt += look.text_height(text, "small", width - look.px(20), bold=True) + \
                        look.px(4)
                if self.coach and turn.feedback:
                    hgt += look.text_height(turn.feedback, "small", width - look.px(20), italic=True) + look.px(6)
            blocks.append((y, kind, item, hgt))
            y += hgt + gap
        self.blocks = blocks
        # below the last line: the choices, the coach's "go on", or the way to the debrief
        buttons = []
        state = self.state
        bx, bw = self.log_rect.x + look.px(12), width
        if state == "choosing" and self.free_on:
            choices = self.session.choices()
            for n, i in enumerate(self.pending.candidates if self.pending is not None else ()):
                bh = self.choice_height(choices[i].text, bw)
                b = Button(pygame.Rect(bx, y, bw, bh), choices[i].text, partial(self.pick_meant, n),
                           hint=str(n + 1), kind="choice")
                b.extra["log_y"] = y
                buttons.append(b)
                y += bh + look.px(8)
        elif state == "choosing":
            for i, c in enumerate(self.session.choices()):
                bh = self.choice_height(c.text, bw)
                b = Button(pygame.Rect(bx, y, bw, bh), c.text, partial(self.choose, i), hint=str(i + 1),
                           kind="choice")
                b.extra["log_y"] = y
                buttons.append(b)
                y += bh + look.px(8)
        elif state == "feedback":
            bh = look.font("body").get_linesize() + look.px(20)
            b = Button(pygame.Rect(bx, y, bw, bh), self.t("feedback_continue"), self.dismiss_feedback,
                       hint="Enter", kind="primary")
            b.extra["log_y"] = y
            buttons.append(b)
            y += bh + look.px(8)
        elif state == "ended":
            y += look.text_height(self.ending_text(), "body", width) + look.px(8)
            bh = look.font("body").get_linesize() + look.px(20)
            b = Button(pygame.Rect(bx, y, bw, bh), self.t("to_debrief"), self.to_debrief, hint="Enter",
                       kind="primary")
            b.extra["log_y"] = y
            buttons.append(b)
            y += bh + look.px(8)
        self.content_h = y
        keep = len(buttons) == len(self.focus.buttons) and state == getattr(self, "_built_state", None)
        active = self.focus.active and keep
        self.focus.set(buttons, keep=keep)
        # the coach's "go on" and the debrief button are safe to focus; choices wait for the arrows or Tab
        self.focus.active = active or state in ("feedback", "ended")
        self._built_state = state
        self.place()

    def choice_height(self, text: str, width: int) -> int:
        """A choice button's height: its wrapped text as Button.draw lays it out (badge, then text), never cut."""
        look = self.look
        pad = look.px(12)
        badge = max(look.font("small").get_linesize() + look.px(6), look.px(26),
                    look.font("small", bold=True).size("6")[0] + look.px(10))
        text_w = width - 2 * pad - badge - look.px(10)
        return max(badge, look.text_height(text, "body", text_w)) + 2 * pad

    def focus_first(self) -> None:
        self.focus.active, self.focus.index, self.focused_by_keys = True, 0, True
        self.reveal_focused()

    def ending_text(self) -> str:
        return self.t("conversation_over", ending=self.t("ending_" + (self.session.ending or "none")))

    @property
    def max_scroll(self) -> int:
        return max(0, self.content_h - self.log_rect.height + self.look.px(8))

    def offset(self) -> int:
        """Log y to screen y: the newest part is in view unless the player scrolled up."""
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        return self.log_rect.y + self.look.px(4) - (self.max_scroll - self.scroll)

    def place(self) -> None:
        top = self.offset()
        for b in self.focus.buttons:
            b.rect.y = top + b.extra["log_y"]

    def scroll_log(self, direction: int) -> None:
        self.scroll += direction * max(self.look.px(40), int(self.log_rect.height * 0.8))
        self.place()
        self.app.dirty = True

    def reveal_focused(self) -> None:
        b = self.focus.focused
        if b is None:
            return
        if b.rect.bottom > self.log_rect.bottom:
            self.scroll -= b.rect.bottom - self.log_rect.bottom
        elif b.rect.top < self.log_rect.top:
            self.scroll += self.log_rect.top - b.rect.top
        self.place()

    # -- actions ---------------------------------------------------------------------------------------
    def choose(self, i: int) -> None:
        if self.state != "choosing" or self.free_on:
            return
        anger_before = self.session.mood[0]
        turn = self.session.choose(i)
        self.after_choice(turn, anger_before)

    def after_choice(self, turn, anger_before) -> None:
        """A choice was taken (picked, or typed and recognised): sound, motion, the coach's box, the next line."""
        audio = self.app.audio
        if self.coach and turn.violations:
            audio.cue("rule")
        elif self.coach and turn.step_event == "in_order":
            audio.cue("step")
        else:
            audio.cue("choice")
        if turn.anger > anger_before:
            self.motion.pulse("shake", 0.6)
        if turn.step_event in ("in_order", "too_early"):
            step = self.session.scenario.nodes[turn.node].choices[turn.index].step
            if step:
                self.motion.pulse("step_" + step, 0.8)
        self.motion.aim(anger=float(turn.anger), trust=float(turn.trust))
        self.focus.active = False
        if self.coach and (turn.feedback or turn.violations or turn.step_event):
            self.waiting_feedback = True
            self.feedback_left = FEEDBACK_TIMER_S
            self.line, self.shown_chars = "", 0.0
        else:
            self.start_line()
        if self.session.finished:
            self.save("finished")
        self.refresh()

    def dismiss_feedback(self) -> None:
        if not self.waiting_feedback:
            return
        self.waiting_feedback = False
        self.start_line()
        self.refresh()

    def undo(self) -> None:
        if not self.coach or not self.session.turns:
            return
        self.waiting_feedback = False
        self.pending = None
        if self.free is not None:
            self.free.undo()
        else:
            self.session.undo()
        self.typed.trim(len(self.session.turns))
        self.saved = False
        self.motion.aim(anger=float(self.session.mood[0]), trust=float(self.session.mood[1]))
        self.start_line()
        self.finish_line()

    def paused(self) -> PausedConversations:
        return PausedConversations(config_dir(self.app.data_dir))

    def save(self, status: str) -> None:
        if self.saved:
            return
        self.saved = self.app.save_result(self.session, self.started_at, status,
                                          typed=self.typed.for_results(len(self.session.turns)))
        if self.app.player:
            if status == "abandoned" and self.session.turns:
                self.paused().keep(self.app.player, self.session)
            else:
                self.paused().drop(self.app.player, self.session.scenario)

    def to_debrief(self) -> None:
        self.app.open_debrief(self.scenario, self.session, typed=self.typed)

    def back(self) -> None:
        """Esc asks first: stop and keep this conversation as abandoned, or play on."""
        if self.session.finished:
            self.app.pop()
            return
        self.app.ask(Question(self.app, self.t("stop_question"), self.t("stop_explain"),
                              [(self.t("stop_yes"), "J" if self.app.lang == "nl" else "Y",
                                pygame.K_j if self.app.lang == "nl" else pygame.K_y, self.stop),
                               (self.t("stop_no"), "Esc", pygame.K_n, lambda: None)]))

    def stop(self) -> None:
        self.save("abandoned")     # also before the first choice: an opened and stopped conversation counts
        self.app.pop()

    def reload(self) -> None:
        """F5, for an author previewing while writing: read the file again and replay the path so far where it
        still exists. A broken file changes nothing in play; its diagnostics are listed over the screen."""
        from simulator.scenario.loader import load_file

        result = load_file(self.scenario.path)
        if not result.ok:
            self.app.ask(ProblemsList(self.app, shown_path(str(self.scenario.path)), result.diagnostics,
                                      self.reload))
            self.toast = ""
            return
        scenario, old = result.scenario, self.session.turns
        assert scenario is not None   # result.ok
        seed = getattr(self.session, "seed", None)
        session = new_session(self.app.scenario_for_play(scenario), seed)
        replayed = type(self.session).replay_turns(self.app.scenario_for_play(scenario), old, self.session.rubric)
        replay_picks(session, [(t.node, t.index) for t in replayed.turns])
        self.session, self.scenario = session, scenario
        self.typed.trim(len(session.turns))
        self.pending = None
        self.app.scenario_changed()
        self.waiting_feedback = False
        self.saved = self.session.finished   # a replayed ending is not a new result
        self.motion.snap(anger=float(session.mood[0]), trust=float(session.mood[1]))
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
        self.motion.pulse("toast", TOAST_S)

    @property
    def reload_problems(self) -> list | None:
        """The broken file's problems listed over the screen (is_error, where, message), or None."""
        overlay = self.app.overlay
        return overlay.problems if isinstance(overlay, ProblemsList) else None

    @property
    def problems_shown(self) -> tuple[int, int]:
        overlay = self.app.overlay
        return overlay.shown if isinstance(overlay, ProblemsList) else (0, 0)

    def log_text(self) -> str:
        """The dialogue log as plain text, oldest first (what the player can read in it)."""
        out = []
        for kind, item in self.entries():
            if kind == "you":
                out.append("\n".join(line[0] for line in self.you_lines(item)))
            elif kind == "ask":
                out.append("\n".join(line[0] for line in item))
            else:
                out.append(item)
            if kind == "you" and self.coach and item.feedback:
                out.append(item.feedback)
        return "\n".join(out)

    # -- events ----------------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        state = self.state
        if self.entry is not None and self.handle_typing(event, state):
            self.app.dirty = True
            return
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_F5:
                self.reload()
                return
            if key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
                self.scroll_log(1 if key == pygame.K_PAGEUP else -1)
                return
            if self.coach and key == pygame.K_u and state != "typing" and not self.free_on:
                self.undo()
                return
            if state == "typing":
                self.finish_line()    # any key shows the whole line; it never chooses
                return
            if state == "feedback" and key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self.dismiss_feedback()
                return
            number = choice_number(key)
            if state == "choosing" and number is not None:
                if number < len(self.focus.buttons):
                    self.choose(number)
                return
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and state == "choosing" and \
                    not (self.focus.active and self.focused_by_keys):
                return                # Space and Enter choose only a choice the arrows or Tab focused, never a
                # pointer that happens to rest over one
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and state == "typing":
            self.finish_line()
            return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll += event.y * self.look.px(40)
            self.place()
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN) and not self.log_rect.collidepoint(event.pos):
            return   # a choice scrolled out of sight cannot be hovered or clicked
        if self.focus.handle(event):
            if event.type == pygame.KEYDOWN:
                self.focused_by_keys = True
                self.reveal_focused()
            elif event.type == pygame.MOUSEMOTION:
                self.focused_by_keys = False

    def handle_typing(self, event: pygame.event.Event, state: str) -> bool:
        """With answers in your own words: letters go into the field (also while the line types: that shows it whole;
        and over the coach's box: that goes on), Enter sends, 1/2 answer "Bedoelde je…?" while the field is empty,
        Ctrl+Z undoes. True when the event was the field's."""
        entry = self.entry
        assert entry is not None   # only called while the field is shown
        if event.type == pygame.TEXTINPUT:
            if self.swallow and event.text == self.swallow:
                self.swallow = ""     # the "1" that came with the key that answered "Bedoelde je…?"
                return True
            if state == "ended":
                return False
            if state == "typing":
                self.finish_line()
            elif state == "feedback":
                self.dismiss_feedback()
            entry.focused = True
            if entry.text or event.text.strip():   # the Space that showed the whole line is no leading blank
                entry.handle(event)
            self.free_note = ""
            return True
        if event.type != pygame.KEYDOWN:
            return False
        key = event.key
        self.swallow = ""
        if key == pygame.K_z and event.mod & pygame.KMOD_CTRL:
            self.undo()
            return True
        if state != "choosing":
            return False
        number = choice_number(key)
        if self.pending is not None and not entry.text and number is not None and number < 2:
            self.swallow = event.unicode or str(number + 1)
            self.pick_meant(number)
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not (self.focus.active and self.focused_by_keys
                                                                 and self.focus.focused is not None):
            self.send()
            return True
        if key in (pygame.K_UP, pygame.K_DOWN, pygame.K_TAB):
            return False      # these focus a "Bedoelde je…?" choice
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return False
        if entry.handle(event) is not None:
            return True
        # a letter's or digit's own key does nothing else (its TEXTINPUT brings the character)
        return bool(event.unicode) and event.unicode.isprintable()

    def update(self, dt: float) -> bool:
        moving = self.check_recogniser()
        moving = self.motion.update(dt) or moving
        if self.typing and not self.waiting_feedback:
            before = int(self.shown_chars)
            self.shown_chars = min(len(self.line), self.shown_chars + dt * self.app.settings.chars_per_second())
            moving = True
            if not self.typing:
                self.refresh()
            elif int(self.shown_chars) != before:
                self.changed_chars = True
        if self.waiting_feedback and self.app.settings.feedback_timer:
            self.feedback_left -= dt
            if self.feedback_left <= 0:
                self.dismiss_feedback()
            moving = True
        return moving

    @property
    def frame_ms(self) -> int:
        """While only the line types, 15 frames a second (several letters a frame at speed): every frame is a round
        trip to the X server that costs 2–8 ms of CPU whatever its size."""
        return TYPING_FRAME_MS if self.only_typing else 25

    @property
    def partial_redraw(self) -> bool:
        return self.only_typing

    @property
    def only_typing(self) -> bool:
        """True while the only thing that moves is the typed line: the loop then redraws just the log."""
        return self.typing and not self.motion.pulses and all(
            abs(self.motion.values[k] - self.motion.targets[k]) <= 0.01 for k in self.motion.values)

    # -- drawing ---------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        self.draw_top(surface)
        self.draw_customer(surface)
        self.draw_log(surface)
        pygame.draw.line(surface, self.look.color("panel_edge"), (0, self.keys_area.y),
                         (self.app.size[0], self.keys_area.y), 1)
        self.keybar.draw(surface, self.look)
        if self.entry is not None:
            self.draw_entry(surface)
        if self.motion["toast"] > 0 and self.toast:
            self.draw_toast(surface)

    def draw_entry(self, surface: pygame.Surface) -> None:
        look, entry = self.look, self.entry
        assert entry is not None   # only drawn while the field is shown
        note = self.free_note
        if not note and self.free_state == LOADING:
            note = self.t("free_loading")
        if note:
            look.blit_text(surface, look.fit(note, "small", entry.rect.width), (entry.rect.x, entry.rect.y -
                           look.font("small").get_linesize() - look.px(4)), "small", "warn", entry.rect.width)
        entry.draw(surface, look)   # the cursor stands still, as on the title: blinking wakes the loop for nothing

    def draw_partial(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Only the line being typed, and only when a letter was added: a whole-screen redraw for every letter cost
        a quarter of a core."""
        if int(self.shown_chars) == self.drawn_chars:
            return []
        current = [b for b in self.blocks if b[1] == "current"]
        if not current:
            return []
        y, kind, item, hgt = current[-1]
        look = self.look
        rect = pygame.Rect(self.log_rect.x, self.offset() + y, self.log_rect.width, hgt).clip(self.log_rect)
        clip = surface.get_clip()
        surface.set_clip(rect)
        pygame.draw.rect(surface, look.color("background"), rect)
        self.draw_block(surface, self.offset() + y, kind, item, hgt)
        self.fade_hidden_above(surface)
        surface.set_clip(clip)
        self.drawn_chars = int(self.shown_chars)
        return [rect]

    def draw_top(self, surface: pygame.Surface) -> None:
        look, (w, _) = self.look, self.app.size
        pygame.draw.rect(surface, look.color("panel"), self.top_bar)
        pygame.draw.line(surface, look.color("panel_edge"), self.top_bar.bottomleft, self.top_bar.bottomright, 1)
        pad = self.pad
        y = look.px(10)
        y += look.blit_text(surface, self.session.scenario.title, (pad, y), "heading", "text", w - 2 * pad, bold=True,
                            on="panel")
        mode = self.t("mode_" + ("coach" if self.coach else "exam"))
        line = self.t("mode_line", mode=mode, player=self.app.player or "?")
        if not self.coach:
            line += " · " + self.t("exam_no_live")
        y += look.blit_text(surface, line, (pad, y), "small", "muted", w - 2 * pad, on="panel") + look.px(6)
        if self.coach:
            self.draw_track(surface, pygame.Rect(pad, y, w - 2 * pad, self.track_height()))

    def draw_track(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        last = self.session.turns[-1] if self.session.turns else None
        draw_track(surface, area, self.look, track_of(self.session), self.t, self.motion,
                   fell_back=last is not None and last.step_event == "fell_back")

    def draw_customer(self, surface: pygame.Surface) -> None:
        look = self.look
        frame = self.face_rect
        look.panel(surface, frame, "portrait_back", "panel_edge", radius=12, width=2)
        if not self.present:
            look.blit_text(surface, self.t("customer_not_here"), (frame.centerx, frame.centery - look.px(10)),
                           "small", "bubble_text", frame.width - look.px(16), align="center")
            return
        abusive = bool(self.session.node.abusive) and not self.waiting_feedback
        draw_face(surface, frame.inflate(-look.px(8), -look.px(8)), look, self.motion["anger"],
                  self.motion["trust"], self.motion["shake"], self.session.scenario.customer.name, abusive=abusive)
        y = frame.bottom + look.px(6)
        x, width = self.left.x, self.left.width
        y += look.blit_text(surface, self.session.scenario.customer.name, (self.left.centerx, y), "body", "text",
                            width, bold=True, align="center", on="background")
        if not self.coach:
            return   # exam mode: no meters, no mood word (nothing judges live)
        mood = self.t("expression_" + mood_name(self.motion["anger"], self.motion["trust"], abusive))
        y += look.blit_text(surface, mood, (self.left.centerx, y), "small", "muted", width, align="center",
                            on="background")
        y += look.px(6)
        for key, colour in (("anger", "anger"), ("trust", "trust")):
            if y + look.font("small").get_linesize() + look.px(12) > self.left.bottom:
                break
            value = self.motion[key]
            look.blit_text(surface, self.t("meter_" + key), (x, y), "small", "text", bold=True, on="background")
            look.blit_text(surface, str(round(value)), (x + width, y), "small", "text", bold=True, align="right",
                           on="background")
            y += look.font("small").get_linesize() + look.px(2)
            bar = pygame.Rect(x, y, width, look.px(10))
            pygame.draw.rect(surface, look.color("meter_back"), bar, border_radius=look.px(5))
            fill = bar.copy()
            fill.width = round(bar.width * max(0.0, min(100.0, value)) / 100)
            if fill.width:
                pygame.draw.rect(surface, look.color(colour), fill, border_radius=look.px(5))
            y += bar.height + look.px(8)

    def draw_log(self, surface: pygame.Surface) -> None:
        look = self.look
        r = self.log_rect
        clip = surface.get_clip()
        surface.set_clip(r)
        top = self.offset()
        x = r.x + look.px(12)
        width = r.width - look.px(24)
        for y, kind, item, hgt in self.blocks:
            y += top
            if y > r.bottom or y + hgt < r.top:
                continue
            self.draw_block(surface, y, kind, item, hgt)
        self.drawn_chars = int(self.shown_chars)
        if self.state == "ended" and self.focus.buttons:
            b = self.focus.buttons[0]
            look.blit_text(surface, self.ending_text(), (x, b.rect.y - look.font("body").get_linesize() - look.px(8)),
                           "body", "muted", width, on="background")
        self.focus.draw(surface, look, clip=r)
        self.fade_hidden_above(surface)
        surface.set_clip(clip)
        if self.scroll > 0:   # scrolled up: say there is more below, in the margin, never over a choice
            mark = look.render("▼ " + self.t("more_below"), "small", "muted", bold=True, on="background")
            surface.blit(mark, mark.get_rect(bottomright=(r.right, self.keys_area.y - 1)))

    def fade_hidden_above(self, surface: pygame.Surface) -> None:
        """When part of the log is scrolled above its top edge, that edge fades out rather than cutting a bubble or a
        line in half (drawn within the caller's clip)."""
        if self.max_scroll - self.scroll > 0:
            self.look.fade_top(surface, self.log_rect)

    def draw_block(self, surface: pygame.Surface, y: int, kind: str, item, hgt: int) -> None:
        look = self.look
        r = self.log_rect
        x = r.x + look.px(12)
        width = r.width - look.px(24)
        inner = width - look.px(20)
        name = self.session.scenario.customer.name
        box = pygame.Rect(x, y, width, hgt)
        if kind == "direction":
            look.blit_text(surface, item, (x, y), "body", "narration", width, italic=True, on="background")
        elif kind == "ask":
            for text, role, colour, bold, italic in item:
                y += look.blit_text(surface, text, (x, y), role, colour, width, bold=bold, italic=italic,
                                    on="background") + look.px(2)
        elif kind in ("customer", "current"):
            look.panel(surface, box, "bubble", "bubble", radius=10, width=0)
            ty = y + look.px(8)
            ty += look.blit_text(surface, name, (x + look.px(10), ty), "small", "bubble_text", inner, bold=True,
                                 on="bubble")
            left = int(self.shown_chars) if kind == "current" else len(item)
            line_h = look.font("body").get_linesize()
            for part in look.wrap(item, "body", inner):
                if left <= 0:
                    break
                visible = part[:left].rstrip()
                if visible:   # a line half typed out is drawn once: not worth keeping
                    surface.blit(look.render(visible, "body", "bubble_text", keep=left >= len(part), on="bubble"),
                                 (x + look.px(10), ty))
                left -= len(part)
                ty += line_h
        else:
            turn = item
            look.panel(surface, box, "panel", "panel_edge", radius=10)
            ty = y + look.px(8)
            ty += look.blit_text(surface, self.t("you"), (x + look.px(10), ty), "small", "accent", inner,
                                 bold=True, on="panel")
            for text, role, colour, bold, italic in self.you_lines(turn):
                ty += look.blit_text(surface, text, (x + look.px(10), ty), role, colour, inner, bold=bold,
                                     italic=italic, on="panel")
            for text, colour in self.stamps(turn):
                ty += look.blit_text(surface, text, (x + look.px(10), ty + look.px(4)), "small", colour, inner,
                                     bold=True, on="panel") + look.px(4)
            if self.coach and turn.feedback:
                look.blit_text(surface, turn.feedback, (x + look.px(10), ty + look.px(6)), "small", "text", inner,
                               italic=True, on="panel")

    def draw_toast(self, surface: pygame.Surface) -> None:
        look, (w, _) = self.look, self.app.size
        msg = look.render(self.toast, "body", "text", w - look.px(120), bold=True, on="panel")
        r = msg.get_rect(midbottom=(w // 2, self.keys_area.y - look.px(10))).inflate(look.px(30), look.px(14))
        look.panel(surface, r, "panel", "good", width=2)
        surface.blit(msg, msg.get_rect(center=r.center))
