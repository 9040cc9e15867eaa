"""F5 in the conversation, for authors previewing while writing: the file is read again from disk, the path so far
is kept where it still exists, and a broken file leaves play as it was and lists its problems on screen."""
from __future__ import annotations

import re
import shutil

import pygame
import pytest

from test_game import FIXTURES, Player, enter_name, open_card

WINKEL = FIXTURES / "winkel.nl.yaml"


@pytest.fixture
def copy(tmp_path):
    """A copy of the fixture scenario, alone in a folder, that the test edits as an author would."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = folder / "winkel.nl.yaml"
    shutil.copy(WINKEL, path)
    return path


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def start(tmp_path, copy, **kw) -> Player:
    p = Player(tmp_path / "data", dirs=(copy.parent,), **kw)
    if "scenario_path" in kw:   # the file given on the command line opens right after the name
        p.type("Anna")
        p.key(pygame.K_RETURN)
        p.pump()
    else:
        enter_name(p)
        open_card(p, "koffiezetter")
    return p


def play(p: Player, *numbers: int) -> None:
    for number in numbers:
        p.finish_line()
        p.press(number)
        if p.scene.state == "feedback":
            p.key(pygame.K_SPACE)
    p.finish_line()


def test_f5_keeps_the_path_and_shows_the_new_words(tmp_path, copy):
    p = start(tmp_path, copy)
    try:
        play(p, 1, 1)
        scene = p.scene
        assert scene.session.node.id == "vragen"
        edit(copy, "Ja, en nu? Wat gaat u eraan doen?", "Ja, en nu? Wat gaat u er nú aan doen?")
        edit(copy, "‘Wat vervelend, u had zich erop verheugd en nu staat u hier weer.’",
             "‘Wat naar, u had zich erop verheugd.’")
        p.key(pygame.K_F5)
        assert p.scene is scene and scene.reload_problems is None
        assert [t.node for t in scene.session.turns] == ["opening", "verhaal"]
        assert scene.session.node.id == "vragen" and scene.state == "choosing"
        assert scene.line == "Ja, en nu? Wat gaat u er nú aan doen?"
        assert scene.session.turns[1].text == "‘Wat naar, u had zich erop verheugd.’"
        assert "Wat naar, u had zich erop verheugd." in scene.log_text()
        assert scene.toast == "Scenario herladen: 2 van 2 keuzes behouden"
        p.shot("reload-toast")
        assert scene.motion["toast"] > 0
        # play goes on in the new version, and the toast goes away by itself
        play(p, 1)
        assert scene.session.node.id == "oplossing"
        for _ in range(6):
            p.app.step(0)
            scene.update(1.0)
        assert scene.motion["toast"] == 0
    finally:
        p.close()


def test_the_path_stops_where_a_node_was_removed(tmp_path, copy):
    p = start(tmp_path, copy)
    try:
        play(p, 1, 1, 1)
        assert p.scene.session.node.id == "oplossing"
        text = copy.read_text(encoding="utf-8")
        text = text[:text.index("  vragen:\n")] + text[text.index("  oplossing:\n"):]
        copy.write_text(text.replace("next: vragen", "next: oplossing"), encoding="utf-8")
        p.key(pygame.K_F5)
        scene = p.scene
        assert [t.node for t in scene.session.turns] == ["opening", "verhaal"]
        assert scene.session.node.id == "oplossing" and scene.state == "choosing"
        assert scene.toast == "Scenario herladen: 2 van 3 keuzes behouden"
        assert "Ja, en nu?" not in scene.log_text()
    finally:
        p.close()


def test_a_broken_file_keeps_play_as_it_was_and_lists_its_problems(tmp_path, copy):
    p = start(tmp_path, copy)
    try:
        play(p, 1, 1)
        scene = p.scene
        session = scene.session
        edit(copy, 'say: "Ja, en nu? Wat gaat u eraan doen?"', 'say: "Ja, en nu? Wat gaat u eraan doen?')
        p.key(pygame.K_F5)
        assert scene.session is session and session.node.id == "vragen" and len(session.turns) == 2
        assert scene.reload_problems and scene.reload_problems[0][0] is True
        _, where, message = scene.reload_problems[0]
        assert re.fullmatch(r"winkel\.nl\.yaml:\d+:\d+:", where) and message.endswith("[KS034]"), (where, message)
        assert p.app.overlay.file.endswith("scenarios/winkel.nl.yaml")
        p.shot("reload-problems-yaml")
        # a key closes the list and does not choose; Esc closes it without leaving the conversation
        p.key(pygame.K_1, "1")
        assert scene.reload_problems is None and len(session.turns) == 2
        p.key(pygame.K_F5)
        assert scene.reload_problems
        p.key(pygame.K_ESCAPE)
        assert p.scene is scene and scene.reload_problems is None
        # fixed on disk: F5 again reloads and play goes on from the same place
        edit(copy, 'say: "Ja, en nu? Wat gaat u eraan doen?', 'say: "Ja, en nu? Wat gaat u eraan doen?"')
        p.key(pygame.K_F5)
        assert scene.reload_problems is None and scene.session is not session
        assert scene.session.node.id == "vragen" and len(scene.session.turns) == 2
        assert scene.toast == "Scenario herladen: 2 van 2 keuzes behouden"
    finally:
        p.close()


def test_many_problems_show_the_first_eight_and_how_many_more(tmp_path, copy):
    p = start(tmp_path, copy)
    try:
        play(p, 1)
        before = p.shot("reload-before")
        text = copy.read_text(encoding="utf-8")
        copy.write_text(re.sub(r"act: \w+", "act: schreeuwen", text), encoding="utf-8")
        p.key(pygame.K_F5)
        scene = p.scene
        problems = scene.reload_problems
        assert len(problems) > 10 and all(message.endswith("[KS011]") for _, _, message in problems)
        screen = p.shot("reload-problems")
        assert scene.problems_shown == (8, len(problems) - 8)
        # the screen behind the list is dimmed, the transcript on the right too
        for pos in ((5, 5), (p.app.size[0] - 40, p.app.size[1] // 2)):
            assert sum(screen.get_at(pos)[:3]) < sum(before.get_at(pos)[:3]), pos
        assert len(scene.session.turns) == 1 and scene.session.node.id == "verhaal"
    finally:
        p.close()


def test_f5_in_english_and_with_the_start_node_given(tmp_path, copy):
    p = start(tmp_path, copy, language="en", scenario_path=copy, start_node="vragen")
    try:
        scene = p.scene
        assert scene.name == "conversation" and scene.session.node.id == "vragen"
        play(p, 1)
        edit(copy, "Met pin, ja.", "Met de pinpas, ja.")
        p.key(pygame.K_F5)
        assert [t.node for t in scene.session.turns] == ["vragen"]
        assert scene.session.node.id == "oplossing" and scene.line.startswith("Met de pinpas, ja.")
        assert scene.toast == "Scenario reloaded: kept 1 of 1 choices"
        # the start node is gone from the file: the talk starts at the file's own start, and the toast says so
        text = copy.read_text(encoding="utf-8")
        text = text[:text.index("  vragen:\n")] + text[text.index("  oplossing:\n"):]
        copy.write_text(text.replace("next: vragen", "next: oplossing"), encoding="utf-8")
        p.key(pygame.K_F5)
        assert scene.session.turns == [] and scene.session.node.id == "opening"
        assert scene.toast == ("Scenario reloaded: kept 0 of 1 choices · "
                               "node 'vragen' no longer exists: back to the start")
        p.shot("reload-toast-en")
    finally:
        p.close()


def test_the_scenario_list_shows_the_reloaded_file(tmp_path, copy):
    p = start(tmp_path, copy)
    try:
        edit(copy, 'title: "De kapotte koffiezetter & de bon"', 'title: "De kapotte waterkoker"')
        p.key(pygame.K_F5)
        assert p.scene.session.scenario.title == "De kapotte waterkoker"
        assert p.scene.toast == "Scenario herladen"
        p.key(pygame.K_ESCAPE)
        p.key(pygame.K_j)
        assert p.scene.name == "select"
        assert any("waterkoker" in b.label for b in p.scene.focus.buttons)
        assert not any("koffiezetter" in b.label for b in p.scene.focus.buttons)
    finally:
        p.close()


@pytest.mark.parametrize("system, window, says, not_says", [
    ("nl_NL.UTF-8", "en", "Check indentation, colons and quotes", "inspringing"),
    ("en_US.UTF-8", "nl", "Kijk op deze plek naar inspringing", "Check indentation"),
])
def test_f5_lists_the_problems_in_the_windows_language_not_the_systems(tmp_path, copy, monkeypatch, system, window,
                                                                      says, not_says):
    monkeypatch.setenv("LANG", system)
    p = start(tmp_path, copy, language=window)
    try:
        edit(copy, "nodes:", "nodes: [")
        p.key(pygame.K_F5)
        problems = p.scene.reload_problems
        assert problems and problems[0][0] is True
        message = problems[0][2]
        assert says in message and not_says not in message and message.endswith("[KS001]"), message
        p.shot(f"reload-problems-{window}")
    finally:
        p.close()
