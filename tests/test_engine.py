"""The session API, as a front end uses it. Every test runs twice: once plainly and once with the session
rebuilt from a JSON round trip of `snapshot()` after every action (as ink runs its tests after save/load)."""
from __future__ import annotations

import json

import pytest

from conftest import GOLDEN, load_ok, scenario_from
from simulator.engine.session import ChoiceError, Session

REGELS = GOLDEN / "regels.yaml"


class Driver:
    """A session that, in round-trip mode, is restored from its own snapshot after each action."""

    def __init__(self, scenario, round_trip: bool):
        self.scenario = scenario
        self.round_trip = round_trip
        self.session = Session(scenario)

    def _cycle(self):
        if self.round_trip:
            snap = json.loads(json.dumps(self.session.snapshot()))
            self.session = Session.restore(self.scenario, snap)

    def choose(self, number: int):
        turn = self.session.choose(number - 1)
        self._cycle()
        return turn

    def undo(self):
        done = self.session.undo()
        self._cycle()
        return done

    def __getattr__(self, name):
        return getattr(self.session, name)


@pytest.fixture(params=["direct", "after_snapshot_restore"])
def drive(request):
    return lambda scenario: Driver(scenario, request.param == "after_snapshot_restore")


def test_start_shows_the_first_line_and_its_choices(drive):
    s = drive(load_ok(REGELS))
    assert s.node.id == "opening" and s.line == "Ik ben er klaar mee!"
    assert [c.act for c in s.choices()] == ["listen", "justify", "ask"]
    assert not s.finished and s.ending is None and s.mood == (60, 40)


def test_choosing_moves_on_and_changes_the_mood(drive):
    s = drive(load_ok(REGELS))
    turn = s.choose(1)
    assert turn.act == "listen" and turn.feedback == "Luisteren." and turn.step_event == "in_order"
    assert s.node.id == "begrip" and s.mood == (50, 40)


def test_the_step_track_lights_up_and_falls_back(drive):
    s = drive(load_ok(REGELS))
    s.choose(1)
    s.choose(1)
    assert s.phase == 2
    assert s.steps["acknowledge"] == {"done": True, "in_order": True, "assessed": True, "status": "in_order"}
    assert [(t["step"], t["status"], t["next"]) for t in s.track()[:3]] == [
        ("listen", "in_order", False), ("acknowledge", "in_order", False), ("ask", "open", True)]
    s.choose(2)  # belittle: back to step 1
    assert s.phase == 0
    assert s.steps["acknowledge"]["done"]  # what was earned stays earned; the phase must be earned again
    track = s.track()
    assert [(t["status"], t["again"]) for t in track[:2]] == [("in_order", True), ("in_order", True)]
    assert track[0]["next"] and not track[2]["next"]   # the method expects listening again


def test_a_skipped_step_is_too_early_once(drive):
    s = drive(load_ok(REGELS))
    turn = s.choose(3)  # ask before listening
    assert turn.step_event == "too_early" and turn.violations == ("too_early",)
    assert s.steps["ask"] == {"done": True, "in_order": False, "assessed": True, "status": "too_early"}
    assert s.track()[2]["status"] == "too_early"
    assert s.choose(1).step_event == "in_order"  # the next step (after the jump) counts in order again


def test_finishing_gives_the_ending_and_no_more_choices(drive):
    s = drive(load_ok(REGELS))
    s.choose(1)
    s.choose(2)  # give in
    assert s.finished and s.ending == "satisfied" and s.choices() == []
    with pytest.raises(ChoiceError):
        s.choose(1)


def test_out_of_range_choice_is_refused_without_changing_anything(drive):
    s = drive(load_ok(REGELS))
    with pytest.raises(ChoiceError, match="choose 1 to 3"):
        s.choose(4)
    with pytest.raises(ChoiceError):
        s.session.choose(-1)
    assert s.node.id == "opening" and s.turns == []


def test_undo_returns_to_the_same_state(drive):
    s = drive(load_ok(REGELS))
    s.choose(1)
    before = (s.state, s.scorecard())
    s.choose(2)
    assert s.undo()
    assert (s.state, s.scorecard()) == before
    assert s.undo() and s.node.id == "opening"
    assert not s.undo()


def test_conditions_decide_what_is_offered_and_where_it_goes(drive):
    scenario = scenario_from("""
format: 1
id: voorwaarden
title: T
summary: S
language: nl
difficulty: 1
channel: phone
customer: {name: K, anger: 70}
start: a
nodes:
  a:
    say: "Hallo"
    choices:
      - {text: "kalm", act: listen, effect: {anger: -30}, feedback: f, next: b}
      - {text: "boos", act: justify, effect: {anger: 20}, set: [geirriteerd], feedback: f, next: b}
  b:
    say: "En?"
    choices:
      - {text: "alleen als kalm", act: acknowledge, if: "anger < 50", feedback: f, next: c}
      - {text: "altijd", act: neutral, feedback: f, next: [{if: "flag:geirriteerd", goto: weg}, {goto: c}]}
  c: {say: "Goed", ending: satisfied}
  weg: {say: "Dag", ending: lost}
""")
    calm = drive(scenario)
    calm.choose(1)
    assert [c.text for c in calm.choices()] == ["alleen als kalm", "altijd"]
    angry = drive(scenario)
    angry.choose(2)
    assert [c.text for c in angry.choices()] == ["altijd"]
    angry.choose(1)
    assert angry.ending == "lost"


def test_mood_stays_within_0_and_100(drive):
    scenario = scenario_from("""
format: 1
id: grenzen
title: T
summary: S
language: nl
difficulty: 1
channel: phone
customer: {name: K, anger: 95, trust: 5}
start: a
nodes:
  a:
    say: "x"
    choices:
      - {text: "a", act: justify, effect: {anger: 50, trust: -50}, feedback: f, next: e}
      - {text: "b", act: listen, effect: {anger: -100, trust: 100}, feedback: f, next: e}
  e: {say: "x", ending: lost}
""")
    s = drive(scenario)
    s.choose(1)
    assert s.mood == (100, 0)


def test_scorecard_has_the_format_page_shape(drive):
    s = drive(load_ok(REGELS))
    for n in (1, 1, 1, 1, 1, 1):
        s.choose(n)
    card = s.scorecard()
    assert {"scenario", "ending", "score", "steps", "violations", "path", "customer"} <= set(card)
    assert card["scenario"] == "regels" and card["ending"] == "satisfied" and card["score"] == 100
    assert card["path"][0] == {"node": "opening", "choice": 1, "act": "listen", "text": "Vertelt u het maar."}
    assert set(card["steps"]) == {"listen", "acknowledge", "ask", "solve", "agree", "follow_up"}
    assert card["customer"] == {"anger": s.mood[0], "trust": s.mood[1]}
    json.dumps(card)


def test_violation_names_rule_node_and_feedback(drive):
    s = drive(load_ok(REGELS))
    s.choose(1)
    s.choose(2)
    (v,) = s.scorecard()["violations"]
    assert v["rule"] == "gave_in" and v["node"] == "begrip" and v["feedback"] == "Toegeven."
    assert "Klantgezwicht" in v["message"]


def test_english_scenario_gets_english_rule_texts():
    text = (REGELS).read_text(encoding="utf-8").replace("language: nl", "language: en")
    s = Session(scenario_from(text))
    s.choose(0)
    s.choose(1)
    assert "Caving in" in s.scorecard()["violations"][0]["message"]


def test_restore_refuses_a_snapshot_of_another_scenario():
    s = Session(load_ok(REGELS))
    with pytest.raises(ValueError):
        Session.restore(s.scenario, {"scenario": "iets-anders", "choices": []})
    with pytest.raises(ValueError):
        Session.restore(s.scenario, {"scenario": "regels", "choices": [9]})


def test_replay_keeps_the_path_as_far_as_it_fits():
    s = Session.replay(load_ok(REGELS), [1, 1, 9, 1])
    assert [t.node for t in s.turns] == ["opening", "begrip"]


def test_a_seed_shuffles_the_choices_per_conversation_and_keeps_the_order():
    scenario = load_ok(REGELS)
    orders = {tuple(c.act for c in Session(scenario, seed=seed).choices()) for seed in range(12)}
    assert len(orders) > 1                                        # the first option is not always the same
    assert all(sorted(order) == sorted(["listen", "justify", "ask"]) for order in orders)
    s = Session(scenario, seed=5)
    shown = [c.act for c in s.choices()]
    assert [c.act for c in Session(scenario, seed=5).choices()] == shown   # the same seed, the same order
    turn = s.choose(shown.index("listen"))                       # the player picks by what they see
    assert turn.act == "listen" and turn.offered == 1             # stored in file order, as --choices counts
    restored = Session.restore(scenario, s.snapshot())
    assert restored.seed == 5 and [c.text for c in restored.choices()] == [c.text for c in s.choices()]
    assert s.scorecard()["seed"] == 5 and s.scorecard()["path"][0]["choice"] == 1


def test_scripted_play_counts_in_file_order_unless_a_seed_is_given():
    scenario = load_ok(REGELS)
    assert [c.act for c in Session(scenario).choices()] == ["listen", "justify", "ask"]
    s = Session(scenario, seed=5)
    assert [s.choices()[i].act for i in range(3)] == [["listen", "justify", "ask"][n - 1] for n in s.shown_numbers()]
