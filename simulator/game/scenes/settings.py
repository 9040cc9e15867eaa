"""Settings: language, text speed, text size, high contrast, fullscreen, coach or exam mode, answers in your own
words; saved at once."""
from __future__ import annotations

from functools import partial
import pygame

from simulator.game.look import TEXT_SIZES
from simulator.game.scenes import Scene
from simulator.game.settings import LANGUAGES, MODES, TEXT_SPEEDS, VOLUMES
from simulator.game.widgets import Button

OPTIONS = {
    "language": LANGUAGES,
    "text_speed": tuple(TEXT_SPEEDS),
    "text_size": TEXT_SIZES,
    "high_contrast": (False, True),
    "fullscreen": (False, True),
    "mode": MODES,
    "sound_volume": VOLUMES,
    "voice": (False, True),
    "feedback_timer": (False, True),
    "free_answers": (False, True),
}


class SettingsScene(Scene):
    name = "settings"

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        col_w = min(w - look.px(80), look.px(760))
        x = (w - col_w) // 2
        y = look.px(18) + look.font_px("title") + look.font_px("body") + look.px(40)
        one_line = look.font("body", bold=True).get_linesize() + look.px(16)
        gap = look.px(10)
        pad = look.px(16)
        buttons = []
        for key in OPTIONS:
            # as tall as the label and value need: a long value (no speech engine) wraps instead of being cut
            value = look.render(f"◀  {self.value_text(key)}  ▶", "body", "text", (col_w - 2 * pad) // 2, bold=True)
            label = look.render(self.t("setting_" + key), "body", "text", col_w - 3 * pad - value.get_width(),
                                bold=True)
            row_h = max(one_line, max(value.get_height(), label.get_height()) + look.px(16))
            buttons.append(Button(pygame.Rect(x, y, col_w, row_h), self.t("setting_" + key),
                                  partial(self.change, key, 1), kind="setting", extra={"key": key}))
            y += row_h + gap
        row_h = one_line
        y += look.px(10)
        buttons.append(Button(pygame.Rect(x, y, col_w, row_h), self.t("done"), self.back, hint="Esc",
                              kind="primary"))
        keep = len(self.focus.buttons) == len(buttons)
        self.focus.set(buttons, keep=keep)
        # a low window: the rows scroll (the text is never shrunk to make them fit)
        self.view = pygame.Rect(0, buttons[0].rect.y - look.px(6), w, h - buttons[0].rect.y)
        for b in buttons:
            b.extra["base"] = b.rect.copy()
        self.content_bottom = buttons[-1].rect.bottom + look.px(10)
        self.scroll = getattr(self, "scroll", 0)
        self.place()

    def place(self) -> None:
        most = max(0, self.content_bottom - self.view.bottom)
        self.scroll = max(0, min(self.scroll, most))
        for b in self.focus.buttons:
            b.rect = b.extra["base"].move(0, -self.scroll)

    def reveal(self) -> None:
        b = self.focus.focused
        if b is None:
            return
        base = b.extra["base"]
        if base.bottom - self.scroll > self.view.bottom - self.look.px(6):
            self.scroll = base.bottom - self.view.bottom + self.look.px(6)
        elif base.top - self.scroll < self.view.top:
            self.scroll = base.top - self.view.top
        self.place()

    def value_text(self, key: str) -> str:
        value = getattr(self.app.settings, key)
        if key == "voice":
            from simulator.game.audio import voice_available

            if not voice_available()[0]:
                return self.t("voice_unavailable")
        if key == "free_answers":
            from simulator.game.free_answers import RECOGNISER, UNAVAILABLE, missing_library, unavailable_text

            if missing_library() or RECOGNISER.state(self.app.lang) == UNAVAILABLE:
                return unavailable_text(self.t)
        if key == "sound_volume":
            return self.t("volume_0") if value == 0 else f"{value} %"
        if isinstance(value, bool):
            return self.t("on" if value else "off")
        return self.t(f"mode_{value}_value" if key == "mode" else f"{key}_{value}")

    def change(self, key: str, delta: int) -> None:
        options = OPTIONS[key]
        current = getattr(self.app.settings, key)
        value = options[(options.index(current) + delta) % len(options)]
        setattr(self.app.settings, key, value)
        self.app.apply_settings(reopen=key == "fullscreen")
        if key == "sound_volume":
            self.app.audio.cue("step")   # hear the new volume at once
        if key == "free_answers" and value:
            from simulator.game.free_answers import RECOGNISER

            RECOGNISER.start(self.app.lang)   # the model gets ready while the player goes on (never waited on)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            b = self.focus.focused
            if b is not None and "key" in b.extra:
                self.change(b.extra["key"], 1 if event.key == pygame.K_RIGHT else -1)
            return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * self.look.px(40)
            self.place()
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN) and not self.view.collidepoint(event.pos):
            return
        if self.focus.handle(event) and event.type == pygame.KEYDOWN:
            self.reveal()

    def back(self) -> None:
        self.app.settings.save()
        self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, self.t("settings"), self.t("settings_hint"))
        clip = surface.get_clip()
        surface.set_clip(self.view)
        self.draw_rows(surface)
        surface.set_clip(clip)

    def draw_rows(self, surface: pygame.Surface) -> None:
        look = self.look
        for i, b in enumerate(self.focus.buttons):
            focused = self.focus.active and i == self.focus.index
            if b.kind != "setting":
                b.draw(surface, look, focused)
                continue
            r = b.rect
            look.panel(surface, r, "button_hover" if focused else "panel", "focus" if focused else "panel_edge",
                       radius=8, width=3 if focused else 1)
            pad = look.px(16)
            value = look.render(f"◀  {self.value_text(b.extra['key'])}  ▶", "body", "accent" if focused else "text",
                                bold=True, width=(r.width - 2 * pad) // 2, align="right")
            room = r.width - 3 * pad - value.get_width()
            lab = look.render(b.label, "body", "text", room, bold=True)
            surface.blit(lab, (r.x + pad, r.centery - lab.get_height() // 2))
            surface.blit(value, value.get_rect(midright=(r.right - pad, r.centery)))
