"""The Dutch authoring guide: every diagnostic code documented with a mistake and its fix, every act and rule
named, its full example clean, and every command and option it mentions real."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from simulator.cli import build_parser
from simulator.diagnostics import CATALOGUE
from simulator.analysis.checks import analysis_checks
from simulator.scenario.loader import load_text
from simulator.scenario.model import ACTS, ENDINGS, STEPS

GUIDE_PATH = ROOT / "docs" / "handleiding-scenario-schrijven.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
RULES = ("too_early", "back_to_start", "boundary_ladder", "abuse_tolerated", "counter_abuse", "door_closed",
         "gave_in", "method")
YAML_SYNTAX = {"KS001", "KS031", "KS032", "KS034", "KS035"}   # their mistakes are not YAML at all
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)


def sections() -> dict[str, str]:
    """Code → the text of its section (from its `### KSnnn` heading to the next heading)."""
    parts = re.split(r"^### (KS\d{3})\s*$", GUIDE, flags=re.M)
    return {parts[i]: re.split(r"^#{2,3} ", parts[i + 1], flags=re.M)[0] for i in range(1, len(parts), 2)}


def example(section: str, marker: str) -> tuple[str, str]:
    """(language, text) of the first fenced block after `**marker:**`."""
    at = section.index(f"**{marker}:**")
    m = FENCE.search(section, at)
    assert m, f"no example after {marker}"
    return m.group(1), m.group(2)


def test_every_catalogue_code_has_a_section_and_no_other():
    assert set(sections()) == set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_code_shows_the_mistake_and_its_fix(code):
    text = sections()[code]
    explanation = text.split("**Fout:**")[0].strip()
    assert len(explanation.split()) >= 8, f"{code} needs a Dutch explanation"
    lang_bad, bad = example(text, "Fout")
    lang_good, good = example(text, "Zo is het goed")
    assert bad.strip() != good.strip()
    if lang_good == "yaml":
        yaml.compose(good, Loader=yaml.SafeLoader)   # the fix must at least be valid YAML
    if code in YAML_SYNTAX:
        with pytest.raises(yaml.YAMLError):
            yaml.compose(bad, Loader=yaml.SafeLoader)
    elif lang_bad == "yaml" and code not in ("KS004",):
        yaml.compose(bad, Loader=yaml.SafeLoader)


def test_warnings_and_errors_are_told_apart():
    for code, text in sections().items():
        if CATALOGUE[code].severity == "warning":
            assert "(waarschuwing)" in text.split("\n\n")[0] or "waarschuwing" in text.split("**Fout:**")[0]


def test_the_full_example_loads_without_any_diagnostic():
    block = GUIDE.split("<!-- volledig-voorbeeld -->", 1)[1]
    m = FENCE.search(block)
    result = load_text(m.group(2), "pakket-kwijt.nl.yaml")
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert analysis_checks(result.scenario) == []
    acts = {c.act for n in result.scenario.nodes.values() for c in n.choices}
    assert {"set_limit", "counter", "justify"} <= acts and any(n.abusive for n in result.scenario.nodes.values())


def test_every_act_ending_step_and_rule_is_named():
    for name in ACTS + ENDINGS + STEPS + RULES:
        assert f"`{name}`" in GUIDE, name


def _options(command: str) -> set[str]:
    parser = build_parser(everything=True)
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {o for a in sub.choices[command]._actions for o in a.option_strings}


COMMAND = re.compile(r"(?:\.venv/bin/)?klantsim (\w+)((?: [^\n`]*)?)")


def test_every_command_and_option_in_the_guide_exists():
    commands = COMMAND.findall(GUIDE)
    assert {c for c, _ in commands} >= {"new", "validate", "analyse", "graph", "play"}
    for command, rest in commands:
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest):
            assert option in _options(command), f"klantsim {command} has no {option}"
    for command, option in re.findall(r"`(validate|graph|new) (--?[a-z][\w-]*)", GUIDE):
        assert option in _options(command), f"{command} has no {option}"
    assert "python main.py" not in GUIDE.split("## 2.")[0].replace("`python main.py …`", "")


def walkthrough() -> list[str]:
    """The commands from the guide's start to the end of section 1, as printed: every line of its ```sh blocks."""
    part = GUIDE.split("\n## 2. ", 1)[0]
    return [line.strip() for lang, block in FENCE.findall(part) if lang == "sh" for line in block.splitlines()
            if line.strip()]


def test_the_walkthrough_works_as_printed_from_the_venv(tmp_path):
    """Section 1 typed by a trainer after `make play`: new, the example pasted in, play, validate, analyse,
    graph, play --from. Each command runs as printed with the venv's klantsim, in a fresh folder."""
    import os
    import shlex
    import subprocess
    import sys

    klantsim = Path(sys.executable).parent / "klantsim"
    assert klantsim.exists(), "`make play`/`make test` install the klantsim command into the venv"
    commands = walkthrough()
    assert commands[0] == "make play" and all(c.startswith(".venv/bin/klantsim ") for c in commands[1:])
    (tmp_path / "scenarios").mkdir()
    env = {**os.environ, "KLANTSIM_DATA": str(tmp_path / "data"), "SDL_VIDEODRIVER": "dummy", "LANG": "nl_NL.UTF-8"}
    example = FENCE.search(GUIDE.split("<!-- volledig-voorbeeld -->", 1)[1]).group(2)
    for command in commands[1:]:
        argv = [str(klantsim), *shlex.split(command)[1:]]
        done = subprocess.run(argv, cwd=tmp_path, env=env, input="1\n" * 60, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, (command, done.stdout[-500:], done.stderr)
        assert "Traceback" not in done.stderr
        if " new " in f" {command} ":
            target = tmp_path / "scenarios" / "pakket-kwijt.nl.yaml"
            first = target.read_text(encoding="utf-8").splitlines()[0]
            target.write_text(first + "\n" + example, encoding="utf-8")   # step 3: the trainer writes the conversation
        if " validate " in f" {command} ":
            assert "0 fouten, 0 waarschuwingen" in done.stdout
    assert (tmp_path / "pakket-kwijt.svg").stat().st_size > 1000 and (tmp_path / "pakket-kwijt.png").exists()


def test_readme_links_to_the_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/handleiding-scenario-schrijven.md" in readme
