"""Golden pairs: a scenario plus a plan of choices, and the ending, rules and score that must come out."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import GOLDEN, ROOT, load_ok
from simulator.engine.session import Session
from simulator.scoring.rubric import RULES, load_rubric

PLANS = sorted(GOLDEN.glob("*.plan"))


def read_plan(path: Path) -> dict:
    plan = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    plan["scenario_path"] = ROOT / plan["scenario"] if "scenario" in plan else path.with_suffix(".yaml")
    return plan


def play(plan: dict):
    session = Session(load_ok(plan["scenario_path"]))
    for n, number in enumerate(plan["choices"], 1):
        assert not session.finished, f"the conversation ended before choice {n}"
        session.choose(number - 1)
    assert session.finished, f"the plan's choices ran out at node '{session.node.id}'"
    return session


@pytest.mark.parametrize("plan_path", PLANS, ids=[p.stem for p in PLANS])
def test_golden_plan(plan_path):
    plan = read_plan(plan_path)
    card = play(plan).scorecard()
    assert card["ending"] == plan["ending"]
    low, high = plan["score"]
    assert low <= card["score"] <= high, f"score {card['score']} not in {plan['score']}"
    assert {v["rule"] for v in card["violations"]} == set(plan.get("rules") or [])
    if "steps" in plan:
        assert [s for s, info in card["steps"].items() if info["done"] and info["assessed"]] == plan["steps"]


def test_every_rule_has_a_golden_case_that_triggers_it_and_one_that_does_not():
    triggered = {rule: [] for rule in RULES}
    avoided = {rule: [] for rule in RULES}
    for path in PLANS:
        rules = set(read_plan(path).get("rules") or [])
        for rule in RULES:
            (triggered if rule in rules else avoided)[rule].append(path.stem)
    assert [r for r in RULES if not triggered[r]] == []
    assert [r for r in RULES if not avoided[r]] == []


def test_golden_scores_follow_the_method():
    """The ranking a trainer would give: the method beats one slip, which beats giving in."""
    scores = {p.stem: play(read_plan(p)).scorecard()["score"] for p in PLANS if p.stem.startswith("regels-")}
    assert scores["regels-best"] == 100
    assert (scores["regels-best"] > scores["regels-too-early"] > scores["regels-back-to-start"]
            > scores["regels-gave-in"])
    # The ladder done right scores more than ending the call without a warning.
    assert scores["regels-ladder"] > scores["regels-ladder-skipped"]
    # A fatal mistake never passes, whatever else went well.
    rubric = load_rubric()
    for path in PLANS:
        card = play(read_plan(path)).scorecard()
        if any(v["fatal"] for v in card["violations"]):
            assert card["score"] <= rubric.fatal_cap < rubric.pass_mark, path.stem


def test_the_reproductions_of_rubric_2_teach_the_method():
    """Each line of the rubric-2 issue, as a trainer would judge it (scores in tests/golden/rubric2-*.plan)."""
    score = {p.stem.removeprefix("rubric2-"): play(read_plan(p)).scorecard()["score"]
             for p in PLANS if p.stem.startswith("rubric2-")}
    rubric = load_rubric()
    passes = lambda name: score[name] >= rubric.pass_mark
    # Hanging up does not pay: the calm limit beats it, and the hang-up cannot pass.
    assert score["hangup-after-early-threat"] <= rubric.fatal_cap < score["calm-limit-after-early-threat"]
    # The article's own failure and withholding the refund fail.
    assert not passes("article-failure") and not passes("withhold-refund")
    # Step 6 weighs the most: skipping it fails.
    assert not passes("skip-step6-digitale-factuur") and not passes("skip-step6-starter")
    # Where the feedback says wrong, the score is not perfect.
    for name in ("gushing-empathy", "vague-promise", "botched-check-goedemorgen"):
        assert score[name] < 100, name
    # Disrespect is not cheap: laughing about customers twice fails, and costs more than one defensive answer.
    assert not passes("laughing-about-customers")
    assert score["laughing-about-customers"] < score["defensive-about-feedback"]
    # A warm handover to someone who can decide follows the method: 100.
    assert score["warm-handover"] == 100
