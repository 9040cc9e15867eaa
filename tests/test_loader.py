"""Loading scenario files: every problem found, each at the right line with a fix, never a traceback."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BUNDLED, GOLDEN, ROOT
from simulator.diagnostics import CATALOGUE
from simulator.scenario.loader import MAX_BYTES, load_file, load_text

INVALID = sorted((ROOT / "tests" / "invalid").glob("*.yaml"))


def expectations(path: Path) -> list[tuple[str, int]]:
    return [(m.group(1), int(m.group(2)))
            for m in re.finditer(r"^# expect: (KS\d+) (\d+)$", path.read_text(encoding="utf-8"), re.M)]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_file_reports_expected_code_at_expected_line(path):
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect: CODE LINE' header"
    result = load_file(path)
    from simulator.commands.validate import check

    found = {(d.code, d.pos.line) for r in check([path]) for d in r.diagnostics}
    for code, line in expected:
        assert (code, line) in found, f"expected {code} at line {line}; got {sorted(found)}"
    if any(CATALOGUE[c].severity == "error" for c, _ in expected):
        assert result.scenario is None, "a file with errors must not be playable"


def test_every_error_code_is_exercised_by_a_broken_file():
    covered = {code for p in INVALID for code, _ in expectations(p)}
    # KS002 (unreadable), KS003 (too large) and KS022 (duplicate id across files) are tested below, KS026 (not a
    # regular file) in test_limits.py.
    # KS104 and KS106 (analysis warnings) are tested in test_analysis.py.
    missing = {c for c in CATALOGUE if c not in covered} - {"KS002", "KS003", "KS022", "KS026", "KS104", "KS106"}
    assert missing == set()


def test_diagnostic_lines_have_the_editor_format():
    result = load_file(ROOT / "tests" / "invalid" / "many-problems.yaml")
    for d in result.diagnostics:
        assert re.match(r"^.+:\d+:\d+: (error|warning): .+ \[KS\d{3}\]$", str(d)), str(d)


def test_all_problems_of_a_file_are_reported_in_one_run():
    result = load_file(ROOT / "tests" / "invalid" / "many-problems.yaml")
    assert {"KS011", "KS013", "KS008"} <= {d.code for d in result.diagnostics}


def test_messages_say_how_to_fix():
    result = load_file(ROOT / "tests" / "invalid" / "yaml-no.yaml")
    assert any("quotes" in d.message for d in result.diagnostics)
    result = load_file(ROOT / "tests" / "invalid" / "unknown-next.yaml")
    assert any("did you mean 'einde'" in d.message for d in result.diagnostics)


def test_condition_error_points_at_the_column_inside_the_condition():
    path = ROOT / "tests" / "invalid" / "condition-syntax.yaml"
    line_no = expectations(path)[0][1]
    line = path.read_text(encoding="utf-8").splitlines()[line_no - 1]
    d = next(d for d in load_file(path).diagnostics if d.code == "KS014")
    # 'anger >> 5': the problem is the second '>', the 8th character of the condition.
    assert line[d.pos.column - 1] == ">" and line[d.pos.column - 2] == ">"


def test_missing_file(tmp_path):
    result = load_file(tmp_path / "nergens.yaml")
    assert [d.code for d in result.diagnostics] == ["KS002"] and "no such file" in result.diagnostics[0].message


def test_folder_is_not_a_file(tmp_path):
    assert [d.code for d in load_file(tmp_path).diagnostics] == ["KS002"]


def test_file_that_is_not_utf8(tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes("title: \"caf\u00e9\"\n".encode("latin-1"))
    d = load_file(f).diagnostics
    assert [x.code for x in d] == ["KS002"] and "UTF-8" in d[0].message


def test_unreadable_file(tmp_path):
    import os

    f = tmp_path / "geheim.yaml"
    f.write_text("format: 1\n")
    f.chmod(0)
    if os.access(f, os.R_OK):  # root reads anything; make it unreadable another way
        f.unlink()
        f.mkdir()
    assert [d.code for d in load_file(f).diagnostics] == ["KS002"]


def test_file_over_5_mb_is_refused_without_reading(tmp_path):
    f = tmp_path / "groot.yaml"
    with open(f, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    assert [d.code for d in load_file(f).diagnostics] == ["KS003"]


def test_empty_file(tmp_path):
    f = tmp_path / "leeg.yaml"
    f.write_text("")
    assert [d.code for d in load_file(f).diagnostics] == ["KS006"]


def test_top_level_list_is_a_type_error():
    assert [d.code for d in load_text("- a\n- b\n").diagnostics] == ["KS007"]


@pytest.mark.parametrize("value,kind", [("No", "true/false"), ("on", "true/false"), ("010", "number"),
                                        ("1:20", "number"), ("2024-01-02", "date"), ("3.5", "decimal"),
                                        ("~", None)])
def test_yaml_11_surprises_where_text_belongs(value, kind):
    text = (ROOT / "tests" / "golden" / "regels.yaml").read_text(encoding="utf-8")
    text = text.replace('summary: "Testscenario: elk pad raakt of vermijdt één regel."', f"summary: {value}")
    diagnostics = load_text(text, "s.yaml").diagnostics
    if kind is None:
        assert [d.code for d in diagnostics] == ["KS007"] and "no value" in diagnostics[0].message
    else:
        assert [d.code for d in diagnostics] == ["KS008"]
        assert kind in diagnostics[0].message and "quotes" in diagnostics[0].message


def test_quoted_values_stay_text():
    text = (ROOT / "tests" / "golden" / "regels.yaml").read_text(encoding="utf-8")
    text = text.replace('summary: "Testscenario: elk pad raakt of vermijdt één regel."', 'summary: "No"')
    result = load_text(text, "s.yaml")
    assert result.ok and result.scenario.summary == "No"


def test_duplicate_ids_across_files_in_a_folder(tmp_path):
    src = (GOLDEN / "regels.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(src, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(src, encoding="utf-8")
    from simulator.scenario.library import discover

    codes = [[d.code for d in r.diagnostics] for r in discover([tmp_path])]
    assert codes == [[], ["KS022"]]


def test_model_keeps_positions():
    result = load_file(GOLDEN / "regels.yaml")
    node = result.scenario.nodes["begrip"]
    line = (GOLDEN / "regels.yaml").read_text(encoding="utf-8").splitlines()[node.pos.line - 1]
    assert line.strip() == "begrip:"
    assert node.choices[0].pos.line > node.pos.line


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_scenarios_are_valid_without_warnings(path):
    from simulator.commands.validate import check

    assert [str(d) for r in check([path]) for d in r.diagnostics] == []
