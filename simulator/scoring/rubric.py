"""The rubric: weights, penalties, fatal rules, labels and texts, read from rubric.yaml so trainers can read and
tune them. Rubric 2 works like a contact centre's quality scorecard: step weights that add up to 100,
penalties, and a few fatal rules that cap the score below the pass mark."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from simulator.scenario.acts import ACTS, STEPS

# Every rule a violation can name, in the order the format page lists them.
RULES = ("too_early", "back_to_start", "boundary_ladder", "abuse_tolerated", "counter_abuse", "limit_without_abuse",
         "door_closed", "gave_in", "method")
NOTES = ("not_assessed", "handed_over", "contact_ended", "fatal_cap", "patience", "patience_line")
RUBRIC_FILE = Path(__file__).with_name("rubric.yaml")


class RubricError(ValueError):
    """rubric.yaml breaks its own rules (weights that do not add up to 100, a cap above the pass mark, ...)."""


@dataclass(frozen=True)
class Rubric:
    weights: dict[str, int]          # step -> weight; the six add up to 100
    too_early_share: int             # percent of a step's weight earned when it is taken too early
    penalties: dict[str, int]        # rule id -> points subtracted, each time
    fatal: frozenset[str]            # "rule" or "rule/act" (that rule broken by that act) caps the score at fatal_cap
    pass_mark: int
    fatal_cap: int
    patience: int                    # going back round this often is tolerated; the next time the customer leaves
    labels: dict[str, dict[str, str]]
    rule_texts: dict[str, dict[str, str]]
    notes: dict[str, dict[str, str]]

    def label(self, key: str, language: str) -> str:
        return self.labels.get(language, self.labels["nl"]).get(key, key)

    def rule_text(self, rule: str, language: str) -> str:
        texts = self.rule_texts[rule]
        return texts.get(language) or texts["nl"]

    def note(self, key: str, language: str, **values: object) -> str:
        texts = self.notes[key]
        return (texts.get(language) or texts["nl"]).format(**values)

    def is_fatal(self, rule: str, act: str | None = None) -> bool:
        return rule in self.fatal or (act is not None and f"{rule}/{act}" in self.fatal)

    def earned(self, step: str, status: int) -> int:
        """What a step earns: its weight in order (status 2), a share of it too early (1), nothing when open (0)."""
        weight = self.weights[step]
        return weight if status == 2 else weight * self.too_early_share // 100 if status == 1 else 0


def _number(data: dict[str, Any], *keys: str) -> int:
    value: object = data
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise RubricError(f"rubric.yaml: '{'.'.join(keys)}' is missing")
        value = value[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RubricError(f"rubric.yaml: '{'.'.join(keys)}' must be a whole number of 0 or more, not {value!r}")
    return value


def _rubric_from(data: dict[str, Any]) -> Rubric:
    weights = {step: _number(data, "steps", step) for step in STEPS}
    if sum(weights.values()) != 100:
        raise RubricError(f"rubric.yaml: the step weights add up to {sum(weights.values())}, not 100")
    penalties = {rule: _number(data, "penalties", rule) for rule in RULES}
    fatal = data.get("fatal") or []
    unknown = [r for r in fatal if not isinstance(r, str) or r.partition("/")[0] not in RULES
               or (r.partition("/")[2] and r.partition("/")[2] not in ACTS)]
    if unknown:
        raise RubricError(f"rubric.yaml: 'fatal' names unknown rule(s) {', '.join(map(str, unknown))}")
    pass_mark, fatal_cap = _number(data, "pass_mark"), _number(data, "fatal_cap")
    if not fatal_cap < pass_mark <= 100:
        raise RubricError("rubric.yaml: fatal_cap must be below pass_mark, and pass_mark at most 100")
    share = _number(data, "too_early_share")
    if share > 100:
        raise RubricError("rubric.yaml: too_early_share is a percentage (0..100)")
    for key in ("rules", "notes"):
        if not isinstance(data.get(key), dict):
            raise RubricError(f"rubric.yaml: '{key}' is missing")
    missing = [r for r in RULES if r not in data["rules"]] + [n for n in NOTES if n not in data["notes"]]
    if missing:
        raise RubricError(f"rubric.yaml: no text for {', '.join(missing)}")
    return Rubric(weights=weights, too_early_share=share, penalties=penalties, fatal=frozenset(fatal),
                  pass_mark=pass_mark, fatal_cap=fatal_cap, patience=_number(data, "patience"),
                  labels=data["labels"], rule_texts={rule: data["rules"][rule] for rule in RULES},
                  notes={n: data["notes"][n] for n in NOTES})


@cache
def load_rubric(path: str | None = None) -> Rubric:
    """The rubric in force (rubric.yaml beside this module unless a path is given)."""
    with open(path or RUBRIC_FILE, encoding="utf-8") as fh:
        return _rubric_from(yaml.load(fh, Loader=yaml.CSafeLoader))
