"""Lint passes over a loaded scenario, one function per check, each returning diagnostics.

`structural_checks` run on every load (cheap: graph reachability). The checks that need the state-space
search live above the engine, in `simulator.analysis.checks`.
"""
from __future__ import annotations

from collections import deque

from simulator.diagnostics import Diagnostic, diag
from simulator.scenario.acts import LIMIT_ACTS, MISTAKE_ACTS, STEP_OF_ACT
from simulator.scenario.model import Choice, Node, Scenario

# The give-away checks judge how a scenario plays for a learner, so they need a scenario of training size
# (the pack's rule for a full scenario): a first draft from `new` or a rules fixture may contrast one right
# answer with mistakes on purpose.
GIVE_AWAY_MIN_NODES = 14


def _graph(scenario: Scenario) -> dict[str, set[str]]:
    return {nid: {r.goto for c in n.choices for r in c.routes if r.goto in scenario.nodes}
            for nid, n in scenario.nodes.items()}


def _reach(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def check_unreachable(scenario: Scenario) -> list[Diagnostic]:
    reached = _reach(scenario.start, _graph(scenario))
    return [diag("KS101", n.pos, f"node '{n.id}' cannot be reached from start '{scenario.start}'")
            for n in scenario.nodes.values() if n.id not in reached]


def check_dead_ends(scenario: Scenario) -> list[Diagnostic]:
    """Nodes from which no sequence of choices leads to an ending, conditions aside."""
    reverse: dict[str, set[str]] = {nid: set() for nid in scenario.nodes}
    for nid, targets in _graph(scenario).items():
        for t in targets:
            reverse[t].add(nid)
    can_end: set[str] = set()
    queue = deque(n.id for n in scenario.nodes.values() if n.ending)
    can_end.update(queue)
    while queue:
        for prev in reverse[queue.popleft()]:
            if prev not in can_end:
                can_end.add(prev)
                queue.append(prev)
    return [diag("KS016", n.pos, f"node '{n.id}' has no way to any ending")
            for n in scenario.nodes.values() if n.id not in can_end]


def is_right_answer(node: Node, choice: Choice) -> bool:
    """A choice the method would take at this node: a step, a handover or another channel, and when the line is
    abusive also a rung of the boundary ladder (a limit answering a line that is not abusive is a mistake)."""
    if choice.act in STEP_OF_ACT or choice.act in ("hand_over", "offer_channel"):
        return True
    return node.abusive and choice.act in LIMIT_ACTS


def check_longest_is_right(scenario: Scenario) -> list[Diagnostic]:
    """KS107: the right answer gives itself away by its length at more than half of the nodes that offer both
    right and wrong answers."""
    if len(scenario.nodes) < GIVE_AWAY_MIN_NODES:
        return []
    mixed: list[Node] = []
    longest: list[Node] = []
    for node in scenario.nodes.values():
        right = [is_right_answer(node, c) for c in node.choices]
        if not any(right) or all(right):
            continue
        mixed.append(node)
        lengths = [len(c.text) for c in node.choices]
        top = max(lengths)
        if lengths.count(top) == 1 and right[lengths.index(top)]:
            longest.append(node)
    if 2 * len(longest) <= len(mixed):
        return []
    names = ", ".join(n.id for n in longest[:6]) + (", …" if len(longest) > 6 else "")
    return [diag("KS107", longest[0].pos,
                 f"at {len(longest)} of the {len(mixed)} nodes with right and wrong answers the longest option is a "
                 f"right one ({names}), so a player can pick by length")]


def check_only_one_plausible(scenario: Scenario) -> list[Diagnostic]:
    """KS108: at a node every option but one is a mistake act, so the answer can be found by elimination."""
    if len(scenario.nodes) < GIVE_AWAY_MIN_NODES:
        return []
    out = []
    for node in scenario.nodes.values():
        plausible = [c for c in node.choices if c.act not in MISTAKE_ACTS]
        if len(node.choices) >= 2 and len(plausible) == 1:
            wrong = ", ".join(c.act for c in node.choices if c.act in MISTAKE_ACTS)
            out.append(diag("KS108", node.pos,
                            f"at node '{node.id}' every option but '{plausible[0].act}' is a mistake ({wrong}), "
                            "so the right answer can be found by elimination"))
    return out


def structural_checks(scenario: Scenario) -> list[Diagnostic]:
    return (check_dead_ends(scenario) + check_unreachable(scenario) + check_longest_is_right(scenario)
            + check_only_one_plausible(scenario))
