"""The analysis as it was before the fast search (commit bbe6c56), kept verbatim as an oracle and as the benchmark's
baseline: it works on full `State` objects through `advance`, the definition of a turn, with a heap and tuple keys.
tests/test_search_oracle.py checks that the search in simulator/analysis/search.py finds the same best scores, per
ending too, the same reachable and stuck nodes, and on the bundled and golden scenarios the same best path and worst
score."""
from __future__ import annotations

import gc
import heapq
from collections import deque

from simulator.analysis.search import MAX_STATES, Analysis, Path, _path
from simulator.engine.conversation import advance, closing, ending_of, offered, start_state, take
from simulator.scenario.conditions import Compare, Flag, walk
from simulator.scenario.model import Scenario
from simulator.scoring import judge
from simulator.scoring.rubric import Rubric, load_rubric


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

    def __call__(self, s):
        if s.left or s.node in self.endings:
            # At an ending only what it is worth matters: collapse mood, flags, phase and ladder.
            return (s.node, 0, 0, 0, frozenset(), "", 0, (s.boundary_started, s.door_offered, s.excuse),
                    s.left, s.fatal, 0, "start", s.step_status)
        return (s.node, s.anger if self.anger else 0, s.trust if self.trust else 0, min(s.turns, self.turns_cap),
                s.flags & self.flags, s.ladder, s.abuse_streak, (s.boundary_started, s.door_offered, s.excuse),
                s.left, s.fatal, s.circles, s.phase, s.step_status)


_GROUP = 10  # the first ten parts of a key must be equal for one state to dominate another


def _dominates(a, b, phase_rank) -> bool:
    """Whether settled key `a` is at least as good as key `b` in every part that can only help: as many times
    round, a phase as far, steps as good."""
    return (a[10] == b[10] and phase_rank[a[11]] >= phase_rank[b[11]]
            and all(x == y or x == 2 for x, y in zip(a[12], b[12])))


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
        moves = []
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

    dijkstra_parent = lambda k: info[k][2]
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


