"""Buttons drawn with our own fonts (wrapping long choice texts) and keyboard focus shared by every screen."""
from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable

import pygame

from simulator.game.text_render import text_size

from simulator.game.look import Look


@dataclass
class Button:
    rect: pygame.Rect
    label: str
    action: Callable[[], None]
    hint: str = ""              # the key that also presses it, shown in a badge
    detail: str = ""            # a second, smaller line (cards, settings values)
    enabled: bool = True
    kind: str = "normal"        # normal | primary | choice | card | broken
    role: str = "body"
    extra: dict = field(default_factory=dict)

    def draw(self, surface: pygame.Surface, look: Look, focused: bool) -> None:
        r = self.rect
        fill = {"primary": "accent", "broken": "broken", "card": "panel"}.get(self.kind, "button")
        if focused and self.kind not in ("primary",):
            fill = "button_hover" if self.kind != "broken" else "broken"
        text_colour = "bubble_text" if self.kind == "primary" else ("muted" if not self.enabled else "button_text")
        pygame.draw.rect(surface, look.color(fill), r, border_radius=look.px(8))
        edge = look.color("focus") if focused else look.color("panel_edge")
        pygame.draw.rect(surface, edge, r, look.px(3) if focused else max(1, look.px(1)), border_radius=look.px(8))
        pad = look.px(12)
        x = r.x + pad
        if self.hint:
            on_primary = self.kind == "primary"
            badge_fill = "background" if on_primary else ("accent" if focused else "muted")
            badge = look.render(self.hint, "small", "accent" if on_primary else "bubble_text", bold=True, on=badge_fill)
            side = max(badge.get_height() + look.px(6), look.px(26))
            brect = pygame.Rect(x, r.centery - side // 2, max(side, badge.get_width() + look.px(10)), side)
            if self.kind == "choice":
                brect.y = r.y + pad - look.px(2)
            pygame.draw.rect(surface, look.color(badge_fill), brect, border_radius=look.px(6))
            surface.blit(badge, badge.get_rect(center=brect.center))
            x = brect.right + look.px(10)
        width = r.right - pad - x
        if self.kind in ("choice",):
            look.blit_text(surface, self.label, (x, r.y + pad), self.role, text_colour, width,
                           max_height=r.height - 2 * pad, on=fill)
        elif self.detail:
            lab = look.render(look.fit(self.label, self.role, width, bold=True), self.role, text_colour, bold=True,
                              on=fill)
            det = look.render(look.fit(self.detail, "small", width), "small", "muted" if self.kind != "primary"
                              else "bubble_text", on=fill)
            top = r.centery - (lab.get_height() + det.get_height()) // 2
            surface.blit(lab, (x, top))
            surface.blit(det, (x, top + lab.get_height()))
        else:
            lab = look.render(look.fit(self.label, self.role, width, bold=True), self.role, text_colour, bold=True,
                              on=fill)
            if self.hint:
                surface.blit(lab, (x, r.centery - lab.get_height() // 2))
            else:
                surface.blit(lab, lab.get_rect(center=r.center))


class KeyBar:
    """Key hints that are also buttons: each shows its key and what it does, and a click does the same as the key.
    Laid out left to right (wrapping to more rows when the window is narrow) in the rect given to `place`."""

    def __init__(self):
        self.buttons: list[Button] = []

    def place(self, look: Look, items: list[tuple[str, str, Callable[[], None]]], area: pygame.Rect,
              align: str = "center") -> int:
        """Lay out (key, label, action) items in `area` (its top and width); returns the height used."""
        gap = look.px(8)
        bh = look.font("small").get_linesize() + look.px(12)
        bold = look.font("small", bold=True)
        badge_min = max(bold.get_linesize() + look.px(6), look.px(26))
        widths = [text_size(bold, label)[0] + max(badge_min, text_size(bold, key)[0] + look.px(10)) + look.px(36)
                  for key, label, _ in items]
        rows: list[list[int]] = [[]]
        used = 0
        for i, w in enumerate(widths):
            if rows[-1] and used + gap + w > area.width:
                rows.append([])
                used = 0
            used += (gap if rows[-1] else 0) + min(w, area.width)
            rows[-1].append(i)
        self.buttons = []
        y = area.y
        for row in rows:
            total = sum(min(widths[i], area.width) for i in row) + gap * (len(row) - 1)
            x = area.x if align == "left" else area.right - total if align == "right" else area.centerx - total // 2
            for i in row:
                key, label, action = items[i]
                w = min(widths[i], area.width)
                self.buttons.append(Button(pygame.Rect(x, y, w, bh), label, action, hint=key, role="small",
                                           kind="key"))
                x += w + gap
            y += bh + gap
        return y - area.y - gap if items else 0

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for b in self.buttons:
                if b.enabled and b.rect.collidepoint(event.pos):
                    b.action()
                    return True
        return False

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        mouse = pygame.mouse.get_pos() if pygame.mouse.get_focused() else (-1, -1)
        for b in self.buttons:
            b.draw(surface, look, b.rect.collidepoint(mouse))


def wrapped_height(look: Look, text: str, role: str, width: int) -> int:
    return look.text_height(text, role, width)


class FocusList:
    """The buttons of a screen and which one has the keyboard focus (arrows/Tab move it, Enter presses it)."""

    def __init__(self, columns: int = 1):
        self.buttons: list[Button] = []
        self.index = 0
        self.columns = columns
        self.visible = True
        self.active = True      # False while a text entry has the keyboard, or while nothing is focused yet
        self.wake_on_keys = False   # True: while not active, an arrow or Tab focuses a button (nothing else does)

    def set(self, buttons: list[Button], keep: bool = True) -> None:
        self.buttons = buttons
        if not keep or self.index >= len(buttons):
            self.index = 0

    @property
    def focused(self) -> Button | None:
        return self.buttons[self.index] if self.buttons and self.visible and self.active else None

    def move(self, delta: int) -> None:
        if not self.buttons:
            return
        i = self.index
        for _ in range(len(self.buttons)):
            i = (i + delta) % len(self.buttons)
            if self.buttons[i].enabled:
                self.index = i
                return

    def handle(self, event: pygame.event.Event) -> bool:
        """True when the event moved focus or pressed a button."""
        if not self.visible or not self.buttons:
            return False
        if event.type == pygame.KEYDOWN and not self.active and self.wake_on_keys and \
                event.key in (pygame.K_DOWN, pygame.K_UP, pygame.K_TAB, pygame.K_LEFT, pygame.K_RIGHT):
            backwards = event.key == pygame.K_UP or (event.key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT)
            self.active = True
            self.index = len(self.buttons) - 1 if backwards else 0
            return True
        if event.type == pygame.KEYDOWN and self.active:
            cols = self.columns
            if event.key in (pygame.K_DOWN,):
                self.move(cols)
            elif event.key in (pygame.K_UP,):
                self.move(-cols)
            elif event.key == pygame.K_RIGHT and cols > 1:
                self.move(1)
            elif event.key == pygame.K_LEFT and cols > 1:
                self.move(-1)
            elif event.key == pygame.K_TAB:
                self.move(-1 if event.mod & pygame.KMOD_SHIFT else 1)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                button = self.focused
                if button is not None and button.enabled:
                    button.action()
            else:
                return False
            return True
        if event.type == pygame.MOUSEMOTION:
            for i, b in enumerate(self.buttons):
                if b.enabled and b.rect.collidepoint(event.pos):
                    changed = i != self.index or not self.active
                    self.index = i
                    self.active = True
                    return changed
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for i, b in enumerate(self.buttons):
                if b.enabled and b.rect.collidepoint(event.pos):
                    self.index = i
                    self.active = True
                    b.action()
                    return True
        return False

    def draw(self, surface: pygame.Surface, look: Look, clip: pygame.Rect | None = None) -> None:
        if not self.visible:
            return
        for i, b in enumerate(self.buttons):
            if clip is not None and not clip.colliderect(b.rect):
                continue
            b.draw(surface, look, self.active and i == self.index)


class TextEntry:
    """A one-line text field (the player's name, an answer in your own words), drawn with the window's own fonts.
    Text longer than the field scrolls so that the cursor stays in view."""

    def __init__(self, rect: pygame.Rect, text: str = "", max_length: int = 40, placeholder: str = "",
                 role: str = "heading"):
        self.rect = rect
        self.text = text
        self.cursor = len(text)
        self.max_length = max_length
        self.placeholder = placeholder
        self.role = role
        self.focused = True

    def handle(self, event: pygame.event.Event) -> str | None:
        """'submit' on Enter, 'changed' when the text or cursor moved, None when the event is not ours."""
        if not self.focused:
            return None
        if event.type == pygame.TEXTINPUT:
            room = self.max_length - len(self.text)
            piece = "".join(ch for ch in event.text if ch.isprintable())[:max(0, room)]
            if not piece:
                return None
            self.text = self.text[:self.cursor] + piece + self.text[self.cursor:]
            self.cursor += len(piece)
            return "changed"
        if event.type != pygame.KEYDOWN:
            return None
        key = event.key
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return "submit"
        if key == pygame.K_BACKSPACE and self.cursor > 0:
            self.text = self.text[:self.cursor - 1] + self.text[self.cursor:]
            self.cursor -= 1
        elif key == pygame.K_DELETE and self.cursor < len(self.text):
            self.text = self.text[:self.cursor] + self.text[self.cursor + 1:]
        elif key == pygame.K_LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif key == pygame.K_RIGHT:
            self.cursor = min(len(self.text), self.cursor + 1)
        elif key == pygame.K_HOME:
            self.cursor = 0
        elif key == pygame.K_END:
            self.cursor = len(self.text)
        elif key in (pygame.K_BACKSPACE, pygame.K_DELETE):
            pass
        else:
            return None
        return "changed"

    def draw(self, surface: pygame.Surface, look: Look, blink_on: bool = True) -> None:
        r = self.rect
        pygame.draw.rect(surface, look.color("entry_back"), r, border_radius=look.px(6))
        pygame.draw.rect(surface, look.color("focus" if self.focused else "panel_edge"), r,
                         look.px(3) if self.focused else max(1, look.px(1)), border_radius=look.px(6))
        pad = look.px(12)
        role = self.role
        font = look.font(role)
        y = r.centery - font.get_height() // 2
        room = r.width - 2 * pad
        cursor_x = text_size(font, self.text[:self.cursor])[0]
        shift = max(0, cursor_x - room + look.px(4))    # a long answer: its end stays in view
        clip = surface.get_clip()
        surface.set_clip(r.inflate(-look.px(4), -look.px(4)).clip(clip))
        if self.text:
            surface.blit(look.render(self.text, role, "entry_text"), (r.x + pad - shift, y))
        elif self.placeholder:
            ph = look.render(self.placeholder, role, look.color("muted") if not look.high_contrast
                             else look.color("entry_text"), italic=True)
            surface.blit(ph, (r.x + pad, y))
        if self.focused and blink_on:
            x = r.x + pad + cursor_x - shift
            pygame.draw.line(surface, look.color("entry_text"), (x, y + look.px(2)),
                             (x, y + font.get_height() - look.px(2)), max(2, look.px(2)))
        surface.set_clip(clip)
