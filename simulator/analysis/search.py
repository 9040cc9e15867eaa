"""Searching a scenario's state space: reachable nodes and endings, the best and the worst path, whether a
score of 100 is reachable, and a proof that every conversation ends.

A state is (node, mood, turns, flags, step phase and statuses, boundary ladder and door, what a colleague or
an ended contact excuses, a fatal mistake, how often the conversation went back round): everything that decides
what can happen next and what it is worth. Parts no condition reads are left out of the search key (mood when
no condition reads it, flags no condition names, turns beyond the largest number compared with).

What a conversation is worth depends only on the state it ends in (steps taken, what stayed possible, a fatal
mistake) and on the penalties paid along the way, which are never negative; the score falls as the penalty
grows. So the best path is a shortest-path problem: Dijkstra finds the cheapest (least penalised) way to every
state, and the best path ends in the terminal state with the highest score at that penalty.

Every conversation ends: a walk through the scenario goes forward except where it takes one of the scenario's
back edges (`Scenario.back_edges`), and after `rubric.patience` of those the customer leaves. Without the back
edges the scenario's graph has no cycle, so no conversation lasts longer than (patience + 1) times its longest
forward walk; `Analysis.ends_within` is that bound.

Dominance keeps the search small when a scenario loops back: a state met later (so at no lower penalty) in the
same situation, whose step phase is no further and whose steps are no better than those of a state already
settled, can never end better. The step machine keeps that order (a further phase never makes a step less in
order), so skipping it loses nothing.
"""
from __future__ import annotations

import gc
import operator
from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.conversation import State, Turn, advance, closing, ending_of, start_state, take
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
# part j2 below its ladder part j1), flags (only those conditions name), turns (capped), trust and anger. Anger, trust
# and turns take no room when no condition reads them. The judge's parts are small integers interned
# on first sight; what a choice does to them comes from a table filled by running `advance` itself, once per
# (judge state, act, abusive line): no State, Verdict or tuple is made per edge, and the table cannot disagree
# with the engine. At an ending (or when the customer left) only what the conversation is worth is kept: mood,
# turns, flags, times round, ladder and phase collapse, as before.

_J2_BITS = 13   # (phase, step statuses): at most 7 x 3**6 = 5,103 values
_J1_BITS = 10   # (ladder, abuse streak, boundary started, door offered, excuse, fatal): at most 2 x 192 values
_J2_MASK = (1 << _J2_BITS) - 1
_J1_MASK = (1 << _J1_BITS) - 1
_NO_EDGES: tuple[int, ...] = ()
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
        "!=": operator.ne}


_Test = Callable[[int, int, int, int], bool]   # a compiled condition: (anger, trust, turns, flag bits) -> holds
# The judge part's halves: (ladder, abuse_streak, boundary_started, door_offered, excuse, fatal), (phase, step_status)
_Part1 = tuple[str, int, bool, bool, int, bool]
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
    """The judge part of a state as two small integers and its transitions as a table (see above)."""

    def __init__(self, scenario: Scenario, rubric: Rubric):
        self.scenario, self.rubric = scenario, rubric
        self.ids1: dict[_Part1, int] = {}
        self.parts1: list[_Part1] = []
        self.ids2: dict[_Part2, int] = {}
        self.parts2: list[_Part2] = []
        self.table: dict[int, tuple[int, int]] = {}   # jid * codes + code -> (jid', penalty)
        self.rep: list[tuple[str, int]] = []          # per code: a (node, choice index) with that act and line
        self.codes: dict[tuple[str, bool], int] = {}
        self.phase_rank = {"start": 0, **{step: i + 1 for i, step in enumerate(scenario.assess)}}
        self.dominance: dict[int, bool] = {}
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
        return (self.id1((s.ladder, s.abuse_streak, s.boundary_started, s.door_offered, s.excuse, s.fatal))
                << _J2_BITS) | self.id2((s.phase, s.step_status))

    def state(self, jid: int, node_id: str) -> State:
        ladder, streak, started, door, excuse, fatal = self.parts1[jid >> _J2_BITS]
        phase, status = self.parts2[jid & _J2_MASK]
        return State(node_id, 0, 0, 0, frozenset(), phase, ladder, status, streak, started, door, excuse, fatal)

    def step(self, jid: int, code: int, codes: int) -> tuple[int, int]:
        """(jid', penalty) of the choice kind `code` from judge state jid: `advance` on a representative."""
        node_id, index = self.rep[code]
        nxt, violations, _event = advance(self.scenario, self.state(jid, node_id), index, self.rubric)
        out = (self.of_state(nxt), sum(self.rubric.penalties[v] for v in violations))
        self.table[jid * codes + code] = out
        return out

    def terminal(self, jid: int) -> int:
        """The judge part of an end state: only what it is worth (ladder and phase collapse)."""
        j1, j2 = jid >> _J2_BITS, jid & _J2_MASK
        t1 = self.term1.get(j1)
        if t1 is None:
            _ladder, _streak, started, door, excuse, fatal = self.parts1[j1]
            t1 = self.term1[j1] = self.id1(("", 0, started, door, excuse, fatal))
        t2 = self.term2.get(j2)
        if t2 is None:
            t2 = self.term2[j2] = self.id2(("start", self.parts2[j2][1]))
        return (t1 << _J2_BITS) | t2

    def dominates(self, a2: int, b2: int) -> bool:
        """Whether step part a is at least as good as b: a phase as far, and every step the same or in order in a.
        (A step taken too early is not better than one not taken: if the contact is later ended correctly, an
        untaken step leaves the measure while one taken too early counts at half its weight. A step in order
        never lowers the score.)"""
        (pa, sa), (pb, sb) = self.parts2[a2], self.parts2[b2]
        rank = self.phase_rank
        return rank[pa] >= rank[pb] and all(x == y or x == 2 for x, y in zip(sa, sb))

    def value(self, jid: int, pen: int) -> tuple[int, int]:
        """(score, raw points) of a conversation ending with judge part jid after paying pen along the way."""
        known = self.values.get(jid)
        if known is None:
            rubric, assessed = self.rubric, self.scenario.assessed_set
            _ladder, _streak, started, door, excuse, fatal = self.parts1[jid >> _J2_BITS]
            status = self.parts2[jid & _J2_MASK][1]
            shut = judge.closing_violations(started, door)
            earned = judge.earned_points(rubric, status, assessed)
            possible = judge.possible_points(rubric, assessed, judge.excused_steps(status, assessed, excuse))
            known = self.values[jid] = (judge.penalty(rubric, shut), earned, possible,
                                        fatal or judge.is_fatal(rubric, shut))
        shut_pen, earned, possible, fatal = known
        pen += shut_pen
        return judge.score(self.rubric, earned, pen, possible, fatal), earned - pen


class _Compiled:
    """The scenario as flat tables for the search: node numbers, choices with their judge code, effect, flag bits,
    routes as (condition closure, target number, back edge), and the layout of the state integer."""

    def __init__(self, scenario: Scenario, rubric: Rubric, judge_part: _Judge):
        reads: set[str] = set()
        flags: dict[str, int] = {}
        turn_limits = [0]
        sources: dict[str, Expr] = {}    # each distinct condition text once (the same is written at many nodes)
        for node in scenario.nodes.values():
            for choice in node.choices:
                if choice.when is not None:
                    sources.setdefault(choice.when.source, choice.when.expr)
                for route in choice.routes:
                    if route.when is not None:
                        sources.setdefault(route.when.source, route.when.expr)
        for expr in sources.values():
            for e in walk(expr):
                if isinstance(e, Compare):
                    reads.add(e.var)
                    if e.var == "turns":
                        turn_limits.append(e.value)
                elif isinstance(e, Flag):
                    flags.setdefault(e.name, 1 << len(flags))
        self.anger, self.trust = "anger" in reads, "trust" in reads
        self.turns_cap = max(turn_limits) + 1 if "turns" in reads else 0
        self.flag_bit = flags
        self.ids = list(scenario.nodes)
        number = {nid: i for i, nid in enumerate(self.ids)}
        self.number = number
        self.is_end = [scenario.nodes[nid].ending is not None for nid in self.ids]
        back = scenario.back_edges
        closures: dict[str, _Test] = {}

        def compiled(condition: Condition) -> _Test:
            found = closures.get(condition.source)
            if found is None:
                found = closures[condition.source] = _compile_condition(condition.expr, flags)
            return found

        self.nodes = []   # per node: (conditional?, [(when, index, code, d_anger, d_trust, set_bits, routes)])
        code_of: dict[tuple[str, bool], int] = {}
        all_nodes = scenario.nodes
        for nid in self.ids:
            node = all_nodes[nid]
            options = []
            conditional = False
            for index, choice in enumerate(node.choices):
                when = None
                if choice.when is not None:
                    when, conditional = compiled(choice.when), True
                bits = 0
                for name in choice.sets:
                    bits |= flags.get(name, 0)
                routes = []
                for r in choice.routes:
                    routes.append((None if r.when is None else compiled(r.when), number[r.goto], (nid, r.goto) in back))
                code = code_of.get((choice.act, node.abusive))
                if code is None:
                    code = code_of[choice.act, node.abusive] = judge_part.code(nid, index, choice.act, node.abusive)
                options.append((when, index, code, choice.anger, choice.trust, bits, routes))
            self.nodes.append((conditional, options))
        # The state integer's layout, low to high: node, times round, left, judge part (j2 below j1), flags, then
        # turns, trust and anger. The node comes lowest because a dict indexes an integer by its low bits: with the
        # few judge values there, a table of 185,000 states used only 121 first slots. Dominance compares states
        # equal outside times round and j2.
        self.tm, self.um, self.fb = (101 if self.trust else 1), self.turns_cap + 1, len(flags)
        self.nb = max(1, (len(self.ids) - 1).bit_length())
        self.cb = max(1, rubric.patience.bit_length())
        self.circle_shift = self.nb
        self.left_shift = self.nb + self.cb
        self.jid_shift = self.left_shift + 1
        self.ctx_shift = self.jid_shift + _J1_BITS + _J2_BITS
        self.group_mask = ~((((1 << self.cb) - 1) << self.circle_shift) | (_J2_MASK << self.jid_shift))
        # forward links (without the back edges), for the bound on the length of a conversation
        self.forward = [{r[1] for o in options for r in o[6] if not r[2]} for _c, options in self.nodes]

    def key(self, ni: int, a: int, t: int, u: int, f: int, jid: int, left: int, circles: int) -> int:
        ctx = (((a * self.tm + t) * self.um + u) << self.fb) | f
        return ((ctx << self.ctx_shift) | (jid << self.jid_shift) | (left << self.left_shift)
                | (circles << self.circle_shift) | ni)

    def parts(self, k: int) -> tuple[int, int, int, int, int, int, int, int]:
        """(node number, anger, trust, turns, flags, jid, left, circles) of a state integer."""
        ni = k & ((1 << self.nb) - 1)
        circles = (k >> self.circle_shift) & ((1 << self.cb) - 1)
        left = (k >> self.left_shift) & 1
        jid = (k >> self.jid_shift) & ((1 << (_J1_BITS + _J2_BITS)) - 1)
        rest = k >> self.ctx_shift
        f = rest & ((1 << self.fb) - 1)
        rest >>= self.fb
        rest, u = divmod(rest, self.um)
        a, t = divmod(rest, self.tm)
        return ni, a, t, u, f, jid, left, circles


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
    # The search allocates many small objects and frees none until it ends; Python's cyclic collector would
    # rescan the growing tables again and again (quadratic time on large files), and finds nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(scenario, rubric or load_rubric(), max_states)
    finally:
        if enabled:
            gc.enable()


def _analyse(scenario: Scenario, rubric: Rubric, max_states: int) -> Analysis:
    jp = _Judge(scenario, rubric)
    sc = _Compiled(scenario, rubric, jp)
    ncodes = len(jp.rep) or 1
    table, step, terminal = jp.table, jp.step, jp.terminal
    start = start_state(scenario)
    track_anger, track_trust, cap = sc.anger, sc.trust, sc.turns_cap
    is_end, nodes, parts = sc.is_end, sc.nodes, sc.parts
    tm, um, fb = sc.tm, sc.um, sc.fb
    fmask = (1 << fb) - 1
    ctx_shift, jid_shift, left_shift, circle_shift = sc.ctx_shift, sc.jid_shift, sc.left_shift, sc.circle_shift
    left_bit = 1 << left_shift
    jid_mask = (1 << (_J1_BITS + _J2_BITS)) - 1
    node_mask = (1 << sc.nb) - 1
    circle_mask = (1 << sc.cb) - 1
    group_mask = sc.group_mask
    patience = rubric.patience
    dominance, dominates = jp.dominance, jp.dominates
    terminal_of: dict[int, int] = {}

    ni0 = sc.number[start.node]
    j0 = jp.of_state(start)
    a0 = start.anger if track_anger else 0
    t0 = start.trust if track_trust else 0
    k0 = sc.key(ni0, 0, 0, 0, 0, terminal(j0), 0, 0) if is_end[ni0] else sc.key(ni0, a0, t0, 0, 0, j0, 0, 0)
    # Dijkstra on penalty with a bucket queue (penalties are small whole numbers): within a penalty, states are
    # taken in the order they were reached, as the heap of (penalty, counter) did. Per state: its cheapest
    # penalty, the number of choices to get there, and the parent (state, offered number, file index).
    info: dict[int, list[Any]] = {k0: [0, 0, None, 0, 0]}   # [cost, depth, parent or None, number, index]
    reach = {ni0}
    buckets: list[Any] = [[k0]]   # per cost: the states reached at it (a list; () once expanded)
    succ: dict[int, Sequence[int]] = {}     # expanded state -> flat [next state, penalty, file index, ...]
    settled: dict[int, list[int]] = {}
    terminals: list[int] = []
    complete = True
    cost = 0
    while cost < len(buckets):
        bucket = buckets[cost]
        i = 0
        while i < len(bucket):
            k = bucket[i]
            i += 1
            entry = info[k]
            if entry[0] != cost:
                continue
            jid = (k >> jid_shift) & jid_mask
            circles = (k >> circle_shift) & circle_mask
            low = circles << _J2_BITS | (jid & _J2_MASK)
            group = settled.get(k & group_mask)
            if group is None:
                settled[k & group_mask] = [low]
            else:
                pruned = False
                for other in group:
                    # Dominance: as many times round, a phase as far, steps as good. (Fewer times round is not
                    # better: a customer who runs out of patience leaves before penalties a patient one still pays.)
                    if other >> _J2_BITS == circles:
                        pair = (other & _J2_MASK) << _J2_BITS | (jid & _J2_MASK)
                        d = dominance.get(pair)
                        if d is None:
                            d = dominance[pair] = dominates(other & _J2_MASK, jid & _J2_MASK)
                        if d:
                            pruned = True
                            break
                if pruned:
                    continue
                group.append(low)
            ni = k & node_mask
            rest = k >> ctx_shift
            f = rest & fmask
            rest >>= fb
            if um > 1:
                rest, u = divmod(rest, um)
            else:
                u = 0
            if track_trust:
                a, t = divmod(rest, tm)
            else:
                a, t = rest, 0
            if k & left_bit or is_end[ni]:
                terminals.append(k)
                succ[k] = _NO_EDGES
                continue
            conditional, options = nodes[ni]
            edges: list[int] = []
            depth = entry[1] + 1
            number = 0
            base = jid * ncodes
            nu = u + 1
            ku = nu if nu < cap else cap
            for when, index, code, d_anger, d_trust, bits, routes in options:
                if conditional and when is not None and not when(a, t, u, f):
                    continue
                number += 1
                found = table.get(base + code)
                nj, p = found if found is not None else step(jid, code, ncodes)
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
                nc = circles + 1 if back else circles
                leaves = nc > patience   # the customer does not go round again: they leave from here
                if leaves or is_end[target]:
                    tj = terminal_of.get(nj)
                    if tj is None:
                        tj = terminal_of[nj] = terminal(nj)
                    if leaves:
                        target = ni
                        nk = tj << jid_shift | left_bit | ni
                    else:
                        nk = tj << jid_shift | target
                else:
                    nk = ((((na * tm + nt) * um + ku) << fb | nf) << ctx_shift | nj << jid_shift
                          | nc << circle_shift | target)
                edges += (nk, p, index)
                new_cost = cost + p
                known = info.get(nk)
                if known is None:
                    if len(info) >= max_states:
                        complete = False
                        continue
                    info[nk] = [new_cost, depth, k, number, index]
                    reach.add(target)
                elif new_cost < known[0]:
                    known[0], known[1], known[2], known[3], known[4] = new_cost, depth, k, number, index
                else:
                    continue
                while len(buckets) <= new_cost:
                    buckets.append([])
                buckets[new_cost].append(nk)
            if number == 0:     # no choice holds here: the conversation is stuck
                terminals.append(k)
                succ[k] = _NO_EDGES
            else:
                succ[k] = edges
        buckets[cost] = _NO_EDGES
        cost += 1

    ids = sc.ids
    reachable = {ids[ni] for ni in reach}
    term_parts = {k: parts(k) for k in terminals}
    stuck = {ids[p[0]] for p in term_parts.values() if not p[6] and not is_end[p[0]]}

    def ending(k: int) -> str | None:
        p = term_parts[k]
        return "lost" if p[6] else scenario.nodes[ids[p[0]]].ending

    best_k: int | None = None
    best: tuple[int, int, int] | None = None   # (score, raw points, -choices): higher is better
    endings_best: dict[str, tuple[int, tuple[int, int, int]]] = {}
    for k in terminals:
        entry = info[k]
        t = jp.value(term_parts[k][5], entry[0])
        rank = (t[0], t[1], -entry[1])
        if best is None or rank > best:
            best_k, best = k, rank
        kind = ending(k)
        if kind and (kind not in endings_best or rank > endings_best[kind][1]):
            endings_best[kind] = (k, rank)
    best_score = best[0] if best is not None else 0

    replayed: dict[tuple[str, int], Path] = {}
    # (tree, state) on a path already replayed -> (State, its path's turns, how many)
    at: dict[tuple[str, int], tuple[State, list[Turn], int]] = {}

    def path_to(k: int, parent_of: Callable[[int], tuple[int, int, int] | None], tree: str) -> Path:
        if (tree, k) in replayed:   # the best path is often also the best way to its ending
            return replayed[tree, k]
        end, moves = k, []
        while (tree, k) not in at and (parent := parent_of(k)) is not None:
            moves.append((k, parent[1], parent[2]))
            k = parent[0]
        # Replay the moves to get the full turn records (cheaper than keeping them for every state), from where an
        # earlier path of the same tree passed.
        if (tree, k) in at:
            state, their_turns, length = at[tree, k]
            turns = their_turns[:length]
        else:
            state, turns = start, []
        for here, number, index in reversed(moves):
            state, turn = take(scenario, state, index, number, rubric)
            turns.append(turn)
            at[tree, here] = (state, turns, len(turns))
        replayed[tree, end] = found = _path(scenario, rubric, turns, state)
        return found

    def dijkstra_parent(k: int) -> tuple[int, int, int] | None:
        entry = info[k]
        return None if entry[2] is None else (entry[2], entry[3], entry[4])

    bound = (rubric.patience + 1) * (longest_forward_walk(scenario, sc.forward) + 1)
    analysis = Analysis(scenario, best_score, None, None, reachable, {}, stuck, len(info), complete, bound)
    if best_k is not None:
        analysis.best = path_to(best_k, dijkstra_parent, "dijkstra")
        for kind, (k, _rank) in endings_best.items():
            analysis.endings[kind] = path_to(k, dijkstra_parent, "dijkstra")
        # The worst path: the lowest-scoring way to end, among the shortest routes to each end state (BFS). A
        # parent is kept as one integer: the parent state shifted left 8 bits, plus the choice's place among its edges.
        bfs_parent: dict[int, int | None] = {k0: None}
        bfs_pen = {k0: 0}
        queue = deque([k0])
        worst_k, worst_raw = None, None
        while queue:
            k = queue.popleft()
            out = succ.get(k)
            if out is None:
                continue
            if not out:
                t = jp.value(term_parts[k][5], bfs_pen[k])
                if worst_raw is None or t < worst_raw:
                    worst_k, worst_raw = k, t
                continue
            pen = bfs_pen[k]
            for j in range(0, len(out), 3):
                nk = out[j]
                if nk not in bfs_parent and (complete or nk in info):
                    bfs_parent[nk] = k << 8 | j // 3
                    bfs_pen[nk] = pen + out[j + 1]
                    queue.append(nk)

        def bfs_parent_of(k: int) -> tuple[int, int, int] | None:
            packed = bfs_parent.get(k)
            if packed is None:
                return None
            prev, place = packed >> 8, packed & 255
            return prev, place + 1, succ[prev][3 * place + 2]

        if worst_k is not None:
            analysis.worst = path_to(worst_k, bfs_parent_of, "bfs")
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
