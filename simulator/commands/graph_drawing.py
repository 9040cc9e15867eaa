"""Drawing a ScenarioGraph as a picture: a layered layout, then SVG text or a PNG drawn with pygame-ce.

Our own layout rather than Graphviz: no wheel on PyPI bundles Graphviz for Windows, macOS and Linux alike,
and a trainer should not have to install a program. The layout is the classic layered one (Sugiyama):
back links removed by a depth-first walk, layers by longest path, order within a layer by barycentres.
Endings sit together in the bottom band, one labelled frame per kind.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from simulator.analysis.graph import GraphEdge, ScenarioGraph
from simulator.resources import resource

BOX_W, BOX_H = 210, 78
H_GAP, V_GAP = 34, 92
MAX_PNG_SIDE = 8000
DUMMY_W, DUMMY_GAP = 14, 10     # the room a long link takes where it passes a row
MARGIN = 30
HEADER = 96          # title and legend
FRAME_PAD = 12
FONT = 11
LINE_H = 14
CHARS_PER_LINE = 31

KIND_COLOUR = {"step": "#2e7d32", "boundary": "#1565c0", "mistake": "#c62828", "neutral": "#757575"}
ENDING_FILL = {"satisfied": "#c8e6c9", "dissatisfied": "#fff3c4", "lost": "#ffcdd2", "disconnected": "#d9d0ee",
               "escalated": "#cfe3f7"}
BEST = "#f29d00"
NODE_FILL, ABUSIVE_FILL, UNREACHABLE_FILL = "#ffffff", "#fde4e4", "#ececec"
INK, GREY = "#222222", "#8a8a8a"
DASH = ' stroke-dasharray="5 3"'

WORDS = {
    "nl": {"step": "stap van de methode", "boundary": "grens", "mistake": "fout", "neutral": "neutraal",
           "best": "beste pad", "abusive": "scheldt / dreigt", "unreachable": "onbereikbaar", "start": "start",
           "endings": "einden", "if": "als",
           "satisfied": "tevreden", "dissatisfied": "ontevreden", "lost": "klant weg", "disconnected":
           "contact beëindigd", "escalated": "overgedragen"},
    "en": {"step": "method step", "boundary": "boundary", "mistake": "mistake", "neutral": "neutral",
           "best": "best path", "abusive": "abusive", "unreachable": "unreachable", "start": "start",
           "endings": "endings", "if": "if",
           "satisfied": "satisfied", "dissatisfied": "dissatisfied", "lost": "lost", "disconnected": "disconnected",
           "escalated": "escalated"},
}


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    lines: list[str]

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass
class EdgeShape:
    edge: GraphEdge
    points: tuple[tuple[tuple[float, float], ...], ...]   # cubic Bézier segments: (start, control, control, end)
    label: list[str]
    label_at: tuple[float, float]


@dataclass
class Frame:
    kind: str
    x: float
    y: float
    w: float
    h: float


@dataclass
class Layout:
    graph: ScenarioGraph
    words: dict
    width: float
    height: float
    boxes: dict[str, Box] = field(default_factory=dict)
    edges: list[EdgeShape] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)


# -- layout ----------------------------------------------------------------------------------------------

def _layers(graph: ScenarioGraph) -> dict[str, int]:
    """Layer of every non-ending node: longest path from start after removing back links."""
    inner = [n.id for n in graph.nodes if n.ending is None]
    inner_set = set(inner)
    succ = {n: [] for n in inner}
    for e in graph.edges:
        if e.source in inner_set and e.target in inner_set and e.target not in succ[e.source]:
            succ[e.source].append(e.target)
    forward: dict[str, list[str]] = {n: [] for n in inner}
    state: dict[str, int] = {}
    order: list[str] = []

    def walk(root: str) -> None:  # iterative DFS: 1 = on the stack, 2 = done
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(nxt) is None:
                forward[node].append(nxt)
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
            elif state[nxt] == 2:
                forward[node].append(nxt)   # a cross or forward link; a link to a node on the stack is a back link

    roots = ([graph.start] if graph.start in inner_set else []) + inner
    for root in roots:
        if root not in state:
            walk(root)
    layer = {n: 0 for n in inner}
    for node in reversed(order):        # reverse post-order is a topological order of the forward links
        for nxt in forward[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
    return layer


def _order(rows: list[list[str]], neighbours: dict[str, set[str]]) -> None:
    """Reorder each row by the mean position of its neighbours in other rows (a few sweeps)."""
    for sweep in range(6):
        pos = {n: i for row in rows for i, n in enumerate(row)}
        seq = range(1, len(rows)) if sweep % 2 == 0 else range(len(rows) - 2, -1, -1)
        for r in seq:
            row = rows[r]

            def centre(n: str, row=row) -> float:
                ns = [pos[m] for m in neighbours.get(n, ()) if m in pos and m not in row]
                return sum(ns) / len(ns) if ns else pos[n]
            row.sort(key=centre)
            pos.update({n: i for i, n in enumerate(row)})


def _wrap(text: str, lines: int = 3) -> list[str]:
    wrapped = textwrap.wrap(text, CHARS_PER_LINE) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: CHARS_PER_LINE - 2].rstrip() + " …"
    return wrapped


def layout(graph: ScenarioGraph, language: str = "nl") -> Layout:
    words = WORDS.get(language, WORDS["en"])
    layer = _layers(graph)
    depth = max(layer.values(), default=-1) + 1
    row_of = {n.id: (depth if n.ending else layer[n.id]) for n in graph.nodes}   # row `depth`: the ending band
    rows: list[list[str]] = [[] for _ in range(depth + 1)]
    for n in graph.nodes:
        rows[row_of[n.id]].append(n.id)
    # A link that spans rows passes through a waypoint (a dummy) in each row between, so it runs through the
    # gaps beside boxes instead of across them; dummies take part in the ordering like nodes.
    waypoints: dict[int, list[str]] = {}
    neighbours: dict[str, set[str]] = {}
    for i, e in enumerate(graph.edges):
        chain = [e.source]
        if row_of[e.target] > row_of[e.source] + 1:
            for r in range(row_of[e.source] + 1, row_of[e.target]):
                dummy = f"~{i}~{r}"
                rows[r].append(dummy)
                chain.append(dummy)
            waypoints[i] = chain[1:]
        chain.append(e.target)
        for a, b in zip(chain, chain[1:]):
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    _order(rows, neighbours)
    # The ending band keeps one group per kind, in the format page's order; within a group, the order found.
    band_pos = {n: i for i, n in enumerate(rows[depth])}
    ending_rows = [sorted(ids, key=band_pos.get) for ids in graph.endings.values()]

    def width_of(item: str) -> float:
        return DUMMY_W if item.startswith("~") else BOX_W

    def row_width(row: list[str]) -> float:
        return sum(width_of(i) for i in row) + sum(_gap(a, b) for a, b in zip(row, row[1:]))

    # Horizontal places, as centres around 0: the ending band is fixed (grouped by kind); the rows above
    # start centred and are then pulled towards their neighbours, keeping order and spacing, so a node sits
    # above what it leads to and a long link runs straight instead of zigzagging.
    centre: dict[str, float] = {}
    ending_width = sum(row_width(g) + 2 * FRAME_PAD for g in ending_rows) + H_GAP * max(0, len(ending_rows) - 1)
    frame_left, x = [], -ending_width / 2
    for group in ending_rows:
        frame_left.append(x)
        bx = x + FRAME_PAD
        for n in group:
            centre[n] = bx + BOX_W / 2
            bx += BOX_W + H_GAP
        x += row_width(group) + 2 * FRAME_PAD + H_GAP
    for row in rows[:depth]:
        x = -row_width(row) / 2
        for a, item in enumerate(row):
            centre[item] = x + width_of(item) / 2
            x += width_of(item) + (_gap(item, row[a + 1]) if a + 1 < len(row) else 0)
    row_index = {item: r for r, row in enumerate(rows) for item in row}
    for sweep in range(8):
        order = range(1, depth) if sweep % 2 == 0 else range(depth - 1, -1, -1)
        for r in order:
            ref = r - 1 if sweep % 2 == 0 else r + 1
            row = rows[r]
            wanted = []
            for item in row:
                xs = [centre[m] for m in neighbours.get(item, ()) if row_index.get(m) == ref]
                wanted.append(sum(xs) / len(xs) if xs else centre[item])
            for item, x in zip(row, _spread(wanted, [width_of(i) for i in row],
                                            [_gap(a, b) for a, b in zip(row, row[1:])])):
                centre[item] = x
    left = min(centre[i] - width_of(i) / 2 for row in rows for i in row) if centre else 0
    left = min(left, -ending_width / 2)
    right = max([centre[i] + width_of(i) / 2 for row in rows for i in row] + [ending_width / 2])
    width = max(right - left, 720) + 2 * MARGIN
    shift = MARGIN + (width - 2 * MARGIN - (right - left)) / 2 - left
    out = Layout(graph, words, width, 0)
    text_of = {n.id: n for n in graph.nodes}
    dummy_at: dict[str, tuple[float, float]] = {}
    for r, row in enumerate(rows[:depth]):
        y = HEADER + MARGIN + r * (BOX_H + V_GAP)
        for item in row:
            if item.startswith("~"):
                dummy_at[item] = (centre[item] + shift, y)
            else:
                out.boxes[item] = Box(centre[item] + shift - BOX_W / 2, y, BOX_W, BOX_H,
                                      _wrap(text_of[item].first_words))
    band_y = HEADER + MARGIN + depth * (BOX_H + V_GAP) + 18
    for kind, group, fx in zip(graph.endings, ending_rows, frame_left):
        out.frames.append(Frame(kind, fx + shift, band_y - FRAME_PAD - 16, row_width(group) + 2 * FRAME_PAD,
                                BOX_H + 2 * FRAME_PAD + 16))
        for n in group:
            out.boxes[n] = Box(centre[n] + shift - BOX_W / 2, band_y, BOX_W, BOX_H, _wrap(text_of[n].first_words))
    out.height = band_y + BOX_H + FRAME_PAD + MARGIN

    # Downward links leave the bottom of a box and enter the top of the next, exits and entries spread in
    # the order of the other end so parallel links stay apart; links back up loop round the side.
    def down(i: int, e: GraphEdge) -> bool:
        return out.boxes[e.target].y > out.boxes[e.source].y + 1

    def first_x(i: int, e: GraphEdge) -> float:
        return dummy_at[waypoints[i][0]][0] if i in waypoints else out.boxes[e.target].cx

    def last_x(i: int, e: GraphEdge) -> float:
        return dummy_at[waypoints[i][-1]][0] if i in waypoints else out.boxes[e.source].cx

    exit_x: dict[int, float] = {}
    entry_x: dict[int, float] = {}
    slot: dict[int, int] = {}
    for end_of, other_x, xs in (("source", first_x, exit_x), ("target", last_x, entry_x)):
        groups: dict[str, list[tuple[int, GraphEdge]]] = {}
        for i, e in enumerate(graph.edges):
            if down(i, e):
                groups.setdefault(getattr(e, end_of), []).append((i, e))
        for node_id, group in groups.items():
            group.sort(key=lambda ie: (other_x(*ie), ie[1].choice))
            b = out.boxes[node_id]
            for j, (i, _e) in enumerate(group):
                xs[i] = b.x + b.w * (j + 1) / (len(group) + 1)
                if end_of == "source":
                    slot[i] = j
    for i, e in enumerate(graph.edges):
        a, b = out.boxes[e.source], out.boxes[e.target]
        label = [e.act] + ([f"{words['if']} {_short(e.condition)}"] if e.condition else [])
        if down(i, e):
            stops = [(exit_x[i], a.y + a.h)]
            for d in waypoints.get(i, ()):
                dx, dy = dummy_at[d]
                stops += [(dx, dy), (dx, dy + BOX_H)]
            stops.append((entry_x[i], b.y))
            segments = []
            for k, (p0, p3) in enumerate(zip(stops, stops[1:])):
                if k % 2 == 1:      # straight down through a row, beside the boxes
                    segments.append((p0, p0, p3, p3))
                else:
                    dy = (p3[1] - p0[1]) * 0.45
                    segments.append((p0, (p0[0], p0[1] + dy), (p3[0], p3[1] - dy), p3))
            label_at = _bezier(segments[0], 0.42 + (0.14 if slot[i] % 2 else 0.0))
        elif e.source == e.target:
            p0, p3 = (a.x + a.w, a.y + a.h * 0.35), (a.x + a.w, a.y + a.h * 0.7)
            segments = [(p0, (p0[0] + 60, p0[1] - 20), (p3[0] + 60, p3[1] + 20), p3)]
            label_at = (a.x + a.w + 36, a.y + a.h / 2)
        else:  # back or sideways: leave at the side, bend outwards, enter the target's side
            left = b.cx <= a.cx
            p0 = (a.x if left else a.x + a.w, a.y + a.h / 2)
            p3 = (b.x if left else b.x + b.w, b.y + b.h / 2)
            bend = -1 if left else 1
            reach = 50 + abs(p0[1] - p3[1]) * 0.15
            segments = [(p0, (p0[0] + bend * reach, p0[1]), (p3[0] + bend * reach, p3[1]), p3)]
            label_at = _bezier(segments[0], 0.5)
        out.edges.append(EdgeShape(e, tuple(segments), label, label_at))
    _place_labels(out)
    return out


def label_rect(label: list[str], at: tuple[float, float]) -> tuple[float, float, float, float]:
    """The box (x, y, w, h) a link's label takes when centred at `at`."""
    width = max(len(t) for t in label) * 6.4 + 8
    return at[0] - width / 2, at[1] - 9, width, len(label) * 13 + 4


def _place_labels(lay: Layout) -> None:
    """Move a label along its link when it would cover another label or a box; keep it when no spot is free."""
    taken = _RectGrid()
    for b in lay.boxes.values():
        taken.add((b.x, b.y, b.w, b.h))
    for shape in lay.edges:
        tries = [shape.label_at] + [_bezier(seg, t) for seg in shape.points
                                    for t in (0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85)]
        for at in tries:
            if not taken.clashes(label_rect(shape.label, at)):
                shape.label_at = at
                break
        taken.add(label_rect(shape.label, shape.label_at))


class _RectGrid:
    """Rectangles filed by the grid cells they cover, so a clash test looks only at its neighbours: a test
    against every rectangle made the map of a large scenario quadratic (8,000 nodes: 40 s)."""

    CELL = 256.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, r):
        x0, y0 = int(r[0] // self.CELL), int(r[1] // self.CELL)
        x1, y1 = int((r[0] + r[2]) // self.CELL), int((r[1] + r[3]) // self.CELL)
        return ((x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1))

    def add(self, r) -> None:
        for key in self._keys(r):
            self.cells.setdefault(key, []).append(r)

    def clashes(self, r) -> bool:
        return any(r[0] < o[0] + o[2] and o[0] < r[0] + r[2] and r[1] < o[1] + o[3] and o[1] < r[1] + r[3]
                   for key in self._keys(r) for o in self.cells.get(key, ()))


def _spread(wanted: list[float], widths: list[float], gaps: list[float]) -> list[float]:
    """Centres as close to `wanted` as the order and spacing allow: the mean of pushing right and pushing left
    (both keep every distance, so their mean does too)."""
    right, left = list(wanted), list(wanted)
    for i in range(1, len(wanted)):
        right[i] = max(right[i], right[i - 1] + (widths[i - 1] + widths[i]) / 2 + gaps[i - 1])
    for i in range(len(wanted) - 2, -1, -1):
        left[i] = min(left[i], left[i + 1] - (widths[i] + widths[i + 1]) / 2 - gaps[i])
    return [(a + b) / 2 for a, b in zip(right, left)]


def _gap(a: str, b: str) -> float:
    return H_GAP if not (a.startswith("~") or b.startswith("~")) else DUMMY_GAP


def _short(text: str, n: int = 26) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _bezier(p, t: float) -> tuple[float, float]:
    u = 1 - t
    return (u ** 3 * p[0][0] + 3 * u * u * t * p[1][0] + 3 * u * t * t * p[2][0] + t ** 3 * p[3][0],
            u ** 3 * p[0][1] + 3 * u * u * t * p[1][1] + 3 * u * t * t * p[2][1] + t ** 3 * p[3][1])


def _arrow(segments) -> list[tuple[float, float]]:
    p = segments[-1]
    tip, before = p[3], _bezier(p, 0.93) if p[2] != p[3] else p[0]
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    size = 9
    return [tip, (tip[0] - size * math.cos(angle - 0.4), tip[1] - size * math.sin(angle - 0.4)),
            (tip[0] - size * math.cos(angle + 0.4), tip[1] - size * math.sin(angle + 0.4))]


def _legend(lay: Layout) -> list[tuple[str, str, str]]:
    """(kind of mark, colour, words) for the legend, in drawing order."""
    w = lay.words
    return ([("line", KIND_COLOUR[k], w[k]) for k in ("step", "boundary", "mistake", "neutral")]
            + [("best", BEST, w["best"]), ("abusive", ABUSIVE_FILL, w["abusive"]),
               ("unreachable", UNREACHABLE_FILL, w["unreachable"])])


def _node_style(lay: Layout, node_id: str) -> tuple[str, str, int, bool]:
    """Fill, border colour, border width, dashed."""
    n = lay.graph.node(node_id)
    if not n.reachable:
        return UNREACHABLE_FILL, GREY, 1, True
    fill = ENDING_FILL[n.ending] if n.ending else (ABUSIVE_FILL if n.abusive else NODE_FILL)
    if n.on_best_path:
        return fill, BEST, 4, False
    return fill, "#c62828" if n.abusive else "#555555", 2 if n.abusive else 1, False


def _frame_title(lay: Layout, kind: str) -> str:
    words = lay.words.get(kind, kind)
    return f"{kind}" if words == kind else f"{kind}: {words}"


def _node_heading(lay: Layout, node_id: str) -> str:
    n = lay.graph.node(node_id)
    marks = []
    if n.is_start:
        marks.append(lay.words["start"])
    if n.abusive:
        marks.append("⚠ " + lay.words["abusive"])
    if not n.reachable:
        marks.append(lay.words["unreachable"])
    return n.id + (f"  ({', '.join(marks)})" if marks else "")


# -- SVG -------------------------------------------------------------------------------------------------

def to_svg(graph: ScenarioGraph, language: str = "nl") -> str:
    lay = layout(graph, language)
    f = lambda v: f"{v:.1f}"  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{f(lay.width)}" height="{f(lay.height)}" '
           f'viewBox="0 0 {f(lay.width)} {f(lay.height)}" font-family="DejaVu Sans, Noto Sans, Arial, sans-serif" '
           f'font-size="{FONT}">',
           f'<title>{escape(graph.title)} ({escape(graph.scenario_id)})</title>',
           '<defs>' + "".join(
               f'<marker id="arrow-{k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
               f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
               for k, c in KIND_COLOUR.items()) + '</defs>',
           f'<rect x="0" y="0" width="{f(lay.width)}" height="{f(lay.height)}" fill="#fafafa"/>',
           f'<text x="{MARGIN}" y="{MARGIN + 6}" font-size="17" font-weight="bold" fill="{INK}">'
           f'{escape(graph.title)}</text>']
    x = MARGIN
    for mark, colour, words in _legend(lay):
        y = MARGIN + 36
        if mark == "line":
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{colour}" stroke-width="2.5"/>')
        elif mark == "best":
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{colour}" stroke-width="8" '
                       f'stroke-opacity="0.55" stroke-linecap="round"/>')
        else:
            dash = ' stroke-dasharray="4 3"' if mark == "unreachable" else ""
            out.append(f'<rect x="{x}" y="{y - 7}" width="26" height="14" fill="{colour}" stroke="{GREY}"{dash}/>')
        out.append(f'<text x="{x + 32}" y="{y + 4}" fill="{INK}">{escape(words)}</text>')
        x += 32 + 7 * len(words) + 22

    for fr in lay.frames:
        out.append(f'<g class="ending-group" data-kind="{fr.kind}"><rect x="{f(fr.x)}" y="{f(fr.y)}" '
                   f'width="{f(fr.w)}" height="{f(fr.h)}" rx="10" fill="none" stroke="{GREY}" '
                   f'stroke-dasharray="6 4"/><text x="{f(fr.x + 10)}" y="{f(fr.y + 14)}" fill="{INK}" '
                   f'font-weight="bold">{escape(_frame_title(lay, fr.kind))}</text></g>')

    def path_d(segments) -> str:
        d = f"M{f(segments[0][0][0])},{f(segments[0][0][1])}"
        for p in segments:
            d += f" C{f(p[1][0])},{f(p[1][1])} {f(p[2][0])},{f(p[2][1])} {f(p[3][0])},{f(p[3][1])}"
        return d

    for s in lay.edges:  # best-path halo first, so every line is drawn above it
        if s.edge.on_best_path:
            out.append(f'<path d="{path_d(s.points)}" fill="none" stroke="{BEST}" stroke-width="9" '
                       f'stroke-opacity="0.55" stroke-linecap="round"/>')
    for s in lay.edges:
        e = s.edge
        colour = KIND_COLOUR[e.kind]
        tip = f"{e.source} → {e.target}: {e.act} (keuze {e.choice}) {e.text}"
        if e.condition:
            tip += f" [{lay.words['if']} {e.condition}]"
        if e.offered_if:
            tip += f" [aangeboden {lay.words['if']} {e.offered_if}]"
        out.append(f'<g class="edge" data-kind="{e.kind}" data-act="{e.act}" data-source="{e.source}" '
                   f'data-target="{e.target}" data-best="{str(e.on_best_path).lower()}"><title>{escape(tip)}</title>'
                   f'<path d="{path_d(s.points)}" fill="none" stroke="{colour}" stroke-width="1.8"'
                   f'{DASH if e.condition else ""} marker-end="url(#arrow-{e.kind})"/>')
        lx, ly = s.label_at
        rx, ry, rw, rh = label_rect(s.label, s.label_at)
        out.append(f'<rect x="{f(rx)}" y="{f(ry)}" width="{f(rw)}" height="{f(rh)}" rx="3" fill="#fafafa" '
                   f'fill-opacity="0.85"/>')
        for i, t in enumerate(s.label):
            out.append(f'<text x="{f(lx)}" y="{f(ly + 3 + 13 * i)}" text-anchor="middle" fill="{colour}" '
                       f'font-size="{FONT - (1 if i else 0)}">{escape(t)}</text>')
        out.append('</g>')

    for node_id, b in lay.boxes.items():
        fill, border, bw, dashed = _node_style(lay, node_id)
        n = graph.node(node_id)
        classes = "node" + (" ending" if n.ending else "") + (" abusive" if n.abusive else "") + \
            (" unreachable" if not n.reachable else "") + (" best" if n.on_best_path else "")
        out.append(f'<g class="{classes}" data-id="{node_id}"><title>{escape(node_id)}: '
                   f'{escape(n.first_words)}</title><rect x="{f(b.x)}" y="{f(b.y)}" width="{f(b.w)}" '
                   f'height="{f(b.h)}" rx="{14 if n.ending else 4}" fill="{fill}" stroke="{border}" '
                   f'stroke-width="{bw}"{DASH if dashed else ""}/>')
        out.append(f'<text x="{f(b.x + 8)}" y="{f(b.y + 15)}" font-weight="bold" fill="{INK}">'
                   f'{escape(_node_heading(lay, node_id))}</text>')
        for i, line in enumerate(b.lines):
            out.append(f'<text x="{f(b.x + 8)}" y="{f(b.y + 33 + LINE_H * i)}" fill="#333333">{escape(line)}</text>')
        out.append('</g>')
    out.append('</svg>')
    return "\n".join(out) + "\n"


# -- PNG -------------------------------------------------------------------------------------------------

FONT_FILE = resource("assets", "fonts", "DejaVuSans.ttf")
BOLD_FONT_FILE = FONT_FILE.with_name("DejaVuSans-Bold.ttf")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _blend(hex_colour: str, alpha: float, under: str = "#fafafa") -> tuple[int, int, int]:
    a, b = _rgb(hex_colour), _rgb(under)
    return tuple(round(alpha * x + (1 - alpha) * y) for x, y in zip(a, b))  # type: ignore[return-value]


def write_png(graph: ScenarioGraph, target: Path, language: str = "nl", scale: float = 1.5) -> None:
    """Draw the map with pygame-ce (already a dependency) and save it; needs no window."""
    import os

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from simulator.game.text_render import render_text

    pygame.font.init()
    lay = layout(graph, language)
    scale = min(scale, MAX_PNG_SIDE / max(lay.width, lay.height))   # a huge scenario still fits in memory
    S = lambda v: int(round(v * scale))  # noqa: E731
    surface = pygame.Surface((S(lay.width), S(lay.height)))
    surface.fill(_rgb("#fafafa"))
    font = pygame.font.Font(str(FONT_FILE), S(FONT))
    small = pygame.font.Font(str(FONT_FILE), S(FONT - 1))
    bold = pygame.font.Font(str(BOLD_FONT_FILE), S(FONT))
    title_font = pygame.font.Font(str(BOLD_FONT_FILE), S(17))

    def text(x, y, s, colour=INK, f=font, centre=False):
        img = render_text(f, s, _rgb(colour))
        if centre:
            x = x - img.get_width() / scale / 2
        surface.blit(img, (S(x), S(y) - img.get_height() + S(3)))

    def curve(segments, steps=24):
        return [(S(x), S(y)) for p in segments for x, y in (_bezier(p, i / steps) for i in range(steps + 1))]

    def dashed_lines(points, colour, width, on=5, off=3):
        pattern, drawn = on + off, 0.0
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            seg = math.hypot(x2 - x1, y2 - y1)
            t = 0.0
            while t < seg:
                step = min(seg - t, (on if (drawn % pattern) < on else pattern - drawn % pattern) * scale / 1)
                step = max(step, 0.5)
                if (drawn % pattern) < on:
                    a = (x1 + (x2 - x1) * t / seg, y1 + (y2 - y1) * t / seg)
                    b = (x1 + (x2 - x1) * min(seg, t + step) / seg, y1 + (y2 - y1) * min(seg, t + step) / seg)
                    pygame.draw.line(surface, colour, a, b, width)
                t += step
                drawn += step / scale

    def rect_outline(x, y, w, h, colour, width, dashed=False, radius=0):
        r = pygame.Rect(S(x), S(y), S(w), S(h))
        if dashed:
            pts = [r.topleft, r.topright, r.bottomright, r.bottomleft, r.topleft]
            dashed_lines(pts, colour, max(1, S(width)))
        else:
            pygame.draw.rect(surface, colour, r, max(1, S(width)), border_radius=S(radius))

    text(MARGIN, MARGIN + 6, graph.title, f=title_font)
    x = MARGIN
    for mark, colour, words in _legend(lay):
        y = MARGIN + 36
        if mark == "line":
            pygame.draw.line(surface, _rgb(colour), (S(x), S(y)), (S(x + 26), S(y)), S(2.5))
        elif mark == "best":
            pygame.draw.line(surface, _blend(colour, 0.55), (S(x), S(y)), (S(x + 26), S(y)), S(8))
        else:
            pygame.draw.rect(surface, _rgb(colour), pygame.Rect(S(x), S(y - 7), S(26), S(14)))
            rect_outline(x, y - 7, 26, 14, _rgb(GREY), 1, dashed=mark == "unreachable")
        text(x + 32, y + 4, words)
        x += 32 + 7 * len(words) + 22

    for fr in lay.frames:
        rect_outline(fr.x, fr.y, fr.w, fr.h, _rgb(GREY), 1, dashed=True)
        text(fr.x + 10, fr.y + 14, _frame_title(lay, fr.kind), f=bold)

    for s in lay.edges:
        if s.edge.on_best_path:
            pygame.draw.lines(surface, _blend(BEST, 0.55), False, curve(s.points), S(9))
    for s in lay.edges:
        colour = _rgb(KIND_COLOUR[s.edge.kind])
        pts = curve(s.points)
        if s.edge.condition:
            dashed_lines(pts, colour, max(1, S(1.8)))
        else:
            pygame.draw.lines(surface, colour, False, pts, max(1, S(1.8)))
        pygame.draw.polygon(surface, colour, [(S(px), S(py)) for px, py in _arrow(s.points)])
        lx, ly = s.label_at
        rx, ry, rw, rh = label_rect(s.label, s.label_at)
        pygame.draw.rect(surface, _rgb("#fafafa"), pygame.Rect(S(rx), S(ry), S(rw), S(rh)))
        for i, t in enumerate(s.label):
            text(lx, ly + 3 + 13 * i, t, KIND_COLOUR[s.edge.kind], small if i else font, centre=True)

    for node_id, b in lay.boxes.items():
        fill, border, bw, dashed = _node_style(lay, node_id)
        n = graph.node(node_id)
        radius = 14 if n.ending else 4
        pygame.draw.rect(surface, _rgb(fill), pygame.Rect(S(b.x), S(b.y), S(b.w), S(b.h)), border_radius=S(radius))
        rect_outline(b.x, b.y, b.w, b.h, _rgb(border), bw, dashed=dashed, radius=radius)
        text(b.x + 8, b.y + 15, _node_heading(lay, node_id), f=bold)
        for i, line in enumerate(b.lines):
            text(b.x + 8, b.y + 33 + LINE_H * i, line, "#333333")
    pygame.image.save(surface, str(target))
