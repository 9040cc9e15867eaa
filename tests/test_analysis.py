"""The state-space search: best and worst path, endings, termination on cycles."""
from __future__ import annotations

from conftest import GOLDEN, load_ok, scenario_from
from simulator.engine.session import Session
from simulator.analysis.search import analyse
from simulator.scoring.scorecard import normalise

CYCLE = """
format: 1
id: rondjes
title: T
summary: S
language: nl
difficulty: 1
channel: phone
customer: {name: K}
start: a
nodes:
  a:
    say: "x"
    choices:
      - {text: "luister", act: listen, feedback: f, next: b}
      - {text: "nog eens", act: justify, effect: {anger: 5}, feedback: f, next: a}
  b:
    say: "y"
    choices:
      - {text: "terug", act: interrupt, feedback: f, next: a}
      - {text: "begrip", act: acknowledge, feedback: f, next: [{if: "turns > 3", goto: laat}, {goto: c}]}
      - {text: "rondje", act: neutral, set: [rond], feedback: f, next: b}
  c: {say: "z", ending: satisfied}
  laat: {say: "te laat", ending: dissatisfied}
"""


def test_best_path_of_the_rules_scenario():
    a = analyse(load_ok(GOLDEN / "regels.yaml"))
    assert a.best.choices == [1, 1, 1, 1, 1, 1] and a.best.score == 100 and a.best.ending == "satisfied"
    assert a.best.steps == ["listen", "acknowledge", "ask", "solve", "agree", "follow_up"]
    assert set(a.endings) == {"satisfied", "disconnected", "escalated"}
    assert a.worst.score == 0 and a.worst.violations


def test_search_terminates_on_cycles_and_finds_every_ending():
    a = analyse(scenario_from(CYCLE))
    assert a.complete and a.best.choices == [1, 2]
    # 'laat' needs more than 3 turns: via the loops; and going round too often, the customer leaves ('lost')
    assert set(a.endings) == {"satisfied", "dissatisfied", "lost"}
    assert a.endings["dissatisfied"].choices[-1] == 2


def test_a_customer_kept_going_round_in_circles_leaves():
    scenario = scenario_from(CYCLE)
    assert scenario.back_edges == {("a", "a"), ("b", "a"), ("b", "b")}
    s = Session(scenario)
    for _ in range(3):          # "nog eens" three times: the customer tolerates going round twice
        s.choose(1)
    assert s.finished and s.ending == "lost" and s.state.left
    assert "rondjes" in s.line                # the customer says why they leave
    card = s.scorecard()
    assert card["ending"] == "lost" and card["left"]["reason"] == "patience" and "geduld" in card["left"]["message"]


def test_every_path_ends_within_the_bound_the_analysis_proves():
    import random

    for scenario in [scenario_from(CYCLE), load_ok(GOLDEN / "regels.yaml")]:
        bound = analyse(scenario).ends_within
        rng = random.Random(3)
        for _ in range(300):
            s = Session(scenario)
            while not s.finished:
                s.choose(rng.randrange(len(s.choices())))
            assert len(s.turns) <= bound


def test_the_best_path_replayed_in_a_session_scores_100():
    for path in [GOLDEN / "regels.yaml"]:
        scenario = load_ok(path)
        a = analyse(scenario)
        s = Session.replay(scenario, a.best.choices)
        assert s.finished and s.scorecard()["score"] == 100
        w = Session.replay(scenario, a.worst.choices)
        assert w.finished and w.scorecard()["score"] == a.worst.score


def test_normalise():
    assert normalise(60, 60) == 100 and normalise(30, 60) == 50 and normalise(-5, 60) == 0
    assert normalise(0, 0) == 100 and normalise(-1, 0) == 0


def test_unreachable_by_conditions_is_warned():
    from simulator.analysis.checks import analysis_checks

    text = CYCLE.replace('{if: "turns > 3", goto: laat}', '{if: "turns > 3 and turns < 2", goto: laat}')
    codes = [(d.code, d.message) for d in analysis_checks(scenario_from(text))]
    assert any(c == "KS101" and "'laat'" in m for c, m in codes)


def test_a_node_where_no_choice_can_be_offered_is_warned():
    from simulator.analysis.checks import analysis_checks

    text = CYCLE.replace('{text: "rondje", act: neutral,', '{text: "rondje", act: neutral, if: "anger > 90",')
    text = text.replace('{text: "begrip", act: acknowledge,', '{text: "begrip", act: acknowledge, if: "anger > 90",')
    text = text.replace('{text: "terug", act: interrupt,', '{text: "terug", act: interrupt, if: "anger > 90",')
    codes = [d.code for d in analysis_checks(scenario_from(text))]
    assert "KS104" in codes
    s = Session.replay(scenario_from(text), [1])
    assert s.finished and s.ending is None and s.scorecard()["ending"] is None


def test_a_search_that_is_cut_off_says_so():
    from simulator.analysis.checks import analysis_checks
    import simulator.analysis.search as analysis_module

    scenario = load_ok(GOLDEN / "regels.yaml")
    cut = analyse(scenario, max_states=5)
    assert not cut.complete
    original = analysis_module.MAX_STATES
    try:
        analysis_module.analyse.__defaults__ = (None, 5)
        codes = [d.code for d in analysis_checks(scenario)]
    finally:
        analysis_module.analyse.__defaults__ = (None, original)
    assert "KS106" in codes
