"""Lint passes over a loaded scenario, one function per check, each returning diagnostics.

`structural_checks` run on every load (cheap: graph reachability, flags, conditions on their own). The checks
that need the state-space search live above the engine, in `simulator.analysis.checks`.
"""
from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator

from simulator.diagnostics import Diagnostic, SourcePos, T, diag
from simulator.scenario import conditions
from simulator.scenario.acts import LIMIT_ACTS, MISTAKE_ACTS, STEP_OF_ACT
from simulator.scenario.model import Choice, Condition, Node, Scenario

# What the variables of a condition can be: anger and trust are clamped to 0..100, turns counts up from 0.
DOMAIN = {"anger": (0, 100), "trust": (0, 100), "turns": (0, None)}
MAX_CASES = 4096  # conditions with more combinations than this are not judged (none of the bundled come close)

# The give-away checks judge how a scenario plays for a learner, so they need a scenario of training size
# (the pack's rule for a full scenario): a first draft from `new` or a rules fixture may contrast one right
# answer with mistakes on purpose.
GIVE_AWAY_MIN_NODES = 14


def _graph(scenario: Scenario) -> dict[str, set[str]]:
    nodes = scenario.nodes
    return {nid: {r.goto for c in n.choices for r in c.routes if r.goto in nodes} for nid, n in nodes.items()}


def _reach(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def check_unreachable(scenario: Scenario, edges: dict[str, set[str]] | None = None) -> list[Diagnostic]:
    reached = _reach(scenario.start, _graph(scenario) if edges is None else edges)
    return [diag("KS101", n.pos, "unreachable", node=n.id, start=scenario.start)
            for n in scenario.nodes.values() if n.id not in reached]


def check_dead_ends(scenario: Scenario, edges: dict[str, set[str]] | None = None) -> list[Diagnostic]:
    """Nodes from which no sequence of choices leads to an ending, conditions aside."""
    reverse: dict[str, list[str]] = {nid: [] for nid in scenario.nodes}
    for nid, targets in (_graph(scenario) if edges is None else edges).items():
        for t in targets:
            reverse[t].append(nid)
    can_end: set[str] = set()
    queue = deque(n.id for n in scenario.nodes.values() if n.ending)
    can_end.update(queue)
    while queue:
        for prev in reverse[queue.popleft()]:
            if prev not in can_end:
                can_end.add(prev)
                queue.append(prev)
    return [diag("KS016", n.pos, "dead_end", node=n.id)
            for n in scenario.nodes.values() if n.id not in can_end]


Place = Callable[[], T]   # the phrase naming where a condition stands, made when a problem is reported


def scenario_conditions(scenario: Scenario) -> Iterator[tuple[Condition, Place]]:
    """Every condition in the file with what it belongs to: (Condition, the phrase naming its place, made when a
    problem is reported)."""
    for node in scenario.nodes.values():
        for number, choice in enumerate(node.choices, 1):
            if choice.when is not None:
                yield choice.when, _place("condition_of", number, node.id)
            for route in choice.routes:
                if route.when is not None:
                    yield route.when, _place("route_condition", number, node.id, target=route.goto)


def _place(key: str, number: int, node: str, /, **args: object) -> Place:
    return lambda: T(key, what=T("choice", number=number, node=node), **args)


def _flags_read(expr: conditions.Expr) -> list[str]:
    """The flags a condition reads, each once, in order."""
    return list(dict.fromkeys(e.name for e in conditions.walk(expr) if isinstance(e, conditions.Flag)))


def check_flags(scenario: Scenario, found: list[tuple[Condition, Place]] | None = None) -> list[Diagnostic]:
    """A flag read in an `if` that no choice sets (a typo, usually), and a flag set that no `if` reads."""
    set_at: dict[str, SourcePos] = {}
    for node in scenario.nodes.values():
        for choice in node.choices:
            if choice.sets:
                for flag in choice.sets:
                    set_at.setdefault(flag, choice.pos)
    out: list[Diagnostic] = []
    read: set[str] = set()
    flags_of: dict[str, list[str]] = {}   # conditions repeat: walk each text once
    for condition, what in scenario_conditions(scenario) if found is None else found:
        flags = flags_of.get(condition.source)
        if flags is None:
            flags = flags_of[condition.source] = _flags_read(condition.expr)
        for flag in flags:
            read.add(flag)
            if flag not in set_at:
                import difflib   # only a file with a mistake needs it

                close = difflib.get_close_matches(flag, sorted(set_at), n=1)
                out.append(diag("KS111", condition.pos, "flag_never_set", flag=flag, what=what(),
                                suggest=T("suggest", name=close[0]) if close else ""))
    for flag, pos in set_at.items():
        if flag not in read:
            out.append(diag("KS112", pos, "flag_never_read", flag=flag))
    return out


def _candidates(var: str, constants: set[int]) -> list[int]:
    """Values of `var` that decide every comparison with these constants: each side of every constant."""
    low, high = DOMAIN[var]
    top = high if high is not None else max(constants | {0}) + 1
    values = {low, top}
    for c in constants:
        values.update(v for v in (c - 1, c, c + 1) if low <= v <= top)
    return sorted(values)


def holds(expr: conditions.Expr) -> tuple[bool, bool]:
    """(can hold, can fail) for a parsed condition, over every value the variables can take."""
    compares = [e for e in conditions.walk(expr) if isinstance(e, conditions.Compare)]
    flags = sorted({e.name for e in conditions.walk(expr) if isinstance(e, conditions.Flag)})
    values = {var: _candidates(var, {c.value for c in compares if c.var == var}) if any(c.var == var for c in compares)
              else [DOMAIN[var][0]] for var in DOMAIN}
    cases = len(values["anger"]) * len(values["trust"]) * len(values["turns"]) * 2 ** len(flags)
    if cases > MAX_CASES:
        return True, True
    seen_true = seen_false = False
    for anger, trust, turns in itertools.product(values["anger"], values["trust"], values["turns"]):
        for bits in itertools.product((False, True), repeat=len(flags)):
            on = {f for f, b in zip(flags, bits) if b}
            if conditions.evaluate(expr, anger, trust, turns, on):
                seen_true = True
            else:
                seen_false = True
            if seen_true and seen_false:
                return True, True
    return seen_true, seen_false


def check_conditions(scenario: Scenario, found: list[tuple[Condition, Place]] | None = None) -> list[Diagnostic]:
    """A condition that can never hold (`anger >= 150`) or always holds (`trust >= 0`), whatever happens."""
    out: list[Diagnostic] = []
    judged: dict[str, tuple[bool, bool]] = {}   # conditions repeat: judge each text once
    for condition, what in scenario_conditions(scenario) if found is None else found:
        verdict = judged.get(condition.source)
        if verdict is None:
            verdict = judged[condition.source] = holds(condition.expr)
        can_hold, can_fail = verdict
        if not can_hold:
            out.append(diag("KS113", condition.pos, "never_holds", what=what(), source=condition.source))
        elif not can_fail:
            out.append(diag("KS114", condition.pos, "always_holds", what=what(), source=condition.source))
    return out


_ALWAYS_RIGHT = frozenset(STEP_OF_ACT) | {"hand_over", "offer_channel"}
_MISTAKES = frozenset(MISTAKE_ACTS)


def is_right_answer(node: Node, choice: Choice) -> bool:
    """A choice the method would take at this node: a step, a handover or another channel, and when the line is
    abusive also a rung of the boundary ladder (a limit answering a line that is not abusive is a mistake)."""
    if choice.act in _ALWAYS_RIGHT:
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
        # is_right_answer, written out: this runs for every choice of every load
        right = [c.act in _ALWAYS_RIGHT or (node.abusive and c.act in LIMIT_ACTS) for c in node.choices]
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
    return [diag("KS107", longest[0].pos, "longest_is_right", longest=len(longest), mixed=len(mixed), names=names)]


def check_only_one_plausible(scenario: Scenario) -> list[Diagnostic]:
    """KS108: at a node every option but one is a mistake act, so the answer can be found by elimination."""
    if len(scenario.nodes) < GIVE_AWAY_MIN_NODES:
        return []
    out = []
    for node in scenario.nodes.values():
        plausible = [c for c in node.choices if c.act not in _MISTAKES]
        if len(node.choices) >= 2 and len(plausible) == 1:
            wrong = ", ".join(c.act for c in node.choices if c.act in _MISTAKES)
            out.append(diag("KS108", node.pos, "only_one_plausible", node=node.id, act=plausible[0].act, wrong=wrong))
    return out


def structural_checks(scenario: Scenario) -> list[Diagnostic]:
    edges = _graph(scenario)
    found = list(scenario_conditions(scenario))
    return (check_dead_ends(scenario, edges) + check_unreachable(scenario, edges) + check_flags(scenario, found)
            + check_conditions(scenario, found) + check_longest_is_right(scenario) + check_only_one_plausible(scenario))
