"""The customer's mood: anger and trust, 0..100, changed by each choice's effect."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.scenario.model import Choice


def clamp(value: int) -> int:
    return 0 if value < 0 else 100 if value > 100 else value


def apply_effect(anger: int, trust: int, choice: Choice) -> tuple[int, int]:
    """The mood after a choice: its effect added, kept within 0..100."""
    return clamp(anger + choice.anger), clamp(trust + choice.trust)


def expression(anger: int, trust: int) -> str:
    """A name for how the customer looks, for front ends that draw a face."""
    if anger >= 70:
        return "furious"
    if anger >= 45:
        return "annoyed"
    if trust >= 60:
        return "pleased"
    return "neutral"
