"""Where KlantSim's own files are (scenarios/, assets/): the source tree, or the folder PyInstaller unpacked.

Files inside the `simulator` package (theme, rubric, UI strings, templates) are found beside their module with
`Path(__file__)`, which PyInstaller keeps pointing at the bundle; the folders beside the package need this."""
from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    """The folder that holds scenarios/ and assets/: the bundle's data folder when frozen, else the project."""
    if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
        return Path(sys._MEIPASS)
    return Path(__file__).resolve().parents[1]


def resource(*parts: str) -> Path:
    """A file or folder of KlantSim's own, e.g. resource("assets", "fonts")."""
    return root().joinpath(*parts)


def frozen() -> bool:
    """Whether this is the downloadable bundle (PyInstaller) rather than `python main.py`."""
    return bool(getattr(sys, "frozen", False))
