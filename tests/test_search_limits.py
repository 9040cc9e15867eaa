"""A file built to defeat the search (mood changed by every choice and read by conditions, flags, loops): the search
stops at its limit and `validate` says so once (KS106), without claiming what it did not prove (unreachable or stuck
nodes, a best score below 100)."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, scenario_from
from benchmarks.scenario_bench import generate_mood
from simulator.analysis.checks import analysis_checks
from simulator.analysis.search import analyse


def test_a_search_cut_off_claims_nothing_it_did_not_prove():
    scenario = scenario_from(generate_mood(2_000))
    analysis = analyse(scenario, max_states=20_000)
    assert not analysis.complete
    # the nodes near the end were not reached before the limit: they are not called unreachable
    assert set(scenario.nodes) - analysis.reachable_nodes
    codes = [d.code for d in analysis_checks(scenario, analysis)]
    assert codes == ["KS106"]


def test_a_small_file_of_the_same_shape_is_searched_completely_and_is_clean():
    scenario = scenario_from(generate_mood(24))
    analysis = analyse(scenario)
    assert analysis.complete and analysis.reaches_100
    assert analysis_checks(scenario, analysis) == []


def test_validate_of_a_file_that_defeats_the_search_answers_with_the_warning(tmp_path):
    path = tmp_path / "stemming.yaml"
    path.write_text(generate_mood(2_000), encoding="utf-8")
    out = subprocess.run([sys.executable, "main.py", "validate", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "[KS106]" in out.stdout and "[KS101]" not in out.stdout and "Traceback" not in out.stderr
