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


def test_every_code_is_exercised_by_a_broken_file():
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
    assert any("quotes" in d.render('en') for d in result.diagnostics)
    result = load_file(ROOT / "tests" / "invalid" / "unknown-next.yaml")
    assert any("did you mean 'einde'" in d.render('en') for d in result.diagnostics)


def test_condition_error_points_at_the_column_inside_the_condition():
    path = ROOT / "tests" / "invalid" / "condition-syntax.yaml"
    line_no = expectations(path)[0][1]
    line = path.read_text(encoding="utf-8").splitlines()[line_no - 1]
    d = next(d for d in load_file(path).diagnostics if d.code == "KS014")
    # 'anger >> 5': the problem is the second '>', the 8th character of the condition.
    assert line[d.pos.column - 1] == ">" and line[d.pos.column - 2] == ">"


def test_missing_file(tmp_path):
    result = load_file(tmp_path / "nergens.yaml")
    assert [d.code for d in result.diagnostics] == ["KS002"] and "no such file" in result.diagnostics[0].render("en")


def test_folder_is_not_a_file(tmp_path):
    assert [d.code for d in load_file(tmp_path).diagnostics] == ["KS002"]


def test_file_that_is_not_utf8(tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes("title: \"caf\u00e9\"\n".encode("latin-1"))
    d = load_file(f).diagnostics
    assert [x.code for x in d] == ["KS002"] and "UTF-8" in d[0].render("en")


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
        assert [d.code for d in diagnostics] == ["KS007"] and "no value" in diagnostics[0].render("en")
    else:
        assert [d.code for d in diagnostics] == ["KS008"]
        assert kind in diagnostics[0].render("en") and "quotes" in diagnostics[0].render("en")


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


def phrases(path: Path, lang: str) -> list[str]:
    return re.findall(rf"^# {lang}: (.+)$", path.read_text(encoding="utf-8"), re.M)


TRAINER_MISTAKES = [p for p in INVALID if phrases(p, "nl")]


@pytest.mark.parametrize("path", TRAINER_MISTAKES, ids=[p.stem for p in TRAINER_MISTAKES])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_typical_mistakes_are_explained_in_the_trainers_language(path, lang):
    """The mistakes trainers make (a colon or '#' in text, a tab, a typo in an act, key or flag, an impossible
    condition): the message at the expected line says what is wrong and how to fix it, in Dutch or English."""
    from simulator.commands.validate import check

    code, line = expectations(path)[0]
    found = [d for r in check([path]) for d in r.diagnostics if (d.code, d.pos.line) == (code, line)]
    assert found, f"no {code} at line {line}"
    message = found[0].render(lang)
    for phrase in phrases(path, lang):
        assert phrase in message, message
    other = "en" if lang == "nl" else "nl"
    assert message != found[0].render(other)
    assert message.endswith(CATALOGUE[code].fix(lang))


def test_the_six_trainer_mistakes_have_files():
    names = {p.stem for p in TRAINER_MISTAKES}
    assert {"colon-in-text", "tab", "act-apologise", "key-efect", "flag-never-set", "condition-never-holds"} <= names


def test_every_code_has_dutch_and_english_text_and_no_message_repeats_its_fix():
    from simulator.diagnostics import MESSAGES, PHRASES

    for code in CATALOGUE.values():
        assert code.nl != code.en and code.fix_nl != code.fix_en, code.code
    for key, (nl, en) in {**MESSAGES, **PHRASES}.items():
        assert nl and en, key
    for path in INVALID:
        for d in load_file(path).diagnostics:
            for lang in ("nl", "en"):
                detail = d.render(lang)[: -len(CATALOGUE[d.code].fix(lang))]
                assert CATALOGUE[d.code].fix(lang) not in detail, d.render(lang)


@pytest.mark.parametrize("text,code", [
    ("say: Bel 06 #2 voor hulp", "KS033"), ("say: #1 klant", "KS033"), ('say: "Bel 06 #2"', None),
    ("say: Gewoon tekst  # een opmerking", None), ("say: Let op: kapot", "KS032"), ("say: 'Hallo", "KS034"),
    ('say: "Zeg "ja" maar"', "KS034")])
def test_yaml_mistakes_in_text(text, code):
    src = (GOLDEN / "regels.yaml").read_text(encoding="utf-8")
    line = next(one for one in src.splitlines() if one.strip().startswith("say:"))
    result = load_text(src.replace(line, line[: len(line) - len(line.lstrip())] + text, 1), "s.yaml")
    assert [d.code for d in result.diagnostics if d.is_error] == ([code] if code else [])


@pytest.mark.parametrize("condition,code", [("anger >= 150", "KS113"), ("trust < 0", "KS113"),
                                            ("anger >= 0", "KS114"), ("turns >= 0 or flag:x", "KS114"),
                                            ("anger > 50 and anger < 40", "KS113"), ("anger >= 80", None),
                                            ("not (turns > 3)", None)])
def test_conditions_that_never_or_always_hold(condition, code):
    from simulator.scenario.checks import holds
    from simulator.scenario.conditions import parse

    can_hold, can_fail = holds(parse(condition))
    found = "KS113" if not can_hold else "KS114" if not can_fail else None
    assert found == code


def test_language_follows_the_locale_unless_chosen(monkeypatch):
    from simulator import diagnostics

    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert diagnostics.system_language() == "en"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert diagnostics.system_language() == "nl"
    monkeypatch.setenv("LC_ALL", "nl_BE.UTF-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert diagnostics.system_language() == "nl"
    try:
        assert diagnostics.set_language("en") == "en"
        assert "no such file" in str(load_file("nergens.yaml").diagnostics[0])
    finally:
        diagnostics.set_language(None)


def _tree(node):
    """A composed node as plain values: kind, tag, style, position and children."""
    import yaml

    where = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.style, node.value, where)
    if isinstance(node, yaml.SequenceNode):
        return ("list", node.tag, node.flow_style, [_tree(n) for n in node.value], where)
    return ("map", node.tag, node.flow_style, [(_tree(k), _tree(v)) for k, v in node.value], where)


TRICKY = ("a: [No, no, ON, y, ~, null, '', \"\", 010, 0x1F, 1_000, 1:20, -0, +5, .5, 1e3, .inf, .NaN, 2020-01-01,"
          " 2001-12-14t21:59:43.10-05:00, =, <<, '!', x!, '# no', 'yes', \"1\", \"null\", !!str 1, !!int \"3\"]\n"
          "b: {? [x] : y, 12:30: z, true: t, False: f}\nc: |\n  Yes\nd: >-\n  1\ne:\nf: ''\n")


@pytest.mark.parametrize("path", [*BUNDLED, *GOLDEN.glob("*.yaml"), *INVALID, None],
                         ids=lambda p: p.stem if p else "tricky")
def test_the_loader_composes_the_same_tree_as_yaml_compose(path):
    """The loader's own composer (cheaper tag resolution, the depth counted) must give PyYAML's tree exactly:
    the same tags (an unquoted No is a boolean, 010 a number), styles and positions."""
    import yaml

    from simulator.scenario.loader import _Composer, _TooDeep

    text = TRICKY if path is None else path.read_text(encoding="utf-8")
    try:
        expected = _tree(yaml.compose(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return   # a broken file: test_invalid_file_reports_expected_code_at_expected_line covers it
    composer = _Composer(text)
    try:
        assert _tree(composer.get_single_node()) == expected
    except _TooDeep:   # composing stops past the nesting limit, and the file is refused for it
        assert [d.code for d in load_text(text).diagnostics] == ["KS027"]
    finally:
        composer.dispose()


def _outcome(result):
    return ([(d.code, str(d.pos), d.render("nl"), d.render("en")) for d in result.diagnostics], result.scenario)


def test_the_quick_reading_of_good_nodes_and_choices_changes_nothing(monkeypatch):
    """The loader reads a node or choice with nothing to report in one go and reads the others carefully, and
    gathers what the structural checks look at while it builds the nodes: on every bundled, golden and broken file
    and on mutations of them (the fuzz harness's), that must give the same diagnostics and the same scenario as the
    careful reading with the checks surveying the built scenario afterwards."""
    from fuzz.mutate import case
    from simulator.scenario import loader

    texts = [p.read_text(encoding="utf-8") for p in [*BUNDLED, *GOLDEN.glob("*.yaml"), *INVALID]]
    for index in range(300):
        kind, _, content = case(11, index)
        if not kind.startswith("special"):
            texts.append(content.decode("utf-8", "replace"))
    quick = [_outcome(load_text(text, "f.yaml")) for text in texts]
    monkeypatch.setattr(loader._Builder, "quick_node", lambda *args: None)
    monkeypatch.setattr(loader._Builder, "quick_choice", lambda *args: None)

    class NoSurvey(loader.Survey):   # the builder's survey left empty: the checks survey the scenario themselves
        __slots__ = ()

        def add(self, node):
            pass

    monkeypatch.setattr(loader, "Survey", NoSurvey)
    careful = [_outcome(load_text(text, "f.yaml")) for text in texts]
    assert sum(s is not None for _, s in quick) >= len(BUNDLED)
    for text, q, c in zip(texts, quick, careful):
        assert q == c, text[:300]
