"""`graph PATH -o FILE`: the scenario as a map in .svg, .png (drawn by Graphviz), .dot or .mmd (Mermaid).

The map's content (links, kinds, reachability, best path) comes from `simulator.analysis.graph`; this module
writes it as DOT and lets Graphviz lay it out and draw it. Graphviz is the `graphviz-pure` program from the wheel
of the same name (a port of Graphviz's dot that needs no system Graphviz), installed into the venv with KlantSim.
"""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from simulator.analysis.graph import ScenarioGraph, build_graph
from simulator.commands.common import CommandFailed, UsageError, load_scenario, say
from simulator.scenario.model import Scenario

FORMATS = (".svg", ".png", ".dot", ".mmd")

KIND_COLOUR = {"step": "#2e7d32", "boundary": "#1565c0", "mistake": "#c62828", "neutral": "#757575"}
ENDING_FILL = {"satisfied": "#c8e6c9", "dissatisfied": "#fff3c4", "lost": "#ffcdd2", "disconnected": "#d9d0ee",
               "escalated": "#cfe3f7"}
BEST = "#f29d00"
# Arial's metrics: graphviz-pure lays text out with them and draws the PNG with its bundled Arimo, which has the
# same widths, so labels fit their boxes; an SVG viewer uses Arial or the nearest sans-serif font.
FONT = "Arial"
WRAP = 34  # characters per line inside a box
# Above this many nodes a link to an ending points at a small copy of it beside its source, instead of running
# down to the one box at the bottom: links from every row to one ending make Graphviz's layout grow with the
# square of the map (a generated 500-node scenario: over five minutes, with copies 2.5 s).
LARGE_MAP = 150
RENDER_TIMEOUT = 120  # seconds; a map that takes longer is refused with a message instead of hanging

WORDS = {
    "nl": {"step": "stap van de methode", "boundary": "grens", "mistake": "fout", "neutral": "neutraal",
           "best": "beste route", "abusive": "scheldt / dreigt", "unreachable": "onbereikbaar", "start": "start",
           "endings": "einden", "if": "als", "otherwise": "anders",
           "dashed": "gestreept: alleen als de voorwaarde klopt",
           "satisfied": "tevreden", "dissatisfied": "ontevreden", "lost": "klant weg", "disconnected":
           "contact beëindigd", "escalated": "overgedragen"},
    "en": {"step": "method step", "boundary": "boundary", "mistake": "mistake", "neutral": "neutral",
           "best": "best path", "abusive": "abusive", "unreachable": "unreachable", "start": "start",
           "endings": "endings", "if": "if", "otherwise": "otherwise",
           "dashed": "dashed: only when the condition holds",
           "satisfied": "satisfied", "dissatisfied": "dissatisfied", "lost": "lost", "disconnected": "disconnected",
           "escalated": "escalated"},
}


def register(sub) -> None:
    p = sub.add_parser("graph", help=command_help("graph"))
    p.add_argument("path", metavar="PATH", help="a scenario file or the id of a bundled scenario")
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="where to write the map; the extension picks the format: " + ", ".join(FORMATS))
    p.add_argument("--lang", choices=("nl", "en"), default=None,
                   help="language of the messages, and of the scenario when PATH is an id (default: the system's, "
                        "else nl)")
    p.set_defaults(run=run)


def run(args) -> int:
    from simulator.diagnostics import language

    target = Path(args.output)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(say("graph_bad_suffix", path=args.output, formats=", ".join(FORMATS)))
    if target.parent and not target.parent.is_dir():
        raise UsageError(say("no_folder", path=target.parent))
    scenario = load_scenario(args.path, args.lang or language())
    graph = build_graph(scenario)
    try:
        if suffix in (".svg", ".png"):
            render(to_dot(graph, scenario.language, scenario), suffix[1:], target)
        else:
            text = {".dot": to_dot, ".mmd": to_mermaid}[suffix](graph, scenario.language, scenario)
            target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandFailed(say("cannot_write", path=target, reason=exc.strerror or exc)) from None
    print(say("graph_written", path=target, nodes=len(graph.nodes), links=len(graph.edges))
          + (say("graph_unreachable", count=len(graph.unreachable)) if graph.unreachable else ""))
    return 0


def graphviz_program() -> str | None:
    """The graphviz-pure program: beside this Python (the venv's bin/ or Scripts/), else on PATH."""
    here = Path(sys.executable).parent
    return shutil.which("graphviz-pure", path=os.pathsep.join([str(here), os.environ.get("PATH", "")]))


def render(dot: str, fmt: str, target: Path) -> None:
    """Lay out and draw DOT text with Graphviz into `target` (fmt: svg or png); CommandFailed when it cannot."""
    program = graphviz_program()
    if program is None:
        raise CommandFailed(say("graph_no_graphviz"))
    partial = target.with_name(target.name + ".part")
    try:
        done = subprocess.run([program, "-q", f"-T{fmt}", "-o", str(partial)], input=dot.encode("utf-8"),
                              capture_output=True, timeout=RENDER_TIMEOUT)
    except subprocess.TimeoutExpired:
        partial.unlink(missing_ok=True)
        raise CommandFailed(say("graph_failed", reason=say("graph_too_slow", seconds=RENDER_TIMEOUT))) from None
    if done.returncode != 0 or not partial.exists():
        partial.unlink(missing_ok=True)
        reason = (done.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit {done.returncode}"])[0]
        raise CommandFailed(say("graph_failed", reason=reason))
    os.replace(partial, target)


def fallback_edges(scenario: Scenario | None) -> set[tuple[str, int, str]]:
    """(node, choice number, target) of every route that is the `anders` of a conditional `next` list."""
    if scenario is None:
        return set()
    return {(n.id, number, c.routes[-1].goto) for n in scenario.nodes.values()
            for number, c in enumerate(n.choices, 1) if len(c.routes) > 1}


def edge_label(e, words: dict, fallbacks: set) -> tuple[str, bool]:
    """The words on a link and whether it is drawn dashed (it depends on a condition)."""
    if e.condition:
        return f"{e.act}\n{words['if']} {e.condition}", True
    if (e.source, e.choice, e.target) in fallbacks:
        return f"{e.act}\n{words['otherwise']}", True
    return e.act, False


# -- DOT -------------------------------------------------------------------------------------------------

_CONTROL = {c: None for c in range(0x20) if c not in (0x09, 0x0a)} | {0x09: " ", 0x7f: None, 0x2028: " ",
                                                                      0x2029: " "}


def _dot_str(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, line breaks as \\n, control characters left out (Graphviz
    refuses a NUL)."""
    text = text.translate(_CONTROL)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrapped(text: str) -> str:
    return "\n".join(textwrap.wrap(text, WRAP)) or " "


def legend(words: dict) -> str:
    kinds = " · ".join(f"{words[k]}" for k in KIND_COLOUR)
    colours = ("groen", "blauw", "rood", "grijs") if words is WORDS["nl"] else ("green", "blue", "red", "grey")
    return (f"{kinds}  ({' / '.join(colours)})"
            f"\n{words['best']}: {'oranje, dik' if words is WORDS['nl'] else 'orange, thick'} · {words['dashed']}")


def to_dot(graph: ScenarioGraph, language: str = "nl", scenario: Scenario | None = None) -> str:
    words = WORDS.get(language, WORDS["en"])
    fallbacks = fallback_edges(scenario)
    title = graph.title + "\n" + legend(words)
    comment = graph.title.translate(_CONTROL).replace("\n", " ")
    out = [f"// {comment} ({graph.scenario_id}); draw with: graphviz-pure -Tsvg FILE.dot -o FILE.svg",
           "digraph scenario {",
           f"  label={_dot_str(title)}; labelloc=t; fontname={_dot_str(FONT)}; fontsize=12;",
           "  rankdir=TB; nodesep=0.35; ranksep=0.5; newrank=true;",
           f'  node [shape=box, style="rounded,filled", fillcolor=white, fontname={_dot_str(FONT)}, fontsize=10, '
           'margin="0.12,0.06"];',
           f"  edge [fontname={_dot_str(FONT)}, fontsize=9, arrowsize=0.7];"]
    for n in graph.nodes:
        if n.ending:
            continue
        out.append(f"  {_dot_str(n.id)} [{_dot_node_attrs(n, words)}];")
    for kind, ids in graph.endings.items():
        out.append(f"  subgraph {_dot_str('cluster_' + kind)} {{")
        name = words.get(kind, kind) + (f" ({kind})" if words.get(kind, kind) != kind else "")
        out.append(f"    label={_dot_str(words['endings'] + ': ' + name)}; "
                   f"style=dashed; color=gray; fontsize=10;")
        for node_id in ids:
            out.append(f"    {_dot_str(node_id)} [{_dot_node_attrs(graph.node(node_id), words)}];")
        out.append("  }")
    if graph.endings:  # every ending on the bottom row (newrank lets a node be in a cluster and in this row)
        out.append("  {rank=sink; " + " ".join(_dot_str(i) for ids in graph.endings.values() for i in ids) + "}")
    stubs = len(graph.nodes) > LARGE_MAP
    for number, e in enumerate(graph.edges):
        label, dashed = edge_label(e, words, fallbacks)
        colour = KIND_COLOUR[e.kind]
        target = e.target
        ending = graph.node(e.target).ending if stubs else None
        if ending:
            target = f"{e.target}__{number}"
            out.append(f"  {_dot_str(target)} [label={_dot_str(e.target + ' (' + words.get(ending, ending) + ')')}, "
                       f"fillcolor={_dot_str(ENDING_FILL[ending])}, fontsize=8, class=\"ending-copy\"];")
        attrs = [f"label={_dot_str(label)}", f"color={_dot_str(colour)}", f"fontcolor={_dot_str(colour)}",
                 f"tooltip={_dot_str(e.text)}", f"class={_dot_str(e.kind + (' best' if e.on_best_path else ''))}"]
        if e.on_best_path:
            attrs += [f"color={_dot_str(BEST + ':' + colour + ':' + BEST)}", "penwidth=2"]
        if dashed:
            attrs.append("style=dashed")
        out.append(f"  {_dot_str(e.source)} -> {_dot_str(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node_attrs(n, words) -> str:
    marks = ([words["start"]] if n.is_start else []) + (["! " + words["abusive"]] if n.abusive else []) + \
        ([words["unreachable"]] if not n.reachable else [])
    label = n.id + (f" ({', '.join(marks)})" if marks else "") + "\n" + _wrapped(n.first_words)
    fill = ENDING_FILL[n.ending] if n.ending else ("#fde4e4" if n.abusive else "white")
    classes = ["ending"] * bool(n.ending) + ["abusive"] * n.abusive + ["unreachable"] * (not n.reachable) + \
        ["best"] * n.on_best_path
    attrs = [f"label={_dot_str(label)}", f"fillcolor={_dot_str(fill if n.reachable else '#ececec')}",
             f"id={_dot_str('node_' + n.id)}", f"class={_dot_str(' '.join(classes))}"]
    style = "rounded,filled" + (",dashed" if not n.reachable else "") + (",bold" if n.on_best_path else "")
    attrs.append(f"style={_dot_str(style)}")
    if n.on_best_path:
        attrs += [f"color={_dot_str(BEST)}", "penwidth=3"]
    elif n.abusive:
        attrs.append("color=\"#c62828\"")
    return ", ".join(attrs)


# -- Mermaid ---------------------------------------------------------------------------------------------

def _mmd_id(node_id: str) -> str:
    # Prefixed: Mermaid reads a node called `end` as the end of a subgraph.
    return "n_" + node_id


def _mmd_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes and markup characters as entity codes."""
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("|", "#124;").replace("\n", " "))


def to_mermaid(graph: ScenarioGraph, language: str = "nl", scenario: Scenario | None = None) -> str:
    words = WORDS.get(language, WORDS["en"])
    fallbacks = fallback_edges(scenario)
    out = ["---", f"title: \"{_mmd_text(graph.title)}\"", "---", "flowchart TD"]

    def node_line(n) -> str:
        marks = ([words["start"]] if n.is_start else []) + (["! " + words["abusive"]] if n.abusive else []) + \
            ([words["unreachable"]] if not n.reachable else [])
        text = f"<b>{n.id}</b>" + _mmd_text(f" ({', '.join(marks)})" if marks else "") + \
            f"<br/>{_mmd_text(n.first_words)}"
        return f'{_mmd_id(n.id)}(["{text}"])' if n.ending else f'{_mmd_id(n.id)}["{text}"]'

    for n in graph.nodes:
        if not n.ending:
            out.append("  " + node_line(n))
    for kind, ids in graph.endings.items():
        out.append(f'  subgraph endings_{kind}["{_mmd_text(words["endings"] + ": " + words.get(kind, kind))}"]')
        for node_id in ids:
            out.append("    " + node_line(graph.node(node_id)))
        out.append("  end")
    for e in graph.edges:
        label, dashed = edge_label(e, words, fallbacks)
        label = label.replace("\n", " (", 1) + (")" if "\n" in label else "")
        arrow = "-.->" if dashed else "-->"
        out.append(f'  {_mmd_id(e.source)} {arrow}|"{_mmd_text(label)}"| {_mmd_id(e.target)}')
    for i, e in enumerate(graph.edges):
        width = "4px" if e.on_best_path else "1.5px"
        out.append(f"  linkStyle {i} stroke:{KIND_COLOUR[e.kind]},stroke-width:{width},color:{KIND_COLOUR[e.kind]}")
    out.append("  classDef abusive fill:#fde4e4,stroke:#c62828,stroke-width:2px")
    out.append("  classDef unreachable fill:#ececec,stroke:#8a8a8a,stroke-dasharray:5 3")
    out.append("  classDef best stroke:#f29d00,stroke-width:4px")
    for kind, fill in ENDING_FILL.items():
        out.append(f"  classDef ending_{kind} fill:{fill}")
    classes: dict[str, list[str]] = {}
    for n in graph.nodes:
        if n.ending:
            classes.setdefault(f"ending_{n.ending}", []).append(_mmd_id(n.id))
        if n.abusive:
            classes.setdefault("abusive", []).append(_mmd_id(n.id))
        if not n.reachable:
            classes.setdefault("unreachable", []).append(_mmd_id(n.id))
        elif n.on_best_path:
            classes.setdefault("best", []).append(_mmd_id(n.id))
    for name, ids in classes.items():
        out.append(f"  class {','.join(ids)} {name}")
    return "\n".join(out) + "\n"
