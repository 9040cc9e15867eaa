"""The results commands as a user runs them: export, import (merging without duplicates), history."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.cli import main
from simulator.results.store import DATABASE_NAME, ResultsStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def filled(tmp_path):
    data = tmp_path / "machine-a"
    with ResultsStore.open(data) as store:
        store.save(make_result("Anouk de Vries", good_card(87), minutes=0))
        store.save(make_result("Chloë Özdemir", bad_card(31), minutes=5, votes=[[4, 9], [7, 2, 1]]))
        store.save(make_result("Chloë Özdemir", good_card(70), minutes=50, status="abandoned"))
    return data


def all_results(data):
    with ResultsStore.open(data) as store:
        return sorted((r.to_dict() for r in store.results()), key=lambda d: d["id"])


def test_export_json_then_import_on_another_machine_is_lossless_and_idempotent(filled, tmp_path, capsys):
    exported = tmp_path / "klas-a.json"
    assert main(["export", "--json", str(exported), "--data", str(filled)]) == 0
    other = tmp_path / "machine-b"
    with ResultsStore.open(other) as store:
        store.save(make_result("Bram", good_card(60)))
    assert main(["import", str(exported), "--data", str(other)]) == 0
    assert "3 added, 0 already present" in capsys.readouterr().out
    assert main(["import", str(exported), str(exported), "--data", str(other)]) == 0
    assert capsys.readouterr().out.count("0 added, 3 already present") == 2
    merged = {d["id"]: d for d in all_results(other)}
    assert len(merged) == 4
    for original in all_results(filled):
        assert merged[original["id"]] == original  # every field, votes and option texts included


def test_an_xapi_export_imports_back_to_the_same_results(filled, tmp_path, capsys):
    statements = tmp_path / "lrs.json"
    assert main(["export", "--xapi", str(statements), "--data", str(filled)]) == 0
    assert "statement(s) for 3 conversation(s)" in capsys.readouterr().out
    fresh = tmp_path / "fresh"
    assert main(["import", str(statements), "--data", str(fresh)]) == 0
    assert all_results(fresh) == all_results(filled)
    assert main(["import", str(statements), "--data", str(fresh)]) == 0
    assert "0 added, 3 already present" in capsys.readouterr().out


def test_import_reports_a_bad_entry_and_keeps_the_good_ones(filled, tmp_path, capsys):
    exported = tmp_path / "klas.json"
    main(["export", "--json", str(exported), "--data", str(filled)])
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["results"][1]["status"] = "half"
    del document["results"][2]["player"]
    exported.write_text(json.dumps(document), encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert main(["import", str(exported), "--data", str(fresh)]) == 1
    captured = capsys.readouterr()
    assert "result 2: status 'half' must be one of: finished, abandoned; skipped" in captured.err
    assert "result 3: missing 'player'; skipped" in captured.err
    assert "1 added" in captured.out
    assert len(all_results(fresh)) == 1


@pytest.mark.parametrize("content, name, message", [
    ("id;player\n1;x\n", "results.csv", "not valid JSON: Expecting value (a CSV export cannot be imported"),
    ('{"format": "klantsim-results", "version": 9, "results": []}', "new.json", "export version 9 is newer"),
    ('{"hello": 1}', "other.json", "not a KlantSim export"),
    ('[{"actor": {}, "verb": {}, "object": {}}]', "lrs.json", "carry no KlantSim record"),
])
def test_import_of_a_file_that_is_not_an_export_says_why_in_one_line(tmp_path, capsys, content, name, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["import", str(path), "--data", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_import_of_a_missing_file_names_it(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.json"), "--data", str(tmp_path / "d")]) == 1
    assert "nope.json: no such file" in capsys.readouterr().err


def test_export_filters_by_player_and_date(filled, tmp_path):
    out = tmp_path / "out.json"
    assert main(["export", "--json", str(out), "--players", "Chloë Özdemir", "--data", str(filled)]) == 0
    assert {r["player"] for r in json.loads(out.read_text(encoding="utf-8"))["results"]} == {"Chloë Özdemir"}
    assert main(["export", "--json", str(out), "--since", "2026-09-01T09:30:00Z", "--data", str(filled)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["results"]) == 1


@pytest.mark.parametrize("argv, message", [
    (["export"], "say what to write: --csv FILE, --xlsx FILE, --xapi FILE and/or --json FILE"),
    (["export", "--csv", "x.csv", "--since", "gisteren"], "'gisteren' is not a date"),
    (["export", "--xapi", "x.json", "--pass-score", "120"], "--pass-score must be from 0 to 100"),
])
def test_usage_mistakes_exit_2_with_one_clear_line(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as stop:
        code = main(argv + ["--data", str(tmp_path)])
        raise SystemExit(code)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_export_into_a_missing_folder_says_so(filled, tmp_path, capsys):
    assert main(["export", "--csv", str(tmp_path / "nope" / "r.csv"), "--data", str(filled)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_a_damaged_database_is_reported_on_the_command_line(tmp_path, capsys):
    (tmp_path / DATABASE_NAME).write_bytes(b"garbage" * 1000)
    assert main(["history", "--data", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "moved aside" in err and ".damaged-" in err


def test_history_lists_players_best_scores_and_conversations(filled, capsys):
    assert main(["history", "--data", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "Anouk de Vries: best pakket-kwijt 87" in out
    assert "Chloë Özdemir: best pakket-kwijt 31" in out and "abandoned" in out


def test_the_data_folder_can_come_from_the_environment(filled, tmp_path):
    out = tmp_path / "r.csv"
    env = {"KLANTSIM_DATA": str(filled), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "main.py", "export", "--csv", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().count(b"\r\n") == 4


def test_the_csv_separator_can_be_a_comma_for_english_excel(filled, tmp_path):
    out = tmp_path / "r.csv"
    assert main(["export", "--csv", str(out), "--delimiter", "comma", "--data", str(filled)]) == 0
    import csv

    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=","))
    assert rows[0][:3] == ["id", "player", "scenario"] and {row[1] for row in rows[1:]} == {
        "Anouk de Vries", "Chloë Özdemir"}


# ------------------------------------------------------------------------------------------------ small ones (#13.6)
def test_scripted_play_with_a_player_saves_and_says_where_on_stderr(tmp_path):
    data = tmp_path / "d"
    done = subprocess.run([sys.executable, "main.py", "play", "--text", "--scenario", "starter", "--choices",
                           _first_choices(), "--json", "--player", "Vries, Anouk de",
                           "--data", str(data)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)  # stdout is the scorecard and nothing else
    assert f"saved for Vries, Anouk de in {data / DATABASE_NAME}" in done.stderr
    with ResultsStore.open(data) as store:
        [saved] = store.results()
    assert saved.player == "Vries, Anouk de" and saved.score == card["score"]
    assert all("at" in step for step in saved.path)


def _first_choices():
    """Choices that finish the bundled starter scenario: always the first offered one."""
    from simulator.engine.session import Session
    from simulator.scenario.loader import load_file

    session = Session(load_file(ROOT / "scenarios" / "starter.nl.yaml").scenario)
    count = 0
    while not session.finished:
        session.choose(0)
        count += 1
    return ",".join(["1"] * count)


def test_scripted_play_without_a_player_saves_nothing(tmp_path, capsys):
    assert main(["play", "--scenario", "starter", "--choices", _first_choices(), "--json",
                 "--data", str(tmp_path / "d")]) == 0
    assert not (tmp_path / "d").exists()


def test_players_is_repeatable_and_a_comma_belongs_to_the_name(tmp_path):
    data = tmp_path / "d"
    with ResultsStore.open(data) as store:
        store.save(make_result("Vries, Anouk de", good_card(80)))
        store.save(make_result("Bram", bad_card(30), minutes=2))
        store.save(make_result("Vries", good_card(60), minutes=4))
    out = tmp_path / "out.json"
    assert main(["export", "--json", str(out), "--players", "Vries, Anouk de", "--players", "Bram",
                 "--data", str(data)]) == 0
    players = sorted(r["player"] for r in json.loads(out.read_text(encoding="utf-8"))["results"])
    assert players == ["Bram", "Vries, Anouk de"]


def test_a_player_name_with_control_characters_is_refused_on_input(tmp_path, capsys):
    assert main(["play", "--scenario", "starter", "--choices", "1", "--player", "Bram\x1b[2J",
                 "--data", str(tmp_path / "d")]) == 2
    assert "control characters" in capsys.readouterr().err and not (tmp_path / "d").exists()
    with pytest.raises(SystemExit) as stop:
        main(["export", "--json", str(tmp_path / "x.json"), "--players", "Bram\x07", "--data", str(tmp_path / "d")])
    assert stop.value.code == 2 and "control characters" in capsys.readouterr().err


def test_history_escapes_control_characters_of_an_old_name(tmp_path, capsys):
    data = tmp_path / "d"
    result = make_result("Bram", good_card(80))
    result.player = "Bram\x1b]0;pwned\x07"  # written by an older version, before names were checked
    from simulator.results.store import _row

    with ResultsStore.open(data) as store:  # save() would refuse the name now: insert the row as it was
        store._db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          _row(result))
    assert main(["history", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Bram\\x1b]0;pwned\\x07: best pakket-kwijt 80" in out
