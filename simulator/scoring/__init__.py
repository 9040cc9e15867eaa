"""Scoring: the rubric as data and pure functions from a path to a scorecard."""
