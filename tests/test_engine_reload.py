"""Session.replay_turns: after the author edits the file, the path played so far is kept where it still exists
(same node; the choice with the same text, else the same place in the file), and stops where it does not."""
from __future__ import annotations

from dataclasses import replace

from conftest import ROOT, scenario_from
from simulator.engine.session import Session

WINKEL = (ROOT / "tests" / "fixtures" / "game" / "winkel.nl.yaml").read_text(encoding="utf-8")
PATH = [1, 1, 1, 1, 1, 1]   # listen, acknowledge, ask, solve, agree, follow_up: ends satisfied


def played(text: str = WINKEL, choices=PATH) -> Session:
    return Session.replay(scenario_from(text), choices)


def edited(old: str, new: str, text: str = WINKEL) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_an_unchanged_file_keeps_the_whole_path_and_the_same_result():
    old = played()
    new = Session.replay_turns(scenario_from(WINKEL), old.turns)
    assert [(t.node, t.index, t.text) for t in new.turns] == [(t.node, t.index, t.text) for t in old.turns]
    assert new.finished and new.ending == "satisfied"
    assert new.scorecard() == old.scorecard()


def test_a_reworded_choice_is_kept_by_its_place_and_shows_the_new_words():
    old = played(choices=[1, 1, 1])
    text = edited("‘Wat vervelend, u had zich erop verheugd en nu staat u hier weer.’",
                  "‘Wat naar voor u, u had zich erop verheugd.’")
    new = Session.replay_turns(scenario_from(text), old.turns)
    assert len(new.turns) == 3
    assert new.turns[1].text == "‘Wat naar voor u, u had zich erop verheugd.’"
    assert new.node.id == "oplossing"


def test_reordered_choices_are_followed_by_their_text_not_their_place():
    old = played(choices=[1, 2])   # listen, then 'Dan gaan we hem omruilen.' (solve, index 1)
    solve = ("      - text: \"‘Dan gaan we hem omruilen.’\"\n        act: solve\n        effect: {anger: -5}\n"
             "        feedback: \"Een oplossing vóór begrip en vragen is te snel.\"\n        next: vragen\n")
    text = edited(solve, "")
    text = edited("  verhaal:\n    say: \"Ik heb hem zaterdag gekocht, twee keer gebruikt en nu komt er alleen nog "
                  "stoom uit. Waardeloos!\"\n    choices:\n",
                  "  verhaal:\n    say: \"Ik heb hem zaterdag gekocht, twee keer gebruikt en nu komt er alleen nog "
                  "stoom uit. Waardeloos!\"\n    choices:\n" + solve, text)
    new = Session.replay_turns(scenario_from(text), old.turns)
    assert len(new.turns) == 2
    assert new.turns[1].text == "‘Dan gaan we hem omruilen.’" and new.turns[1].index == 0
    assert new.turns[1].act == "solve" and new.node.id == "vragen"


def test_the_path_stops_where_a_node_was_removed():
    old = played()
    text = WINKEL
    start = text.index("  vragen:\n")
    text = text[:start] + text[text.index("  oplossing:\n"):]
    text = text.replace("next: vragen", "next: oplossing")
    new = Session.replay_turns(scenario_from(text), old.turns)
    assert [t.node for t in new.turns] == ["opening", "verhaal"]
    assert new.node.id == "oplossing" and not new.finished and new.choices()


def test_a_reworded_choice_whose_place_is_gone_stops_the_path():
    old = played(choices=[1, 3])   # the third choice at 'verhaal' (belittle) leads to 'scheld'
    text = edited("      - text: \"‘Heeft u hem wel goed ontkalkt? Dat staat in de handleiding.’\"\n"
                  "        act: belittle\n        effect: {anger: 20, trust: -10}\n"
                  "        feedback: \"Kleineren maakt de klant bozer en zet je terug naar stap 1.\"\n"
                  "        next: scheld\n", "")
    new = Session.replay_turns(scenario_from(text), old.turns)
    assert [t.node for t in new.turns] == ["opening"]
    assert new.node.id == "verhaal"


def test_a_choice_no_longer_offered_under_its_condition_stops_the_path():
    old = played(choices=[1])
    text = edited("        act: listen\n", "        act: listen\n        if: \"anger >= 90\"\n")
    new = Session.replay_turns(scenario_from(text), old.turns)
    assert new.turns == [] and new.node.id == "opening"


def test_a_preview_from_a_later_node_keeps_its_start_and_path():
    scenario = replace(scenario_from(WINKEL), start="vragen")
    old = Session.replay(scenario, [1, 1])
    changed = replace(scenario_from(edited("Omruilen graag.", "Omruilen, graag.")), start="vragen")
    new = Session.replay_turns(changed, old.turns)
    assert [t.node for t in new.turns] == ["vragen", "oplossing"]
    assert new.node.id == "afspraak" and new.line.startswith("Omruilen, graag.")


def test_the_new_file_decides_the_mood():
    old = played(choices=[1])
    changed = edited("effect: {anger: -10, trust: 5}", "effect: {anger: -30, trust: 5}")
    new = Session.replay_turns(scenario_from(changed), old.turns)
    assert old.mood[0] == 60 and new.mood[0] == 40
