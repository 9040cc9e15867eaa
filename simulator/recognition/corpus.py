"""The training and held-out sentences: read from the YAML files in `data/`, templates expanded reproducibly.

A training file holds, per act, hand-written templates: `{slot}` takes a value from the file's `slots`, and
`[a|b|c]` takes one of the alternatives (`[|a]`: optional). Each act is expanded to about `PER_ACT` distinct
sentences with a fixed seed, a share of them in chat style (lower case, no punctuation) or with a typo, as people
type. The held-out files hold plain sentences, written separately and never trained on."""
from __future__ import annotations

import hashlib
import random
import re
from functools import lru_cache
from pathlib import Path

import yaml

from simulator.scenario.acts import ACTS, LANGUAGES

DATA_DIR = Path(__file__).parent / "data"
PER_ACT = 90          # sentences per act and language after expansion
SEED = 16             # the number: every build expands the same sentences
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{([a-z_]+)\}")


class CorpusError(ValueError):
    """A data file that does not fit the format (an unknown act or slot): names the file and the fix."""


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def data_hash() -> str:
    """sha256 over every data file's name and bytes: the model cache is keyed by it."""
    digest = hashlib.sha256()
    for path in data_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _read(kind: str, language: str) -> dict:
    path = DATA_DIR / f"{kind}.{language}.yaml"
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=yaml.CSafeLoader) or {}
    unknown = sorted(set(data.get("acts", {})) - set(ACTS))
    if unknown:
        raise CorpusError(f"{path}: unknown acts {unknown}; use the names in simulator/scenario/acts.py")
    return data


def expand(template: str, slots: dict[str, list[str]], rng: random.Random, depth: int = 0) -> str:
    """One sentence from a template: alternatives picked and slots filled (slot values may be templates)."""
    if depth > 4:
        raise CorpusError(f"slots nest too deep in '{template}'")

    def slot(m: re.Match) -> str:
        name = m.group(1)
        if name not in slots:
            raise CorpusError(f"template '{template}' names slot '{name}', which the file does not define")
        return expand(rng.choice(slots[name]), slots, rng, depth + 1)

    text = template
    while True:
        new = _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), text)
        if new == text:
            break
        text = new
    text = _SLOT.sub(slot, text)
    return re.sub(r"\s+", " ", text).strip()


def _chat_style(text: str) -> str:
    return re.sub(r"[.,!?;:'‘’“”\"]", "", text.lower()).strip()


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = rng.choice([w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j + 1:]])  # swapped or dropped letter
    return " ".join(words)


@lru_cache(maxsize=4)
def training_examples(language: str) -> tuple[tuple[str, str], ...]:
    """(text, act) pairs for one language, the same on every machine and every run."""
    data = _read("train", language)
    slots = {k: [str(v) for v in vs] for k, vs in (data.get("slots") or {}).items()}
    examples: list[tuple[str, str]] = []
    for act in ACTS:
        templates = [str(t) for t in data["acts"].get(act) or []]
        if not templates:
            raise CorpusError(f"{DATA_DIR / f'train.{language}.yaml'}: no sentences for act '{act}'")
        rng = random.Random(f"{SEED}:{language}:{act}")
        seen: set[str] = set()
        texts: list[str] = []
        attempts = 0
        while len(texts) < PER_ACT and attempts < PER_ACT * 30:
            template = templates[attempts % len(templates)] if attempts < len(templates) else rng.choice(templates)
            attempts += 1
            text = expand(template, slots, rng)
            roll = rng.random()
            if roll < 0.15:
                text = _chat_style(text)
            elif roll < 0.25:
                text = _typo(text, rng)
            if text and text.lower() not in seen:
                seen.add(text.lower())
                texts.append(text)
        examples.extend((t, act) for t in texts)
    return tuple(examples)


@lru_cache(maxsize=4)
def heldout_examples(language: str) -> tuple[tuple[str, str], ...]:
    data = _read("heldout", language)
    return tuple((str(text).strip(), act) for act in ACTS for text in data["acts"].get(act) or [])


@lru_cache(maxsize=4)
def abuse_words(language: str) -> tuple[str, ...]:
    """Words that make a customer's line abusive (swearing, insults, threats), lower case."""
    return tuple(str(w).lower() for w in _read("train", language).get("abuse_words") or [])


def languages() -> tuple[str, ...]:
    return LANGUAGES
