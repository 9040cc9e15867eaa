"""Terminal play never loses the game: odd input is no choice, and every way of stopping keeps the conversation
as abandoned (`q`, end of input, Ctrl-C, SIGTERM, a closed terminal), saved through the ordinary save path."""
from __future__ import annotations

import io
import os
import pty
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from simulator.cli import main
from simulator.commands.play import parse_choices
from simulator.cli import UsageError
from simulator.engine.session import Session
from simulator.scenario.library import resolve
from simulator import text_ui

STARTER = ROOT / "scenarios" / "starter.nl.yaml"


def _session() -> Session:
    return Session(resolve(str(STARTER)).scenario)


@pytest.mark.parametrize("answer", ["²", "٣", "１", "9" * 5000, "0", "5", "-1", "1.0", " ", "\x00", "1\u200b"])
def test_odd_answers_are_no_choice_and_play_goes_on(answer):
    session = _session()
    answers = iter([answer, "1", "q"])
    out = io.StringIO()
    outcome = text_ui.play(session, "en", read=lambda _prompt: next(answers), stream=out)
    assert outcome == "abandoned"
    assert len(session.turns) == 1, "the odd answer chose nothing, the '1' after it chose once"
    assert "Traceback" not in out.getvalue()


def test_ctrl_c_while_asked_is_abandoned_not_lost():
    session = _session()
    answers = iter(["1"])

    def read(_prompt):
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    out = io.StringIO()
    assert text_ui.play(session, "en", read=read, stream=out) == "abandoned"
    assert len(session.turns) == 1


@pytest.mark.parametrize("value", ["²", "1,²", "1," + "9" * 5000, "1,,2", "one", "1;2", "0"])
def test_bad_choices_option_is_a_usage_error(value, capsys):
    with pytest.raises(UsageError):
        parse_choices(value)
    assert main(["play", "--text", "--scenario", "starter", "--choices", value]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--choices" in err


# -- a real terminal: the game in a child process on a pseudo-terminal ---------------------------------------

def _start(tmp_path):
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="100", LINES="40")
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "play", "--text", "--scenario", str(STARTER),
                              "--lang", "en", "--player", "tester", "--data", str(tmp_path)],
                             stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True)
    os.close(slave)
    return child, master


def _read_until(master: int, text: bytes, seen: bytearray, limit: float = 60.0) -> None:
    """Read the terminal until `text` has appeared `count` more times (a safety limit, not a measured time)."""
    import select

    start = len(seen)
    deadline = time.monotonic() + limit
    while text not in seen[start:]:
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} did not appear; the terminal shows: {bytes(seen[-400:])!r}")
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                raise AssertionError(f"terminal closed before {text!r}: {bytes(seen[-400:])!r}") from None
            seen.extend(chunk)


def _saved(tmp_path) -> list:
    from simulator.results import ResultsStore

    store = ResultsStore.open(tmp_path)
    try:
        return store.history("tester")
    finally:
        store.close()


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "hangup"])
def test_stopping_the_terminal_keeps_the_conversation_as_abandoned(tmp_path, how):
    child, master = _start(tmp_path)
    seen = bytearray()
    try:
        _read_until(master, b"Your choice", seen)
        os.write(master, b"1\n")
        _read_until(master, b"Your choice", seen)
        if how == "ctrl-c":
            os.kill(child.pid, signal.SIGINT)
        elif how == "sigterm":
            os.kill(child.pid, signal.SIGTERM)
        else:
            os.close(master)
            master = -1
            os.kill(child.pid, signal.SIGHUP)
        code = child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
        if master >= 0:
            os.close(master)
    assert code == 0, bytes(seen[-600:])
    assert b"Traceback" not in seen
    results = _saved(tmp_path)
    assert [r.status for r in results] == ["abandoned"]
    assert len(results[0].path) == 1, "the one choice made is kept"


def test_control_characters_in_scenario_text_do_not_reach_the_terminal(tmp_path):
    from fuzz.shapes import chain

    path = tmp_path / "esc.nl.yaml"
    path.write_text(chain(2, say="\x1b[2J\x1b]0;titel\x07Hallo\x00\tdaar"), encoding="utf-8")
    session = Session(resolve(str(path)).scenario)
    out = io.StringIO()
    text_ui.play(session, "nl", read=lambda _prompt: "q", stream=out)
    shown = out.getvalue()
    assert "Hallo" in shown and "daar" in shown
    assert not any(ch in shown for ch in "\x1b\x07\x00\t")
