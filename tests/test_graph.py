"""The scenario map: its data from the core, and the .svg/.dot/.mmd/.png files `graph` writes from it."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pydot
import pytest

from conftest import BUNDLED, GOLDEN, ROOT, load_ok, scenario_from
from simulator.cli import main
from simulator.commands.graph import KIND_COLOUR, render, to_dot, to_mermaid
from simulator.engine.session import Session
from simulator.analysis.search import analyse
from simulator.analysis.graph import act_kind, build_graph

SVG_NS = "{http://www.w3.org/2000/svg}"
# pydot 4 calls pyparsing's old camelCase names; the warning is theirs, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

# A scenario with everything a map must show, and text that breaks careless formatters: quotes, <, >, &, #, |.
TRICKY = """\
format: 1
id: lastig
title: "Quotes \\"hier\\" & <daar> | #1"
language: nl
summary: "Alles wat een kaart moet tonen."
difficulty: 1
channel: counter
customer: {name: "meneer \\"Jansen\\"", anger: 60}
assess: [listen, set_limit_is_no_step_so_not_here]
start: begin
nodes:
  begin:
    say: "Jullie zijn \\"echt\\" <waardeloos> & traag | #zucht"
    abusive: true
    choices:
      - text: "Als u zo praat, kan ik u niet helpen."
        act: set_limit
        feedback: "Grens."
        next:
          - if: "anger >= 90"
            goto: end
          - goto: rustig
      - text: "Zelf schelden."
        act: counter
        feedback: "Fout."
        next: weg
  rustig:
    say: "Nou goed dan."
    choices:
      - text: "Vertelt u het maar."
        act: listen
        feedback: "Stap 1."
        next: end
      - text: "Ik zeg niets."
        act: neutral
        feedback: "Niets."
        next: begin
  end:
    say: "Fijn."
    ending: satisfied
  weg:
    say: "Ik ga."
    ending: lost
  vergeten:
    say: "Hallo?"
    ending: lost
""".replace("assess: [listen, set_limit_is_no_step_so_not_here]", "assess: [listen]")


@pytest.fixture(scope="module")
def tricky():
    return build_graph(scenario_from(TRICKY))


@pytest.fixture(scope="module")
def regels():
    return build_graph(load_ok(GOLDEN / "regels.yaml"))


# -- the data -----------------------------------------------------------------------------------------------

def test_act_kinds_follow_the_method():
    assert [act_kind(a) for a in ("listen", "apologize", "follow_up")] == ["step"] * 3
    assert [act_kind(a) for a in ("set_limit", "warn", "end_contact", "hand_over", "offer_channel")] == ["boundary"] * 5
    assert [act_kind(a) for a in ("justify", "give_in", "ignore")] == ["mistake"] * 3
    assert act_kind("neutral") == "neutral"


def test_graph_marks_abusive_start_unreachable_and_endings(tricky):
    begin = tricky.node("begin")
    assert begin.abusive and begin.is_start and begin.first_words.startswith('Jullie zijn "echt"')
    assert tricky.unreachable == ["vergeten"]
    assert tricky.endings == {"satisfied": ["end"], "lost": ["weg", "vergeten"]}


def test_conditional_routes_become_conditional_edges(tricky):
    limit = [e for e in tricky.edges if e.source == "begin" and e.act == "set_limit"]
    assert {(e.target, e.condition) for e in limit} == {("end", "anger >= 90"), ("rustig", None)}
    assert all(e.kind == "boundary" for e in limit)


def test_best_path_edges_are_the_ones_the_best_play_takes(regels):
    scenario = load_ok(GOLDEN / "regels.yaml")
    best = analyse(scenario).best
    session = Session.replay(scenario, best.choices)
    taken = [(t.node, t.next_node) for t in session.turns]
    marked = [(e.source, e.target) for e in regels.edges if e.on_best_path]
    assert sorted(marked) == sorted(taken)
    assert regels.best_path == [t.node for t in session.turns] + [best.end_node]
    assert regels.best_choices == best.choices
    assert all(regels.node(n).on_best_path for n in regels.best_path)


def test_every_choice_appears_as_an_edge(regels):
    scenario = load_ok(GOLDEN / "regels.yaml")
    choices = {(n.id, i + 1) for n in scenario.nodes.values() for i, _ in enumerate(n.choices)}
    assert {(e.source, e.choice) for e in regels.edges} == choices


# -- SVG (drawn by Graphviz) ---------------------------------------------------------------------------------

def svg_of(graph, tmp_path, language="nl", scenario=None):
    target = tmp_path / "kaart.svg"
    render(to_dot(graph, language, scenario), "svg", target)
    return ET.fromstring(target.read_text(encoding="utf-8"))


def boxes(root) -> dict[str, tuple[float, float, float, float]]:
    """Each node's box (x0, y0, x1, y1), read back from the coordinates of its outline in the SVG."""
    out = {}
    for g in root.iter(SVG_NS + "g"):
        if "node" in g.get("class", "").split():
            shape = g.find(SVG_NS + "path")
            shape = shape if shape is not None else g.find(SVG_NS + "polygon")
            numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points"))]
            xs, ys = numbers[0::2], numbers[1::2]
            out[g.find(SVG_NS + "title").text] = (min(xs), min(ys), max(xs), max(ys))
    return out


def test_svg_is_well_formed_and_draws_every_node_and_edge(tricky, tmp_path):
    root = svg_of(tricky, tmp_path)
    assert root.tag == SVG_NS + "svg" and root.get("viewBox")
    nodes = [g for g in root.iter(SVG_NS + "g") if "node" in g.get("class", "").split()]
    edges = [g for g in root.iter(SVG_NS + "g") if "edge" in g.get("class", "").split()]
    assert sorted(g.find(SVG_NS + "title").text for g in nodes) == sorted(n.id for n in tricky.nodes)
    assert len(edges) == len(tricky.edges)
    classes = {g.find(SVG_NS + "title").text: g.get("class").split() for g in nodes}
    assert "unreachable" in classes["vergeten"] and "abusive" in classes["begin"] and "ending" in classes["weg"]
    for g in edges:
        kind = next(k for k in KIND_COLOUR if k in g.get("class").split())
        assert KIND_COLOUR[kind] in {p.get("stroke") for p in g.iter(SVG_NS + "path")}
    texts = "".join(root.itertext())
    assert 'Quotes "hier" & <daar>' in texts and "set_limit" in texts


def test_conditions_are_dashed_and_the_fallback_says_otherwise(tmp_path):
    scenario = scenario_from(TRICKY)
    for language, word in (("nl", "anders"), ("en", "otherwise")):
        root = svg_of(build_graph(scenario), tmp_path, language, scenario)
        edges = {g.find(SVG_NS + "title").text.replace("&#45;", "-"): g for g in root.iter(SVG_NS + "g")
                 if "edge" in g.get("class", "").split()}
        for name, expected in (("begin->end", "anger >= 90"), ("begin->rustig", word)):
            g = edges[name]
            assert expected in "".join(g.itertext())
            assert all(p.get("stroke-dasharray") for p in g.iter(SVG_NS + "path")), name
        assert not any(p.get("stroke-dasharray") for p in edges["begin->weg"].iter(SVG_NS + "path"))


def test_svg_endings_sit_in_one_frame_per_kind_below_the_conversation(tricky, tmp_path):
    root = svg_of(tricky, tmp_path)
    frames = [g.find(SVG_NS + "title").text for g in root.iter(SVG_NS + "g") if g.get("class") == "cluster"]
    assert frames == ["cluster_satisfied", "cluster_lost"]
    box = boxes(root)
    assert min(box[e][1] for e in ("end", "weg", "vergeten")) > max(box[n][1] for n in ("begin", "rustig"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_scenario_renders_with_no_two_boxes_overlapping(path, tmp_path):
    scenario = load_ok(path)
    graph = build_graph(scenario)
    root = svg_of(graph, tmp_path, "en", scenario)
    box = boxes(root)
    assert set(box) == {n.id for n in graph.nodes}
    items = sorted(box.items())
    for i, (a_id, a) in enumerate(items):
        for b_id, b in items[i + 1:]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, f"{a_id} overlaps {b_id}"
    best = [g for g in root.iter(SVG_NS + "g") if "best" in g.get("class", "").split()
            and "edge" in g.get("class", "").split()]
    assert len(best) == len(graph.best_choices)
    # No link's label is written inside a node's box.
    for g in root.iter(SVG_NS + "g"):
        if "edge" in g.get("class", "").split():
            for text in g.iter(SVG_NS + "text"):
                x, y = float(text.get("x")), float(text.get("y"))
                inside = [n for n, (x0, y0, x1, y1) in box.items() if x0 < x < x1 and y0 < y < y1]
                assert not inside, f"label {text.text!r} lies in {inside}"


def test_a_generated_500_node_scenario_renders(tmp_path):
    from benchmarks.scenario_bench import generate

    path = tmp_path / "groot.yaml"
    path.write_text(generate(500), encoding="utf-8")
    assert main(["graph", str(path), "-o", str(tmp_path / "groot.svg")]) == 0
    assert len(boxes(ET.parse(tmp_path / "groot.svg").getroot())) >= 500


def test_graph_command_writes_svg_and_png(tmp_path, capsys):
    assert main(["graph", "starter", "-o", str(tmp_path / "k.svg"), "--lang", "en"]) == 0
    assert "19 nodes" in capsys.readouterr().out
    assert main(["graph", "starter", "-o", str(tmp_path / "k.png"), "--lang", "nl"]) == 0
    assert "19 knooppunten" in capsys.readouterr().out
    assert (tmp_path / "k.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("*.part"))


# -- DOT --------------------------------------------------------------------------------------------------

def test_dot_parses_and_keeps_labels_and_clusters(tricky):
    graphs = pydot.graph_from_dot_data(to_dot(tricky))
    assert graphs and len(graphs) == 1
    g = graphs[0]
    assert len(g.get_edges()) == len(tricky.edges)
    clusters = [s.get_name().strip("\"") for s in g.get_subgraphs() if s.get_name()]
    assert clusters == ["cluster_satisfied", "cluster_lost"]
    begin = g.get_node('"begin"')[0]
    assert '\\"echt\\"' in begin.get("label") and "scheldt" in begin.get("label")
    best = [e for e in g.get_edges() if e.get("penwidth")]
    assert len(best) == len(tricky.best_choices)


def test_dot_is_refused_by_the_parser_when_broken():
    # The well-formedness check can fail: a dangling edge is rejected.
    assert pydot.graph_from_dot_data('digraph { "a" -> ; }') is None


# -- Mermaid ----------------------------------------------------------------------------------------------

MMD_NODE = re.compile(r'(n_[a-z0-9_]+)(\["[^"]*"\]|\(\["[^"]*"\]\))$')
MMD_EDGE = re.compile(r'(n_[a-z0-9_]+) (-->|-\.->)\|"[^"|]*"\| (n_[a-z0-9_]+)$')
MMD_OTHER = re.compile(r'(subgraph [a-z_]+\["[^"]*"\]|end|linkStyle \d+ [a-z:#0-9.,\-]+|'
                       r'classDef [a-z_]+ [a-z:#0-9., \-]+|class [a-z0-9_,]+ [a-z_]+)$')


def check_mermaid(text: str) -> tuple[set[str], int]:
    """A strict reading of the subset of Mermaid flowcharts we write; raises AssertionError when broken."""
    lines = text.splitlines()
    assert lines[0] == "---" and lines[1].startswith("title: ") and lines[2] == "---" and lines[3] == "flowchart TD"
    declared, used, links, depth, styled = set(), set(), 0, 0, []
    for line in lines[4:]:
        body = line.strip()
        if m := MMD_NODE.match(body):
            assert m.group(1) not in declared, f"declared twice: {m.group(1)}"
            declared.add(m.group(1))
        elif m := MMD_EDGE.match(body):
            used |= {m.group(1), m.group(3)}
            links += 1
        elif MMD_OTHER.match(body):
            if body.startswith("subgraph"):
                depth += 1
            elif body == "end":
                depth -= 1
                assert depth >= 0
            elif body.startswith("linkStyle"):
                styled.append(int(body.split()[1]))
        else:
            raise AssertionError(f"not valid here: {line!r}")
    assert depth == 0 and used <= declared
    assert sorted(styled) == list(range(links))
    return declared, links


def test_mermaid_is_well_formed_and_escapes_text(tricky):
    text = to_mermaid(tricky)
    declared, links = check_mermaid(text)
    assert declared == {"n_" + n.id for n in tricky.nodes} and links == len(tricky.edges)
    # The node called `end` is prefixed, since a bare `end` closes a subgraph in Mermaid.
    assert "n_end" in declared
    assert "#quot;echt#quot;" in text and "#lt;waardeloos#gt;" in text
    assert "subgraph endings_satisfied" in text and "subgraph endings_lost" in text
    assert "class n_vergeten" in text and re.search(r"class [a-z0-9_,]*n_vergeten[a-z0-9_,]* unreachable", text)


def test_mermaid_check_catches_a_broken_file(tricky):
    broken = to_mermaid(tricky).replace('-->|"counter"|', '-->|"counter|')
    with pytest.raises(AssertionError):
        check_mermaid(broken)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_mermaid_and_dot_of_every_bundled_scenario_are_well_formed(path):
    graph = build_graph(load_ok(path))
    check_mermaid(to_mermaid(graph))
    assert pydot.graph_from_dot_data(to_dot(graph)) is not None


# -- PNG --------------------------------------------------------------------------------------------------

def test_png_is_a_picture_with_the_best_path_drawn(tmp_path, tricky):
    import pygame

    target = tmp_path / "kaart.png"
    render(to_dot(tricky), "png", target)
    image = pygame.image.load(str(target))
    w, h = image.get_size()
    assert w > 300 and h > 300
    colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, w, 2) for y in range(0, h, 2)}
    assert (0xf2, 0x9d, 0x00) in colours           # best path border
    assert (0xc6, 0x28, 0x28) in colours           # a mistake link / abusive border


def test_building_the_graph_leaves_pygame_out():
    code = ("import sys; from simulator.scenario.loader import load_file; from simulator.analysis.graph import "
            "build_graph; build_graph(load_file('tests/golden/regels.yaml').scenario); print('pygame' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- counting paths -----------------------------------------------------------------------------------------

def test_count_paths_cuts_loops_and_respects_conditions(tricky):
    from simulator.analysis.graph import count_paths

    counted = count_paths(scenario_from(TRICKY))
    # begin: set_limit → rustig (anger 55 < 90) or counter → weg.  rustig: listen → end, neutral → back to begin.
    assert (counted.paths, counted.loop_backs, counted.complete) == (2, 1, True)
    angry = scenario_from(TRICKY.replace("anger: 60}", "anger: 95}"))
    # Now set_limit (no effect: anger stays 95) routes to `end` directly: 2 paths, no loop.
    assert (count_paths(angry).paths, count_paths(angry).loop_backs) == (2, 0)


def test_count_paths_stops_at_its_limit():
    from simulator.analysis.graph import count_paths

    counted = count_paths(load_ok(GOLDEN / "regels.yaml"), limit=5)
    assert counted.complete is False and counted.paths < 171


def test_trained_acts_only_count_reachable_nodes(tricky):
    from simulator.analysis.graph import trained_acts

    scenario = scenario_from(TRICKY)
    assert trained_acts(scenario, {"begin", "rustig"}, "mistake") == {"counter": 1}
    assert trained_acts(scenario, {"begin", "rustig"}, "boundary") == {"set_limit": 1}
    assert trained_acts(scenario, {"rustig"}, "mistake") == {}
