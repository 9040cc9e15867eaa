"""For people reading `analyse`: which conditional routes some play takes, and how many ways lead to each ending.

Routing depends only on the node, the mood, the turns and the flags (never on the step track or the ladder), so
the search for routes that fire walks just those, with turns counted no further than a condition compares
and mood left out where no condition reads it: a finite space, searched completely.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from simulator.engine.conversation import State, offered, start_state, take
from simulator.scenario import conditions
from simulator.scenario.conditions import evaluate
from simulator.scenario.model import Choice, Scenario


@dataclass(frozen=True)
class ConditionalRoute:
    node: str
    choice: int          # 1-based, in file order
    act: str
    route: int           # 1-based entry in the choice's `next` list
    condition: str | None  # None for the fallback (`anders`)
    goto: str
    taken: bool          # some play takes this route


@dataclass
class RouteReport:
    routes: list[ConditionalRoute]
    complete: bool       # False when the search stopped at its limit (then 'not taken' may be wrong)
    ways: dict[str, int] = field(default_factory=dict)   # ending kind → distinct paths (loops cut) leading to it
    ways_complete: bool = True

    def to_json(self) -> dict[str, object]:
        return {"conditional_routes": [r.__dict__ for r in self.routes], "routes_complete": self.complete,
                "ways_to_ending": self.ways, "ways_complete": self.ways_complete}


def _reads(scenario: Scenario) -> tuple[set[str], int]:
    variables: set[str] = set()
    max_turns = 0
    for node in scenario.nodes.values():
        for choice in node.choices:
            exprs = [c.expr for c in [choice.when, *(r.when for r in choice.routes)] if c is not None]
            for expr in exprs:
                for e in conditions.walk(expr):
                    if isinstance(e, conditions.Compare):
                        variables.add(e.var)
                        if e.var == "turns":
                            max_turns = max(max_turns, e.value + 1)
    return variables, max_turns


def _fired(choice: Choice, state: State) -> int:
    """0-based index of the route the engine takes from `state` (the state just after the choice)."""
    for i, route in enumerate(choice.routes):
        if route.when is None or evaluate(route.when.expr, state.anger, state.trust, state.turns, state.flags):
            return i
    return len(choice.routes) - 1


def conditional_routes(scenario: Scenario, limit: int = 200_000) -> tuple[list[ConditionalRoute], bool]:
    variables, max_turns = _reads(scenario)
    fired: set[tuple[str, int, int]] = set()

    def key(state: State) -> tuple[str, int, int, int, frozenset[str]]:
        return (state.node, state.anger if "anger" in variables else 0, state.trust if "trust" in variables else 0,
                min(state.turns, max_turns), state.flags)

    first = start_state(scenario)
    seen = {key(first)}
    queue = deque([first])
    complete = True
    while queue:
        state = queue.popleft()
        if scenario.nodes[state.node].ending:
            continue
        for number, (index, choice) in enumerate(offered(scenario, state), 1):
            nxt, _turn = take(scenario, state, index, number)
            if choice.when is not None:
                fired.add((state.node, index, -1))
            if len(choice.routes) > 1:
                fired.add((state.node, index, _fired(choice, nxt)))
            k = key(nxt)
            if k not in seen:
                if len(seen) >= limit:
                    complete = False
                    continue
                seen.add(k)
                queue.append(nxt)
    routes = []
    for node in scenario.nodes.values():
        for ci, choice in enumerate(node.choices):
            if choice.when is not None:  # route 0: the choice's own `if`, taken when the choice is ever offered
                routes.append(ConditionalRoute(node.id, ci + 1, choice.act, 0, choice.when.source, "",
                                               (node.id, ci, -1) in fired))
            if len(choice.routes) > 1:
                routes += [ConditionalRoute(node.id, ci + 1, choice.act, ri + 1,
                                            route.when.source if route.when else None, route.goto,
                                            (node.id, ci, ri) in fired) for ri, route in enumerate(choice.routes)]
    return routes, complete


def ways_to_endings(scenario: Scenario, limit: int = 200_000) -> tuple[dict[str, int], bool]:
    """Distinct choice sequences from the start to each kind of ending, conditions respected; a path that would
    come back to a node it already passed is cut there (else cycles make the number endless). Depth-first with
    an explicit stack, so a long chain cannot exhaust Python's recursion."""
    ways: dict[str, int] = {}
    on_path: list[str] = []
    on_path_set: set[str] = set()
    steps = 0
    first = start_state(scenario)
    # (state, its remaining options or None); an option is (number shown, (index in the file, choice))
    stack: list[tuple[State, list[tuple[int, tuple[int, Choice]]] | None]] = [(first, None)]
    while stack:
        state, options = stack[-1]
        if options is None:
            node = scenario.nodes[state.node]
            if node.ending:
                ways[node.ending] = ways.get(node.ending, 0) + 1
                stack.pop()
                continue
            options = list(enumerate(offered(scenario, state), 1))
            stack[-1] = (state, options)
            on_path.append(state.node)
            on_path_set.add(state.node)
        if not options:
            stack.pop()
            on_path_set.discard(on_path.pop())
            continue
        number, (index, _choice) = options.pop(0)
        steps += 1
        if steps > limit:
            return ways, False
        nxt, _turn = take(scenario, state, index, number)
        if nxt.node not in on_path_set:
            stack.append((nxt, None))
    return ways, True


def route_report(scenario: Scenario) -> RouteReport:
    routes, complete = conditional_routes(scenario)
    ways, ways_complete = ways_to_endings(scenario)
    return RouteReport(routes, complete, ways, ways_complete)
