"""Shared test set-up: headless SDL, the project root on sys.path, helpers to load scenarios."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# Messages follow the system language (Dutch unless it is English). Tests run as on an English system, whatever
# the machine says, so the many tests that read English output stay stable; the Dutch default is tested by
# setting LANG where it matters (test_loader, test_trainer_cli, test_docs).
for _var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "en_US.UTF-8"

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulator.scenario.loader import load_file, load_text  # noqa: E402

BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden"


def load_ok(path):
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.scenario


def scenario_from(text: str, path: str = "t.yaml"):
    result = load_text(text, path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.scenario


@pytest.fixture
def root() -> Path:
    return ROOT
