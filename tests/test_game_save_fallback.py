"""The window never loses a result: when the results store cannot be opened or written, the conversation is kept
on disk (results.store.keep_unsaved) and the player is told where, in the window's language."""
from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame

from simulator.results.store import FALLBACK_DIR, PENDING_DIR, ResultsStore
from test_game import Player, enter_name, open_card
from test_game_window2 import pick
from datetime import UTC

ACTS = ["listen", "acknowledge", "ask", "solve", "agree", "follow_up"]


def play_to_the_end(p: Player) -> None:
    """Play the best path; the last choice is only pressed (its feedback, and any box over it, stay up)."""
    enter_name(p, "Anna")
    open_card(p, "koffiezetter")
    for act in ACTS[:-1]:
        pick(p, act)
    p.finish_line()
    shown = p.scene.session.choices()
    p.key(pygame.K_1 + next(i for i, c in enumerate(shown) if c.act == ACTS[-1]))
    assert p.scene.session.finished


def test_a_data_folder_that_cannot_be_written_keeps_the_result_at_home_and_says_where(tmp_path, monkeypatch):
    # The data folder lies under a regular file, so nothing can create it (read-only even for root, who ignores
    # permission bits): the store cannot be opened and its pending folder cannot be written either.
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    p = Player(blocked / "data")
    try:
        play_to_the_end(p)
        [kept] = (home / FALLBACK_DIR).glob("*.json")
        box = p.app.overlay
        assert box is not None and box.title == "Je resultaat is apart bewaard"
        assert f"Je resultaat staat in {kept}; voeg het toe met: python main.py import {kept}" in box.text
        assert p.app.notice == box.text
        p.key(pygame.K_RETURN)
        assert p.app.overlay is None and p.scene.name == "conversation"  # Enter closed the box, nothing more
        # the file is an export `import` takes back, with the conversation as played
        other = tmp_path / "elsewhere"
        from simulator.cli import main

        assert main(["import", str(kept), "--data", str(other)]) == 0
        with ResultsStore.open(other) as store:
            [result] = store.results()
        assert result.player == "Anna" and [step["act"] for step in result.path] == ACTS
    finally:
        p.close()


def test_a_database_that_cannot_take_the_result_keeps_it_in_the_pending_folder(tmp_path, monkeypatch):
    p = Player(tmp_path, language="en")
    try:
        store = p.app.store()
        # the database refuses writes (as a read-only or full disk does): SQLite's own query_only switch
        store._db.execute("PRAGMA query_only = ON")
        play_to_the_end(p)
        [kept] = (tmp_path / PENDING_DIR).glob("*.json")
        assert p.app.notice == (f"The results database could not take it now. It is in {kept} and will be added by "
                                f"itself the next time the results are opened.")
        assert p.app.overlay is not None
    finally:
        p.close()
    with ResultsStore.open(tmp_path) as store:   # the next time the results open it is added
        [result] = store.history("Anna")
    assert [step["act"] for step in result.path] == ACTS


def test_a_class_result_is_kept_the_same_way_under_the_class_name(tmp_path, monkeypatch):
    """The route class mode can take too: save_result(..., player=the class's name, votes=...) with null votes."""
    from datetime import datetime

    from simulator.engine.session import Session
    from simulator.scenario.loader import load_file
    from test_game import WINKEL

    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    p = Player(blocked / "data")
    try:
        session = Session(load_file(WINKEL).scenario)
        session.choose(0)
        assert p.app.save_result(session, datetime.now(UTC), "abandoned", votes=[None],
                                 typed=[{"typed": "Vertelt u maar.", "heard": {"act": "listen", "confidence": 0.9}}],
                                 player="Klas 3B")
        [kept] = (tmp_path / "home" / FALLBACK_DIR).glob("*.json")
        import json

        [record] = json.loads(kept.read_text(encoding="utf-8"))["results"]
        assert record["player"] == "Klas 3B" and record["votes"] == [None]
        assert record["path"][0]["typed"] == "Vertelt u maar." and record["status"] == "abandoned"
    finally:
        p.close()
