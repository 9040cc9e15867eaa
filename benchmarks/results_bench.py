"""Report, export and history over 1,000 / 10,000 / 50,000 stored conversations: wall time and peak memory, each
as a ratio to a baseline that reads the same rows with a plain SELECT, measured in the same run. Every measurement
runs in a fresh process (so peak memory is that task's alone); min/median/max over RUNS runs."""
from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, UTC
from pathlib import Path

from benchmarks import peak_kb

SIZES = (1_000, 10_000, 50_000)
RUNS = 3
TASKS = ("baseline", "report", "export-csv", "export-xlsx", "export-xapi", "history")
ROOT = Path(__file__).resolve().parents[1]

_OPTIONS = {
    "opening": [("Laat meneer uitpraten: 'Vertelt u het maar.'", "listen"),
                ("'Meneer, wij reageren altijd binnen twee werkdagen.'", "justify")],
    "verhaal": [("'Wat vervelend dat u zó lang moet wachten; ik begrijp uw ergernis.'", "acknowledge"),
                ("'Schrijft u maar een brief naar de afdeling klachten.'", "deflect"),
                ("'Ik regel nú een nieuw pakket, gratis.'", "solve")],
    "vragen": [("'Mag ik uw ordernummer?'", "ask"), ("'Dat weet ik ook niet.'", "neutral")],
    "oplossing": [("'Ik stuur vandaag een nieuw pakket.'", "solve"), ("'Dat is ons beleid.'", "justify")],
    "afspraak": [("'U hebt het morgen voor twaalf uur.'", "agree"), ("'Het komt wel goed.'", "neutral")],
}


def fill(folder: Path, count: int) -> None:
    """`count` conversations shaped like real ones (8 players per class, 6 scenarios, 5 choices with options)."""
    from simulator.results import ResultsStore
    from simulator.results.record import record_from_scorecard

    version = hashlib.sha256(b"bench").hexdigest()
    start = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    batch = []
    with ResultsStore.open(folder) as store:
        for n in range(count):
            path = []
            for i, (node, options) in enumerate(_OPTIONS.items()):
                pick = (n + i) % len(options)
                path.append({"node": node, "choice": pick + 1, "act": options[pick][1], "text": options[pick][0],
                             "feedback": "Uitleg bij deze keuze.", "say": "De klant zegt iets boos.",
                             "options": [{"text": t, "act": a} for t, a in options]})
            good = n % 3 != 0
            card = {"scenario": f"scenario-{n % 6}", "ending": "satisfied" if good else "lost",
                    "score": 40 + n % 60,
                    "steps": {s: {"done": good, "in_order": good, "assessed": True}
                              for s in ("listen", "acknowledge", "ask", "solve", "agree", "follow_up")},
                    "violations": [] if good else [{"rule": "method", "node": "verhaal", "message": "m",
                                                    "act": "deflect", "choice": path[1]["text"],
                                                    "feedback": "f"}],
                    "customer": {"anger": n % 100, "trust": 100 - n % 100}}
            begun = start + timedelta(minutes=n)
            batch.append(record_from_scorecard(card, f"Deelnemer {n % 240}", language="nl", scenario_version=version,
                                               started_at=begun, finished_at=begun + timedelta(minutes=4),
                                               title=f"Scenario {n % 6}", path=path))
            if len(batch) == 5_000:
                store.save_many(batch)
                batch = []
        store.save_many(batch)


def work(task: str, data: str, out: str) -> dict:
    """One measurement (in this fresh process): seconds and peak resident memory in MB."""
    started = time.perf_counter()
    if task == "baseline":
        import sqlite3

        db = sqlite3.connect(Path(data) / "results.sqlite3")
        size = 0
        for row in db.execute("SELECT * FROM conversations ORDER BY finished_at, id"):
            size += len(row[11]) + len(row[12])
        db.close()
    else:
        from contextlib import redirect_stdout

        from simulator.cli import main

        argv = {"report": ["report", "-o", out], "export-csv": ["export", "--csv", out],
                "export-xlsx": ["export", "--xlsx", out], "export-xapi": ["export", "--xapi", out],
                "history": ["history"]}[task]
        with open(os.devnull, "w") as sink, redirect_stdout(sink):
            code = main(argv + ["--data", data])
        if code != 0:
            raise SystemExit(f"{task} failed with exit code {code}")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": peak_kb() / 1024}


def _measure(task: str, data: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.results_bench", "--work", task, str(data), str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes=SIZES, runs: int = RUNS) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = Path(folder) / f"d{size}"
            fill(data, size)
            timings = {task: [_measure(task, data, Path(folder) / f"out-{task}") for _ in range(runs)]
                       for task in TASKS}
            base_s = statistics.median(m["seconds"] for m in timings["baseline"])
            base_mb = statistics.median(m["peak_mb"] for m in timings["baseline"])
            for task in TASKS:
                seconds = sorted(m["seconds"] for m in timings[task])
                peaks = sorted(m["peak_mb"] for m in timings[task])
                rows.append({"size": size, "task": task, "min": seconds[0], "median": statistics.median(seconds),
                             "max": seconds[-1], "ratio": statistics.median(seconds) / base_s,
                             "peak_mb": statistics.median(peaks), "peak_ratio": statistics.median(peaks) / base_mb})
    return rows


def print_table(rows: list[dict]) -> None:
    print("| conversations | task | min | median | max | time ÷ baseline | peak memory | memory ÷ baseline |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['size']:,} | {row['task']} | {row['min']:.2f} s | {row['median']:.2f} s | {row['max']:.2f} s | "
              f"{row['ratio']:.1f}x | {row['peak_mb']:.0f} MB | {row['peak_ratio']:.1f}x |")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--work":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(work(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        sizes = tuple(int(n) for n in sys.argv[1:]) or SIZES
        print_table(run(sizes))
