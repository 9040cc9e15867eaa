"""`play`: the game in a window, or in the terminal (`--text`), or scripted (`--choices … --json`)."""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import json
import random
import sys

from simulator.cli import UsageError
from simulator.commands.common import CommandFailed, has_screen, load_scenario
from simulator.engine.session import ChoiceError, Session
from simulator.i18n import t
from datetime import UTC


def register(sub) -> None:
    p = sub.add_parser("play", help=command_help("play"))
    p.add_argument("--text", action="store_true", help="play in the terminal")
    p.add_argument("--scenario", metavar="PATH_OR_ID", help="a scenario file or the id of a bundled scenario")
    p.add_argument("--choices", metavar="1,3,2", help="play without asking: the Nth offered choice at each node")
    p.add_argument("--json", action="store_true", help="with --choices: print only the scorecard JSON")
    p.add_argument("--shuffle", metavar="SEED", type=int, default=None,
                   help="show the choices in this seed's order (interactive play: a new random order each "
                        "conversation by default; with --choices: file order by default)")
    p.add_argument("--lang", choices=("nl", "en"), default=None,
                   help="language of the game (default: the one chosen in the settings, else nl)")
    p.add_argument("--exam", action="store_true", help="exam mode: feedback only at the end, no undo")
    p.add_argument("--free", action="store_true",
                   help="terminal play in your own words: type your answer instead of picking a number")
    p.add_argument("--class", dest="class_mode", action="store_true",
                   help="class mode in the window: a projector layout where the group votes on each choice")
    p.add_argument("--player", metavar="NAME",
                   help="terminal or scripted (--choices) play: the name results are saved under")
    p.add_argument("--data", metavar="DIR", help="folder for settings and results (default: the user folders)")
    p.add_argument("--from", dest="from_node", metavar="NODE",
                   help="preview: start at this node of --scenario (customer's starting mood, no flags or steps yet)")
    p.set_defaults(run=run)


def parse_choices(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",")]
    # ASCII digits only ('²'.isdigit() is true, int('²') fails) and a bounded length (int() refuses 4,301 digits)
    if not parts or any(not (p.isascii() and p.isdigit()) or len(p) > 6 or int(p) < 1 for p in parts):
        shown = text if len(text) <= 60 else text[:60] + "…"
        raise UsageError(f"--choices must be whole numbers from 1 up, separated by commas (got {shown!r})")
    return [int(p) for p in parts]


def run(args) -> int:
    if args.json and not args.choices:
        raise UsageError("--json goes with --choices (scripted play prints only the scorecard)")
    if args.choices and not args.scenario:
        raise UsageError("--choices needs --scenario PATH_OR_ID")
    choices = parse_choices(args.choices) if args.choices else None
    if args.player is not None:
        from simulator.results.record import RecordError, check_player_name

        try:
            args.player = check_player_name(args.player)
        except RecordError as exc:
            raise UsageError(f"--player: {exc}") from None
    if getattr(args, "from_node", None) and not args.scenario:
        raise UsageError("--from NODE needs --scenario FILE")
    if getattr(args, "free", False) and (choices is not None or not args.text):
        raise UsageError("--free is terminal play in your own words: use it with --text, not with --choices")
    if args.class_mode and (args.text or choices is not None):
        raise UsageError("--class is the projector mode of the window; it does not go with --text or --choices")
    language = args.lang or "nl"
    scenario = load_scenario(args.scenario, language) if args.scenario else None
    if getattr(args, "from_node", None):
        scenario = from_node(scenario, args.from_node)
    if choices is not None:
        return scripted(scenario, choices, args)
    if not args.text and has_screen():
        from simulator.game.app import run as run_window

        return run_window(scenario_path=scenario.path if scenario else None, language=args.lang,
                          start_node=getattr(args, "from_node", None), data_dir=args.data,
                          class_mode=args.class_mode, mode="exam" if args.exam else None)
    if args.class_mode:
        raise CommandFailed("class mode needs a screen (a window); none was found")
    if not args.text:
        print(t("no_screen", language), file=sys.stderr)
    return terminal(scenario, args, language)


def from_node(scenario, node_id: str):
    """The scenario started at `node_id` (a preview while writing), as the window's start_node does it."""
    from dataclasses import replace

    if node_id not in scenario.nodes:
        import difflib

        close = difflib.get_close_matches(node_id, list(scenario.nodes), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; its nodes: {', '.join(scenario.nodes)}"
        raise CommandFailed(f"--from {node_id}: {scenario.path} has no node '{node_id}'{hint}")
    if scenario.nodes[node_id].ending:
        raise CommandFailed(f"--from {node_id}: that node is an ending; start from a node with choices")
    return replace(scenario, start=node_id)


def scripted(scenario, choices: list[int], args) -> int:
    from datetime import datetime

    started = datetime.now(UTC)
    session = Session(scenario, seed=getattr(args, "shuffle", None))
    for step, number in enumerate(choices, 1):
        if session.finished:
            raise CommandFailed(f"the conversation ended after {step - 1} choices, but {len(choices)} were given")
        offered = len(session.choices())
        try:
            session.choose(number - 1)
        except ChoiceError:
            raise CommandFailed(f"choice {step} is {number}, but node '{session.node.id}' offers only "
                                f"{offered} choices") from None
    if not session.finished:
        raise CommandFailed(f"the choices ran out at node '{session.node.id}' before an ending; give more choices")
    if args.player:  # a scripted conversation is saved only under a name given for it
        save_result(session, args, started, "finished")
    if args.json:
        print(json.dumps(session.scorecard(), ensure_ascii=False, indent=2))
    else:
        from simulator.text_ui import print_debrief

        print_debrief(session, args.lang or "nl")
    return 0


def terminal(scenario, args, language: str) -> int:
    from datetime import datetime

    from simulator import text_ui

    if scenario is None:
        scenario = text_ui.pick_scenario(language)
        if scenario is None:
            return 0
    seed = args.shuffle if getattr(args, "shuffle", None) is not None else random.randrange(2**31)
    session = Session(scenario, seed=seed)  # the choices are shown in a shuffled order, kept with the result
    started = datetime.now(UTC)
    if getattr(args, "from_node", None):
        print({"nl": f"Voorbeeld vanaf knooppunt '{args.from_node}' (beginstemming van de klant, nog geen stappen).",
               "en": f"Preview from node '{args.from_node}' (the customer's starting mood, no steps yet)."}[language])
    typed = None
    if getattr(args, "free", False):
        outcome, typed = free_play(session, language, args.exam)
    else:
        outcome = text_ui.play(session, language, exam=args.exam)
    if session.turns and not getattr(args, "from_node", None):  # a preview is not a practised conversation
        save_result(session, args, started, outcome, typed)
    return 0


def free_play(session, language: str, exam: bool) -> tuple[str, list]:
    """`--free`: the player types answers that the recogniser maps onto the offered choices. Returns the outcome and
    what was typed at each turn (for the results store)."""
    from simulator.commands import play_free
    from simulator.i18n import t as text
    from simulator.recognition import FreePlay, load_recogniser

    recogniser = load_recogniser()
    print(text("loading_recogniser", language), file=sys.stderr)
    recogniser.prepare(session.scenario.language)
    free = FreePlay(session, recogniser)
    outcome = play_free.play(free, language, exam=exam)
    return outcome, free.typed_entries()


def save_result(session, args, started, outcome: str, typed: list | None = None) -> None:
    """Keep the conversation in the results store; a store that cannot be used costs a note, never the game."""
    import getpass

    from simulator.results import ResultsStore, StoreError
    from simulator.results.record import RecordError
    from simulator.results.session_record import record_from_session
    from simulator.results.store import keep_unsaved, print_notices

    player = args.player or getpass.getuser() or "speler"
    try:
        result = record_from_session(session, player, started, "finished" if outcome == "finished" else "abandoned",
                                     typed=typed)
    except RecordError as exc:
        _say(f"{_prog()} play: the result was not saved: {exc}")
        return
    try:
        store = ResultsStore.open(args.data)
    except StoreError as exc:
        store = None
        reason = str(exc)
    if store is not None:
        print_notices(store)
        try:
            store.save(result)
            # stderr: with --json, stdout carries only the scorecard
            _say(f"{_prog()} play: saved for {player} in {store.path}")
            return
        except StoreError as exc:  # the store kept it in a file instead; the message says where
            _say(f"{_prog()} play: {exc}")
            return
        finally:
            store.close()
    try:
        _say(f"{_prog()} play: {keep_unsaved(result, args.data, reason)}")
    except StoreError as exc:
        _say(f"{_prog()} play: {exc}")


def _prog() -> str:
    from simulator.results.cli_support import prog

    return prog()


def _say(message: str) -> None:
    """A line on stderr; a terminal that was closed (the player hung up) must not turn a kept result into an error."""
    try:
        print(message, file=sys.stderr)
    except (OSError, ValueError):
        pass


def start_default() -> int:
    """`python main.py` with no command: the window, or the terminal without a screen."""
    from simulator.cli import build_parser

    return run(build_parser(["play"]).parse_args(["play"]))
