"""The trainer's commands as a trainer types them: graph, validate --strict/--format json, analyse, play --from."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from conftest import GOLDEN, ROOT

REGELS = str(GOLDEN / "regels.yaml")
INVALID = ROOT / "tests" / "invalid"


def run(*args, stdin: str = ""):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONIOENCODING": "utf-8",
           "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
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
