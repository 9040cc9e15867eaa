"""Lint passes over a loaded scenario, one function per check, each returning diagnostics.

`structural_checks` run on every load (cheap: graph reachability, flags, conditions on their own). What they look
at is gathered in one walk over the scenario (`Survey`: on a large file each walk costs mostly memory traffic), and
each check then judges its part. The checks that need the state-space search live above the engine, in
`simulator.analysis.checks`.
"""
from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Collection

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


_ALWAYS_RIGHT = frozenset(STEP_OF_ACT) | {"hand_over", "offer_channel"}
_MISTAKES = frozenset(MISTAKE_ACTS)

Place = Callable[[], T]   # the phrase naming where a condition stands, made when a problem is reported


class Survey:
    """What the structural checks look at, gathered in one walk over the scenario."""

    __slots__ = ("conditions", "edges", "longest", "mixed", "node_ids", "one_plausible", "set_at")

    def __init__(self, scenario: Scenario | None = None, node_ids: Collection[str] = ()) -> None:
        """The survey of a scenario; or, without one, an empty survey of a file with these node ids, to which the
        loader adds each node as it builds it (while the node's values are still in the processor's caches)."""
        self.edges: dict[str, set[str]] = {}     # node -> the nodes its choices lead to
        self.conditions: list[tuple[Condition, Place]] = []   # every condition, with the phrase for its place
        self.set_at: dict[str, SourcePos] = {}   # flag -> the first choice that sets it
        self.mixed: list[Node] = []              # nodes offering both right and wrong answers
        self.longest: list[Node] = []            # ... where the only longest answer is a right one
        self.one_plausible: list[tuple[Node, Choice]] = []   # nodes where all answers but one are mistakes
        if scenario is None:
            self.node_ids = node_ids
        else:
            self.node_ids = nodes = scenario.nodes
            for node in nodes.values():
                self.add(node)

    def add(self, node: Node) -> None:
        nodes, nid = self.node_ids, node.id
        targets = set()
        for number, choice in enumerate(node.choices, 1):
            if choice.sets:
                for flag in choice.sets:
                    self.set_at.setdefault(flag, choice.pos)
            if choice.when is not None:
                self.conditions.append((choice.when, _place("condition_of", number, nid)))
            for route in choice.routes:
                if route.goto in nodes:
                    targets.add(route.goto)
                if route.when is not None:
                    self.conditions.append((route.when, _place("route_condition", number, nid, target=route.goto)))
        self.edges[nid] = targets
        if node.choices and len(nodes) >= GIVE_AWAY_MIN_NODES:
            self._give_away(node)

    def _give_away(self, node: Node) -> None:
        choices = node.choices
        right = [is_right_answer(node, c) for c in choices]
        if any(right) and not all(right):
            self.mixed.append(node)
            lengths = [len(c.text) for c in choices]
            top = max(lengths)
            if lengths.count(top) == 1 and right[lengths.index(top)]:
                self.longest.append(node)
        plausible = [c for c in choices if c.act not in _MISTAKES]
        if len(choices) >= 2 and len(plausible) == 1:
            self.one_plausible.append((node, plausible[0]))


def _place(key: str, number: int, node: str, /, **args: object) -> Place:
    return lambda: T(key, what=T("choice", number=number, node=node), **args)


def _graph(scenario: Scenario) -> dict[str, set[str]]:
    """Survey.edges alone (for the analysis' checks)."""
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


def check_unreachable(scenario: Scenario, survey: Survey | None = None) -> list[Diagnostic]:
    reached = _reach(scenario.start, (survey or Survey(scenario)).edges)
    return [diag("KS101", n.pos, "unreachable", node=n.id, start=scenario.start)
            for n in scenario.nodes.values() if n.id not in reached]


def check_dead_ends(scenario: Scenario, survey: Survey | None = None) -> list[Diagnostic]:
    """Nodes from which no sequence of choices leads to an ending, conditions aside."""
    reverse: dict[str, list[str]] = {nid: [] for nid in scenario.nodes}
    for nid, targets in (survey or Survey(scenario)).edges.items():
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


def scenario_conditions(scenario: Scenario) -> list[tuple[Condition, Place]]:
    """Every condition in the file with what it belongs to: (Condition, the phrase naming its place, made when a
    problem is reported)."""
    return Survey(scenario).conditions


def _flags_read(expr: conditions.Expr) -> list[str]:
    """The flags a condition reads, each once, in order."""
    return list(dict.fromkeys(e.name for e in conditions.walk(expr) if isinstance(e, conditions.Flag)))


def check_flags(scenario: Scenario, survey: Survey | None = None) -> list[Diagnostic]:
    """A flag read in an `if` that no choice sets (a typo, usually), and a flag set that no `if` reads."""
    survey = survey or Survey(scenario)
    set_at = survey.set_at
    out: list[Diagnostic] = []
    read: set[str] = set()
    flags_of: dict[str, list[str]] = {}   # conditions repeat: walk each text once
    for condition, what in survey.conditions:
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


def check_conditions(scenario: Scenario, survey: Survey | None = None) -> list[Diagnostic]:
    """A condition that can never hold (`anger >= 150`) or always holds (`trust >= 0`), whatever happens."""
    out: list[Diagnostic] = []
    judged: dict[str, tuple[bool, bool]] = {}   # conditions repeat: judge each text once
    for condition, what in (survey or Survey(scenario)).conditions:
        verdict = judged.get(condition.source)
        if verdict is None:
            verdict = judged[condition.source] = holds(condition.expr)
        can_hold, can_fail = verdict
        if not can_hold:
            out.append(diag("KS113", condition.pos, "never_holds", what=what(), source=condition.source))
        elif not can_fail:
            out.append(diag("KS114", condition.pos, "always_holds", what=what(), source=condition.source))
    return out


def is_right_answer(node: Node, choice: Choice) -> bool:
    """A choice the method would take at this node: a step, a handover or another channel, and when the line is
    abusive also a rung of the boundary ladder (a limit answering a line that is not abusive is a mistake)."""
    if choice.act in _ALWAYS_RIGHT:
        return True
    return node.abusive and choice.act in LIMIT_ACTS


def check_longest_is_right(scenario: Scenario, survey: Survey | None = None) -> list[Diagnostic]:
    """KS107: the right answer gives itself away by its length at more than half of the nodes that offer both
    right and wrong answers."""
    survey = survey or Survey(scenario)
    mixed, longest = survey.mixed, survey.longest
    if 2 * len(longest) <= len(mixed):   # also when the scenario is too small to judge: both empty
        return []
    names = ", ".join(n.id for n in longest[:6]) + (", …" if len(longest) > 6 else "")
    return [diag("KS107", longest[0].pos, "longest_is_right", longest=len(longest), mixed=len(mixed), names=names)]


def check_only_one_plausible(scenario: Scenario, survey: Survey | None = None) -> list[Diagnostic]:
    """KS108: at a node every option but one is a mistake act, so the answer can be found by elimination."""
    return [diag("KS108", node.pos, "only_one_plausible", node=node.id, act=plausible.act,
                 wrong=", ".join(c.act for c in node.choices if c.act in _MISTAKES))
            for node, plausible in (survey or Survey(scenario)).one_plausible]


def structural_checks(scenario: Scenario, survey: Survey | None = None) -> list[Diagnostic]:
    """Every structural check; `survey`, when given, must be of this very scenario (the loader's, gathered as it
    built the nodes)."""
    survey = survey or Survey(scenario)
    return (check_dead_ends(scenario, survey) + check_unreachable(scenario, survey) + check_flags(scenario, survey)
            + check_conditions(scenario, survey) + check_longest_is_right(scenario, survey)
            + check_only_one_plausible(scenario, survey))
