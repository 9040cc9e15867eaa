"""Sample results for the results tests: scorecards shaped like the format page, Dutch text included."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, UTC

from simulator.results.record import ConversationResult, record_from_scorecard

VERSION = hashlib.sha256(b"format: 1\nid: pakket-kwijt\n").hexdigest()
T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)

OPENING_OPTIONS = [
    {"text": "Laat meneer uitpraten: 'Vertelt u het maar.'", "act": "listen",
     "feedback": "De klant wil eerst stoom afblazen; laten uitpraten toont waardering."},
    {"text": "'Meneer, wij reageren altijd binnen twee werkdagen.'", "act": "justify",
     "feedback": "Rechtvaardigen helpt de klant niet en zet het gesprek terug naar stap 1."},
]
VERHAAL_OPTIONS = [
    {"text": "'Wat vervelend dat u zó lang moet wachten; ik begrijp uw ergernis.'", "act": "acknowledge",
     "feedback": "Begrip tonen: de klant voelt zich gehoord."},
    {"text": "'Schrijft u maar een brief naar de afdeling klachten.'", "act": "deflect",
     "feedback": "Van het kastje naar de muur: de klant blijft met zijn probleem zitten."},
    {"text": "'Ik regel nú een nieuw pakket, gratis.'", "act": "solve",
     "feedback": "Een oplossing vóór begrip komt te snel."},
]


def steps(**states):
    card = {}
    for step in ("listen", "acknowledge", "ask", "solve", "agree", "follow_up"):
        state = states.get(step, "not_done")
        if state == "not_assessed":
            card[step] = {"done": False, "assessed": False}
        else:
            card[step] = {"done": state != "not_done", "in_order": state == "in_order", "assessed": True}
    return card


def good_card(score=87):
    return {
        "scenario": "pakket-kwijt", "ending": "satisfied", "score": score,
        "steps": steps(listen="in_order", acknowledge="in_order", ask="in_order", solve="in_order",
                       agree="in_order", follow_up="not_assessed"),
        "violations": [],
        "path": [{"node": "opening", "choice": 1, "act": "listen"},
                 {"node": "verhaal", "choice": 1, "act": "acknowledge"}],
        "customer": {"anger": 20, "trust": 75},
    }


def bad_card(score=31):
    return {
        "scenario": "pakket-kwijt", "ending": "lost", "score": score,
        "steps": steps(listen="not_done", acknowledge="not_done", solve="too_early", follow_up="not_assessed"),
        "violations": [{"rule": "back_to_start", "node": "opening",
                        "message": "Rechtvaardigen zet het gesprek terug naar stap 1."},
                       {"rule": "method", "node": "verhaal", "message": "Doorverwijzen helpt de klant niet."}],
        "path": [{"node": "opening", "choice": 2, "act": "justify"},
                 {"node": "verhaal", "choice": 2, "act": "deflect"}],
        "customer": {"anger": 95, "trust": 5},
    }


def enriched_path(card):
    options = {"opening": OPENING_OPTIONS, "verhaal": VERHAAL_OPTIONS}
    path = []
    for step in card["path"]:
        offered = options[step["node"]]
        chosen = offered[step["choice"] - 1]
        path.append(dict(step, text=chosen["text"], feedback=chosen["feedback"],
                         options=[{"text": o["text"], "act": o["act"]} for o in offered]))
    return path


def make_result(player="Anouk de Vries", card=None, minutes=0, status="finished", enrich=True,
                **extra) -> ConversationResult:
    card = card or good_card()
    started = T0 + timedelta(minutes=minutes)
    return record_from_scorecard(card, player, language="nl", scenario_version=VERSION, started_at=started,
                                 finished_at=started + timedelta(seconds=125.5), status=status,
                                 title="Het pakket dat nooit aankwam",
                                 path=enriched_path(card) if enrich else None, **extra)
