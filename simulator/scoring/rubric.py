"""The rubric: weights, labels and rule texts, read from rubric.yaml so trainers can read and tune them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

RULES = ("too_early", "back_to_start", "boundary_ladder", "abuse_tolerated", "counter_abuse", "door_closed",
         "gave_in", "method")
RUBRIC_FILE = Path(__file__).with_name("rubric.yaml")


@dataclass(frozen=True)
class Rubric:
    step_in_order: int
    step_too_early: int
    boundary: dict[str, int]     # set_limit, warn, end_contact, door_open
    penalties: dict[str, int]    # rule id -> points subtracted
    labels: dict[str, dict[str, str]]
    rule_texts: dict[str, dict[str, str]]

    def label(self, key: str, language: str) -> str:
        return self.labels.get(language, self.labels["nl"]).get(key, key)

    def rule_text(self, rule: str, language: str) -> str:
        texts = self.rule_texts[rule]
        return texts.get(language) or texts["nl"]


def _rubric_from(data: dict) -> Rubric:
    penalties = {rule: int(data["penalties"][rule]) for rule in RULES}
    boundary = {k: int(data["boundary"][k]) for k in ("set_limit", "warn", "end_contact", "door_open")}
    numbers = [int(data["steps"]["in_order"]), int(data["steps"]["too_early"]), *penalties.values(), *boundary.values()]
    if any(n < 0 for n in numbers):
        raise ValueError("rubric weights must not be negative")
    return Rubric(step_in_order=int(data["steps"]["in_order"]), step_too_early=int(data["steps"]["too_early"]),
                  boundary=boundary, penalties=penalties, labels=data["labels"],
                  rule_texts={rule: data["rules"][rule] for rule in RULES})


@lru_cache(maxsize=None)
def load_rubric(path: str | None = None) -> Rubric:
    """The rubric in force (rubric.yaml beside this module unless a path is given)."""
    with open(path or RUBRIC_FILE, encoding="utf-8") as fh:
        return _rubric_from(yaml.load(fh, Loader=yaml.CSafeLoader))
