"""What several commands share: finding the scenario a command names, reporting a broken file, their words."""
from __future__ import annotations

import sys

from simulator.commands.failures import CommandFailed, UsageError  # noqa: F401 - commands import them from here
from simulator.scenario.library import ScenarioNotFound, resolve
from simulator.scenario.model import Scenario


def say(key: str, /, **fmt) -> str:
    """A command's sentence (simulator/i18n/commands.yaml) in the language in force: --lang, system, Dutch."""
    from simulator.diagnostics import language
    from simulator.i18n import strings, strings_of

    entry = strings_of("commands").get(key) or strings()[key]
    text = entry.get(language()) or entry["nl"]
    return text.format(**fmt) if fmt else text


def validate_command(path: str) -> str:
    """The command that checks `path`, written the way this KlantSim was started."""
    from simulator.commands.failures import program_name

    return f"{program_name()} validate {path}"


def load_scenario(path_or_id: str, language: str = "nl") -> Scenario:
    try:
        result = resolve(path_or_id, language)
    except ScenarioNotFound as exc:
        raise CommandFailed(str(exc)) from None
    if not result.ok:
        for d in result.diagnostics:
            if d.is_error:
                print(d, file=sys.stderr)
        raise CommandFailed(say("cannot_play", path=result.path, command=validate_command(result.path)))
    assert result.scenario is not None  # ok: it loaded
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
