"""Class mode on a projector: the trainer tallies votes with keys, the majority is played, feedback stays up for
discussion, the debrief puts the class's choices beside the best path, and the session is saved with the votes."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame
import pytest

from simulator.game.app import App
from simulator.game.scenes.classroom import ClassConversationScene, ClassDebriefScene, majority
from simulator.results import ResultsStore
from simulator.analysis.search import analyse
from simulator.scenario.loader import load_file

ROOT = Path(__file__).resolve().parents[1]
STARTER = ROOT / "scenarios" / "starter.nl.yaml"
SCREENS = ROOT / "test-output" / "screens"


class Classroom:
    def __init__(self, tmp_path, size=(1280, 720)):
        self.data = tmp_path
        self.app = App(data_dir=tmp_path, size=size, class_mode=True).start()
        self.scenario = load_file(STARTER).scenario
        self.app.push(ClassConversationScene(self.app, self.scenario))
        self.pump()

    def pump(self):
        for _ in range(2):
            self.app.step(0)

    def key(self, key, mod=0):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0, window=None))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0, window=None))
        self.pump()

    def votes(self, *numbers):
        """Votes for the n-th offered choice in file order, wherever the shuffled screen shows it."""
        for n in numbers:
            self.key(pygame.K_1 + self.scene.session.shown_numbers().index(n))

    @property
    def scene(self):
        return self.app.scene

    def screenshot(self, name):
        SCREENS.mkdir(parents=True, exist_ok=True)
        self.app.draw()
        pygame.image.save(self.app.window, str(SCREENS / f"{name}.png"))


def test_the_majority_is_played_and_its_feedback_stays_up_for_discussion(tmp_path):
    room = Classroom(tmp_path)
    room.votes(1, 2, 2, 3, 2)
    assert room.scene.in_file_order(room.scene.tallies) == [1, 3, 1, 0]  # the opening offers four answers
    room.key(pygame.K_RETURN)
    scene = room.scene
    assert scene.state == "discussing"
    turn = scene.session.turns[0]
    assert turn.offered == 2
    assert scene.discussing[4] == turn.feedback and turn.feedback
    for _ in range(3):  # no timer: the feedback waits for the trainer
        room.app.step(0)
    assert scene.state == "discussing"
    room.key(pygame.K_RETURN)
    assert scene.state == "voting" and scene.tallies == [0] * len(scene.session.choices())
    assert scene.votes == [[1, 3, 1, 0]]


def test_a_tie_or_no_votes_plays_nothing_and_says_why(tmp_path):
    room = Classroom(tmp_path)
    room.key(pygame.K_RETURN)
    assert not room.scene.session.turns and "Nog geen stemmen" in room.scene.message
    room.votes(1, 3)
    room.key(pygame.K_RETURN)
    shown = sorted(room.scene.session.shown_numbers().index(n) + 1 for n in (1, 3))   # the numbers on screen
    assert not room.scene.session.turns and f"Gelijke stand tussen {shown[0]} / {shown[1]}" in room.scene.message
    room.votes(3)
    room.key(pygame.K_RETURN)
    assert room.scene.session.turns[0].offered == 3
    # a mistake: the rule it broke is up for discussion too
    assert room.scene.session.turns[0].act == "justify"
    assert any(rule.startswith("Terug naar stap 1") for rule in room.scene.discussing[5])
    room.screenshot("class_discussing_mistake_1280x720")


def test_votes_can_be_taken_back_and_recounted(tmp_path):
    room = Classroom(tmp_path)
    room.votes(2, 2, 1)
    room.key(pygame.K_BACKSPACE)
    assert room.scene.in_file_order(room.scene.tallies)[:2] == [0, 2]
    room.key(pygame.K_1 + room.scene.session.shown_numbers().index(2), pygame.KMOD_SHIFT)
    assert room.scene.in_file_order(room.scene.tallies)[:2] == [0, 1]
    room.key(pygame.K_0)
    assert sum(room.scene.tallies) == 0
    room.key(pygame.K_9)  # not an option: ignored
    assert sum(room.scene.tallies) == 0


def test_the_class_plays_to_the_end_then_sees_its_choices_beside_the_best_path_and_it_is_saved(tmp_path):
    room = Classroom(tmp_path)
    best = analyse(room.scenario).best
    expected_votes = []
    for number in best.choices:
        others = [n for n in range(1, len(room.scene.session.choices()) + 1) if n != number]
        room.votes(number, number, *others[:1])
        expected_votes.append(room.scene.in_file_order(room.scene.tallies))
        room.key(pygame.K_RETURN)
        room.key(pygame.K_RETURN)  # done discussing
    assert room.scene.state == "ended"
    room.screenshot("class_ended_1280x720")
    room.key(pygame.K_RETURN)
    debrief = room.scene
    assert isinstance(debrief, ClassDebriefScene)
    rows = debrief.rows()
    assert len(rows) == len(best.choices) and all(row[-1] for row in rows)  # every choice the same as best
    assert rows[0][3:5] == (2, 3)  # 2 of 3 votes
    room.screenshot("class_debrief_1280x720")
    with ResultsStore.open(tmp_path) as store:
        (result,) = store.results()
    assert result.player == "Klas" and result.status == "finished"
    assert result.votes == expected_votes
    assert result.score == 100 and [step["choice"] for step in result.path] == best.choices


def test_a_lesson_stopped_halfway_is_saved_as_abandoned_with_its_votes(tmp_path):
    room = Classroom(tmp_path)
    room.votes(1, 1)
    room.key(pygame.K_RETURN)
    room.key(pygame.K_ESCAPE)  # during the discussion: it asks first
    room.key(pygame.K_j)
    with ResultsStore.open(tmp_path) as store:
        (result,) = store.results()
    assert result.status == "abandoned" and result.votes == [[2, 0, 0, 0]]


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (1024, 768)])
def test_the_projector_screens_fit_at_each_size(tmp_path, size):
    room = Classroom(tmp_path, size)
    scene = room.scene
    room.votes(2, 2, 1)
    name = f"{size[0]}x{size[1]}"
    room.screenshot(f"class_voting_{name}")
    bottom = size[1] - scene.hint_h
    assert all(b.rect.bottom <= bottom for b in scene.focus.buttons)
    assert all(b.rect.right <= size[0] for b in scene.focus.buttons)
    # projector type: the customer's line at least heading size, the choices at least body size
    assert scene.line_role in ("title", "heading") and scene.choice_role in ("heading", "body")
    room.key(pygame.K_RETURN)
    room.screenshot(f"class_discussing_{name}")


@pytest.mark.parametrize("tallies, expected", [([0, 0], (None, [])), ([1, 3, 1], (1, [])),
                                               ([2, 0, 2], (None, [0, 2]))])
def test_majority(tallies, expected):
    assert majority(tallies) == expected


def test_class_mode_from_the_scenario_choice_uses_the_class_screens(tmp_path):
    app = App(data_dir=tmp_path, size=(1280, 720), class_mode=True).start()
    assert app.scene.name == "select"
    scenario = load_file(STARTER).scenario
    app.scene.play(next(r for r in app.library() if r.ok and r.scenario.id == scenario.id
                        and r.scenario.language == "nl"))
    assert isinstance(app.scene, ClassConversationScene)


def test_the_keys_are_buttons_for_the_trainers_mouse(tmp_path):
    room = Classroom(tmp_path)
    room.votes(1, 1)
    play = next(b for b in room.scene.keybar.buttons if b.hint == "Enter")
    assert f"1–{len(room.scene.session.choices())}" in [b.hint for b in room.scene.keybar.buttons]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=play.rect.center, button=1, touch=False,
                                         window=None))
    room.pump()
    assert room.scene.state == "discussing" and room.scene.session.turns[0].offered == 1
