"""Playing a Session by typed answers: each answer is recognised and continues along the matching offered choice;
when the recogniser is unsure, or heard an act no offered choice has, the two closest choices are put to the
player ("Bedoelde je…?"). Front ends (the terminal, later the window) drive this; it never prints.

The typed text of every turn is kept in `typed`, parallel to `session.turns`, so results can store it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.recognition.recogniser import Recogniser, Recognition, load_recogniser

if TYPE_CHECKING:
    from simulator.engine.conversation import Turn

CONFIDENT = 0.5   # below this the player is asked which choice they meant


@dataclass(frozen=True)
class Answered:
    """The answer was taken: `turn` is the session's new turn (its act is what scoring uses)."""

    recognition: Recognition
    turn: Turn


@dataclass(frozen=True)
class Unclear:
    """The answer needs the player's help: `candidates` are 0-based offered-choice indices, closest first."""

    recognition: Recognition
    candidates: tuple[int, ...]
    reason: str       # "unsure" (low confidence) or "no_match" (no offered choice has the act heard)


def typed_entry(text: str, recognition: Recognition) -> dict:
    """What was typed and what it was heard as, in the shape a result's path entry keeps it."""
    return {"typed": text, "heard": {"act": recognition.act, "confidence": round(recognition.confidence, 3)}}


class FreePlay:
    def __init__(self, session, recogniser: Recogniser | None = None, language: str | None = None):
        self.session = session
        self.recogniser = recogniser or load_recogniser()
        self.language = language or session.scenario.language
        self._typed: list[str] = []
        self._heard: list[Recognition] = []
        self.pending: tuple[str, Unclear] | None = None

    @property
    def typed(self) -> list[str]:
        """What the player typed for each turn, parallel to `session.turns`."""
        return self._typed[:len(self.session.turns)]

    @property
    def heard(self) -> list[Recognition]:
        """What the recogniser heard for each turn (the act may differ from the choice picked after "Bedoelde je")."""
        return self._heard[:len(self.session.turns)]

    def typed_entries(self) -> list[dict]:
        """Per turn, what the results store keeps with the path entry: {"typed", "heard": {"act", "confidence"}}."""
        return [typed_entry(text, r) for text, r in zip(self.typed, self.heard)]

    def recognise(self, text: str) -> Recognition:
        node = self.session.node
        return self.recogniser.recognise(text, self.language, customer_line=node.say, abusive=bool(node.abusive),
                                         choices=self.session.choices())

    def answer(self, text: str) -> Answered | Unclear:
        """Take a typed answer. Raises RecognitionError for an empty one, ValueError once the conversation ended."""
        if self.session.finished:
            raise ValueError("the conversation has ended")
        r = self.recognise(text)
        if r.choice is not None and r.confidence >= CONFIDENT:
            self.pending = None
            return self._take(text, r, r.choice)
        unclear = Unclear(r, r.ranking[:2], "unsure" if r.choice is not None else "no_match")
        self.pending = (text, unclear)
        return unclear

    def pick(self, n: int) -> Answered:
        """After Unclear: take candidate n (0-based among `candidates`)."""
        if self.pending is None:
            raise ValueError("there is no question pending")
        text, unclear = self.pending
        if not 0 <= n < len(unclear.candidates):
            raise ValueError(f"pick 1 to {len(unclear.candidates)}")
        self.pending = None
        return self._take(text, unclear.recognition, unclear.candidates[n])

    def _take(self, text: str, r: Recognition, index: int) -> Answered:
        turn = self.session.choose(index)
        del self._typed[len(self.session.turns) - 1:]
        del self._heard[len(self.session.turns) - 1:]
        self._typed.append(text)
        self._heard.append(r)
        return Answered(r, turn)

    def undo(self) -> bool:
        self.pending = None
        if not self.session.undo():
            return False
        del self._typed[len(self.session.turns):]
        del self._heard[len(self.session.turns):]
        return True
