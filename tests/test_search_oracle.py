"""The search (levels in order, dominance, integer states) against oracles that do not share its shortcuts.

1. An exhaustive walk over every path (`exhaustive`: the engine's full `State`, nothing left out, merged only when two
   paths reach the very same State after as many turns): the best score and points overall and per kind of ending,
   the nodes a conversation can reach and the nodes where it gets stuck must be exactly what the walk finds, and the
   worst path can score no lower than the lowest the walk finds.
2. The dominance relation itself (`assert_dominance_is_sound`), whatever order the search meets states in: from two
   reachable states that differ only where dominance compares, the dominating one does at least as well on every
   path. An unsound merge fails here even when a search's order happens to hide it: "a step taken too early beats one
   not taken" (tests/fixtures/search/too-early-dominance.yaml: after a correct end of contact the untaken step leaves
   the measure) or "a further phase is enough". ("Fewer times round dominates", patience-dominance.yaml: 0 reported,
   38 possible, cannot be written any more: a level holds one number of times round.)
3. The search it replaced, kept in tests/reference_search.py, on files too large to walk: the same best score and
   points, overall and per ending, reachable and stuck nodes and proven bound; on every bundled and golden scenario
   also the same best path and worst score. (The number of states differs: dominance now also compares the door and
   a fatal mistake, and takes a level's states cheapest and best first.)

Every path reported (best, worst, each ending's) must replay in a Session to the score, points and ending reported."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import reference_search
from conftest import BUNDLED, GOLDEN, ROOT, load_ok, scenario_from
from benchmarks.scenario_bench import generate
from simulator.analysis.search import analyse
from simulator.engine import conversation as conv
from simulator.engine.session import Session
from simulator.scoring import judge
from simulator.scoring.rubric import load_rubric

FILES = BUNDLED + sorted(GOLDEN.glob("*.yaml"))
COUNTEREXAMPLES = sorted((ROOT / "tests" / "fixtures" / "search").glob("*-dominance.yaml"))
RUBRIC = load_rubric()


def _value(scenario, state, penalty: int) -> tuple[int, int]:
    """(score, raw points) of a conversation that ends in `state` after `penalty`, as the scorecard counts them."""
    shut = conv.closing(state)
    penalty += judge.penalty(RUBRIC, shut)
    earned = judge.earned_points(RUBRIC, state.step_status, scenario.assessed_set)
    excused = judge.excused_steps(state.step_status, scenario.assessed_set, state.excuse)
    possible = judge.possible_points(RUBRIC, scenario.assessed_set, excused)
    fatal = state.fatal or judge.is_fatal(RUBRIC, shut)
    return judge.score(RUBRIC, earned, penalty, possible, fatal), earned - penalty


def exhaustive(scenario) -> dict:
    """Every path, by turns taken: per full State its least and its most penalised way (the same State after as many
    turns has the same future, so merging them is exact). The best (score, raw points) overall and per ending, the
    lowest score, the nodes met and the nodes where a conversation is stuck."""
    level = {conv.start_state(scenario): (0, 0)}
    best, endings, lowest, met, stuck = None, {}, None, set(), set()
    while level:
        following: dict = {}
        for state, (least, most) in level.items():
            met.add(state.node)
            if conv.is_final(scenario, state):
                value, kind = _value(scenario, state, least), conv.ending_of(scenario, state)
                best = value if best is None else max(best, value)
                if kind is not None:
                    endings[kind] = max(endings.get(kind, value), value)
                else:
                    stuck.add(state.node)
                score = _value(scenario, state, most)[0]
                lowest = score if lowest is None else min(lowest, score)
                continue
            for index, _choice in conv.offered(scenario, state):
                nxt, violations, _event = conv.advance(scenario, state, index, RUBRIC)
                p = judge.penalty(RUBRIC, violations)
                known = following.get(nxt)
                following[nxt] = ((least + p, most + p) if known is None
                                  else (min(known[0], least + p), max(known[1], most + p)))
        level = following
    return {"best": best, "endings": endings, "lowest": lowest, "reachable": met, "stuck": stuck}


def assert_paths_replay(scenario, a) -> None:
    """Every path reported plays in a Session to the score, points and ending reported."""
    for path in [a.best, a.worst, *a.endings.values()]:
        if path is None:
            continue
        s = Session.replay(scenario, path.choices)
        card = s.scorecard()
        assert s.finished and (card["score"], card["points"], card["ending"]) == (path.score, path.raw, path.ending)


def assert_as_exhaustive(scenario):
    a, walked = analyse(scenario), exhaustive(scenario)
    assert a.complete
    assert (a.best.score, a.best.raw) == walked["best"] and a.best_score == walked["best"][0]
    assert {kind: (p.score, p.raw) for kind, p in a.endings.items()} == walked["endings"]
    assert a.reachable_nodes == walked["reachable"] and a.stuck_nodes == walked["stuck"]
    assert walked["lowest"] <= a.worst.score <= a.best.score
    assert_paths_replay(scenario, a)
    return a


def assert_as_reference(scenario, bundled: bool = False):
    """On a bundled or golden file also the same best path and the same worst score. (Elsewhere the worst path may
    score lower than the reference's: it is the most penalised way found, where the reference took the first of the
    shortest ways; and among equally good paths the best may be another.)"""
    new, old = analyse(scenario), reference_search.analyse(scenario)
    assert new.complete and old.complete
    if bundled:
        assert new.best.to_json() == old.best.to_json()
        assert new.worst.score == old.worst.score
    assert (new.best.score, new.best.raw, new.best_score) == (old.best.score, old.best.raw, old.best_score)
    assert ({k: (p.score, p.raw) for k, p in new.endings.items()}
            == {k: (p.score, p.raw) for k, p in old.endings.items()})
    assert (new.reachable_nodes, new.stuck_nodes, new.ends_within) == (old.reachable_nodes, old.stuck_nodes,
                                                                       old.ends_within)
    assert_paths_replay(scenario, new)
    return new


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_same_results_as_the_reference_on_every_bundled_and_golden_scenario(path):
    assert_as_reference(load_ok(path), bundled=True)


@pytest.mark.parametrize("path", [*COUNTEREXAMPLES, *FILES], ids=lambda p: p.name)
def test_what_an_exhaustive_walk_finds_on_every_bundled_and_golden_scenario(path):
    assert_as_exhaustive(load_ok(path))


@pytest.mark.parametrize("nodes", [40, 300])
def test_the_same_results_as_the_reference_on_generated_trainer_shaped_files(nodes):
    assert_as_reference(scenario_from(generate(nodes)))


@pytest.mark.parametrize("nodes", [9, 15])
def test_what_an_exhaustive_walk_finds_on_small_generated_files(nodes):
    """Small files of the benchmark's shape: a recovery node that loops back at every node, skips, conditions."""
    assert_as_exhaustive(scenario_from(generate(nodes)))


def test_a_search_cut_off_reports_only_what_it_found():
    scenario = scenario_from(generate(300))
    full = analyse(scenario)
    for cap in (5, 200, 1_000):
        cut = analyse(scenario, max_states=cap)
        assert not cut.complete and cut.states <= cap
        assert cut.reachable_nodes <= full.reachable_nodes and cut.stuck_nodes <= full.stuck_nodes
        if cut.best is not None:
            assert cut.best.score <= full.best.score
        assert_paths_replay(scenario, cut)


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


def _loaded(text):
    from simulator.scenario.loader import load_text

    return load_text(text, "random.yaml").scenario   # None for a refused file (e.g. a node with no way to an ending)




# -- the dominance relation itself, whatever order the search meets states in ------------------------------------------

def _reachable_states(scenario) -> set:
    level, seen = {conv.start_state(scenario)}, set()
    while level:
        seen |= level
        level = {conv.advance(scenario, state, index, RUBRIC)[0] for state in level
                 if not conv.is_final(scenario, state) for index, _choice in conv.offered(scenario, state)}
    return seen


def assert_dominance_is_sound(scenario, pairs_at_most: int = 200) -> int:
    """For every two reachable states equal but for the parts dominance compares (door, fatal mistake, phase, step
    statuses), where the search would let a skip b: every sequence of choices from b, taken from a, ends at the same
    node with no more penalty and, from any penalty paid before, a score and points at least as high. That is what
    makes skipping b safe, whichever of the two the search meets first."""
    from simulator.analysis.search import _LOW_MASK, _Judge

    jp = _Judge(scenario, RUBRIC)
    groups: dict = {}
    for state in sorted(_reachable_states(scenario), key=repr):   # the same pairs in every run
        rest = state._replace(phase="", step_status=(), door_offered=False, fatal=False)
        groups.setdefault(rest, []).append(state)
    pairs = [(a, b) for same in groups.values() for a in same for b in same
             if a != b and jp.dominates(jp.of_state(a) & _LOW_MASK, jp.of_state(b) & _LOW_MASK)]
    pairs = pairs[::-(-len(pairs) // pairs_at_most) or 1]   # at most pairs_at_most, spread over all of them
    for a, b in pairs:
        level = {(a, b): {(0, 0)}}   # (state from a, state from b) after as many turns -> penalties paid on the way
        while level:
            following: dict = {}
            for (sa, sb), paid in level.items():
                assert all(pa <= pb for pa, pb in paid), (a, b)
                if conv.is_final(scenario, sb):
                    assert conv.is_final(scenario, sa) and (sa.node, sa.left) == (sb.node, sb.left), (a, b)
                    for pa, pb in paid:
                        for before in range(0, 120, 3):
                            assert _value(scenario, sa, pa + before) >= _value(scenario, sb, pb + before), (a, b)
                    continue
                options = conv.offered(scenario, sb)
                assert [i for i, _c in conv.offered(scenario, sa)] == [i for i, _c in options]
                for index, _choice in options:
                    na, va, _e = conv.advance(scenario, sa, index, RUBRIC)
                    nb, vb, _e = conv.advance(scenario, sb, index, RUBRIC)
                    qa, qb = judge.penalty(RUBRIC, va), judge.penalty(RUBRIC, vb)
                    following.setdefault((na, nb), set()).update((pa + qa, pb + qb) for pa, pb in paid)
            level = following
    return len(pairs)


def test_dominance_is_sound_on_the_bundled_scenarios_and_the_counterexamples():
    pairs = sum(assert_dominance_is_sound(load_ok(path), 10_000) for path in COUNTEREXAMPLES)
    # the .en files are the .nl ones translated
    pairs += sum(assert_dominance_is_sound(load_ok(path), 30) for path in FILES if not path.name.endswith(".en.yaml"))
    assert pairs > 100   # the relation is exercised, not vacuously true


@pytest.mark.parametrize("check", [assert_as_exhaustive, assert_dominance_is_sound, assert_as_reference],
                         ids=["exhaustive walk", "dominance", "reference"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=random_scenario())
def test_random_scenarios(check, text):
    scenario = _loaded(text)
    if scenario is not None:
        check(scenario)
