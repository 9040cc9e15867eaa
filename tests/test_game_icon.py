"""The window's icon: the title bar and task bar show KlantSim's icon (read back from a real X server's window), and
it is the same picture as the big icon the download carries."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

ROOT = Path(__file__).resolve().parents[1]

WINDOW = """
import json, subprocess, sys, tempfile, pygame
from simulator.game.app import App
App(scenario_dirs=[], data_dir=tempfile.mkdtemp(), size=(640, 400))
wid = pygame.display.get_wm_info()["window"]
out = subprocess.run(["xprop", "-id", str(wid), "-f", "_NET_WM_ICON", "32c", "_NET_WM_ICON"],
                     capture_output=True, text=True, check=True).stdout
print(json.dumps([int(n) for n in out.split("=", 1)[1].split(",")]))
"""


def _argb(surface: pygame.Surface) -> list[int]:
    w, h = surface.get_size()
    return [(a << 24) | (r << 16) | (g << 8) | b for y in range(h) for x in range(w)
            for r, g, b, a in [surface.get_at((x, y))]]


def test_the_window_shows_the_icon():
    if not (shutil.which("xvfb-run") and shutil.which("xprop")):
        pytest.skip("no xvfb-run or xprop (apt-get install xvfb xauth x11-utils): the window's icon cannot be read")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "SDL_VIDEODRIVER": "x11", "SDL_AUDIODRIVER": "dummy",
           "PYGAME_HIDE_SUPPORT_PROMPT": "1", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(["xvfb-run", "-a", sys.executable, "-c", WINDOW], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    cardinals = [int(n) for n in out.stdout.strip().splitlines()[-1].strip("[]").split(",")]
    width, height, pixels = cardinals[0], cardinals[1], cardinals[2:]
    icon = pygame.image.load_basic(str(ROOT / "assets" / "window-icon.bmp"))
    assert (width, height) == icon.get_size() == (64, 64)
    assert pixels == _argb(icon)   # the X server holds exactly our icon, transparent corners included


def test_the_window_icon_looks_like_the_big_icon_at_title_bar_size():
    """The window had the 256 px icon; it now has that icon scaled to 64 px. Shown at 16 or 32 px, as title bars do,
    the two are the same picture (no channel of any pixel more than 2 levels apart)."""
    small = pygame.image.load_basic(str(ROOT / "assets" / "window-icon.bmp"))
    big = pygame.image.load(str(ROOT / "assets" / "icon.png"))
    assert small.get_flags() & pygame.SRCALPHA and small.get_at((0, 0)).a == 0   # rounded, transparent corners
    for size in (16, 32):
        a, b = (pygame.transform.smoothscale(s, (size, size)) for s in (small, big))
        worst = max(abs(p - q) for x in range(size) for y in range(size)
                    for p, q in zip(a.get_at((x, y)), b.get_at((x, y))))
        assert worst <= 2, (size, worst)
