"""`python -m fuzz [--cases N] [--seed S] [--workers W]`: mutate every bundled scenario and run validate, play
--choices, analyse, graph and terminal play on each case, in worker processes; count tracebacks, crash
signals, hangs over the time limit, exit codes outside {0,1,2} and diagnostics not on one PATH:LINE:COLUMN:
line. Exit 0 when there are none, 1 otherwise; failing cases are kept in --keep for reproduction.
"""
from __future__ import annotations

import argparse
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from fuzz.mutate import case, export_case, prepare, remove, sample_export

ROOT = Path(__file__).resolve().parents[1]


class Worker:
    def __init__(self, number: int):
        env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "fuzz.worker"], cwd=ROOT, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     bufsize=1, start_new_session=True)
        self.number = number
        self.task: dict | None = None
        self.deadline = 0.0

    def give(self, task: dict, timeout: float) -> None:
        self.task = task
        self.deadline = time.monotonic() + timeout
        self.proc.stdin.write(json.dumps(task) + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def run(cases: int, seed: int, workers: int, timeout: float, keep: Path | None, first: int = 0,
        results_every: int = 0) -> dict:
    """Run the cases; with results_every=N, every Nth case is a mutated results export (import, report)."""
    work = Path(tempfile.mkdtemp(prefix="klantsim-fuzz-"))
    export = sample_export(work) if results_every else b""
    tally: Counter = Counter()
    failures: list[dict] = []
    kinds: Counter = Counter()
    pending = list(range(first, first + cases))[::-1]
    made: dict[int, tuple[str, str, Path]] = {}
    selector = selectors.DefaultSelector()
    pool: list[Worker] = []
    started = time.monotonic()

    def next_task(worker: Worker) -> None:
        if not pending:
            worker.task = None
            return
        index = pending.pop()
        out = work / f"out{index}"
        out.mkdir()
        is_export = bool(results_every) and index % results_every == results_every - 1
        if is_export:
            kind, content = export_case(seed, index, export)
            base = "export.json"
            path = work / f"case{index}.json"
            path.write_bytes(content)
        else:
            kind, base, content = case(seed, index)
            path = prepare(kind, content, work, index)
        made[index] = (kind, base, path)
        kinds[kind.split(":")[0]] += 1
        worker.give({"index": index, "path": str(path), "seed": seed * 7919 + index, "out": str(out),
                     "export": is_export}, timeout)

    def finish(index: int, problems: list[str]) -> None:
        kind, base, path = made.pop(index)
        tally["cases"] += 1
        if problems:
            failures.append({"index": index, "kind": kind, "base": base, "problems": problems})
            for p in problems:
                tally[p.split(":")[0]] += 1
            if keep is not None and path.is_file():
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, keep / f"seed{seed}-case{index}-{kind.replace(':', '-')}.yaml")
        remove(path)
        shutil.rmtree(work / f"out{index}", ignore_errors=True)

    def start_worker(number: int) -> Worker:
        w = Worker(number)
        selector.register(w.proc.stdout, selectors.EVENT_READ, w)
        next_task(w)
        return w

    def replace(w: Worker) -> None:
        selector.unregister(w.proc.stdout)
        pool.remove(w)
        if pending:
            pool.append(start_worker(w.number))

    try:
        for n in range(max(1, workers)):
            pool.append(start_worker(n))
        while any(w.task is not None for w in pool):
            wait = max(0.05, min(w.deadline for w in pool if w.task is not None) - time.monotonic())
            for key, _ in selector.select(timeout=wait):
                w: Worker = key.data
                line = w.proc.stdout.readline()
                if line:
                    reply = json.loads(line)
                    finish(reply["index"], reply["problems"])
                    next_task(w)
                    continue
                code = w.proc.wait()   # the worker died in the middle of its case
                if w.task is not None:
                    what = f"crash signal: {signal.Signals(-code).name}" if code < 0 else f"worker died: exit {code}"
                    finish(w.task["index"], [what])
                replace(w)
            now = time.monotonic()
            for w in list(pool):
                if w.task is not None and now > w.deadline:
                    w.kill()
                    finish(w.task["index"], [f"hang over {timeout:g} s: killed"])
                    replace(w)
    finally:
        for w in pool:
            w.kill()
        shutil.rmtree(work, ignore_errors=True)
    return {"cases": tally.pop("cases", 0), "seconds": round(time.monotonic() - started, 1), "seed": seed,
            "first": first, "kinds": dict(kinds), "failures": len(failures), "by_problem": dict(tally),
            "examples": failures[:20]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="index of the first case (to rerun one: --first N "
                                                               "--cases 1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a case counts as a hang")
    parser.add_argument("--keep", type=Path, default=ROOT / "test-output" / "fuzz-failures",
                        help="where failing inputs are copied")
    parser.add_argument("--results-every", type=int, default=10, metavar="N",
                        help="every Nth case is a mutated `export --json` file run through import and report "
                             "(0: none)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    summary = run(args.cases, args.seed, args.workers, args.timeout, args.keep, args.first, args.results_every)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"{summary['cases']} cases (seed {summary['seed']}) in {summary['seconds']} s: "
              f"{summary['failures']} failing")
        print("  mutations: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["kinds"].items())))
        for problem, count in sorted(summary["by_problem"].items()):
            print(f"  {count:5}  {problem}")
        for example in summary["examples"]:
            print(f"  case {example['index']} ({example['kind']} of {example['base']}): "
                  + "; ".join(example["problems"]))
    return 0 if summary["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
