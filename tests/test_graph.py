"""The scenario map: its data from the core, and the .svg/.dot/.mmd/.png files `graph` writes from it."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pydot
import pytest

from conftest import BUNDLED, GOLDEN, ROOT, load_ok, scenario_from
from simulator.commands.graph import to_dot, to_mermaid
from simulator.commands.graph_drawing import KIND_COLOUR, to_svg, write_png
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


# -- SVG --------------------------------------------------------------------------------------------------

def test_svg_is_well_formed_and_draws_every_node_and_edge(tricky):
    root = ET.fromstring(to_svg(tricky))
    assert root.tag == SVG_NS + "svg" and root.get("viewBox")
    groups = root.iter(SVG_NS + "g")
    nodes, edges = [], []
    for g in groups:
        (nodes if "node" in g.get("class", "").split() else edges if g.get("class") == "edge" else []).append(g)
    assert sorted(g.get("data-id") for g in nodes) == sorted(n.id for n in tricky.nodes)
    assert len(edges) == len(tricky.edges)
    classes = {g.get("data-id"): g.get("class").split() for g in nodes}
    assert "unreachable" in classes["vergeten"] and "abusive" in classes["begin"] and "ending" in classes["weg"]
    for g in edges:
        path = g.find(SVG_NS + "path")
        assert path.get("stroke") == KIND_COLOUR[g.get("data-kind")]
    texts = "".join(root.itertext())
    assert 'Quotes "hier" & <daar>' in texts and "set_limit" in texts


def test_svg_endings_sit_in_one_frame_per_kind_below_the_conversation(tricky):
    root = ET.fromstring(to_svg(tricky))
    frames = [g for g in root.iter(SVG_NS + "g") if g.get("class") == "ending-group"]
    assert [g.get("data-kind") for g in frames] == ["satisfied", "lost"]
    rect_y = {g.get("data-id"): float(g.find(SVG_NS + "rect").get("y")) for g in root.iter(SVG_NS + "g")
              if g.get("data-id")}
    assert min(rect_y[e] for e in ("end", "weg", "vergeten")) > max(rect_y[n] for n in ("begin", "rustig"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_svg_of_every_bundled_scenario_parses(path):
    graph = build_graph(load_ok(path))
    root = ET.fromstring(to_svg(graph, "en"))
    best = [g for g in root.iter(SVG_NS + "g") if g.get("data-best") == "true"]
    assert len(best) == len(graph.best_choices)


# -- DOT --------------------------------------------------------------------------------------------------

def test_dot_parses_and_keeps_labels_and_clusters(tricky):
    graphs = pydot.graph_from_dot_data(to_dot(tricky))
    assert graphs and len(graphs) == 1
    g = graphs[0]
    assert len(g.get_edges()) == len(tricky.edges)
    clusters = [s.get_name().strip('"') for s in g.get_subgraphs()]
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
    write_png(tricky, target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = pygame.image.load(str(target))
    w, h = image.get_size()
    assert w > 600 and h > 300
    colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, w, 3) for y in range(0, h, 3)}
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


# -- the layout ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_layout_keeps_boxes_apart_and_long_links_beside_them(path):
    from simulator.commands.graph_drawing import layout

    lay = layout(build_graph(load_ok(path)))
    boxes = list(lay.boxes.items())
    for i, (a_id, a) in enumerate(boxes):
        assert a.x >= 0 and a.x + a.w <= lay.width and a.y + a.h <= lay.height, a_id
        for b_id, b in boxes[i + 1:]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, f"{a_id} overlaps {b_id}"
    for shape in lay.edges:
        for seg in shape.points:
            if seg[0] == seg[1] and seg[2] == seg[3]:          # a straight run through a row
                x, top, bottom = seg[0][0], seg[0][1], seg[3][1]
                for b_id, b in boxes:
                    crosses = b.x < x < b.x + b.w and top < b.y + b.h and b.y < bottom
                    assert not crosses, f"{shape.edge.source}→{shape.edge.target} runs through {b_id}"


def test_endings_are_grouped_by_kind_in_the_format_order(tricky):
    from simulator.commands.graph_drawing import layout

    lay = layout(tricky)
    assert [f.kind for f in lay.frames] == ["satisfied", "lost"]
    for frame in lay.frames:
        for node_id in tricky.endings[frame.kind]:
            b = lay.boxes[node_id]
            assert frame.x <= b.x and b.x + b.w <= frame.x + frame.w


def test_link_labels_do_not_cover_boxes_or_each_other_in_a_simple_map(regels):
    from simulator.commands.graph_drawing import label_rect, layout

    lay = layout(regels)
    rects = [(b.x, b.y, b.w, b.h) for b in lay.boxes.values()]
    for shape in lay.edges:
        r = label_rect(shape.label, shape.label_at)
        assert not any(r[0] < o[0] + o[2] and o[0] < r[0] + r[2] and r[1] < o[1] + o[3] and o[1] < r[1] + r[3]
                       for o in rects), f"label of {shape.edge.source}→{shape.edge.target} covers something"
        rects.append(r)
