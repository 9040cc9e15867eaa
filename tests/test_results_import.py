"""Import, hardened: each record checked on its own (a bad one costs one line, the good ones stay), files read
defensively (regular files only, bounded size and nesting), database trouble as one clear line."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.cli import main
from simulator.results import xapi
from simulator.results.export import export_document
from simulator.results.store import DATABASE_NAME, ResultsStore


def write_export(path, results_or_dicts):
    entries = [r if isinstance(r, dict) else r.to_dict() for r in results_or_dicts]
    path.write_text(json.dumps({"format": "klantsim-results", "version": 1, "results": entries}), encoding="utf-8")
    return path


def stored(data):
    with ResultsStore.open(data) as store:
        return {r.id: r for r in store.results()}


def run_import(capsys, *argv):
    code = main(["import", *map(str, argv)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(started_at="0001-01-01T00:00:00+14:00"), "lies outside the years"),
    (lambda d: d["scorecard"]["violations"].append({"rule": "method", "node": "x", "choice": ["a", "b"]}),
     "violation 3: 'choice' must be text"),
    (lambda d: d.update(path=[{"node": "n", "act": "listen"}] * 1_000_000), "path has 1000000 entries"),
    (lambda d: d.update(player="Anouk\x1b]0;pwned\x07"), "contains control characters"),
    (lambda d: d["scorecard"].update(score=float("nan")), "must be a number from 0 to 100"),
    (lambda d: d["scorecard"]["steps"].update(listen={"done": "yes"}), "object of true/false flags"),
    (lambda d: d.update(title="x" * 100_000), "title is longer than"),
])
def test_a_bad_record_is_skipped_with_one_line_and_the_good_ones_are_kept(tmp_path, capsys, mutate, message):
    good = [make_result("Anouk", good_card(80)), make_result("Bram", bad_card(30), minutes=4)]
    bad = make_result("Chloë", bad_card(31), minutes=9).to_dict()
    mutate(bad)
    path = write_export(tmp_path / "klas.json", [good[0], bad, good[1]])
    code, out, err = run_import(capsys, path, "--data", tmp_path / "d")
    assert code == 1
    assert "result 2: " in err and message in err and len(err.strip().splitlines()) == 1
    assert "2 added" in out
    assert set(stored(tmp_path / "d")) == {r.id for r in good}


def test_a_duplicate_id_with_different_content_is_reported(tmp_path, capsys):
    first = make_result("Anouk", good_card(80))
    changed = first.to_dict()
    changed["scorecard"] = dict(changed["scorecard"], score=12)
    path = write_export(tmp_path / "klas.json", [first, changed])
    code, out, err = run_import(capsys, path, "--data", tmp_path / "d")
    assert code == 1 and "appears earlier in the file with different content" in err and "1 added" in out
    assert stored(tmp_path / "d")[first.id].score == 80
    # and against what is stored already
    write_export(path, [changed])
    code, out, err = run_import(capsys, path, "--data", tmp_path / "d")
    assert code == 1 and "already stored with different content; the stored one is kept" in err
    assert stored(tmp_path / "d")[first.id].score == 80


def test_deeply_nested_json_is_refused_without_crashing(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    code, _, err = run_import(capsys, path, "--data", tmp_path / "d")
    assert code == 1 and "nested 5000 deep" in err
    # brackets inside strings do not count
    nested_looking = make_result()
    nested_looking.title = "[[[[" * 100
    text = json.dumps(export_document([nested_looking]))
    path.write_text(text, encoding="utf-8")
    assert run_import(capsys, path, "--data", tmp_path / "d")[0] == 0


def test_a_pipe_or_a_device_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, _, err = run_import(capsys, fifo, "/dev/zero", "--data", tmp_path / "d")
    assert code == 1
    assert err.count("not a regular file") == 2


def test_xapi_records_are_taken_only_when_exactly_ours(tmp_path, capsys):
    results = [make_result("Anouk", good_card(80)), make_result("Bram", bad_card(30), minutes=3),
               make_result("Chloë", good_card(90), minutes=6), make_result("Daan", good_card(70), minutes=9)]
    statements = list(xapi.statements(results))
    closing = [s for s in statements if verb_name_of(s) in ("passed", "failed")]
    closing[1]["verb"]["id"] = "http://example.org/verbs/liked"
    closing[2]["context"]["registration"] = "not-a-uuid"
    key = xapi.record_extension_iri(xapi.DEFAULT_BASE_IRI)
    closing[3]["context"]["extensions"][key.replace("klantsim.example", "evil.example")] = \
        closing[3]["context"]["extensions"].pop(key)
    path = tmp_path / "lrs.json"
    path.write_text(json.dumps({"statements": statements, "more": ""}), encoding="utf-8")  # an LRS's answer
    code, out, err = run_import(capsys, path, "--data", tmp_path / "d")
    assert code == 1 and "1 added" in out
    assert "is not one KlantSim writes" in err and "registration is not a UUID" in err
    assert "is not KlantSim's record extension" in err
    assert set(stored(tmp_path / "d")) == {results[0].id}


def verb_name_of(statement):
    return statement["verb"]["id"].rsplit("/", 1)[1]


def test_an_lrs_answer_imports_like_an_export(tmp_path, capsys):
    results = [make_result("Anouk", good_card(80)), make_result("Bram", bad_card(30), minutes=3)]
    path = tmp_path / "lrs.json"
    path.write_text(json.dumps({"statements": list(xapi.statements(results)), "more": ""}), encoding="utf-8")
    code, out, _ = run_import(capsys, path, "--data", tmp_path / "d")
    assert code == 0 and "2 added" in out
    assert {r.id: r.to_dict() for r in stored(tmp_path / "d").values()} == {r.id: r.to_dict() for r in results}


def test_a_dry_run_writes_nothing_not_even_a_database(tmp_path, capsys):
    path = write_export(tmp_path / "klas.json", [make_result()])
    data = tmp_path / "d"
    code, out, _ = run_import(capsys, path, "--dry-run", "--data", data)
    assert code == 0 and "1 would be added, 0 already present" in out
    assert not data.exists()
    run_import(capsys, path, "--data", data)
    before = sorted(p.name for p in data.iterdir())
    code, out, _ = run_import(capsys, path, "--dry-run", "--data", data)
    assert "0 would be added, 1 already present" in out
    assert sorted(p.name for p in data.iterdir()) == before


def test_a_busy_database_is_one_clear_line_and_exit_1(tmp_path, capsys, monkeypatch):
    import simulator.results.store as store_module

    data = tmp_path / "d"
    ResultsStore.open(data).close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)
    path = write_export(tmp_path / "klas.json", [make_result()])
    holder = sqlite3.connect(data / DATABASE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        code, _out, err = run_import(capsys, path, "--data", data)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1
    assert "is busy (another KlantSim is writing to it)" in err and len(err.strip().splitlines()) == 1


def test_a_read_only_database_is_one_clear_line_and_exit_1(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    ResultsStore.open(data).close()
    real_connect = ResultsStore._connect

    def read_only(path):  # as a database on a read-only disk (permissions do not stop root, who runs CI)
        db = real_connect(path)
        db.execute("PRAGMA query_only = ON")
        return db

    monkeypatch.setattr(ResultsStore, "_connect", staticmethod(read_only))
    path = write_export(tmp_path / "klas.json", [make_result()])
    code, _out, err = run_import(capsys, path, "--data", data)
    assert code == 1
    assert "is read-only; check the permissions" in err and len(err.strip().splitlines()) == 1


def test_a_file_cut_off_midway_keeps_the_conversations_before_the_cut(tmp_path, capsys):
    results = [make_result(f"Speler {n}", good_card(60 + n), minutes=n) for n in range(5)]
    whole = write_export(tmp_path / "klas.json", results)
    main(["export", "--json", str(whole), "--data", str(_filled(tmp_path / "src", results))])
    text = whole.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index(results[3].id) + 10], encoding="utf-8")  # broken inside the 4th
    code, out, err = run_import(capsys, cut, "--data", tmp_path / "d")
    assert code == 1 and "not valid JSON" in err and "3 added" in out
    assert set(stored(tmp_path / "d")) == {r.id for r in results[:3]}


def _filled(data, results):
    with ResultsStore.open(data) as store:
        store.save_many(results)
    return data


def test_a_large_export_is_read_one_entry_at_a_time(tmp_path, monkeypatch):
    """The import decodes entries one by one: json.loads of the whole document is never called for an export."""
    import simulator.results.importer as importer

    results = [make_result(f"Speler {n}", good_card(50), minutes=n) for n in range(30)]
    path = tmp_path / "klas.json"
    main(["export", "--json", str(path), "--data", str(_filled(tmp_path / "src", results))])

    def whole_document(*args, **kwargs):
        raise AssertionError("the whole file was parsed at once")

    monkeypatch.setattr(importer.json, "loads", whole_document)
    batch = importer.open_export(path)
    assert [r.id for r in batch.results] == [r.id for r in results]


def test_an_empty_export_imports_nothing_without_complaint(tmp_path, capsys):
    for name in ("leeg.json", "leeg-xapi.json"):
        assert main(["export", "--json" if name == "leeg.json" else "--xapi", str(tmp_path / name),
                     "--data", str(tmp_path / "src")]) == 0
        code, out, err = run_import(capsys, tmp_path / name, "--data", tmp_path / "d")
        assert code == 0 and "0 added, 0 already present" in out and err == ""


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "9" * 4301, "1" + "0" * 40, "NaN", "Infinity", "1e400"])
def test_a_number_no_result_has_costs_one_line_not_a_traceback(tmp_path, capsys, number):
    good = make_result("Anouk").to_dict()
    text = json.dumps({"format": "klantsim-results", "version": 1, "results": [good, good]})
    bad = make_result("Bram").to_dict()
    first = json.dumps(bad)
    text = text.replace(json.dumps(good), first.replace('"score": 87', f'"score": {number}'), 1)
    path = tmp_path / "odd.json"
    path.write_text(text)
    assert main(["import", str(path), "--data", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert "result 1: scorecard score" in err and "must be a number from 0 to 100" in err and "Traceback" not in err
    with ResultsStore.open(tmp_path / "data") as store:
        assert [r.player for r in store.results()] == ["Anouk"]
    # in a field no check reads, too
    path.write_text(text.replace(f'"score": {number}', f'"score": 87, "extra": [{number}]'))
    assert main(["import", str(path), "--data", str(tmp_path / "data2")]) == 1
    assert "result 1: holds a number that no result has" in capsys.readouterr().err
    # in the export's header: the version is then no version number
    path.write_text(json.dumps({"format": "klantsim-results", "version": 1, "results": []}).replace(
        '"version": 1', f'"version": {number}'))
    assert main(["import", str(path), "--data", str(tmp_path / "data")]) == 1
    assert "export version" in capsys.readouterr().err
