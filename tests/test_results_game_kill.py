"""Nothing lost: the game process, killed (SIGKILL) while it saves results, leaves a database that opens with
every result it had saved."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from simulator.results.record import ConversationResult
from simulator.results.store import DATABASE_NAME, ResultsStore

ROOT = Path(__file__).resolve().parents[1]
GAME_SAVING = """
import os, sys
from datetime import datetime, timezone
os.environ["SDL_VIDEODRIVER"] = "dummy"; os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
from simulator.engine.session import Session
from simulator.game.app import App
from simulator.scenario.loader import load_file
app = App(data_dir=sys.argv[1], size=(800, 600))
app.player = "Anouk de Vries"
scenario = load_file(sys.argv[2]).scenario
saved = 0
while True:
    session = Session(scenario)
    session.choose(saved % len(session.choices()))
    if not app.save_result(session, datetime.now(timezone.utc), "abandoned"):
        print("failed", app.notice, flush=True)
        break
    saved += 1
    print(saved, flush=True)
"""


def test_the_game_killed_while_saving_leaves_every_saved_result(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", GAME_SAVING, str(tmp_path), str(ROOT / "scenarios" /
                                                                                   "starter.nl.yaml")],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    saved, deadline = 0, time.monotonic() + 90
    while saved < 60 and time.monotonic() < deadline:
        line = proc.stdout.readline().strip()
        assert line.isdigit(), line + proc.stderr.read()
        saved = int(line)
    os.kill(proc.pid, signal.SIGKILL)  # it is busy saving the next one
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()
    assert saved == 60
    with ResultsStore.open(tmp_path) as store:
        assert not store.moved_aside
        results = store.results()
        assert saved <= len(results) <= saved + 1
        for result in results:  # each one whole
            assert ConversationResult.from_dict(result.to_dict()) == result
            assert result.status == "abandoned" and len(result.path) == 1
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
