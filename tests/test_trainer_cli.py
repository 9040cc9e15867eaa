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
