"""Answers in your own words in the window: the recogniser made ready in a worker thread (the loop never waits on
it), and what each typed turn was heard as, kept beside the session so results and the debrief can show it."""
from __future__ import annotations

import importlib.util
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.recognition.recogniser import Recognition

READY, LOADING, UNAVAILABLE = "ready", "loading", "unavailable"


def missing_library() -> str | None:
    """The library answers in your own words need that is not installed, or None."""
    for module, name in (("sklearn", "scikit-learn"), ("rapidfuzz", "rapidfuzz")):
        try:
            if importlib.util.find_spec(module) is None:
                return name
        except (ImportError, ValueError):
            return name
    return None


class RecogniserReady:
    """One per process: `start(language)` builds or loads that language's model in a thread; `state(language)` says
    ready, loading or unavailable (with `reason`). The first answer is then recognised at once."""

    def __init__(self):
        self._lock = threading.Lock()
        self._states: dict[str, str] = {}
        self.reason = ""
        self.recogniser = None

    def state(self, language: str) -> str | None:
        with self._lock:
            return self._states.get(language)

    def start(self, language: str) -> str:
        """Begin getting `language` ready (once); returns the state now."""
        missing = missing_library()
        if missing:
            return UNAVAILABLE
        with self._lock:
            if language in self._states:
                return self._states[language]
            self._states[language] = LOADING
        threading.Thread(target=self._load, args=(language,), name=f"recogniser-{language}", daemon=True).start()
        return LOADING

    def _load(self, language: str) -> None:
        try:
            from simulator.recognition import load_recogniser

            recogniser = load_recogniser()
            recogniser.prepare(language)
            state = READY
        except Exception as exc:  # a model that cannot be built costs the feature, never the game
            recogniser, state = None, UNAVAILABLE
            self.reason = f"{type(exc).__name__}: {exc}"
        with self._lock:
            if recogniser is not None:
                self.recogniser = recogniser
            self._states[language] = state

    def wait(self, language: str, timeout: float = 60.0) -> str | None:
        """For tests and the benchmark: block until `language` is no longer loading."""
        import time

        end = time.monotonic() + timeout
        while self.state(language) == LOADING and time.monotonic() < end:
            time.sleep(0.02)
        return self.state(language)


RECOGNISER = RecogniserReady()


def unavailable_text(t) -> str:
    """Why answers in your own words cannot be used, in the window's words (`t` is the app's translator)."""
    missing = missing_library()
    reason = t("free_missing", name=missing) if missing else RECOGNISER.reason
    return t("free_unavailable", reason=reason)


class TypedTurns:
    """What the player typed for each turn and what it was heard as, by turn number: turns taken from the list
    (before the setting was on, or a resumed conversation) have none, and an undone turn loses its entry."""

    def __init__(self):
        self.by_turn: dict[int, tuple[str, Recognition]] = {}

    def keep(self, turn_number: int, text: str, recognition: Recognition) -> None:
        self.by_turn[turn_number] = (text, recognition)

    def trim(self, turns: int) -> None:
        for n in [n for n in self.by_turn if n >= turns]:
            del self.by_turn[n]

    def text(self, turn_number: int) -> str | None:
        entry = self.by_turn.get(turn_number)
        return entry[0] if entry else None

    def for_results(self, turns: int) -> list[dict | None] | None:
        """One entry per turn for results.save_session(typed=…), or None when nothing was typed."""
        if not self.by_turn:
            return None
        from simulator.recognition.free_play import typed_entry

        return [typed_entry(*self.by_turn[n]) if n in self.by_turn else None for n in range(turns)]
