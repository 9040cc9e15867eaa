"""What the window keeps in memory: only the text of the screen on show (README: Benchmarks, the game window's
peak memory), and that text looks the same however it comes back: after other screens, scrolled away and back,
drawn by a font that served other sizes in between."""
from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest

from simulator.game.look import FONT_DIR, Look, theme_data
from simulator.game.text_render import Font
from test_game import Player, enter_name, open_card


def screen(p: Player) -> bytes:
    p.app.draw()
    return pygame.image.tobytes(p.app.window, "RGB")


def play_to_debrief(p: Player) -> str:
    """Play the first choice shown each time, to the debrief; returns the customer's first line."""
    open_card(p, "koffiezetter")
    p.finish_line()
    first_line = p.scene.line
    while not p.scene.session.finished:
        p.finish_line()
        p.key(pygame.K_1)
        if p.scene.state == "feedback":
            p.key(pygame.K_RETURN)
    p.finish_line()
    p.key(pygame.K_RETURN)
    assert p.scene.name == "debrief"
    return first_line


@pytest.mark.parametrize("size", [(1280, 720), (800, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_after_a_whole_game_only_the_debriefs_own_text_is_kept(tmp_path, size):
    p = Player(tmp_path, size=size)
    try:
        enter_name(p)
        card = p.scene.focus.buttons[0].extra["result"].scenario.summary.split()[:4]   # a card's first words
        first_line = play_to_debrief(p)
        look, scene = p.app.look, p.scene
        kept = look.kept_texts()
        assert f"{scene.card['score']} / 100" in kept
        # nothing of the screens left behind: the title's tagline, the cards, the customer's words
        assert not any(first_line in text or " ".join(card) in text or text == p.app.t("tagline") for text in kept)
        assert 0 < look.kept_bytes() <= size[0] * size[1] * 4    # at most one window's worth of text
        # all of it drawn on solid colours (the screen, the buttons), so kept at 1 byte a pixel, not 4
        assert {surf.get_bytesize() for surf in look._renders.values()} == {1}
    finally:
        p.close()


def test_the_debrief_scrolled_away_and_back_looks_the_same(tmp_path):
    p = Player(tmp_path, size=(800, 480))
    try:
        enter_name(p)
        play_to_debrief(p)
        scene, look = p.scene, p.app.look
        top = screen(p)
        score = f"{scene.card['score']} / 100"
        assert scene.content_h > scene.view.height          # there is something to scroll to at this size
        for _ in range(10):
            p.key(pygame.K_PAGEDOWN)
        assert score not in look.kept_texts()               # scrolled out of view: measured, not kept
        assert screen(p) != top
        for _ in range(10):
            p.key(pygame.K_PAGEUP)
        assert screen(p) == top
        p.app.open_settings()                               # another screen, other text, back again
        p.pump()
        p.key(pygame.K_ESCAPE)
        assert p.scene is scene and screen(p) == top
    finally:
        p.close()


def test_one_font_per_file_draws_every_size_as_a_font_of_that_size_would():
    pygame.display.init()
    look = Look((1280, 720))
    text = "Mevrouw Öztürk: ‘Dit ding is kapot!’ ✓ ✗ — fiets, AV, To"
    files = theme_data()["font"]
    # every role in turn, so that each font is resized between one text and the next
    for role in ("huge", "small", "title", "body", "heading", "small", "huge"):
        for bold, italic, style in ((False, False, "regular"), (True, False, "bold"), (False, True, "italic")):
            shared = look.render(text, role, "text", 400, bold=bold, italic=italic)
            own = Font(str(FONT_DIR / files[style]), look.font_px(role))
            alone = own.render(text, True, look.color("text"), wraplength=400)
            assert shared.get_size() == alone.get_size(), (role, style)
            assert pygame.image.tobytes(shared, "RGBA") == pygame.image.tobytes(alone, "RGBA"), (role, style)
            assert look.font(role, bold, italic).get_linesize() == own.get_linesize()


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high_contrast"])
def test_text_kept_on_a_solid_colour_takes_a_quarter_and_gives_the_same_pixels(high_contrast):
    """Text drawn on a solid colour is kept as 1 byte a pixel with that colour behind it; blitted there, every pixel
    is what the transparent text (4 bytes a pixel) gives: the same screen, to the byte."""
    screen = pygame.display.set_mode((900, 300))
    look = Look((1280, 720), high_contrast=high_contrast)
    text = "Mevrouw Öztürk: ‘Dit ding is na twee dagen al kapot!’ ✓ ✗ — fiets, AV, To, 0 / 100"
    for back in ("background", "panel", "bubble", "button", "button_hover", "accent", "muted"):
        for colour, role, width, bold, italic, align in (("text", "body", 0, False, False, "left"),
                                                           ("bad", "small", 420, True, False, "left"),
                                                           ("good", "heading", 500, False, True, "center"),
                                                           ("bubble_text", "huge", 0, True, False, "left"),
                                                           ("muted", "small", 380, False, False, "right")):
            clear = look.render(text, role, colour, width, bold, italic, align)
            solid = look.render(text, role, colour, width, bold, italic, align, on=back)
            assert (clear.get_bytesize(), solid.get_bytesize()) == (4, 1)
            assert solid.get_size() == clear.get_size()
            pictures = []
            for surf in (clear, solid):
                screen.fill(look.color(back))
                screen.blit(surf, (7, 5))
                pictures.append(pygame.image.tobytes(screen, "RGB"))
            assert pictures[0] == pictures[1], (back, colour, role)
    # where the text has no ink, what was under its box stays (a button's edge, a rounded corner)
    screen.fill(look.color("background"))
    pygame.draw.line(screen, (255, 0, 0), (0, 10), (899, 10))
    solid = look.render("Wij", "huge", "text", on="background")
    screen.blit(solid, (0, 0))
    assert solid.get_at((solid.get_width() - 1, 10)) == look.color("background")
    assert screen.get_at((solid.get_width() - 1, 10)) == pygame.Color(255, 0, 0)
