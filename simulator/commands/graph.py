"""`graph PATH -o FILE`: the scenario as a map in .svg, .png, .dot (Graphviz) or .mmd (Mermaid).

The map's content (links, kinds, reachability, best path) comes from `simulator.analysis.graph`; this module
only writes it in the format the file name asks for.
"""
from __future__ import annotations

import sys
from pathlib import Path

from simulator.cli import UsageError
from simulator.commands.common import load_scenario
from simulator.commands.graph_drawing import ENDING_FILL, KIND_COLOUR, WORDS, write_png, to_svg
from simulator.analysis.graph import ScenarioGraph, build_graph

FORMATS = (".svg", ".png", ".dot", ".mmd")


def register(sub) -> None:
    p = sub.add_parser("graph", help="draw a scenario as a map (.svg, .png, .dot, .mmd)")
    p.add_argument("path", metavar="PATH", help="a scenario file or the id of a bundled scenario")
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="where to write the map; the extension picks the format: " + ", ".join(FORMATS))
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="which language when PATH is an id")
    p.set_defaults(run=run)


def run(args) -> int:
    target = Path(args.output)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"-o {args.output}: the file name must end in {', '.join(FORMATS)}")
    if target.parent and not target.parent.is_dir():
        raise UsageError(f"-o {args.output}: folder '{target.parent}' does not exist")
    scenario = load_scenario(args.path, args.lang)
    graph = build_graph(scenario)
    try:
        if suffix == ".png":
            write_png(graph, target, scenario.language)
        else:
            text = {".svg": to_svg, ".dot": to_dot, ".mmd": to_mermaid}[suffix](graph, scenario.language)
            target.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"main.py graph: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{target}: {len(graph.nodes)} nodes, {len(graph.edges)} links"
          + (f", {len(graph.unreachable)} unreachable" if graph.unreachable else ""))
    return 0


# -- DOT -------------------------------------------------------------------------------------------------

def _dot_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: ScenarioGraph, language: str = "nl") -> str:
    words = WORDS.get(language, WORDS["en"])
    out = [f"// {graph.title} ({graph.scenario_id}); draw with: dot -Tsvg FILE.dot -o FILE.svg",
           "digraph scenario {",
           f"  label={_dot_str(graph.title)}; labelloc=t; fontname=\"DejaVu Sans\";",
           '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="DejaVu Sans", fontsize=10];',
           '  edge [fontname="DejaVu Sans", fontsize=9];']
    for n in graph.nodes:
        if n.ending:
            continue
        out.append(f"  {_dot_str(n.id)} [{_dot_node_attrs(n, words)}];")
    for kind, ids in graph.endings.items():
        out.append(f"  subgraph {_dot_str('cluster_' + kind)} {{")
        out.append(f"    label={_dot_str(words['endings'] + ': ' + words.get(kind, kind) + ' (' + kind + ')')}; "
                   f"style=dashed; color=gray; rank=same;")
        for node_id in ids:
            out.append(f"    {_dot_str(node_id)} [{_dot_node_attrs(graph.node(node_id), words)}];")
        out.append("  }")
    for e in graph.edges:
        label = e.act + (f"\n{words['if']} {e.condition}" if e.condition else "")
        attrs = [f"label={_dot_str(label)}", f"color={_dot_str(KIND_COLOUR[e.kind])}",
                 f"fontcolor={_dot_str(KIND_COLOUR[e.kind])}", f"tooltip={_dot_str(e.text)}"]
        if e.on_best_path:
            attrs.append("penwidth=3.5")
        if e.condition:
            attrs.append("style=dashed")
        out.append(f"  {_dot_str(e.source)} -> {_dot_str(e.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node_attrs(n, words) -> str:
    marks = ([words["start"]] if n.is_start else []) + (["⚠ " + words["abusive"]] if n.abusive else []) + \
        ([words["unreachable"]] if not n.reachable else [])
    label = n.id + (f" ({', '.join(marks)})" if marks else "") + "\n" + n.first_words
    fill = ENDING_FILL[n.ending] if n.ending else ("#fde4e4" if n.abusive else "white")
    attrs = [f"label={_dot_str(label)}", f"fillcolor={_dot_str(fill if n.reachable else '#ececec')}"]
    style = "rounded,filled" + (",dashed" if not n.reachable else "") + (",bold" if n.on_best_path else "")
    attrs.append(f"style={_dot_str(style)}")
    if n.on_best_path:
        attrs += ["color=\"#f29d00\"", "penwidth=3"]
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


def to_mermaid(graph: ScenarioGraph, language: str = "nl") -> str:
    words = WORDS.get(language, WORDS["en"])
    out = ["---", f"title: \"{_mmd_text(graph.title)}\"", "---", "flowchart TD"]

    def node_line(n) -> str:
        marks = ([words["start"]] if n.is_start else []) + (["⚠ " + words["abusive"]] if n.abusive else []) + \
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
        label = e.act + (f" ({words['if']} {e.condition})" if e.condition else "")
        arrow = "-.->" if e.condition else "-->"
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
