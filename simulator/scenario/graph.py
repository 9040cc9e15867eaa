"""A scenario as a map: its nodes and links with what each means in the method, for `graph` to format.

All judgement lives here (which kind an act is, which nodes can be reached, which links the best path takes);
the formatters in `simulator.commands.graph` only draw what this module says.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from simulator.scenario.model import BOUNDARY_ACTS, ENDINGS, MISTAKE_ACTS, STEP_OF_ACT, Scenario

EDGE_KINDS = ("step", "boundary", "mistake", "neutral")
FIRST_WORDS = 10


def act_kind(act: str) -> str:
    """What an act is in the method: a step of the six, a boundary, a mistake, or neutral."""
    if act in STEP_OF_ACT:
        return "step"
    if act in BOUNDARY_ACTS:
        return "boundary"
    if act in MISTAKE_ACTS:
        return "mistake"
    return "neutral"


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
        return next(n for n in self.nodes if n.id == node_id)


def build_graph(scenario: Scenario, analysis=None) -> ScenarioGraph:
    """The map of a loaded scenario; `analysis` (from `analyse`) is computed when not given."""
    from simulator.engine.session import Session
    from simulator.scenario.analysis import analyse

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
                edges.append(GraphEdge(
                    source=n.id, target=target, act=choice.act, kind=act_kind(choice.act), choice=index + 1,
                    condition=None if None in whens else " or ".join(f"({w})" if len(whens) > 1 else w for w in whens),
                    offered_if=choice.when.source if choice.when else None,
                    on_best_path=(n.id, index, target) in best_links, text=first_words(choice.text, 8)))
    endings = {kind: [n.id for n in nodes if n.ending == kind] for kind in ENDINGS}
    return ScenarioGraph(scenario_id=scenario.id, title=scenario.title, start=scenario.start, nodes=nodes,
                         edges=edges, endings={k: v for k, v in endings.items() if v},
                         unreachable=[n.id for n in nodes if not n.reachable], best_path=best_nodes,
                         best_choices=best_choices)
