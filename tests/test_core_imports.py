"""The core never imports pygame: a front end is a layer on top, not a dependency of the rules."""
import subprocess
import sys

from conftest import ROOT


def test_importing_the_core_leaves_pygame_out():
    code = ("import sys; import simulator.scenario.loader, simulator.analysis.search, simulator.scenario.library, "
            "simulator.engine.session, simulator.scoring.scorecard, simulator.cli, simulator.text_ui; "
            "import simulator.results; "
            "print('pygame' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
