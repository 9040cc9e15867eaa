"""The scenario model: frozen values, each carrying the position in the file it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from simulator.diagnostics import SourcePos
from simulator.scenario.conditions import Expr

STEPS = ("listen", "acknowledge", "ask", "solve", "agree", "follow_up")
STEP_OF_ACT = {"listen": "listen", "acknowledge": "acknowledge", "apologize": "acknowledge", "ask": "ask",
               "solve": "solve", "agree": "agree", "follow_up": "follow_up"}
BOUNDARY_ACTS = ("set_limit", "warn", "end_contact", "hand_over", "offer_channel")
MISTAKE_ACTS = ("justify", "interrupt", "counter", "give_in", "deflect", "blame_colleague", "belittle", "impose",
                "flat_no", "ignore")
ACTS = tuple(STEP_OF_ACT) + BOUNDARY_ACTS + MISTAKE_ACTS + ("neutral",)


def act_kind(act: str) -> str:
    """What an act is in the method: a step of the six, a boundary, a mistake, or neutral."""
    if act in STEP_OF_ACT:
        return "step"
    if act in BOUNDARY_ACTS:
        return "boundary"
    if act in MISTAKE_ACTS:
        return "mistake"
    return "neutral"
ENDINGS = ("satisfied", "dissatisfied", "lost", "disconnected", "escalated")
CHANNELS = ("phone", "counter", "email", "letter")
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Condition:
    source: str
    expr: Expr
    pos: SourcePos


@dataclass(frozen=True)
class Route:
    goto: str
    when: Condition | None
    pos: SourcePos


@dataclass(frozen=True)
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

    @property
    def step(self) -> str | None:
        return STEP_OF_ACT.get(self.act)


@dataclass(frozen=True)
class Node:
    id: str
    pos: SourcePos
    say: str | None = None
    narration: str | None = None
    abusive: bool = False
    ending: str | None = None
    choices: tuple[Choice, ...] = ()


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
    def unconditional_options(self) -> dict[str, list]:
        """Per node without any `if`: its (index, choice) list, the same in every state (a hot path)."""
        return {nid: list(enumerate(n.choices)) for nid, n in self.nodes.items()
                if n.choices and all(c.when is None for c in n.choices)}
