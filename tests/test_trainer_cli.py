"""The trainer's commands as a trainer types them: graph, validate --strict/--format json, analyse, play --from.

They run in this process through `main(argv)` (the entry point itself is tested by subprocess in test_cli.py),
in English unless a test asks for the Dutch default.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from conftest import GOLDEN, ROOT
from simulator.cli import main
from simulator.diagnostics import set_language

REGELS = str(GOLDEN / "regels.yaml")
INVALID = ROOT / "tests" / "invalid"


def run(*args, stdin: str = "", lang: str = "en"):
    """`python main.py ARGS` in process: the exit code, stdout and stderr; messages in `lang` (via LANG)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.argv, os.environ.get("LANG"), os.getcwd()
    sys.stdin, sys.argv = io.StringIO(stdin), ["main.py", *args]
    os.environ["LANG"] = "en_US.UTF-8" if lang == "en" else "nl_NL.UTF-8"
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin, sys.argv = saved[0], saved[1]
        os.environ["LANG"] = saved[2] if saved[2] is not None else "C.UTF-8"
        os.chdir(saved[3])
        set_language(None)
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def run_process(*args, stdin: str = ""):
    """`python main.py ARGS` as its own process: terminal play reads and writes the real terminal streams."""
    import subprocess

    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONIOENCODING": "utf-8",
           "PYGAME_HIDE_SUPPORT_PROMPT": "1", "LANG": "en_US.UTF-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def no_traceback(result):
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


# -- graph ------------------------------------------------------------------------------------------------

def test_graph_writes_each_format_by_its_extension(tmp_path):
    for ext in ("svg", "dot", "mmd", "png"):
        target = tmp_path / f"regels.{ext}"
        r = run("graph", REGELS, "-o", str(target))
        assert r.returncode == 0, r.stderr
        assert str(target) in r.stdout and "nodes" in r.stdout
        assert target.stat().st_size > 500
    assert ET.parse(tmp_path / "regels.svg").getroot().tag.endswith("svg")
    assert (tmp_path / "regels.dot").read_text(encoding="utf-8").splitlines()[1].startswith("digraph")
    assert "flowchart TD" in (tmp_path / "regels.mmd").read_text(encoding="utf-8")
    assert (tmp_path / "regels.png").read_bytes()[:4] == b"\x89PNG"


def test_graph_by_bundled_id(tmp_path):
    r = run("graph", "starter", "-o", str(tmp_path / "s.mmd"))
    assert r.returncode == 0, r.stderr
    assert "n_opening" in (tmp_path / "s.mmd").read_text(encoding="utf-8")


def test_graph_reports_unreachable_nodes(tmp_path):
    r = run("graph", str(INVALID / "unreachable-node.yaml"), "-o", str(tmp_path / "u.svg"))
    assert r.returncode == 0 and "1 unreachable" in r.stdout
    r = run("graph", str(INVALID / "unreachable-node.yaml"), "-o", str(tmp_path / "u.svg"), lang="nl")
    assert r.returncode == 0 and "1 onbereikbaar" in r.stdout


def test_graph_refuses_unknown_extension_and_broken_file(tmp_path):
    r = run("graph", REGELS, "-o", str(tmp_path / "map.jpg"))
    assert r.returncode == 2 and ".svg" in r.stderr and not (tmp_path / "map.jpg").exists()
    no_traceback(r)
    r = run("graph", str(INVALID / "unknown-act.yaml"), "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 1 and "KS011" in r.stderr and not (tmp_path / "x.svg").exists()
    no_traceback(r)
    r = run("graph", REGELS, "-o", str(tmp_path / "nope" / "x.svg"))
    assert r.returncode == 2 and "does not exist" in r.stderr
    no_traceback(r)


# -- validate --strict / --format json / folders ---------------------------------------------------------

def test_strict_turns_warnings_into_failure():
    warn_only = str(INVALID / "no-feedback.yaml")
    r = run("validate", warn_only)
    assert r.returncode == 0 and "warning:" in r.stdout and "KS103" in r.stdout
    r = run("validate", "--strict", warn_only)
    assert r.returncode == 1 and "--strict" in r.stdout
    r = run("validate", "--strict", REGELS)
    assert r.returncode == 0


def test_validate_json_is_one_document_with_positions():
    r = run("validate", "--format", "json", str(INVALID / "many-problems.yaml"), REGELS)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["ok"] is False and data["errors"] == 3
    assert [f["path"].endswith(name) for f, name in zip(data["files"], ("many-problems.yaml", "regels.yaml"))] \
        == [True, True]
    assert data["files"][1]["scenario"] == "regels" and data["files"][1]["errors"] == 0
    codes = {(d["code"], d["line"]) for d in data["diagnostics"]}
    assert {("KS011", 19), ("KS013", 21), ("KS008", 24)} <= codes
    assert all(set(d) == {"code", "severity", "path", "line", "column", "message"} for d in data["diagnostics"])


def test_validate_json_strict_and_clean():
    r = run("validate", "--format", "json", "--strict", str(INVALID / "no-feedback.yaml"))
    assert r.returncode == 1 and json.loads(r.stdout)["ok"] is False
    r = run("validate", "--format", "json", "scenarios")
    assert r.returncode == 0, r.stdout
    data = json.loads(r.stdout)
    assert data["ok"] is True and len(data["files"]) >= 3 and data["diagnostics"] == []


def test_validate_folder_finds_duplicate_ids_across_files(tmp_path):
    text = (GOLDEN / "regels.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.yaml").write_text(text, encoding="utf-8")
    (sub / "en.yaml").write_text(text.replace("language: nl", "language: en"), encoding="utf-8")
    r = run("validate", str(tmp_path))
    assert r.returncode == 1
    dup = [line for line in r.stdout.splitlines() if "KS022" in line]
    assert len(dup) == 1 and dup[0].startswith(str(sub / "b.yaml")) and "a.yaml" in dup[0]
    assert "3 files checked" in r.stdout


def test_validate_empty_folder_is_a_usage_mistake(tmp_path):
    r = run("validate", str(tmp_path))
    assert r.returncode == 2 and "no .yaml scenario files" in r.stderr
    no_traceback(r)
    r = run("validate", str(tmp_path), lang="nl")
    assert r.returncode == 2 and "bevat geen .yaml-scenariobestanden" in r.stderr


def test_validate_speaks_dutch_by_default_and_english_with_lang():
    path = str(INVALID / "key-efect.yaml")
    r = run("validate", path, lang="nl")
    assert r.returncode == 1 and "onbekende sleutel 'efect'" in r.stdout and "bedoel je 'effect'" in r.stdout
    assert "1 bestand gecontroleerd: 1 fout, 0 waarschuwingen" in r.stdout
    r = run("validate", "--lang", "en", path, lang="nl")
    assert "unknown key 'efect'" in r.stdout and "did you mean 'effect'" in r.stdout
    assert "1 file checked: 1 error, 0 warnings" in r.stdout


def test_validate_output_is_diagnostics_then_one_summary_line():
    r = run("validate", REGELS, str(INVALID / "tab.yaml"), lang="nl")
    lines = r.stdout.splitlines()
    assert all(line.endswith("]") for line in lines[:-1]) and lines[-1].startswith("2 bestanden gecontroleerd")


# -- analyse in human form ---------------------------------------------------------------------------------

def test_analyse_shows_best_and_worst_path_as_choices_with_text():
    r = run("analyse", REGELS)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    best = out[out.index("best path:"):out.index("worst path:")]
    assert "score 100" in best and "choices 1,1,1,1,1,1" in best
    rows = [line for line in best.splitlines()[1:] if line.strip()[:2].rstrip(".").isdigit()]
    assert len(rows) == 6 and " listen " in rows[0] and "opening" in rows[0]
    assert "worst path:" in out and "violations:" in out.split("worst path:")[1]


def test_analyse_lists_every_ending_kind_with_its_best_score_and_the_ways_to_it():
    out = run("analyse", REGELS).stdout
    line = next(x for x in out.splitlines() if x.strip().startswith("satisfied"))
    assert "best score 100 with choices 1,1,1,1,1,1 (listen → " in line and " ways; " in line
    assert "lost          not in this scenario" in out
    out = run("analyse", str(INVALID / "unreachable-node.yaml")).stdout
    assert "lost          NOT reachable" in out and "unreachable nodes: vergeten" in out


def test_analyse_counts_ways_per_ending_and_names_steps_and_mistakes():
    data = json.loads(run("analyse", REGELS, "--json").stdout)
    assert sum(data["ways_to_ending"].values()) == data["distinct_paths"]["paths"] > 100
    out = run("analyse", REGELS).stdout
    assert "assessed steps: 1 listen, 2 acknowledge, 3 ask, 4 solve, 5 agree, 6 follow_up" in out
    line = next(x for x in out.splitlines() if x.startswith("mistakes it trains:"))
    assert "justify" in line and "give_in" in line


def test_analyse_says_for_each_conditional_route_whether_a_conversation_takes_it():
    out = run("analyse", "starter").stdout
    assert "uitval, choice 3 (set_limit): if flag:geprovoceerd → tweede_uitval: yes, taken" in out
    assert "uitval, choice 3 (set_limit): otherwise → oplossing: yes, taken" in out
    out = run("analyse", "starter", lang="nl").stdout
    assert "uitval, keuze 3 (set_limit): anders → oplossing: ja, genomen" in out
    assert "een route die terug zou gaan naar een knooppunt waar hij al was, telt niet mee" in out


def test_analyse_finds_a_route_no_conversation_takes():
    from simulator.analysis.routes import route_report
    from simulator.scenario.loader import load_text

    text = (GOLDEN / "regels.yaml").read_text(encoding="utf-8")
    first = 'feedback: "Luisteren.", next: begrip}'
    assert first in text
    # The first choice routed by a condition that always holds: its fallback is never taken.
    routed = text.replace(first, 'feedback: "Luisteren.", next: [{if: "anger <= 100", goto: begrip}, {goto: begrip}]}')
    report = route_report(load_text(routed, "r.yaml").scenario)
    assert [(r.node, r.route, r.taken) for r in report.routes] == [("opening", 1, True), ("opening", 2, False)]
    assert report.complete


def test_analyse_json_carries_the_counts():
    data = json.loads(run("analyse", REGELS, "--json").stdout)
    assert data["distinct_paths"] == {"paths": 255, "loop_backs": 0, "complete": True}
    assert "justify" in data["mistake_acts"] and all(isinstance(n, int) for n in data["mistake_acts"].values())


# -- play --from NODE: preview while writing ----------------------------------------------------------------

def test_play_from_a_node_starts_there_in_the_terminal():
    r = run_process("play", "--text", "--scenario", REGELS, "--from", "vragen", "--shuffle", "7",
                    stdin="1\n1\n1\n1\n1\n1\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Voorbeeld vanaf knooppunt 'vragen'")
    assert "En nu?" in out and "Ik ben er klaar mee!" not in out      # vragen's line, not the opening's
    assert "Score:" in out


def test_play_from_a_node_scripted_counts_choices_from_there():
    r = run_process("play", "--text", "--scenario", REGELS, "--from", "vragen", "--choices", "1,1,1,1", "--json")
    assert r.returncode == 0, r.stderr
    card = json.loads(r.stdout)
    assert card["path"][0]["node"] == "vragen" and card["ending"] == "satisfied"


def test_play_from_refuses_unknown_nodes_endings_and_missing_scenario():
    r = run_process("play", "--text", "--scenario", REGELS, "--from", "vraag")
    assert r.returncode == 1 and "no node 'vraag'" in r.stderr and "did you mean 'vragen'" in r.stderr
    no_traceback(r)
    r = run_process("play", "--text", "--scenario", REGELS, "--from", "tevreden")
    assert r.returncode == 1 and "is an ending" in r.stderr
    r = run_process("play", "--text", "--from", "vragen")
    assert r.returncode == 2 and "--scenario" in r.stderr
    no_traceback(r)


SIX_MISTAKES = ["colon-in-text", "tab", "act-apologise", "key-efect", "flag-never-set", "condition-never-holds"]


def test_the_six_trainer_mistakes_get_the_fix_at_the_right_line_in_dutch_and_with_lang_en():
    import re

    from simulator.diagnostics import CATALOGUE

    for name in SIX_MISTAKES:
        path = INVALID / f"{name}.yaml"
        header = path.read_text(encoding="utf-8")
        code, line = re.search(r"^# expect: (KS\d+) (\d+)$", header, re.M).groups()
        for args, lang in (((), "nl"), (("--lang", "en"), "en")):
            r = run("validate", *args, str(path), lang="nl")
            found = [x for x in r.stdout.splitlines() if x.startswith(f"{path}:{line}:") and x.endswith(f"[{code}]")]
            assert found, (name, lang, r.stdout)
            assert CATALOGUE[code].fix(lang) in found[0]
            for phrase in re.findall(rf"^# {lang}: (.+)$", header, re.M):
                assert phrase in found[0], (name, lang, found[0])
