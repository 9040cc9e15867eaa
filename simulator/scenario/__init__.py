"""Scenario files: the model, loading with positions, checks and analysis."""
