"""The window in a real X server (Xvfb): drawn through X's own images, not OpenGL, so an update costs what changed
and no OpenGL stack is loaded; what the X server shows is the game's picture; F11 goes to full screen and back to
the same window size."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Reads the window back from the X server with Xlib's XGetImage (through ctypes: libX11 is what SDL draws with).
WINDOW = """
import ctypes, ctypes.util, json, os, tempfile, pygame
from simulator.game.app import App
app = App(scenario_dirs=[], data_dir=tempfile.mkdtemp(), size=(800, 480))
app.start(); app.step(0); app.draw()
x = ctypes.CDLL(ctypes.util.find_library("X11"))
x.XOpenDisplay.restype = ctypes.c_void_p
x.XGetImage.restype = ctypes.c_void_p
x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                        ctypes.c_ulong, ctypes.c_int]
display = x.XOpenDisplay(None)
w, h = app.window.get_size()
image = x.XGetImage(display, pygame.display.get_wm_info()["window"], 0, 0, w, h, 0xFFFFFFFF, 2)   # ZPixmap
fields = ctypes.cast(image, ctypes.POINTER(ctypes.c_int))
data = ctypes.cast(image + 16, ctypes.POINTER(ctypes.c_void_p))[0]
stride, bpp = fields[11], fields[12]   # XImage: bytes_per_line, bits_per_pixel
raw = ctypes.string_at(data, stride * h)
wrong = 0
for py in range(0, h, 7):
    for px in range(0, w, 7):
        b, g, r = raw[py * stride + px * 4: py * stride + px * 4 + 3]
        wrong += (r, g, b) != tuple(app.window.get_at((px, py)))[:3]
maps = open("/proc/self/maps").read()
sizes = [app.window.get_size()]
for _ in range(2):   # F11 twice: full screen, then the window again
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode="", scancode=0))
    app.step(0)
    sizes.append(app.window.get_size())
print(json.dumps({"driver": pygame.display.get_driver(), "opengl": "libGL" in maps, "bpp": bpp, "wrong": wrong,
                  "checked": len(range(0, h, 7)) * len(range(0, w, 7)), "sizes": sizes,
                  "hint": os.environ.get("SDL_FRAMEBUFFER_ACCELERATION")}))
"""


def _run(extra_env: dict) -> dict:
    if not shutil.which("xvfb-run"):
        pytest.skip("no xvfb-run (apt-get install xvfb xauth): the window cannot be opened in a real X server")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "SDL_VIDEODRIVER": "x11", "SDL_AUDIODRIVER": "dummy",
           "PYGAME_HIDE_SUPPORT_PROMPT": "1", "PYTHONPATH": str(ROOT), **extra_env}
    out = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable, "-c", WINDOW], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_x11_window_shows_the_games_picture_without_opengl_and_f11_comes_back_to_its_size():
    seen = _run({})
    assert seen["driver"] == "x11" and seen["hint"] == "0"
    assert not seen["opengl"]                 # no OpenGL stack (some 90 MB) for a window drawn in software
    assert seen["bpp"] == 32 and seen["checked"] > 7000
    assert seen["wrong"] == 0                 # every sampled pixel on the X server is the game's own
    assert seen["sizes"] == [[800, 480], [1400, 900], [800, 480]]


def test_a_user_choice_of_framebuffer_acceleration_is_kept():
    seen = _run({"SDL_FRAMEBUFFER_ACCELERATION": "1"})
    assert seen["hint"] == "1" and seen["opengl"]   # SDL's OpenGL path, as asked
    assert seen["wrong"] == 0 and seen["sizes"][0] == [800, 480] and seen["sizes"][2] == [800, 480]

