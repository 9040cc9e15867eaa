"""The six-step track as the scoring sees it now: green in order, orange too early, an empty ring for a step lost by
a fall-back to step 1, grey for a step the scenario does not assess; under it a one-line legend, or, after a
fall-back, why the steps must be earned again (it stays until the next choice and never covers the labels)."""
from __future__ import annotations

import pygame

from simulator.scenario.acts import STEPS

TRACK_COLOURS = {"in_order": "good", "too_early": "warn"}


def track_radius(look) -> int:
    return max(9, round(look.font_px("small") * 0.8))


def _labels_height(look, slot: int, t) -> int:
    return max(look.render(t("step_short_" + s), "small", "text", slot - look.px(6), align="center").get_height()
               for s in STEPS)


def track_height(look, width: int, t) -> int:
    """Circles, wrapped labels and the legend line, for a track `width` pixels wide."""
    slot = width // len(STEPS)
    return 2 * track_radius(look) + look.px(4) + _labels_height(look, slot, t) + look.px(4) + \
        look.font("small").get_linesize()


def draw_track(surface: pygame.Surface, area: pygame.Rect, look, track: list[dict], t, motion,
               fell_back: bool = False) -> None:
    """Draw `track` (lessons.track_of) in `area`; `motion` gives a pulse per step just earned ("step_<step>")."""
    slot = area.width // len(STEPS)
    radius = track_radius(look)
    cy = area.y + radius
    centers = [(area.x + slot * i + slot // 2, cy) for i in range(len(STEPS))]
    label_y = cy + radius + look.px(4)
    for i in range(len(STEPS) - 1):
        a, b = centers[i], centers[i + 1]
        lit = all(track[k]["status"] == "in_order" for k in (i, i + 1))
        pygame.draw.line(surface, look.color("good" if lit else "track_off"), (a[0] + radius, cy),
                         (b[0] - radius, cy), max(2, look.px(3)))
    for i, (entry, c) in enumerate(zip(track, centers)):
        status = entry["status"]
        colour = TRACK_COLOURS.get(status)
        if not entry["assessed"]:
            pygame.draw.circle(surface, look.color("track_off"), c, radius, max(1, look.px(2)))
            num = "muted"
        elif colour:
            pulse = motion["step_" + entry["step"]]
            if pulse > 0:
                pygame.draw.circle(surface, look.color(colour), c, round(radius * (1 + 0.5 * pulse)), 2)
            pygame.draw.circle(surface, look.color(colour), c, radius)
            num = "bubble_text"
        elif status == "lost":   # earned before a fall-back, to be taken again: an empty ring in the step's colour
            pygame.draw.circle(surface, look.color("good"), c, radius, max(2, look.px(3)))
            num = "text"
        else:
            pygame.draw.circle(surface, look.color("track_off"), c, radius)
            num = "text"
        look.blit_text(surface, str(i + 1), (c[0], cy - look.font("small").get_linesize() // 2), "small", num,
                       bold=True, align="center")
        look.blit_text(surface, t("step_short_" + entry["step"]), (c[0], label_y), "small",
                       "text" if entry["assessed"] else "muted", slot - look.px(6), align="center")
    legend_y = label_y + _labels_height(look, slot, t) + look.px(2)
    if fell_back:
        look.blit_text(surface, "↺ " + t("fell_back_explain"), (area.x, legend_y), "small", "bad", area.width,
                       bold=True)
    else:
        look.blit_text(surface, t("track_legend"), (area.x, legend_y), "small", "muted", area.width)
