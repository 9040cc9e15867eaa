"""Valid scenario text that fonts refuse (only zero-width characters, NUL, control characters) is drawn as
nothing or a mark, never raised: in the window's scenario list and conversation, and in the PNG map."""
from __future__ import annotations

import pygame
import pytest

from fuzz.shapes import chain
from simulator.cli import main
from simulator.game.look import FONT_DIR
from simulator.game.text_render import drawable, render_text, text_size

ODD = ["", "\u200b", "\u200b\u200b\u200d", "\x00", "a\x00b", "\x07\x1b[31m", "\t", "\u2028", "\U0001F600",
       "\u202e" + "rechts naar links", "e\u0301" * 50, "x" * 30_000]


@pytest.fixture(scope="module")
def font():
    pygame.font.init()
    return pygame.font.Font(str(FONT_DIR / "DejaVuSans.ttf"), 18)


@pytest.mark.parametrize("text", ODD, ids=lambda t: repr(t[:8]))
@pytest.mark.parametrize("width", [0, 300])
def test_render_never_raises(font, text, width):
    surface = render_text(font, text, (0, 0, 0), width)
    assert surface.get_height() >= 0
    assert text_size(font, text)[1] > 0
    assert "\x00" not in drawable(text)


def test_visible_text_is_still_drawn(font):
    assert render_text(font, "Goedemorgen", (0, 0, 0)).get_width() > 50
    assert render_text(font, "een\ntwee", (0, 0, 0), 400).get_height() > font.get_height()


def _scenarios(tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "leeg.nl.yaml").write_text(chain(3, title="\u200b", say="\u200b"), encoding="utf-8")
    (tmp_path / "nul.nl.yaml").write_text(chain(3, title="\x00\u200b\x07", say="\x00\t\u2028x")
                                          .replace("id: keten", "id: nul"), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", ["leeg", "nul"])
def test_the_png_map_draws_invisible_titles(tmp_path, name):
    folder = _scenarios(tmp_path / "s")
    target = tmp_path / f"{name}.png"
    assert main(["graph", str(folder / f"{name}.nl.yaml"), "-o", str(target)]) == 0
    assert pygame.image.load(str(target)).get_width() > 100


def test_the_window_lists_and_plays_invisible_text(tmp_path):
    from test_game import Player, enter_name

    folder = _scenarios(tmp_path / "s")
    p = Player(tmp_path / "data", dirs=(folder,))
    try:
        enter_name(p)
        assert len(p.scene.focus.buttons) >= 2
        p.shot("invisible-titles")
        p.key(pygame.K_RETURN)
        assert p.scene.name == "conversation"
        for _ in range(10):
            if p.scene.state == "ended":
                break
            p.finish_line()
            p.key(pygame.K_1, "1")
            if p.scene.state == "feedback":
                p.key(pygame.K_SPACE)
        p.finish_line()
        p.key(pygame.K_RETURN)
        assert p.scene.name == "debrief"
        p.shot("invisible-debrief")
    finally:
        p.close()
