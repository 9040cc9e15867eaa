"""The defects a new hire found in the window, each driven headless with real events and checked as fixed."""
from __future__ import annotations

import os
import wave
from argparse import Namespace
from datetime import datetime, UTC

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest

from simulator.game.lessons import track_of
from simulator.game.settings import Settings, config_dir
from test_game import FIXTURES, Player, enter_name, open_card

DOCS = FIXTURES.parents[2] / "docs"
# The README's screenshots are made by these tests when asked (KLANTSIM_DOC_SHOTS=1), so a plain test run does not
# rewrite files in docs/ (the choices come in a random order, so every run's picture differs a little).
DOC_SHOTS = os.environ.get("KLANTSIM_DOC_SHOTS") == "1"


def doc_shot(window, name: str) -> None:
    folder = DOCS if DOC_SHOTS else FIXTURES.parents[2] / "test-output" / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    pygame.image.save(window, str(folder / name))


def pick(p: Player, act: str) -> None:
    """Choose, by its number key, the offered choice with this act (whatever order the choices are shown in)."""
    p.finish_line()
    shown = p.scene.session.choices()
    number = next(i for i, c in enumerate(shown) if c.act == act)
    p.key(pygame.K_1 + number)
    if p.scene.state == "feedback":
        p.key(pygame.K_RETURN)


@pytest.fixture
def player(tmp_path):
    p = Player(tmp_path)
    enter_name(p, "Anna")
    open_card(p, "koffiezetter")
    yield p
    p.close()


def test_space_and_enter_never_choose_until_a_choice_is_focused(player):
    scene = player.scene
    assert scene.state == "typing"
    player.key(pygame.K_SPACE)                  # shows the whole line
    assert scene.state == "choosing" and not scene.session.turns
    assert not scene.focus.active and scene.focus.focused is None     # nothing pre-selected, nothing in gold
    for key in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_SPACE):
        player.key(key)
    assert not scene.session.turns              # a second Space no longer picks option 1
    first = scene.focus.buttons[0]
    pygame.mouse.set_pos(first.rect.center)     # a pointer resting over a choice highlights it …
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=first.rect.center, rel=(0, 0), buttons=(0, 0, 0),
                                         touch=False, window=None))
    player.pump()
    player.key(pygame.K_SPACE)                  # … but Space does not take it
    assert not scene.session.turns
    player.key(pygame.K_DOWN)                   # the arrows move the focus from there; then Enter takes it
    assert scene.focus.focused is scene.focus.buttons[1]
    player.key(pygame.K_RETURN)
    assert len(scene.session.turns) == 1
    assert scene.state == "feedback"            # the coach's box waits for a key, it has no timer
    for _ in range(20):
        player.app.step(0)
    assert scene.state == "feedback"
    player.key(pygame.K_SPACE)
    assert scene.state in ("typing", "choosing")


def colour_at_step(p: Player, step_index: int) -> tuple:
    """The colour at the centre of a step's circle on the screen."""
    scene = p.scene
    p.app.draw()
    pad = scene.pad
    slot = (p.app.size[0] - 2 * pad) // 6
    look = p.app.look
    y = look.px(10) + look.render(scene.session.scenario.title, "heading", "text", p.app.size[0] - 2 * pad,
                                  bold=True).get_height() + look.font("small").get_linesize() + look.px(6)
    # the number is drawn in the middle: sample just inside the circle's edge
    return tuple(p.app.window.get_at((pad + slot * step_index + slot // 2 - scene.radius() + 3,
                                      y + scene.radius())))[:3]


def test_the_track_shows_what_the_scoring_says(player):
    look = player.app.look
    pick(player, "listen")
    pick(player, "solve")                       # solve straight after listening: too early
    track = {e["step"]: e["status"] for e in track_of(player.scene.session)}
    assert track["listen"] == "in_order" and track["solve"] == "too_early"
    assert track["acknowledge"] == "open" and track["ask"] == "open"
    assert colour_at_step(player, 0) == tuple(look.color("good"))[:3]
    assert colour_at_step(player, 3) == tuple(look.color("warn"))[:3]      # orange, as the README promises
    assert colour_at_step(player, 1) != tuple(look.color("good"))[:3]      # not lit just because 4 is


def test_a_fall_back_leaves_an_empty_ring_and_says_why_until_the_next_choice(player):
    look = player.app.look
    pick(player, "listen")
    player.finish_line()
    shown = player.scene.session.choices()
    player.key(pygame.K_1 + next(i for i, c in enumerate(shown) if c.act == "belittle"))
    scene = player.scene
    assert {e["step"]: e["status"] for e in track_of(scene.session)}["listen"] == "lost"
    assert colour_at_step(player, 0) != tuple(look.color("good"))[:3]      # the inside is empty …
    for _ in range(60):                         # … and the explanation does not go away on a timer
        player.app.step(0)
    player.key(pygame.K_RETURN)
    player.finish_line()
    assert scene.session.turns[-1].step_event == "fell_back" and scene.state in ("choosing", "ended")


def test_exam_mode_judges_nothing_live(tmp_path):
    settings = Settings.load(config_dir(tmp_path))
    settings.mode = "exam"
    settings.save()
    p = Player(tmp_path)
    try:
        enter_name(p)
        open_card(p, "koffiezetter")
        pick(p, "listen")                           # a step in order: coach mode would light it green
        pick(p, "belittle")                         # a fall-back: coach mode would say so in red
        scene = p.scene
        assert scene.state != "feedback" and scene.stamps(scene.session.turns[-1]) == []
        image = p.shot("exam")
        look = p.app.look
        colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, p.app.size[0], 2)
                   for y in range(0, p.app.size[1], 2)}
        for judging in ("good", "warn", "bad", "anger", "trust"):   # no track colours, no banner, no meters
            assert tuple(look.color(judging))[:3] not in colours, judging
        assert "stap 1" not in scene.log_text().lower()              # no feedback in the log
    finally:
        p.close()


def test_escape_asks_and_a_stop_before_the_first_choice_is_kept(player):
    player.key(pygame.K_ESCAPE)
    assert player.scene.name == "conversation" and player.app.overlay is not None
    player.shot("stop-question")
    player.key(pygame.K_RETURN)                 # Enter with nothing focused answers nothing
    assert player.app.overlay is not None
    player.key(pygame.K_j)
    assert player.scene.name == "select"
    assert [r.status for r in player.app.store().history("Anna")] == ["abandoned"]


def test_a_stopped_conversation_continues_from_its_card(player):
    pick(player, "listen")
    seed = getattr(player.scene.session, "seed", None)
    player.key(pygame.K_ESCAPE)
    player.key(pygame.K_j)
    open_card_with_question(player)
    assert player.app.overlay is not None
    player.key(pygame.K_v)                      # continue
    scene = player.scene
    assert scene.name == "conversation" and [t.act for t in scene.session.turns] == ["listen"]
    assert getattr(scene.session, "seed", None) == seed


def open_card_with_question(p: Player) -> None:
    for b in p.scene.focus.buttons:
        if "koffiezetter" in b.label:
            p.click(b.rect.center)
            return
    raise AssertionError("no card")


def test_the_window_saves_the_same_record_as_the_terminal(player, tmp_path):
    from simulator.commands.play import save_result
    from simulator.engine.session import Session
    from simulator.results.store import ResultsStore
    from simulator.scenario.loader import load_file
    from test_game import WINKEL

    acts = ["listen", "acknowledge", "ask", "solve", "agree", "follow_up"]
    for act in acts:
        pick(player, act)
    assert player.scene.session.finished
    window = player.app.store().history("Anna")[0].to_dict()
    scenario = load_file(WINKEL).scenario
    session = Session(scenario, seed=player.scene.session.seed)
    for act in acts:
        session.choose(next(i for i, c in enumerate(session.choices()) if c.act == act))
    other = tmp_path / "terminal"
    save_result(session, Namespace(player="Anna", data=str(other)), datetime.now(UTC), "finished")
    with ResultsStore.open(other) as store:
        terminal = store.history("Anna")[0].to_dict()
    for key in ("id", "started_at", "finished_at"):
        window.pop(key), terminal.pop(key)
    for record in (window, terminal):  # when each answer was given differs between the two plays, as it should
        assert all(entry.pop("at") for entry in record["path"])
    assert window.keys() == terminal.keys()
    for key in window:
        assert window[key] == terminal[key], key
    # what the customer said is kept, and only the choices that were really offered
    assert all(entry.get("say") for entry in window["path"])


def test_the_debrief_teaches(player):
    pick(player, "listen")
    pick(player, "acknowledge")
    pick(player, "deflect")                    # the real mistake: the counter to the wall
    while not player.scene.session.finished:
        player.finish_line()
        shown = player.scene.session.choices()
        good = [i for i, c in enumerate(shown) if c.act in ("solve", "agree", "follow_up", "ask")]
        player.key(pygame.K_1 + (good[0] if good else 0))
        if player.scene.state == "feedback":
            player.key(pygame.K_RETURN)
    player.finish_line()
    player.key(pygame.K_RETURN)
    scene = player.scene
    assert scene.name == "debrief"
    player.key(pygame.K_SPACE)                  # Space no longer starts again and wipes the debrief
    assert player.scene is scene
    first = scene.lessons[0]
    assert first.kind == "method" and first.number == 3 and first.feedback
    assert scene.parted == 2                    # the mistake is marked, not the apology before it
    rules = [p["rule"] for p in scene.breakdown["penalties"]]
    assert "method" in rules and len(scene.breakdown["steps"]) == 6
    kinds = [(lesson.kind, lesson.subject) for lesson in scene.lessons]
    assert len(kinds) == len(set(kinds))        # the same rule once, with how often
    mine = [row for row in scene.rows if row.mine is not None]
    assert all(row.best is None or row.best.node == row.mine.node for row in mine)
    scene.app.draw()
    doc_shot(player.app.window, "game-debrief.png")


@pytest.mark.parametrize("size", [(1280, 720), (1024, 600), (800, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_text_size_holds_and_the_layout_reflows(tmp_path, size):
    settings = Settings.load(config_dir(tmp_path))
    settings.text_size = "large"
    settings.save()
    p = Player(tmp_path, size=size)
    try:
        enter_name(p)
        body = p.app.look.font_px("body")
        assert body == round(19 * 1.2)          # the chosen size at every window size, never shrunk
        open_card(p, "koffiezetter")
        pick(p, "listen")
        p.finish_line()
        scene = p.scene
        window = p.app.window.get_rect()
        keys = scene.keybar.buttons
        assert keys and all(window.contains(b.rect) for b in keys)
        for a in keys:                          # key hints are buttons that do not overlap
            assert not any(a is not b and a.rect.colliderect(b.rect) for b in keys)
        slot = (size[0] - 2 * scene.pad) // 6
        for step in ("listen", "acknowledge", "ask", "solve", "agree", "follow_up"):
            label = p.app.t("step_short_" + step)
            assert p.app.look.render(label, "small", "text", slot - 6).get_width() <= slot   # wrapped, never cut
        p.key(pygame.K_UP)                      # the last choice, focused, scrolls into the log
        assert scene.log_rect.contains(scene.focus.focused.rect)
        image = p.shot("conversation")
        if size == (1280, 720):
            p.key(pygame.K_DOWN)
            p.app.draw()
            doc_shot(p.app.window, "game-conversation.png")
        assert image.get_size() == size
        esc = next(b for b in keys if b.hint == "Esc")
        p.click(esc.rect.center)                # every hint is clickable: Esc's button asks too
        assert p.app.overlay is not None
    finally:
        p.close()


def test_what_is_scrolled_above_the_log_fades_out_instead_of_being_cut(player):
    """A bubble half above the log's top edge is faded into the background there, not cut through its name line."""
    pick(player, "listen")
    pick(player, "acknowledge")
    player.finish_line()
    scene, look = player.scene, player.app.look
    top = scene.log_rect.top
    first = next(y for y, kind, _item, _h in scene.blocks if kind in ("customer", "current"))
    # scrolled so that the first customer bubble starts 12 px above the top edge: offset() + first == top - 12
    scene.scroll = scene.max_scroll - (look.px(4) + first + look.px(12))
    assert 0 <= scene.scroll < scene.max_scroll and scene.offset() + first == top - look.px(12)
    player.app.draw()
    xs = range(scene.log_rect.left + look.px(20), scene.log_rect.right - look.px(20))
    edge = {tuple(player.app.window.get_at((x, top)))[:3] for x in xs}
    assert edge == {tuple(look.color("background"))[:3]}      # the bubble's colour is faded out at the very edge
    lower = {tuple(player.app.window.get_at((x, top + look.px(40))))[:3] for x in xs}
    assert tuple(look.color("bubble"))[:3] in lower           # and shows in full further down


def test_f11_toggles_full_screen(tmp_path):
    p = Player(tmp_path)
    try:
        p.key(pygame.K_F11)
        assert p.app.settings.fullscreen
        p.key(pygame.K_F11)
        assert not p.app.settings.fullscreen and p.app.size == (1280, 720)
    finally:
        p.close()


def test_the_face_follows_the_words_and_the_anger(tmp_path):
    from simulator.game.face import draw_face, mood_name
    from simulator.game.look import Look

    pygame.display.init()
    pygame.font.init()
    assert mood_name(10, 90, abusive=True) == "hostile"          # "Idioten… Jij ook." never looks pleased
    assert mood_name(45, 50) != mood_name(65, 50)
    look = Look((1280, 720))
    faces = []
    for anger, trust, abusive in ((45, 50, False), (65, 50, False), (10, 90, True), (10, 90, False)):
        surface = pygame.Surface((200, 200))
        draw_face(surface, surface.get_rect(), look, anger, trust, name="meneer Bakker", abusive=abusive)
        faces.append(pygame.image.tobytes(surface, "RGB"))
    assert faces[0] != faces[1] and faces[2] != faces[3]


def test_sound_cues_play_and_mute(tmp_path):
    from simulator.game.audio import Audio

    settings = Settings.load(config_dir(tmp_path))
    audio = Audio(settings)
    if not audio._mixer():
        pytest.skip("no audio device, not even SDL's dummy driver: cues cannot be played here")
    assert audio.cue("step") and audio.cue("rule") and audio.cue("choice")
    settings.sound_volume = 0
    assert not audio.cue("step")                # muted


def test_a_line_is_spoken_into_a_wav_of_speech_length(tmp_path):
    from simulator.game.audio import render_line, voice_available

    ok, why = voice_available()
    if not ok:
        pytest.skip(f"no speech engine here ({why}); install espeak-ng (apt-get install espeak-ng)")
    out = tmp_path / "line.wav"
    line = "Eindelijk iemand! Ik bel nu voor de derde keer en niemand doet iets!"
    assert render_line(line, "nl", str(out))
    with wave.open(str(out)) as w:
        seconds = w.getnframes() / w.getframerate()
        frames = w.readframes(w.getnframes())
        width = w.getsampwidth()
    assert 1.5 < seconds < 15                   # speech-length for twelve words
    import array

    samples = array.array("h", frames) if width == 2 else array.array("b", frames)
    loud = sum(1 for s in samples if abs(s) > 1000)
    assert loud > len(samples) * 0.05           # not silent


def test_the_voice_speaks_from_a_worker_thread_through_the_games_audio(tmp_path):
    import threading

    from simulator.game.audio import Audio, voice_available

    ok, why = voice_available()
    if not ok:
        pytest.skip(f"no speech engine here ({why}); install espeak-ng (apt-get install espeak-ng)")
    settings = Settings.load(config_dir(tmp_path))
    audio = Audio(settings)
    assert not audio.speak("Goedemiddag.", "nl")            # off unless the setting is on
    settings.voice = True
    if not audio._mixer():
        pytest.skip("no audio device, not even SDL's dummy driver")
    played = threading.Event()
    real = audio.play_wav

    def play(path):
        real(path)
        played.set()

    audio.play_wav = play
    assert audio.speak("Ik bel nu voor de derde keer!", "nl")   # only queued: the loop goes on at once
    assert audio.voice.thread is not threading.current_thread()
    assert played.wait(30), "the line was never spoken"
    assert audio.voice_channel is not None
    audio.close()


SCENE_FIRST = """format: 1
id: eerst-de-zaal
title: "Eerst de zaal"
language: nl
summary: "Een stille balie, dan komt de klant binnen."
difficulty: 1
channel: counter
customer: {name: "meneer Jansen", anger: 60, trust: 40}
start: zaal
nodes:
  zaal:
    narration: "De winkel is leeg. Dan gaat de deur open."
    choices:
      - {text: "Opkijken", act: neutral, feedback: "Goed.", next: klant}
      - {text: "Doorwerken", act: ignore, feedback: "Niet doen.", next: klant}
  klant:
    say: "Zo, eindelijk iemand."
    choices:
      - {text: "Goedemiddag, vertelt u het maar.", act: listen, feedback: "Goed.", next: einde}
      - {text: "Momentje.", act: ignore, feedback: "Niet doen.", next: einde}
  einde:
    say: "Dank u."
    ending: satisfied
"""


def test_the_portrait_waits_until_the_customer_is_there(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "zaal.nl.yaml").write_text(SCENE_FIRST, encoding="utf-8")
    p = Player(tmp_path, dirs=(folder,))
    try:
        enter_name(p)
        p.scene.play(next(r for r in p.app.library() if r.ok))
        p.pump()
        scene = p.scene
        assert scene.state == "choosing" and not scene.present      # a stage direction alone: nobody there yet
        assert [kind for kind, _ in scene.entries()] == ["direction"]  # shown as a direction, not in a bubble
        image = p.shot("customer-not-here")
        from simulator.game.face import appearance

        hair = tuple(appearance("meneer Jansen")["hair"])
        frame = scene.face_rect
        assert hair[:3] not in {tuple(image.get_at((x, y)))[:3] for x in range(frame.x, frame.right, 3)
                                       for y in range(frame.y, frame.bottom, 3)}
        p.key(pygame.K_1)
        p.key(pygame.K_RETURN)
        p.finish_line()
        assert scene.present                                          # now the customer speaks: the face is there
    finally:
        p.close()


def test_klantsim_data_moves_the_settings_with_the_results(tmp_path, monkeypatch):
    monkeypatch.setenv("KLANTSIM_DATA", str(tmp_path / "elders"))
    assert config_dir() == tmp_path / "elders"
    settings = Settings.load(config_dir())
    settings.text_size = "large"
    assert settings.save()
    assert (tmp_path / "elders" / "game-settings.json").is_file()
