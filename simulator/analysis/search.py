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
import heapq
from collections import deque
from dataclasses import dataclass, field

from simulator.engine.conversation import State, advance, closing, ending_of, offered, start_state, take
from simulator.scenario.conditions import Compare, Flag, walk
from simulator.scenario.model import STEPS, Scenario
from simulator.scoring import judge
from simulator.scoring.scorecard import build_scorecard
from simulator.scoring.rubric import Rubric, load_rubric

MAX_STATES = 300_000  # about ten seconds; beyond it the search stops and says so (KS106)


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

    def to_json(self) -> dict:
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

    def to_json(self) -> dict:
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


class _Keyer:
    """Maps a State to its search key, dropping what no condition can read."""

    def __init__(self, scenario: Scenario):
        reads, flags, turn_limits = set(), set(), [0]
        for node in scenario.nodes.values():
            for choice in node.choices:
                conds = [choice.when] + [r.when for r in choice.routes]
                for cond in conds:
                    if cond is None:
                        continue
                    for e in walk(cond.expr):
                        if isinstance(e, Compare):
                            reads.add(e.var)
                            if e.var == "turns":
                                turn_limits.append(e.value)
                        elif isinstance(e, Flag):
                            flags.add(e.name)
        self.anger = "anger" in reads
        self.trust = "trust" in reads
        self.turns_cap = max(turn_limits) + 1 if "turns" in reads else 0
        self.flags = frozenset(flags)
        self.endings = frozenset(n.id for n in scenario.nodes.values() if n.ending)

    def __call__(self, s: State):
        if s.left or s.node in self.endings:
            # At an ending only what it is worth matters: collapse mood, flags, phase and ladder.
            return (s.node, 0, 0, 0, frozenset(), "", 0, (s.boundary_started, s.door_offered, s.excuse),
                    s.left, s.fatal, 0, "start", s.step_status)
        return (s.node, s.anger if self.anger else 0, s.trust if self.trust else 0, min(s.turns, self.turns_cap),
                s.flags & self.flags, s.ladder, s.abuse_streak, (s.boundary_started, s.door_offered, s.excuse),
                s.left, s.fatal, s.circles, s.phase, s.step_status)


_GROUP = 10  # the first ten parts of a key must be equal for one state to dominate another


def _dominates(a, b, phase_rank) -> bool:
    """Whether settled key `a` is at least as good as key `b` in every part that can only help: no more times
    round (more patience left), a phase as far, steps as good."""
    return (a[10] <= b[10] and phase_rank[a[11]] >= phase_rank[b[11]]
            and all(x >= y for x, y in zip(a[12], b[12])))


def longest_forward_walk(scenario: Scenario) -> int:
    """The most choices a conversation can make without taking a back edge (the graph without back edges has no
    cycle: a longest path in topological order, computed without recursion)."""
    back = scenario.back_edges
    targets = {nid: [t for t in scenario._targets(nid) if (nid, t) not in back] for nid in scenario.nodes}
    indegree = {nid: 0 for nid in scenario.nodes}
    for outs in targets.values():
        for t in outs:
            indegree[t] += 1
    longest = {nid: 0 for nid in scenario.nodes}
    queue = deque(nid for nid, d in indegree.items() if d == 0)
    while queue:
        nid = queue.popleft()
        for t in targets[nid]:
            longest[t] = max(longest[t], longest[nid] + 1)
            indegree[t] -= 1
            if indegree[t] == 0:
                queue.append(t)
    return max(longest.values(), default=0)


def analyse(scenario: Scenario, rubric: Rubric | None = None, max_states: int = MAX_STATES) -> Analysis:
    # The search allocates many small tuples and frees none until it ends; Python's cyclic collector would
    # rescan the growing tables again and again (quadratic time on large files), and finds nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(scenario, rubric or load_rubric(), max_states)
    finally:
        if enabled:
            gc.enable()


def _analyse(scenario: Scenario, rubric: Rubric, max_states: int) -> Analysis:
    key_of = _Keyer(scenario)
    start = start_state(scenario)
    k0 = key_of(start)
    # Dijkstra on penalty. One table per state key (a 12-part tuple is costly to hash): its cheapest penalty,
    # the number of choices to get there, the parent (key, offered number, (number, file index)) and the state.
    info: dict = {k0: [0, 0, None, start]}
    succ: dict = {}
    heap = [(0, 0, k0)]
    counter = 1
    terminals = []
    complete = True
    penalties = rubric.penalties
    phase_rank = {"start": 0, **{step: i + 1 for i, step in enumerate(scenario.assess)}}
    settled: dict[tuple, list] = {}
    push, pop = heapq.heappush, heapq.heappop
    while heap:
        c, _, k = pop(heap)
        entry = info[k]
        if c > entry[0]:
            continue
        group_key = k[:_GROUP]
        group = settled.get(group_key)
        if group is None:
            settled[group_key] = [k]
        elif any(_dominates(other, k, phase_rank) for other in group):
            continue
        else:
            group.append(k)
        state = entry[3]
        options = offered(scenario, state)
        if state.left or scenario.nodes[state.node].ending is not None or not options:
            terminals.append(k)
            succ[k] = ()
            continue
        edges = []
        depth = entry[1] + 1
        for number, (index, _choice) in enumerate(options, 1):
            nxt, violations, _event = advance(scenario, state, index, rubric)
            nk = key_of(nxt)
            p = sum([penalties[v] for v in violations]) if violations else 0
            move = (number, index)
            edges.append((nk, number, p, move))
            nc = c + p
            known = info.get(nk)
            if known is None:
                if len(info) >= max_states:
                    complete = False
                    continue
                info[nk] = [nc, depth, (k, number, move), nxt]
            elif nc < known[0]:
                known[:] = [nc, depth, (k, number, move), nxt]
            else:
                continue
            push(heap, (nc, counter, nk))
            counter += 1
        succ[k] = edges

    reachable = {k[0] for k in info}
    stuck = {k[0] for k in terminals if not info[k][3].left and scenario.nodes[k[0]].ending is None}
    assessed = scenario.assessed_set

    def total(k, pen) -> tuple[int, int]:
        """(score, raw points) of a conversation ending in key k after paying penalty pen along the way."""
        state = info[k][3]
        shut = closing(state)
        pen += judge.penalty(rubric, shut)
        earned = judge.earned_points(rubric, state.step_status, assessed)
        excused = judge.excused_steps(state.step_status, assessed, state.excuse)
        possible = judge.possible_points(rubric, assessed, excused)
        fatal = state.fatal or judge.is_fatal(rubric, shut)
        return judge.score(rubric, earned, pen, possible, fatal), earned - pen

    best_k, best = None, None
    endings_best: dict[str, tuple] = {}
    for k in terminals:
        t = total(k, info[k][0])
        rank = (t[0], t[1], -info[k][1])
        if best is None or rank > best:
            best_k, best = k, rank
        kind = ending_of(scenario, info[k][3])
        if kind and (kind not in endings_best or rank > endings_best[kind][1]):
            endings_best[kind] = (k, rank)
    best_score = best[0] if best is not None else 0

    def path_to(k, parent_of) -> Path:
        end, moves = k, []
        while parent_of(k) is not None:
            k_prev, _number, move = parent_of(k)
            moves.append(move)
            k = k_prev
        moves.reverse()
        # Replay the moves to get the full turn records (cheaper than keeping them for every state).
        state, turns = start, []
        for number, index in moves:
            state, turn = take(scenario, state, index, number, rubric)
            turns.append(turn)
        return _path(scenario, rubric, turns, state)

    dijkstra_parent = lambda k: info[k][2]  # noqa: E731
    bound = (rubric.patience + 1) * (longest_forward_walk(scenario) + 1)
    analysis = Analysis(scenario, best_score, None, None, reachable, {}, stuck, len(info), complete, bound)
    if best_k is not None:
        analysis.best = path_to(best_k, dijkstra_parent)
        for kind, (k, _rank) in endings_best.items():
            analysis.endings[kind] = path_to(k, dijkstra_parent)
        # The worst path: the lowest-scoring way to end, among the shortest routes to each end state (BFS).
        bfs_parent = {k0: None}
        bfs_pen = {k0: 0}
        queue = deque([k0])
        worst_k, worst_raw = None, None
        while queue:
            k = queue.popleft()
            edges = succ.get(k, ())
            if not edges and k in succ:
                t = total(k, bfs_pen[k])
                if worst_raw is None or t < worst_raw:
                    worst_k, worst_raw = k, t
            for nk, _number, p, move in edges:
                if nk in info and nk not in bfs_parent:
                    bfs_parent[nk] = (k, _number, move)
                    bfs_pen[nk] = bfs_pen[k] + p
                    queue.append(nk)
        if worst_k is not None:
            analysis.worst = path_to(worst_k, bfs_parent.get)
    return analysis


def _path(scenario: Scenario, rubric: Rubric, turns, end: State) -> Path:
    """A path as `analyse` reports it, scored by the same scorecard the game shows."""
    card = build_scorecard(scenario, rubric, turns, end, closing(end), True, ending_of(scenario, end))
    steps = [s for s, status in zip(STEPS, end.step_status) if status and s in scenario.assessed_set]
    return Path(choices=[t.offered for t in turns], nodes=[t.node for t in turns], acts=[t.act for t in turns],
                ending=card["ending"], end_node=end.node, raw=card["points"], score=card["score"],
                steps=steps, violations=[v["rule"] for v in card["violations"]])


_ANALYSES: dict[tuple, Analysis] = {}
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
