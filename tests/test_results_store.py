"""The results store: saving, reading back, and never losing a result (kills, damage, two writers)."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.results.record import RecordError
from simulator.results.store import DATABASE_NAME, SCHEMA_VERSION, ResultsStore, StoreError

ROOT = Path(__file__).resolve().parents[1]
WRITER = """
import sys
sys.path.insert(0, {tests!r})
from results_samples import make_result
from simulator.results.store import ResultsStore
store = ResultsStore.open(sys.argv[1])
print("open", flush=True)
for i in range(int(sys.argv[2])):
    result = make_result(player=sys.argv[3], minutes=i)
    store.save(result)
    print(result.id, flush=True)
"""


def writer(data: Path, count: int, player: str) -> subprocess.Popen:
    code = WRITER.format(tests=str(ROOT / "tests"))
    return subprocess.Popen([sys.executable, "-c", code, str(data), str(count), player], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_saved_result_reads_back_whole(tmp_path):
    result = make_result(votes=[[3, 1], [2, 0, 4]])
    with ResultsStore.open(tmp_path) as store:
        assert store.save(result) is True
    with ResultsStore.open(tmp_path) as store:
        again = store.get(result.id)
    assert again == result
    assert again.path[0]["text"] == "Laat meneer uitpraten: 'Vertelt u het maar.'"
    assert again.votes == [[3, 1], [2, 0, 4]]
    assert again.started_at == "2026-09-01T09:00:00Z" and again.finished_at == "2026-09-01T09:02:05.500Z"


def test_the_file_is_sqlite_in_wal_mode_with_the_current_schema(tmp_path):
    ResultsStore.open(tmp_path).close()
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_saving_the_same_result_twice_keeps_one(tmp_path):
    result = make_result()
    with ResultsStore.open(tmp_path) as store:
        assert store.save(result) is True
        assert store.save(result) is False
        assert store.count() == 1


def test_history_best_scores_and_players(tmp_path):
    with ResultsStore.open(tmp_path) as store:
        store.save(make_result("Bram", good_card(60), minutes=0))
        store.save(make_result("Bram", good_card(90), minutes=10))
        store.save(make_result("Bram", bad_card(25), minutes=20))
        store.save(make_result("Bram", good_card(99), minutes=30, status="abandoned"))
        store.save(make_result("Anouk de Vries", good_card(70), minutes=5))
        history = store.history("Bram")
        assert [r.score for r in history] == [99, 25, 90, 60]  # newest first
        assert store.best_scores("Bram") == {"pakket-kwijt": 90}  # the abandoned 99 does not count
        assert store.best_scores("Bram", language="en") == {}
        assert store.players() == ["Anouk de Vries", "Bram"]
        assert len(store.results(since="2026-09-01T09:10:00Z")) == 3
        assert len(store.results(players=["Anouk de Vries"])) == 1


def test_a_result_with_a_bad_field_is_refused_with_the_reason(tmp_path):
    result = make_result()
    result.status = "paused"
    with ResultsStore.open(tmp_path) as store, pytest.raises(RecordError, match="status 'paused'"):
        store.save(result)
    with pytest.raises(RecordError, match="player"):
        make_result(player="   ")


def test_a_damaged_file_is_moved_aside_and_a_fresh_database_started(tmp_path):
    path = tmp_path / DATABASE_NAME
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    original = path.read_bytes()
    with ResultsStore.open(tmp_path) as store:
        assert store.count() == 0
        store.save(make_result())
        (moved,) = store.moved_aside
        assert moved.recovered == 0
        assert "moved aside" in store.notices[0] and str(moved.moved_to) in store.notices[0]
    assert moved.moved_to.read_bytes() == original
    assert moved.moved_to.name.startswith(DATABASE_NAME + ".damaged-")


@pytest.mark.parametrize("first_page, pages", [(2, 3), (40, 6), (80, 2)])
def test_a_database_with_damaged_pages_is_moved_aside_and_what_can_be_read_is_kept(tmp_path, first_page, pages):
    originals = {r.id: r for r in (make_result(minutes=i) for i in range(300))}
    with ResultsStore.open(tmp_path) as store:
        store.save_many(originals.values())
    path = tmp_path / DATABASE_NAME
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > (first_page + pages) * page
    data[first_page * page:(first_page + pages) * page] = b"\xa5" * (pages * page)
    path.write_bytes(bytes(data))
    with ResultsStore.open(tmp_path) as store:
        (moved,) = store.moved_aside
        assert "damaged" in store.notices[0]
        kept = store.results()
        assert moved.recovered == len(kept) > 0
        if moved.recovered < 300:
            assert "could still be read" in store.notices[0]
        for result in kept:
            assert result == originals[result.id]  # nothing half-read gets in
    assert moved.moved_to.read_bytes() == bytes(data)  # the damaged file itself is left exactly as it was


def test_a_database_from_a_newer_version_is_moved_aside_not_overwritten(tmp_path):
    path = tmp_path / DATABASE_NAME
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE future (x)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    with ResultsStore.open(tmp_path) as store:
        assert "newer KlantSim" in store.notices[0]
        moved = store.moved_aside[0].moved_to
        assert store.schema_version == SCHEMA_VERSION
    old = sqlite3.connect(moved)
    assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    assert old.execute("SELECT name FROM sqlite_master").fetchall() == [("future",)]


def test_a_folder_that_cannot_be_created_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="--data DIR"):
        ResultsStore.open(blocker / "sub")


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    ResultsStore.open(tmp_path).close()
    procs = [writer(tmp_path, 150, name) for name in ("Anouk de Vries", "Bram")]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
    written = {line for out, _ in outputs for line in out.split()[1:]}
    assert len(written) == 300
    with ResultsStore.open(tmp_path) as store:
        assert {r.id for r in store.results()} == written
        assert {name: len(store.history(name)) for name in store.players()} == {"Anouk de Vries": 150, "Bram": 150}


def test_two_processes_creating_a_fresh_database_at_once_both_succeed(tmp_path):
    procs = [writer(tmp_path, 20, name) for name in ("A", "B", "C")]
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with ResultsStore.open(tmp_path) as store:
        assert store.count() == 60 and not store.moved_aside


@pytest.mark.parametrize("round_", range(3))
def test_a_process_killed_while_writing_leaves_every_earlier_result_intact(tmp_path, round_):
    proc = writer(tmp_path, 100_000, "Anouk de Vries")
    assert proc.stdout.readline().strip() == "open"
    saved = []
    deadline = time.monotonic() + 60
    while len(saved) < 40 + 25 * round_ and time.monotonic() < deadline:
        saved.append(proc.stdout.readline().strip())
    os.kill(proc.pid, signal.SIGKILL)  # while it is busy writing the next one
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with ResultsStore.open(tmp_path) as store:
        assert not store.moved_aside
        ids = {r.id for r in store.results()}
        assert set(saved) <= ids  # every result reported as saved is there
        assert len(ids) - len(saved) <= 1  # at most the one being written when killed, and then whole
        check = store.get(saved[-1])
        assert check.scorecard["score"] == 87
        store.save(make_result(player="na de crash"))
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_result_the_database_cannot_take_now_waits_in_a_file_and_is_added_next_time(tmp_path):
    store = ResultsStore.open(tmp_path)
    store._db.execute("PRAGMA busy_timeout = 100")
    blocker = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another program holds the write lock for a long time
    result = make_result()
    with pytest.raises(StoreError, match="will be added the next time"):
        store.save(result)
    assert (store.pending_dir / f"{result.id}.json").exists()
    blocker.execute("ROLLBACK")
    blocker.close()
    store.close()
    with ResultsStore.open(tmp_path) as store:
        assert store.get(result.id) == result
        assert not list(store.pending_dir.glob("*.json"))
