"""Nothing lost on a bad disk: a result the database cannot take goes to pending-results/, and when the data folder
cannot be written at all, to a folder in the home (or temp) folder that the message names, ready for `import`."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from results_samples import make_result
from simulator.cli import main
from simulator.results.store import DATABASE_NAME, FALLBACK_DIR, ResultsStore, StoreError, keep_unsaved

ROOT = Path(__file__).resolve().parents[1]


def finishing_choices():
    from simulator.engine.session import Session
    from simulator.scenario.loader import load_file

    session = Session(load_file(ROOT / "scenarios" / "starter.nl.yaml").scenario)
    count = 0
    while not session.finished:
        session.choose(0)
        count += 1
    return ",".join(["1"] * count)


def test_when_the_data_folder_cannot_be_written_the_result_goes_home_and_imports_back(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "main.py", "play", "--scenario", "starter", "--choices",
                           finishing_choices(), "--json", "--player", "Anouk", "--data", str(blocked / "data")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)  # the scorecard still comes out, alone
    [line] = done.stderr.strip().splitlines()
    [kept] = (home / FALLBACK_DIR).glob("*.json")
    assert f"it was kept in {kept}: add it with python main.py import {kept}" in line
    assert "not saved" not in line  # the message does not contradict itself
    assert not [p for p in (home / FALLBACK_DIR).iterdir() if p.name.startswith(".")]  # no temporary left
    other = tmp_path / "elsewhere"
    assert main(["import", str(kept), "--data", str(other)]) == 0
    with ResultsStore.open(other) as store:
        [result] = store.results()
    assert result.player == "Anouk" and result.scenario


def test_when_home_cannot_be_written_either_the_temp_folder_is_used(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    monkeypatch.setenv("HOME", str(blocked / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    result = make_result()
    message = keep_unsaved(result, blocked / "data", "disk I/O error")
    kept = tmp_path / "tmp" / FALLBACK_DIR / f"{result.id}.json"
    assert kept.is_file() and f"it was kept in {kept}" in message and "disk I/O error" in message
    monkeypatch.setattr(tempfile, "tempdir", str(blocked / "tmp"))
    with pytest.raises(StoreError, match="could not be kept anywhere"):
        keep_unsaved(result, blocked / "data", "disk I/O error")


def test_a_database_that_refuses_writes_sends_the_result_to_pending_and_it_comes_back(tmp_path, capsys):
    store = ResultsStore.open(tmp_path)
    store._db.execute("PRAGMA query_only = ON")  # the database takes no writes (as a full or read-only disk)
    result = make_result()
    with pytest.raises(StoreError) as failure:
        store.save(result)
    store.close()
    message = str(failure.value)
    kept = tmp_path / "pending-results" / f"{result.id}.json"
    assert f"it was kept in {kept} and will be added the next time" in message
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]  # and no 0-byte temporary beside it
    with ResultsStore.open(tmp_path) as store:
        assert store.get(result.id) == result
    assert not kept.exists()
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 1
    db.close()
