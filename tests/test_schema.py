"""scenarios/schema.json (for editors) and the loader agree: on every good file, and on the mistakes both can see."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from simulator.scenario import loader, model
from simulator.analysis.checks import analysis_checks
from simulator.scenario.loader import load_file, load_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "scenarios" / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)

# Codes a JSON Schema can express. The rest need the whole file (references, reachability, conditions,
# YAML syntax, aliases, duplicate keys, ids across files) and only the loader sees them.
SCHEMA_CATCHES = {"KS006", "KS007", "KS008", "KS010", "KS011", "KS012", "KS017", "KS018", "KS019", "KS020",
                  "KS021", "KS023", "KS024", "KS025", "KS105"}
GOOD_FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "tests" / "golden").glob("*.yaml"))
INVALID_FILES = sorted((ROOT / "tests" / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"#\s*expect:\s*(KS\d{3})")
# In JSON every key is text, so a node id that YAML turns into `false` or a number is the loader's alone.
SCHEMA_CANNOT_SEE = {"yaml-node-id.yaml"}


def schema_errors(data) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(data)]


def test_schema_is_a_valid_draft7_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def values(part: dict) -> list:
    """The allowed values of an enum, written either as `enum` or as `anyOf` consts with a description each."""
    return part["enum"] if "enum" in part else [option["const"] for option in part["anyOf"]]


# Every keyword of JSON Schema draft-07. A validator in strict mode (ajv's default) refuses any other keyword,
# such as the editor-only `enumDescriptions` or `defaultSnippets`.
DRAFT7_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "readOnly", "writeOnly", "examples",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
    "pattern", "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties",
    "minProperties", "required", "additionalProperties", "definitions", "properties", "patternProperties",
    "dependencies", "propertyNames", "const", "enum", "type", "format", "contentMediaType", "contentEncoding",
    "if", "then", "else", "allOf", "anyOf", "oneOf", "not"}
NAMED_CHILDREN = {"properties", "definitions", "patternProperties", "dependencies"}


def unknown_keywords(schema, where: str = "#") -> list[str]:
    found = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key not in DRAFT7_KEYWORDS:
                found.append(f"{where}/{key}")
            elif key in NAMED_CHILDREN:
                for name, sub in value.items():
                    found += unknown_keywords(sub, f"{where}/{key}/{name}")
            elif key not in ("enum", "const", "examples", "default", "required"):
                found += unknown_keywords(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, item in enumerate(schema):
            found += unknown_keywords(item, f"{where}/{i}")
    return found


def test_schema_uses_only_standard_keywords_so_strict_validators_accept_it():
    assert unknown_keywords(SCHEMA) == []
    assert unknown_keywords({"properties": {"a": {"enumDescriptions": []}}}) == ["#/properties/a/enumDescriptions"]


def test_ajv_in_its_default_strict_mode_accepts_the_schema_and_a_scenario(tmp_path):
    import shutil
    import subprocess

    ajv = shutil.which("ajv") or shutil.which("ajv", path=str(ROOT / "node_modules" / ".bin"))
    if ajv is None:
        pytest.skip("ajv-cli is not installed (.ci/run installs it with npm where node is present)")
    data = tmp_path / "starter.json"
    data.write_text(json.dumps(yaml.safe_load((ROOT / "scenarios" / "starter.nl.yaml").read_text(encoding="utf-8"))))
    done = subprocess.run([ajv, "validate", "-s", str(ROOT / "scenarios" / "schema.json"), "-d", str(data)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "strict mode" not in done.stderr, done.stderr
    broken = dict(yaml.safe_load((ROOT / "scenarios" / "starter.nl.yaml").read_text(encoding="utf-8")), difficulty=9)
    data.write_text(json.dumps(broken))
    done = subprocess.run([ajv, "validate", "-s", str(ROOT / "scenarios" / "schema.json"), "-d", str(data)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0


def test_schema_lists_exactly_the_loaders_keys_and_values():
    props = SCHEMA["properties"]
    node = SCHEMA["definitions"]["node"]["properties"]
    choice = SCHEMA["definitions"]["choice"]["properties"]
    assert set(props) == loader.TOP_KEYS
    assert set(node) == loader.NODE_KEYS
    assert set(choice) == loader.CHOICE_KEYS
    assert values(choice["act"]) == list(model.ACTS)
    assert all(option["description"] for option in choice["act"]["anyOf"])   # the editor shows these in Dutch
    assert values(node["ending"]) == list(model.ENDINGS)
    assert values(props["channel"]) == list(model.CHANNELS)
    assert values(props["language"]) == list(model.LANGUAGES)
    assert values(props["assess"]["items"]) == list(model.STEPS)
    assert props["id"]["pattern"].rstrip("$").lstrip("^") == loader.SCENARIO_ID.pattern.replace("\\Z", "")


def test_there_are_good_files_to_check():
    assert len(GOOD_FILES) >= 3


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_every_bundled_and_golden_file_passes_schema_and_loader(path):
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def _expected_codes(path: Path) -> set[str]:
    return set(EXPECT.findall(path.read_text(encoding="utf-8")))


def test_invalid_files_carry_expectations():
    assert INVALID_FILES, "tests/invalid/ holds the broken files"
    assert all(_expected_codes(p) for p in INVALID_FILES)


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.name)
def test_invalid_file_that_the_schema_can_catch_fails_both(path):
    codes = _expected_codes(path)
    catchable = codes & SCHEMA_CATCHES
    result = load_file(path)
    found = {d.code for d in result.diagnostics}
    if result.ok:
        found |= {d.code for d in analysis_checks(result.scenario)}
    if not catchable or path.name in SCHEMA_CANNOT_SEE:
        # Outside what a schema can see (syntax, aliases, references, reachability, conditions): the
        # loader alone reports it; test_loader checks the exact diagnostics.
        assert codes <= found
        return
    assert catchable <= found
    if any(model_code_is_error(c) for c in catchable):
        assert not result.ok
    assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))), f"schema accepts {path.name}"


def model_code_is_error(code: str) -> bool:
    from simulator.diagnostics import CATALOGUE

    return CATALOGUE[code].severity == "error"


# -- single mistakes made in a good file: both must refuse it ---------------------------------------------

BASE = (ROOT / "scenarios" / "starter.nl.yaml").read_text(encoding="utf-8")


def _first_choice(data):
    return data["nodes"][data["start"]]["choices"][0]


def _ending_node(data):
    return next(n for n in data["nodes"].values() if "ending" in n)


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(*path):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


MISTAKES = {
    "missing title": ("KS006", _delete("title")),
    "title is a list": ("KS007", _set(["title"], ["Kapot"])),
    "title No read as false": ("KS008", _set(["title"], False)),
    "channel fax": ("KS010", _set(["channel"], "fax")),
    "unknown act": ("KS011", lambda d: _first_choice(d).update(act="luisteren")),
    "unknown ending": ("KS012", lambda d: _ending_node(d).update(ending="happy")),
    "one choice": ("KS017", lambda d: d["nodes"][d["start"]].update(choices=d["nodes"][d["start"]]["choices"][:1])),
    "seven choices": ("KS017", lambda d: d["nodes"][d["start"]].update(
        choices=(d["nodes"][d["start"]]["choices"] * 3)[:7])),
    "ending with choices": ("KS018", lambda d: _ending_node(d).update(
        choices=copy.deepcopy(d["nodes"][d["start"]]["choices"]))),
    "no choices and no ending": ("KS017", lambda d: d["nodes"][d["start"]].pop("choices")),
    "routing with no fallback": ("KS019", lambda d: _first_choice(d).update(
        next=[{"if": "anger > 50", "goto": d["start"]}])),
    "difficulty 4": ("KS020", _set(["difficulty"], 4)),
    "anger 150": ("KS020", lambda d: d["customer"].update(anger=150)),
    "scenario id with capitals": ("KS021", _set(["id"], "Pakket Kwijt")),
    "node id with a dash": ("KS021", lambda d: d["nodes"].update({"mijn-node": {"say": "x", "ending": "lost"}})),
    "format 2": ("KS023", _set(["format"], 2)),
    "no say": ("KS024", lambda d: d["nodes"][d["start"]].pop("say")),
    "unknown step": ("KS025", _set(["assess"], ["listen", "smile"])),
    "customer without name": ("KS006", lambda d: d["customer"].pop("name")),
    "empty text": ("KS007", lambda d: _first_choice(d).update(text="  ")),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_single_mistake_fails_schema_and_loader(name):
    code, change = MISTAKES[name]
    data = yaml.safe_load(BASE)
    assert schema_errors(data) == []
    change(data)
    assert schema_errors(data), f"the schema accepts: {name}"
    result = load_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "mistake.yaml")
    assert not result.ok
    assert code in {d.code for d in result.diagnostics}, [str(d) for d in result.diagnostics]


def test_unknown_key_is_underlined_by_the_schema_and_refused_by_the_loader():
    data = yaml.safe_load(BASE)
    _first_choice(data)["feedbak"] = "typo"
    assert any("feedbak" in m for m in schema_errors(data))
    result = load_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "typo.yaml")
    assert "KS105" in {d.code for d in result.diagnostics}
