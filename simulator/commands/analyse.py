"""`analyse PATH [--json]`: best and worst path, reachable endings, which assessed steps the best path covers."""
from __future__ import annotations

import json

from simulator.commands.common import load_scenario
from simulator.engine.session import Session
from simulator.analysis.search import analyse
from simulator.analysis.graph import count_paths, first_words, trained_acts
from simulator.scenario.model import ENDINGS, MISTAKE_ACTS, STEPS


def register(sub) -> None:
    p = sub.add_parser("analyse", aliases=["analyze"], help="search every path of a scenario")
    p.add_argument("path", metavar="PATH", help="a scenario file or the id of a bundled scenario")
    p.add_argument("--json", action="store_true", help="print only JSON")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="which language when PATH is an id")
    p.set_defaults(run=run)


def run(args) -> int:
    scenario = load_scenario(args.path, args.lang)
    result = analyse(scenario)
    data = result.to_json()
    counted = count_paths(scenario)
    data["distinct_paths"] = {"paths": counted.paths, "loop_backs": counted.loop_backs, "complete": counted.complete}
    data["mistake_acts"] = trained_acts(scenario, result.reachable_nodes, "mistake")
    data["boundary_acts"] = trained_acts(scenario, result.reachable_nodes, "boundary")
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(human(data, scenario))
    return 0


def _path_lines(name: str, path: dict | None, scenario=None) -> list[str]:
    if not path:
        return [f"{name}: none"]
    lines = [f"{name}: score {path['score']}, ending {path['ending']} ({path['end_node']}), "
             f"choices {','.join(map(str, path['choices']))}"]
    if scenario is None:
        lines.append("  acts: " + " → ".join(path["acts"]))
    else:  # each choice as the player sees it
        session = Session.replay(scenario, path["choices"])
        width = max((len(t.node) for t in session.turns), default=0)
        for i, t in enumerate(session.turns, 1):
            lines.append(f"  {i:>2}. {t.node:<{width}}  {t.offered}  {t.act:<15} {first_words(t.text, 12)}")
    if path["violations"]:
        lines.append("  violations: " + ", ".join(path["violations"]))
    return lines


def human(data: dict, scenario=None) -> str:
    total = data["reachable_nodes"] + len(data["unreachable_nodes"])
    lines = [f"{data['scenario']} ({data['language']}): {data['reachable_nodes']} of {total} nodes reachable, "
             f"{data['states']} states searched" + ("" if data["complete"] else " (search stopped at its limit)")]
    lines.append(("100 is reachable" if data["reaches_100"] else f"100 is NOT reachable: the best score is "
                  f"{data['best_score']}") + f"; every path ends, within {data['ends_within']} choices "
                  "(a customer going round in circles loses patience and leaves)")
    lines += _path_lines("best path", data["best"], scenario)
    lines += _path_lines("worst path", data["worst"], scenario)
    lines.append("endings (the best way to each):")
    present = set(data["endings"]) | set(data["unreachable_endings"])
    for kind in ENDINGS:
        path = data["endings"].get(kind)
        if path:
            lines.append(f"  {kind:<13} reachable: best score {path['score']} via {','.join(map(str, path['choices']))}"
                         f" ({' → '.join(path['acts'])})")
        elif kind in present:
            lines.append(f"  {kind:<13} NOT reachable: no path gets to a node with this ending")
        else:
            lines.append(f"  {kind:<13} not in this scenario")
    counted = data.get("distinct_paths")
    if counted:
        more = "" if counted["complete"] else "at least "
        lines.append(f"distinct paths: {more}{counted['paths']} from start to an ending (a path is a sequence of "
                     f"choices, `if` conditions respected)")
        if counted["loop_backs"]:
            lines.append(f"  cycles: a path is cut where it would come back to a node it already passed; "
                         f"{counted['loop_backs']} such loop-backs are not counted as paths")
    lines.append("assessed steps: " + ", ".join(f"{STEPS.index(s) + 1} {s}" for s in data["assessed"]))
    lines.append(f"best path covers: {', '.join(data['best_covers']) or 'none'}")
    if data["best_misses"]:
        lines.append(f"best path misses: {', '.join(data['best_misses'])}")
    if "mistake_acts" in data:
        trained = ", ".join(f"{a} ({n}×)" for a, n in data["mistake_acts"].items())
        lines.append(f"mistakes it trains: {trained or 'none'}")
        missing = [a for a in MISTAKE_ACTS if a not in data["mistake_acts"]]
        if missing:
            lines.append(f"  mistakes not in it: {', '.join(missing)}")
        lines.append("boundaries it trains: "
                     + (", ".join(f"{a} ({n}×)" for a, n in data["boundary_acts"].items()) or "none"))
    if data["unreachable_nodes"]:
        lines.append(f"unreachable nodes: {', '.join(data['unreachable_nodes'])}")
    if data["stuck_nodes"]:
        lines.append(f"nodes where the conversation can get stuck: {', '.join(data['stuck_nodes'])}")
    return "\n".join(lines)
