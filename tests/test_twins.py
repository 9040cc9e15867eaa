"""Each bundled Dutch scenario and its English twin are the same conversation: same nodes, acts, effects,
conditions and routes; only the words differ. A trainer who fixes a label in one file must fix the other."""
from __future__ import annotations

import pytest

from conftest import ROOT, load_ok

SCENARIOS = ROOT / "scenarios"
DUTCH = sorted(SCENARIOS.glob("*.nl.yaml"))


def shape(scenario) -> dict:
    """Everything about a scenario that is not wording, in a form that compares and prints well."""
    nodes = {}
    for node in scenario.nodes.values():
        nodes[node.id] = {
            "abusive": node.abusive,
            "ending": node.ending,
            "choices": [
                {"act": c.act, "effect": (c.anger, c.trust), "set": c.sets,
                 "if": c.when.source if c.when else None,
                 "next": [(r.when.source if r.when else None, r.goto) for r in c.routes]}
                for c in node.choices],
        }
    return {"id": scenario.id, "difficulty": scenario.difficulty, "channel": scenario.channel,
            "assess": scenario.assess, "start": scenario.start,
            "mood": (scenario.customer.anger, scenario.customer.trust), "order": list(scenario.nodes), "nodes": nodes}


def test_every_dutch_scenario_has_an_english_twin_and_back():
    english = sorted(SCENARIOS.glob("*.en.yaml"))
    assert [p.name.replace(".nl.", ".") for p in DUTCH] == [p.name.replace(".en.", ".") for p in english]


@pytest.mark.parametrize("dutch", DUTCH, ids=[p.name.split(".")[0] for p in DUTCH])
def test_dutch_and_english_twins_have_the_same_structure(dutch):
    nl, en = shape(load_ok(dutch)), shape(load_ok(dutch.with_name(dutch.name.replace(".nl.", ".en."))))
    assert nl["order"] == en["order"], "the twins have different node ids or a different node order"
    for nid in nl["order"]:
        assert nl["nodes"][nid] == en["nodes"][nid], f"node '{nid}' differs between the Dutch and English file"
    assert nl == en


def test_the_shape_sees_a_changed_act(tmp_path):
    """The comparison is not blind: one relabelled choice in a copy makes the shapes differ."""
    dutch = SCENARIOS / "starter.nl.yaml"
    text = dutch.read_text(encoding="utf-8")
    changed = tmp_path / "starter.nl.yaml"
    changed.write_text(text.replace("act: ignore", "act: neutral", 1), encoding="utf-8")
    assert shape(load_ok(dutch)) != shape(load_ok(changed))
