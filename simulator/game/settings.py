"""The player's settings and the local list of player names, kept as JSON between runs."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from simulator.game.look import TEXT_SIZES

TEXT_SPEEDS = {"slow": 22, "normal": 45, "fast": 90, "instant": 0}   # characters per second; 0: at once
LANGUAGES = ("nl", "en")
MODES = ("coach", "exam")
SETTINGS_NAME = "game-settings.json"
MAX_PLAYERS = 12
VOLUMES = (0, 25, 50, 75, 100)   # sound cues, percent; 0 is mute


def config_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """Where settings live: the data folder when one is given (or $KLANTSIM_DATA, which moves results too), else
    this OS's user config folder."""
    if data_dir is None and os.environ.get("KLANTSIM_DATA"):
        data_dir = os.environ["KLANTSIM_DATA"]
    if data_dir is not None:
        return Path(data_dir).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("klantsim", appauthor=False))


@dataclass
class Settings:
    language: str = "nl"
    text_speed: str = "normal"
    text_size: str = "medium"
    high_contrast: bool = False
    fullscreen: bool = False
    mode: str = "coach"
    sound_volume: int = 50
    voice: bool = False           # the customer's line spoken aloud (needs a speech engine)
    feedback_timer: bool = False  # the coach's box goes on by itself after a while (else it waits for a key)
    free_answers: bool = False    # type answers in your own words (coach and exam mode) instead of picking one
    players: list[str] = field(default_factory=list)   # most recent first
    path: Path | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, folder: Path) -> Settings:
        """The saved settings; defaults for anything missing or unreadable (a broken file is not fatal)."""
        path = folder / SETTINGS_NAME
        settings = cls(path=path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return settings
        if not isinstance(data, dict):
            return settings
        allowed = {"language": LANGUAGES, "text_speed": tuple(TEXT_SPEEDS), "text_size": TEXT_SIZES,
                   "mode": MODES}
        for key, options in allowed.items():
            if data.get(key) in options:
                setattr(settings, key, data[key])
        if data.get("sound_volume") in VOLUMES:
            settings.sound_volume = data["sound_volume"]
        for key in ("high_contrast", "fullscreen", "voice", "feedback_timer", "free_answers"):
            if isinstance(data.get(key), bool):
                setattr(settings, key, data[key])
        names = data.get("players")
        if isinstance(names, list):
            settings.players = [n for n in names if isinstance(n, str) and n.strip()][:MAX_PLAYERS]
        return settings

    def save(self) -> bool:
        """Write the settings; False when the folder cannot be written (the game goes on without)."""
        if self.path is None:
            return False
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "path"}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            return False
        return True

    def remember_player(self, name: str) -> None:
        self.players = [name] + [n for n in self.players if n.casefold() != name.casefold()]
        del self.players[MAX_PLAYERS:]

    def chars_per_second(self) -> int:
        return TEXT_SPEEDS[self.text_speed]


__all__ = ["Settings", "config_dir", "TEXT_SPEEDS", "LANGUAGES", "MODES", "asdict"]
