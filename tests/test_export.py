"""Exports: CSV that spreadsheets open cleanly, xAPI statements that follow the ADL specification."""
from __future__ import annotations

import csv
import io
import json
import re
import uuid
from urllib.parse import urlparse

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.results import export, xapi
from simulator.results.export import CSV_COLUMNS


# ------------------------------------------------------------------------------------------------ CSV
def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the BOM tells Excel and LibreOffice the file is UTF-8"
    text = raw[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_has_one_row_per_conversation_with_dutch_characters_intact(tmp_path):
    results = [make_result("Chloë Özdemir", good_card(87)), make_result("Daan van 't Hof", bad_card(31), minutes=5)]
    results[0].title = "Het pakket dat nóóit aankwam; tweede poging"  # a semicolon inside a field
    path = tmp_path / "results.csv"
    export.write_csv(results, path)
    rows = read_csv(path)
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 3 and all(len(row) == len(CSV_COLUMNS) for row in rows)
    first = dict(zip(rows[0], rows[1]))
    assert first["player"] == "Chloë Özdemir"
    assert first["title"] == "Het pakket dat nóóit aankwam; tweede poging"
    assert first["score"] == "87" and first["ending"] == "satisfied" and first["status"] == "finished"
    assert first["listen"] == "in_order" and first["follow_up"] == "not_assessed"
    assert first["duration_seconds"] == "126"
    second = dict(zip(rows[0], rows[2]))
    assert second["violation_rules"] == "back_to_start method" and second["violations"] == "2"
    assert second["solve"] == "too_early" and second["path"] == "justify > deflect"


def test_csv_rows_end_in_crlf_and_a_newline_inside_a_field_stays_in_its_cell(tmp_path):
    result = make_result("Anouk")
    result.title = "Twee\nregels"
    path = tmp_path / "r.csv"
    export.write_csv([result], path)
    raw = path.read_bytes()[3:]
    assert raw.count(b"\r\n") == 2 and raw.endswith(b"\r\n")  # header and row; the quoted title keeps its \n
    assert read_csv(path)[1][CSV_COLUMNS.index("title")] == "Twee\nregels"


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "r.csv"
    export.write_csv([make_result('=HYPERLINK("http://x","klik")')], path)
    assert read_csv(path)[1][1] == '\'=HYPERLINK("http://x","klik")'


# ------------------------------------------------------------------------------------------------ xAPI
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DURATION_RE = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
LANG_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments"}
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
                     "likert", "numeric", "other"}
ADL_VERBS = {"attempted", "answered", "completed", "passed", "failed", "terminated"}


def is_iri(value):
    return isinstance(value, str) and bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value))


def is_irl(value):
    parsed = urlparse(value) if isinstance(value, str) else None
    return bool(parsed and parsed.scheme in ("http", "https") and parsed.netloc)


def check_language_map(value, where):
    assert isinstance(value, dict) and value, f"{where}: a language map"
    for tag, text in value.items():
        assert LANG_TAG_RE.match(tag) and isinstance(text, str), f"{where}: {tag!r} -> {text!r}"


def check_extensions(value, where):
    assert isinstance(value, dict), where
    assert all(is_iri(key) for key in value), f"{where}: extension keys must be IRIs"


def check_activity(activity, where):
    assert activity.get("objectType", "Activity") == "Activity", where
    assert is_iri(activity.get("id")), f"{where}: id must be an IRI"
    definition = activity.get("definition")
    if definition is None:
        return
    for key in ("name", "description"):
        if key in definition:
            check_language_map(definition[key], f"{where}.definition.{key}")
    if "type" in definition:
        assert is_iri(definition["type"]), where
    if "interactionType" in definition:
        assert definition["interactionType"] in INTERACTION_TYPES, where
    if "choices" in definition:
        assert definition.get("interactionType") in ("choice", "sequencing"), f"{where}: choices need choice type"
        ids = [component["id"] for component in definition["choices"]]
        assert all(isinstance(i, str) and i and not re.search(r"\s", i) for i in ids), where
        assert len(ids) == len(set(ids)), f"{where}: interaction component ids must be unique"
        for component in definition["choices"]:
            assert set(component) <= {"id", "description"}, where
            if "description" in component:
                check_language_map(component["description"], f"{where}.choices")
    if "correctResponsesPattern" in definition:
        assert all(isinstance(p, str) for p in definition["correctResponsesPattern"]), where
    if "extensions" in definition:
        check_extensions(definition["extensions"], where)


def validate_statement(statement):
    """The requirements of xAPI 1.0.3 (Data, section 2.4) that a client-made statement must meet."""
    assert isinstance(statement, dict)
    assert set(statement) <= STATEMENT_KEYS, f"unknown properties: {set(statement) - STATEMENT_KEYS}"
    for required in ("actor", "verb", "object"):
        assert required in statement, f"missing {required}"
    if "id" in statement:
        assert UUID_RE.match(statement["id"]), "id must be a UUID (RFC 4122)"
    actor = statement["actor"]
    assert actor.get("objectType", "Agent") == "Agent"
    identifiers = [key for key in ("mbox", "mbox_sha1sum", "openid", "account") if key in actor]
    assert identifiers == ["account"], "an Agent has exactly one inverse functional identifier"
    assert set(actor["account"]) == {"homePage", "name"}
    assert is_irl(actor["account"]["homePage"]) and isinstance(actor["account"]["name"], str)
    assert actor["account"]["name"]
    verb = statement["verb"]
    assert is_iri(verb.get("id")), "verb id must be an IRI"
    if "display" in verb:
        check_language_map(verb["display"], "verb.display")
    check_activity(statement["object"], "object")
    result = statement.get("result")
    if result is not None:
        assert set(result) <= {"score", "success", "completion", "response", "duration", "extensions"}
        score = result.get("score")
        if score is not None:
            assert set(score) <= {"scaled", "raw", "min", "max"}
            assert -1 <= score["scaled"] <= 1
            assert score["min"] < score["max"] and score["min"] <= score["raw"] <= score["max"]
        for flag in ("success", "completion"):
            if flag in result:
                assert isinstance(result[flag], bool)
        if "response" in result:
            assert isinstance(result["response"], str)
        if "duration" in result:
            assert DURATION_RE.match(result["duration"]), result["duration"]
        if "extensions" in result:
            check_extensions(result["extensions"], "result.extensions")
    context = statement.get("context")
    if context is not None:
        assert set(context) <= {"registration", "instructor", "team", "contextActivities", "revision", "platform",
                                "language", "statement", "extensions"}
        if "registration" in context:
            assert UUID_RE.match(context["registration"])
        if "language" in context:
            assert LANG_TAG_RE.match(context["language"])
        for kind, activities in context.get("contextActivities", {}).items():
            assert kind in {"parent", "grouping", "category", "other"}
            for activity in activities if isinstance(activities, list) else [activities]:
                check_activity(activity, f"context.contextActivities.{kind}")
        if "extensions" in context:
            check_extensions(context["extensions"], "context.extensions")
    if "timestamp" in statement:
        assert TIMESTAMP_RE.match(statement["timestamp"]), statement["timestamp"]
    assert "version" not in statement, "the LRS sets version; a client statement leaves it out"
    validate_with_tincan(statement)


def validate_with_tincan(statement):
    """A second, independent reading: the tincan library (Rustici's) must build the statement without complaint and
    keep its id, verb and response."""
    from tincan import Statement

    read = Statement(statement)
    assert str(read.id) == statement["id"]
    assert read.verb.id == statement["verb"]["id"]
    if "result" in statement and "response" in statement["result"]:
        assert read.result.response == statement["result"]["response"]


def verb_name(statement):
    return statement["verb"]["id"].rsplit("/", 1)[1]


def test_every_statement_meets_the_specification(tmp_path):
    results = [make_result(), make_result("Bram", bad_card(31), minutes=3),
               make_result("Chloë", good_card(90), minutes=9, status="abandoned", enrich=False)]
    path = tmp_path / "statements.json"
    count = xapi.write_xapi(results, path)
    statements = json.loads(path.read_text(encoding="utf-8"))
    assert count == len(statements) == 5 + 5 + 4
    for statement in statements:
        validate_statement(statement)
        assert statement["verb"]["id"] == f"http://adlnet.gov/expapi/verbs/{verb_name(statement)}"
        assert verb_name(statement) in ADL_VERBS
    assert len({s["id"] for s in statements}) == len(statements)


def test_a_finished_conversation_is_attempted_answered_completed_and_passed():
    result = make_result(card=good_card(87))
    statements = xapi.statements_for(result, pass_score=70)
    assert [verb_name(s) for s in statements] == ["attempted", "answered", "answered", "completed", "passed"]
    assert statements[0]["timestamp"] == "2026-09-01T09:00:00Z"
    final = statements[-1]["result"]
    assert final["score"] == {"scaled": 0.87, "raw": 87, "min": 0, "max": 100}
    assert final["success"] is True and final["completion"] is True and final["duration"] == "PT2M5.5S"
    assert {s["context"]["registration"] for s in statements} == {result.id}
    assert statements[0]["actor"]["account"] == {"homePage": xapi.DEFAULT_BASE_IRI, "name": "Anouk de Vries"}


def test_each_choice_is_a_choice_interaction_with_the_offered_options_and_the_response():
    statements = xapi.statements_for(make_result(card=bad_card(31)), base_iri="https://leren.example.nl/")
    answered = [s for s in statements if verb_name(s) == "answered"]
    definition = answered[1]["object"]["definition"]
    assert answered[1]["object"]["id"] == "https://leren.example.nl/scenarios/nl/pakket-kwijt/nodes/verhaal"
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice"
    assert [c["description"]["nl"] for c in definition["choices"]] == [
        "'Wat vervelend dat u zó lang moet wachten; ik begrijp uw ergernis.'",
        "'Schrijft u maar een brief naar de afdeling klachten.'", "'Ik regel nú een nieuw pakket, gratis.'"]
    response = answered[1]["result"]["response"]
    chosen = next(c for c in definition["choices"] if c["id"] == response)
    assert chosen["description"]["nl"] == "'Schrijft u maar een brief naar de afdeling klachten.'"
    assert verb_name(statements[-1]) == "failed" and statements[-1]["result"]["success"] is False


def test_an_abandoned_conversation_is_terminated_without_completion():
    statements = xapi.statements_for(make_result(status="abandoned"))
    assert [verb_name(s) for s in statements] == ["attempted", "answered", "answered", "terminated"]
    assert statements[-1]["result"] == {"completion": False, "duration": "PT2M5.5S"}


def test_exporting_twice_gives_the_same_statement_ids():
    result = make_result()
    assert [s["id"] for s in xapi.statements_for(result)] == [s["id"] for s in xapi.statements_for(result)]
    other = make_result()
    assert not {s["id"] for s in xapi.statements_for(result)} & {s["id"] for s in xapi.statements_for(other)}


@pytest.mark.parametrize("seconds, expected", [(0, "PT0S"), (5, "PT5S"), (125.5, "PT2M5.5S"),
                                               (3600, "PT1H"), (3725.25, "PT1H2M5.25S")])
def test_iso_durations(seconds, expected):
    assert xapi.iso_duration(seconds) == expected
    assert DURATION_RE.match(expected)


def test_statement_ids_are_uuids():
    for statement in xapi.statements_for(make_result()):
        assert uuid.UUID(statement["id"]).version == 5


def test_the_response_names_the_chosen_option_even_when_the_options_include_choices_not_offered():
    result = make_result(card=bad_card(31))
    # A front end that lists every choice of the node, one of which (its `if` false) was not offered
    result.path[1]["options"].insert(0, {"text": "'Ik bel u morgen terug.'", "act": "agree"})
    answered = [s for s in xapi.statements_for(result) if verb_name(s) == "answered"][1]
    chosen = next(c for c in answered["object"]["definition"]["choices"] if c["id"] == answered["result"]["response"])
    assert chosen["description"]["nl"] == "'Schrijft u maar een brief naar de afdeling klachten.'"


# ------------------------------------------------------------------------------------------------ xlsx
def test_the_xlsx_export_has_typed_columns_a_frozen_header_a_filter_and_widths(tmp_path):
    from datetime import datetime

    import openpyxl

    results = [make_result("Chloë Özdemir", good_card(87)), make_result('=HYPERLINK("http://x","klik")',
                                                                          bad_card(31), minutes=5)]
    results[1].player += "\x1b]0;x\x07"  # as an older database may hold it
    path = tmp_path / "klas.xlsx"
    assert export.write_xlsx(results, path) == 2
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == 3
    first = dict(zip(CSV_COLUMNS, rows[1]))
    assert first["player"] == "Chloë Özdemir" and first["score"] == 87 and isinstance(first["score"], int)
    assert first["started_at"] == datetime(2026, 9, 1, 9, 0) and first["duration_seconds"] == 126
    assert first["anger"] == 20 and first["listen"] == "in_order"
    second = dict(zip(CSV_COLUMNS, rows[2]))
    assert second["player"] == '=HYPERLINK("http://x","klik")\\x1b]0;x\\x07'  # text, escaped, never a formula
    assert sheet.cell(3, 2).data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Z3"  # every column, typed answers (X-Z) included
    assert sheet.column_dimensions["A"].width >= 36 and sheet.column_dimensions["B"].width >= 20


def test_the_xlsx_opens_in_libreoffice_where_it_is_installed(tmp_path):
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed; the openpyxl test above reads the workbook")
    path = tmp_path / "klas.xlsx"
    export.write_xlsx([make_result("Chloë Özdemir", good_card(87))], path)
    subprocess.run([office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=120, check=True)
    text = (tmp_path / "klas.csv").read_text(encoding="utf-8", errors="replace")
    assert "Chloë Özdemir" in text and "87" in text


def test_csv_escapes_control_characters_in_an_old_name(tmp_path):
    result = make_result("Bram")
    result.player = "Bram\x1b[2J"
    path = tmp_path / "r.csv"
    export.write_csv([result], path)
    assert "\x1b" not in path.read_text(encoding="utf-8-sig")
    assert read_csv(path)[1][1] == "Bram\\x1b[2J"
