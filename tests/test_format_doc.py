"""docs/formaat.md, the format reference, agrees with the loader, the vocabulary and the editor schema."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from simulator.diagnostics import CATALOGUE
from simulator.scenario.acts import ACTS, CHANNELS, ENDINGS, LANGUAGES, act_kind
from simulator.scenario.conditions import VARIABLES
from simulator.scenario.loader import CHOICE_KEYS, MAX_BYTES, NODE_KEYS, TOP_KEYS

DOC = (ROOT / "docs" / "formaat.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "scenarios" / "schema.json").read_text(encoding="utf-8"))


def table(marker: str) -> list[str]:
    """The first column (without backticks) of the table after `<!-- marker -->`."""
    block = DOC.split(f"<!-- {marker} -->", 1)[1].lstrip().split("\n\n", 1)[0]
    rows = [line for line in block.splitlines() if line.startswith("|")][2:]
    return [re.fullmatch(r"`([^`]+)`", row.split("|")[1].strip()).group(1) for row in rows]


def schema_values(part: dict) -> list:
    return part["enum"] if "enum" in part else [option["const"] for option in part["anyOf"]]


@pytest.mark.parametrize("marker,keys", [("keys:top", TOP_KEYS), ("keys:node", NODE_KEYS),
                                         ("keys:choice", CHOICE_KEYS), ("keys:customer", {"name", "anger", "trust"}),
                                         ("keys:route", {"if", "goto"})])
def test_every_key_the_loader_knows_is_documented_and_no_other(marker, keys):
    assert set(table(marker)) == set(keys)


def test_keys_agree_with_the_schema():
    assert set(table("keys:top")) == set(SCHEMA["properties"])
    assert set(table("keys:node")) == set(SCHEMA["definitions"]["node"]["properties"])
    assert set(table("keys:choice")) == set(SCHEMA["definitions"]["choice"]["properties"])
    assert set(table("keys:customer")) == set(SCHEMA["properties"]["customer"]["properties"])


def test_values_follow_the_vocabulary_in_its_order():
    assert table("values:channel") == list(CHANNELS) == schema_values(SCHEMA["properties"]["channel"])
    assert table("values:ending") == list(ENDINGS)
    assert table("values:variable") == list(VARIABLES)
    for language in LANGUAGES:
        assert f"`{language}`" in DOC


def test_every_act_is_listed_under_its_kind_including_rubric_2():
    for kind in ("step", "boundary", "mistake"):
        listed = table(f"acts:{kind}")
        assert listed == [a for a in ACTS if act_kind(a) == kind], kind
    assert "`neutral`" in DOC and {"overdo_empathy", "vague_promise"} <= set(table("acts:mistake"))


def test_limits_and_links():
    assert f"{MAX_BYTES // (1024 * 1024)} MB" in DOC
    assert "2 tot en met 6 keuzes" in DOC and "0 tot en met 100" in DOC
    assert "../README.md#how-the-game-judges-the-rubric" in DOC
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## How the game judges: the rubric" in readme
    assert "handleiding-scenario-schrijven.md" in DOC


def test_messages_point_to_a_page_that_exists():
    for code in CATALOGUE.values():
        for page in re.findall(r"docs/[\w-]+\.md", code.fix_nl + code.fix_en):
            assert (ROOT / page).exists(), page
