"""The fast search (integer states, judge tables, bucket queue) against the search it replaced, kept verbatim in
tests/reference_search.py as the oracle: on every bundled scenario, the golden ones, generated trainer-shaped
files and random scenarios, every result must be the same: best and worst path with their choices and scores,
the best way to every ending, reachable and stuck nodes, the proven bound, the number of states and whether the
search was complete.

Both also answer to an exhaustive walk over every path (tests/test_rubric_properties.walk): the best score the
search reports is the best any path reaches. That caught "fewer times round dominates", which is not sound: a
customer who runs out of patience leaves before penalties that a patient one still pays
(tests/fixtures/search/patience-dominance.yaml: 0 reported, 38 possible); dominance now needs as many times round.
It also caught that a step taken too early is not better than one not taken (after a correct end of contact the
untaken one leaves the measure: too-early-dominance.yaml), so dominance compares steps as "the same, or in order"."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import reference_search
from conftest import BUNDLED, GOLDEN, ROOT, load_ok, scenario_from
from benchmarks.scenario_bench import generate
from simulator.analysis.search import analyse

FILES = BUNDLED + sorted(GOLDEN.glob("*.yaml"))


def results(a) -> dict:
    return {"json": a.to_json(), "reachable": sorted(a.reachable_nodes), "stuck": sorted(a.stuck_nodes),
            "endings": {k: v.to_json() for k, v in a.endings.items()}}


def assert_same(scenario, max_states=reference_search.MAX_STATES):
    new, old = analyse(scenario, max_states=max_states), reference_search.analyse(scenario, max_states=max_states)
    assert results(new) == results(old)
    return new


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_results_as_the_reference_on_every_bundled_and_golden_scenario(path):
    a = assert_same(load_ok(path))
    assert a.best is not None and a.complete


@pytest.mark.parametrize("nodes", [40, 300])
def test_same_results_on_generated_trainer_shaped_files(nodes):
    assert_same(scenario_from(generate(nodes)))


def test_same_results_when_the_search_is_cut_off():
    scenario = scenario_from(generate(300))
    for cap in (5, 200, 1_000):
        assert not assert_same(scenario, max_states=cap).complete


ACTS = ["listen", "acknowledge", "apologize", "ask", "solve", "agree", "follow_up", "set_limit", "warn",
        "end_contact", "hand_over", "offer_channel", "justify", "interrupt", "counter", "give_in", "flat_no",
        "overdo_empathy", "neutral"]
CONDITIONS = ["anger >= 70", "anger < 40", "trust > 55", "turns > 4", "turns <= 2", "flag:a", "not flag:b",
              "flag:a and anger > 50", "trust == 50 or flag:b", "anger != 60"]


@st.composite
def random_scenario(draw) -> str:
    """A scenario of 3-9 nodes with random acts, effects, flags, conditions (on anger, trust, turns and flags),
    abusive lines, links back (cycles) and endings."""
    n = draw(st.integers(3, 9))
    endings = ["satisfied", "lost", "escalated", "disconnected", "dissatisfied"]
    out = ["format: 1", "id: random", "title: T", "summary: S", "language: nl", "difficulty: 1", "channel: phone",
           f"customer: {{name: K, anger: {draw(st.sampled_from([30, 50, 60, 70]))}, trust: 50}}",
           "assess: " + draw(st.sampled_from(["[listen, acknowledge, ask, solve, agree, follow_up]",
                                              "[listen, ask, agree]"])),
           "start: n0", "nodes:"]
    for i in range(n):
        out.append(f"  n{i}:")
        out.append('    say: "x"')
        if draw(st.booleans()):
            out.append("    abusive: true")
        out.append("    choices:")
        for j in range(draw(st.integers(2, 4))):
            parts = [f'text: "c{j}"', f"act: {draw(st.sampled_from(ACTS))}", "feedback: f"]
            if draw(st.integers(0, 2)) == 0:
                parts.append(f"effect: {{anger: {draw(st.sampled_from([-20, -5, 5, 15, 40]))}, "
                             f"trust: {draw(st.sampled_from([-10, 0, 5, 20]))}}}")
            if draw(st.integers(0, 3)) == 0:
                parts.append(f"set: [{draw(st.sampled_from(['a', 'b', 'c']))}]")
            if j > 0 and draw(st.integers(0, 3)) == 0:
                parts.append(f'if: "{draw(st.sampled_from(CONDITIONS))}"')
            target = lambda: draw(st.sampled_from([f"n{k}" for k in range(n)] + ["e0", "e1", "e2"]))
            if draw(st.integers(0, 3)) == 0:
                parts.append(f'next: [{{if: "{draw(st.sampled_from(CONDITIONS))}", goto: {target()}}}, '
                             f'{{goto: {target()}}}]')
            else:
                parts.append(f"next: {target()}")
            out.append("      - {" + ", ".join(parts) + "}")
    for e in range(3):
        out.append(f'  e{e}: {{say: "einde", ending: {endings[(e + n) % len(endings)]}}}')
    return "\n".join(out) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=random_scenario())
def test_same_results_on_random_scenarios(text):
    from simulator.scenario.loader import load_text

    result = load_text(text, "random.yaml")
    if result.scenario is None:   # e.g. a node with no way to any ending: refused before any analysis
        return
    assert_same(result.scenario)


def _exhaustive_best(scenario) -> int:
    from test_rubric_properties import final_score, walk

    return max(final_score(scenario, state, penalty) for state, penalty, _abuse, _turns in walk(scenario))


def test_the_best_score_is_what_an_exhaustive_walk_finds():
    counterexamples = sorted((ROOT / "tests" / "fixtures" / "search").glob("*-dominance.yaml"))
    for path in [*counterexamples, *FILES]:
        scenario = load_ok(path)
        assert analyse(scenario).best_score == _exhaustive_best(scenario), path.name


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=random_scenario())
def test_the_best_score_is_what_an_exhaustive_walk_finds_on_random_scenarios(text):
    from simulator.scenario.loader import load_text

    scenario = load_text(text, "random.yaml").scenario
    if scenario is not None:   # refused files have no analysis
        assert analyse(scenario).best_score == _exhaustive_best(scenario)
