"""One fuzz worker: reads cases (JSON lines), runs the commands on each in process, writes one JSON line back.

The runner starts a few of these and hands each one case at a time, so a case that kills its worker (a crash
signal) or hangs it is known exactly; a worker that survives takes the next case without a new start-up.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import sys
import traceback

DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: (error|warning): .* \[KS\d{3}\]$")
SUMMARY = re.compile(r" (checked|gecontroleerd): \d+ ")  # in the language of the environment (LANG=C: Dutch)
ANSWERS = ["²", "٣", "9" * 5000, "", " ", "u", "undo", "1", "2", "3", "0", "-1", "\x00", "1\u200b", "７", "1 2",
           "q" * 30, "99"]
GRAPH_FORMATS = (".dot", ".svg", ".mmd", ".png")


def run_command(argv: list[str]) -> tuple[int | None, str, str, str | None]:
    """(exit code, stdout, stderr, traceback or None) of `main.py ARGV`, in this process."""
    from simulator.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: int | None = None
    trace = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException:
            trace = traceback.format_exc()
    return code, out.getvalue(), err.getvalue(), trace


def _problems(command: str, path: str, code, out: str, err: str, trace) -> list[str]:
    found = []
    if trace:
        found.append(f"traceback: {command}: {trace.strip().splitlines()[-1]}")
    elif code not in (0, 1, 2):
        found.append(f"exit code outside 0-2: {command} gave {code}")
    if command == "validate":
        lines = out.splitlines()
        for line in lines[:-1]:
            if not (DIAGNOSTIC.match(line) and line.startswith(path)):
                found.append(f"diagnostic not one PATH:LINE:COLUMN: line: {line[:120]!r}")
                break
        if code in (0, 1) and not (lines and SUMMARY.search(lines[-1])):
            found.append("diagnostic not one PATH:LINE:COLUMN: line: validate printed no summary")
    for line in err.splitlines():
        if command in ("import", "report") and line.startswith("warning:"):
            continue   # the store's notices
        if not (DIAGNOSTIC.match(line) or line.startswith("main.py ")):
            found.append(f"diagnostic not one PATH:LINE:COLUMN: line: {command} stderr {line[:120]!r}")
            break
    return found


def run_case(task: dict) -> dict:
    path, rnd = task["path"], random.Random(task["seed"])
    problems: list[str] = []
    if task.get("export"):   # a mutated results export: import it into a fresh store, then report on it
        data = os.path.join(task["out"], "data")
        for argv in (["import", path, "--data", data], ["import", "--dry-run", path, "--data", data],
                     ["report", "-o", os.path.join(task["out"], "r.html"), "--data", data]):
            code, out, err, trace = run_command(argv)
            problems += _problems(argv[0], path, code, out, err, trace)
        return {"index": task["index"], "problems": problems}
    commands = [["validate", path]]
    which = task["index"] % 3
    if which == 0:
        choices = ",".join(str(rnd.randint(1, 4)) for _ in range(rnd.randint(1, 30)))
        commands.append(["play", "--text", "--scenario", path, "--choices", choices, "--json"])
    elif which == 1:
        commands.append(["analyse", path, "--json" if rnd.random() < 0.5 else "--lang=nl"])
    else:
        fmt = GRAPH_FORMATS[(task["index"] // 3) % len(GRAPH_FORMATS)]
        commands.append(["graph", path, "-o", os.path.join(task["out"], "kaart" + fmt)])
    for argv in commands:
        code, out, err, trace = run_command(argv)
        problems += _problems(argv[0], path, code, out, err, trace)
    problems += _terminal(path, rnd)
    return {"index": task["index"], "problems": problems}


def _terminal(path: str, rnd: random.Random) -> list[str]:
    """Terminal play of the case's file (when it loads) with odd answers: never an exception."""
    from simulator.engine.session import Session
    from simulator.scenario.loader import load_file
    from simulator import text_ui

    answers = iter([rnd.choice(ANSWERS) for _ in range(rnd.randint(1, 40))] + ["q"])
    try:
        result = load_file(path)
        if not result.ok:
            return []
        text_ui.play(Session(result.scenario), rnd.choice(["nl", "en"]), exam=rnd.random() < 0.3,
                     read=lambda _prompt: next(answers), stream=io.StringIO())
    except BaseException:
        return [f"traceback: terminal play: {traceback.format_exc().strip().splitlines()[-1]}"]
    return []


def main() -> int:
    # Protocol on its own descriptors: whatever a command writes to fd 0/1 cannot block it or mix into it.
    tasks = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    for line in tasks:
        task = json.loads(line)
        replies.write(json.dumps(run_case(task)) + "\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
