"""Playing by typing (issue #16): a bundled scenario played in your own words reaches the best path's score, a vague
answer gets "Bedoelde je…?", and the `recognise` command and `play --text --free` behave on the command line."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from simulator.analysis.search import analyse
from simulator.engine.session import Session
from simulator.recognition import Answered, FreePlay, Unclear, load_recogniser
from simulator.scenario.library import resolve

WELL_CHOSEN = {
    "nl": ["Hm-hm... ja. Vertelt u het maar, ik laat u uitpraten.",
           "Ik snap heel goed dat u boos bent, u heeft er een vrije dag voor opgenomen.",
           "Even kijken of ik het goed heb: de monteur zou tussen acht en twaalf komen en er is niemand gekomen. "
           "Klopt dat? Wat doet de machine precies?",
           "Mevrouw, ik wil u graag helpen, maar niet als u mij uitscheldt.",
           "Ik zie twee mogelijkheden: donderdag een monteur uit een andere regio, of morgen iemand die alleen de "
           "lekkage stopt. Wat past u het best?",
           "Dan spreken we af: donderdag tussen half acht en negen komt de monteur, hij belt een halfuur van tevoren, "
           "en ik mail u de bevestiging.",
           "Goedemorgen mevrouw De Graaf, ik bel even om te horen of de monteur op tijd was en of de machine het "
           "weer doet."],
    "en": ["Mm-hm... yes. Go on, I'll let you finish.",
           "I completely understand why you're angry, you took a day off for this.",
           "Let me check I've got this right: the engineer was due between eight and twelve and nobody came. "
           "Is that right? What exactly is the machine doing?",
           "Mrs Dawson, I'd like to help you, but not while you're calling me names.",
           "I see two options: an engineer from another area on Thursday, or someone tomorrow just to stop the leak. "
           "Which suits you best?",
           "So we agree: Thursday between half seven and nine the engineer comes, he'll ring half an hour before, "
           "and I'll email you the confirmation.",
           "Good morning Mrs Dawson, I'm just calling to check the engineer was on time and the machine works again."],
}


@pytest.fixture(scope="module")
def recogniser():
    return load_recogniser()


@pytest.fixture(autouse=True)
def _results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("KLANTSIM_DATA", str(tmp_path / "data"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_typing_well_chosen_sentences_reaches_the_best_paths_score(recogniser, language):
    session = Session(resolve("starter", language).scenario)
    free = FreePlay(session, recogniser)
    for text in WELL_CHOSEN[language]:
        result = free.answer(text)
        assert isinstance(result, Answered), (session.node.id, text, result)
        assert result.turn.act == result.recognition.act
    assert session.finished and session.ending == "satisfied"
    best = analyse(session.scenario).best
    assert [t.act for t in session.turns] == list(best.acts)
    assert session.scorecard()["score"] == 100 == best.score
    assert free.typed == WELL_CHOSEN[language] and len(free.heard) == len(session.turns)


def test_a_vague_answer_asks_which_choice_was_meant_and_scoring_uses_the_choice_taken(recogniser):
    session = Session(resolve("starter", "nl").scenario)
    free = FreePlay(session, recogniser)
    result = free.answer("Tja.")
    assert isinstance(result, Unclear) and len(result.candidates) == 2 and not session.turns
    offered = session.choices()
    picked = offered[result.candidates[0]]
    taken = free.pick(0)
    assert taken.turn.act == picked.act == session.scorecard()["path"][0]["act"]
    assert free.typed == ["Tja."]
    assert free.undo() and free.typed == [] and not session.turns


def test_an_act_no_choice_offers_is_not_taken(recogniser):
    session = Session(resolve("starter", "nl").scenario)
    result = FreePlay(session, recogniser).answer("Dat heeft mijn collega van de planning verknald, niet ik.")
    assert isinstance(result, Unclear) and result.reason == "no_match"
    assert result.recognition.act == "blame_colleague" and not session.turns


def test_the_terminal_says_what_it_heard_and_asks_bedoelde_je(recogniser):
    from simulator.commands import play_free

    lines = iter(["Tja.", "1"] + WELL_CHOSEN["nl"][1:] + ["q"])
    session = Session(resolve("starter", "nl").scenario)
    out = io.StringIO()
    outcome = play_free.play(FreePlay(session, recogniser), "nl", read=lambda prompt: next(lines), stream=out)
    text = out.getvalue()
    assert "Bedoelde je…?" in text and "Dat klinkt als: begrip tonen." in text
    assert "Dat klinkt als: grens aangeven." in text
    assert outcome == "finished" and "Nabespreking" in text


def run(*args, stdin: str = ""):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def test_recognise_prints_one_json_object_with_the_matching_choice_in_file_order():
    r = run("recognise", "--scenario", "starter", "--node", "tweede_uitval",
            "Ik haal mijn teamleider Karin erbij, die kan over een spoedafspraak beslissen; ik vertel haar uw verhaal.")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"act", "confidence", "alternatives", "choice"}
    assert data["act"] == "hand_over" and len(data["alternatives"]) == 2
    node = resolve("starter", "nl").scenario.nodes["tweede_uitval"]
    assert node.choices[data["choice"] - 1].act == "hand_over"


def test_recognise_batch_answers_every_line_in_order_and_names_the_bad_ones(tmp_path):
    batch = tmp_path / "answers.jsonl"
    batch.write_text("\n".join([
        json.dumps({"text": "I'm so sorry, that should never have happened.", "lang": "en"}),
        "{not json",
        json.dumps({"text": ""}),
        json.dumps({"text": "Als u blijft schelden, hang ik op.", "abusive": True}),
        json.dumps({"text": "x", "scenario": "starter", "node": "nergens"}),
    ]) + "\n", encoding="utf-8")
    r = run("recognise", "--batch", str(batch))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o.get("act") for o in out] == ["apologize", None, None, "warn", None]
    assert [line.split(":")[1] for line in r.stderr.splitlines()] == ["2", "3", "5"]
    assert "has no node 'nergens'" in r.stderr


@pytest.mark.parametrize("args, code, message", [
    (["recognise", "--scenario", "starter", "--node", "uitvl", "Rustig aan."], 1, "did you mean 'uitval'"),
    (["recognise", "   "], 1, "empty"),
    (["recognise"], 2, "give the TEXT"),
    (["recognise", "--node", "uitval", "Rustig."], 2, "go together"),
    (["play", "--free", "--scenario", "starter", "--choices", "1"], 2, "--free"),
])
def test_recognise_and_free_play_refuse_bad_input_with_one_clear_line(args, code, message):
    from simulator.cli import main

    err = io.StringIO()
    old, sys.stderr = sys.stderr, err
    try:
        try:
            rc = main(args)
        except SystemExit as exc:
            rc = exc.code
    finally:
        sys.stderr = old
    assert rc == code and message in err.getvalue() and "Traceback" not in err.getvalue()


def test_free_play_in_the_terminal_from_the_command_line():
    r = run("play", "--text", "--free", "--scenario", "starter", stdin="Hm-hm, ik luister, vertelt u maar.\nq\n")
    assert r.returncode == 0, r.stderr
    assert "Dat klinkt als: luisteren." in r.stdout and "Gesprek afgebroken." in r.stdout
