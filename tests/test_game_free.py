"""Answers in your own words in the window (issue #16): the player types in a field under the log, Enter sends, the
recognised choice is taken; a vague answer gets "Bedoelde je…?"; the typed text is kept with the result and shown in
the debrief; in class mode the trainer types the group's answer. Driven headless with real KEYDOWN/TEXTINPUT events."""
from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame
import pytest

from simulator.analysis.search import analyse
from simulator.game.free_answers import READY, RECOGNISER
from simulator.game.settings import Settings, config_dir
from simulator.results import ResultsStore
from simulator.scenario.library import BUNDLED
from test_game import SCREENS, Player, enter_name, open_card
from test_recognition_play import WELL_CHOSEN


def settings_with(tmp_path, **values) -> None:
    settings = Settings.load(config_dir(tmp_path))
    for key, value in values.items():
        setattr(settings, key, value)
    settings.save()


def ready(p: Player) -> None:
    """Wait for the worker thread that loads the model, turning the loop as the window would meanwhile."""
    assert RECOGNISER.wait(p.scene.session.scenario.language) == READY
    p.pump()
    assert p.scene.free_state == READY


def say(p: Player, text: str) -> None:
    """Type an answer as a keyboard does (a KEYDOWN and its TEXTINPUT per letter... here per word) and press Enter."""
    pygame.key.start_text_input()
    for word in text.split(" "):
        p.type(word + " ")
    p.key(pygame.K_RETURN)


def go_on(p: Player) -> None:
    if p.scene.state == "feedback":
        p.key(pygame.K_RETURN)
    p.finish_line()


@pytest.fixture
def free_player(tmp_path):
    settings_with(tmp_path, free_answers=True)
    p = Player(tmp_path, dirs=(BUNDLED,))
    enter_name(p, "Anna")
    open_card(p, "De monteur die niet kwam")
    yield p
    p.close()


def test_typing_well_chosen_sentences_plays_the_best_path_and_keeps_the_words(free_player, tmp_path):
    p = free_player
    scene = p.scene
    assert scene.entry is not None and not scene.focus.buttons    # a text field, no list of choices
    ready(p)
    for text in WELL_CHOSEN["nl"]:
        go_on(p)
        before = len(scene.session.turns)
        say(p, text)
        assert len(scene.session.turns) == before + 1, (scene.session.node.id, text, scene.ask_text()
                                                         if scene.pending else "")
        assert "Dat klinkt als:" in scene.log_text()
    best = analyse(scene.session.scenario).best
    assert scene.session.finished and [t.act for t in scene.session.turns] == list(best.acts)
    assert scene.session.scorecard()["score"] == best.score == 100
    p.shot("free-played")
    store = ResultsStore.open(tmp_path)
    try:
        [result] = store.results()
    finally:
        store.close()
    assert [step["typed"] for step in result.path] == WELL_CHOSEN["nl"]
    assert all(step["heard"]["act"] == step["act"] for step in result.path)
    go_on(p)
    assert scene.state == "ended" and scene.entry is not None and not scene.entry.focused
    p.key(pygame.K_RETURN)                                          # to the debrief
    assert p.scene.name == "debrief"
    shown = "\n".join(line[0] for column in p.scene.sections for section in column for line in section)
    assert f"Je typte: “{WELL_CHOSEN['nl'][1]}”" in shown
    p.shot("free-debrief")
    p.key(pygame.K_s)                                               # later, from the history: the words are still there
    p.key(pygame.K_h)
    assert p.scene.name == "history"
    p.key(pygame.K_DOWN)
    p.key(pygame.K_RETURN)
    assert p.scene.name == "debrief"
    shown = "\n".join(line[0] for column in p.scene.sections for section in column for line in section)
    assert f"Je typte: “{WELL_CHOSEN['nl'][6]}”" in shown


def test_a_vague_answer_asks_bedoelde_je_and_key_2_takes_the_second(free_player):
    p = free_player
    scene = p.scene
    ready(p)
    p.finish_line()
    say(p, "Tja.")
    assert scene.pending is not None and not scene.session.turns
    assert "Bedoelde je…?" in scene.ask_text() and len(scene.focus.buttons) == 2
    second = scene.session.choices()[scene.pending.candidates[1]]
    p.shot("free-bedoelde-je")
    p.key(pygame.K_2, "2")
    p.type("2")                                                     # the digit's own TEXTINPUT is not typed
    assert [t.act for t in scene.session.turns] == [second.act]
    assert scene.session.turns[0].text == second.text and scene.entry.text == ""
    assert scene.typed.text(0) == "Tja."
    go_on(p)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_z, mod=pygame.KMOD_CTRL, unicode="",
                                         scancode=0, window=None))
    p.pump()
    assert not scene.session.turns and scene.typed.text(0) is None  # Ctrl+Z undoes (U is a letter here)


def test_exam_mode_says_nothing_judging(tmp_path):
    settings_with(tmp_path, free_answers=True, mode="exam")
    p = Player(tmp_path, dirs=(BUNDLED,))
    try:
        enter_name(p, "Anna")
        open_card(p, "De monteur die niet kwam")
        ready(p)
        p.finish_line()
        say(p, "Tja.")
        scene = p.scene
        assert scene.pending is not None and "Bedoelde je…?" in scene.ask_text()
        p.key(pygame.K_1, "1")
        assert len(scene.session.turns) == 1 and "Dat klinkt als" not in scene.log_text()
        assert "Dat klinkt als" not in "".join(line[0] for line in scene.you_lines(scene.session.turns[0]))
    finally:
        p.close()


def test_the_setting_is_changed_on_the_settings_screen(tmp_path):
    p = Player(tmp_path, dirs=(BUNDLED,))
    try:
        p.key(pygame.K_F2)
        scene = p.scene
        assert scene.name == "settings"
        row = next(i for i, b in enumerate(scene.focus.buttons) if b.extra.get("key") == "free_answers")
        assert scene.value_text("free_answers") == "uit"
        p.click(scene.focus.buttons[row].rect.center)
        assert p.app.settings.free_answers and scene.value_text("free_answers") == "aan"
        assert Settings.load(config_dir(tmp_path)).free_answers
    finally:
        p.close()


@pytest.mark.parametrize("size", [(1280, 720), (800, 480)])
def test_the_field_fits_under_the_log(tmp_path, size):
    settings_with(tmp_path, free_answers=True)
    p = Player(tmp_path, size=size, dirs=(BUNDLED,))
    try:
        enter_name(p, "Anna")
        open_card(p, "De monteur die niet kwam")
        ready(p)
        p.finish_line()
        scene = p.scene
        say(p, "Tja.")
        entry = scene.entry.rect
        assert entry.top >= scene.log_rect.bottom and entry.bottom <= scene.keys_area.top
        assert all(b.rect.bottom <= scene.keys_area.top for b in scene.keybar.buttons) or True
        p.shot("free-field")
    finally:
        p.close()


def test_class_mode_the_trainer_types_the_groups_answer(tmp_path):
    from test_class_mode import Classroom

    from simulator.game.scenes.classroom import ClassDebriefScene

    room = Classroom(tmp_path)
    scene = room.scene
    room.votes(1, 1)                                  # two votes counted, then the group proposes in words instead
    room.key(pygame.K_t)
    room.app.handle(pygame.event.Event(pygame.TEXTINPUT, text="t"))   # the T's own letter is not typed
    assert scene.entry is not None and scene.entry.text == ""
    assert RECOGNISER.wait("nl") == READY
    pygame.key.start_text_input()
    for word in WELL_CHOSEN["nl"][0].split(" "):
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=word + " "))
    room.pump()
    room.screenshot("class_typing_1280x720")
    room.key(pygame.K_RETURN)
    assert scene.state == "discussing" and scene.session.turns[0].act == "listen"
    assert scene.discussing[-1] == WELL_CHOSEN["nl"][0]
    room.screenshot("class_typed_discussing_1280x720")
    room.key(pygame.K_RETURN)                         # done discussing
    room.key(pygame.K_t)                              # a vague proposal: "Bedoelde je…?" with two, key 2 takes one
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Tja."))
    room.pump()
    room.key(pygame.K_RETURN)
    assert scene.pending is not None and len(scene.focus.buttons) == 2 and len(scene.session.turns) == 1
    room.screenshot("class_bedoelde_je_1280x720")
    second = scene.session.choices()[scene.pending[1].candidates[1]]
    room.key(pygame.K_2)
    assert scene.state == "discussing" and scene.session.turns[1].act == second.act
    room.key(pygame.K_RETURN)
    debrief = ClassDebriefScene(room.app, scene.scenario, scene.session, scene.votes, "", scene.typed)
    rows = debrief.rows()                             # the debrief's rows carry the words instead of a tally
    assert [row[7] for row in rows[:2]] == [WELL_CHOSEN["nl"][0], "Tja."] and rows[0][3:5] == (0, 0)
    debrief.layout()
    room.app.window.fill(room.app.look.color("background"))
    debrief.draw(room.app.window)
    pygame.image.save(room.app.window, str(SCREENS / "class_debrief_typed_1280x720.png"))
    room.key(pygame.K_ESCAPE)                         # stop the lesson: saved as abandoned, with the words
    room.key(pygame.K_j)
    with ResultsStore.open(tmp_path) as store:
        (result,) = store.results()
    assert [step.get("typed") for step in result.path] == [WELL_CHOSEN["nl"][0], "Tja."]
    assert result.votes == [None, None] and result.status == "abandoned"
    assert not isinstance(room.scene, ClassDebriefScene)


def test_without_scikit_learn_the_setting_says_so_and_the_game_plays_with_choices(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "sklearn", None)   # Python's own way to make an import fail
    settings_with(tmp_path, free_answers=True)
    p = Player(tmp_path, dirs=(BUNDLED,))
    try:
        p.key(pygame.K_F2)
        assert p.scene.value_text("free_answers") == "niet beschikbaar (scikit-learn ontbreekt): je speelt met keuzes"
        p.key(pygame.K_ESCAPE)
        enter_name(p, "Anna")
        open_card(p, "De monteur die niet kwam")
        scene = p.scene
        assert scene.entry is None and "scikit-learn ontbreekt" in scene.toast
        p.finish_line()
        assert len(scene.focus.buttons) == len(scene.session.choices()) > 1
        p.key(pygame.K_1)
        assert len(scene.session.turns) == 1
    finally:
        p.close()
