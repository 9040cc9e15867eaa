"""The fuzz harness as a smoke test: 1,000 mutated scenarios through every command, in worker processes, with
no traceback, crash signal, hang, stray exit code or broken diagnostic line. (`make fuzz` runs 10,000.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT
from fuzz.mutate import BASES, KINDS, case
from fuzz.worker import run_case


def test_a_thousand_mutated_cases_break_nothing(tmp_path):
    # every 10th case (the default) is a mutated results export, run through `import` and `report`
    done = subprocess.run([sys.executable, "-m", "fuzz", "--cases", "1000", "--workers", "2", "--seed", "7",
                           "--keep", str(tmp_path / "failures"), "--json"], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)
    summary = json.loads(done.stdout)
    assert summary["cases"] == 1000
    assert summary["failures"] == 0, json.dumps(summary["examples"], ensure_ascii=False, indent=1)
    assert done.returncode == 0
    assert set(KINDS) <= set(summary["kinds"]), "every kind of mutation was tried"
    exports = sum(n for kind, n in summary["kinds"].items() if kind.startswith("export_"))
    assert exports == 100, "every 10th case was a mutated results export"


def test_cases_are_reproducible_and_cover_every_bundled_scenario():
    assert case(3, 41) == case(3, 41)
    assert case(3, 41) != case(4, 41)
    assert {case(1, i)[1] for i in range(len(BASES))} == {b.name for b in BASES}


def test_the_worker_reports_what_it_must_count(tmp_path):
    """A checker that cannot fail proves nothing: a diagnostic split over two lines and a traceback are seen."""
    from fuzz import worker

    assert worker._problems("validate", "x.yaml", 1, "x.yaml:1:1: error: a\nb [KS001]\n1 file checked: 1 error, 0 "
                            "warnings\n", "", None)
    assert worker._problems("analyse", "x.yaml", None, "", "", "Traceback...\nValueError: boom\n")
    assert worker._problems("graph", "x.yaml", 3, "", "", None)
    assert not worker._problems("validate", "x.yaml", 1, "x.yaml:1:1: error: a. b [KS001]\n1 file checked: 1 error,"
                                " 0 warnings\n", "", None)
    assert not worker._problems("validate", "x.yaml", 1, "x.yaml:1:1: error: a. b [KS001]\n1 bestand gecontroleerd: "
                                "1 fout, 0 waarschuwingen\n", "", None), "LANG=C gives the Dutch summary"
    from fuzz.mutate import sample_export

    export = tmp_path / "export.json"
    export.write_bytes(sample_export(tmp_path))
    (tmp_path / "eo").mkdir()
    assert run_case({"index": 9, "path": str(export), "seed": 9, "out": str(tmp_path / "eo"), "export": True}) == \
        {"index": 9, "problems": []}
    assert (tmp_path / "eo" / "r.html").stat().st_size > 1000, "the report of the imported export was written"
    path = tmp_path / "s.nl.yaml"
    path.write_bytes((ROOT / "scenarios" / "starter.nl.yaml").read_bytes())
    os.mkdir(tmp_path / "out")
    for index in range(3):
        assert run_case({"index": index, "path": str(path), "seed": index, "out": str(tmp_path / "out")}) == \
            {"index": index, "problems": []}
