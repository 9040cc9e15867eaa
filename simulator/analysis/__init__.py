"""Above the engine: the state-space search over a scenario (best and worst path, whether 100 is reachable,
whether every path ends), the map's graph model, and the checks that need the search."""
from simulator.analysis.search import Analysis, Path, analyse, analysis_of

__all__ = ["Analysis", "Path", "analyse", "analysis_of"]
