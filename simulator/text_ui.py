"""The terminal front end: play a scenario by typing numbers, then read the debrief."""
from __future__ import annotations

import shutil
import signal
import sys
import textwrap
import threading
from contextlib import contextmanager
from typing import TextIO
from collections.abc import Callable

from simulator.engine.session import Session
from simulator.i18n import t
from simulator.scenario.model import Scenario
from simulator.scenario.library import discover
from simulator.scoring.rubric import load_rubric


# Control characters in scenario text would drive the terminal (ESC sequences clear the screen, recolour it,
# retitle the window); a tab is a space, line breaks stay line breaks.
_TERMINAL_SAFE: dict[int, str | None] = {c: None for c in [*range(0x20), 0x7f, *range(0x80, 0xa0)] if c != 0x0a}
_TERMINAL_SAFE[0x09] = " "


class _Out:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.width = min(100, max(40, shutil.get_terminal_size((80, 24)).columns))

    def line(self, text: str = "", indent: str = "", hang: str | None = None) -> None:
        """Print wrapped to the terminal; `hang` indents the continuation lines of a list item."""
        if not text:
            print(file=self.stream)
            return
        for para in text.translate(_TERMINAL_SAFE).splitlines() or [""]:
            print(textwrap.fill(para, self.width, initial_indent=indent,
                                subsequent_indent=indent if hang is None else hang) or indent, file=self.stream)
        self.stream.flush()


MAX_ANSWER = 20   # characters; a longer answer is no choice number, however it is padded


def _ask(prompt: str, read: Callable[[str], str], out: _Out) -> str | None:
    try:
        return read(prompt).strip().lower()
    except EOFError:
        print(file=out.stream)
        return None


def number(answer: str, most: int) -> int | None:
    """The choice an answer names (1..most), or None: ASCII digits only, so '²' or '٣' are no numbers
    (str.isdigit accepts them, int() then fails), and never thousands of digits (int() refuses those)."""
    if len(answer) > MAX_ANSWER or not (answer.isascii() and answer.isdigit()):
        return None
    value = int(answer)
    return value if 1 <= value <= most else None


def read_line(prompt: str) -> str:
    """input(), but a stop signal is never lost while it waits. A signal that arrives between input() writing its
    prompt and the read starting is only handled after the next line is typed (the read does not see it), so a
    terminal that is closed or told to stop would hang there. Waiting in short select() steps lets Python run the
    handler in between. Where select cannot wait on standard input (Windows consoles), plain input()."""
    import select

    stdin = sys.stdin
    try:
        stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return input(prompt)
    if sys.platform == "win32":
        return input(prompt)
    sys.stdout.write(prompt)
    sys.stdout.flush()
    while True:
        ready, _, _ = select.select([stdin], [], [], 0.2)
        if ready:
            break
    line = stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


class Stopped(Exception):
    """The player's terminal asked the game to stop: SIGTERM, or SIGHUP when the terminal was closed."""

    def __init__(self, hangup: bool):
        super().__init__("hangup" if hangup else "terminated")
        self.hangup = hangup


@contextmanager
def _stop_signals():
    """While playing, SIGTERM and SIGHUP stop the conversation like `q` (so it is kept), not the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def stop(signum, _frame):
        # The first stop signal ends the conversation; a second one (closing a terminal sends SIGHUP, and the
        # shell may send another) must not interrupt the save that follows, so both are ignored from now on.
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        raise Stopped(hangup=signum == getattr(signal, "SIGHUP", None))

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            previous[name] = signal.signal(getattr(signal, name), stop)
    try:
        yield
    finally:
        for name, handler in previous.items():
            if signal.getsignal(getattr(signal, name)) is not signal.SIG_IGN:   # not after a stop signal: the
                signal.signal(getattr(signal, name), handler)                   # save that follows must finish


def _detach_from_terminal() -> None:
    """The terminal is gone: later output (the save path's notes) goes nowhere instead of failing, and a second
    hang-up signal cannot stop the save."""
    import os

    # Ignore the hang-up first: it often arrives while this runs (the terminal closed, then the signal came).
    if hasattr(signal, "SIGHUP") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = sys.stderr = sink


def pick_scenario(language: str, read: Callable[[str], str] = read_line, stream: TextIO = sys.stdout
                  ) -> Scenario | None:
    """Let the player pick a bundled scenario (in their language first); None when they quit."""
    out = _Out(stream)
    results = discover()
    playable = [r.scenario for r in results if r.ok and r.scenario is not None]  # ok: it has a scenario
    playable.sort(key=lambda sc: (sc.language != language, sc.difficulty, sc.title))
    if not playable:
        out.line(t("no_scenarios", language))
    out.line(t("pick_scenario", language))
    for n, sc in enumerate(playable, 1):
        out.line(f"{n:2}. {sc.title}  [{sc.language}, {'★' * sc.difficulty}, {sc.channel}]")
        out.line(sc.summary.strip(), indent="      ")
    for r in results:
        if not r.ok and r.first_error:
            out.line(f"  ✗ {r.path}: " + t("broken_scenario", language, error=r.first_error.message))
    while playable:
        answer = _ask(t("prompt_scenario", language), read, out)
        if answer is None or answer in ("q", "quit", "stop"):
            return None
        picked = number(answer, len(playable))
        if picked is not None:
            return playable[picked - 1]
        out.line(t("not_a_choice", language, n=len(playable)))
    return None


def show_node(session: Session, out: _Out, language: str) -> None:
    node = session.node
    name = session.scenario.customer.name
    out.line()
    if node.narration:
        out.line(f"({node.narration.strip()})")
    if session.line:
        out.line(t("customer_says", language, name=name) + " " + session.line.strip())
    anger, trust = session.mood
    out.line("   " + t("mood", language, anger=anger, trust=trust))


def play(session: Session, language: str = "nl", exam: bool = False, read: Callable[[str], str] = read_line,
         stream: TextIO = sys.stdout) -> str:
    """Play until the conversation ends ('finished') or the player quits ('abandoned'): `q`, end of input,
    Ctrl-C, SIGTERM, or a terminal that closes (SIGHUP, or an error reading or writing it). The caller then
    saves the conversation either way."""
    out = _Out(stream)
    with _stop_signals():
        try:
            return _play(session, language, exam, read, out)
        except (KeyboardInterrupt, Stopped) as exc:
            if isinstance(exc, Stopped) and exc.hangup:
                _detach_from_terminal()
                return "abandoned"
            try:
                out.line()
                out.line(t("abandoned", language))
            except OSError:
                _detach_from_terminal()
            return "abandoned"
        except OSError:   # EIO or EPIPE: the terminal is gone
            try:
                _detach_from_terminal()
            except Stopped:   # the hang-up signal came before it could be ignored
                _detach_from_terminal()
            return "abandoned"


def quit_or_undo(answer: str | None, undo: Callable[[], bool], exam: bool, out: _Out, language: str) -> str | None:
    """The words every terminal prompt understands: "quit" for q/quit/stop or end of input (it says so), "undo"
    for u/undo (taken back where allowed, and it says what happened), else None."""
    word = None if answer is None else answer.lower()
    if word is None or word in ("q", "quit", "stop"):
        out.line(t("abandoned", language))
        return "quit"
    if word in ("u", "undo"):
        if exam:
            out.line(t("undo_exam", language))
        elif undo():
            out.line(t("undone", language))
        else:
            out.line(t("nothing_to_undo", language))
        return "undo"
    return None


def _play(session: Session, language: str, exam: bool, read: Callable[[str], str], out: _Out) -> str:
    while not session.finished:
        show_node(session, out, language)
        choices = session.choices()
        for n, choice in enumerate(choices, 1):
            out.line(f"  {n}. {choice.text.strip()}", hang="     ")
        answer = _ask(t("prompt_choice", language, n=len(choices)), read, out)
        command = quit_or_undo(answer, session.undo, exam, out, language)
        if command == "quit":
            return "abandoned"
        if command == "undo":
            continue
        assert answer is not None  # end of input is "quit"
        picked = number(answer, len(choices))
        if picked is None:
            out.line(t("not_a_choice", language, n=len(choices)))
            continue
        turn = session.choose(picked - 1)
        out.line(f"{t('you', language)}: {turn.text.strip()}")
        if not exam and turn.feedback:
            out.line(f"   {t('feedback', language)}: {turn.feedback.strip()}", hang="   ")
    show_node(session, out, language)
    print_debrief(session, language, out.stream)
    return "finished"


def print_debrief(session: Session, language: str = "nl", stream: TextIO = sys.stdout) -> None:
    """The debrief as a quality scorecard: the score against the pass mark, per step its weight and what it
    earned, each penalty, a fatal cap, what was not assessed and why; then the path beside the best path."""
    from simulator.analysis import analysis_of

    out = _Out(stream)
    card = session.scorecard()
    sheet = card["breakdown"]
    rubric = load_rubric()
    out.line()
    out.line(f"== {t('debrief', language)}: {session.scenario.title} ==")
    out.line(t("score", language, score=card["score"]) + "  ·  "
             + t("passed" if card["passed"] else "not_passed", language, mark=sheet["pass_mark"]))
    out.line(t("ending", language, ending=t(f"ending_{card['ending'] or 'none'}", language)))
    if card.get("left"):
        out.line(t("customer_left", language), hang="  ")
    out.line(t("steps", language))
    marks = {"in_order": "✓", "too_early": "!", "open": "✗", "excused": "·", "not_assessed": "·"}
    width = max(len(rubric.label(s["step"], language)) for s in sheet["steps"])
    for s in sheet["steps"]:
        label = rubric.label(s["step"], language).ljust(width)
        status = t(f"step_{s['status']}", language)
        if s["assessed"]:
            out.line(f"  {marks[s['status']]} {label}  {s['earned']:>3} / {s['weight']:<3} {status}")
        else:
            out.line(f"  · {label}    —      {_reason(s, language) or status}", hang="      ")
    out.line(t("sum", language, earned=sheet["earned"], possible=sheet["possible"], penalty=sheet["penalty"]))
    if card["violations"]:
        out.line(t("violations", language))
        for v in card["violations"]:
            out.line(f"  - [{rubric.label(v['rule'], language)} −{v['points']}] {v['message']}", hang="    ")
            if v.get("feedback"):
                out.line(f"    “{v.get('choice', '').strip()}” — {v['feedback'].strip()}", hang="    ")
        if sheet["cap"] is not None:
            out.line("  ⚠ " + rubric.note("fatal_cap", language, rule=rubric.label(sheet["fatal"], language),
                                          cap=sheet["cap"], pass_mark=sheet["pass_mark"]), hang="    ")
    else:
        out.line(t("no_violations", language))
    best = analysis_of(session.scenario, session.rubric).best
    if best is not None:
        mine = [turn.offered for turn in session.turns]
        path_text = lambda acts: " → ".join(rubric.label(a, language) for a in acts)
        out.line(t("your_path", language, acts=path_text([turn.act for turn in session.turns])), hang="             ")
        out.line(t("best_path", language, acts=path_text(best.acts)), hang="             ")
        parted = next((i for i, (a, b) in enumerate(zip(mine, best.choices)) if a != b), None)
        if mine == best.choices or card["score"] >= 100:  # another path that scores as high is a best path too
            out.line(t("same_as_best", language))
        else:
            n = parted if parted is not None else min(len(mine), len(best.choices))
            out.line(t("parted_at", language, n=n + 1, node=best.nodes[n] if n < len(best.nodes) else session.node.id))


def _reason(step: dict, language: str) -> str:
    key = step.get("reason_key")
    return load_rubric().note(key, language) if key else ""
