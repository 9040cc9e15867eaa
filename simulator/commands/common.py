"""What several commands share: finding the scenario a command names, reporting a broken file."""
from __future__ import annotations

import sys

from simulator.cli import CommandFailed  # noqa: F401 - commands import it from here
from simulator.scenario.library import ScenarioNotFound, resolve
from simulator.scenario.model import Scenario


def load_scenario(path_or_id: str, language: str = "nl") -> Scenario:
    try:
        result = resolve(path_or_id, language)
    except ScenarioNotFound as exc:
        raise CommandFailed(str(exc)) from None
    if not result.ok:
        for d in result.diagnostics:
            if d.is_error:
                print(d, file=sys.stderr)
        raise CommandFailed(f"{result.path} cannot be played: fix the errors above "
                            f"(python main.py validate {result.path})")
    return result.scenario


def has_screen() -> bool:
    """Whether a window can be opened here."""
    import os

    if os.environ.get("KLANTSIM_EXIT_AFTER_FRAMES"):
        return True  # a bounded start of the window (smoke test, benchmark): any video driver will do
    if os.environ.get("SDL_VIDEODRIVER", "").lower() in ("dummy", "offscreen"):
        return False
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
