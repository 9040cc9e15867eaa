"""The benchmark runner: it finds every benchmarks/*_bench.py, refuses an unknown name with one line, and compares
two runs figure by figure. (No timings are asserted here: speed is measured by `make bench`, against baselines.)"""
from __future__ import annotations

import json
import math
import subprocess
import sys

from conftest import ROOT
from benchmarks import __main__ as runner
from benchmarks.scenario_bench import exponent, generate, generate_mood
from simulator.scenario.loader import load_text


def test_every_bench_module_is_found_in_the_runner_order():
    found = runner.discover()
    assert found[:len(runner.FIRST)] == list(runner.FIRST)
    assert set(found) == {p.name[: -len("_bench.py")] for p in (ROOT / "benchmarks").glob("*_bench.py")}


def test_an_unknown_benchmark_is_one_clear_line_and_exit_2():
    out = subprocess.run([sys.executable, "-m", "benchmarks", "nonsense"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2 and "unknown benchmark(s): nonsense" in out.stderr and "scenario" in out.stderr
    assert "Traceback" not in out.stderr


def test_compare_prints_old_and_new_per_figure(tmp_path, capsys):
    old = {"when": "a", "modules": {"scenario": {"rows": [{"nodes": 100, "load_ratio": [1.0, 2.0, 3.0]}]},
                                    "game": {"rows": [{"measure": "start-up", "game": "150 ms"}]}}}
    new = {"when": "b", "modules": {"scenario": {"rows": [{"nodes": 100, "load_ratio": [1.0, 1.5, 2.0]}]},
                                    "game": {"rows": [{"measure": "start-up", "game": "120 ms"}]}}}
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    assert runner.compare(tmp_path / "old.json", tmp_path / "new.json") == 0
    out = capsys.readouterr().out
    assert "| scenario · nodes=100 · load_ratio | 2.00 (1.00–3.00) | 1.50 (1.00–2.00) | -25 % |" in out
    assert "| game · start-up · game | 150 ms | 120 ms | -20 % |" in out


def test_compare_without_results_says_what_to_do(tmp_path, capsys):
    assert runner.compare(tmp_path / "none.json", tmp_path / "new.json") == 1
    assert "run `make bench`" in capsys.readouterr().err


def test_the_growth_exponent_of_linear_and_quadratic_series():
    sizes = [1_000, 5_000, 20_000]
    assert math.isclose(exponent(sizes, [2 * n for n in sizes]), 1.0)
    assert math.isclose(exponent(sizes, [n * n for n in sizes]), 2.0)


def test_the_generated_files_are_valid_scenarios():
    for text in (generate(100), generate_mood(100)):
        result = load_text(text)
        assert result.ok, [str(d) for d in result.diagnostics if d.is_error][:3]


def test_a_benchmark_child_measures_five_runs_of_both_sides_in_its_own_process():
    from simulator.analysis.search import analyse

    out = subprocess.run([sys.executable, "-m", "benchmarks.scenario_bench", "child", "analysis", "100"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(figures["base"]) == len(figures["subject"]) == 5
    assert all(t > 0 for t in figures["base"] + figures["subject"])
    assert figures["states"] == analyse(load_text(generate(100)).scenario).states and figures["complete"]


def test_compare_reads_rows_of_any_shape():
    results = {"modules": {"game": {"rows": {"dummy": [{"measure": "start-up", "ratio": 1.5}], "x11": None}},
                           "recognition": {"rows": {"median_ms": 0.4, "spread": [1.0, 2.0, 3.0]}},
                           "dist": {"rows": None}}}
    assert runner.figures(results) == {"game · dummy · start-up · ratio": 1.5, "game · x11": None,
                                       "recognition · median_ms": 0.4, "recognition · spread": [1.0, 2.0, 3.0],
                                       "dist": None}
