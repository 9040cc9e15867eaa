"""Class mode for a projector: large text and no personal profile. At each choice the trainer tallies the group's
votes with the keys 1–6, the majority choice is played, its feedback stays up for discussion, and the debrief
shows the class's choices beside the best path. The session is saved like any other result, with the votes.

Instead of counting votes the trainer can press T and type the group's proposed answer: it is recognised
(simulator.recognition) and the matching choice is played like a majority; an unclear one gets "Bedoelde je…?" with
the two closest choices. The typed text is kept with the class result."""
from __future__ import annotations

from datetime import datetime, UTC

import pygame

from simulator.analysis import analysis_of
from simulator.engine.session import Session
from simulator.game.face import draw_face
from simulator.game.free_answers import LOADING, READY, RECOGNISER, UNAVAILABLE, TypedTurns, unavailable_text
from simulator.game.scenes import Scene
from simulator.game.widgets import Button, TextEntry
from simulator.i18n import window_t as translate
from simulator.scenario.acts import MISTAKE_ACTS


# Largest type first: (customer line, choices). The first pair whose text fits the screen is used.
ROLE_STEPS = (("title", "heading"), ("heading", "heading"), ("heading", "body"), ("body", "body"),
              ("body", "small"))


def majority(tallies: list[int]) -> tuple[int | None, list[int]]:
    """(index of the option with the most votes, or None) and the indexes tied for the most when there is a tie."""
    top = max(tallies, default=0)
    if top == 0:
        return None, []
    leaders = [i for i, n in enumerate(tallies) if n == top]
    return (leaders[0], []) if len(leaders) == 1 else (None, leaders)


def save_class_result(app, session, started_at, status: str, votes: list[list[int] | None],
                      typed: list | None = None) -> str:
    """Save under the class's name through the window's one save route, which keeps the result on disk when the
    store cannot take it; returns a notice line (empty when saved)."""
    kept = app.save_result(session, started_at, status, votes=[None if v is None else list(v) for v in votes],
                           typed=typed, player=app.player or app.t("class_player"))
    return "" if kept else app.notice


class ClassConversationScene(Scene):
    name = "class_conversation"

    def __init__(self, app, scenario):
        super().__init__(app)
        self.scenario = scenario
        from simulator.game.paused import new_session

        self.session = new_session(app.scenario_for_play(scenario))   # a random seed: its own order of choices
        self.started_at = datetime.now(UTC)
        self.votes: list[list[int] | None] = []   # per choice made: the tally of every offered option (None: typed)
        self.typed = TypedTurns()              # per choice made by typing: the group's words
        self.entry: TextEntry | None = None    # T: the field for the group's proposed answer
        self.pending = None                    # (FreePlay, Unclear): "Bedoelde je…?" with two candidates
        self.swallow = ""
        self.tallies: list[int] = []
        self.vote_order: list[int] = []        # for Backspace: which option got each vote
        self.message = ""
        # (line, choice text, tallies, chosen index, feedback, rules, act, typed)
        self.discussing: tuple[str, str, list[int], int, str, list[str], str, str] | None = None
        self.saved = False
        self.new_node()

    # -- state -------------------------------------------------------------------------------------------
    def new_node(self) -> None:
        self.tallies = [0] * len(self.session.choices())
        self.vote_order = []
        self.message = ""

    @property
    def state(self) -> str:
        if self.discussing is not None:
            return "discussing"
        return "ended" if self.session.finished else "voting"

    def vote(self, i: int, delta: int = 1) -> None:
        if self.state != "voting" or not 0 <= i < len(self.tallies):
            return
        if delta > 0:
            self.tallies[i] += 1
            self.vote_order.append(i)
        elif self.tallies[i] > 0:
            self.tallies[i] -= 1
            # forget this option's latest vote, so Backspace stays in step
            last = len(self.vote_order) - 1 - self.vote_order[::-1].index(i)
            del self.vote_order[last]
        self.message = ""
        self.app.dirty = True

    def take_back(self) -> None:
        if self.state == "voting" and self.vote_order:
            self.vote(self.vote_order[-1], -1)

    def recount(self) -> None:
        if self.state == "voting":
            self.new_node()
            self.app.dirty = True

    # -- the group's answer, typed ---------------------------------------------------------------------
    def open_field(self) -> None:
        if self.state != "voting":
            return
        state = RECOGNISER.start(self.session.scenario.language)
        if state == UNAVAILABLE:
            self.message = unavailable_text(self.t)
            self.app.dirty = True
            return
        self.pending = None
        self.message = ""
        self.entry = TextEntry(pygame.Rect(0, 0, 10, 10), max_length=300, role="heading")   # read from the back
        pygame.key.start_text_input()
        self.swallow = "t"     # the T that opened the field is not its first letter
        self.layout()

    def close_field(self) -> None:
        self.entry = None
        self.pending = None
        self.layout()

    def send_typed(self) -> None:
        text = self.entry.text.strip() if self.entry else ""
        if not text:
            return
        if RECOGNISER.state(self.session.scenario.language) != READY:
            self.message = self.t("free_loading")
            self.app.dirty = True
            return
        from simulator.recognition import Answered, FreePlay

        free = FreePlay(self.session, RECOGNISER.recogniser, self.session.scenario.language)
        line = self.session.line
        result = free.answer(text)
        self.entry = None
        if isinstance(result, Answered):
            self.played_typed(text, result, line)
        else:
            self.pending = (free, result)
            self.layout()

    def pick_meant(self, n: int) -> None:
        if self.pending is None:
            return
        free, unclear = self.pending
        if not 0 <= n < len(unclear.candidates):
            return
        line = self.session.line
        text = free.pending[0]
        self.pending = None
        self.played_typed(text, free.pick(n), line)

    def played_typed(self, text: str, result, line: str) -> None:
        """The recognised choice is played like a majority vote (no tally: the group's words instead)."""
        self.votes.append(None)
        self.typed.keep(len(self.session.turns) - 1, text, result.recognition)
        self.played(result.turn, line, [], result.turn.offered - 1, text)

    def play_majority(self) -> None:
        if self.state != "voting":
            return
        chosen, tied = majority(self.tallies)
        if chosen is None:
            self.message = (self.t("class_tie", options=" / ".join(str(i + 1) for i in tied)) if tied
                            else self.t("class_no_votes"))
            self.app.dirty = True
            return
        line = self.session.line
        tallies = list(self.tallies)
        self.votes.append(self.in_file_order(tallies))   # stored like the record's options: in file order
        self.played(self.session.choose(chosen), line, tallies, chosen)

    def played(self, turn, line: str, tallies: list[int], chosen: int, typed: str = "") -> None:
        rules = [self.session.rubric.rule_text(rule, self.app.lang) for rule in turn.violations]
        self.discussing = (line, turn.text, tallies, chosen, turn.feedback or "", rules, turn.act, typed)
        if self.session.finished:
            self.save("finished")
        self.layout()

    def go_on(self) -> None:
        if self.state == "discussing":
            self.discussing = None
            self.new_node()
            self.layout()
        elif self.state == "ended":
            self.app.replace(ClassDebriefScene(self.app, self.scenario, self.session, self.votes, self.message,
                                               self.typed))

    def votes_text(self, n: int, total: int) -> str:
        return votes_text(self.app, n, total)

    def in_file_order(self, tallies: list[int]) -> list[int]:
        """A tally counted in the shuffled order on screen, rearranged in the file's order of the offered choices."""
        out = [0] * len(tallies)
        for shown, number in enumerate(self.session.shown_numbers()):
            out[number - 1] = tallies[shown]
        return out

    def save(self, status: str) -> None:
        if not self.saved:
            self.message = save_class_result(self.app, self.session, self.started_at, status, self.votes,
                                             self.typed.for_results(len(self.session.turns)))
            self.saved = not self.message

    def back(self) -> None:
        """Esc asks first, like in a personal conversation; a lesson stopped even before the first vote is kept.
        With the typing field or "Bedoelde je…?" open, Esc just closes that."""
        if self.entry is not None or self.pending is not None:
            self.close_field()
            return
        if self.session.finished:
            self.app.pop()
            return
        from simulator.game.overlays import Question

        yes = ("J", pygame.K_j) if self.app.lang == "nl" else ("Y", pygame.K_y)
        self.app.ask(Question(self.app, self.t("stop_question"), "",
                              [(self.t("stop_yes"), yes[0], yes[1], self.stop),
                               (self.t("stop_no"), "Esc", pygame.K_n, lambda: None)]))

    def stop(self) -> None:
        self.save("abandoned")
        self.app.pop()

    # -- layout ------------------------------------------------------------------------------------------
    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        self.pad = look.px(30)
        self.title_w = round(w * 0.7)
        # the title wraps (never cut); the keys are buttons in a bar that wraps on a narrow projector
        self.top_h = look.text_height(self.session.scenario.title, "title", self.title_w, bold=True) + look.px(30)
        keys_h = self.keybar.place(look, self.key_items(), pygame.Rect(self.pad, 0, w - 2 * self.pad, 0))
        self.hint_h = keys_h + look.px(16)
        for b in self.keybar.buttons:
            b.rect.y += h - self.hint_h + look.px(8)
        face_w = round(w * 0.16)
        self.face_rect = pygame.Rect(self.pad, self.top_h + look.px(10), face_w, face_w)
        self.text_x = self.face_rect.right + self.pad
        self.text_w = w - self.text_x - self.pad
        self.bottom = h - self.hint_h - look.px(6)
        if self.entry is not None:   # the group's answer is typed in a field at the bottom, over the keys
            entry_h = look.font("heading").get_linesize() + look.px(20)
            self.entry.rect = pygame.Rect(self.text_x, self.bottom - entry_h, self.text_w, entry_h)
            self.entry.placeholder = self.t("class_type_hint")
            self.bottom -= entry_h + look.font("heading").get_linesize() + look.px(16)
        self.line_role, self.choice_role = self.fit_roles()
        self.build_buttons()
        self.app.dirty = True

    def key_items(self) -> list:
        """This moment's keys, each also a button for the trainer's mouse."""
        state = self.state
        if state == "voting" and self.entry is not None:
            items = [("Enter", self.t("key_send"), self.send_typed), ("Esc", self.t("back"), self.close_field)]
            return items
        if state == "voting" and self.pending is not None:
            return [("1/2", self.t("key_choose"), lambda: self.pick_meant(0)),
                    ("T", self.t("class_key_type"), self.open_field), ("Esc", self.t("back"), self.close_field)]
        if state == "voting":
            n = len(self.session.choices())
            items = [("1" if n == 1 else f"1–{n}", self.t("class_key_vote"), lambda: None),
                     ("Backspace", self.t("class_key_take_back"), self.take_back),
                     ("0", self.t("class_key_recount"), self.recount),
                     ("Enter", self.t("class_key_play"), self.play_majority),
                     ("T", self.t("class_key_type"), self.open_field)]
        elif state == "discussing":
            items = [("Enter", self.t("class_key_go_on"), self.go_on)]
        else:
            items = [("Enter", self.t("class_key_debrief"), self.go_on)]
        return items + [("Esc", self.t("stop"), self.back)]

    def option_texts(self) -> list[str]:
        if self.state != "voting":
            return []
        choices = self.session.choices()
        if self.pending is not None:
            return [choices[i].text for i in self.pending[1].candidates]
        return [c.text for c in choices]

    def fit_roles(self) -> tuple[str, str]:
        look = self.look
        texts = self.option_texts()
        for line_role, choice_role in ROLE_STEPS:
            top = self.bubble_height(line_role) + self.top_h + look.px(30)
            need = sum(self.option_height(t, choice_role) + look.px(10) for t in texts)
            if top + need <= self.bottom:
                return line_role, choice_role
        return ROLE_STEPS[-1]

    def bubble_height(self, role: str) -> int:
        look = self.look
        width = self.text_w - 2 * look.px(20)
        h = look.px(24) + look.font_px("body") + look.px(6)
        narration = self.session.node.narration if self.state == "voting" else ""
        if narration:
            h += look.text_height(narration, "body", width, italic=True) + look.px(8)
        line = self.discussing[0] if self.discussing else self.session.line
        return h + look.text_height(line or " ", role, width)

    def option_height(self, text: str, role: str) -> int:
        look = self.look
        return look.text_height(text, role, self.option_text_width()) + 2 * look.px(12)

    def option_text_width(self) -> int:
        return self.text_w - self.tally_width() - 2 * self.look.px(12) - self.look.px(60)

    def tally_width(self) -> int:
        return round(self.app.size[0] * 0.18)

    def build_buttons(self) -> None:
        look = self.look
        buttons = []
        y = self.top_h + self.bubble_height(self.line_role) + look.px(30)
        if self.state == "voting":
            for i, text in enumerate(self.option_texts()):
                bh = self.option_height(text, self.choice_role)
                rect = pygame.Rect(self.text_x, y, self.text_w - self.tally_width() - look.px(16), bh)
                action = (lambda i=i: self.pick_meant(i)) if self.pending is not None else (lambda i=i: self.vote(i))
                buttons.append(Button(rect, text, action, hint=str(i + 1), kind="choice", role=self.choice_role))
                y += bh + look.px(10)
        self.focus.set(buttons, keep=False)
        self.focus.active = False  # votes come from the number keys; no option looks "selected" on the projector

    # -- events ------------------------------------------------------------------------------------------
    def handle_typing(self, event: pygame.event.Event) -> None:
        """The field has the keyboard: letters and digits are text, Enter sends (Esc reaches back() and closes)."""
        entry = self.entry
        assert entry is not None   # handle() calls this only while the field is shown
        if event.type == pygame.TEXTINPUT:
            if self.swallow and event.text.lower() == self.swallow:
                self.swallow = ""
                return
            entry.handle(event)
        elif event.type == pygame.KEYDOWN:
            self.swallow = ""
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.send_typed()
            else:
                entry.handle(event)

    def handle(self, event: pygame.event.Event) -> None:
        if self.entry is not None and self.state == "voting":
            self.handle_typing(event)
            return
        if self.pending is not None and self.state == "voting":
            if event.type == pygame.KEYDOWN:
                number = choice_key(event.key)
                if number is not None:
                    self.pick_meant(number)
                elif event.key == pygame.K_t:
                    self.open_field()
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                for button in self.focus.buttons:
                    if button.rect.collidepoint(event.pos):
                        button.action()
                        return
            return
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_t and self.state == "voting":
                self.open_field()
                return
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                if self.state == "voting":
                    self.play_majority()
                else:
                    self.go_on()
                return
            number = choice_key(key)
            if number is not None:
                self.vote(number, -1 if event.mod & pygame.KMOD_SHIFT else 1)
            elif key == pygame.K_BACKSPACE:
                self.take_back()
            elif key in (pygame.K_0, pygame.K_KP0):
                self.recount()
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3) and self.state == "voting":
            for i, button in enumerate(self.focus.buttons):
                if button.rect.collidepoint(event.pos):
                    self.vote(i, 1 if event.button == 1 else -1)
                    return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.state != "voting":
            self.go_on()

    # -- drawing -----------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        look, w = self.look, self.app.size[0]
        pygame.draw.rect(surface, look.color("panel"), pygame.Rect(0, 0, w, self.top_h))
        look.blit_text(surface, self.session.scenario.title, (self.pad, look.px(14)), "title", "text", self.title_w,
                       bold=True)
        badge = look.render(self.t("class_badge"), "body", "bubble_text", bold=True)
        brect = badge.get_rect(topright=(w - self.pad, look.px(20))).inflate(look.px(18), look.px(8))
        pygame.draw.rect(surface, look.color("accent"), brect, border_radius=look.px(8))
        surface.blit(badge, badge.get_rect(center=brect.center))

        anger, trust = self.session.mood
        draw_face(surface, self.face_rect, look, anger, trust, name=self.session.scenario.customer.name,
                  abusive=bool(self.session.node.abusive) and self.discussing is None)
        name = self.session.scenario.customer.name
        look.blit_text(surface, name, (self.face_rect.centerx, self.face_rect.bottom + look.px(8)), "heading",
                       "text", self.face_rect.width + self.pad, bold=True, align="center")
        self.draw_bubble(surface)
        if self.state == "voting":
            self.draw_options(surface)
        elif self.state == "discussing":
            self.draw_discussion(surface)
        else:
            self.draw_ended(surface)
        if self.entry is not None and self.state == "voting":
            note = self.message or (self.t("free_loading") if RECOGNISER.state(self.session.scenario.language)
                                    == LOADING else self.t("class_key_type"))
            look.blit_text(surface, look.fit(note, "heading", self.text_w), (self.text_x, self.entry.rect.y -
                           look.font("heading").get_linesize() - look.px(8)), "heading",
                           "warn" if self.message else "accent", self.text_w, bold=True)
            self.entry.draw(surface, look)
        self.keybar.draw(surface, look)

    def draw_bubble(self, surface: pygame.Surface) -> None:
        look = self.look
        r = pygame.Rect(self.text_x, self.top_h + look.px(14), self.text_w, self.bubble_height(self.line_role))
        pygame.draw.rect(surface, look.color("bubble"), r, border_radius=look.px(16))
        tail = [(r.x, r.y + look.px(36)), (r.x - look.px(18), r.y + look.px(48)), (r.x, r.y + look.px(60))]
        pygame.draw.polygon(surface, look.color("bubble"), tail)
        x, y, width = r.x + look.px(20), r.y + look.px(12), r.width - 2 * look.px(20)
        narration = self.session.node.narration if self.state == "voting" else ""
        if narration:
            y += look.blit_text(surface, narration, (x, y), "body", "narration" if not look.high_contrast
                                else "bubble_text", width, italic=True) + look.px(8)
        y += look.blit_text(surface, self.session.scenario.customer.name + ":", (x, y), "body", "bubble_text",
                            bold=True) + look.px(6)
        line = self.discussing[0] if self.discussing else self.session.line
        look.blit_text(surface, line, (x, y), self.line_role, "bubble_text", width)

    def draw_options(self, surface: pygame.Surface) -> None:
        look = self.look
        total = sum(self.tallies)
        top = max(self.tallies, default=0)
        if self.pending is not None:
            free, _unclear = self.pending
            for button in self.focus.buttons:
                button.draw(surface, look, False)
            y = (self.focus.buttons[-1].rect.bottom if self.focus.buttons else self.bottom) + look.px(12)
            words = self.t("class_typed", text=free.pending[0] if free.pending else "")
            look.blit_text(surface, words + " " + translate("did_you_mean", self.app.lang), (self.text_x, y),
                           "heading", "accent", self.text_w, bold=True)
            return
        for i, button in enumerate(self.focus.buttons):
            leading = top > 0 and self.tallies[i] == top
            button.draw(surface, look, leading)
            bar = pygame.Rect(button.rect.right + look.px(16), button.rect.y, self.tally_width(),
                              button.rect.height)
            pygame.draw.rect(surface, look.color("meter_back"), bar, border_radius=look.px(8))
            if total:
                fill = bar.copy()
                fill.width = max(look.px(6), round(bar.width * self.tallies[i] / total)) if self.tallies[i] else 0
                if fill.width:
                    pygame.draw.rect(surface, look.color("accent" if leading else "muted"), fill,
                                     border_radius=look.px(8))
            count = look.render(str(self.tallies[i]), "title", "text", bold=True)
            surface.blit(count, count.get_rect(midright=(bar.right - look.px(12), bar.centery)))
        y = (self.focus.buttons[-1].rect.bottom if self.focus.buttons else self.bottom) + look.px(12)
        status = self.message or self.t("class_votes", n=total)
        look.blit_text(surface, status, (self.text_x, y), "heading", "warn" if self.message else "muted",
                       self.text_w)

    def draw_discussion(self, surface: pygame.Surface) -> None:
        look = self.look
        assert self.discussing is not None   # drawn only in the discussing state
        _, text, tallies, chosen, feedback, rules, act, typed = self.discussing
        top = self.top_h + self.bubble_height(self.line_role) + look.px(30)
        r = pygame.Rect(self.text_x, top, self.text_w, self.bottom - top)
        bad = bool(rules) or act in MISTAKE_ACTS
        look.panel(surface, r, "panel", "warn" if bad else "good", width=3)
        x, y, width = r.x + look.px(20), r.y + look.px(16), r.width - 2 * look.px(20)
        total = sum(tallies)
        how = self.t("class_typed_short", text=typed) if typed else self.votes_text(tallies[chosen], total)
        y += look.blit_text(surface, f"{self.t('class_chosen')} ({how})", (x, y), "body", "muted", width,
                            bold=True) + look.px(6)
        for big, small in (("title", "heading"), ("heading", "body"), ("body", "body"), ("body", "small")):
            parts = [(text, big, "text", False), (self.t("class_feedback"), small, "warn" if bad else "good", True),
                     (feedback or self.t("class_no_feedback"), big if feedback else small,
                      "text" if feedback else "muted", False)]
            parts += [("• " + rule, small, "bad", False) for rule in rules]
            need = sum(look.text_height(p, role, width, bold=b) + look.px(10) for p, role, c, b in parts)
            if y + need <= r.bottom - look.px(12):
                break
        for part, role, colour, bold in parts:
            room = r.bottom - y - look.px(12)
            if room <= look.font_px(role):
                break
            y += look.blit_text(surface, part, (x, y), role, colour, width, bold=bold, max_height=room) + look.px(10)

    def draw_ended(self, surface: pygame.Surface) -> None:
        look = self.look
        top = self.top_h + self.bubble_height(self.line_role) + look.px(40)
        ending = self.t("ending_" + (self.session.ending or "none"))
        y = top + look.blit_text(surface, self.t("class_over", ending=ending), (self.text_x, top), "title", "text",
                                 self.text_w, bold=True) + look.px(12)
        if self.message:
            look.blit_text(surface, self.message, (self.text_x, y), "body", "warn", self.text_w)


def choice_key(key: int) -> int | None:
    """0-based option for the keys 1–6 (top row or number pad)."""
    if pygame.K_1 <= key <= pygame.K_6:
        return key - pygame.K_1
    if pygame.K_KP1 <= key <= pygame.K_KP6:
        return key - pygame.K_KP1
    return None


def votes_text(app, n: int, total: int) -> str:
    return app.t("class_of_votes_one" if total == 1 else "class_of_votes", n=n, total=total)


class ClassDebriefScene(Scene):
    name = "class_debrief"

    def __init__(self, app, scenario, session, votes: list[list[int] | None], notice: str = "", typed=None):
        super().__init__(app)
        self.typed = typed
        self.scenario = scenario
        self.session = session
        self.votes = votes
        self.notice = notice
        self.card = session.scorecard()
        best = analysis_of(session.scenario, session.rubric).best
        best_session = Session.replay(session.scenario, best.choices if best else [], session.rubric)
        self.best_turns = best_session.turns
        self.scroll = 0
        self.max_scroll = 0

    def rows(self) -> list[tuple]:
        """(number, class text, class act, votes for it, total votes, best text, best act, typed text or None, same)"""
        from simulator.game.lessons import aligned_paths

        out = []
        for row in aligned_paths(self.session):   # matched by node: after a detour the paths meet again
            mine, best = row.mine, row.best
            i = (row.number or 0) - 1
            tallies = (self.votes[i] if mine is not None and i < len(self.votes) else None) or []
            votes = tallies[mine.offered - 1] if mine and mine.offered - 1 < len(tallies) else 0
            typed = self.typed.text(i) if mine is not None and self.typed is not None else None
            out.append((row.number or "", mine.text if mine else "", mine.act if mine else "", votes, sum(tallies),
                        best.text if best else "", best.act if best else "", typed, row.same))
        return out

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        self.pad = look.px(30)
        bh = look.font_px("body") + look.px(26)
        bw = round(w * 0.2)
        y = h - bh - look.px(16)
        self.focus.set([Button(pygame.Rect(self.pad, y, bw, bh), self.t("class_again"), self.again, hint="R",
                               kind="primary"),
                        Button(pygame.Rect(self.pad + bw + look.px(16), y, bw, bh), self.t("class_other"), self.other,
                               hint="S")])
        self.list_top = look.px(20) + look.font_px("title") + 2 * look.font_px("heading") + look.px(36)
        self.list_bottom = y - look.px(14)

    def votes_text(self, n: int, total: int) -> str:
        return votes_text(self.app, n, total)

    def again(self) -> None:
        self.app.replace(ClassConversationScene(self.app, self.scenario))

    def other(self) -> None:
        self.app.pop_to("select")

    def back(self) -> None:
        self.other()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            step = self.look.px(60)
            if event.key in (pygame.K_DOWN, pygame.K_PAGEDOWN):
                self.scroll = min(self.max_scroll, self.scroll + step * (4 if event.key == pygame.K_PAGEDOWN else 1))
                return
            if event.key in (pygame.K_UP, pygame.K_PAGEUP):
                self.scroll = max(0, self.scroll - step * (4 if event.key == pygame.K_PAGEUP else 1))
                return
            if event.key == pygame.K_r:
                self.again()
                return
            if event.key == pygame.K_s:
                self.other()
                return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll = max(0, min(self.max_scroll, self.scroll - event.y * self.look.px(60)))
            return
        self.focus.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        look, w = self.look, self.app.size[0]
        pad = self.pad
        look.blit_text(surface, self.t("class_debrief"), (pad, look.px(16)), "title", "text", bold=True)
        ending = self.t("ending_" + (self.card["ending"] or "none"))
        summary = self.t("class_score", score=self.card["score"], ending=ending)
        y = look.px(20) + look.font_px("title")
        look.blit_text(surface, summary, (pad, y), "heading", "accent", bold=True)
        look.blit_text(surface, self.notice or self.t("class_saved_as", player=self.app.player or
                                                      self.t("class_player")),
                       (w - pad, y + look.px(4)), "body", "warn" if self.notice else "muted", align="right")

        num_w = look.px(44)
        col_w = (w - 2 * pad - num_w - look.px(24)) // 2
        class_x, best_x = pad + num_w, pad + num_w + col_w + look.px(24)
        head_y = self.list_top - look.font_px("heading") - look.px(10)
        look.blit_text(surface, self.t("class_column_class"), (class_x, head_y), "heading", "accent", bold=True)
        look.blit_text(surface, self.t("class_column_best"), (best_x, head_y), "heading", "good", bold=True)

        area = pygame.Rect(0, self.list_top, w, self.list_bottom - self.list_top)
        clip = surface.get_clip()
        surface.set_clip(area)
        y = self.list_top - self.scroll
        text_w = col_w - look.px(16)
        for number, text, act, votes, total, best_text, _best_act, typed, same in self.rows():
            how = self.t("class_typed_short", text=typed) if typed else self.votes_text(votes, total)
            label = f"{text}  ({how})" if text else ""
            best_label = self.t("class_same") if same else best_text
            hh = max(look.text_height(label or " ", "body", text_w),
                     look.text_height(best_label or " ", "body", text_w)) + look.px(20)
            row = pygame.Rect(pad, y, w - 2 * pad, hh)
            look.panel(surface, row, "panel", "good" if same else "panel_edge", radius=8, width=2 if same else 1)
            look.blit_text(surface, f"{number}.", (pad + look.px(10), y + look.px(10)), "body", "muted", bold=True)
            colour = "bad" if act in MISTAKE_ACTS else "text"
            look.blit_text(surface, label, (class_x, y + look.px(10)), "body", colour, text_w)
            look.blit_text(surface, best_label, (best_x, y + look.px(10)), "body", "good" if same else "text",
                           text_w)
            y += hh + look.px(8)
        surface.set_clip(clip)
        self.max_scroll = max(0, y + self.scroll - self.list_bottom)
        self.focus.draw(surface, look)
        buttons = self.focus.buttons
        if buttons:
            look.blit_text(surface, self.t("class_keys_debrief"), (w - pad, buttons[0].rect.centery -
                                                                   look.font_px("body") // 2), "body", "muted",
                           align="right")
