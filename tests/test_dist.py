"""What the download (`make dist`) relies on in the code: the version, finding KlantSim's own files inside a
PyInstaller bundle, the bounded start of the window, the icons. The built bundle itself is tried by
`make dist-test` (tools/dist_smoke.py)."""
from __future__ import annotations

import importlib.metadata
import os
import struct
import subprocess
import sys

import pytest

from conftest import ROOT
from simulator import __version__, resources
from simulator.cli import main


def test_version_is_printed_and_matches_the_installed_package(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"KlantSim {__version__}"
    # pyproject.toml reads the version from simulator/__init__.py: one number everywhere
    assert importlib.metadata.version("klantsim") == __version__


def test_own_files_are_found_in_the_source_tree_and_in_a_bundle(monkeypatch, tmp_path):
    assert (resources.resource("scenarios") / "starter.nl.yaml").is_file()
    assert (resources.resource("assets", "fonts") / "DejaVuSans.ttf").is_file()
    assert not resources.frozen()
    # PyInstaller sets sys.frozen and sys._MEIPASS (the bundle's _internal folder)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.frozen()
    assert resources.resource("assets", "icon.png") == tmp_path / "assets" / "icon.png"


def test_the_frozen_command_line_calls_itself_klantsim(monkeypatch, capsys):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert capsys.readouterr().out.startswith("usage: klantsim")


def test_window_opens_to_its_first_frame_and_closes_with_settings_in_the_user_folder(tmp_path):
    """KLANTSIM_EXIT_AFTER_FRAMES opens the window even under the dummy driver, draws and closes;
    the settings land in the user's own config folder (platformdirs), here under a home with a space and an ë."""
    home = tmp_path / "Gebruikers" / "Zoë Jansen"
    home.mkdir(parents=True)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
           "KLANTSIM_EXIT_AFTER_FRAMES": "1", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=home, env=env, capture_output=True, text=True,
                       encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    assert "1 frame(s) drawn" in r.stdout
    if sys.platform.startswith("linux"):
        assert (home / ".config" / "klantsim" / "game-settings.json").is_file()


def test_without_the_variable_a_dummy_driver_still_means_no_screen(monkeypatch):
    from simulator.commands.common import has_screen

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.delenv("KLANTSIM_EXIT_AFTER_FRAMES", raising=False)
    assert not has_screen()
    monkeypatch.setenv("KLANTSIM_EXIT_AFTER_FRAMES", "1")
    assert has_screen()


def test_icons_hold_png_images_windows_and_macos_read():
    ico = (ROOT / "assets" / "klantsim.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 3
    sizes = []
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i:22 + 16 * i])
        assert ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
        sizes.append(width or 256)
    assert 256 in sizes and 32 in sizes and 16 in sizes
    icns = (ROOT / "assets" / "klantsim.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic08" in icns  # 256x256, what the Finder shows
    assert (ROOT / "assets" / "icon.png").read_bytes()[:4] == b"\x89PNG"
