"""Searching a scenario's state space: reachable nodes and endings, the best and the worst path, whether a
score of 100 is reachable, and a proof that every conversation ends.

A state is (node, mood, turns, flags, step phase and statuses, boundary ladder and door, what a colleague or
an ended contact excuses, a fatal mistake, how often the conversation went back round): everything that decides
what can happen next and what it is worth. Parts no condition reads are left out of the search key (mood when
no condition reads it, flags no condition names, turns beyond the largest number compared with).

Every conversation ends: a walk through the scenario goes forward except where it takes one of the scenario's
back edges (`Scenario.back_edges`), and after `rubric.patience` of those the customer leaves. Without the back
edges the scenario's graph has no cycle, so no conversation lasts longer than (patience + 1) times its longest
forward walk; `Analysis.ends_within` is that bound.

The same order makes the search simple: a choice leads to a node further on in a topological order of the forward
links, at the same number of times round, or along a back edge to one more time round (or out: the customer leaves).
So the states are taken level by level, (times round, node in that order), and all ways into a level are known
before its states are taken: each state's least penalised way (the fewest choices among those) and its most
penalised way are final when it is taken. Penalties are never negative and the score falls as they grow, so the
best path ends in the end state with the highest score at its least penalty; the worst path in the one with the
lowest score at its most penalty (among the states kept: see dominance).

Dominance keeps the search small: at one level, a state equal to another in everything but the door, a fatal
mistake, the step phase and statuses, at no lower penalty, whose door is offered if the other's is, with no fatal
mistake unless the other made one, a phase as far and every step the same or in order, can never end better on any
path (`_Judge.dominates`), so the other is skipped. A level's states are taken cheapest first and, at one penalty,
best first, so no state is kept that another of its level dominates. (Times round are never compared: fewer is not
better, since a customer who runs out of patience leaves before penalties a patient one still pays.)
"""
from __future__ import annotations

import gc
import operator
from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.conversation import State, Turn, advance, closing, ending_of, offered, start_state, take
from simulator.scenario.conditions import And, Compare, Expr, Flag, Not, walk
from simulator.scenario.model import STEPS, Condition, Scenario
from simulator.scoring import judge
from simulator.scoring.scorecard import build_scorecard
from simulator.scoring.rubric import Rubric, load_rubric

MAX_STATES = 200_000  # about a second; beyond it the search stops and says so (KS106): `validate` of any file
#                        under the 5 MB cap answers within 3 s


@dataclass
class Path:
    choices: list[int]                 # 1-based offered numbers, as `play --choices`
    nodes: list[str]                   # the nodes where each choice was made
    acts: list[str]
    ending: str | None
    end_node: str
    raw: int                           # points earned minus penalties
    score: int
    steps: list[str]                   # assessed steps taken
    violations: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"choices": self.choices, "nodes": self.nodes, "acts": self.acts, "ending": self.ending,
                "end_node": self.end_node, "score": self.score, "raw": self.raw, "steps": self.steps,
                "violations": self.violations}


@dataclass
class Analysis:
    scenario: Scenario
    best_score: int
    best: Path | None
    worst: Path | None
    reachable_nodes: set[str]
    endings: dict[str, Path]           # per ending kind: the best way to reach it
    stuck_nodes: set[str] = field(default_factory=set)   # non-ending nodes where no choice can be offered
    states: int = 0
    complete: bool = True
    ends_within: int = 0               # no conversation lasts more turns than this (see the module's docstring)

    @property
    def reaches_100(self) -> bool:
        return self.best is not None and self.best.score == 100

    def to_json(self) -> dict[str, Any]:
        sc = self.scenario
        return {
            "scenario": sc.id, "language": sc.language, "path": sc.path, "states": self.states,
            "complete": self.complete, "best_score": self.best_score, "reaches_100": self.reaches_100,
            "every_path_ends": True, "ends_within": self.ends_within,
            "best": self.best.to_json() if self.best else None,
            "worst": self.worst.to_json() if self.worst else None,
            "endings": {k: v.to_json() for k, v in sorted(self.endings.items())},
            "unreachable_endings": sorted({n.ending for n in sc.nodes.values() if n.ending} - set(self.endings)),
            "reachable_nodes": len(self.reachable_nodes),
            "unreachable_nodes": sorted(set(sc.nodes) - self.reachable_nodes),
            "assessed": list(sc.assess),
            "best_covers": self.best.steps if self.best else [],
            "best_misses": [s for s in sc.assess if not self.best or s not in self.best.steps],
            "stuck_nodes": sorted(self.stuck_nodes),
        }


# -- the compiled search --------------------------------------------------------------------------------------
#
# A state is one integer, its parts in fixed places (low to high): node, times round, left, the judge part (its step
# part j2, a fatal mistake and the door, then its ladder part j1), flags (only those conditions name), turns (capped),
# trust and anger. Anger, trust and turns take no room when no condition reads them. The judge's parts are small
# integers interned on first sight; what a choice does to them comes from a table filled by running `advance` itself,
# once per (judge state, act, abusive line): no State, Verdict or tuple is made per edge, and the table cannot
# disagree with the engine. At an ending (or when the customer left) only what the conversation is worth is kept:
# mood, turns, flags, times round, ladder and phase collapse.

_J2_BITS = 13   # (phase, step statuses): at most 7 x 3**6 = 5,103 values
_LOW_BITS = _J2_BITS + 2   # and below them: door offered, fatal (the parts dominance compares, with j2)
_J1_BITS = 8    # (ladder, abuse streak, boundary started, excuse): at most 96 values
_J2_MASK = (1 << _J2_BITS) - 1
_LOW_MASK = (1 << _LOW_BITS) - 1
_J1_MASK = (1 << _J1_BITS) - 1
_DOOR = 1 << (_J2_BITS + 1)
_FATAL = 1 << _J2_BITS
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
        "!=": operator.ne}


_Test = Callable[[int, int, int, int], bool]   # a compiled condition: (anger, trust, turns, flag bits) -> holds
# The judge part's halves: (ladder, abuse_streak, boundary_started, excuse), (phase, step_status)
_Part1 = tuple[str, int, bool, int]
_Part2 = tuple[str, tuple[int, ...]]


def _compile_condition(expr: Expr, flag_bit: dict[str, int]) -> _Test:
    """A parsed condition as a closure over (anger, trust, turns, flag bits): evaluated like `evaluate`."""
    if isinstance(expr, Compare):
        op, value = _OPS[expr.op], expr.value
        if expr.var == "anger":
            return lambda a, t, u, f: op(a, value)
        if expr.var == "trust":
            return lambda a, t, u, f: op(t, value)
        return lambda a, t, u, f: op(u, value)
    if isinstance(expr, Flag):
        bit = flag_bit[expr.name]
        return lambda a, t, u, f: f & bit != 0
    if isinstance(expr, Not):
        inner = _compile_condition(expr.operand, flag_bit)
        return lambda a, t, u, f: not inner(a, t, u, f)
    left, right = _compile_condition(expr.left, flag_bit), _compile_condition(expr.right, flag_bit)
    if isinstance(expr, And):
        return lambda a, t, u, f: left(a, t, u, f) and right(a, t, u, f)
    return lambda a, t, u, f: left(a, t, u, f) or right(a, t, u, f)


def _intern(ids: dict[Any, int], parts: list[Any], part: Any, mask: int, what: str) -> int:
    """The small number of `part`, given on first sight; the key has `mask` room for them."""
    found = ids.get(part)
    if found is None:
        found = ids[part] = len(parts)
        parts.append(part)
        if found > mask:
            raise AssertionError(f"more {what} states than the key has room for")
    return found


class _Judge:
    """The judge part of a state as one small integer (j1, door, fatal, j2: see above) and its transitions as a
    table."""

    def __init__(self, scenario: Scenario, rubric: Rubric):
        self.scenario, self.rubric = scenario, rubric
        self.ids1: dict[_Part1, int] = {}
        self.parts1: list[_Part1] = []
        self.ids2: dict[_Part2, int] = {}
        self.parts2: list[_Part2] = []
        self.rep: list[tuple[str, int]] = []          # per code: a (node, choice index) with that act and line
        self.codes: dict[tuple[str, bool], int] = {}
        self.phase_rank = {"start": 0, **{step: i + 1 for i, step in enumerate(scenario.assess)}}
        self.dominance: dict[int, bool] = {}
        self.qualities: dict[int, int] = {}
        self.values: dict[int, tuple[int, int, int, bool]] = {}   # jid -> (closing penalty, earned, possible, fatal)
        self.term1: dict[int, int] = {}
        self.term2: dict[int, int] = {}

    def code(self, node_id: str, index: int, act: str, abusive: bool) -> int:
        key = (act, abusive)
        if key not in self.codes:
            self.codes[key] = len(self.rep)
            self.rep.append((node_id, index))
        return self.codes[key]

    def id1(self, part: _Part1) -> int:
        return _intern(self.ids1, self.parts1, part, _J1_MASK, "ladder")

    def id2(self, part: _Part2) -> int:
        return _intern(self.ids2, self.parts2, part, _J2_MASK, "step")

    def of_state(self, s: State) -> int:
        return (self.id1((s.ladder, s.abuse_streak, s.boundary_started, s.excuse)) << _LOW_BITS
                | (_DOOR if s.door_offered else 0) | (_FATAL if s.fatal else 0) | self.id2((s.phase, s.step_status)))

    def state(self, jid: int, node_id: str) -> State:
        ladder, streak, started, excuse = self.parts1[jid >> _LOW_BITS]
        phase, status = self.parts2[jid & _J2_MASK]
        return State(node_id, 0, 0, 0, frozenset(), phase, ladder, status, streak, started, jid & _DOOR != 0,
                     excuse, jid & _FATAL != 0)

    def step(self, jid: int, code: int) -> tuple[int, int]:
        """(jid', penalty) of the choice kind `code` from judge state jid: `advance` on a representative."""
        node_id, index = self.rep[code]
        nxt, violations, _event = advance(self.scenario, self.state(jid, node_id), index, self.rubric)
        return self.of_state(nxt), sum(self.rubric.penalties[v] for v in violations)

    def terminal(self, jid: int) -> int:
        """The judge part of an end state: only what it is worth (ladder and phase collapse)."""
        j1, j2 = jid >> _LOW_BITS, jid & _J2_MASK
        t1 = self.term1.get(j1)
        if t1 is None:
            _ladder, _streak, started, excuse = self.parts1[j1]
            t1 = self.term1[j1] = self.id1(("", 0, started, excuse))
        t2 = self.term2.get(j2)
        if t2 is None:
            t2 = self.term2[j2] = self.id2(("start", self.parts2[j2][1]))
        return t1 << _LOW_BITS | (jid & (_DOOR | _FATAL)) | t2

    def dominates(self, a: int, b: int) -> bool:
        """Whether the low part a (door, fatal, j2) is at least as good as b, the rest of the state being equal:
        the door offered if b's was, no fatal mistake unless b made one, a phase as far, and every step the same or
        in order in a. (A step taken too early is not better than one not taken: if the contact is later ended
        correctly, an untaken step leaves the measure while one taken too early counts at half its weight. A step
        in order never lowers the score. The door and a fatal mistake are never undone and are read only at the
        end, where an offered door avoids `door_closed` and a fatal mistake caps the score.)"""
        if b & _DOOR > a & _DOOR or a & _FATAL > b & _FATAL:
            return False
        (pa, sa), (pb, sb) = self.parts2[a & _J2_MASK], self.parts2[b & _J2_MASK]
        rank = self.phase_rank
        return rank[pa] >= rank[pb] and all(x == y or x == 2 for x, y in zip(sa, sb))

    def quality(self, low: int) -> int:
        """A number that is higher for a low part that dominates another (see `dominates`): the phase's rank, the
        steps in order, the door, no fatal mistake. Sorting by it puts a state before those it dominates."""
        found = self.qualities.get(low)
        if found is None:
            phase, status = self.parts2[low & _J2_MASK]
            found = self.qualities[low] = (self.phase_rank[phase] + status.count(2) + (low & _DOOR != 0)
                                           - (low & _FATAL != 0))
        return found

    def value(self, jid: int, pen: int) -> tuple[int, int]:
        """(score, raw points) of a conversation ending with judge part jid after paying pen along the way."""
        known = self.values.get(jid)
        if known is None:
            rubric, assessed = self.rubric, self.scenario.assessed_set
            _ladder, _streak, started, excuse = self.parts1[jid >> _LOW_BITS]
            status = self.parts2[jid & _J2_MASK][1]
            shut = judge.closing_violations(started, jid & _DOOR != 0)
            earned = judge.earned_points(rubric, status, assessed)
            possible = judge.possible_points(rubric, assessed, judge.excused_steps(status, assessed, excuse))
            known = self.values[jid] = (judge.penalty(rubric, shut), earned, possible,
                                        jid & _FATAL != 0 or judge.is_fatal(rubric, shut))
        shut_pen, earned, possible, fatal = known
        pen += shut_pen
        return judge.score(self.rubric, earned, pen, possible, fatal), earned - pen


class _Compiled:
    """The scenario as flat tables for the search: node numbers, choices with their judge code, effect, flag bits,
    routes as (condition closure, target number, back edge), and the layout of the state integer."""

    def __init__(self, scenario: Scenario, rubric: Rubric, judge_part: _Judge):
        # One pass over the file (a large file's objects lie far apart in memory: each visit costs): each distinct
        # condition is compiled once, on first sight, its flags given bits as they come; the flags a choice sets
        # get their bits after the pass, when every flag a condition names is known. A condition is known by its
        # parsed expression, which the loader makes once per text and shares (its text is not read: one object less
        # to fetch per condition); an expression made otherwise is compiled once per object, with the same result.
        reads: set[str] = set()
        flags: dict[str, int] = {}
        turn_limits = [0]
        closures: dict[int, _Test] = {}   # id of a parsed expression (alive with the scenario) -> closure

        def compiled(condition: Condition) -> _Test:
            expr = condition.expr
            found = closures.get(id(expr))
            if found is None:
                for e in walk(expr):
                    if isinstance(e, Compare):
                        reads.add(e.var)
                        if e.var == "turns":
                            turn_limits.append(e.value)
                    elif isinstance(e, Flag):
                        flags.setdefault(e.name, 1 << len(flags))
                found = closures[id(expr)] = _compile_condition(expr, flags)
            return found

        all_nodes = scenario.nodes
        self.ids = list(all_nodes)
        number = {nid: i for i, nid in enumerate(self.ids)}
        self.number = number
        back_from: dict[str, set[str]] = {}   # per node: the targets of its back edges
        for source, goto in scenario.back_edges:
            back_from.setdefault(source, set()).add(goto)
        no_back: set[str] = set()
        self.nodes = []   # per node: (conditional?, [(when, index, code, d_anger, d_trust, set_bits, routes)])
        self.is_end = []
        self.ending: list[str | None] = []   # per node: its ending kind (read again for every end state found)
        setting: list[tuple[list[Any], int, tuple[str, ...]]] = []   # (options, place, flags set) of choices that set
        code_of: dict[bool, dict[str, int]] = {False: {}, True: {}}   # (abusive line, act) -> code
        # forward links (without the back edges), for the order of the search and the bound on a conversation's length
        self.forward: list[list[int]] = []   # a list per node (a target may repeat): smaller than a set
        for nid, node in all_nodes.items():
            self.ending.append(node.ending)
            self.is_end.append(node.ending is not None)
            back = back_from.get(nid, no_back)
            ahead: list[int] = []
            self.forward.append(ahead)
            options: list[Any] = []
            conditional = False
            abusive = node.abusive
            codes = code_of[abusive]
            for index, choice in enumerate(node.choices):
                when = None
                if choice.when is not None:
                    when, conditional = compiled(choice.when), True
                if choice.sets:
                    setting.append((options, index, choice.sets))
                routes = []
                for r in choice.routes:
                    target = number[r.goto]
                    if r.goto in back:
                        routes.append((None if r.when is None else compiled(r.when), target, True))
                    else:
                        routes.append((None if r.when is None else compiled(r.when), target, False))
                        ahead.append(target)
                act = choice.act
                code = codes.get(act)
                if code is None:
                    code = codes[act] = judge_part.code(nid, index, act, abusive)
                options.append((when, index, code, choice.anger, choice.trust, 0, routes))
            self.nodes.append((conditional, options))
        for options, index, names in setting:
            when, index, code, d_anger, d_trust, _bits, routes = options[index]
            bits = 0
            for name in names:
                bits |= flags.get(name, 0)
            options[index] = (when, index, code, d_anger, d_trust, bits, routes)
        self.anger, self.trust = "anger" in reads, "trust" in reads
        self.turns_cap = max(turn_limits) + 1 if "turns" in reads else 0
        # The state integer's layout, low to high: node, times round, left, judge part (j2, fatal, door, j1), flags,
        # then turns, trust and anger. The node comes lowest because a dict indexes an integer by its low bits: with
        # the few judge values there, a table of 185,000 states used only 121 first slots. Dominance compares states
        # equal outside times round and the low part (j2, fatal, door): `group_mask` keeps the rest.
        self.tm, self.um, self.fb = (101 if self.trust else 1), self.turns_cap + 1, len(flags)
        self.nb = max(1, (len(self.ids) - 1).bit_length())
        self.cb = max(1, rubric.patience.bit_length())
        self.circle_shift = self.nb
        self.left_shift = self.nb + self.cb
        self.jid_shift = self.left_shift + 1
        self.ctx_shift = self.jid_shift + _J1_BITS + _LOW_BITS
        self.group_mask = ~((((1 << self.cb) - 1) << self.circle_shift) | (_LOW_MASK << self.jid_shift))

    def key(self, ni: int, a: int, t: int, u: int, f: int, jid: int, left: int, circles: int) -> int:
        ctx = (((a * self.tm + t) * self.um + u) << self.fb) | f
        return ((ctx << self.ctx_shift) | (jid << self.jid_shift) | (left << self.left_shift)
                | (circles << self.circle_shift) | ni)


def longest_forward_walk(scenario: Scenario, forward: Sequence[Collection[int]] | None = None) -> int:
    """The most choices a conversation can make without taking a back edge (the graph without back edges has no
    cycle: a longest path in topological order, computed without recursion). `forward`: the compiled links."""
    if forward is None:
        back = scenario.back_edges
        ids = list(scenario.nodes)
        number = {nid: i for i, nid in enumerate(ids)}
        forward = [[number[t] for t in scenario._targets(nid) if (nid, t) not in back] for nid in ids]
    indegree = [0] * len(forward)
    for outs in forward:
        for t in outs:
            indegree[t] += 1
    longest = [0] * len(forward)
    queue = deque(n for n, d in enumerate(indegree) if d == 0)
    while queue:
        n = queue.popleft()
        for t in forward[n]:
            if longest[n] + 1 > longest[t]:
                longest[t] = longest[n] + 1
            indegree[t] -= 1
            if indegree[t] == 0:
                queue.append(t)
    return max(longest, default=0)


def analyse(scenario: Scenario, rubric: Rubric | None = None, max_states: int = MAX_STATES) -> Analysis:
    """The search of the module's docstring. It stops after `max_states` states and says so (`complete` False):
    then it reports the paths it found and claims nothing about the rest."""
    # The search allocates many small objects and frees none until it ends; Python's cyclic collector would
    # rescan the growing tables again and again (quadratic time on large files), and finds nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(scenario, rubric or load_rubric(), max_states)
    finally:
        if enabled:
            gc.enable()


def _topological(links: list[list[int]], start: int) -> list[int]:
    """The nodes reachable from `start` over forward links, each before every node it links to: the reverse of the
    order in which a depth-first walk (without recursion) finishes them. The forward links have no cycle; they are
    sorted in place (the compiled tables are the search's own)."""
    for outs in links:
        outs.sort()
    seen = [False] * len(links)
    seen[start] = True
    finished: list[int] = []
    stack = [(start, iter(links[start]))]
    while stack:
        n, targets = stack[-1]
        for t in targets:
            if not seen[t]:
                seen[t] = True
                stack.append((t, iter(links[t])))
                break
        else:
            finished.append(n)
            stack.pop()
    finished.reverse()
    return finished


# A state's record: (way, parent, choice, worst penalty, worst parent, worst choice), a choice by its index in the
# file (its offered number is found again when the path is replayed). The way is the penalty << 24 | the number of
# choices, so one comparison finds the least penalised way to the state, with the fewest choices among those; the
# last three describe the most penalised way among the states kept. A tuple, replaced when a better way is found:
# one object per state instead of a list and its item array (all states are kept until the paths are replayed,
# so their size is what makes a large search slower per state).
_Record = tuple[Any, ...]
_CHOICES = 24       # bits for the number of choices: far above `ends_within` of any file under the 5 MB cap
_ONE_CHOICE = 1


def _analyse(scenario: Scenario, rubric: Rubric, max_states: int) -> Analysis:
    jp = _Judge(scenario, rubric)
    sc = _Compiled(scenario, rubric, jp)
    ncodes = len(jp.rep) or 1
    step, terminal = jp.step, jp.terminal
    start = start_state(scenario)
    track_anger, track_trust, cap = sc.anger, sc.trust, sc.turns_cap
    is_end, nodes = sc.is_end, sc.nodes
    tm, um, fb = sc.tm, sc.um, sc.fb
    fmask = (1 << fb) - 1
    ctx_shift, jid_shift, left_shift, circle_shift = sc.ctx_shift, sc.jid_shift, sc.left_shift, sc.circle_shift
    left_bit = 1 << left_shift
    jid_mask = (1 << (_J1_BITS + _LOW_BITS)) - 1
    node_mask = (1 << sc.nb) - 1
    circle_mask = (1 << sc.cb) - 1
    group_mask = sc.group_mask
    patience = rubric.patience
    dominance, dominates, quality = jp.dominance, jp.dominates, jp.quality
    terminal_of: dict[int, int] = {}
    rows: dict[int, list[tuple[int, int] | None]] = {}   # jid -> per choice kind: (jid', penalty), filled on demand

    # The states by level: per times round, per node number, state -> record. End states (an ending reached, or
    # the customer left) in `ends`. A level's states are taken once all ways into them are known (see the docstring).
    levels: list[dict[int, dict[int, _Record]]] = [{} for _ in range(patience + 1)]
    ends: dict[int, _Record] = {}
    ni0 = sc.number[start.node]
    j0 = jp.of_state(start)
    if is_end[ni0]:
        k0 = sc.key(ni0, 0, 0, 0, 0, terminal(j0), 0, 0)
        ends[k0] = (0, None, 0, 0, None, 0)
    else:
        k0 = sc.key(ni0, start.anger if track_anger else 0, start.trust if track_trust else 0, 0, 0, j0, 0, 0)
        levels[0][ni0] = {k0: (0, None, 0, 0, None, 0)}
    count = 1
    stuck_states: list[int] = []
    complete = True
    order = _topological(sc.forward, ni0)
    for circles in range(patience + 1):
        last = circles == patience        # the next time round, the customer leaves instead
        here_level, next_level = levels[circles], levels[circles + (not last)]
        circle_bits, next_bits = circles << circle_shift, (circles + 1) << circle_shift
        for ni in order:
            batch = here_level.get(ni)
            if not batch:
                continue
            # Dominance, cheapest first: a state whose rest is equal to a kept one's, at no lower penalty, with a low
            # part no better (door, fatal, phase and steps: `_Judge.dominates`), can never end better: skip it. The
            # states kept go by context (mood, turns, flags), which alone decides what is offered and where it leads.
            by_ctx: dict[int, list[int]] = {}
            if len(batch) > 1:
                kept: dict[int, list[int]] = {}
                # the order as one integer, (penalty, -quality) without a tuple per state: quality lies in -1..13
                for k, _record in sorted(batch.items(), key=lambda item: (item[1][0] >> _CHOICES) << 5 | 16 - quality(
                        (item[0] >> jid_shift) & _LOW_MASK)):
                    low = (k >> jid_shift) & _LOW_MASK
                    group = kept.get(k & group_mask)
                    if group is None:
                        kept[k & group_mask] = [low]
                    else:
                        for other in group:
                            pair = other << _LOW_BITS | low
                            d = dominance.get(pair)
                            if d is None:
                                d = dominance[pair] = dominates(other, low)
                            if d:
                                break
                        else:
                            group.append(low)
                            by_ctx.setdefault(k >> ctx_shift, []).append(k)
                        continue
                    by_ctx.setdefault(k >> ctx_shift, []).append(k)
            else:
                for k in batch:
                    by_ctx[k >> ctx_shift] = [k]
            for ctx, keys in by_ctx.items():
                f = ctx & fmask
                rest = ctx >> fb
                if um > 1:
                    rest, u = divmod(rest, um)
                else:
                    u = 0
                if track_trust:
                    a, t = divmod(rest, tm)
                else:
                    a, t = rest, 0
                nu = u + 1
                ku = nu if nu < cap else cap
                states = []
                for k in keys:
                    record = batch[k]
                    jid = (k >> jid_shift) & jid_mask
                    row = rows.get(jid)
                    if row is None:
                        row = rows[jid] = [None] * ncodes
                    states.append((k, row, jid, record[0] + _ONE_CHOICE, record[3]))
                conditional, options = nodes[ni]
                number = 0
                for when, index, code, d_anger, d_trust, bits, routes in options:
                    if conditional and when is not None and not when(a, t, u, f):
                        continue
                    number += 1
                    if track_anger:
                        na = a + d_anger
                        na = 0 if na < 0 else 100 if na > 100 else na
                    else:
                        na = 0
                    if track_trust:
                        nt = t + d_trust
                        nt = 0 if nt < 0 else 100 if nt > 100 else nt
                    else:
                        nt = 0
                    nf = f | bits
                    for when_route, target, back in routes:  # noqa: B007 - the route taken is used below
                        if when_route is None or when_route(na, nt, nu, nf):
                            break
                    leaves = back and last
                    if leaves or is_end[target]:
                        dest, high = ends, (left_bit | ni) if leaves else target
                    elif back:
                        dest = next_level.setdefault(target, {})
                        high = (((na * tm + nt) * um + ku) << fb | nf) << ctx_shift | next_bits | target
                    else:
                        dest = here_level.setdefault(target, {})
                        high = (((na * tm + nt) * um + ku) << fb | nf) << ctx_shift | circle_bits | target
                    for k, row, jid, way, most in states:
                        found = row[code]
                        if found is None:
                            found = row[code] = step(jid, code)
                        nj, p = found
                        if dest is ends:   # only what the conversation is worth is kept
                            tj = terminal_of.get(nj)
                            if tj is None:
                                tj = terminal_of[nj] = terminal(nj)
                            nk = tj << jid_shift | high
                        else:
                            nk = nj << jid_shift | high
                        # without a penalty the way is the parent's, the same object: no new integer per state
                        w = way + (p << _CHOICES) if p else way
                        known = dest.get(nk)
                        if known is None:
                            if count >= max_states:
                                complete = False
                                continue
                            count += 1
                            dest[nk] = (w, k, index, most + p, k, index)
                        elif w < known[0]:
                            if most + p > known[3]:
                                dest[nk] = (w, k, index, most + p, k, index)
                            else:
                                dest[nk] = (w, k, index, known[3], known[4], known[5])
                        elif most + p > known[3]:
                            dest[nk] = (known[0], known[1], known[2], most + p, k, index)
                if number == 0:     # no choice holds here: the conversation is stuck
                    stuck_states += keys
            if not complete:   # the search stops at its limit: what it found so far is reported, and that it stopped
                break
        if not complete:
            break

    def record_of(k: int) -> _Record:
        found = ends.get(k)
        return found if found is not None else levels[(k >> circle_shift) & circle_mask][k & node_mask][k]

    ids = sc.ids
    reach = {k & node_mask for k in ends}
    for level in levels:
        reach.update(ni for ni, states_there in level.items() if states_there)
    reachable = {ids[ni] for ni in reach}
    stuck = {ids[k & node_mask] for k in stuck_states}
    terminals = [*ends, *stuck_states]

    best_k: int | None = None
    best: tuple[int, int, int] | None = None   # (score, raw points, -choices): higher is better
    worst_k: int | None = None
    lowest: tuple[int, int] | None = None      # (score, raw points) at the most penalised way: lower is worse
    endings_best: dict[str, tuple[int, tuple[int, int, int]]] = {}
    for k in terminals:
        record = record_of(k)
        jid = (k >> jid_shift) & jid_mask
        score, raw = jp.value(jid, record[0] >> _CHOICES)
        rank = (score, raw, -(record[0] & ((1 << _CHOICES) - 1)))
        if best is None or rank > best:
            best_k, best = k, rank
        w = jp.value(jid, record[3])
        if lowest is None or w < lowest:
            worst_k, lowest = k, w
        kind = "lost" if k & left_bit else sc.ending[k & node_mask]
        if kind and (kind not in endings_best or rank > endings_best[kind][1]):
            endings_best[kind] = (k, rank)
    best_score = best[0] if best is not None else 0

    replayed: dict[tuple[int, int], Path] = {}
    # (tree, state) on a path already replayed -> (State, its path's turns, how many); tree 1: least penalised
    # ways, tree 4: most penalised ways (the place of the parent in a record)
    at: dict[tuple[int, int], tuple[State, list[Turn], int]] = {}

    def path_to(k: int, tree: int) -> Path:
        if (tree, k) in replayed:   # the best path is often also the best way to its ending
            return replayed[tree, k]
        end, moves = k, []
        while (tree, k) not in at:
            record = record_of(k)
            parent = record[tree]
            if parent is None:
                break
            moves.append((k, record[tree + 1]))
            k = parent
        # Replay the moves to get the full turn records (cheaper than keeping them for every state), from where an
        # earlier path of the same tree passed.
        if (tree, k) in at:
            state, their_turns, length = at[tree, k]
            turns = their_turns[:length]
        else:
            state, turns = start, []
        for here, index in reversed(moves):
            number = 1 + [i for i, _choice in offered(scenario, state)].index(index)
            state, turn = take(scenario, state, index, number, rubric)
            turns.append(turn)
            at[tree, here] = (state, turns, len(turns))
        replayed[tree, end] = found = _path(scenario, rubric, turns, state)
        return found

    bound = (rubric.patience + 1) * (longest_forward_walk(scenario, sc.forward) + 1)
    analysis = Analysis(scenario, best_score, None, None, reachable, {}, stuck, count, complete, bound)
    if best_k is not None and worst_k is not None:
        analysis.best = path_to(best_k, 1)
        for kind, (k, _rank) in endings_best.items():
            analysis.endings[kind] = path_to(k, 1)
        analysis.worst = path_to(worst_k, 4)
    return analysis


def _path(scenario: Scenario, rubric: Rubric, turns: Sequence[Turn], end: State) -> Path:
    """A path as `analyse` reports it, scored by the same scorecard the game shows."""
    card = build_scorecard(scenario, rubric, turns, end, closing(end), True, ending_of(scenario, end))
    steps = [s for s, status in zip(STEPS, end.step_status) if status and s in scenario.assessed_set]
    return Path(choices=[t.offered for t in turns], nodes=[t.node for t in turns], acts=[t.act for t in turns],
                ending=card["ending"], end_node=end.node, raw=card["points"], score=card["score"],
                steps=steps, violations=[v["rule"] for v in card["violations"]])


_ANALYSES: dict[tuple[str, str, str, str, str, int], Analysis] = {}
_KEEP = 32  # analyses kept (a trainer pressing F5 makes a new one per file version)


def analysis_of(scenario: Scenario, rubric: Rubric | None = None) -> Analysis:
    """The analysis of a scenario, computed once per file version and start (front ends ask for the best path
    of the same scenario again and again: the debrief, the class screens, the terminal)."""
    rubric = rubric or load_rubric()
    key = (scenario.path, scenario.version, scenario.id, scenario.language, scenario.start, id(rubric))
    if key not in _ANALYSES:
        if len(_ANALYSES) >= _KEEP:
            del _ANALYSES[next(iter(_ANALYSES))]
        _ANALYSES[key] = analyse(scenario, rubric)
    return _ANALYSES[key]
