"""Searching a scenario's state space: reachable nodes and endings, the best and the worst path, max score.

A state is (node, mood, turns, flags, step phase and statuses, boundary ladder, awards): everything that
decides what can happen next and what it is worth. Parts no condition reads are left out of the search key
(mood when no condition reads it, flags no condition names, turns beyond the largest number compared with),
so the state space stays small and the search always terminates, cycles or not.

Points depend only on the state a conversation ends in (which steps were taken, which boundary rungs earned);
penalties are paid along the way and are never negative. So the best path is a shortest-path problem:
Dijkstra finds the cheapest (least penalised) way to every state, and the best path ends in the terminal
state with the most points minus penalty.

Dominance keeps the search small when a scenario loops back: a state met later (so at no lower penalty) at
the same node, mood, flags and boundary situation, whose step phase is no further, whose steps are no better
and whose boundary awards are no more than those of a state already settled, can never end better. The step
machine keeps that order (a further phase never makes a step less in order), so skipping it loses nothing.
"""
from __future__ import annotations

import gc
import heapq
from collections import deque
from dataclasses import dataclass, field

from simulator.engine.conversation import State, advance, closing, excused, offered, raw_points, start_state, take
from simulator.scenario.conditions import Compare, Flag, walk
from simulator.scenario.model import STEPS, Scenario
from simulator.scoring.judge import penalty, reference
from simulator.scoring.scorecard import normalise
from simulator.scoring.rubric import Rubric, load_rubric

MAX_STATES = 300_000  # about ten seconds; beyond it the search stops and says so (KS106)


@dataclass
class Path:
    choices: list[int]                 # 1-based offered numbers, as `play --choices`
    nodes: list[str]                   # the nodes where each choice was made
    acts: list[str]
    ending: str | None
    end_node: str
    raw: int
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
    best_raw: int
    best: Path | None
    worst: Path | None
    reachable_nodes: set[str]
    endings: dict[str, Path]           # per ending kind: the best way to reach it
    stuck_nodes: set[str] = field(default_factory=set)   # non-ending nodes where no choice can be offered
    states: int = 0
    complete: bool = True

    def to_json(self) -> dict:
        sc = self.scenario
        return {
            "scenario": sc.id, "language": sc.language, "path": sc.path, "states": self.states,
            "complete": self.complete,
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
        if s.node in self.endings:
            # At an ending only what it is worth matters: collapse mood, flags, phase and ladder.
            return (s.node, 0, 0, 0, frozenset(), "", 0, s.boundary_started, (s.door_offered, s.handed_over),
                    "start", s.step_status, s.awards)
        return (s.node, s.anger if self.anger else 0, s.trust if self.trust else 0, min(s.turns, self.turns_cap),
                s.flags & self.flags, s.ladder, s.abuse_streak, s.boundary_started, (s.door_offered, s.handed_over),
                s.phase, s.step_status, s.awards)


_GROUP = 9  # the first nine parts of a key must be equal for one state to dominate another


def _dominates(a, b, phase_rank) -> bool:
    """Whether settled key `a` is at least as good as key `b` in every part that can only help."""
    return (phase_rank[a[9]] >= phase_rank[b[9]] and a[11] >= b[11]
            and all(x >= y for x, y in zip(a[10], b[10])))


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
        if scenario.nodes[state.node].ending is not None or not options:
            terminals.append(k)
            succ[k] = ()
            continue
        edges = []
        depth = entry[1] + 1
        for number, (index, _choice) in enumerate(options, 1):
            nxt, violations, _event = advance(scenario, state, index)
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
    stuck = {k[0] for k in terminals if scenario.nodes[k[0]].ending is None}

    def total(k, pen):
        state = info[k][3]
        return raw_points(scenario, state, rubric) - pen - penalty(rubric, closing(state))

    best_k, best_raw = None, None
    endings_best: dict[str, tuple] = {}
    for k in terminals:
        t = total(k, info[k][0])
        if best_raw is None or t > best_raw or (t == best_raw and info[k][1] < info[best_k][1]):
            best_k, best_raw = k, t
        kind = scenario.nodes[k[0]].ending
        if kind and (kind not in endings_best or t > endings_best[kind][1]):
            endings_best[kind] = (k, t)
    best_raw = best_raw if best_raw is not None else 0

    def path_to(k, parent_of, raw) -> Path:
        end, moves = k, []
        while parent_of(k) is not None:
            k_prev, _number, move = parent_of(k)
            moves.append(move)
            k = k_prev
        moves.reverse()
        # Replay the moves to get the full turn records (cheaper than keeping them for every state).
        state, turns = start, []
        for number, index in moves:
            state, turn = take(scenario, state, index, number)
            turns.append(turn)
        return _path(scenario, turns, raw, best_raw, info[end][3])

    dijkstra_parent = lambda k: info[k][2]  # noqa: E731
    analysis = Analysis(scenario, best_raw, None, None, reachable, {}, stuck, len(info), complete)
    if best_k is not None:
        analysis.best = path_to(best_k, dijkstra_parent, best_raw)
        for kind, (k, t) in endings_best.items():
            analysis.endings[kind] = path_to(k, dijkstra_parent, t)
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
            analysis.worst = path_to(worst_k, bfs_parent.get, worst_raw)
    return analysis


def _path(scenario: Scenario, turns, raw: int, best_raw: int, end: State) -> Path:
    violations = [v for t in turns for v in t.violations] + list(closing(end))
    steps = [s for s, status in zip(STEPS, end.step_status) if status and s in scenario.assessed_set]
    return Path(choices=[t.offered for t in turns], nodes=[t.node for t in turns], acts=[t.act for t in turns],
                ending=scenario.nodes[end.node].ending, end_node=end.node, raw=raw,
                score=normalise(raw, reference(best_raw, excused(scenario, end), raw_points(scenario, end))),
                steps=steps, violations=violations)
