"""The game window against a bare pygame-ce window on the same video driver, measured in the same run: start-up,
CPU while a line types, CPU on every idle screen (against a bare `pygame.event.wait()` loop) and peak memory after
a whole game. Each figure comes from a fresh child process. It runs on the dummy driver, and under a real X
server (Xvfb, through xvfb-run) when one is installed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import peak_kb

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "game"
SECONDS = 4.0           # each CPU measurement (the lower of two runs: other processes share the cores)
RUNS = 3                # start-up: the best of three; the spread is reported beside it
MEMORY_RUNS = 3         # peak memory: the median of three, with the range
SCREENS = ("title", "select", "conversation", "debrief", "settings", "history")

BARE_START = """
import pygame
pygame.display.init()
screen = pygame.display.set_mode((1280, 720))
screen.fill((30, 35, 48))
pygame.display.flip()
print("READY", flush=True)
"""


def _env(driver: str) -> dict:
    env = dict(os.environ, SDL_VIDEODRIVER=driver, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _time_to_ready(args: list[str], driver: str) -> float:
    """Wall time from spawning the process to its READY line (the first frame is on screen by then)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, env=_env(driver), cwd=ROOT, text=True)
    for line in proc.stdout:
        if line.startswith("READY"):
            elapsed = time.perf_counter() - t0
            break
    else:  # pragma: no cover - child failed
        raise RuntimeError("child did not report READY")
    proc.stdout.close()
    proc.wait()
    return elapsed


def _child(mode: str, driver: str, *extra: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.game_bench", mode, *extra], env=_env(driver), cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- what the children do ------------------------------------------------------------------------------------
def _app(data_dir: str | None = None):
    from simulator.game.app import App

    return App(scenario_dirs=[FIXTURE], data_dir=data_dir or tempfile.mkdtemp(prefix="klantsim-bench-"),
               size=(1280, 720))


def _post_key(key: int, text: str = "") -> None:
    import pygame

    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=text, scancode=0))


def _to(app, screen: str):
    """Drive the app to `screen` by its own keys; returns the scene."""
    import pygame

    app.start()
    app.step(0)
    if screen == "title":
        return app.scene
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Bench"))
    app.step(0)
    _post_key(pygame.K_RETURN, "\r")
    for _ in range(3):
        app.step(0)
    if screen == "settings":
        app.open_settings()
        app.step(0)
        return app.scene
    if screen == "select":
        return app.scene
    app.scene.play(next(r for r in app.library() if r.ok))
    app.step(0)
    if screen == "conversation":
        app.scene.finish_line()   # waiting for a choice (the typing is measured on its own)
        return app.scene
    _play_to_the_end(app)
    if screen == "history":
        app.pop_to("select")
        app.open_history()
        app.step(0)
    return app.scene


def _play_to_the_end(app) -> None:
    for _ in range(60):
        scene = app.scene
        if scene.name != "conversation":
            break
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


def _cpu_of_loop(step, seconds: float = SECONDS) -> float:
    """Process CPU per wall second while `step` runs the loop for `seconds`."""
    cpu0, t0 = time.process_time(), time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
    return (time.process_time() - cpu0) / (time.perf_counter() - t0)


def child_first_frame() -> None:
    app = _app()
    app.start()
    app.step(0)
    print("READY", flush=True)


def child_typing() -> None:
    """The real loop (its own waits) while the customer's line types out at the slowest speed."""
    app = _app()
    scene = _to(app, "conversation")
    app.settings.text_speed = "slow"   # the longest typing; every letter is a frame
    scene.start_line()
    app.draw()
    frames0 = app.frames

    def step():
        if not scene.typing:
            scene.start_line()
        app.step()

    cpu = _cpu_of_loop(step)
    print(json.dumps({"cpu": cpu, "frames": app.frames - frames0}))


def child_idle(screen: str) -> None:
    app = _app()
    _to(app, screen)
    for _ in range(3):
        app.step(0)
    frames0 = app.frames
    cpu = _cpu_of_loop(app.step)
    print(json.dumps({"cpu": cpu, "frames": app.frames - frames0}))


def child_bare_idle() -> None:
    import pygame

    pygame.display.init()
    screen = pygame.display.set_mode((1280, 720))
    screen.fill((30, 35, 48))
    pygame.display.flip()
    cpu = _cpu_of_loop(lambda: pygame.event.wait(1000))
    print(json.dumps({"cpu": cpu}))


def child_memory(data_dir: str | None = None) -> None:
    """A whole game, in a new results folder, or in `data_dir` (a returning player's: an earlier game's results,
    settings and clean close are there, so the store opens an existing database)."""
    app = _app(data_dir)
    _to(app, "debrief")
    print(json.dumps({"peak_mb": peak_kb() / 1024, "modules": sorted(sys.modules)}))


def child_earlier_game(data_dir: str) -> None:
    """A whole game in `data_dir`, closed as the window closes (the results store's clean close included)."""
    app = _app(data_dir)
    _to(app, "debrief")
    app.close()
    print(json.dumps({"ok": True}))


def child_floor_memory(modules_file: str) -> None:
    """A window opened as the game opens it (on X11 without OpenGL: app._plain_x11_framebuffer), every module a
    whole game loaded, and the font library drawing one word: what the game costs before it keeps a screen, a text
    or a scenario of its own (no aim; it shows how much of the peak is code)."""
    import importlib

    import pygame

    from simulator.game.app import _plain_x11_framebuffer

    pygame.display.init()
    _plain_x11_framebuffer()
    pygame.display.set_mode((1280, 720)).fill((30, 35, 48))
    pygame.display.flip()
    for name in json.loads(Path(modules_file).read_text(encoding="utf-8")):
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except Exception:   # pragma: no cover - a module that imports only where it was loaded
                pass
    from simulator.game.look import FONT_DIR, theme_data
    from simulator.game.text_render import Font

    Font(str(FONT_DIR / theme_data()["font"]["regular"]), 19).render("KlantSim", True, (255, 255, 255))
    print(json.dumps({"peak_mb": peak_kb() / 1024}))


def child_bare_memory() -> None:
    exec(BARE_START, {})
    print(json.dumps({"peak_mb": peak_kb() / 1024}))


# -- the table -------------------------------------------------------------------------------------------------
def start_xvfb():
    """A private Xvfb server for the x11 rows when there is no display; (process, display) or (None, None)."""
    if os.environ.get("DISPLAY") or not shutil.which("Xvfb"):
        return None, None
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    if not number:
        proc.kill()
        return None, None
    return proc, f":{number}"


def drivers() -> list[str]:
    """dummy always; x11 when a display is there (ours, from Xvfb, or the user's)."""
    out = ["dummy"]
    if os.environ.get("DISPLAY"):
        out.append("x11")
    return out


def measure(driver: str) -> list[dict]:
    starts = [_time_to_ready(["-c", BARE_START], driver) for _ in range(RUNS)]
    games = [_time_to_ready(["-m", "benchmarks.game_bench", "first-frame"], driver) for _ in range(RUNS)]
    bare_idle = min(_child("bare-idle", driver)["cpu"] for _ in range(2))
    typing = min((_child("typing", driver) for _ in range(2)), key=lambda r: r["cpu"])
    rows = [{"measure": "start-up to the first frame", "game": f"{min(games) * 1e3:.0f} ms "
             f"(spread {(max(games) - min(games)) * 1e3:.0f})", "baseline": f"{min(starts) * 1e3:.0f} ms bare window",
             "ratio": min(games) / min(starts), "aim": 2.0},
            {"measure": "CPU while a line types (real loop)", "game": f"{typing['cpu'] * 100:.1f} % of a core, "
             f"{typing['frames']} frames in {SECONDS:.0f} s", "baseline": "", "ratio": None, "aim": None,
             "ok": typing["cpu"] <= 0.10, "aim_text": "<= 10 % of a core"}]
    # a bare wait loop costs next to nothing; both sides get a floor of 0.2 % of a core, so the ratio measures the
    # screens rather than the noise of the clock
    floor = 0.002
    for screen in SCREENS:
        idle = min((_child("idle", driver, screen) for _ in range(2)), key=lambda r: r["cpu"])
        rows.append({"measure": f"idle: {screen}", "game": f"{idle['cpu'] * 100:.2f} % ({idle['frames']} frames)",
                     "baseline": f"{bare_idle * 100:.2f} % event.wait loop",
                     "ratio": max(idle["cpu"], floor) / max(bare_idle, floor), "aim": 1.5})
    return rows + measure_memory(driver)


def measure_memory(driver: str) -> list[dict]:
    import statistics   # here, not at the top: every child imports this module, and both sides must carry only pygame

    # each game shows the choices in its own random order, so the path (and the text on screen) differs per run
    games = [_child("memory", driver) for _ in range(MEMORY_RUNS)]
    mems = sorted(g["peak_mb"] for g in games)
    bares = sorted(_child("bare-memory", driver)["peak_mb"] for _ in range(MEMORY_RUNS))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(games[-1]["modules"], fh)
    try:
        floors = sorted(_child("floor-memory", driver, fh.name)["peak_mb"] for _ in range(MEMORY_RUNS))
    finally:
        os.unlink(fh.name)
    # a returning player: the results folder of an earlier game (closed as the window closes), so the store opens
    # an existing database; each run in a copy of it, since a game adds its own result
    earlier = tempfile.mkdtemp(prefix="klantsim-bench-earlier-")
    try:
        _child("earlier-game", driver, earlier)
        returning = []
        for _ in range(MEMORY_RUNS):
            folder = tempfile.mkdtemp(prefix="klantsim-bench-returning-")
            shutil.copytree(earlier, folder, dirs_exist_ok=True)
            try:
                returning.append(_child("memory", driver, folder)["peak_mb"])
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(earlier, ignore_errors=True)
    returning.sort()
    mem, again, bare_mem, floor_mem = (statistics.median(x) for x in (mems, returning, bares, floors))
    bare_text = f"{bare_mem:.1f} MB bare window ({bares[0]:.1f}–{bares[-1]:.1f})"
    rows = []
    rows.append({"measure": "peak memory after a whole game (first game, new results folder)",
                 "game": f"{mem:.1f} MB (median of {MEMORY_RUNS}, {mems[0]:.1f}–{mems[-1]:.1f})",
                 "baseline": bare_text, "ratio": mem / bare_mem, "aim": 1.3})
    rows.append({"measure": "peak memory after a whole game (returning player: an earlier game's results folder)",
                 "game": f"{again:.1f} MB (median of {MEMORY_RUNS}, {returning[0]:.1f}–{returning[-1]:.1f})",
                 "baseline": bare_text, "ratio": again / bare_mem, "aim": 1.3})
    rows.append({"measure": "(for comparison: a window opened as the game opens it + the game's modules and font "
                 "library, nothing drawn)",
                 "game": f"{floor_mem:.1f} MB ({floors[0]:.1f}–{floors[-1]:.1f})", "baseline": bare_text,
                 "ratio": floor_mem / bare_mem, "aim": None, "aim_text": "", "ok": None})
    return rows


def compile_bytecode() -> None:
    """Compile the game's own modules first, as an installed copy has them (the download ships bytecode, a first
    start writes __pycache__; pip compiled pygame's): otherwise, with PYTHONDONTWRITEBYTECODE set, every child
    compiles the game from source and the peak measures the compiler rather than the game."""
    import compileall

    compileall.compile_dir(str(ROOT / "simulator"), quiet=1)
    compileall.compile_dir(str(ROOT / "benchmarks"), quiet=1)


def run() -> dict[str, list[dict]]:
    compile_bytecode()
    server, display = start_xvfb()
    if display:
        os.environ["DISPLAY"] = display
    try:
        return {driver: measure(driver) for driver in drivers()}
    finally:
        if server is not None:
            server.terminate()
            server.wait()
            os.environ.pop("DISPLAY", None)


def print_table(results: dict[str, list[dict]]) -> None:
    print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for driver, rows in results.items():
        print(f"\n### video driver: {driver}\n")
        print("| game window | KlantSim | baseline | ratio | aim | ok |")
        print("|---|---:|---:|---:|---|---|")
        for r in rows:
            ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}x"
            if r["aim"] is None:
                aim, ok = r["aim_text"], r["ok"]
            else:
                aim, ok = f"<= {r['aim']}x", r["ratio"] <= r["aim"]
            mark = "" if ok is None else "yes" if ok else "NO"
            print(f"| {r['measure']} | {r['game']} | {r['baseline']} | {ratio} | {aim} | {mark} |")
    if "x11" not in results:
        print("\n(no X11 measurement: no display and no Xvfb; apt-get install xvfb)")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "table"
    if mode == "first-frame":
        child_first_frame()
    elif mode == "typing":
        child_typing()
    elif mode == "idle":
        child_idle(sys.argv[2])
    elif mode == "bare-idle":
        child_bare_idle()
    elif mode == "memory":
        child_memory(sys.argv[2] if len(sys.argv) > 2 else None)
    elif mode == "earlier-game":
        child_earlier_game(sys.argv[2])
    elif mode == "bare-memory":
        child_bare_memory()
    elif mode == "floor-memory":
        child_floor_memory(sys.argv[2])
    else:
        print_table(run())
