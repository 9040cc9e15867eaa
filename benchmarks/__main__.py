"""`python -m benchmarks` (or `make bench`): every benchmark module, each figure against a baseline measured in the
same run; the figures are also written to benchmarks/results.json (the run before is kept as
results-previous.json), so `make bench-compare` can print old against new.

    python -m benchmarks                 every module benchmarks/*_bench.py
    python -m benchmarks scenario game   some of them (a module's name without `_bench`)
    python -m benchmarks compare [OLD [NEW]]   old against new per figure (default: the last two runs)

A module plugs in by its name alone: it exposes `run()` (returning rows: dicts of JSON values) and
`print_table(rows)`, or else `main()` (then it prints its own figures and nothing goes to results.json).
"""
from __future__ import annotations

import datetime
import importlib
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

RESULTS = HERE / "results.json"
PREVIOUS = HERE / "results-previous.json"
# In this order; any other module after them, by name.
FIRST = ("scenario", "graph", "game", "recognition", "results", "dist")


def discover() -> list[str]:
    names = [p.name[: -len("_bench.py")] for p in HERE.glob("*_bench.py")]
    return sorted(names, key=lambda n: (FIRST.index(n) if n in FIRST else len(FIRST), n))


def title(module) -> str:
    doc = (module.__doc__ or module.__name__).strip()
    return doc.split("\n\n")[0].replace("\n", " ")


def run(names: list[str]) -> int:
    known = discover()
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known)} (or 'compare')", file=sys.stderr)
        return 2
    chosen = names or known
    results = {"modules": {}}
    if RESULTS.exists():
        try:
            results = json.loads(RESULTS.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    previous = json.dumps(results, indent=1)
    started = time.perf_counter()
    for name in chosen:
        module = importlib.import_module(f"benchmarks.{name}_bench")
        print(f"## {name}: {title(module)}\n", flush=True)
        print(f"[{name}: running, {time.perf_counter() - started:.0f} s so far]", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        if hasattr(module, "run") and hasattr(module, "print_table"):
            rows = module.run()
            module.print_table(rows)
            results.setdefault("modules", {})[name] = {"rows": rows, "seconds": round(time.perf_counter() - t0, 1)}
        elif hasattr(module, "main"):
            module.main()
        else:
            print(f"(benchmarks/{name}_bench.py has neither run() and print_table() nor main())")
        print(flush=True)
    results.update({"when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "python": platform.python_version(), "machine": platform.machine(), "cores": os.cpu_count(),
                    "load_average": round(os.getloadavg()[0], 2)})
    if RESULTS.exists():
        PREVIOUS.write_text(previous + "\n", encoding="utf-8")
    RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"[all done in {time.perf_counter() - started:.0f} s; figures in {RESULTS.relative_to(HERE.parent)}; "
          f"`make bench-compare` prints them against the run before]", file=sys.stderr)
    return 0


# -- compare ------------------------------------------------------------------------------------------------------
def figures(results: dict) -> dict[str, object]:
    """Every figure of a results file as "module · row · field" -> value, whatever shape a module's rows have: a
    list of rows is labelled by each row's first field, a dict by its keys; [min, median, max] is one figure."""
    out: dict[str, object] = {}

    def leaf(value) -> bool:
        return not isinstance(value, (dict, list)) or _spread(value)

    def walk(value, label: str) -> None:
        if leaf(value):
            out[label] = value
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{label} · {key}")
        else:
            for index, item in enumerate(value):
                if isinstance(item, dict) and item:
                    first = next(iter(item))
                    name = f"{first}={item[first]}" if not isinstance(item[first], str) else item[first]
                    for key, field in list(item.items())[1:]:
                        walk(field, f"{label} · {name} · {key}")
                else:
                    walk(item, f"{label} · {index}")

    for module, data in results.get("modules", {}).items():
        if isinstance(data, dict) and "rows" in data:
            walk(data["rows"], module)
    return out


def _spread(value) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(isinstance(v, (int, float)) for v in value)


def _number(value) -> float | None:
    """The figure's middle number: a median of [min, median, max], a number, or the first number in a text."""
    if _spread(value):
        return float(value[1])
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        m = re.search(r"-?\d[\d,]*\.?\d*", value)
        return float(m.group().replace(",", "")) if m else None
    return None


def _show(value) -> str:
    if _spread(value):
        return f"{value[1]:,.2f} ({value[0]:,.2f}–{value[2]:,.2f})"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def compare(old_path: Path, new_path: Path) -> int:
    try:
        old, new = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (old_path, new_path))
    except FileNotFoundError as exc:
        print(f"no results at {exc.filename}: run `make bench` (twice, to have an old and a new run)", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"a results file is not JSON ({exc}); run `make bench` again", file=sys.stderr)
        return 1
    a, b = figures(old), figures(new)
    print(f"old: {old.get('when', '?')} (load average {old.get('load_average', '?')})  "
          f"new: {new.get('when', '?')} (load average {new.get('load_average', '?')})\n")
    print("| figure | old | new | change |")
    print("|---|---:|---:|---:|")
    for key in list(dict.fromkeys([*a, *b])):
        x, y = a.get(key), b.get(key)
        nx, ny = _number(x), _number(y)
        change = f"{(ny - nx) / nx * 100:+.0f} %" if nx and ny is not None else ""
        print(f"| {key} | {_show(x) if x is not None else '–'} | {_show(y) if y is not None else '–'} | {change} |")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["compare"]:
        paths = argv[1:3]
        old = Path(paths[0]) if paths else PREVIOUS
        new = Path(paths[1]) if len(paths) > 1 else RESULTS
        return compare(old, new)
    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
