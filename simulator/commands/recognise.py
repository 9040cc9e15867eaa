"""`recognise TEXT` / `recognise --batch FILE`: which act of the method a typed answer is, as JSON."""
from __future__ import annotations

from simulator.commands.catalogue import command_aliases, command_help

import json
import sys

from simulator.cli import CommandFailed, UsageError
from simulator.scenario.acts import LANGUAGES


def register(sub) -> None:
    p = sub.add_parser("recognise", aliases=command_aliases("recognise"),
                       help=command_help("recognise"))
    p.add_argument("text", nargs="?", metavar="TEXT", help="what the agent says, in their own words")
    p.add_argument("--lang", choices=LANGUAGES, default=None,
                   help="language of the text (default: the scenario's, else nl)")
    p.add_argument("--situation", metavar="TEXT", help="the customer's last line (its swearing counts as abusive)")
    p.add_argument("--abusive", action="store_true", help="the customer's last line was abusive")
    p.add_argument("--scenario", metavar="PATH_OR_ID", help="with --node: match against the choices at that node")
    p.add_argument("--node", metavar="NODE", help="a node of --scenario; its line and choices are the context")
    p.add_argument("--batch", metavar="FILE",
                   help="JSON lines with the same fields (text required; lang, situation, abusive, scenario, node); "
                        "one JSON line out per line in; '-' reads standard input")
    p.set_defaults(run=run)


class BadRequest(ValueError):
    """One request that cannot be answered; the message says what to fix."""


class _Scenarios:
    """Scenarios loaded once per (path or id, language) for a whole batch."""

    def __init__(self):
        self._loaded: dict[tuple[str, str], object] = {}

    def get(self, path_or_id: str, language: str | None):
        from simulator.scenario.library import ScenarioNotFound, resolve

        key = (path_or_id, language or "nl")
        if key not in self._loaded:
            try:
                result = resolve(path_or_id, language or "nl")
            except ScenarioNotFound as exc:
                raise BadRequest(str(exc)) from None
            if not result.ok:
                first = next((d for d in result.diagnostics if d.is_error), None)
                raise BadRequest(f"{result.path} cannot be used: {first.message if first else 'it has errors'} "
                                 f"(python main.py validate {result.path})")
            self._loaded[key] = result.scenario
        return self._loaded[key]


def answer(request: dict, recogniser, scenarios: _Scenarios) -> dict:
    """The JSON answer to one request (the fields of the command line); raises BadRequest."""
    from simulator.recognition import RecognitionError

    text = request.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("the text is empty; give the answer to recognise")
    language = request.get("lang")
    if language is not None and language not in LANGUAGES:
        raise BadRequest(f"lang must be one of {', '.join(LANGUAGES)} (got {language!r})")
    situation = request.get("situation")
    if situation is not None and not isinstance(situation, str):
        raise BadRequest("situation must be text")
    abusive = request.get("abusive")
    if abusive is not None and not isinstance(abusive, bool):
        raise BadRequest("abusive must be true or false")
    scenario_name, node_id = request.get("scenario"), request.get("node")
    choices = ()
    if (scenario_name is None) != (node_id is None):
        raise BadRequest("scenario and node go together: give both or neither")
    if scenario_name is not None:
        if not isinstance(scenario_name, str) or not isinstance(node_id, str):
            raise BadRequest("scenario and node must be text")
        scenario = scenarios.get(scenario_name, language)
        language = language or scenario.language
        node = scenario.nodes.get(node_id)
        if node is None:
            import difflib

            close = difflib.get_close_matches(node_id, list(scenario.nodes), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "its nodes: " + ", ".join(scenario.nodes)
            raise BadRequest(f"scenario '{scenario.id}' has no node '{node_id}'; {hint}")
        if node.ending is not None:
            raise BadRequest(f"node '{node_id}' is an ending and offers no choices; pick a node with choices")
        choices = node.choices   # all of them, in file order: without a conversation no `if` is evaluated
        situation = situation if situation is not None else node.say
        abusive = True if abusive else bool(node.abusive)
    try:
        r = recogniser.recognise(text, language or "nl", customer_line=situation,
                                 abusive=abusive, choices=choices)
    except RecognitionError as exc:
        raise BadRequest(str(exc)) from None
    return r.to_json()


def run(args) -> int:
    if args.batch and args.text is not None:
        raise UsageError("give either TEXT or --batch FILE, not both")
    if not args.batch and args.text is None:
        raise UsageError("give the TEXT to recognise (in quotes), or --batch FILE")
    if (args.scenario is None) != (args.node is None):
        raise UsageError("--scenario and --node go together")
    from simulator.recognition import load_recogniser

    if args.batch:
        return batch(args.batch, load_recogniser())
    request = {"text": args.text, "lang": args.lang, "situation": args.situation,
               "abusive": True if args.abusive else None, "scenario": args.scenario, "node": args.node}
    try:
        result = answer(request, load_recogniser(), _Scenarios())
    except BadRequest as exc:
        raise CommandFailed(str(exc)) from None
    print(json.dumps(result, ensure_ascii=False))
    return 0


def batch(path: str, recogniser) -> int:
    """One JSON line out per line in, in order; a bad line gets {"error": …} there and a line on stderr (exit 1)."""
    if path == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except FileNotFoundError:
            raise CommandFailed(f"--batch {path}: no such file") from None
        except UnicodeDecodeError:
            raise CommandFailed(f"--batch {path}: not UTF-8 text; save it as UTF-8") from None
        except OSError as exc:
            raise CommandFailed(f"--batch {path}: cannot read it ({exc.strerror})") from None
    scenarios = _Scenarios()
    failed = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            try:
                request = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadRequest(f"not JSON ({exc.msg} at column {exc.colno}); write one object per line, "
                                 'e.g. {"text": "Dat begrijp ik."}') from None
            if not isinstance(request, dict):
                raise BadRequest('each line must be a JSON object, e.g. {"text": "Dat begrijp ik."}')
            unknown = sorted(set(request) - {"text", "lang", "situation", "abusive", "scenario", "node"})
            if unknown:
                raise BadRequest(f"unknown fields {unknown}; known: text, lang, situation, abusive, scenario, node")
            result = answer(request, recogniser, scenarios)
        except BadRequest as exc:
            failed += 1
            print(f"{path}:{number}: {exc}", file=sys.stderr)
            result = {"error": str(exc)}
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if failed else 0
