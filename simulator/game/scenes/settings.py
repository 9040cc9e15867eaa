"""Settings: language, text speed, text size, high contrast, fullscreen, coach or exam mode; saved at once."""
from __future__ import annotations

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
}


class SettingsScene(Scene):
    name = "settings"

    def layout(self) -> None:
        look, (w, h) = self.look, self.app.size
        col_w = min(w - look.px(80), look.px(760))
        x = (w - col_w) // 2
        y = look.px(18) + look.font_px("title") + look.font_px("body") + look.px(40)
        row_h = look.font_px("body") + look.px(24)
        gap = look.px(10)
        buttons = []
        for key in OPTIONS:
            buttons.append(Button(pygame.Rect(x, y, col_w, row_h), self.t("setting_" + key),
                                  lambda k=key: self.change(k, 1), kind="setting", extra={"key": key}))
            y += row_h + gap
        y += look.px(10)
        buttons.append(Button(pygame.Rect(x, y, col_w, row_h), self.t("done"), self.back, hint="Esc",
                              kind="primary"))
        keep = len(self.focus.buttons) == len(buttons)
        self.focus.set(buttons, keep=keep)

    def value_text(self, key: str) -> str:
        value = getattr(self.app.settings, key)
        if key == "voice":
            from simulator.game.audio import voice_available

            if not voice_available()[0]:
                return self.t("voice_unavailable")
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

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            b = self.focus.focused
            if b is not None and "key" in b.extra:
                self.change(b.extra["key"], 1 if event.key == pygame.K_RIGHT else -1)
            return
        self.focus.handle(event)

    def back(self) -> None:
        self.app.settings.save()
        self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        look = self.look
        self.draw_header(surface, self.t("settings"), self.t("settings_hint"))
        for i, b in enumerate(self.focus.buttons):
            focused = self.focus.active and i == self.focus.index
            if b.kind != "setting":
                b.draw(surface, look, focused)
                continue
            r = b.rect
            look.panel(surface, r, "button_hover" if focused else "panel", "focus" if focused else "panel_edge",
                       radius=8, width=3 if focused else 1)
            pad = look.px(16)
            lab = look.render(b.label, "body", "text", bold=True)
            surface.blit(lab, (r.x + pad, r.centery - lab.get_height() // 2))
            value = look.render(f"◀  {self.value_text(b.extra['key'])}  ▶", "body", "accent" if focused else "text",
                                bold=True)
            surface.blit(value, value.get_rect(midright=(r.right - pad, r.centery)))
