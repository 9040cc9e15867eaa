"""Rubric 2 as properties over every bundled scenario: what the score teaches must hold on every path, not only
on the golden ones.

- More abuse never raises the best reachable score (boundary acts earn nothing).
- A path with a fatal mistake never reaches the pass mark.
- A path that follows the method everywhere it could scores 100, whatever the customer did.
- Every path ends, within the number of turns the analysis proves.

The scenarios' state graphs are small and acyclic once turns are counted (every choice adds one), so each
property is computed exactly over all paths, level by level, rather than sampled.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from conftest import BUNDLED, GOLDEN, scenario_from
from simulator.analysis import analyse
from simulator.engine import conversation as conv
from simulator.engine.session import Session
from simulator.scenario.acts import (DOOR_OPENERS, LIMIT_ACTS, MISTAKE_ACTS, STEP_OF_ACT, act_kind)
from simulator.scenario.loader import load_file
from simulator.scoring import judge
from simulator.scoring.rubric import load_rubric

RUBRIC = load_rubric()
FILES = BUNDLED + [GOLDEN / "regels.yaml"]
SCENARIOS = {p.name: r.scenario for p in FILES if (r := load_file(p)).ok}
NEXT_RUNG = {"calm": "set_limit", "ended": "set_limit", "limit_set": "warn", "warned": "end_contact"}


def final_score(scenario, state, penalty: int) -> int:
    shut = conv.closing(state)
    earned = judge.earned_points(RUBRIC, state.step_status, scenario.assessed_set)
    excused = judge.excused_steps(state.step_status, scenario.assessed_set, state.excuse)
    possible = judge.possible_points(RUBRIC, scenario.assessed_set, excused)
    return judge.score(RUBRIC, earned, penalty + judge.penalty(RUBRIC, shut), possible,
                       state.fatal or judge.is_fatal(RUBRIC, shut))


def walk(scenario, options_of=None):
    """Every end of every path: yields (final state, least penalty to reach it, abusive lines met, turns).
    `options_of(state, options)` narrows the choices followed (default: all)."""
    level = {(conv.start_state(scenario), 0): 0}
    while level:
        following: dict = {}
        for (state, abuse), penalty in level.items():
            options = [] if conv.is_final(scenario, state) else conv.offered(scenario, state)
            if options and options_of is not None:
                options = options_of(state, options)
                assert options, f"{scenario.id}: no choice follows the method at node '{state.node}'"
            if not options:
                yield state, penalty, abuse, state.turns
                continue
            met = abuse + scenario.nodes[state.node].abusive
            for index, _choice in options:
                nxt, violations, _ = conv.advance(scenario, state, index, RUBRIC)
                cost = penalty + judge.penalty(RUBRIC, violations)
                key = (nxt, met)
                if cost < following.get(key, cost + 1):
                    following[key] = cost
        level = following


def method_options(scenario):
    """The choices that follow the method at a state: the next rung of the ladder (or a colleague) when the line is
    abusive; else the step the method expects next; else a way to a solution when one is owed; else nothing
    that is a mistake or a limit aimed at a customer who is not abusive."""
    def options_of(state, options):
        node = scenario.nodes[state.node]
        acts = {index: choice.act for index, choice in options}
        if node.abusive:
            right = {NEXT_RUNG[state.ladder], "hand_over"}
            picked = [o for o in options if acts[o[0]] in right]
            return picked
        expected = next((s for s, status in zip(conv.STEPS, state.step_status)
                         if s in scenario.assessed_set and status < 2), None)
        steps = [o for o in options if expected is not None and STEP_OF_ACT.get(acts[o[0]]) == expected]
        if steps:
            return steps
        if state.boundary_started and not state.door_offered:
            doors = [o for o in options if acts[o[0]] in DOOR_OPENERS]
            if doors:
                return doors
        return [o for o in options if acts[o[0]] not in MISTAKE_ACTS and acts[o[0]] not in LIMIT_ACTS
                and not (act_kind(acts[o[0]]) == "step" and STEP_OF_ACT[acts[o[0]]] != expected
                         and state.step_status[conv.STEPS.index(STEP_OF_ACT[acts[o[0]]])] < 2)]
    return options_of


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_answering_abuse_never_earns_points(name):
    """On every reachable turn of every bundled scenario, a boundary act leaves the earned points as they were:
    so a customer who keeps swearing never makes a conversation worth more than one who calms down."""
    scenario = SCENARIOS[name]
    seen, todo = set(), [conv.start_state(scenario)]
    while todo:
        state = todo.pop()
        if state in seen or conv.is_final(scenario, state):
            continue
        seen.add(state)
        before = judge.earned_points(RUBRIC, state.step_status, scenario.assessed_set)
        for index, choice in conv.offered(scenario, state):
            nxt, _violations, _ = conv.advance(scenario, state, index, RUBRIC)
            if act_kind(choice.act) == "boundary":
                assert judge.earned_points(RUBRIC, nxt.step_status, scenario.assessed_set) == before
            todo.append(nxt)


SPINE_ACTS = ["listen", "acknowledge", "apologize", "ask", "solve", "agree", "follow_up", "neutral", "justify",
              "deflect", "vague_promise", "overdo_empathy", "hand_over", "offer_channel"]


def spine_scenario(acts: list[str], abuse_at: int, answers: list[str], abusive: bool) -> str:
    """A conversation along a spine of nodes, each offering two acts; at `abuse_at` an exchange is put in where
    the agent can answer with `answers` or say nothing (one line each), the customer's lines abusive or not."""
    nodes, names = [], [f"n{i}" for i in range(len(acts) // 2)] + ["einde"]
    for i in range(len(acts) // 2):
        nxt = names[i + 1]
        if abuse_at == i:
            for k, answer in enumerate(answers):
                target = f"a{k + 1}" if k + 1 < len(answers) else nxt
                target = "weg" if answer == "end_contact" else target
                nodes.append(f"  a{k}:\n    say: 'scheld'\n    abusive: {str(abusive).lower()}\n    choices:\n"
                             f"      - {{text: 'x', act: {answer}, feedback: f, next: {target}}}\n"
                             f"      - {{text: 'y', act: neutral, feedback: f, next: {target}}}")
            nxt = "a0"
        nodes.append(f"  {names[i]}:\n    say: 'zin'\n    choices:\n"
                     f"      - {{text: 'p', act: {acts[2 * i]}, feedback: f, next: {nxt}}}\n"
                     f"      - {{text: 'q', act: {acts[2 * i + 1]}, feedback: f, next: {nxt}}}")
    body = "\n".join(nodes)
    return (f"format: 1\nid: spine\ntitle: T\nsummary: S\nlanguage: nl\ndifficulty: 1\nchannel: phone\n"
            f"customer: {{name: K}}\nstart: n0\nnodes:\n{body}\n  einde: {{say: 'dag', ending: satisfied}}\n"
            f"  weg: {{say: 'tuut', ending: disconnected}}\n")


@settings(max_examples=80, deadline=None)
@given(acts=st.lists(st.sampled_from(SPINE_ACTS), min_size=4, max_size=16).filter(lambda a: len(a) % 2 == 0),
       where=st.integers(0, 7),
       answers=st.lists(st.sampled_from(["set_limit", "warn", "hand_over", "offer_channel", "neutral"]),
                        min_size=1, max_size=3))
def test_more_abuse_never_raises_the_best_reachable_score(acts, where, answers):
    """The same conversation with the same exchange put in, once with the customer swearing and once not: the
    swearing can never make it worth more. (A contact ended correctly is the one exception the method makes:
    the steps the customer made impossible leave the measure; the method-path test covers it.)"""
    at = where % (len(acts) // 2)
    calm = scenario_from(spine_scenario(acts, at, answers, abusive=False))
    rough = scenario_from(spine_scenario(acts, at, answers, abusive=True))
    assert analyse(rough).best_score <= analyse(calm).best_score


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_fatal_mistake_never_reaches_the_pass_mark(name):
    scenario = SCENARIOS[name]
    fatal = [final_score(scenario, s, p) for s, p, _a, _t in walk(scenario)
             if s.fatal or judge.is_fatal(RUBRIC, conv.closing(s))]
    assert all(score < RUBRIC.pass_mark for score in fatal)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_following_the_method_scores_100_whatever_the_customer_does(name):
    scenario = SCENARIOS[name]
    ends = list(walk(scenario, method_options(scenario)))
    assert ends
    for state, penalty, _abuse, _turns in ends:
        assert final_score(scenario, state, penalty) == 100, (state.node, state.step_status, penalty)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_path_ends_within_the_proven_bound(name):
    scenario = SCENARIOS[name]
    bound = analyse(scenario).ends_within
    longest = max(turns for _s, _p, _a, turns in walk(scenario))
    assert longest <= bound


def test_the_scorecard_agrees_with_the_exact_walk():
    """The walk above scores like the game: replay the analysis' best and worst paths in a Session."""
    for scenario in SCENARIOS.values():
        analysis = analyse(scenario)
        for path in (analysis.best, analysis.worst):
            session = Session.replay(scenario, path.choices)
            assert session.finished and session.scorecard()["score"] == path.score
