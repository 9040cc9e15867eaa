"""Draws KlantSim's icon (a speech bubble with a K) and writes assets/icon.png (256 px), assets/window-icon.bmp (the
window's title bar and task bar: 64 px, a BMP with alpha, which SDL reads itself, so the window never loads
SDL_image and libpng for it), assets/klantsim.ico (Windows .exe) and assets/klantsim.icns (macOS app). Run again
after changing the drawing:

    .venv/bin/python tools/make_icon.py

Both icon containers hold PNG images, which Windows Vista and later and macOS 10.7 and later read, so no image
library beyond pygame-ce is needed."""
from __future__ import annotations

import io
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

ASSETS = Path(__file__).resolve().parents[1] / "assets"
BACKGROUND = (38, 84, 140)
BUBBLE = (250, 250, 245)
LETTER = (38, 84, 140)


def draw(size: int) -> pygame.Surface:
    """The icon at `size` pixels, drawn 4x larger and scaled down for smooth edges."""
    big = size * 4
    s = pygame.Surface((big, big), pygame.SRCALPHA)
    pygame.draw.rect(s, BACKGROUND, (0, 0, big, big), border_radius=big // 5)
    bubble = pygame.Rect(big * 0.14, big * 0.16, big * 0.72, big * 0.56)
    pygame.draw.rect(s, BUBBLE, bubble, border_radius=big // 7)
    tail = [(big * 0.30, bubble.bottom - 2), (big * 0.48, bubble.bottom - 2), (big * 0.26, big * 0.88)]
    pygame.draw.polygon(s, BUBBLE, tail)
    font = pygame.font.Font(str(ASSETS / "fonts" / "DejaVuSans-Bold.ttf"), int(big * 0.44))
    letter = font.render("K", True, LETTER)
    s.blit(letter, letter.get_rect(center=bubble.center))
    return pygame.transform.smoothscale(s, (size, size))


def png_bytes(surface: pygame.Surface, kind: str = "png") -> bytes:
    buf = io.BytesIO()
    pygame.image.save(surface, buf, f"icon.{kind}")
    return buf.getvalue()


def ico(images: dict[int, bytes]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size, then the PNG data (a width of 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, png in sorted(images.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def icns(images: dict[int, bytes]) -> bytes:
    kinds = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(kinds[size] + struct.pack(">I", 8 + len(png)) + png for size, png in sorted(images.items()))
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    pygame.font.init()
    images = {size: png_bytes(draw(size)) for size in (16, 32, 48, 64, 128, 256, 512)}
    (ASSETS / "icon.png").write_bytes(images[256])
    # the 256 px icon scaled down, so that a title bar shows the picture it showed when the window had that one
    (ASSETS / "window-icon.bmp").write_bytes(png_bytes(pygame.transform.smoothscale(draw(256), (64, 64)), "bmp"))
    (ASSETS / "klantsim.ico").write_bytes(ico({k: v for k, v in images.items() if k in (16, 32, 48, 256)}))
    (ASSETS / "klantsim.icns").write_bytes(icns({k: v for k, v in images.items() if k != 48}))
    print("wrote assets/icon.png, assets/window-icon.bmp, assets/klantsim.ico, assets/klantsim.icns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
