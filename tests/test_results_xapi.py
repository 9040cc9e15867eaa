"""xAPI, second version: choice ids that do not move with the order on screen, statement ids that follow the
content, no `version` property, a time per answer, and the rubric's pass mark as the default pass score."""
from __future__ import annotations

import copy
from datetime import datetime, UTC
from pathlib import Path

from results_samples import bad_card, good_card, make_result
from simulator.engine.session import Session
from simulator.results import record_from_session, xapi
from simulator.scenario.loader import load_file
from test_export import validate_statement, verb_name

ROOT = Path(__file__).resolve().parents[1]


def answered(statements):
    return [s for s in statements if verb_name(s) == "answered"]


def test_a_choice_keeps_its_id_when_the_options_are_offered_in_another_order():
    result = make_result(card=bad_card(31))
    before = answered(xapi.statements_for(result))[1]
    shuffled = copy.deepcopy(result)
    shuffled.path[1]["options"].reverse()  # the same choices, another order (e.g. a condition hid one before)
    shuffled.path[1]["choice"] = 2
    after = answered(xapi.statements_for(shuffled))[1]
    ids = {c["description"]["nl"]: c["id"] for c in before["object"]["definition"]["choices"]}
    assert ids == {c["description"]["nl"]: c["id"] for c in after["object"]["definition"]["choices"]}
    assert before["result"]["response"] == after["result"]["response"]
    assert not any(i.startswith("choice-") for i in ids.values())  # not "the 2nd option"


def test_statements_carry_no_version_and_pass_the_specification_and_tincan():
    for result in (make_result(), make_result("Bram", bad_card(20)), make_result(status="abandoned", enrich=False)):
        for statement in xapi.statements_for(result):
            assert "version" not in statement
            validate_statement(statement)


def test_a_statement_whose_content_differs_gets_another_id_and_the_same_content_the_same_id():
    result = make_result(card=good_card(75))
    strict = xapi.statements_for(result, pass_score=80)
    lenient = xapi.statements_for(result, pass_score=70)
    assert verb_name(strict[-1]) == "failed" and verb_name(lenient[-1]) == "passed"
    assert strict[-2]["id"] != lenient[-2]["id"]  # `completed` says success false vs true: other content
    assert strict[0]["id"] == lenient[0]["id"]    # `attempted` says the same in both
    again = xapi.statements_for(result, pass_score=80)
    assert [s["id"] for s in again] == [s["id"] for s in strict]
    other_org = xapi.statements_for(result, base_iri="https://leren.example.nl", pass_score=80)
    assert not {s["id"] for s in other_org} & {s["id"] for s in strict}


def test_each_answer_is_timed_when_it_was_given():
    scenario = load_file(ROOT / "scenarios" / "starter.nl.yaml").scenario
    session = Session(scenario)
    while not session.finished:
        session.choose(0)
    # the choices were made a second apart (set here so the test does not wait)
    session.times = [datetime(2026, 9, 1, 9, 0, n, tzinfo=UTC).timestamp() for n in range(len(session.turns))]
    result = record_from_session(session, "Anouk", datetime(2026, 9, 1, 8, 59, tzinfo=UTC),
                                 finished_at=datetime(2026, 9, 1, 9, 5, tzinfo=UTC))
    stamps = [s["timestamp"] for s in answered(xapi.statements_for(result))]
    assert stamps == [f"2026-09-01T09:00:{n:02d}Z" for n in range(len(session.turns))]


def test_an_older_record_without_times_keeps_the_finish_time_for_its_answers():
    result = make_result()
    assert all("at" not in step for step in result.path)
    assert {s["timestamp"] for s in answered(xapi.statements_for(result))} == {result.finished_at}


def test_the_default_pass_score_is_the_rubrics_pass_mark_when_it_has_one(monkeypatch):
    import simulator.scoring.rubric as rubric_module

    real = rubric_module.load_rubric

    class WithMark:
        def __init__(self, rubric, mark):
            self._rubric, self.pass_mark = rubric, mark

        def __getattr__(self, name):
            return getattr(self._rubric, name)

    monkeypatch.setattr(rubric_module, "load_rubric", lambda *a, **k: WithMark(real(*a, **k), 90))
    xapi.default_pass_score.cache_clear()
    try:
        assert xapi.default_pass_score() == 90
        assert verb_name(xapi.statements_for(make_result(card=good_card(87)))[-1]) == "failed"
        monkeypatch.setattr(rubric_module, "load_rubric", lambda *a, **k: WithMark(real(*a, **k), None))
        xapi.default_pass_score.cache_clear()
        assert xapi.default_pass_score() == xapi.FALLBACK_PASS_SCORE
    finally:
        xapi.default_pass_score.cache_clear()
