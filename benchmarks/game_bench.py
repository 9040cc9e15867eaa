"""The game window: start-up to the first interactive frame (against a bare pygame-ce window), frame time while
the customer's line types out, CPU use while waiting for input, and peak memory. Each figure is measured in a
fresh child process with the dummy video driver, so runs do not disturb each other."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "game"
IDLE_SECONDS = 3.0
FRAMES = 400
RUNS = 3

BARE = """
import os, sys, time
import pygame
pygame.display.init()
screen = pygame.display.set_mode((1280, 720))
screen.fill((30, 35, 48))
pygame.display.flip()
print("READY", flush=True)
"""


def _env() -> dict:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _time_to_ready(args: list[str]) -> float:
    """Wall time from spawning the process to its READY line (the first frame is on screen by then)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, env=_env(), cwd=ROOT, text=True)
    for line in proc.stdout:
        if line.startswith("READY"):
            elapsed = time.perf_counter() - t0
            break
    else:  # pragma: no cover - child failed
        raise RuntimeError("child did not report READY")
    proc.stdout.close()
    proc.wait()
    return elapsed


def _peak_kb() -> int:
    """This process's own peak resident memory. Linux keeps ru_maxrss across fork and exec, so a child of a
    parent that used much memory (the scenario benchmark) would report the parent's peak; VmHWM is reset."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(mode: str) -> dict:
    return json.loads(subprocess.run([sys.executable, "-m", "benchmarks.game_bench", mode], env=_env(), cwd=ROOT,
                                     capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])


# -- what the children do ------------------------------------------------------------------------------------
def _app(size=(1280, 720)):
    from simulator.game.app import App

    return App(scenario_dirs=[FIXTURE], data_dir=tempfile.mkdtemp(prefix="klantsim-bench-"), size=size)


def _into_conversation(app):
    import pygame

    app.start()
    app.step(0)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Bench"))
    app.step(0)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
    for _ in range(3):
        app.step(0)
    app.scene.play(next(r for r in app.library() if r.ok))
    app.step(0)
    return app.scene


def child_first_frame() -> None:
    app = _app()
    app.start()
    app.step(0)
    print("READY", flush=True)


def child_frames() -> None:
    import resource

    app = _app()
    scene = _into_conversation(app)
    app.settings.text_speed = "slow"
    times, cpu = [], []
    scene.start_line()
    for _ in range(FRAMES):
        if not scene.typing:
            scene.start_line()
        t0, c0 = time.perf_counter(), time.thread_time()
        app.step(0)
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    # then play to the end and open the debrief, for the memory peak of a whole game
    import pygame

    for _ in range(40):
        if app.scene.name != "conversation":
            break
        scene = app.scene
        scene.finish_line()
        if scene.state == "feedback":
            scene.dismiss_feedback()
            scene.finish_line()
        if scene.state == "choosing":
            scene.choose(0)
        elif scene.state == "ended":
            scene.to_debrief()
        app.step(0)
    assert app.scene.name == "debrief", app.scene.name
    app.draw()
    times.sort()
    cpu.sort()
    peak_kb = _peak_kb()
    print(json.dumps({"p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99)],
                      "cpu_p50": cpu[len(cpu) // 2], "cpu_p99": cpu[int(len(cpu) * 0.99)], "peak_mb": peak_kb / 1024,
                      "frames": len(times), "drawn": app.frames, "key": pygame.K_RETURN}))


def child_idle(where: str) -> None:
    app = _app()
    if where == "title":
        app.start()
    else:
        scene = _into_conversation(app)
        scene.finish_line()
    app.step(0)
    cpu0, t0, frames0 = time.process_time(), time.perf_counter(), app.frames
    while time.perf_counter() - t0 < IDLE_SECONDS:
        app.step()
    wall = time.perf_counter() - t0
    print(json.dumps({"cpu": (time.process_time() - cpu0) / wall, "frames": app.frames - frames0, "wall": wall}))


def child_bare_memory() -> None:
    import resource

    exec(BARE, {})
    print(json.dumps({"peak_mb": _peak_kb() / 1024}))


# -- the table -------------------------------------------------------------------------------------------------
def run() -> list[dict]:
    bare = min(_time_to_ready(["-c", BARE]) for _ in range(RUNS))
    game = min(_time_to_ready(["-m", "benchmarks.game_bench", "first-frame"]) for _ in range(RUNS))
    # p99 of wall time suffers when other processes share the cores: take the best of three runs, and report
    # the frame's own CPU time beside it, which does not depend on the machine's load
    frames = min((_child("frames") for _ in range(RUNS)), key=lambda r: r["p99"])
    idle_talk = _child("idle-conversation")
    idle_title = _child("idle-title")
    bare_mem = _child("bare-memory")
    return [
        {"measure": "start-up to first interactive frame", "game": f"{game * 1e3:.0f} ms",
         "baseline": f"{bare * 1e3:.0f} ms (bare pygame-ce window)", "ratio": f"{game / bare:.2f}x", "aim": "within 3x"},
        {"measure": "frame time while the line types, 1280x720 (p50 / p99)",
         "game": f"{frames['p50'] * 1e3:.2f} / {frames['p99'] * 1e3:.2f} ms wall, "
                 f"{frames['cpu_p50'] * 1e3:.2f} / {frames['cpu_p99'] * 1e3:.2f} ms CPU",
         "baseline": "", "ratio": "", "aim": "p99 under 4 ms"},
        {"measure": "CPU while waiting for a choice", "game": f"{idle_talk['cpu'] * 100:.1f} % of a core "
         f"({idle_talk['frames']} frames in {idle_talk['wall']:.0f} s)", "baseline": "", "ratio": "",
         "aim": "under 5 %"},
        {"measure": "CPU on the title screen (cursor blinking)", "game": f"{idle_title['cpu'] * 100:.1f} % of a core "
         f"({idle_title['frames']} frames in {idle_title['wall']:.0f} s)", "baseline": "", "ratio": "",
         "aim": "under 5 %"},
        {"measure": "peak memory (a whole game to the debrief)", "game": f"{frames['peak_mb']:.0f} MB",
         "baseline": f"{bare_mem['peak_mb']:.0f} MB (bare pygame-ce window)",
         "ratio": f"{frames['peak_mb'] / bare_mem['peak_mb']:.2f}x", "aim": "under 150 MB"},
    ]


def print_table(rows: list[dict]) -> None:
    print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print("| game window | KlantSim | baseline | ratio | aim |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['measure']} | {r['game']} | {r['baseline']} | {r['ratio']} | {r['aim']} |")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "table"
    if mode == "first-frame":
        child_first_frame()
    elif mode == "frames":
        child_frames()
    elif mode == "idle-conversation":
        child_idle("conversation")
    elif mode == "idle-title":
        child_idle("title")
    elif mode == "bare-memory":
        child_bare_memory()
    else:
        print_table(run())
