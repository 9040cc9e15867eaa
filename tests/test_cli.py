"""The command line as a user types it: exit codes, stdout holding only JSON, one clear line on bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import GOLDEN, ROOT

REGELS = str(GOLDEN / "regels.yaml")


@pytest.fixture(autouse=True)
def _results_in_tmp(tmp_path, monkeypatch):
    """Terminal play saves results: keep them out of the developer's own data folder."""
    monkeypatch.setenv("KLANTSIM_DATA", str(tmp_path / "data"))


def run(*args, stdin: str = "", env: dict | None = None):
    # English messages (LANG), as on an English system; the Dutch default is tested in test_trainer_cli.py.
    environment = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONIOENCODING": "utf-8", "LANG": "en_US.UTF-8",
                   **(env or {})}
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, env=environment, timeout=120)


def no_traceback(result):
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_scripted_play_prints_only_the_scorecard_json():
    r = run("play", "--text", "--scenario", REGELS, "--choices", "1,1,1,1,1,1", "--json")
    assert r.returncode == 0, r.stderr
    card = json.loads(r.stdout)
    assert card["score"] == 100 and card["ending"] == "satisfied" and card["scenario"] == "regels"


def test_scripted_play_by_bundled_id():
    r = run("play", "--text", "--scenario", "starter", "--choices", "1", "--json")
    # Whatever the starter's first node offers, one choice never reaches an ending: a clear error, exit 1.
    assert r.returncode == 1 and r.stdout == ""
    assert "before an ending" in r.stderr
    no_traceback(r)


@pytest.mark.parametrize("args,code,words", [
    (["play", "--text", "--scenario", REGELS, "--choices", "1,9", "--json"], 1, "offers only 4 choices"),
    (["play", "--text", "--scenario", REGELS, "--choices", "1,2,1", "--json"], 1, "ended after 2 choices"),
    (["play", "--text", "--scenario", REGELS, "--choices", "1,x", "--json"], 2, "whole numbers"),
    (["play", "--text", "--scenario", REGELS, "--choices", "0", "--json"], 2, "whole numbers"),
    (["play", "--text", "--scenario", "bestaat-niet", "--choices", "1", "--json"], 1, "no scenario with id"),
    (["play", "--text", "--scenario", "nergens/kwijt.yaml", "--choices", "1", "--json"], 1, "no such file"),
    (["play", "--text", "--json"], 2, "--json goes with --choices"),
    (["play", "--choices", "1"], 2, "needs --scenario"),
    (["play", "--text", "--scenario", str(ROOT / "tests/invalid/unknown-act.yaml"), "--choices", "1", "--json"],
     1, "cannot be played"),
    (["validate"], 2, "required"),
    (["nonsense"], 2, "invalid choice"),
    (["analyse", "nergens.yaml"], 1, "no such file"),
])
def test_bad_input_gives_one_clear_message_and_an_exit_code(args, code, words):
    r = run(*args)
    assert r.returncode == code, (r.stdout, r.stderr)
    assert words in r.stderr
    assert r.stdout == ""
    no_traceback(r)


def test_validate_exit_codes_and_diagnostic_lines():
    ok = run("validate", REGELS)
    assert ok.returncode == 0 and "0 errors, 0 warnings" in ok.stdout
    bad = run("validate", str(ROOT / "tests/invalid/many-problems.yaml"), REGELS)
    assert bad.returncode == 1
    lines = [line for line in bad.stdout.splitlines() if ": error: " in line]
    assert len(lines) >= 3
    assert all(line.startswith(str(ROOT / "tests/invalid/many-problems.yaml") + ":") for line in lines)
    no_traceback(bad)


def test_validate_a_folder():
    r = run("validate", str(ROOT / "tests" / "invalid"))
    assert r.returncode == 1 and "files checked" in r.stdout
    no_traceback(r)


def test_validate_oversized_and_binary_files(tmp_path):
    big = tmp_path / "groot.yaml"
    with open(big, "wb") as fh:
        fh.truncate(6 * 1024 * 1024)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage")
    r = run("validate", str(big), str(binary))
    assert r.returncode == 1 and "KS003" in r.stdout and "KS002" in r.stdout
    no_traceback(r)


def test_analyse_json_is_only_json_and_names_best_path():
    r = run("analyse", REGELS, "--json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["best"]["choices"] == [1, 1, 1, 1, 1, 1] and data["best"]["score"] == 100
    assert data["best_misses"] == [] and set(data["endings"]) == {"satisfied", "disconnected", "escalated"}
    assert data["worst"]["score"] == 0


def test_analyse_human_output():
    r = run("analyse", REGELS)
    assert r.returncode == 0 and "best path: score 100" in r.stdout and "worst path" in r.stdout


SEED = 7


def keys(scenario: str, file_numbers: list, seed: int = SEED) -> str:
    """What to type in interactive play (shown in seed's shuffled order) to make these choices, counted in file
    order among the offered ones; "u", "q" and other text are typed as they are."""
    from simulator.engine.session import Session
    from simulator.scenario.loader import load_file

    session, typed = Session(load_file(ROOT / scenario).scenario, seed=seed), []
    for n in file_numbers:
        if n == "u":
            session.undo()
        if not isinstance(n, int) or n > len(session.choices()):
            typed.append(str(n))
            continue
        typed.append(str(session.shown_numbers().index(n) + 1))
        session.choose_offered(n)
    return "\n".join(typed) + "\n"


def test_interactive_terminal_play_shows_the_choices_in_a_shuffled_order():
    plain = run("play", "--text", "--scenario", REGELS, "--shuffle", "1", stdin="q\n").stdout
    orders = {run("play", "--text", "--scenario", REGELS, "--shuffle", str(seed), stdin="q\n").stdout
              for seed in range(1, 6)}
    assert len(orders) > 1 and plain in orders   # the same seed shows the same order, other seeds others


def test_interactive_terminal_play_with_undo_and_debrief():
    r = run("play", "--text", "--scenario", REGELS, "--shuffle", str(SEED),
            stdin=keys(REGELS, [1, "u", 1, 7, 1, 1, 1, 1, 1]))
    assert r.returncode == 0, r.stderr
    assert "Laatste keuze teruggenomen." in r.stdout
    assert "Typ een nummer van 1 tot 4" in r.stdout
    assert "Score: 100/100" in r.stdout and "Je nam de beste route" in r.stdout


def test_terminal_play_ends_cleanly_when_input_ends():
    r = run("play", "--text", "--scenario", REGELS, stdin="1\n")
    assert r.returncode == 0 and "Gesprek afgebroken." in r.stdout
    no_traceback(r)


def test_main_without_a_screen_says_so_and_plays_in_the_terminal():
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    r = run(stdin="q\n", env=env)
    assert r.returncode == 0
    assert "Geen scherm gevonden" in r.stderr and "Kies een scenario" in r.stdout
    no_traceback(r)


def test_english_terminal():
    r = run("play", "--text", "--lang", "en", "--scenario", REGELS, "--shuffle", str(SEED), stdin=keys(REGELS, [1, 2]))
    assert "Ending: satisfied customer" in r.stdout and "Caving in" not in r.stdout  # rule text follows the file


def test_terminal_play_saves_the_result_and_history_shows_it(tmp_path):
    data = str(tmp_path / "results")
    r = run("play", "--text", "--scenario", REGELS, "--player", "Ayşe", "--data", data, "--shuffle", str(SEED),
            stdin=keys(REGELS, [1, 1, 1, 1, 1, 1]))
    assert r.returncode == 0, r.stderr
    quit_early = run("play", "--text", "--scenario", REGELS, "--player", "Ayşe", "--data", data, stdin="1\nq\n")
    assert quit_early.returncode == 0
    history = run("history", "--data", data)
    assert history.returncode == 0, history.stderr
    assert "Ayşe" in history.stdout and "100" in history.stdout


def test_class_mode_needs_a_window():
    r = run("play", "--class", "--text")
    assert r.returncode == 2 and "--class" in r.stderr
    no_traceback(r)


def test_a_path_as_good_as_the_best_is_not_told_it_parted():
    # domme-klanten has two equally good answers in the break room; the analyser names the first.
    r = run("play", "--text", "--scenario", "scenarios/domme-klanten.nl.yaml", "--shuffle", str(SEED),
            stdin=keys("scenarios/domme-klanten.nl.yaml", [3, 1, 3, 2, 3, 2, 1, 2, 2, 2]))
    assert "Score: 100/100" in r.stdout
    assert "Je nam de beste route" in r.stdout and "uiteen" not in r.stdout


def test_a_usage_mistake_names_the_help_command_once_and_works_when_typed():
    r = run("validate")
    assert r.returncode == 2 and "main.py main.py" not in r.stderr
    hint = r.stderr.strip().splitlines()[-1]
    assert hint.startswith("(try: ") and hint.endswith("main.py validate --help)"), hint
    no_traceback(r)
    helped = subprocess.run(hint[len("(try: "):-1].split(), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0 and "--strict" in helped.stdout


def test_klantsim_console_command_and_main_py_without_the_packages():
    klantsim = os.path.join(os.path.dirname(sys.executable), "klantsim")
    r = subprocess.run([klantsim, "validate", str(ROOT / "tests" / "invalid" / "tab.yaml")], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env={**os.environ, "LANG": "nl_NL.UTF-8"})
    assert r.returncode == 1 and "op regel 24 staat een tab" in r.stdout and "[KS031]" in r.stdout
    # A Python without KlantSim's packages (-S: no site-packages) gets one line saying what to run.
    r = subprocess.run([sys.executable, "-S", "main.py", "validate", "scenarios"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "make play" in r.stderr and ".venv/bin/klantsim" in r.stderr


def test_the_command_list_comes_from_the_catalogue_and_only_the_chosen_command_is_imported():
    code = ("import sys; from simulator.cli import build_parser; p = build_parser(['validate', 'x.yaml']); "
            "print(sorted(m for m in sys.modules if m.startswith('simulator.commands.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "simulator.commands.validate" in out and "simulator.commands.graph'" not in out
    assert "simulator.commands.report" not in out and "simulator.commands.play'" not in out
    helps = run("--help").stdout
    from simulator.commands.catalogue import COMMANDS

    for command in COMMANDS:                    # every command listed with its help, none imported for it
        assert command.name in helps and command.help[:30] in helps.replace("\n", " ").replace("  ", " ")


def test_validating_a_good_file_loads_no_more_than_it_needs():
    """`validate` of a good file prints its summary without the modules only a problem, another output format or
    another command needs (speed: benchmarks/cli_bench.py), and reads only the commands' strings."""
    code = ("import sys; from simulator.cli import main; code = main(['validate', 'scenarios/duikreis.nl.yaml']); "
            "import simulator.i18n as i; print(code, sorted(m for m in sys.modules if m in {'json', 'difflib', "
            "'sqlite3', 'pygame', 'simulator.results.store'} or m.startswith('simulator.game')), "
            "i.strings.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 [] 0"


def test_no_string_key_is_in_two_front_ends_files():
    """`say` reads the commands' file alone: a key there must not be overridden by another front end's file."""
    import yaml

    seen: dict[str, str] = {}
    for path in sorted((ROOT / "simulator" / "i18n").glob("*.yaml")):
        for key in yaml.safe_load(path.read_text(encoding="utf-8")) or {}:
            assert key not in seen, f"{key} is in {seen[key]} and {path.name}"
            seen[key] = path.name
