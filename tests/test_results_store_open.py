"""Opening the results database: the whole-file check only when it is needed, a 0-byte or foreign file moved aside
like a damaged one, and a new database never visible half-made."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

from results_samples import make_result
from simulator.cli import main
from simulator.results.store import CHECKED_SUFFIX, DATABASE_NAME, ResultsStore


def test_the_whole_file_check_runs_on_the_first_open_and_after_a_crash_not_on_every_open(tmp_path):
    path = tmp_path / DATABASE_NAME
    with ResultsStore.open(tmp_path) as store:
        store.save(make_result())
    assert not ResultsStore._needs_check(path)  # cleanly closed by this version: the next open skips it
    (tmp_path / (DATABASE_NAME + CHECKED_SUFFIX)).write_text("schema 1; klantsim 0.0.1; 1 bytes; 1\n")
    assert ResultsStore._needs_check(path)  # another version (or another file) was checked: check again
    ResultsStore.open(tmp_path).close()
    assert not ResultsStore._needs_check(path)
    # a process killed while it had the database open leaves its -wal behind: the next open checks
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"db = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "db.execute(\"PRAGMA journal_mode = WAL\")\n"
        "db.execute(\"UPDATE conversations SET title = 'x'\")\n"
        "print('written', flush=True)\n"
        "time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "written"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(10)
    assert (tmp_path / (DATABASE_NAME + "-wal")).exists()
    assert ResultsStore._needs_check(path)
    with ResultsStore.open(tmp_path) as store:
        assert store.count() == 1 and store.results()[0].title == "x"  # the killed writer's commit is kept
    assert not ResultsStore._needs_check(path)


def test_a_file_changed_behind_klantsims_back_is_checked_again(tmp_path):
    with ResultsStore.open(tmp_path) as store:
        store.save(make_result())
    path = tmp_path / DATABASE_NAME
    os.utime(path, ns=(1, 1))
    assert ResultsStore._needs_check(path)


def test_a_zero_byte_database_is_moved_aside(tmp_path, capsys):
    (tmp_path / DATABASE_NAME).write_bytes(b"")
    assert main(["history", "--data", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "is empty (0 bytes); it was moved aside to" in err
    assert [p.stat().st_size for p in tmp_path.glob(f"{DATABASE_NAME}.damaged-*")] == [0]
    with ResultsStore.open(tmp_path) as store:
        store.save(make_result())
        assert store.count() == 1


def test_a_foreign_database_is_moved_aside_not_written_into(tmp_path, capsys):
    foreign = sqlite3.connect(tmp_path / DATABASE_NAME)
    foreign.execute("CREATE TABLE invoices (number INTEGER, amount REAL)")
    foreign.execute("INSERT INTO invoices VALUES (1, 99.5)")
    foreign.commit()
    foreign.close()
    assert main(["history", "--data", str(tmp_path)]) == 0
    assert "is not a KlantSim results database (it holds other tables)" in capsys.readouterr().err
    [aside] = tmp_path.glob(f"{DATABASE_NAME}.damaged-*")
    kept = sqlite3.connect(aside)
    assert kept.execute("SELECT number, amount FROM invoices").fetchall() == [(1, 99.5)]
    kept.close()


def test_creating_the_database_leaves_no_temporary_or_empty_file(tmp_path):
    ResultsStore.open(tmp_path).close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [DATABASE_NAME, DATABASE_NAME + CHECKED_SUFFIX]
    assert (tmp_path / DATABASE_NAME).stat().st_size > 0


def test_reopening_a_database_reads_no_package_metadata(tmp_path):
    """The clean-close stamp names this KlantSim's version from simulator.__version__: reading it through
    importlib.metadata scanned every installed package on each open and close, some 2 MB of a game's memory."""
    from simulator import __version__

    child = ("import sys\n"
             "from simulator.results.store import ResultsStore\n"
             f"ResultsStore.open({str(tmp_path)!r}).close()\n"
             f"ResultsStore.open({str(tmp_path)!r}).close()\n"
             "print('importlib.metadata' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    stamp = (tmp_path / (DATABASE_NAME + CHECKED_SUFFIX)).read_text(encoding="utf-8")
    assert f"klantsim {__version__};" in stamp
