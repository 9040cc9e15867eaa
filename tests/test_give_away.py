"""The give-away warnings: a scenario whose right answer is the longest option at most nodes (KS107), or a node
where every option but one is a mistake (KS108), tells the player the answer without any thinking."""
from __future__ import annotations

from conftest import ROOT
from simulator.scenario.checks import GIVE_AWAY_MIN_NODES, is_right_answer
from simulator.scenario.loader import load_text

INVALID = ROOT / "tests" / "invalid"


def codes(text: str) -> list[tuple[str, str]]:
    result = load_text(text, "give-away.yaml")
    assert result.ok, [str(d) for d in result.diagnostics]
    return [(d.code, d.message.split("'")[1] if "'" in d.message else "") for d in result.diagnostics]


def test_a_node_where_all_but_one_option_is_a_mistake_is_named():
    text = (INVALID / "give-away-elimination.yaml").read_text(encoding="utf-8")
    assert codes(text) == [("KS108", "n3")]


def test_a_second_plausible_option_silences_the_elimination_warning():
    text = (INVALID / "give-away-elimination.yaml").read_text(encoding="utf-8")
    fixed = text.replace("act: interrupt", "act: neutral", 1)
    assert codes(fixed) == []


def test_right_answers_that_are_always_the_longest_are_named():
    text = (INVALID / "give-away-length.yaml").read_text(encoding="utf-8")
    assert [code for code, _ in codes(text)] == ["KS107"]


def test_varying_the_lengths_at_more_than_half_of_the_nodes_silences_the_length_warning():
    text = (INVALID / "give-away-length.yaml").read_text(encoding="utf-8")
    long_text = "Ik laat u rustig uitpraten, ik luister naar alles wat u mij wilt vertellen, neemt u de tijd."
    # Four of the seven right answers become short: the longest option is then right at three nodes of seven.
    for _ in range(4):
        text = text.replace(f'"{long_text}"', '"Ja."', 1)
    assert codes(text) == []
    # Three short ones are not enough: four of seven is still more than half.
    text = (INVALID / "give-away-length.yaml").read_text(encoding="utf-8")
    for _ in range(3):
        text = text.replace(f'"{long_text}"', '"Ja."', 1)
    assert [code for code, _ in codes(text)] == ["KS107"]


def test_a_limit_is_only_a_right_answer_to_an_abusive_line():
    text = (INVALID / "give-away-length.yaml").read_text(encoding="utf-8")
    scenario = load_text(text.replace("act: listen", "act: set_limit"), "x.yaml").scenario
    node = scenario.nodes["n1"]
    assert not is_right_answer(node, node.choices[0])
    abusive = load_text(text.replace("act: listen", "act: set_limit").replace(
        '  n1:\n    say:', '  n1:\n    abusive: true\n    say:', 1), "x.yaml").scenario.nodes["n1"]
    assert is_right_answer(abusive, abusive.choices[0])


def test_a_short_draft_is_not_judged_on_give_aways():
    """A first draft from `new` or a rules fixture may contrast one answer with mistakes on purpose."""
    text = (INVALID / "give-away-elimination.yaml").read_text(encoding="utf-8")
    scenario = load_text(text, "x.yaml").scenario
    assert len(scenario.nodes) >= GIVE_AWAY_MIN_NODES
    # Drop the two last endings and route to the one before: fewer nodes than a training scenario.
    short = text.replace("next: e8", "next: e7")
    short = short.split("  e8:")[0]
    for i in (1, 2, 4, 5, 6):
        short = short.replace(f"next: e{i}\n", "next: e7\n")
        short = short.split(f"  e{i}:\n    say: \"Dag.\"\n    ending: dissatisfied\n")[0] + \
            "".join(short.split(f"  e{i}:\n    say: \"Dag.\"\n    ending: dissatisfied\n")[1:])
    result = load_text(short, "x.yaml")
    assert result.ok and len(result.scenario.nodes) < GIVE_AWAY_MIN_NODES
    assert [d.code for d in result.diagnostics] == []
