"""What the debrief teaches, worked out from a played session without drawing anything: the live step track, the
score breakdown, the player's path beside the best path aligned by node, and the three lessons to take away."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.scenario.acts import STEPS

if TYPE_CHECKING:
    from simulator.engine.conversation import Turn
    from simulator.engine.session import Session

# Which rules matter most when only three lessons fit: the fatal ones first, then what undid the method.
RULE_ORDER = ("counter_abuse", "gave_in", "door_closed", "boundary_ladder", "abuse_tolerated", "back_to_start",
              "limit_without_abuse", "method", "too_early")


def track_of(session: Session) -> list[dict]:
    """The six steps as the live track shows them: the engine's `track()`, with status open, in_order, too_early, or
    lost for a step earned before a fall-back to step 1 (what it earned stays, but it must be taken again before
    the steps after it count in order: an empty ring)."""
    out = []
    for entry in session.track():
        entry = dict(entry)
        if entry.get("again") and entry["status"] in ("in_order", "too_early"):
            entry["status"] = "lost"
        out.append(entry)
    return out


def breakdown_of(card: dict, rubric) -> dict:
    """The rubric 2 breakdown of a scorecard: steps with weight and points earned, penalties, fatal cap, score.
    Scorecards without one (an engine before rubric 2) get one built from the steps and violations."""
    found = card.get("breakdown")
    if isinstance(found, dict):
        return found
    steps = []
    in_order, early = getattr(rubric, "step_in_order", 0), getattr(rubric, "step_too_early", 0)
    for step in STEPS:
        info = card["steps"][step]
        status = "not_assessed" if not info.get("assessed", True) else (
            "in_order" if info.get("done") and info.get("in_order") else "too_early" if info.get("done") else "missed")
        earned = in_order if status == "in_order" else early if status == "too_early" else 0
        steps.append({"step": step, "weight": in_order, "earned": earned,
                      "status": status, "assessed": info.get("assessed", True),
                      "reason": "handed_over" if info.get("handed_over") else None})
    points = getattr(rubric, "penalties", {}) or {}
    penalties = [{"rule": v["rule"], "node": v["node"], "points": int(points.get(v["rule"], 0)), "fatal": False}
                 for v in card["violations"]]
    return {"steps": steps, "penalties": penalties, "possible": card.get("best_points"),
            "earned": sum(s["earned"] for s in steps), "penalty": sum(p["points"] for p in penalties), "fatal": None,
            "cap": None, "score": card["score"]}


@dataclass
class Row:
    """One row of 'your path beside the best path': the same node on both sides, or a node only one side visited."""
    node: str
    mine: Turn | None = None          # the player's Turn at this node
    best: Turn | None = None          # the best path's Turn at this node
    number: int | None = None         # the player's choice number (1-based), for "at choice N"

    @property
    def same(self) -> bool:
        return self.mine is not None and self.best is not None and self.mine.text == self.best.text

    @property
    def mistake(self) -> bool:
        return self.mine is not None and bool(self.mine.violations)


def best_turns(session) -> list:
    """The best path's turns (node, text, act, feedback), replayed in file order on a fresh session."""
    from simulator.analysis import analysis_of

    best = analysis_of(session.scenario, session.rubric).best
    if best is None:
        return []
    replay = type(session).replay(session.scenario, best.choices, session.rubric)
    return list(replay.turns)


def aligned_paths(session) -> list[Row]:
    """The player's turns and the best path's, matched by node (longest common run of nodes), not by position: after
    a detour the rows meet again where both paths pass the same node."""
    mine, best = list(session.turns), best_turns(session)
    a, b = [t.node for t in mine], [t.node for t in best]
    # longest common subsequence of the node sequences (paths are short: tens of turns)
    lcs = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if a[i] == b[j] else max(lcs[i + 1][j], lcs[i][j + 1])
    rows, i, j = [], 0, 0
    while i < len(a) or j < len(b):
        if i < len(a) and j < len(b) and a[i] == b[j]:
            rows.append(Row(a[i], mine[i], best[j], i + 1))
            i, j = i + 1, j + 1
        elif j >= len(b) or (i < len(a) and lcs[i + 1][j] >= lcs[i][j + 1]):
            rows.append(Row(a[i], mine[i], None, i + 1))
            i += 1
        else:
            rows.append(Row(b[j], None, best[j], None))
            j += 1
    return rows


@dataclass
class Lesson:
    """One thing to do differently: the rule (or step) it is about, the choice that caused it, what fits better."""
    kind: str                    # a rule id, or "step_missed" / "step_too_early" for a step
    subject: str                 # the rule id or the step
    number: int | None = None    # the player's choice number that caused it
    said: str = ""               # what the player said then
    feedback: str = ""           # the scenario's feedback on that choice
    better: str = ""             # the best path's choice at the same node, when it passed there
    times: int = 1               # merged duplicates: how often it happened
    numbers: list[int] = field(default_factory=list)


def lessons(session, limit: int = 3) -> list[Lesson]:
    """At most `limit` lessons, the most serious first; each broken rule once (with how often), tied to the first
    choice that broke it, then steps missed or taken too early."""
    best_at = {t.node: t for t in best_turns(session)}
    found: dict[str, Lesson] = {}
    for n, turn in enumerate(session.turns, 1):
        for rule in turn.violations:
            if rule in found:
                found[rule].times += 1
                found[rule].numbers.append(n)
                continue
            better = best_at.get(turn.node)
            found[rule] = Lesson(rule, rule, n, turn.text, turn.feedback or "",
                                 better.text if better is not None and better.text != turn.text else "", 1, [n])
    card = session.scorecard()
    for v in card["violations"]:      # rules judged at the end (a closed door) belong to no single choice
        if v["rule"] not in found:
            found[v["rule"]] = Lesson(v["rule"], v["rule"])
    ordered = sorted(found.values(), key=lambda x: (RULE_ORDER.index(x.kind) if x.kind in RULE_ORDER else 99,
                                                   x.number or 0))
    for step in STEPS:
        info = card["steps"][step]
        if not info.get("assessed", True) or info.get("handed_over") or info.get("excused"):
            continue
        if not info.get("done"):
            ordered.append(Lesson("step_missed", step))
        elif not info.get("in_order") and "too_early" not in found:
            ordered.append(Lesson("step_too_early", step))
    return ordered[:limit]
