"""`{invocation()} sync --lrs URL`: send new results to a learning record store, as xAPI statements."""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import argparse
import sys

from simulator.results import xapi
from simulator.results.cli_support import StoreError, add_data_option, fail, open_store, prog


def register(subparsers) -> None:
    from simulator.results.sync import CONFIG_FILE, DEFAULT_BATCH, DEFAULT_RETRIES, PASSWORD_ENV, USER_ENV

    p = subparsers.add_parser(
        "sync", help=command_help("sync"),
        description="Send the conversations this LRS has not yet accepted, in batches. What it accepted is "
                    "remembered in the results database, so the next run sends only what is new; stopping it "
                    "half-way loses nothing. Credentials: --user/--password, else $" + USER_ENV + "/$" +
                    PASSWORD_ENV + ", else " + CONFIG_FILE + " in the user config folder, in a section named by "
                    "the LRS address (or [default]) with user = and password = lines.")
    p.add_argument("--lrs", metavar="URL", required=True,
                   help="the LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI")
    p.add_argument("--user", metavar="NAME", help="LRS user name (basic auth)")
    p.add_argument("--password", metavar="SECRET",
                   help="LRS password (visible to other users of this computer: prefer $" + PASSWORD_ENV + ")")
    p.add_argument("--base-iri", default=xapi.DEFAULT_BASE_IRI, metavar="IRI",
                   help=f"your organisation's web address for actor accounts and activity ids "
                        f"(default {xapi.DEFAULT_BASE_IRI})")
    p.add_argument("--pass-score", type=int, default=None, metavar="N",
                   help="score from which a conversation is passed (default: the rubric's pass mark)")
    p.add_argument("--batch", type=int, default=DEFAULT_BATCH, metavar="N",
                   help=f"statements per request (default {DEFAULT_BATCH})")
    p.add_argument("--retries", type=int, default=DEFAULT_RETRIES, metavar="N",
                   help=f"retries after a network error or server error, with growing waits "
                        f"(default {DEFAULT_RETRIES})")
    add_data_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from simulator.cli import UsageError
    from simulator.results.sync import Lrs, SyncError, config_path, endpoint, find_credentials, sync

    if args.pass_score is not None and not 0 <= args.pass_score <= 100:
        raise UsageError("--pass-score must be from 0 to 100")
    if args.batch < 1 or args.retries < 0:
        raise UsageError("--batch must be 1 or more and --retries 0 or more")
    if not args.base_iri.startswith(("http://", "https://")):
        raise UsageError("--base-iri must be a web address starting with https://")
    try:
        url = endpoint(args.lrs)
        credentials = find_credentials(url, args.user, args.password)
    except SyncError as exc:
        raise UsageError(str(exc)) from None
    if credentials is None:
        raise UsageError(f"no LRS credentials: give --user and --password, or set ${'KLANTSIM_LRS_USER'} and "
                         f"$KLANTSIM_LRS_PASSWORD, or write them in {config_path()} under [{url}]")
    lrs = Lrs(url, credentials, retries=args.retries)

    def progress(report) -> None:
        print(f"  {report.conversations} conversation(s) sent, {report.left} to go", file=sys.stderr)

    try:
        with open_store(args) as store:
            try:
                report = sync(store, lrs, args.base_iri, args.pass_score, args.batch, progress)
            except SyncError as exc:
                done = getattr(exc, "report", None)
                sent = (f"; {done.conversations} conversation(s) were sent and kept as sent, "
                        f"{done.left} wait for the next run") if done else ""
                return fail(f"{prog()} sync: {exc}{sent}")
    except StoreError as exc:
        return fail(f"{prog()} sync: {exc}")
    if report.conversations == 0:
        print(f"{url}: nothing new to send")
    else:
        print(f"{url}: {report.conversations} conversation(s) sent ({report.statements} statement(s)); "
              f"nothing left to send")
    return 0
