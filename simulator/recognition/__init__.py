"""Typed answers recognised offline: which act of the method a sentence in the player's own words is.

Above the engine, below the front ends; no pygame. `load_recogniser()` gives the shared Recogniser (built from
the training data in `data/` on first use and cached in the user cache folder), `FreePlay` plays a Session by
typed answers."""
from __future__ import annotations

from simulator.recognition.recogniser import (  # noqa: F401
    Recogniser,
    Recognition,
    RecognitionError,
    load_recogniser,
)
from simulator.recognition.free_play import Answered, FreePlay, Unclear  # noqa: F401
