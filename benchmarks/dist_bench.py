"""The download (`make dist`): start-up of the bundled executable to the first frame against `python main.py`
in the same run, and the size of the zip. Runs only when dist/ holds a build; says so otherwise."""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
RUNS = 7
MARK = "frame(s) drawn"


def built() -> tuple[Path, Path] | None:
    exe = DIST / "klantsim" / ("klantsim.exe" if sys.platform == "win32" else "klantsim")
    stamp = DIST / ".built"
    if not exe.is_file() or not stamp.is_file():
        return None
    archive = DIST / stamp.read_text(encoding="utf-8").strip()
    return (exe, archive) if archive.is_file() else None


def _to_first_frame(cmd: list[str], home: str) -> float:
    """Seconds from spawning to the line the window prints after its first frame (KLANTSIM_EXIT_AFTER_FRAMES)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1", "KLANTSIM_EXIT_AFTER_FRAMES": "1"}
    if sys.platform == "win32":
        env.update(SYSTEMROOT=os.environ.get("SYSTEMROOT", r"C:\Windows"), USERPROFILE=home,
                   APPDATA=home, LOCALAPPDATA=home)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, cwd=home, text=True)
    for line in proc.stdout:
        if MARK in line:
            elapsed = time.perf_counter() - t0
            break
    else:
        raise RuntimeError(f"{cmd[0]} did not report its first frame")
    proc.stdout.close()
    proc.wait()
    return elapsed


def _recognise(cmd: list[str], home: str) -> float:
    """Seconds for `recognise` of one answer, start to exit, with the model already in the user cache."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "KLANTSIM_CACHE": os.path.join(home, "cache")}
    if sys.platform == "win32":
        env.update(SYSTEMROOT=os.environ.get("SYSTEMROOT", r"C:\Windows"), USERPROFILE=home,
                   APPDATA=home, LOCALAPPDATA=home)
    t0 = time.perf_counter()
    subprocess.run([*cmd, "recognise", "--lang", "nl", "Ik begrijp dat u boos bent"], env=env, cwd=home,
                   stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def run() -> list[dict] | None:
    found = built()
    if found is None:
        return None
    exe, archive = found
    home = tempfile.mkdtemp(prefix="klantsim-dist-bench-")
    source = [sys.executable, str(ROOT / "main.py")]
    bundle, python = [], []
    _to_first_frame([str(exe)], home), _to_first_frame(source, home)  # warm the disk cache for both
    for _ in range(RUNS):  # alternate, so a busy moment on the machine hits both alike
        bundle.append(_to_first_frame([str(exe)], home))
        python.append(_to_first_frame(source, home))
    _recognise(source, home), _recognise([str(exe)], home)  # the first builds the model into the cache
    bundle_rec, python_rec = [], []
    for _ in range(RUNS):
        bundle_rec.append(_recognise([str(exe)], home))
        python_rec.append(_recognise(source, home))
    shutil.rmtree(home, ignore_errors=True)
    unpacked = sum(f.stat().st_size for f in exe.parent.rglob("*") if f.is_file() and not f.is_symlink())

    def spread(xs):
        return f"{statistics.median(xs) * 1e3:.0f} ms ({min(xs) * 1e3:.0f}–{max(xs) * 1e3:.0f})"

    return [
        {"measure": "start-up to the first frame (median, min–max of 7)", "bundle": spread(bundle),
         "baseline": f"{spread(python)} (python main.py)",
         "ratio": f"{statistics.median(bundle) / statistics.median(python):.2f}x", "aim": "<= 1.5x"},
        {"measure": "`recognise` one answer, model cached (median, min–max of 7)", "bundle": spread(bundle_rec),
         "baseline": f"{spread(python_rec)} (python main.py)",
         "ratio": f"{statistics.median(bundle_rec) / statistics.median(python_rec):.2f}x", "aim": "<= 1.5x"},
        {"measure": f"size of {archive.name}", "bundle": f"{archive.stat().st_size / 1e6:.1f} MB",
         "baseline": f"{unpacked / 1e6:.1f} MB unpacked", "ratio": "", "aim": "<= 80 MB"},
    ]


def print_table(rows: list[dict] | None) -> None:
    if rows is None:
        print("(no download in dist/: run `make dist` first to measure it)")
        return
    print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print("| download | bundle | baseline | ratio | aim |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['measure']} | {r['bundle']} | {r['baseline']} | {r['ratio']} | {r['aim']} |")


if __name__ == "__main__":
    print_table(run())
