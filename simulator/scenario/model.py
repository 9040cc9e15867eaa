"""The scenario model: frozen values, each carrying the position in the file it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from simulator.diagnostics import SourcePos
from simulator.frozen import slot_setters
from simulator.scenario.conditions import Expr

from simulator.scenario.acts import (  # re-exported (`X as X`): the model speaks this vocabulary
    ACTS as ACTS, BOUNDARY_ACTS as BOUNDARY_ACTS, CHANNELS as CHANNELS, ENDINGS as ENDINGS, LANGUAGES as LANGUAGES,
    MISTAKE_ACTS as MISTAKE_ACTS, STEP_OF_ACT as STEP_OF_ACT, STEPS as STEPS, act_kind as act_kind)


# The loader makes one of these values for every line or two of a file: each fills its slots itself, quickly
# (simulator/frozen.py says why; `slot_setters` checks that each __init__ takes exactly the fields).
@dataclass(frozen=True, slots=True, init=False)
class Condition:
    source: str
    expr: Expr
    pos: SourcePos

    def __init__(self, source: str, expr: Expr, pos: SourcePos) -> None:
        _condition_source(self, source)
        _condition_expr(self, expr)
        _condition_pos(self, pos)


_condition_source, _condition_expr, _condition_pos = slot_setters(Condition)


@dataclass(frozen=True, slots=True, init=False)
class Route:
    goto: str
    when: Condition | None
    pos: SourcePos

    def __init__(self, goto: str, when: Condition | None, pos: SourcePos) -> None:
        _route_goto(self, goto)
        _route_when(self, when)
        _route_pos(self, pos)


_route_goto, _route_when, _route_pos = slot_setters(Route)


@dataclass(frozen=True, slots=True, init=False)
class Choice:
    text: str
    act: str
    routes: tuple[Route, ...]
    pos: SourcePos
    anger: int = 0
    trust: int = 0
    sets: tuple[str, ...] = ()
    when: Condition | None = None
    feedback: str | None = None

    def __init__(self, text: str, act: str, routes: tuple[Route, ...], pos: SourcePos, anger: int = 0,
                 trust: int = 0, sets: tuple[str, ...] = (), when: Condition | None = None,
                 feedback: str | None = None) -> None:
        _choice_text(self, text)
        _choice_act(self, act)
        _choice_routes(self, routes)
        _choice_pos(self, pos)
        _choice_anger(self, anger)
        _choice_trust(self, trust)
        _choice_sets(self, sets)
        _choice_when(self, when)
        _choice_feedback(self, feedback)

    @property
    def step(self) -> str | None:
        return STEP_OF_ACT.get(self.act)


(_choice_text, _choice_act, _choice_routes, _choice_pos, _choice_anger, _choice_trust, _choice_sets, _choice_when,
 _choice_feedback) = slot_setters(Choice)


@dataclass(frozen=True, slots=True, init=False)
class Node:
    id: str
    pos: SourcePos
    say: str | None = None
    narration: str | None = None
    abusive: bool = False
    ending: str | None = None
    choices: tuple[Choice, ...] = ()

    def __init__(self, id: str, pos: SourcePos, say: str | None = None, narration: str | None = None,
                 abusive: bool = False, ending: str | None = None, choices: tuple[Choice, ...] = ()) -> None:
        _node_id(self, id)
        _node_pos(self, pos)
        _node_say(self, say)
        _node_narration(self, narration)
        _node_abusive(self, abusive)
        _node_ending(self, ending)
        _node_choices(self, choices)


_node_id, _node_pos, _node_say, _node_narration, _node_abusive, _node_ending, _node_choices = slot_setters(Node)


@dataclass(frozen=True)
class Customer:
    name: str
    anger: int = 50
    trust: int = 50


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    summary: str
    language: str
    difficulty: int
    channel: str
    customer: Customer
    start: str
    nodes: dict[str, Node] = field(hash=False)
    assess: tuple[str, ...] = STEPS
    source: str | None = None
    path: str = "<text>"
    version: str = ""  # sha256 of the file's bytes: results say which version was played

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    @cached_property
    def assessed_set(self) -> frozenset[str]:
        return frozenset(self.assess)

    @cached_property
    def unconditional_options(self) -> dict[str, list[tuple[int, Choice]]]:
        """Per node without any `if`: its (index, choice) list, the same in every state (a hot path)."""
        return {nid: list(enumerate(n.choices)) for nid, n in self.nodes.items()
                if n.choices and all(c.when is None for c in n.choices)}

    @cached_property
    def back_edges(self) -> frozenset[tuple[str, str]]:
        """The links (node, target) that go back round: the back edges of a depth-first walk from the start.
        Without them the scenario's graph has no cycle, so counting how often a conversation takes one bounds
        how long any conversation can last (the customer's patience)."""
        state = {self.start: 1}          # 1: on the walk's current path, 2: finished
        back: set[tuple[str, str]] = set()
        stack = [(self.start, iter(self._targets(self.start)))]
        while stack:
            nid, targets = stack[-1]
            for target in targets:
                seen = state.get(target)
                if seen == 1:
                    back.add((nid, target))
                elif seen is None:
                    state[target] = 1
                    stack.append((target, iter(self._targets(target))))
                    break
            else:
                state[nid] = 2
                stack.pop()
        return frozenset(back)

    def _targets(self, node_id: str) -> list[str]:
        node = self.nodes.get(node_id)
        if node is None:
            return []
        return list(dict.fromkeys(r.goto for c in node.choices for r in c.routes if r.goto in self.nodes))
