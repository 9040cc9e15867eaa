"""The bundled scenarios as a training pack: the method scores 100, a rookie and giving in clearly less, and the
scene built on 'angry is not abusive' really has no abusive line."""
from __future__ import annotations

import pytest

from conftest import BUNDLED, GOLDEN, ROOT, load_ok
from simulator.scenario.acts import LIMIT_ACTS
from simulator.scoring.rubric import load_rubric
from test_golden import play, read_plan

SCENARIO_IDS = sorted({p.name.split(".")[0] for p in (ROOT / "scenarios").glob("*.nl.yaml")})


def score(stem: str) -> int:
    return play(read_plan(GOLDEN / f"{stem}.plan")).scorecard()["score"]


@pytest.mark.parametrize("sid", SCENARIO_IDS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_scenario_has_golden_plans_that_rank_the_method_first(sid, lang):
    best = GOLDEN / f"{sid}-{lang}-best.plan"
    assert best.exists(), f"{sid} has no golden best plan in {lang}"
    assert score(best.stem) == 100
    pass_mark = load_rubric().pass_mark
    for other in sorted(GOLDEN.glob(f"{sid}-{lang}-*.plan")):
        if read_plan(other).get("rules"):   # a warm handover without mistakes may score 100 too
            assert score(other.stem) < 100, f"{other.stem} breaks a rule and should cost something"
    for caving in ("gave-in", "gezwicht", "toegeven"):
        path = GOLDEN / f"{sid}-{lang}-{caving}.plan"
        if path.exists():
            assert score(path.stem) < pass_mark, f"giving in must not pass ({path.stem})"


def test_the_angry_but_not_abusive_scene_has_no_abusive_line_and_every_limit_is_a_trap():
    for lang in ("nl", "en"):
        scenario = load_ok(ROOT / "scenarios" / f"hoortoestel.{lang}.yaml")
        assert not any(n.abusive for n in scenario.nodes.values())
        limits = [c for n in scenario.nodes.values() for c in n.choices if c.act in LIMIT_ACTS]
        assert len(limits) >= 5
        # The golden trap plays one of them and is marked for it.
        card = play(read_plan(GOLDEN / f"hoortoestel-{lang}-trap.plan")).scorecard()
        assert "limit_without_abuse" in {v["rule"] for v in card["violations"]}


def test_the_chat_scene_is_a_chat_and_the_threat_scene_marks_only_the_personal_threat_abusive():
    chat = load_ok(ROOT / "scenarios" / "directeur-chat.nl.yaml")
    assert chat.channel == "chat"
    assert not any(n.abusive for n in chat.nodes.values())
    threat = load_ok(ROOT / "scenarios" / "dreigende-huurder.nl.yaml")
    assert not threat.nodes["sociale_media"].abusive and not threat.nodes["advocaat"].abusive
    assert threat.nodes["dreiging"].abusive


def test_every_bundled_scenario_is_listed_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:scenarios -->")[1].split("<!-- /section:scenarios -->")[0]
    for sid in SCENARIO_IDS:
        assert f"| `{sid}` |" in section, sid
    assert len(BUNDLED) == 2 * len(SCENARIO_IDS)
