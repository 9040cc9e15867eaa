"""Finding scenario files: the bundled folder, folders and files named on the command line, ids."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from simulator.diagnostics import Diagnostic, SourcePos, diag
from simulator.resources import root
from simulator.scenario.loader import LoadResult, load_file

PROJECT_ROOT = root()  # the project, or the unpacked bundle
BUNDLED = PROJECT_ROOT / "scenarios"
SUFFIXES = (".yaml", ".yml")


class ScenarioNotFound(LookupError):
    """An id or path that names no scenario; the message lists what there is."""


def scenario_files(paths: Iterable[str | Path] | None = None) -> list[Path]:
    """Every scenario file in the given files and folders (folders searched recursively), sorted."""
    folders = [BUNDLED] if not paths else [Path(p) for p in paths]
    files: list[Path] = []
    for p in folders:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file()))
        else:
            files.append(p)
    return files


def discover(paths: Iterable[str | Path] | None = None) -> list[LoadResult]:
    """Load every scenario file; broken files are returned too, with their diagnostics."""
    results = [load_file(f) for f in scenario_files(paths)]
    for result, extra in zip(results, duplicate_ids(results)):
        result.diagnostics.extend(extra)
    return results


def duplicate_ids(results: list[LoadResult]) -> list[list[Diagnostic]]:
    """KS022 for a scenario whose (id, language) an earlier file already uses."""
    first: dict[tuple[str, str], str] = {}
    out: list[list[Diagnostic]] = []
    for r in results:
        found = []
        sc = r.scenario
        if sc is not None:
            key = (sc.id, sc.language)
            if key in first:
                found.append(diag("KS022", SourcePos(r.path, 1, 1), "duplicate_id", id=sc.id,
                                  language=sc.language, other=first[key]))
            else:
                first[key] = r.path
        out.append(found)
    return out


def resolve(path_or_id: str, language: str = "nl") -> LoadResult:
    """A file path, or the id of a bundled scenario (in `language` when it exists, else any language)."""
    p = Path(path_or_id)
    if p.suffix in SUFFIXES or p.exists() or "/" in path_or_id or "\\" in path_or_id:
        return load_file(p)
    loaded = [(r, r.scenario) for r in discover() if r.scenario is not None]
    matches = [(r, s) for r, s in loaded if s.id == path_or_id]
    if not matches:
        known = sorted({s.id for _, s in loaded})
        raise ScenarioNotFound(f"no scenario with id '{path_or_id}'; known ids: {', '.join(known) or 'none'}")
    for r, s in matches:
        if s.language == language:
            return r
    return matches[0][0]
