"""`analyse PATH [--json]`: best and worst path, every kind of ending with its best score and the number of ways
to it, which conditional routes some conversation takes, and which assessed steps the best path covers."""
from __future__ import annotations

from simulator.commands.catalogue import command_aliases, command_help

import json

from simulator.analysis.graph import count_paths, first_words, trained_acts
from simulator.analysis.routes import route_report
from simulator.analysis.search import analyse
from simulator.commands.common import load_scenario, say
from simulator.engine.session import Session
from simulator.scenario.model import ENDINGS, MISTAKE_ACTS, STEPS


def register(sub) -> None:
    p = sub.add_parser("analyse", aliases=command_aliases("analyse"), help=command_help("analyse"))
    p.add_argument("path", metavar="PATH", help="a scenario file or the id of a bundled scenario")
    p.add_argument("--json", action="store_true", help="print only JSON")
    p.add_argument("--lang", choices=("nl", "en"), default=None,
                   help="language of the text, and of the scenario when PATH is an id (default: the system's, "
                        "else nl)")
    p.set_defaults(run=run)


def run(args) -> int:
    from simulator.diagnostics import language

    scenario = load_scenario(args.path, args.lang or language())
    result = analyse(scenario)
    data = result.to_json()
    counted = count_paths(scenario)
    data["distinct_paths"] = {"paths": counted.paths, "loop_backs": counted.loop_backs, "complete": counted.complete}
    data.update(route_report(scenario).to_json())
    data["mistake_acts"] = trained_acts(scenario, result.reachable_nodes, "mistake")
    data["boundary_acts"] = trained_acts(scenario, result.reachable_nodes, "boundary")
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(human(data, scenario))
    return 0


def _path_lines(name: str, path: dict | None, scenario=None) -> list[str]:
    if not path:
        return [say("an_none", name=name)]
    lines = [say("an_path", name=name, score=path["score"], ending=path["ending"], node=path["end_node"],
                 choices=",".join(map(str, path["choices"])))]
    if scenario is None:
        lines.append(say("an_acts", acts=" → ".join(path["acts"])))
    else:  # each choice as the player sees it
        session = Session.replay(scenario, path["choices"])
        width = max((len(t.node) for t in session.turns), default=0)
        for i, t in enumerate(session.turns, 1):
            lines.append(f"  {i:>2}. {t.node:<{width}}  {t.offered}  {t.act:<15} {first_words(t.text, 12)}")
    if path["violations"]:
        lines.append(say("an_violations", rules=", ".join(path["violations"])))
    return lines


def _route_line(r: dict) -> str:
    if r["route"] == 0:
        return say("an_route_offered", node=r["node"], choice=r["choice"], act=r["act"], condition=r["condition"],
                   taken=say("an_offered") if r["taken"] else say("an_never"))
    taken = say("an_taken") if r["taken"] else say("an_never")
    if r["condition"] is None:
        return say("an_route_else", node=r["node"], choice=r["choice"], act=r["act"], goto=r["goto"], taken=taken)
    return say("an_route_if", node=r["node"], choice=r["choice"], act=r["act"], condition=r["condition"],
               goto=r["goto"], taken=taken)


def human(data: dict, scenario=None) -> str:
    total = data["reachable_nodes"] + len(data["unreachable_nodes"])
    lines = [say("an_header", scenario=data["scenario"], language=data["language"], reachable=data["reachable_nodes"],
                 total=total, states=data["states"], cut="" if data["complete"] else say("an_cut"))]
    lines.append((say("an_100") if data["reaches_100"] else say("an_not_100", score=data["best_score"]))
                 + say("an_ends_within", turns=data["ends_within"]))
    lines += _path_lines(say("an_best"), data["best"], scenario)
    lines += _path_lines(say("an_worst"), data["worst"], scenario)
    lines.append(say("an_endings"))
    present = set(data["endings"]) | set(data["unreachable_endings"])
    ways = data.get("ways_to_ending", {})
    for kind in ENDINGS:
        path = data["endings"].get(kind)
        if path:
            count = ways.get(kind, 0)
            lines.append(say("an_ending_line", kind=kind, ways=f"{count:,}".replace(",", say("an_thousands")),
                             ways_word=say("an_way_one" if count == 1 else "an_way_many"), score=path["score"],
                             choices=",".join(map(str, path["choices"])), acts=" → ".join(path["acts"])))
        elif kind in present:
            lines.append(say("an_ending_unreachable", kind=kind))
        else:
            lines.append(say("an_ending_absent", kind=kind))
    if ways:
        lines.append(say("an_ways_note", more="" if data.get("ways_complete", True) else say("an_ways_more")))
    routes = data.get("conditional_routes")
    if routes:
        lines.append(say("an_routes"))
        lines += [_route_line(r) for r in routes]
    elif routes is not None:
        lines.append(say("an_no_routes"))
    lines.append(say("an_assessed", steps=", ".join(f"{STEPS.index(s) + 1} {s}" for s in data["assessed"])))
    lines.append(say("an_covers", steps=", ".join(data["best_covers"]) or say("an_nothing")))
    if data["best_misses"]:
        lines.append(say("an_misses", steps=", ".join(data["best_misses"])))
    if "mistake_acts" in data:
        trained = ", ".join(f"{a} ({n}×)" for a, n in data["mistake_acts"].items())
        lines.append(say("an_mistakes", acts=trained or say("an_nothing")))
        missing = [a for a in MISTAKE_ACTS if a not in data["mistake_acts"]]
        if missing:
            lines.append(say("an_mistakes_missing", acts=", ".join(missing)))
        lines.append(say("an_boundaries", acts=", ".join(f"{a} ({n}×)" for a, n in data["boundary_acts"].items())
                         or say("an_nothing")))
    if data["unreachable_nodes"]:
        lines.append(say("an_unreachable", nodes=", ".join(data["unreachable_nodes"])))
    if data["stuck_nodes"]:
        lines.append(say("an_stuck", nodes=", ".join(data["stuck_nodes"])))
    return "\n".join(lines)
