"""`sync --lrs URL` against a real learning record store (Ralph, started on 127.0.0.1 once for the session): everything
accepted and read back, nothing sent twice, a killed run or a vanished server loses nothing, a wrong password
fails cleanly with nothing marked as sent."""
from __future__ import annotations

import base64
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.cli import main
from simulator.results import ResultsStore, xapi
from simulator.results.store import DATABASE_NAME

ROOT = Path(__file__).resolve().parents[1]
USER, PASSWORD = "klantsim", "geheim-wachtwoord-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Ralph:
    """One Ralph server process (its own process group, so it and only it can be stopped)."""

    def __init__(self, folder: Path, port: int | None = None):
        import importlib.util

        missing = [name for name in ("ralph", "uvicorn", "fastapi", "bcrypt") if importlib.util.find_spec(name) is None]
        if missing:
            pytest.skip(f"Ralph (ralph-malph[cli,lrs]) is not installed (no {', '.join(missing)}); "
                        f"pip install -e '.[test]'")
        import bcrypt
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        auth = folder / "auth.json"
        if not auth.exists():
            auth.write_text(json.dumps([{
                "username": USER, "hash": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
                "scopes": ["all"], "agent": {"objectType": "Agent", "mbox": "mailto:klantsim@example.org"}}]))
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        self.env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_AUTH_FILE": str(auth),
                    "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "lrs"),
                    "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
                    "RALPH_APP_DIR": str(folder / "app"), "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "1000"}
        self.process = None
        self.start()

    def start(self) -> None:
        log = open(self.folder / "ralph.log", "ab")  # noqa: SIM115 - the server writes to it until stopped
        self.process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "ralph_lrs.py"), str(self.port)],
                                        cwd=self.folder, env=self.env, stdout=log, stderr=log,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start: {(self.folder / 'ralph.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def repair_after_kill(self) -> None:
        """Ralph's filesystem store writes without a journal: a server killed mid-write can leave half a line at the
        end of its statements file, or a half-written history.json (its log of reads and writes, rewritten whole on
        each request), and either makes every later request fail (HTTP 500). Repair them as its operator would."""
        for store in (self.folder / "lrs").glob("*.jsonl"):
            raw = store.read_bytes()
            if raw and not raw.endswith(b"\n"):
                store.write_bytes(raw[: raw.rfind(b"\n") + 1])
        history = self.folder / "app" / "history.json"
        if history.exists():
            try:
                json.loads(history.read_text(encoding="utf-8"))
            except ValueError:
                history.unlink()

    def statements(self, registrations: set[str] | None = None) -> list[dict]:
        """Every statement the LRS holds (following `more`), optionally only of these conversations."""
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        found, address = [], f"{self.url}/statements?limit=1000"
        while address:
            request = urllib.request.Request(address, headers={"Authorization": f"Basic {token}",
                                                               "X-Experience-API-Version": "1.0.3"})
            with urllib.request.urlopen(request, timeout=30) as response:
                page = json.loads(response.read())
            found.extend(page["statements"])
            more = page.get("more")
            address = f"http://127.0.0.1:{self.port}{more}" if more else None
        if registrations is not None:
            found = [s for s in found if s.get("context", {}).get("registration") in registrations]
        return found


@pytest.fixture(scope="session")
def lrs(tmp_path_factory):
    server = Ralph(tmp_path_factory.mktemp("ralph"))
    yield server
    server.stop()


def class_of(count: int, offset: int = 0) -> list:
    return [make_result(f"Speler {n}", good_card(50 + n % 50) if n % 3 else bad_card(n % 40), minutes=n + offset,
                        status="abandoned" if n % 7 == 0 else "finished") for n in range(count)]


def fill(data: Path, results) -> set[str]:
    with ResultsStore.open(data) as store:
        store.save_many(results)
    return {r.id for r in results}


def sent_count(data: Path, url: str | None = None) -> int:
    db = sqlite3.connect(f"{(data / DATABASE_NAME).as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'lrs_sent'").fetchone():
            return 0
        return db.execute("SELECT COUNT(*) FROM lrs_sent").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def sync_argv(url, data, *extra):
    return ["sync", "--lrs", url, "--user", USER, "--password", PASSWORD, "--data", str(data), *extra]


def expected_ids(results) -> set[str]:
    return {s["id"] for s in xapi.statements(results)}


def test_every_statement_is_accepted_and_read_back_and_a_second_sync_sends_nothing(lrs, tmp_path, capsys):
    results = class_of(12)
    data = tmp_path / "d"
    registrations = fill(data, results)
    assert main(sync_argv(lrs.url, data, "--batch", "12")) == 0
    out = capsys.readouterr()
    assert "12 conversation(s) sent" in out.out and PASSWORD not in out.out + out.err
    held = lrs.statements(registrations)
    assert Counter(s["id"] for s in held) == Counter(expected_ids(results))  # all, each once
    sent = {s["id"]: s for s in xapi.statements(results)}
    for statement in held:  # what the LRS gives back says what was sent
        original = sent[statement["id"]]
        for key in ("verb", "result", "timestamp"):
            assert statement.get(key) == original.get(key), key
        assert statement["object"]["id"] == original["object"]["id"]
        assert statement["context"]["registration"] == original["context"]["registration"]
    assert main(sync_argv(lrs.url + "/", data)) == 0  # the same LRS written another way
    assert "nothing new to send" in capsys.readouterr().out
    assert len(lrs.statements(registrations)) == len(held)
    assert main(["history", "--data", str(data), "--lrs", lrs.url]) == 0
    assert "Not yet sent to" in (text := capsys.readouterr().out) and ": 0 conversation(s)" in text
    # a new conversation: only it goes
    newer = make_result("Nieuw", good_card(88), minutes=500)
    fill(data, [newer])
    assert main(["history", "--data", str(data)]) == 0  # every LRS synced before, and what it has not had
    assert f"Not yet sent to {lrs.url}: 1 conversation(s)" in capsys.readouterr().out
    assert main(sync_argv(lrs.url, data)) == 0
    assert "1 conversation(s) sent" in capsys.readouterr().out
    assert len(lrs.statements(registrations | {newer.id})) == len(held) + len(xapi.statements_for(newer))


def test_credentials_come_from_the_environment_or_the_config_file(lrs, tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    first = class_of(2)
    registrations = fill(data, first)
    monkeypatch.setenv("KLANTSIM_LRS_USER", USER)
    monkeypatch.setenv("KLANTSIM_LRS_PASSWORD", PASSWORD)
    assert main(["sync", "--lrs", lrs.url, "--data", str(data)]) == 0
    assert {s["id"] for s in lrs.statements(registrations)} == expected_ids(first)
    monkeypatch.delenv("KLANTSIM_LRS_USER")
    monkeypatch.delenv("KLANTSIM_LRS_PASSWORD")
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    (config / "klantsim").mkdir(parents=True)
    (config / "klantsim" / "lrs.ini").write_text(f"[{lrs.url}]\nuser = {USER}\npassword = {PASSWORD}\n")
    more = class_of(1, offset=900)
    registrations |= fill(data, more)
    assert main(["sync", "--lrs", lrs.url, "--data", str(data)]) == 0
    assert "1 conversation(s) sent" in capsys.readouterr().out
    (config / "klantsim" / "lrs.ini").unlink()
    assert main(["sync", "--lrs", lrs.url, "--data", str(data)]) == 2
    assert "no LRS credentials" in capsys.readouterr().err


def test_a_wrong_password_fails_cleanly_and_marks_nothing(lrs, tmp_path, capsys):
    data = tmp_path / "d"
    registrations = fill(data, class_of(3))
    argv = ["sync", "--lrs", lrs.url, "--user", USER, "--password", "fout-wachtwoord", "--data", str(data)]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "refused the user name or password (HTTP 401)" in captured.err
    assert len(captured.err.strip().splitlines()) == 1 and "Traceback" not in captured.err
    assert "fout-wachtwoord" not in captured.out + captured.err
    assert sent_count(data) == 0 and lrs.statements(registrations) == []
    assert main(["history", "--data", str(data), "--lrs", lrs.url]) == 0
    assert f"Not yet sent to {lrs.url}: 3 conversation(s)" in capsys.readouterr().out


def _sync_in_background(url, data, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "main.py", *sync_argv(url, data, *extra)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_killed_sync_resumes_without_duplicates(lrs, tmp_path, capsys):
    results = class_of(80)
    data = tmp_path / "d"
    registrations = fill(data, results)
    running = _sync_in_background(lrs.url, data, "--batch", "1")  # one conversation per request
    try:
        assert _wait_until(lambda: sent_count(data) >= 3 or running.poll() is not None)
        os.killpg(running.pid, signal.SIGKILL)  # as a power cut or the task manager would
    finally:
        running.wait(10)
    marked = sent_count(data)
    assert 3 <= marked < len(results), "the sync must be stopped part-way for this test to mean anything"
    assert main(sync_argv(lrs.url, data)) == 0
    assert f"{len(results) - marked} conversation(s) sent" in capsys.readouterr().out
    held = Counter(s["id"] for s in lrs.statements(registrations))
    assert held == Counter(expected_ids(results))  # every statement, none twice
    assert sent_count(data) == len(results)


def test_the_server_going_away_mid_sync_loses_nothing(tmp_path, capsys):
    server = Ralph(tmp_path / "own-ralph")  # this test stops its own server
    try:
        results = class_of(60)
        data = tmp_path / "d"
        registrations = fill(data, results)
        running = _sync_in_background(server.url, data, "--batch", "1", "--retries", "1")
        assert _wait_until(lambda: sent_count(data) >= 2 or running.poll() is not None)
        server.stop()  # the LRS disappears while batches are in flight
        out, err = running.communicate(timeout=60)
        assert running.returncode == 1, out + err
        assert "cannot be reached" in err and "wait for the next run" in err and "Traceback" not in err
        marked = sent_count(data)
        assert marked < len(results)
        server.repair_after_kill()
        server.start()  # back again, with what it had stored
        held = {s["context"]["registration"] for s in server.statements(registrations)}
        with sqlite3.connect(data / DATABASE_NAME) as db:
            marked_ids = {row[0] for row in db.execute("SELECT conversation_id FROM lrs_sent")}
        assert marked_ids <= held  # nothing is marked as sent that the LRS does not hold
        assert main(sync_argv(server.url, data)) == 0
        capsys.readouterr()
        assert Counter(s["id"] for s in server.statements(registrations)) == Counter(expected_ids(results))
    finally:
        server.stop()


def test_an_lrs_that_is_not_there_is_one_clear_line(tmp_path, capsys):
    data = tmp_path / "d"
    fill(data, class_of(1))
    assert main(sync_argv(f"http://127.0.0.1:{free_port()}/xAPI", data, "--retries", "0")) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and len(err.strip().splitlines()) == 1 and sent_count(data) == 0


def test_a_bad_lrs_address_is_one_line(tmp_path, capsys):
    data = tmp_path / "d"
    fill(data, class_of(1))
    assert main(["history", "--data", str(data), "--lrs", "ftp://lrs"]) == 1
    assert "is not a web address" in capsys.readouterr().err
    assert main(sync_argv("lrs.example.nl", data)) == 2
    assert "is not a web address" in capsys.readouterr().err
