"""Properties over every bundled and golden scenario: random play never raises, scores stay in 0..100,
undo returns to the same state; random mutations of a valid file give diagnostics, never a traceback."""
from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import BUNDLED, GOLDEN
from simulator.scenario.loader import load_file, load_text
from simulator.engine.session import Session

FILES = BUNDLED + [GOLDEN / "regels.yaml"]
SCENARIOS = {p.name: r.scenario for p in FILES if (r := load_file(p)).ok}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=40), undo_at=st.integers(0, 40))
def test_random_play(name, picks, undo_at):
    session = Session(SCENARIOS[name])
    for i, pick in enumerate(picks):
        if session.finished:
            break
        options = session.choices()
        assert 1 <= len(options) <= 6
        if i == undo_at:
            before = (session.state, session.scorecard())
            session.choose(pick % len(options))
            assert session.undo()
            assert (session.state, session.scorecard()) == before
        session.choose(pick % len(options))
        anger, trust = session.mood
        assert 0 <= anger <= 100 and 0 <= trust <= 100
    card = session.scorecard()
    assert 0 <= card["score"] <= 100
    restored = Session.restore(session.scenario, session.snapshot())
    assert restored.scorecard() == card


SOURCE = (GOLDEN / "regels.yaml").read_text(encoding="utf-8")
LINES = SOURCE.splitlines(keepends=True)
JUNK = st.sampled_from(["", ":", "- ", "  ", "&a ", "*a", "{", "}", "[", "]", "\"", "'", "no", "on", "010",
                        "1:20", "2024-01-01", "act: smile", "next: nergens", "if: \"anger >>\"", "\t", "~",
                        "abusive: maybe", "ending: happy", "!!python/object:os.system", "\x00", "é", "%"])


@settings(max_examples=300, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, len(LINES) - 1), st.integers(0, 80), JUNK,
                                st.sampled_from(["insert", "replace", "delete"])), min_size=1, max_size=4))
def test_mutated_file_gives_diagnostics_never_a_traceback(edits):
    lines = list(LINES)
    for index, column, junk, how in edits:
        index %= len(lines)
        line = lines[index]
        column = min(column, len(line))
        if how == "insert":
            lines[index] = line[:column] + junk + line[column:]
        elif how == "replace":
            lines[index] = line[:column] + junk + line[column + len(junk):]
        else:
            del lines[index]
            if not lines:
                lines = ["\n"]
    result = load_text("".join(lines), "mutated.yaml")
    for d in result.diagnostics:
        assert d.pos.line >= 1 and d.pos.column >= 1 and d.message
    if result.scenario is not None:
        Session(result.scenario).choices()
