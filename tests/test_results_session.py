"""A conversation played through the real Session is stored whole, and the results code never needs pygame."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import datetime, timedelta, UTC
from pathlib import Path

import pytest

from simulator.engine.session import Session
from simulator.results import ResultsStore, record_from_session, save_session, xapi
from simulator.analysis.search import analyse
from simulator.scenario.loader import load_file
from test_export import validate_statement

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
STARTED = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


_ANALYSES: dict = {}


def analysis(scenario):
    key = (scenario.path, scenario.version)
    if key not in _ANALYSES:
        _ANALYSES[key] = analyse(scenario)
    return _ANALYSES[key]


def play(scenario, which="worst"):
    """Play the analysis' worst (or best) path: it ends, and the worst one breaks rules worth recording."""
    path = getattr(analysis(scenario), which)
    session = Session(scenario)
    offered = []
    for number in path.choices:
        offered.append([c.text for c in session.choices()])
        session.choose(number - 1)
    return session, offered


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_played_bundled_scenario_is_stored_with_its_whole_path(tmp_path, path):
    loaded = load_file(path)
    assert loaded.scenario is not None, loaded.diagnostics
    session, offered = play(loaded.scenario)
    assert session.finished
    with ResultsStore.open(tmp_path) as store:
        saved = save_session(store, session, "Anouk de Vries", STARTED, finished_at=STARTED + timedelta(minutes=4))
    with ResultsStore.open(tmp_path) as store:
        result = store.get(saved.id)
        assert store.best_scores("Anouk de Vries") == {loaded.scenario.id: session.scorecard()["score"]}
    assert result.status == "finished" and result.player == "Anouk de Vries"
    assert result.scenario == loaded.scenario.id and result.language == loaded.scenario.language
    assert result.title == loaded.scenario.title
    assert result.scenario_version == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.started_at == "2026-09-01T09:00:00Z" and result.finished_at == "2026-09-01T09:04:00Z"
    assert result.scorecard == session.scorecard() and result.ending == session.ending
    assert [step["options"] for step in result.path] == [[{"text": t, "act": a} for t, a in zip(texts, acts)]
                                                         for texts, acts in zip(offered, _acts(session))]
    assert [step["text"] for step in result.path] == [turn.text for turn in session.turns]
    assert [step["choice"] for step in result.path] == analysis(loaded.scenario).worst.choices
    for statement in xapi.statements_for(result):
        validate_statement(statement)


def _acts(session):
    replay = Session(session.scenario)
    acts = []
    for turn in session.turns:
        acts.append([c.act for c in replay.choices()])
        replay.choose(turn.offered - 1)
    return acts


def test_a_conversation_left_halfway_is_stored_as_abandoned(tmp_path):
    scenario = load_file(BUNDLED[0]).scenario
    session = Session(scenario)
    session.choose(len(session.choices()) - 1)
    result = record_from_session(session, "Bram", STARTED)
    assert result.status == "abandoned" and result.ending is None and len(result.path) == 1
    assert result.path[0]["choice"] == len(result.path[0]["options"])
    assert result.path[0]["say"] == scenario.nodes[scenario.start].say
    with ResultsStore.open(tmp_path) as store:
        store.save(result)
        assert store.best_scores("Bram") == {}  # abandoned conversations never count as a best score
        assert store.history("Bram")[0].status == "abandoned"


def test_class_votes_are_kept_with_the_session(tmp_path):
    scenario = load_file(BUNDLED[0]).scenario
    session, offered = play(scenario, "best")
    votes = [[index + 2 for index in range(len(texts))] for texts in offered]
    result = record_from_session(session, "Klas 3B", STARTED, votes=votes)
    with ResultsStore.open(tmp_path) as store:
        store.save(result)
        assert store.get(result.id).votes == votes


def test_the_results_code_does_not_import_pygame():
    code = ("import sys, simulator.results, simulator.results.report, simulator.results.importer, "
            "simulator.results.cli_support, simulator.commands.export, simulator.commands.import_, "
            "simulator.commands.report, simulator.commands.history; "
            "print('pygame' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
