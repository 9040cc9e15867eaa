"""The rubric file itself: a trainer who edits rubric.yaml gets a clear error for numbers that break its rules,
and the scorecard explains the score the way a quality form does."""
from __future__ import annotations

import pytest
import yaml

from conftest import GOLDEN, ROOT, load_ok
from simulator.engine.session import Session
from simulator.scoring.rubric import RUBRIC_FILE, RubricError, load_rubric


def edited(tmp_path, change) -> str:
    data = yaml.safe_load(RUBRIC_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("change, words", [
    (lambda d: d["steps"].update(follow_up=20), "add up to 90, not 100"),
    (lambda d: d.update(fatal_cap=80), "fatal_cap must be below pass_mark"),
    (lambda d: d["penalties"].update(method=-3), "'penalties.method' must be a whole number"),
    (lambda d: d["fatal"].append("hang_up"), "unknown rule(s) hang_up"),
    (lambda d: d["fatal"].append("boundary_ladder/shout"), "boundary_ladder/shout"),
    (lambda d: d["notes"].pop("patience"), "no text for patience"),
])
def test_a_rubric_that_breaks_its_own_rules_is_refused_with_what_to_fix(tmp_path, change, words):
    with pytest.raises(RubricError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_rubric(edited(tmp_path, change))


def test_the_weights_add_up_to_100_and_checking_weighs_the_most():
    rubric = load_rubric()
    assert sum(rubric.weights.values()) == 100
    assert max(rubric.weights, key=rubric.weights.get) == "follow_up"
    assert rubric.fatal_cap < rubric.pass_mark


def test_the_breakdown_explains_the_score_like_a_quality_form():
    scenario = load_ok(GOLDEN / "regels.yaml")
    # listen, deflect (method), ask, solve, agree, and no check of the execution
    card = Session.replay(scenario, [1, 3, 1, 1, 1, 2]).scorecard()
    sheet = card["breakdown"]
    assert sheet["score"] == card["score"] and sheet["pass_mark"] == 75 and card["passed"] is False
    by_step = {s["step"]: s for s in sheet["steps"]}
    assert by_step["listen"]["earned"] == by_step["listen"]["weight"] == 10
    assert by_step["acknowledge"]["status"] == "open" and by_step["acknowledge"]["earned"] == 0
    assert by_step["ask"]["status"] == "too_early" and by_step["ask"]["earned"] == 7   # half of 15, rounded down
    assert by_step["follow_up"]["weight"] == 30 and by_step["follow_up"]["earned"] == 0
    assert [p["rule"] for p in sheet["penalties"]] == ["method", "too_early"]
    assert sheet["earned"] - sheet["penalty"] == card["points"] and sheet["possible"] == 100
    assert card["score"] == round(100 * card["points"] / sheet["possible"])


def test_a_fatal_mistake_is_named_and_caps_the_score():
    scenario = load_ok(ROOT / "scenarios" / "duikreis.nl.yaml")
    # every step in order, but after an early threat the agent hangs up on her: without the cap this is 70
    session = Session.replay(scenario, [1, 3, 3, 1, 1, 1, 1, 1, 1])
    card = session.scorecard()
    sheet = card["breakdown"]
    assert session.finished and sheet["fatal"] == "boundary_ladder" and sheet["cap"] == 50
    assert card["score"] == 50 and not card["passed"] and "begrensd op 50" in sheet["cap_note"]
    assert [v["fatal"] for v in card["violations"]] == [False, True]   # the early threat is not fatal, the hang-up is


def test_with_nothing_left_to_assess_a_mistake_scores_0_and_none_scores_100():
    """The formula's limit when every step left the measure (the contact was ended correctly at once): taking a
    step in order can then never lower the score, which the analysis relies on."""
    from simulator.scoring import judge

    rubric = load_rubric()
    assert judge.score(rubric, 0, 0, 0, False) == 100
    assert judge.score(rubric, 0, 8, 0, False) == 0
    assert judge.score(rubric, 10, 8, 10, False) == 20 >= judge.score(rubric, 0, 8, 0, False)
