"""Valid scenario text that fonts refuse (only zero-width characters, NUL, control characters) is drawn as
nothing or a mark, never raised: in the window's scenario list and conversation, and in the PNG map."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pygame
import pygame.freetype
import pytest

from fuzz.shapes import chain
from simulator.cli import main
from simulator.game.look import FONT_DIR, Look
from simulator.game.text_render import MAX_WIDTH, Font, drawable, render_text, text_size

ODD = ["", "\u200b", "\u200b\u200b\u200d", "\x00", "a\x00b", "\x07\x1b[31m", "\t", "\u2028", "\U0001F600",
       "\u202e" + "rechts naar links", "e\u0301" * 50, "x" * 30_000]


@pytest.fixture(scope="module")
def font():
    pygame.display.init()
    return Font(str(FONT_DIR / "DejaVuSans.ttf"), 18)


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


ROOT = Path(__file__).resolve().parents[1]
FONTS = sorted(FONT_DIR.glob("*.ttf"))


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.stem)
def test_lines_are_as_high_and_as_far_apart_as_with_pygame_font(path):
    """The window draws with FreeType (pygame.freetype) instead of SDL_ttf, which shapes with HarfBuzz (about
    1 MB of memory); every layout measures lines, so each size has SDL_ttf's height, line distance and baseline."""
    pygame.font.init()
    ours = Font(str(path), 10)
    for px in range(6, 90):
        ours.point_size = px
        theirs = pygame.font.Font(str(path), px)
        assert (ours.get_height(), ours.get_linesize(), ours.get_ascent()) == \
               (theirs.get_height(), theirs.get_linesize(), theirs.get_ascent()), px
        text = "Goedemorgen, waar kan ik u mee helpen?"
        # no kerning pair in this line: the same width, give or take the rounding of 38 advances
        assert abs(ours.size(text)[0] - theirs.size(text)[0]) <= max(2, theirs.size(text)[0] // 200), px
        assert render_text(ours, text, (0, 0, 0)).get_height() == theirs.render(text, True, (0, 0, 0)).get_height()


def test_kerning_pairs_sit_closer(font):
    """The font's kerning is applied: nine A-V pairs take less room than the same letters apart."""
    assert text_size(font, "AVAVAVAVAV")[0] <= text_size(font, "AAAAA")[0] + text_size(font, "VVVVV")[0] - 9


@pytest.mark.parametrize("text", ["Ångström", "ǺȘ|jg", "Öztürk — ‘É’ ✓ ✗ €"])
@pytest.mark.parametrize("px", [9, 11, 14, 19, 24, 40])
def test_glyphs_above_the_ascent_or_below_the_descent_are_not_cut_off(text, px):
    pygame.display.init()
    font = Font(str(FONT_DIR / "DejaVuSans.ttf"), px)
    drawn = render_text(font, text, (255, 255, 255))
    face = pygame.freetype.Font(str(FONT_DIR / "DejaVuSans.ttf"), px)
    face.kerning = True
    # all the ink is there (a glyph cut at the top or bottom would leave less), within the box
    assert drawn.get_bounding_rect().height == face.get_rect(text).height
    assert drawn.get_height() >= font.get_height()


def test_wrapping_keeps_every_word_in_order_within_the_width(font):
    text = ("Ik wacht al drie weken op mijn wasmachine en niemand belt terug; "
            "Donaudampfschifffahrtsgesellschaftskapitänswitwe staat ook op de bon.\nTweede alinea.")
    lines = font._lines(text, 180)
    assert all(text_size(font, line)[0] <= 180 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert lines[-1] == "Tweede alinea."
    drawn = render_text(font, text, (0, 0, 0), 180)
    assert drawn.get_width() == 180 and drawn.get_height() == font.get_linesize() * (len(lines) - 1) + font.get_height()


def test_very_long_text_is_measured_and_drawn_whole_as_far_as_a_screen_reaches(font):
    """FreeType's width of one text wraps round past 65,535 pixels; Font measures in pieces, so a 20,000-letter line
    (a valid scenario may have one) is as wide as its letters, wraps into as many lines as that takes, and is drawn
    up to MAX_WIDTH without letters folded back over its start."""
    letter = text_size(font, "x")[0]
    assert text_size(font, "x" * 20_000)[0] == 20_000 * letter
    one_line = render_text(font, "x" * 20_000, (255, 255, 255))
    assert one_line.get_width() == MAX_WIDTH and one_line.get_bounding_rect().width >= MAX_WIDTH - letter
    per_line = 300 // letter
    wrapped = render_text(font, "x" * 20_000, (255, 255, 255), 300)
    assert wrapped.get_height() == font.get_linesize() * (-(-20_000 // per_line) - 1) + font.get_height()


def test_fitting_a_very_long_title_keeps_the_longest_start_that_fits():
    pygame.display.init()
    look = Look((1280, 720))
    title = "Klachtenafhandeling" * 1000
    fitted = look.fit(title, "body", 400)
    font = look.font("body")
    kept = len(fitted) - 1
    assert fitted == title[:kept] + "…" and text_size(font, fitted)[0] <= 400
    assert text_size(font, title[:kept + 1] + "…")[0] > 400   # one letter more would not fit


def test_alignment_places_each_line_in_the_width(font):
    rows = {}
    for align in (pygame.FONT_LEFT, pygame.FONT_CENTER, pygame.FONT_RIGHT):
        font.align = align
        drawn = render_text(font, "kort\neen veel langere regel", (255, 255, 255), 300)
        rows[align] = drawn.subsurface((0, 0, 300, font.get_linesize())).get_bounding_rect()
    font.align = pygame.FONT_LEFT
    assert rows[pygame.FONT_LEFT].left <= 2
    assert abs(rows[pygame.FONT_CENTER].centerx - 150) <= 2
    assert rows[pygame.FONT_RIGHT].right >= 298


def test_a_whole_game_never_starts_sdl_ttf():
    """SDL_ttf (and with it HarfBuzz) stays unloaded through a whole game: all its text goes through Font. In a
    child process, since other tests here start pygame.font on purpose."""
    child = ("import pygame\nfrom benchmarks import game_bench as gb\napp = gb._app()\ngb._to(app, 'debrief')\n"
             "print(app.scene.name, pygame.font.get_init())")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", child], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.split()[-2:] == ["debrief", "False"]


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
