"""Animated marks of an object in use (two frames each): steam over a coffee machine, a lit
screen, notes over a piano, drops in a shower, "z z" over a bed, a sparkle for the rest."""

from __future__ import annotations

from .pixels import Sprite


def steam(frame: int) -> Sprite:
    s = Sprite()
    for k, x in enumerate((5, 8, 11)):
        for y in range(2, 12):
            wobble = ((y + k * 2 + frame * 2) // 3) % 2
            if (y + k) % 4 != 0:
                s.dot(x + wobble, y, "steam")
    return s


def screen(frame: int, tv: bool) -> Sprite:
    """Drawn over the screen of a computer (or a TV) sprite: light and lines of text."""
    s = Sprite()
    x, y, w, h = (2, 1, 12, 7) if tv else (5, 1, 7, 5)
    s.rect(x, y, w, h, "teal_light")
    for row in range(y + 1, y + h - 1, 2):
        s.rect(x + 1, row, (w - 2) - (row + frame * 3) % 4, 1, "white")
    return s


def notes(frame: int) -> Sprite:
    s = Sprite()
    for x, y in ((3, 6 - frame * 2), (10, 3 + frame * 2)):
        s.rect(x, y, 2, 2, "ink").rect(x + 1, y - 4, 1, 4, "ink").rect(x + 2, y - 4, 2, 1, "ink")
    return s


def drops(frame: int) -> Sprite:
    s = Sprite()
    for k in range(6):
        x, y = 3 + k * 2, (k * 5 + frame * 3) % 10 + 3
        s.rect(x, y, 1, 2, "water_light")
    return s


def zz(frame: int) -> Sprite:
    s = Sprite()
    for size, (x, y) in ((4, (3 + frame, 8)), (3, (9, 3 + frame))):
        s.rect(x, y, size, 1, "white").rect(x, y + size - 1, size, 1, "white")
        for k in range(size):
            s.dot(x + size - 1 - k, y + k, "white")
    return s


def sparkle(frame: int) -> Sprite:
    s = Sprite()
    for x, y in ((4, 4), (11, 9)) if frame == 0 else ((10, 3), (5, 10)):
        s.rect(x - 1, y, 3, 1, "yellow").rect(x, y - 1, 1, 3, "yellow").dot(x, y, "white")
    return s


# name -> (frame 0, frame 1, dy): dy is where the mark sits, in pixels above the object's
# top tile (0: on the object itself, as a lit screen).
EFFECTS = {
    "steam": (steam(0), steam(1), 12),
    "screen": (screen(0, False), screen(1, False), 0),
    "tv": (screen(0, True), screen(1, True), 0),
    "notes": (notes(0), notes(1), 12),
    "drops": (drops(0), drops(1), 0),
    "zz": (zz(0), zz(1), 14),
    "sparkle": (sparkle(0), sparkle(1), 10),
}
