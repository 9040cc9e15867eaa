"""Quick commands: `--help` and `validate` of one bundled file, against a bare `python -c "import yaml, transitions"`
(the two packages any command needs), measured in the same run.

Each is a fresh process of the same interpreter with the same environment, RUNS times, the three alternating; the
figure is the CPU time of the child (user + system: the cores are shared), with the wall time beside it. Bytecode is
written and used, as on a user's machine (a first run of each writes it and is not counted), whatever
PYTHONDONTWRITEBYTECODE says here.
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 15
FILE = "scenarios/duikreis.nl.yaml"
AIMS = {"help": 1.5, "validate": 2.0}
COMMANDS = {"base": ["-c", "import yaml, transitions"], "help": ["main.py", "--help"],
            "validate": ["main.py", "validate", FILE]}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def measure(runs: int = RUNS) -> dict[str, dict[str, list[float]]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, dict[str, list[float]]] = {name: {"cpu": [], "wall": []} for name in COMMANDS}
    for index in range(runs + 1):
        for name, args in COMMANDS.items():
            cpu, wall = _children_cpu(), time.perf_counter()
            done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()[-300:]}")
            if index:   # the first round writes the bytecode
                times[name]["cpu"].append(_children_cpu() - cpu)
                times[name]["wall"].append(time.perf_counter() - wall)
    return times


def _spread(values: list[float], scale: float = 1.0) -> list[float]:
    """[min, median, max]"""
    return [min(values) * scale, statistics.median(values) * scale, max(values) * scale]


def run() -> list[dict]:
    times = measure()
    base = times["base"]
    rows = [{"command": "python -c 'import yaml, transitions'", "cpu_ms": _spread(base["cpu"], 1e3),
             "wall_ms": _spread(base["wall"], 1e3)}]
    for name, label in (("help", "main.py --help"), ("validate", f"main.py validate {FILE}")):
        mine = times[name]
        rows.append({"command": label, "cpu_ms": _spread(mine["cpu"], 1e3), "wall_ms": _spread(mine["wall"], 1e3),
                     "ratio": _spread([m / b for m, b in zip(mine["cpu"], base["cpu"])]),
                     "median_ratio": statistics.median(mine["cpu"]) / statistics.median(base["cpu"]),
                     "aim": AIMS[name]})
    return rows


def _f(spread: list[float], unit: str = " ms", digits: int = 0) -> str:
    low, mid, high = spread
    return f"{mid:,.{digits}f}{unit} ({low:,.{digits}f}–{high:,.{digits}f})"


def print_table(rows: list[dict]) -> None:
    print(f"CPU time of each process, median (min–max) of {RUNS} runs, alternating; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n")
    print("| command | CPU | wall | ratio to the bare import | aim |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        if "ratio" not in r:
            print(f"| `{r['command']}` | {_f(r['cpu_ms'])} | {_f(r['wall_ms'])} | 1 | |")
            continue
        met = "yes" if r["median_ratio"] <= r["aim"] else "**no**"
        print(f"| `{r['command']}` | {_f(r['cpu_ms'])} | {_f(r['wall_ms'])} | {r['median_ratio']:.2f}x "
              f"(per run {_f(r['ratio'], 'x', 2)}) | <= {r['aim']}x: {met} |")


if __name__ == "__main__":
    print_table(run())
