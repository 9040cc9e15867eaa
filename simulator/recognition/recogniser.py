"""Which act of the method a typed answer is, with how sure, and which offered choice it matches.

The text model gives a probability per act. The context then re-ranks: an abusive customer line makes the
boundary ladder (set_limit, warn, end_contact) more plausible and a calm one less; the acts of the offered
choices are more plausible than acts nobody offered, the more so when the typed text resembles a choice's
text (rapidfuzz). The matching choice is the offered one with the recognised act (the closest text among
several), or a near copy of a choice's text; else none."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Protocol
from collections.abc import Iterable

from simulator.recognition import corpus
from simulator.scenario.acts import ACTS, LADDER_ACTS, LANGUAGES

ABUSIVE_BOOST = 3.0   # ladder acts after an abusive line
CALM_DAMP = 0.5       # ladder acts after a line that is not abusive (angry is not abusive)
OFFERED_BOOST = 2.5   # an act one of the offered choices has
LIKE_BOOST = 4.0      # more for an offered act whose choice text the answer resembles (per similarity above 0.6)
NEAR_COPY = 0.85      # a similarity at which the answer is that choice, whatever the model says
NEAR_COPY_BOOST = 1000.0  # a near copy of a choice is that choice, even when the model hears another act
MAX_CHARS = 2000      # longer answers are cut here (no one types more in a conversation)


class RecognitionError(ValueError):
    """Input the recogniser cannot take (empty text, an unknown language): a message that says what to fix."""


class OfferedChoice(Protocol):
    text: str
    act: str


@dataclass(frozen=True)
class Recognition:
    """What a typed answer was heard as."""

    act: str
    confidence: float                              # 0..1, the act's probability after the context
    alternatives: tuple[tuple[str, float], ...]    # the two next-best acts with theirs
    choice: int | None = None                      # 0-based index of the matching offered choice, or None
    ranking: tuple[int, ...] = ()                  # the offered choices, closest first (for "Bedoelde je…?")
    similarity: tuple[float, ...] = field(default=(), repr=False)  # per offered choice, 0..1

    def to_json(self) -> dict:
        """The JSON the `recognise` command prints; `choice` counts from 1 like `--choices`."""
        return {"act": self.act, "confidence": round(self.confidence, 3),
                "alternatives": [{"act": a, "confidence": round(c, 3)} for a, c in self.alternatives],
                "choice": None if self.choice is None else self.choice + 1}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


class Recogniser:
    """Recognises typed answers in Dutch and English; one instance serves any number of calls (thread-safe)."""

    def __init__(self, models: dict | None = None, loader=None):
        """`models`: {language: fitted pipeline}; a language missing there is loaded by `loader(language)` on its
        first use (by default from the cache, or built from the data)."""
        self._models: dict = {}
        self._classes: dict[str, list[str]] = {}
        for language, fitted in (models or {}).items():
            self._add(language, fitted)
        self._loader = loader
        self._lock = threading.Lock()
        from rapidfuzz import fuzz, utils

        self._fuzz, self._process = fuzz, utils.default_process

    def _add(self, language: str, fitted) -> None:
        self._models[language] = fitted
        self._classes[language] = [str(a) for a in fitted.classes_]

    def model(self, language: str):
        """The language's fitted pipeline, loaded (or built) on first use."""
        if language not in self._models:
            with self._lock:
                if language not in self._models:
                    if self._loader is None:
                        from simulator.recognition.model import load_or_build

                        self._add(language, load_or_build(language)[0])
                    else:
                        self._add(language, self._loader(language))
        return self._models[language]

    def prepare(self, language: str) -> None:
        """Load or build the language's model now, so that the first answer is answered at once."""
        self.model(language)

    def probabilities(self, text: str, language: str) -> dict[str, float]:
        """The text model's probability per act, before any context."""
        probs = self.model(language).predict_proba([text])[0]
        return {act: float(p) for act, p in zip(self._classes[language], probs)}

    def similarity(self, text: str, choice_text: str) -> float:
        """0..1: how close the typed text is to a choice's text (word order counts little, length does)."""
        a, b = self._process(text), self._process(choice_text)
        if not a or not b:
            return 0.0
        # not token_set_ratio: a short answer whose words all occur in a long choice would score 100
        return max(self._fuzz.token_sort_ratio(a, b), self._fuzz.ratio(a, b)) / 100.0

    def is_abusive(self, line: str, language: str) -> bool:
        """Whether a customer's line swears, insults or threatens (a word list per language)."""
        lowered = line.lower()
        words = _words(line)
        return any((w in words) if " " not in w else (w in lowered) for w in corpus.abuse_words(language))

    def recognise(self, text: str, language: str = "nl", *, customer_line: str | None = None,
                  abusive: bool | None = None, choices: Iterable[OfferedChoice] = ()) -> Recognition:
        """The act of `text`, its confidence, the next two acts and the matching offered choice.

        `abusive`: whether the customer's last line was abusive (None: judged from `customer_line` when given).
        `choices`: the offered choices (anything with `.text` and `.act`, such as a scenario's Choice)."""
        if not isinstance(text, str) or not text.strip():
            raise RecognitionError("the answer is empty; type what you would say to the customer")
        if language not in LANGUAGES:
            raise RecognitionError(f"unknown language '{language}'; use one of {', '.join(LANGUAGES)}")
        text = text.strip()[:MAX_CHARS]
        choices = list(choices)
        for c in choices:
            if c.act not in ACTS:
                raise RecognitionError(f"offered choice '{c.text[:40]}' has unknown act '{c.act}'")
        scores = self.probabilities(text, language)
        if abusive is None and customer_line:
            abusive = self.is_abusive(customer_line, language)
        if abusive is not None:
            for act in LADDER_ACTS:
                scores[act] *= ABUSIVE_BOOST if abusive else CALM_DAMP
        similarity = tuple(self.similarity(text, c.text) for c in choices)
        if choices:
            best_like: dict[str, float] = {}
            for c, sim in zip(choices, similarity):
                best_like[c.act] = max(best_like.get(c.act, 0.0), sim)
            for act, sim in best_like.items():
                scores[act] *= OFFERED_BOOST * (1.0 + LIKE_BOOST * max(0.0, sim - 0.6)) \
                    * (NEAR_COPY_BOOST if sim >= NEAR_COPY else 1.0)
        total = sum(scores.values()) or 1.0
        ranked = sorted(((p / total, act) for act, p in scores.items()), key=lambda x: (-x[0], ACTS.index(x[1])))
        confidence, act = ranked[0]
        choice = None
        ranking: tuple[int, ...] = ()
        if choices:
            prob = {a: p for p, a in ranked}
            closeness = [prob[c.act] + 0.3 * sim for c, sim in zip(choices, similarity)]
            ranking = tuple(sorted(range(len(choices)), key=lambda i: (-closeness[i], i)))
            same_act = [i for i in ranking if choices[i].act == act]
            if same_act:
                choice = same_act[0]
            elif similarity[ranking[0]] >= NEAR_COPY:
                choice = ranking[0]
        return Recognition(act=act, confidence=confidence,
                           alternatives=tuple((a, p) for p, a in ranked[1:3]),
                           choice=choice, ranking=ranking, similarity=similarity)


_SHARED: Recogniser | None = None
_LOCK = threading.Lock()


def load_recogniser() -> Recogniser:
    """The shared recogniser. Each language's model comes from the cache, or is built from the data (a second or
    two) and cached, when that language is first recognised; `prepare(language)` does it ahead of time."""
    global _SHARED
    with _LOCK:
        if _SHARED is None:
            _SHARED = Recogniser()
        return _SHARED
