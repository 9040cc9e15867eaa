"""A scenario as a map: its nodes and links with what each means in the method, for `graph` to format.

All judgement lives here (which kind an act is, which nodes can be reached, which links the best path takes);
the formatters in `simulator.commands.graph` only draw what this module says.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from simulator.analysis.search import Analysis, analyse
from simulator.engine.conversation import State, offered, start_state, take
from simulator.engine.session import Session
from simulator.scenario.acts import ACTS, ENDINGS, act_kind
from simulator.scenario.model import Choice, Scenario

EDGE_KINDS = ("step", "boundary", "mistake", "neutral")
FIRST_WORDS = 10


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


@dataclass(frozen=True)
class GraphNode:
    id: str
    first_words: str          # the start of what the customer says (or the narration)
    abusive: bool
    ending: str | None
    reachable: bool           # some path from start gets here, conditions included
    on_best_path: bool
    is_start: bool


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    act: str
    kind: str                 # one of EDGE_KINDS
    choice: int               # 1-based number of the choice in the file, at its node
    condition: str | None     # the routing `if` that leads along this edge, when the choice routes
    offered_if: str | None    # the choice's own `if`
    on_best_path: bool
    text: str                 # first words of what the agent says


@dataclass
class ScenarioGraph:
    scenario_id: str
    title: str
    start: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    endings: dict[str, list[str]] = field(default_factory=dict)   # ending kind → node ids, in ENDINGS order
    unreachable: list[str] = field(default_factory=list)
    best_path: list[str] = field(default_factory=list)            # node ids visited, start to ending
    best_choices: list[int] = field(default_factory=list)         # as `play --choices` takes them

    def node(self, node_id: str) -> GraphNode:
        index: dict[str, GraphNode] | None = self.__dict__.get("_by_id")
        if index is None or len(index) != len(self.nodes):   # one dict, not a scan per look-up (32k nodes: 42 s)
            index = self.__dict__["_by_id"] = {n.id: n for n in self.nodes}
        return index[node_id]


def build_graph(scenario: Scenario, analysis: Analysis | None = None) -> ScenarioGraph:
    """The map of a loaded scenario; `analysis` (from `analyse`) is computed when not given."""
    analysis = analysis or analyse(scenario)
    best_links: set[tuple[str, int, str]] = set()
    best_nodes: list[str] = []
    best_choices: list[int] = []
    if analysis.best is not None:
        session = Session.replay(scenario, analysis.best.choices)
        best_links = {(t.node, t.index, t.next_node) for t in session.turns}
        best_nodes = [t.node for t in session.turns] + [session.node.id]
        best_choices = list(analysis.best.choices)
    on_best = set(best_nodes)

    nodes = [GraphNode(id=n.id, first_words=first_words(n.say or n.narration or ""), abusive=n.abusive,
                       ending=n.ending, reachable=n.id in analysis.reachable_nodes, on_best_path=n.id in on_best,
                       is_start=n.id == scenario.start)
             for n in scenario.nodes.values()]
    edges: list[GraphEdge] = []
    for n in scenario.nodes.values():
        for index, choice in enumerate(n.choices):
            # Two routes to one node are one link on the map; it is conditional only if every such route is.
            conditions: dict[str, list[str | None]] = {}
            for route in choice.routes:
                conditions.setdefault(route.goto, []).append(route.when.source if route.when else None)
            for target, whens in conditions.items():
                sources = [w for w in whens if w is not None]
                edges.append(GraphEdge(
                    source=n.id, target=target, act=choice.act, kind=act_kind(choice.act), choice=index + 1,
                    condition=(None if len(sources) < len(whens)
                               else " or ".join(f"({w})" if len(sources) > 1 else w for w in sources)),
                    offered_if=choice.when.source if choice.when else None,
                    on_best_path=(n.id, index, target) in best_links, text=first_words(choice.text, 8)))
    endings = {kind: [n.id for n in nodes if n.ending == kind] for kind in ENDINGS}
    return ScenarioGraph(scenario_id=scenario.id, title=scenario.title, start=scenario.start, nodes=nodes,
                         edges=edges, endings={k: v for k, v in endings.items() if v},
                         unreachable=[n.id for n in nodes if not n.reachable], best_path=best_nodes,
                         best_choices=best_choices)


@dataclass
class PathCount:
    """How many different ways a conversation can go, for `analyse`."""

    paths: int          # choice sequences from start to an ending that pass no node twice
    loop_backs: int     # choices that would lead back to a node already passed on that path (cut there)
    complete: bool      # False when the count stopped at the limit: `paths` is then a lower bound


def count_paths(scenario: Scenario, limit: int = 200_000) -> PathCount:
    """Count the distinct paths, conditions respected. A path that would come back to a node it already passed
    is a loop: it is cut there and counted as a loop-back, so the count stays finite with cycles."""
    paths = loops = steps = 0
    on_path: set[str] = set()
    # Depth-first with an explicit stack (a chain of thousands of nodes would exhaust Python's recursion):
    # each frame is a state on the current path and the choices at it still to try.
    stack: list[tuple[State, list[tuple[int, tuple[int, Choice]]]]] = []

    def enter(state: State) -> None:
        nonlocal paths
        node = scenario.nodes[state.node]
        options = [] if node.ending else offered(scenario, state)
        if not options:
            paths += 1
            return
        on_path.add(state.node)
        stack.append((state, list(enumerate(options, 1))[::-1]))

    enter(start_state(scenario))
    complete = True
    while stack:
        state, todo = stack[-1]
        if not todo:
            stack.pop()
            on_path.discard(state.node)
            continue
        number, (index, _choice) = todo.pop()
        steps += 1
        if steps > limit:
            complete = False
            break
        nxt, _turn = take(scenario, state, index, number)
        if nxt.node in on_path:
            loops += 1
        else:
            enter(nxt)
    return PathCount(paths, loops, complete)


def trained_acts(scenario: Scenario, reachable: set[str], kind: str) -> dict[str, int]:
    """Acts of one kind offered at reachable nodes, with how many choices use each (in the format page's order)."""
    counts: dict[str, int] = {}
    for node in scenario.nodes.values():
        if node.id in reachable:
            for choice in node.choices:
                if act_kind(choice.act) == kind:
                    counts[choice.act] = counts.get(choice.act, 0) + 1
    return {a: counts[a] for a in ACTS if a in counts}
