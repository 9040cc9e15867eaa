"""`new ID`: the starting scenario is valid, playable, explained key by key in Dutch, and never overwrites."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from conftest import ROOT
from simulator.analysis.search import analyse
from simulator.analysis.checks import analysis_checks
from simulator.scenario.loader import CHOICE_KEYS, NODE_KEYS, TOP_KEYS, load_file
from test_trainer_cli import no_traceback, run


def make(tmp_path: Path, scenario_id: str = "mijn-eerste") -> Path:
    target = tmp_path / f"{scenario_id}.nl.yaml"
    r = run("new", scenario_id, "-o", str(target))
    assert r.returncode == 0, r.stderr
    assert str(target) in r.stdout and "validate" in r.stdout
    return target


def test_new_scenario_loads_without_any_diagnostic(tmp_path):
    target = make(tmp_path)
    result = load_file(target)
    assert result.ok and result.diagnostics == []
    assert result.scenario.id == "mijn-eerste" and result.scenario.language == "nl"
    assert analysis_checks(result.scenario) == []


def test_new_scenario_passes_validate_and_the_schema_it_names(tmp_path):
    target = make(tmp_path)
    r = run("validate", str(target))
    assert r.returncode == 0 and "0 errors, 0 warnings" in r.stdout
    first = target.read_text(encoding="utf-8").splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, first
    schema_path = (target.parent / m.group(1)).resolve()
    assert schema_path == (ROOT / "scenarios" / "schema.json").resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(target.read_text(encoding="utf-8")), schema)


def test_new_scenario_can_be_won_and_teaches_steps_boundaries_and_mistakes(tmp_path):
    scenario = load_file(make(tmp_path)).scenario
    analysis = analyse(scenario)
    assert analysis.best.score == 100 and analysis.best.ending == "satisfied"
    assert analysis.best.steps == list(scenario.assess)
    acts = {c.act for n in scenario.nodes.values() for c in n.choices}
    assert {"set_limit", "justify", "give_in"} <= acts
    assert any(n.abusive for n in scenario.nodes.values())
    r = run("play", "--text", "--scenario", str(tmp_path / "mijn-eerste.nl.yaml"), "--choices",
            ",".join(map(str, analysis.best.choices)), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["score"] == 100


def test_every_key_is_explained_in_dutch_where_it_first_appears(tmp_path):
    lines = make(tmp_path).read_text(encoding="utf-8").splitlines()
    explained = set()
    for line in lines:
        m = re.match(r"\s*(?:- )?([a-z_]+):", line)
        if m and m.group(1) in TOP_KEYS | NODE_KEYS | CHOICE_KEYS | {"name", "anger", "trust", "goto"}:
            key = m.group(1)
            if key not in explained:
                assert "#" in line, f"key '{key}' is not explained: {line!r}"
                explained.add(key)
    # Every key of the format appears (and so is explained), except the optional ones a start needs less.
    assert explained >= TOP_KEYS and explained >= NODE_KEYS and explained >= CHOICE_KEYS
    dutch = {"wat", "de", "het", "een", "klant", "mag", "weg"}
    comments = " ".join(line.split("#", 1)[1] for line in lines if "#" in line).lower().split()
    assert len(dutch & set(comments)) >= 5


def test_new_refuses_to_overwrite_and_bad_ids(tmp_path):
    target = make(tmp_path)
    before = target.read_text(encoding="utf-8")
    r = run("new", "mijn-eerste", "-o", str(target))
    assert r.returncode == 1 and "already exists" in r.stderr and "--force" in r.stderr
    assert target.read_text(encoding="utf-8") == before
    no_traceback(r)
    r = run("new", "Mijn Eerste", "-o", str(tmp_path / "x.yaml"))
    assert r.returncode == 2 and "not a valid id" in r.stderr
    r = run("new", "goed", "-o", str(tmp_path / "geen-map" / "x.yaml"))
    assert r.returncode == 2 and "does not exist" in r.stderr
    no_traceback(r)
