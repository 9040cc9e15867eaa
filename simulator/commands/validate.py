"""`validate PATH…`: check scenario files and folders, print every diagnostic, exit 1 on errors."""
from __future__ import annotations

from simulator.diagnostics import has_errors
from simulator.scenario.checks import analysis_checks
from simulator.scenario.library import discover


def register(sub) -> None:
    p = sub.add_parser("validate", help="check scenario files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    p.set_defaults(run=run)


def check(paths) -> list:
    """Every file's load result, with the analysis checks added to the files that load."""
    results = discover(paths)
    for r in results:
        if r.ok:
            r.diagnostics.extend(analysis_checks(r.scenario))
    return results


def run(args) -> int:
    results = check(args.paths)
    errors = warnings = 0
    for r in results:
        for d in r.diagnostics:
            print(d)
            errors += d.is_error
            warnings += not d.is_error
    files = len(results)
    print(f"{files} file{'s' if files != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, "
          f"{warnings} warning{'s' if warnings != 1 else ''}")
    return 1 if any(has_errors(r.diagnostics) for r in results) else 0
