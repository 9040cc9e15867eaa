"""The loader pauses Python's cyclic collector while it composes and builds (hundreds of thousands of objects that
all stay alive), and walks the tree for aliases only when the file holds a '*': both must be invisible to a user."""
from __future__ import annotations

import gc

from conftest import GOLDEN
from simulator.scenario.loader import load_text

GOOD = (GOLDEN / "regels.yaml").read_text(encoding="utf-8")


def test_the_collector_is_switched_back_on_after_a_good_a_broken_and_an_empty_file():
    for text in (GOOD, "format: [1", "", GOOD.replace("act: listen", "act: luisteren", 1)):
        assert gc.isenabled()
        load_text(text)
        assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        assert load_text(GOOD).ok
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_star_in_the_text_is_not_an_alias():
    text = GOOD.replace('feedback: "', 'feedback: "**Let op**: ', 1)
    assert text != GOOD and load_text(text).ok


def test_aliases_and_anchors_are_still_refused_at_their_line():
    text = GOOD.replace("title:", "extra: &anker [1, 2]\nnog: *anker\ntitle:", 1)
    result = load_text(text)
    found = [(d.code, d.pos.line) for d in result.diagnostics if d.code == "KS004"]
    line = text.splitlines().index("extra: &anker [1, 2]") + 1
    assert not result.ok and (("KS004", line) in found) and (("KS004", line + 1) in found)



def test_an_ampersand_in_text_is_not_an_anchor_but_every_anchor_is_refused():
    for prose in ("Jansen & Zonen", "R&D", "A&B-afdeling", "&"):
        text = GOOD.replace('feedback: "', f'feedback: "{prose} ', 1)
        assert load_text(text).ok, prose
    for anchored in ("extra: &a1 x\n", "extra: [&b_2 x]\n", "extra: {k: &c-3 x}\n", "extra:\n  - &d x\n",
                     'extra: {"k":&e x}\n'):
        result = load_text(GOOD.replace("title:", anchored + "title:", 1))
        assert [d.code for d in result.diagnostics].count("KS004") == 1, anchored
