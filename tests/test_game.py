"""The game window, driven headless by real key and mouse events: title → select → conversation → debrief."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame
import pytest

from simulator.engine.session import Session
from simulator.game.app import App
from simulator.game.settings import Settings, config_dir
from simulator.scenario.loader import load_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "game"
WINKEL = FIXTURES / "winkel.nl.yaml"
SCREENS = ROOT / "test-output" / "screens"


class Player:
    """Drives an App the way a person would: typed text, keys, mouse moves and clicks, one loop turn at a time."""

    def __init__(self, tmp_path, size=(1280, 720), dirs=(FIXTURES,), **kw):
        self.app = App(scenario_dirs=list(dirs), data_dir=tmp_path, size=size, **kw).start()
        self.pump()

    def pump(self, turns: int = 2) -> None:
        for _ in range(turns):
            self.app.step(0)

    def type(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.pump()

    def key(self, key: int, unicode: str = "") -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=unicode, scancode=0,
                                             window=None))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode=unicode, scancode=0, window=None))
        self.pump()

    def shown(self, number: int) -> int:
        """Where the choice that is `number`-th among the offered ones in file order is shown (0-based): the
        window shuffles the order per conversation."""
        return self.scene.session.shown_numbers().index(number)

    def press(self, number: int) -> None:
        """Press the number key of the `number`-th offered choice in file order, wherever it is shown."""
        self.key(pygame.K_1 + self.shown(number))

    def click(self, pos) -> None:
        pos = tuple(int(v) for v in pos)
        pygame.mouse.set_pos(pos)
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0),
                                             touch=False, window=None))
        self.pump(1)
        for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            pygame.event.post(pygame.event.Event(kind, pos=pos, button=1, touch=False, window=None))
        self.pump()

    @property
    def scene(self):
        return self.app.scene

    def shot(self, name: str) -> pygame.Surface:
        """Save the screen as a PNG to look at; returns a copy of what was drawn (other test runs may be writing
        the same PNG at the same moment, so checks use the copy, not the file)."""
        self.app.draw()
        SCREENS.mkdir(parents=True, exist_ok=True)
        w, h = self.app.size
        path = SCREENS / f"{name}-{w}x{h}.png"
        tmp = path.with_name(f".{os.getpid()}-{path.name}")
        pygame.image.save(self.app.window, str(tmp))
        os.replace(tmp, path)
        return self.app.window.copy()

    def finish_line(self) -> None:
        if self.scene.state == "typing":
            self.key(pygame.K_LSHIFT)
        assert self.scene.state != "typing"

    def close(self) -> None:
        self.app.close()


@pytest.fixture
def player(tmp_path):
    p = Player(tmp_path)
    yield p
    p.close()


def debrief_text(scene) -> str:
    return "\n".join(line[0] for column in scene.sections for section in column for line in section)


def enter_name(p: Player, name: str = "Anna") -> None:
    p.type(name)
    p.key(pygame.K_RETURN)
    p.pump()
    assert p.scene.name == "select"


def open_card(p: Player, title_part: str) -> None:
    for b in p.scene.focus.buttons:
        if title_part in b.label:
            p.click(b.rect.center)
            break
    else:
        raise AssertionError(f"no card {title_part!r}")
    assert p.scene.name == "conversation"


def test_play_from_title_to_debrief_matches_terminal_scorecard(player, tmp_path):
    enter_name(player, "Anna")
    open_card(player, "koffiezetter")
    # keys, arrows + Enter, and the mouse, mixed as a player would
    choices = [1, 2, 1, 1, 1, 2]
    ways = ["key", "mouse", "arrows", "key", "mouse", "arrows"]
    for number, way in zip(choices, ways):
        player.finish_line()
        scene = player.scene
        assert scene.state == "choosing"
        if way == "key":
            player.press(number)
        elif way == "mouse":
            player.click(scene.focus.buttons[player.shown(number)].rect.center)
        else:
            assert not scene.focus.active               # nothing is pre-selected
            player.key(pygame.K_DOWN)                   # the first arrow focuses choice 1
            for _ in range(player.shown(number)):
                player.key(pygame.K_DOWN)
            player.key(pygame.K_RETURN)
        if player.scene.state == "feedback":
            player.key(pygame.K_SPACE)
    player.finish_line()
    assert player.scene.state == "ended"
    player.key(pygame.K_RETURN)
    assert player.scene.name == "debrief"
    shown = player.scene.card
    expected = Session.replay(load_file(WINKEL).scenario, choices, seed=shown["seed"]).scorecard()
    assert shown == expected
    assert player.scene.rows and all(r.mine is None or r.best is None or r.mine.node == r.best.node
                                     for r in player.scene.rows)
    # and the terminal's scripted play of the same choices prints the same scorecard
    import json
    import subprocess
    import sys

    terminal = subprocess.run([sys.executable, "main.py", "play", "--text", "--scenario", str(WINKEL), "--choices",
                               ",".join(map(str, choices)), "--json"], cwd=ROOT, capture_output=True, text=True)
    assert terminal.returncode == 0, terminal.stderr
    assert json.loads(terminal.stdout) == {k: v for k, v in shown.items() if k != "seed"}   # file order there
    assert shown["steps"]["ask"]["done"] and not shown["steps"]["follow_up"]["done"]
    # the result was saved for this player, so the card shows the best score next time
    player.key(pygame.K_s)
    assert player.scene.name == "select"
    assert player.app.best_scores()[("game-fixture-winkel", "nl")] == expected["score"]


def test_bundled_starter_best_path_by_keyboard_only(tmp_path):
    from simulator.analysis.search import analyse
    from simulator.scenario.library import BUNDLED

    starter = load_file(BUNDLED / "starter.nl.yaml").scenario
    best = analyse(starter).best.choices
    p = Player(tmp_path, dirs=(BUNDLED,))
    try:
        enter_name(p)
        for _ in range(len(p.scene.focus.buttons)):      # walk the cards with the arrow keys
            if p.scene.focus.focused.label == starter.title:
                break
            p.key(pygame.K_RIGHT)
        p.key(pygame.K_RETURN)
        assert p.scene.name == "conversation" and p.scene.session.scenario.id == "starter"
        for number in best:
            p.finish_line()
            p.press(number)
            if p.scene.state == "feedback":
                p.key(pygame.K_RETURN)
        p.finish_line()
        p.key(pygame.K_RETURN)
        assert p.scene.name == "debrief"
        assert p.scene.card == Session.replay(starter, best, seed=p.scene.card["seed"]).scorecard()
        assert p.scene.card["score"] == 100 and p.scene.parted is None
    finally:
        p.close()


def test_coach_feedback_undo_and_fall_back(player):
    enter_name(player)
    open_card(player, "koffiezetter")
    player.finish_line()
    player.press(2)                             # justify: back to step 1, with feedback in coach mode
    scene = player.scene
    assert scene.state == "feedback"
    assert "terug naar stap 1" in scene.session.turns[-1].feedback.lower()
    assert any("stap 1" in text.lower() for text, _ in scene.stamps(scene.session.turns[-1]))
    player.shot("coach-feedback")
    player.key(pygame.K_SPACE)
    player.finish_line()
    assert len(scene.session.turns) == 1
    player.key(pygame.K_u)
    assert scene.session.turns == [] and scene.state == "choosing"
    player.press(1)                             # listen: step 1 lights up
    assert scene.session.phase == 1
    player.key(pygame.K_SPACE)                  # past the feedback
    player.finish_line()
    undo = next(b for b in scene.keybar.buttons if b.hint == "U")
    player.click(undo.rect.center)              # the undo button works with the mouse too
    assert scene.session.turns == [] and scene.session.phase == 0


def test_the_dialogue_log_scrolls_with_page_keys(player):
    enter_name(player)
    open_card(player, "koffiezetter")
    for number in (1, 1, 1, 1):
        player.finish_line()
        player.press(number)
        if player.scene.state == "feedback":
            player.key(pygame.K_SPACE)
    player.finish_line()
    scene = player.scene
    assert scene.max_scroll > 0 and scene.scroll == 0       # the newest lines and the choices are in view
    assert all(scene.log_rect.contains(b.rect) for b in scene.focus.buttons)
    player.key(pygame.K_PAGEUP)
    assert scene.scroll > 0
    player.key(pygame.K_PAGEDOWN)
    player.key(pygame.K_PAGEDOWN)
    assert scene.scroll == 0


def test_fullscreen_setting_reopens_the_window(tmp_path):
    p = Player(tmp_path)
    try:
        pygame.mouse.set_pos((0, 0))            # keep the pointer off the rows: a hovered row takes the focus
        p.key(pygame.K_F2)
        for _ in range(4):
            p.key(pygame.K_DOWN)                # … → fullscreen
        p.key(pygame.K_RETURN)
        assert p.app.settings.fullscreen
        assert pygame.display.get_surface().get_flags() & pygame.FULLSCREEN
        p.key(pygame.K_RETURN)
        assert not p.app.settings.fullscreen and p.app.size == (1280, 720)
    finally:
        p.close()


def test_exam_mode_shows_no_feedback_and_cannot_undo(tmp_path):
    settings = Settings.load(config_dir(tmp_path))
    settings.mode = "exam"
    settings.save()
    p = Player(tmp_path)
    try:
        enter_name(p)
        open_card(p, "koffiezetter")
        p.finish_line()
        p.press(2)
        assert p.scene.state != "feedback"
        p.finish_line()
        p.key(pygame.K_u)
        assert len(p.scene.session.turns) == 1
        assert p.scene.stamps(p.scene.session.turns[-1]) == []      # nothing judges live in an exam
        p.key(pygame.K_ESCAPE)
        p.key(pygame.K_j)
        for b in p.scene.focus.buttons:
            if "koffiezetter" in b.label:
                p.click(b.rect.center)
        if p.app.overlay is not None:                               # the stopped one: start again
            p.key(pygame.K_n)
        assert p.scene.name == "conversation" and not p.scene.session.turns
        for number in (1, 1, 1, 1, 1, 1):
            p.finish_line()
            assert p.scene.state != "feedback"
            p.press(number)
        p.finish_line()
        p.key(pygame.K_RETURN)
        # the feedback held back during the exam is all in the debrief
        assert p.scene.name == "debrief"
        text = debrief_text(p.scene)
        assert "Eerst laten uitpraten: de klant wil stoom afblazen." in text
        assert "Controleren of de oplossing werkt." in text
    finally:
        p.close()


def test_escape_goes_back_and_abandoned_talk_is_kept(player):
    enter_name(player, "Bram")
    open_card(player, "koffiezetter")
    player.finish_line()
    player.press(1)
    player.key(pygame.K_ESCAPE)
    assert player.scene.name == "conversation" and player.app.overlay is not None   # Esc asks first
    player.key(pygame.K_ESCAPE)                 # … and Esc again means "no, play on"
    assert player.app.overlay is None and len(player.scene.session.turns) == 1
    player.key(pygame.K_ESCAPE)
    player.key(pygame.K_j)                      # yes, stop
    assert player.scene.name == "select"
    store = player.app.store()
    assert [r.status for r in store.history("Bram")] == ["abandoned"]
    player.key(pygame.K_h)                      # the history lists it
    assert player.scene.name == "history"
    assert [(r.scenario, r.status) for r in player.scene.rows] == [("game-fixture-winkel", "abandoned")]
    player.shot("history")
    player.key(pygame.K_DOWN)
    player.key(pygame.K_RETURN)                 # a row opens that conversation's debrief
    assert player.scene.name == "debrief" and len(player.scene.session.turns) == 1
    player.key(pygame.K_ESCAPE)
    assert player.scene.name == "history"
    player.key(pygame.K_ESCAPE)
    assert player.scene.name == "select"
    player.key(pygame.K_ESCAPE)
    assert player.scene.name == "title"
    player.key(pygame.K_ESCAPE)
    assert not player.app.running


@pytest.mark.parametrize("size", [(1280, 720), (800, 480)])
def test_the_history_shows_when_whole_at_every_window_size(tmp_path, size):
    """The date column gives the day and time whole (without the year, or with two digits of it, when the column is
    narrow), never cut off with an ellipsis."""
    from simulator.game.text_render import text_size

    p = Player(tmp_path, size=size)
    try:
        enter_name(p, "Bram")
        open_card(p, "koffiezetter")
        p.finish_line()
        p.press(1)
        p.key(pygame.K_ESCAPE)
        p.key(pygame.K_j)
        p.key(pygame.K_h)
        scene = p.scene
        assert scene.name == "history"
        table, look = scene.table, p.app.look
        width = round(table.width * 0.19) - 2 * look.px(12)   # the column, as the screen lays it out
        stamp = scene.rows[0].finished_at
        shown = scene.when(stamp, width)
        assert "…" not in shown and text_size(look.font("body"), shown)[0] <= width
        assert shown.endswith(scene.when(stamp)[-5:])                      # the time, whole
        assert shown == scene.when(stamp) or size == (800, 480)            # the full date where it fits
    finally:
        p.close()


def test_broken_file_is_listed_with_its_first_error(player):
    enter_name(player)
    broken = [b for b in player.scene.focus.buttons if b.kind == "broken"]
    assert [b.label for b in broken] == ["kapot.nl.yaml"]
    player.click(broken[0].rect.center)
    assert player.scene.name == "select"
    # the window's language (Dutch by default), not the system's (English in the tests, see conftest.py)
    assert "sleutel 'summary' ontbreekt" in player.scene.message


def test_broken_file_speaks_the_language_chosen_in_the_window(player, monkeypatch):
    """On a Dutch system, a player who switches the window to English reads the broken file's error in English,
    on its card and under the cards, also when the error was shown before the switch."""
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    enter_name(player)
    broken = next(b for b in player.scene.focus.buttons if b.kind == "broken")
    player.click(broken.rect.center)
    assert "sleutel 'summary' ontbreekt" in player.scene.message
    dutch = player.shot("broken-nl")
    player.key(pygame.K_F2)
    assert player.scene.name == "settings"
    player.key(pygame.K_RIGHT)                  # the first row: language, nl → en
    assert player.app.settings.language == "en"
    player.key(pygame.K_ESCAPE)
    assert player.scene.name == "select"
    assert "missing key 'summary'" in player.scene.message and "ontbreekt" not in player.scene.message
    assert player.scene.message.startswith("This file cannot be played.")
    english = player.shot("broken-en")
    result = next(b for b in player.scene.focus.buttons if b.kind == "broken").extra["result"]
    assert player.scene.card_error(result) == "1:1: missing key 'summary' at the top of the scenario. " \
        "Add the key; docs/formaat.md says what it holds."     # the card's own line is reworded too
    assert pygame.image.tobytes(dutch, "RGB") != pygame.image.tobytes(english, "RGB")


def test_name_is_required_and_remembered(tmp_path):
    p = Player(tmp_path)
    try:
        p.key(pygame.K_RETURN)
        assert p.scene.name == "title" and p.scene.error
        enter_name(p, "  Zoë   de Vries ")
        assert p.app.player == "Zoë de Vries"
    finally:
        p.close()
    p = Player(tmp_path)
    try:   # the name is now a button on the title screen
        names = [b for b in p.scene.focus.buttons if b.label == "Zoë de Vries"]
        assert names
        p.click(names[0].rect.center)
        assert p.scene.name == "select" and p.app.player == "Zoë de Vries"
    finally:
        p.close()


def test_settings_change_with_keys_and_are_remembered(tmp_path):
    p = Player(tmp_path)
    try:
        p.key(pygame.K_F2)
        assert p.scene.name == "settings"
        body = p.app.look.font_px("body")
        for _ in range(2):
            p.key(pygame.K_DOWN)                # language → text speed → text size
        p.key(pygame.K_RIGHT)                   # medium → large
        assert p.app.settings.text_size == "large"
        assert p.app.look.font_px("body") > body
        p.key(pygame.K_DOWN)
        p.key(pygame.K_RETURN)                  # high contrast on
        p.key(pygame.K_ESCAPE)
        assert p.scene.name == "title"
    finally:
        p.close()
    again = Settings.load(config_dir(tmp_path))
    assert (again.text_size, again.high_contrast) == ("large", True)


def test_loop_waits_and_redraws_only_on_change(player):
    import time

    enter_name(player)
    player.pump(3)
    frames = player.app.frames
    t0 = time.perf_counter()
    player.app.step(40)                         # no event, nothing animating: it sleeps, and draws nothing
    player.app.step(40)
    assert time.perf_counter() - t0 >= 0.07
    assert player.app.frames == frames
    player.key(pygame.K_DOWN)                   # moving the focus redraws
    assert player.app.frames > frames


def test_window_resizes_and_layout_follows(player):
    enter_name(player)
    open_card(player, "koffiezetter")
    player.finish_line()
    player.app.window = pygame.display.set_mode((1920, 1080), pygame.RESIZABLE)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1920, 1080), w=1920, h=1080))
    player.pump()
    assert player.app.look.size == (1920, 1080)
    for b in player.scene.focus.buttons:
        assert pygame.Rect(0, 0, 1920, 1080).contains(b.rect)


def test_scenario_text_with_markup_characters_is_shown_as_written(player):
    enter_name(player)
    card = next(b for b in player.scene.focus.buttons if "koffiezetter" in b.label)
    assert card.label == "De kapotte koffiezetter & de bon"   # no markup: `&` and `<` are drawn, not read
    open_card(player, "koffiezetter")
    player.finish_line()
    player.press(1)
    said = [item for kind, item in player.scene.entries() if kind == "you"]
    assert "‘Vertelt u het maar.’" in said[0].text


SIZES = [(1280, 720), (1920, 1080)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_renders_at_both_sizes(tmp_path, size):
    from simulator.scenario.library import BUNDLED

    p = Player(tmp_path, size=size, dirs=(BUNDLED, FIXTURES))
    try:
        p.type("Anna")
        shots = [p.shot("title")]
        p.key(pygame.K_RETURN)
        shots.append(p.shot("select"))
        open_card(p, "koffiezetter")
        shots.append(p.shot("conversation-typing"))
        p.finish_line()
        shots.append(p.shot("conversation-choices"))
        p.press(2)
        shots.append(p.shot("conversation-feedback"))
        for number in (None, 1, 1, 1, 1, 1, 1):
            if number:
                p.press(number)
            if p.scene.state == "feedback":
                p.key(pygame.K_SPACE)
            p.finish_line()
            if p.scene.state == "ended":
                break
        shots.append(p.shot("conversation-end"))
        p.key(pygame.K_RETURN)
        shots.append(p.shot("debrief"))
        p.key(pygame.K_s)
        shots.append(p.shot("select-with-best-score"))
        p.key(pygame.K_ESCAPE)
        assert p.scene.name == "title"
        p.key(pygame.K_F2)
        shots.append(p.shot("settings"))
        assert "pygame_gui" not in sys.modules   # every screen is drawn by the window's own widgets
        for image in shots:
            assert image.get_size() == size
            # a screen with content has many colours, not just the background
            assert len({tuple(image.get_at((x, y))) for x in range(0, size[0], 37) for y in range(0, size[1], 29)}) > 8
    finally:
        p.close()


def test_long_choices_at_the_largest_text_scroll_into_view(tmp_path):
    from simulator.analysis.search import analyse
    from simulator.scenario.library import BUNDLED

    settings = Settings.load(config_dir(tmp_path))
    settings.text_size = "extra_large"
    settings.save()
    scenario = load_file(BUNDLED / "scheldende-beller.nl.yaml").scenario
    p = Player(tmp_path, dirs=(BUNDLED,))
    try:
        enter_name(p)
        p.app.scene.play(next(r for r in p.app.library() if r.scenario.id == "scheldende-beller"
                              and r.scenario.language == "nl"))
        scrolled = False
        body = p.app.look.font_px("body")
        for number in analyse(scenario).best.choices:
            p.finish_line()
            scene = p.scene
            p.key(pygame.K_UP)                  # focus the last choice
            last = scene.focus.buttons[-1]
            assert scene.focus.focused is last
            assert scene.log_rect.contains(last.rect), "the focused choice must be in sight"
            scrolled |= scene.max_scroll > 0
            assert p.app.look.font_px("body") == body    # the text is never shrunk to fit
            p.press(number)
            if p.scene.state == "feedback":
                p.key(pygame.K_RETURN)
        assert scrolled
    finally:
        p.close()


def test_high_contrast_and_largest_text_render(tmp_path):
    settings = Settings.load(config_dir(tmp_path))
    settings.high_contrast, settings.text_size = True, "extra_large"
    settings.save()
    p = Player(tmp_path)
    try:
        enter_name(p)
        open_card(p, "koffiezetter")
        p.finish_line()
        image = p.shot("conversation-contrast-xl")
        area = p.app.window.get_rect()
        for b in p.scene.focus.buttons:
            if p.scene.log_rect.colliderect(b.rect):
                assert area.contains(b.rect)
        # the customer keeps their own hair colour on a light portrait backdrop: no more bald customers
        from simulator.game.face import appearance

        hair = appearance(p.scene.session.scenario.customer.name)["hair"]
        frame = p.scene.face_rect
        colours = {tuple(image.get_at((x, y)))[:3] for x in range(frame.x, frame.right, 2)
                   for y in range(frame.y, frame.bottom, 2)}
        assert tuple(hair)[:3] in colours
    finally:
        p.close()


def test_run_opens_the_given_scenario_after_the_name_and_closes_cleanly(tmp_path, monkeypatch):
    from simulator.game import app as app_module

    seen = {}
    real_start = app_module.App.start

    def start_then_play(self):
        real_start(self)
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Eva"))
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
        original_step = self.step

        def step(wait_ms=None):
            original_step(0)
            if self.scene is not None and self.scene.name == "conversation" and "node" not in seen:
                seen["node"] = self.scene.session.node.id
                seen["mode"] = self.scene.coach
                pygame.event.post(pygame.event.Event(pygame.QUIT))
        self.step = step
        return self

    monkeypatch.setattr(app_module.App, "start", start_then_play)
    code = app_module.run(scenario_path=str(WINKEL), language="en", data_dir=tmp_path, start_node="vragen",
                          mode="exam")
    assert code == 0
    assert seen == {"node": "vragen", "mode": False}
    assert Settings.load(config_dir(tmp_path)).mode == "coach"     # the run's mode is not written into settings


def test_run_with_an_unknown_scenario_says_so(tmp_path, capsys):
    from simulator.game.app import run

    assert run(scenario_path="no-such-scenario", data_dir=tmp_path) == 1
    assert "no scenario with id 'no-such-scenario'" in capsys.readouterr().err


def test_class_mode_skips_the_personal_profile(tmp_path):
    p = Player(tmp_path, class_mode=True)
    try:
        assert p.scene.name == "select" and p.app.player == "Klas"
        p.key(pygame.K_ESCAPE)                  # Esc on the class's list asks before it closes the lesson
        assert p.app.running and p.app.overlay is not None
        p.key(pygame.K_ESCAPE)
        assert p.app.running and p.app.overlay is None
        p.key(pygame.K_ESCAPE)
        p.key(pygame.K_q)
        assert not p.app.running
    finally:
        p.close()


def test_every_window_string_exists_in_dutch_and_english():
    import re

    import yaml

    from simulator.game.look import TEXT_SIZES
    from simulator.game.settings import TEXT_SPEEDS
    from simulator.scenario.model import CHANNELS, ENDINGS, STEPS

    strings = yaml.safe_load((ROOT / "simulator" / "i18n" / "game.yaml").read_text(encoding="utf-8"))
    assert all(set(v) == {"nl", "en"} and all(v.values()) for v in strings.values())
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "simulator" / "game").rglob("*.py")
                       if p.name != "classroom.py")
    used = {k for k in re.findall(r"""\bt\(["']([a-z_]+)["']""", source) if not k.endswith("_")}
    dynamic = ({f"channel_{c}" for c in CHANNELS} | {f"ending_{e}" for e in (*ENDINGS, "none")}
               | {f"step_short_{s}" for s in STEPS} | {f"meter_{m}" for m in ("anger", "trust")}
               | {f"expression_{e}" for e in ("furious", "angry", "annoyed", "pleased", "neutral", "hostile")}
               | {f"status_{s}" for s in ("in_order", "too_early", "missed", "open", "lost", "not_assessed")}
               | {f"mode_{m}" for m in ("coach", "exam")} | {f"mode_{m}_value" for m in ("coach", "exam")}
               | {f"text_size_{s}" for s in TEXT_SIZES} | {f"text_speed_{s}" for s in TEXT_SPEEDS}
               | {f"language_{lang}" for lang in ("nl", "en")}
               | {f"setting_{k}" for k in ("language", "text_speed", "text_size", "high_contrast", "fullscreen",
                                           "mode", "sound_volume", "voice", "feedback_timer")})
    missing = sorted(k for k in used | dynamic if f"game_{k}" not in strings)
    assert missing == []
    # the window looks its words up in its own files only (i18n.WINDOW): every key it names directly is there
    from simulator.i18n import WINDOW, strings_of

    window = {}
    for name in WINDOW:
        window.update(strings_of(name))
    every = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "simulator" / "game").rglob("*.py"))
    named = {k for k in re.findall(r"""\btranslate\(["']([a-z_]+)["']""", every) if not k.endswith("_")}
    named |= {f"game_{k}" for k in used | dynamic}
    assert named and sorted(k for k in named if k not in window) == []
    assert all(set(window[k]) == {"nl", "en"} for k in named)


def test_a_bug_in_the_loop_ends_with_one_line_and_a_log(tmp_path, monkeypatch, capsys):
    from simulator.game import app as app_module

    def broken_step(self, wait_ms=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_module.App, "step", broken_step)
    assert app_module.run(data_dir=tmp_path) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError: boom" in err
    assert "Traceback" in (tmp_path / "crash.log").read_text(encoding="utf-8")


def test_each_customer_keeps_a_look_of_their_own():
    from simulator.game.face import appearance

    assert appearance("mevrouw Öztürk") == appearance("mevrouw Öztürk")
    assert appearance("meneer Verbeek")["style"] in ("short", "bald")
    looks = {tuple(map(str, appearance(n).values())) for n in
             ("mevrouw Öztürk", "meneer Verbeek", "mevrouw De Graaf", "meneer Bakker", "Mrs Visser")}
    assert len(looks) > 1


def test_cards_scroll_with_the_keyboard_and_hidden_cards_cannot_be_clicked(tmp_path):
    from simulator.scenario.library import BUNDLED

    p = Player(tmp_path, dirs=(BUNDLED, FIXTURES))
    try:
        enter_name(p)
        scene = p.scene
        assert scene.content_h > scene.view.height          # more cards than fit: the list scrolls
        for _ in range((len(scene.focus.buttons) - 1) // scene.focus.columns):   # down to the last row
            p.key(pygame.K_DOWN)
            assert scene.view.contains(scene.focus.focused.rect)
        assert scene.scroll > 0
        hidden = [b for b in scene.focus.buttons if b.rect.bottom <= scene.view.top]
        assert hidden
        p.click((hidden[0].rect.centerx, max(1, hidden[0].rect.bottom - 5)))
        assert p.scene.name == "select"
    finally:
        p.close()



def test_a_whole_game_needs_neither_pygame_gui_nor_openssl(tmp_path):
    """A fresh process plays a game to the debrief: no pygame_gui and no OpenSSL (hashlib's libcrypto, 3.7 MB) are
    loaded, and the saved result still names the scenario by its file's SHA-256, as results saved before did."""
    import hashlib
    import json
    import subprocess

    code = ("import json, sys\n"
            "from benchmarks.game_bench import _app, _to\n"
            "app = _app()\n"
            "assert _to(app, 'debrief').name == 'debrief'\n"
            "saved = app.store().results()\n"
            "played = next(r for r in app.library() if r.ok).path\n"
            "app.close()\n"
            "print(json.dumps([sorted(sys.modules), str(played), [r.scenario_version for r in saved]]))\n")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(ROOT),
               TMPDIR=str(tmp_path))
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    modules, played, versions = json.loads(r.stdout.strip().splitlines()[-1])
    assert not {"pygame_gui", "_hashlib", "hashlib"} & set(modules)
    assert versions == [hashlib.sha256(Path(played).read_bytes()).hexdigest()]


def test_a_card_names_difficulty_and_channel_in_the_windows_language(player):
    """An English window shows 'Difficulty … phone · NL' on a Dutch scenario's card: no Dutch words beside English
    ones; the scenario's own title and summary stay in its language."""
    enter_name(player)
    scenario = next(b.extra["result"].scenario for b in player.scene.focus.buttons
                    if b.kind == "card" and b.extra["result"].scenario.language == "nl")
    assert player.scene.card_meta(scenario).startswith("Moeilijkheid")
    player.key(pygame.K_F2)
    player.key(pygame.K_RIGHT)                  # language nl → en
    player.key(pygame.K_ESCAPE)
    meta = player.scene.card_meta(scenario)
    assert meta.startswith("Difficulty") and meta.endswith("· " + scenario.language.upper())
    assert "telefoon" not in meta and "balie" not in meta
