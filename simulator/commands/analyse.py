"""`analyse PATH [--json]`: best and worst path, reachable endings, which assessed steps the best path covers."""
from __future__ import annotations

import json
import sys

from simulator.commands.common import CommandFailed, load_scenario
from simulator.scenario.analysis import analyse


def register(sub) -> None:
    p = sub.add_parser("analyse", aliases=["analyze"], help="search every path of a scenario")
    p.add_argument("path", metavar="PATH", help="a scenario file or the id of a bundled scenario")
    p.add_argument("--json", action="store_true", help="print only JSON")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="which language when PATH is an id")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        scenario = load_scenario(args.path, args.lang)
    except CommandFailed as exc:
        print(f"main.py analyse: {exc}", file=sys.stderr)
        return 1
    result = analyse(scenario)
    data = result.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(human(data))
    return 0


def _path_line(name: str, path: dict | None) -> list[str]:
    if not path:
        return [f"{name}: none"]
    lines = [f"{name}: score {path['score']}, ending {path['ending']}, choices {','.join(map(str, path['choices']))}"]
    lines.append("  acts: " + " → ".join(path["acts"]))
    if path["violations"]:
        lines.append("  violations: " + ", ".join(path["violations"]))
    return lines


def human(data: dict) -> str:
    lines = [f"{data['scenario']} ({data['language']}): {data['reachable_nodes']} reachable nodes, "
             f"{data['states']} states searched"]
    lines += _path_line("best path", data["best"])
    lines += _path_line("worst path", data["worst"])
    lines.append("endings:")
    for kind, path in data["endings"].items():
        lines.append(f"  {kind}: reachable, best score {path['score']} via {','.join(map(str, path['choices']))}")
    for kind in data["unreachable_endings"]:
        lines.append(f"  {kind}: NOT reachable")
    lines.append(f"assessed steps: {', '.join(data['assessed'])}")
    lines.append(f"best path covers: {', '.join(data['best_covers']) or 'none'}")
    if data["best_misses"]:
        lines.append(f"best path misses: {', '.join(data['best_misses'])}")
    if data["unreachable_nodes"]:
        lines.append(f"unreachable nodes: {', '.join(data['unreachable_nodes'])}")
    return "\n".join(lines)
