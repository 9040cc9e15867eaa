"""Modal overlays: a box over the screen with its own keys, clicks and drawing (a question, a file's problems).
While one is up, the screen under it gets no events; the app owns it, so no scene keeps flags for it."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from collections.abc import Callable

import pygame

from simulator.game.text_render import text_size

from simulator.game.widgets import Button, FocusList

RELOAD_SHOWN = 8           # a broken file: this many diagnostics listed, then how many more


SHADE_ROWS = 32            # the dark cover is blitted in bands this high: a whole-window cover costs 3.7 MB at 1280x720


def shade(surface: pygame.Surface, alpha: int = 170) -> None:
    """Darken the screen under an overlay (every pixel blended once with the same colour, band by band)."""
    w, h = surface.get_size()
    cover = pygame.Surface((w, min(h, SHADE_ROWS)), pygame.SRCALPHA)
    cover.fill((0, 0, 0, alpha))
    for y in range(0, h, SHADE_ROWS):
        surface.blit(cover, (0, y))


class Overlay:
    """A modal box. `handle` gets every event while it is up; `close()` takes it away."""

    def __init__(self, app):
        self.app = app
        self.focus = FocusList()

    def close(self) -> None:
        if self.app.overlay is self:
            self.app.overlay = None
        self.app.dirty = True

    def cancel(self) -> None:
        self.close()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.cancel()
            return
        self.focus.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        raise NotImplementedError


class Question(Overlay):
    """A question with two or three answers, each a button with its key; Esc is the last answer (the safe one).
    Nothing is focused at first: Enter or Space only press an answer after the arrows or Tab chose one."""

    def __init__(self, app, title: str, text: str, answers: list[tuple[str, str, int, Callable[[], None]]]):
        super().__init__(app)
        self.title, self.text = title, text
        self.answers = answers          # (label, key name shown, key code, action)
        self.focus.active = False

    def press(self, i: int) -> None:
        self.close()
        self.answers[i][3]()

    def cancel(self) -> None:
        self.press(len(self.answers) - 1)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            for i, (_, _, key, _) in enumerate(self.answers):
                if event.key == key:
                    self.press(i)
                    return
            if event.key in (pygame.K_TAB, pygame.K_DOWN, pygame.K_UP, pygame.K_LEFT, pygame.K_RIGHT) \
                    and not self.focus.active:
                self.focus.active = True     # the first arrow shows where the focus is; the next one moves it
                self.focus.index = 0
                return
            if event.key in (pygame.K_LEFT, pygame.K_RIGHT):
                self.focus.move(1 if event.key == pygame.K_RIGHT else -1)
                return
        super().handle(event)

    def layout(self) -> pygame.Rect:
        look, (w, h) = self.app.look, self.app.size
        pad = look.px(24)
        width = min(w - 2 * look.px(20), max(look.px(640), w // 2))
        inner = width - 2 * pad
        n = len(self.answers)
        title_h = look.text_height(self.title, "heading", inner, bold=True)
        text_h = look.text_height(self.text, "body", inner) if self.text else 0
        bh = look.font("body").get_linesize() + look.px(22)
        bold = look.font("body", bold=True)
        need = max(text_size(bold, label)[0] + text_size(bold, hint)[0] + look.px(70)
                   for label, hint, _, _ in self.answers)
        one_row = n * need + (n - 1) * look.px(12) <= inner   # side by side only when every answer fits whole
        rows_h = bh if one_row else n * bh + (n - 1) * look.px(10)
        r = pygame.Rect(0, 0, width, pad + title_h + look.px(10) + text_h + look.px(20) + rows_h + pad)
        r.center = (w // 2, h // 2)
        y = r.bottom - pad - rows_h
        buttons = []
        for i, (label, hint, _, _) in enumerate(self.answers):
            if one_row:
                bw = (inner - (n - 1) * look.px(12)) // n
                rect = pygame.Rect(r.x + pad + i * (bw + look.px(12)), y, bw, bh)
            else:
                rect = pygame.Rect(r.x + pad, y + i * (bh + look.px(10)), inner, bh)
            buttons.append(Button(rect, label, partial(self.press, i), hint=hint,
                                  kind="primary" if i == n - 1 else "normal"))
        keep = len(self.focus.buttons) == len(buttons)
        active = self.focus.active
        self.focus.set(buttons, keep=keep)
        self.focus.active = active
        return r

    def draw(self, surface: pygame.Surface) -> None:
        look = self.app.look
        shade(surface)
        r = self.layout()
        look.panel(surface, r, "panel", "focus", width=2)
        pad = look.px(24)
        inner = r.width - 2 * pad
        y = r.y + pad
        y += look.blit_text(surface, self.title, (r.x + pad, y), "heading", "text", inner, bold=True) + look.px(10)
        if self.text:
            look.blit_text(surface, self.text, (r.x + pad, y), "body", "text", inner)
        self.focus.draw(surface, look)


class ProblemsList(Overlay):
    """F5 found a broken scenario file: its diagnostics, errors first, as FILE:LINE:COLUMN: message [code], in the
    window's language. Play waits underneath; any key or click closes the list (F5 reads the file again)."""

    def __init__(self, app, file_shown: str, diagnostics, on_reload: Callable[[], None]):
        super().__init__(app)
        self.file = file_shown
        self.diagnostics = sorted(diagnostics, key=lambda d: not d.is_error)
        self.on_reload = on_reload
        self.shown = (0, 0)
        self._worded: tuple[str | None, list] = (None, [])

    @property
    def problems(self) -> list[tuple[bool, str, str]]:
        """(is_error, FILE:LINE:COLUMN:, message [code]) for each diagnostic, worded in the window's language."""
        lang = self.app.lang
        if self._worded[0] != lang:   # worded once per language, not on every frame
            self._worded = (lang, [(d.is_error, f"{Path(d.pos.path).name}:{d.pos.line}:{d.pos.column}:",
                                    f"{d.render(lang)} [{d.code}]") for d in self.diagnostics])
        return self._worded[1]

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F5:
            self.close()
            self.on_reload()
        elif event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
            self.close()

    def lines_of(self, where: str, message: str, width: int, max_lines: int = 3) -> list[str]:
        """The message broken into lines, the first one after the bold FILE:LINE:COLUMN, at most `max_lines`."""
        look = self.app.look
        font = look.font("small")
        first = width - text_size(look.font("small", bold=True), where + " ")[0]
        lines, current, limit = [], "", first
        for word in message.split():
            candidate = f"{current} {word}" if current else word
            if current and text_size(font, candidate)[0] > limit:
                lines.append(current)
                current, limit = word, width
            else:
                current = candidate
        lines.append(current)
        if len(lines) > max_lines:   # cut the message, but keep its [code] at the end
            code = message.rsplit(" ", 1)[-1] if message.endswith("]") else ""
            tail = " … " + code if code else " …"
            last, limit = lines[max_lines - 1], (width if max_lines > 1 else first)
            while last and text_size(font, last + tail)[0] > limit:
                last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
            lines = lines[:max_lines - 1] + [last.rstrip(" ,;:") + tail]
        return lines

    def draw(self, surface: pygame.Surface) -> None:
        look, (w, h) = self.app.look, self.app.size
        t = self.app.t
        shade(surface)
        pad, gap, item_gap = look.px(24), look.px(14), look.px(8)
        width = min(w - 2 * look.px(20), look.px(1060))
        inner = width - 2 * pad
        title, hint = t("reload_broken"), t("reload_hint")
        title_h = look.text_height(title, "heading", inner, bold=True)
        file_h = look.text_height(self.file, "small", inner)
        hint_h = look.text_height(hint, "small", inner)
        line_h = look.font("small").get_linesize()
        more_h = line_h + look.px(6)
        room = h - 2 * look.px(20) - 2 * pad - title_h - file_h - hint_h - 2 * gap - look.px(4)
        items: list[tuple[bool, str, list[str]]] = []
        used = 0
        for is_error, where, message in self.problems[:RELOAD_SHOWN]:
            lines = self.lines_of(where, message, inner)
            item_h = len(lines) * line_h + item_gap
            if used + item_h + (more_h if len(self.problems) > len(items) + 1 else 0) > room:
                break
            items.append((is_error, where, lines))
            used += item_h
        rest = len(self.problems) - len(items)
        self.shown = (len(items), rest)
        r = pygame.Rect(0, 0, width, pad + title_h + look.px(4) + file_h + gap + used + (more_h if rest else 0)
                        + gap + hint_h + pad)
        r.center = (w // 2, h // 2)
        look.panel(surface, r, "panel", "bad", width=2)
        x, y = r.x + pad, r.y + pad
        y += look.blit_text(surface, title, (x, y), "heading", "bad", inner, bold=True) + look.px(4)
        y += look.blit_text(surface, self.file, (x, y), "small", "muted", inner) + gap
        clip = surface.get_clip()
        surface.set_clip(r.inflate(-2 * pad, 0))
        for is_error, where, lines in items:
            look.blit_text(surface, where, (x, y), "small", "bad" if is_error else "warn", bold=True)
            indent = look.render(where + " ", "small", "text", bold=True).get_width()
            for n, line in enumerate(lines):
                look.blit_text(surface, line, (x + (indent if n == 0 else 0), y), "small", "text")
                y += line_h
            y += item_gap
        surface.set_clip(clip)
        if rest:
            y += look.blit_text(surface, t("reload_more", n=rest), (x, y), "small", "muted") + look.px(6)
        look.blit_text(surface, hint, (x, y + gap), "small", "muted", inner)
