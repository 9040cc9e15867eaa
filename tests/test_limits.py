"""Limits before work: hostile but small input (deep nesting, special files, huge conditions, long chains,
invisible text, newlines in names) gets a one-line diagnostic or just works; never a crash, a hang or a traceback."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, load_ok
from fuzz.shapes import chain, compact_chain
from simulator.analysis.graph import build_graph, count_paths
from simulator.cli import main
from simulator.scenario import conditions
from simulator.scenario.loader import MAX_BYTES, load_file, load_text

STARTER = ROOT / "scenarios" / "starter.nl.yaml"
DIAGNOSTIC = re.compile(r"^[^\n]+:\d+:\d+: (error|warning): [^\n]* \[KS\d{3}\]$")


def _run(*args) -> subprocess.CompletedProcess:
    """The real entry point in a child process, so a crash by signal shows as a negative return code."""
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


# -- nesting: libyaml's composer recursed in C and died with SIGSEGV from some 25,000 levels -----------------

@pytest.mark.parametrize("command", [["validate"], ["analyse"], ["play", "--text", "--choices", "1", "--scenario"],
                                     ["graph", "-o", "OUT"]])
def test_thirty_thousand_brackets_are_a_diagnostic_not_a_crash(tmp_path, command):
    deep = tmp_path / "diep.yaml"
    deep.write_text("[" * 30_000 + "\n", encoding="utf-8")
    args = [str(tmp_path / "kaart.dot") if a == "OUT" else a for a in command]
    args = args[:1] + [deep] + args[1:] if command[0] in ("analyse", "graph") else args + [deep]
    done = _run(*args)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    assert "KS027" in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_a_deep_file_in_a_folder_does_not_stop_the_other_files(tmp_path):
    (tmp_path / "diep.yaml").write_text("x: " + "{a: " * 30_000 + "\n", encoding="utf-8")
    (tmp_path / "goed.nl.yaml").write_bytes(STARTER.read_bytes())
    done = _run("validate", tmp_path)
    assert done.returncode == 1
    assert "diep.yaml:1:" in done.stdout and "KS027" in done.stdout
    assert "2 files checked: 1 error" in done.stdout


def test_deep_block_indentation_is_caught_too():
    text = "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "v\n"
    result = load_text(text, "blok.yaml")
    assert [d.code for d in result.diagnostics] == ["KS027"]
    assert result.diagnostics[0].pos.line == 101


@pytest.mark.parametrize("text, line", [
    ("x: " + "[" * 100 + "[]" + "]" * 100 + "\n", 1),                  # an empty list one level too deep
    ("a: &x 1\nb: &x 2\nc: " + "[" * 30_000 + "\n", 3),               # a duplicate anchor before the depth
    ("a: *nergens\nc: " + "{a: " * 30_000 + "\n", 2),                 # an unknown alias before the depth
    ("x: " + "[" * 101 + "\n" + "]" * 100 + "\n", 1),                  # left open: broken only after the depth
    ("--- 1\n--- " + "[" * 30_000 + "\n", 2),                          # the depth in a second document
])
def test_nesting_is_refused_where_it_starts_whatever_else_is_wrong(text, line):
    """Loading counts the depth while composing; a file too deep is refused at its first level too deep, even
    when the composer would stop first at another problem (as the scan before composing always did)."""
    result = load_text(text, "diep.yaml")
    assert [(d.code, d.pos.line) for d in result.diagnostics] == [("KS027", line)]


def test_text_at_the_deepest_level_allowed_is_not_refused():
    text = "x: " + "[" * 99 + "tekst" + "]" * 99 + "\n"    # a text in the 100th list: 100 levels, not 101
    assert all(d.code != "KS027" for d in load_text(text, "x.yaml").diagnostics)


def test_ordinary_nesting_is_not_refused():
    text = "x: " + "[" * 90 + "]" * 90 + "\n"
    assert all(d.code != "KS027" for d in load_text(text, "x.yaml").diagnostics)
    assert load_ok(STARTER).id == "starter"


# -- conditions ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["(" * 245 + "anger > 1" + ")" * 245, "not " * 980 + "anger > 1",
                                    " and ".join(["flag:a"] * 980), "anger >= " + "9" * 5000, "anger > 1234567",
                                    "anger > " + "1" * 400])
def test_oversized_conditions_are_refused_with_ks028(source):
    with pytest.raises(conditions.ConditionError) as caught:
        conditions.parse(source)
    assert caught.value.over_limit
    text = STARTER.read_text(encoding="utf-8").replace('if: "anger >= 75"', f'if: "{source}"')
    result = load_text(text, "c.yaml")
    assert [d.code for d in result.diagnostics if d.is_error] == ["KS028"]
    assert len(str(result.diagnostics[0])) < 600, "the message quotes only the start of a long condition"


def test_conditions_up_to_the_limits_still_work():
    source = "(" * 19 + "not anger > 999999" + ")" * 19
    expr = conditions.parse(source)
    assert conditions.evaluate(expr, anger=50, trust=50, turns=0, flags=set())
    long_and = " and ".join(["flag:a"] * 45)
    assert len(long_and) <= conditions.MAX_LENGTH
    assert conditions.evaluate(conditions.parse(long_and), 0, 0, 0, {"a"})


def test_only_ascii_digits_are_numbers_in_conditions():
    with pytest.raises(conditions.ConditionError):
        conditions.parse("anger > ٣")


# -- special files: a FIFO blocked for ever, /dev/zero grew to gigabytes ----------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this system has no FIFOs")
def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pijp.yaml"
    os.mkfifo(fifo)
    result = load_file(fifo)
    assert [d.code for d in result.diagnostics] == ["KS026"]
    done = _run("validate", fifo)
    assert done.returncode == 1 and "KS026" in done.stdout


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="this system has no /dev/zero")
def test_a_device_behind_a_yaml_name_is_refused(tmp_path):
    link = tmp_path / "nul.yaml"
    link.symlink_to("/dev/zero")
    assert [d.code for d in load_file(link).diagnostics] == ["KS026"]
    assert [d.code for d in load_file("/dev/zero").diagnostics] == ["KS026"]


def test_a_file_over_the_cap_is_refused_whatever_its_size_claims(tmp_path):
    big = tmp_path / "groot.yaml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    result = load_file(big)
    assert [d.code for d in result.diagnostics] == ["KS003"]
    assert "5 MB" in result.diagnostics[0].message


def test_a_folder_named_like_a_scenario_is_a_diagnostic(tmp_path):
    folder = tmp_path / "map.yaml"
    folder.mkdir()
    assert [d.code for d in load_file(folder).diagnostics] == ["KS002"]


# -- long chains: the path count recursed once per node ---------------------------------------------------------

def test_analyse_a_thousand_node_chain(tmp_path, capsys):
    path = tmp_path / "keten.yaml"
    path.write_text(chain(1000), encoding="utf-8")
    assert main(["analyse", str(path), "--json"]) == 0
    assert '"best"' in capsys.readouterr().out
    counted = count_paths(load_ok(path))
    assert not counted.complete and counted.paths > 0   # 2 choices at each of 1,000 nodes: 2**1000 paths


def test_count_paths_counts_a_short_chain_exactly(tmp_path):
    path = tmp_path / "kort.yaml"
    path.write_text(chain(10), encoding="utf-8")
    counted = count_paths(load_ok(path))
    assert (counted.paths, counted.loop_backs, counted.complete) == (2 ** 10, 0, True)


# -- the map: one scan of all nodes per look-up made `graph` quadratic ------------------------------------------

class _CountingList(list):
    scans = 0

    def __iter__(self):
        type(self).scans += 1
        return super().__iter__()


def test_graph_looks_nodes_up_without_scanning_them(tmp_path):
    from simulator.commands.graph import to_dot, to_mermaid

    path = tmp_path / "keten.yaml"
    path.write_text(compact_chain(300), encoding="utf-8")
    graph = build_graph(load_ok(path))
    graph.nodes = _CountingList(graph.nodes)
    to_dot(graph)
    to_mermaid(graph)
    assert _CountingList.scans < 20, f"{_CountingList.scans} scans of {len(graph.nodes)} nodes"


# -- every diagnostic is one line -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ['"open\\ning"', '"a\\rb"', '"x\\u2028y"', '"tab\\there"', '"nul\\0"'])
def test_names_with_line_breaks_stay_on_one_line(tmp_path, name, capsys):
    text = STARTER.read_text(encoding="utf-8").replace("\n  opening:\n", f"\n  {name}:\n", 1)
    path = tmp_path / "naam.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) >= 2
    for line in out[:-1]:
        assert DIAGNOSTIC.match(line), line


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path, capsys):
    path = tmp_path / "twee\nregels.yaml"
    path.write_text("format: [\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert DIAGNOSTIC.match(lines[0]) and "twee\\nregels.yaml" in lines[0]
