"""The engine plays from tables shipped in simulator/engine/rule_tables.py; the `transitions` machines in
machines.py stay the definition. These tests run the machines and fail when the shipped tables say otherwise."""
from __future__ import annotations

import itertools
import json
import subprocess
import sys

from simulator.engine import machines
from simulator.scenario.acts import LADDER_ACTS, STEPS

FIX = f"the shipped rule tables differ from the machines in machines.py: run `{machines.REGENERATE}` and commit " \
      "simulator/engine/rule_tables.py"


def every_assessed() -> list[tuple[str, ...]]:
    """Every set of assessed steps a scenario can have (in the method's order), the empty one included: 64."""
    return [combo for n in range(len(STEPS) + 1) for combo in itertools.combinations(STEPS, n)]


def test_the_step_phase_the_engine_uses_is_what_its_machine_does_for_every_set_of_assessed_steps():
    for assessed in every_assessed():
        compiled = machines.compile_step_phase(assessed)
        assert machines.step_phase_table(assessed) == compiled, f"{FIX} (assessed steps: {assessed})"
        assert len(compiled) == (len(assessed) + 1) ** 2   # every (state, trigger) pair


def test_the_boundary_ladder_the_engine_uses_is_what_its_machine_does():
    compiled = machines.compile_ladder()
    assert machines.ladder_table() == compiled, FIX
    assert set(compiled) == {(s, t) for s in ("calm", "limit_set", "warned", "ended") for t in LADDER_ACTS}


def test_the_shipped_file_is_exactly_what_the_generator_writes():
    assert machines.TABLES_FILE.read_text(encoding="utf-8") == machines.tables_source(), FIX


def test_a_changed_machine_is_caught(monkeypatch):
    """The check above can fail: a machine changed after the tables were written disagrees with them."""
    build = machines.build_step_phase

    def changed(assessed):
        machine = build(assessed)
        for transition in machine.get_transitions("fall_back"):
            transition.dest = None   # a back-to-step-1 act no longer goes back to the start
        return machine

    monkeypatch.setattr(machines, "build_step_phase", changed)
    assessed = ("listen", "ask")
    assert machines.step_phase_table(assessed) != machines.compile_step_phase(assessed)
    assert machines.tables_source() != machines.TABLES_FILE.read_text(encoding="utf-8")


def test_a_conversation_never_imports_transitions():
    """The engine reads the shipped tables: playing a scenario through loads neither transitions nor logging."""
    code = ("import sys, json; from simulator.scenario.loader import load_file\n"
            "from simulator.engine.session import Session\n"
            "s = Session(load_file('tests/golden/regels.yaml').scenario)\n"
            "while not s.finished: s.choose(0)\n"
            "s.scorecard(); print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('transitions', 'logging', 'six'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(machines.TABLES_FILE.parents[2])).stdout
    assert json.loads(out) == []
