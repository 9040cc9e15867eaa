"""Answers typed in the player's own words travel with the results (issue #16): checked when stored or imported,
exported to CSV, xlsx and xAPI, and quoted in the class report so a trainer can discuss what trainees wrote."""
from __future__ import annotations

import json
import re

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.results import export, xapi
from simulator.results.export import CSV_COLUMNS
from simulator.results.importer import read_export
from simulator.results.record import ConversationResult, RecordError
from simulator.results.report import render_html
from test_export import read_csv, validate_statement

TYPED = "Ik snap dat u boos bent, vertelt u maar <b>wat</b> er & gebeurd is."


def typed_result(player="Anouk de Vries", card=None, votes=None, **words):
    """The sample result with its first answer typed (and heard as `words`' act, default the choice's own act)."""
    result = make_result(player, card or good_card())
    first = result.path[0]
    first["typed"] = words.get("typed", TYPED)
    first["heard"] = {"act": words.get("act", first["act"]), "confidence": words.get("confidence", 0.87345)}
    result.votes = votes
    return result.checked()


# ------------------------------------------------------------------------------------------------ the record
def test_typed_and_heard_round_trip_exactly_through_json_and_xapi(tmp_path):
    results = [typed_result(), typed_result("Klas 3B", votes=[None, [2, 5, 1]])]
    path = tmp_path / "export.json"
    export.write_json(results, path)
    back = read_export(path)
    assert not back.problems
    assert [r.to_dict() for r in back.results] == [r.to_dict() for r in results]
    assert back.results[0].path[0]["typed"] == TYPED
    assert back.results[0].path[0]["heard"] == {"act": "listen", "confidence": 0.87345}
    assert back.results[1].votes == [None, [2, 5, 1]]
    statements = tmp_path / "statements.json"
    xapi.write_xapi(results, statements)
    again = read_export(statements)
    assert [r.to_dict() for r in again.results] == [r.to_dict() for r in results]


@pytest.mark.parametrize("change, message", [
    (lambda s: s.update(typed="hallo\x1b[31m"), "'typed'"),
    (lambda s: s.update(typed="x" * 2001), "longer than 2000"),
    (lambda s: s.update(typed=12), "'typed' must be text"),
    (lambda s: s.update(heard={"act": "shout", "confidence": 0.5}), "not an act of the method"),
    (lambda s: s.update(heard={"act": "listen", "confidence": 1.5}), "from 0 to 1"),
    (lambda s: s.update(heard={"act": "listen", "confidence": True}), "from 0 to 1"),
    (lambda s: s.update(heard={"act": "listen", "confidence": float("nan")}), "from 0 to 1"),
    (lambda s: s.update(heard="listen"), "'heard' must be an object"),
    (lambda s: s.update(heard={"act": "listen", "confidence": 0.5, "x": 1}), "'heard' must be an object"),
])
def test_a_bad_typed_answer_is_refused_with_what_is_wrong(change, message):
    data = typed_result().to_dict()
    change(data["path"][0])
    with pytest.raises(RecordError, match=re.escape(message)):
        ConversationResult.from_dict(data)


def test_an_import_with_a_bad_typed_answer_skips_that_record_with_one_line(tmp_path):
    good, bad = typed_result().to_dict(), typed_result("Bram").to_dict()
    bad["path"][0]["typed"] = "\x07bel"
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps({"format": "klantsim-results", "version": 1, "results": [good, bad]}))
    batch = read_export(path)
    assert [r.player for r in batch.results] == ["Anouk de Vries"]
    [problem] = batch.problems
    assert "result 2: path entry 1: 'typed'" in problem and "\\x07bel" in problem and "\x07" not in problem


# ------------------------------------------------------------------------------------------------ CSV and xlsx
def test_csv_has_typed_heard_act_and_confidence_per_answer_after_the_old_columns(tmp_path):
    assert CSV_COLUMNS[-3:] == ("typed", "heard_act", "heard_confidence")
    assert CSV_COLUMNS[:4] == ("id", "player", "scenario", "title") and CSV_COLUMNS[-6:-3] == ("path", "anger", "trust")
    picked = make_result("Bram", bad_card())
    typed = typed_result(typed="=HYPERLINK(\"x\")", act="acknowledge")
    path = tmp_path / "r.csv"
    export.write_csv([typed, picked], path)
    header, first, second = read_csv(path)
    row = dict(zip(header, first))
    assert row["path"] == "listen > acknowledge"
    assert row["typed"] == "'=HYPERLINK(\"x\") > "  # lined up with path; the picked second answer is empty
    assert row["heard_act"] == "acknowledge > "
    assert row["heard_confidence"] == "0.873 > "
    other = dict(zip(header, second))
    assert (other["typed"], other["heard_act"], other["heard_confidence"]) == ("", "", "")


def test_xlsx_has_the_same_typed_columns(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    export.write_xlsx([typed_result(typed="=1+1")], path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1]))
    assert row["typed"] == "=1+1 > " and sheet.cell(2, CSV_COLUMNS.index("typed") + 1).data_type == "s"
    assert row["heard_act"] == "listen > " and row["heard_confidence"] == "0.873 > "


# ------------------------------------------------------------------------------------------------ xAPI
def test_a_typed_turn_answers_with_the_typed_text_and_what_was_heard():
    result = typed_result(act="acknowledge")
    statements = xapi.statements_for(result, "https://leren.example.nl")
    for statement in statements:
        validate_statement(statement)
    typed, picked = [s for s in statements if s["verb"]["id"].endswith("answered")]
    extensions = typed["result"]["extensions"]
    assert typed["result"]["response"] == TYPED
    assert extensions["https://leren.example.nl/xapi/extensions/heard"] == {"act": "acknowledge",
                                                                           "confidence": 0.87345}
    chosen = extensions["https://leren.example.nl/xapi/extensions/choice"]
    assert chosen == xapi.option_id(result.path[0]["options"][0])  # the stable id of the choice taken
    assert chosen in [c["id"] for c in typed["object"]["definition"]["choices"]]
    assert extensions["https://leren.example.nl/xapi/extensions/act"] == "listen"
    # a picked choice is unchanged: its id is the response
    assert picked["result"]["response"] in [c["id"] for c in picked["object"]["definition"]["choices"]]
    assert set(picked["result"]["extensions"]) == {"https://leren.example.nl/xapi/extensions/act"}


# ------------------------------------------------------------------------------------------------ the class report
def test_the_report_quotes_typed_answers_escaped_with_what_they_sounded_like():
    player = typed_result("Bram", bad_card(), typed="Daar kunnen wij <i>niets</i> aan doen.", act="counter")
    same = typed_result("Chloë", bad_card(), typed="Wij reageren altijd binnen twee dagen.", act="justify")
    html = render_html([player, same])
    mistakes = html.split('id="mistakes"')[1].split('id="choices"')[0]
    assert "Je typte: “Daar kunnen wij &lt;i&gt;niets&lt;/i&gt; aan doen.”" in mistakes
    assert "<i>niets" not in html
    assert "(klonk als: " in mistakes and mistakes.count("(klonk als: ") == 1  # only where heard differs
    assert "Je typte: “Wij reageren altijd binnen twee dagen.”" in mistakes
    choices = html.split('id="choices"')[1]
    assert "Je typte: “Daar kunnen wij &lt;i&gt;niets&lt;/i&gt; aan doen.”" in choices
    assert "You typed: “Wij reageren" in render_html([same], language="en")


def test_a_typed_group_turn_in_class_mode_is_quoted_as_the_groups():
    group = typed_result("Klas 3B", votes=[None, [4, 1, 0]], typed="Vertelt u het maar.")
    html = render_html([group])
    assert "getypt door de groep: “Vertelt u het maar.”" in html
    assert "Je typte" not in html
