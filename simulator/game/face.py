"""The customer's face, drawn in code: brows, eyes, mouth and colour follow anger and trust (0..100, floats)."""
from __future__ import annotations

import math
import zlib

import pygame

from simulator.game.look import Look, theme_data

FEMININE = ("mevrouw", "mevr", "mw", "mrs", "ms", "miss")
MASCULINE = ("meneer", "dhr", "de heer", "mr")


def appearance(name: str) -> dict:
    """How a customer looks (skin, hair colour and style, shirt), the same every time for the same name."""
    faces = theme_data()["faces"]
    h = zlib.crc32(name.casefold().encode("utf-8"))
    first = name.casefold().replace(".", "").split(" ")[0] if name.strip() else ""
    if first in FEMININE:
        style = ("long", "bun", "short")[h % 3]
    elif first in MASCULINE:
        style = ("short", "bald", "short")[h % 3]
    else:
        style = ("short", "long", "bun", "bald")[h % 4]
    skin, shade = faces["skin"][(h >> 4) % len(faces["skin"])]
    return {"skin": pygame.Color(skin), "skin_shade": pygame.Color(shade), "style": style,
            "hair": pygame.Color(faces["hair"][(h >> 8) % len(faces["hair"])]),
            "shirt": pygame.Color(faces["shirt"][(h >> 12) % len(faces["shirt"])])}


def mood_name(anger: float, trust: float, abusive: bool = False) -> str:
    """The word under the portrait, from the same numbers as the face: hostile while the line is abusive."""
    if abusive:
        return "hostile"
    if anger >= 70:
        return "furious"
    if anger >= 55:
        return "angry"
    if anger >= 35:
        return "annoyed"
    if trust >= 60:
        return "pleased"
    return "neutral"


def _mix(a: pygame.Color, b: pygame.Color, t: float) -> pygame.Color:
    t = max(0.0, min(1.0, t))
    return pygame.Color(round(a.r + (b.r - a.r) * t), round(a.g + (b.g - a.g) * t), round(a.b + (b.b - a.b) * t))


def draw_face(surface: pygame.Surface, rect: pygame.Rect, look: Look, anger: float, trust: float,
              shake: float = 0.0, name: str = "", abusive: bool = False) -> None:
    """Draw the face inside `rect`. `shake` (0..1) jiggles it sideways just after the customer got angrier;
    `abusive` (the line swears or threatens) keeps the face hostile."""
    who = appearance(name)
    # Each customer keeps their own look in high contrast too: the portrait's light backdrop keeps dark hair
    # visible (black hair on the black high-contrast background made everyone look bald).
    a = max(0.0, min(1.0, anger / 100))
    tr = max(0.0, min(1.0, trust / 100))
    if abusive:   # a customer who swears or threatens never smiles, whatever the meters say
        a = max(a, 0.8)
        tr = min(tr, 0.2)
    size = min(rect.width, rect.height)
    cx = rect.centerx + round(math.sin(shake * 40) * shake * size * 0.03)
    cy = rect.centery + round(size * 0.04)
    head_w, head_h = round(size * 0.70), round(size * 0.82)
    line = look.color("face_line")
    thick = max(2, round(size * 0.018))

    # shoulders, so the head does not float
    body = pygame.Rect(0, 0, round(size * 0.95), round(size * 0.5))
    body.midtop = (cx, cy + round(head_h * 0.38))
    clip = surface.get_clip()
    surface.set_clip(rect.clip(clip) if clip else rect)
    pygame.draw.ellipse(surface, who["shirt"], body)

    skin = _mix(who["skin"], pygame.Color(214, 96, 80), max(0.0, a - 0.45) * 0.8)
    head = pygame.Rect(0, 0, head_w, head_h)
    head.center = (cx, cy - round(size * 0.05))
    neck = pygame.Rect(0, 0, round(head_w * 0.34), round(head_h * 0.3))
    neck.midtop = (cx, head.bottom - round(head_h * 0.12))
    hair_colour = who["hair"]
    if who["style"] == "long":   # hair falling behind the head to the shoulders
        back = pygame.Rect(0, 0, round(head_w * 1.2), round(head_h * 1.12))
        back.midtop = (cx, head.y - round(head_h * 0.04))
        pygame.draw.rect(surface, hair_colour, back, border_radius=round(head_w * 0.45))
    pygame.draw.rect(surface, who["skin_shade"], neck)
    # ears
    for side in (-1, 1):
        ear = pygame.Rect(0, 0, round(head_w * 0.16), round(head_h * 0.22))
        ear.center = (cx + side * head_w // 2, head.centery + round(head_h * 0.02))
        pygame.draw.ellipse(surface, who["skin_shade"], ear)
    if who["style"] == "bun":
        bun = pygame.Rect(0, 0, round(head_w * 0.32), round(head_w * 0.26))
        bun.midbottom = (cx, head.y + round(head_h * 0.15))
        pygame.draw.ellipse(surface, hair_colour, bun)
    pygame.draw.ellipse(surface, skin, head)
    pygame.draw.ellipse(surface, line, head, max(1, thick // 2))
    if who["style"] == "bald":   # a fringe of hair above the ears only
        for side in (-1, 1):
            tuft = pygame.Rect(0, 0, round(head_w * 0.12), round(head_h * 0.24))
            tuft.center = (cx + side * round(head_w * 0.45), head.centery - round(head_h * 0.08))
            pygame.draw.ellipse(surface, hair_colour, tuft)
    else:   # a cap of hair over the top of the head, with a fringe
        hair = pygame.Rect(head.x - round(head_w * 0.03), head.y - round(head_h * 0.05), round(head_w * 1.06),
                           round(head_h * 0.5))
        pygame.draw.ellipse(surface, hair_colour, hair)
        fringe = pygame.Rect(head.x + round(head_w * 0.08), head.y + round(head_h * 0.16), round(head_w * 0.84),
                             round(head_h * 0.24))
        pygame.draw.ellipse(surface, skin, fringe)
        pygame.draw.rect(surface, skin, (fringe.x, fringe.centery, fringe.width, round(head_h * 0.12)))

    # cheeks flush with anger
    if a > 0.3:
        flush = pygame.Surface((round(head_w * 0.22), round(head_h * 0.11)), pygame.SRCALPHA)
        colour = pygame.Color(look.color("cheek"))
        colour.a = round(min(1.0, (a - 0.3) * 1.6) * 170)
        pygame.draw.ellipse(flush, colour, flush.get_rect())
        for side in (-1, 1):
            centre = (cx + side * round(head_w * 0.28), head.centery + round(head_h * 0.12))
            surface.blit(flush, flush.get_rect(center=centre))

    eye_y = head.centery - round(head_h * 0.02)
    eye_dx = round(head_w * 0.2)
    eye_w = round(head_w * 0.16)
    # anger narrows the eyes; trust opens them a little
    eye_h = max(thick * 2, round(head_h * (0.12 - 0.06 * a + 0.02 * tr)))
    for side in (-1, 1):
        ex = cx + side * eye_dx
        white = pygame.Rect(0, 0, eye_w, eye_h)
        white.center = (ex, eye_y)
        pygame.draw.ellipse(surface, pygame.Color("white"), white)
        pupil_r = max(2, min(eye_h // 2, round(eye_w * 0.26)))
        pygame.draw.circle(surface, line, (ex, eye_y), pupil_r)
        pygame.draw.ellipse(surface, line, white, max(1, thick // 2))
        # brows: inner end drops with anger, both rise with trust
        lift = round(head_h * (0.1 + 0.04 * tr - 0.02 * a))
        tilt = round(head_h * 0.13 * (a - 0.3))
        inner = (ex - side * round(eye_w * 0.15), eye_y - lift + tilt)
        outer = (ex + side * round(eye_w * 0.75), eye_y - lift - tilt // 2)
        pygame.draw.line(surface, _mix(hair_colour, line, 0.35), inner, outer, thick + 2)

    if a > 0.55:   # a frown between the brows: tells 65 from 45 at a glance
        depth = round(head_h * 0.06 * min(1.0, (a - 0.55) * 3))
        for side in (-1, 1):
            x = cx + side * round(eye_dx * 0.22)
            pygame.draw.line(surface, line, (x, eye_y - round(head_h * 0.13)),
                             (x - side * round(head_w * 0.01), eye_y - round(head_h * 0.13) + depth),
                             max(1, thick // 2))

    # nose
    nose = pygame.Rect(0, 0, round(head_w * 0.12), round(head_h * 0.07))
    nose.center = (cx, eye_y + round(head_h * 0.13))
    pygame.draw.ellipse(surface, who["skin_shade"] if not look.high_contrast else line, nose)

    # mouth: a curve that smiles with trust and turns down with anger
    mouth_y = head.centery + round(head_h * 0.27)
    half = round(head_w * (0.17 + 0.04 * a))
    # five visibly different moods from 0 to 100: the mouth turns down early and steeply with anger
    curve = (tr * (1 - a) - 1.4 * a + 0.25) * head_h * 0.08
    points = []
    for i in range(17):
        u = -1 + i / 8
        points.append((cx + u * half, mouth_y - curve * (u * u) + curve * 0.5))
    pygame.draw.lines(surface, line, False, points, thick + 1)
    if a > 0.75:   # clenched teeth when furious
        teeth = pygame.Rect(0, 0, round(half * 1.1), max(3, round(head_h * 0.05)))
        teeth.center = (cx, round(mouth_y + curve * 0.5 - curve * 0.2))
        pygame.draw.rect(surface, pygame.Color("white"), teeth, border_radius=2)
        pygame.draw.rect(surface, line, teeth, 1, border_radius=2)
    surface.set_clip(clip)
