"""Indexed pixel art drawn by code: a small sprite canvas with drawing primitives, the shared
colour palette, and a PNG writer (for looking at the art, and the pre-rendered map).

Every tile, object and figure of the replay page is drawn here, by us, at build time (no image
of the original project). Pixels are palette indices; 0 is transparent.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence

# The palette of tiles and objects: name -> RGBA. Index = position; 0 is transparent.
COLOURS: dict[str, tuple[int, int, int, int]] = {
    "clear": (0, 0, 0, 0),
    "ink": (34, 30, 40, 255),
    "grey_dark": (70, 68, 80, 255),
    "grey": (112, 110, 122, 255),
    "grey_light": (170, 167, 176, 255),
    "white": (240, 236, 226, 255),
    "grass_dark": (79, 138, 60, 255),
    "grass": (106, 168, 79, 255),
    "grass_light": (140, 196, 106, 255),
    "stone_dark": (140, 132, 120, 255),
    "stone": (176, 168, 152, 255),
    "stone_light": (204, 197, 180, 255),
    "stone_seam": (158, 150, 136, 255),
    "dirt_dark": (155, 118, 80, 255),
    "dirt": (194, 154, 102, 255),
    "dirt_light": (219, 184, 134, 255),
    "water_deep": (47, 111, 159, 255),
    "water": (74, 144, 194, 255),
    "water_light": (143, 198, 230, 255),
    "wood_dark": (110, 74, 47, 255),
    "wood": (152, 105, 63, 255),
    "wood_light": (192, 138, 85, 255),
    "brick_dark": (122, 75, 58, 255),
    "brick": (163, 95, 69, 255),
    "brick_light": (201, 132, 99, 255),
    "plaster": (227, 215, 193, 255),
    "plaster_shade": (196, 181, 155, 255),
    "tile_blue": (185, 211, 222, 255),
    "tile_white": (232, 238, 240, 255),
    "rose": (199, 123, 134, 255),
    "rose_light": (220, 154, 163, 255),
    "teal": (79, 154, 148, 255),
    "teal_light": (121, 189, 182, 255),
    "ochre": (217, 164, 65, 255),
    "ochre_light": (233, 196, 106, 255),
    "steel_dark": (93, 104, 115, 255),
    "steel": (154, 166, 178, 255),
    "steel_light": (207, 216, 223, 255),
    "red": (200, 68, 60, 255),
    "orange": (232, 138, 58, 255),
    "yellow": (242, 209, 92, 255),
    "leaf": (63, 122, 58, 255),
    "leaf_dark": (40, 88, 44, 255),
    "blue": (63, 111, 181, 255),
    "purple": (125, 90, 166, 255),
    "pink": (229, 155, 184, 255),
    "black": (20, 20, 24, 255),
    "glass": (156, 201, 217, 255),
    "glass_lit": (255, 215, 122, 255),
    "cream": (245, 236, 208, 255),
    "brown_dark": (74, 50, 34, 255),
    "shadow": (0, 0, 0, 60),
    "steam": (255, 255, 255, 170),
    "glow": (255, 236, 160, 150),
}
NAMES = list(COLOURS)
INDEX = {name: i for i, name in enumerate(NAMES)}


class Sprite:
    """A w x h grid of palette indices with a few drawing primitives (colours by name)."""

    def __init__(self, w: int = 16, h: int = 16, index: dict[str, int] = INDEX) -> None:
        self.w, self.h = w, h
        self.index = index
        self.px = bytearray(w * h)

    def _c(self, colour: str) -> int:
        return self.index[colour]

    def dot(self, x: int, y: int, colour: str) -> Sprite:
        if 0 <= x < self.w and 0 <= y < self.h:
            self.px[y * self.w + x] = self._c(colour)
        return self

    def rect(self, x: int, y: int, w: int, h: int, colour: str) -> Sprite:
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                self.dot(xx, yy, colour)
        return self

    def rects(self, colour: str, *rects: tuple[int, int, int, int]) -> Sprite:
        """Several rects ``(x, y, w, h)`` of one colour."""
        for x, y, w, h in rects:
            self.rect(x, y, w, h, colour)
        return self

    def frame(self, x: int, y: int, w: int, h: int, colour: str) -> Sprite:
        """The outline of a rect."""
        self.rect(x, y, w, 1, colour).rect(x, y + h - 1, w, 1, colour)
        return self.rect(x, y, 1, h, colour).rect(x + w - 1, y, 1, h, colour)

    def box(self, x: int, y: int, w: int, h: int, fill: str, edge: str = "ink") -> Sprite:
        """A filled rect with an outline."""
        return self.rect(x, y, w, h, fill).frame(x, y, w, h, edge)

    def fill(self, colour: str) -> Sprite:
        return self.rect(0, 0, self.w, self.h, colour)

    def speckle(self, colours: Sequence[str], seed: int, every: int) -> Sprite:
        """Scatter ``colours`` over about one pixel in ``every`` (a fixed hash, not random)."""
        for y in range(self.h):
            for x in range(self.w):
                h = (x * 73856093 ^ y * 19349663 ^ seed * 83492791) & 0xFFFF
                if h % every == 0:
                    self.dot(x, y, colours[(h // every) % len(colours)])
        return self

    def stamp(self, x: int, y: int, rows: Iterable[str], key: dict[str, str]) -> Sprite:
        """Draw ASCII art: each character of ``rows`` names a colour through ``key``
        ('.' and ' ' leave the pixel as it is)."""
        for dy, row in enumerate(rows):
            for dx, ch in enumerate(row):
                if ch not in ". ":
                    self.dot(x + dx, y + dy, key[ch])
        return self

    def mirrored(self) -> Sprite:
        out = Sprite(self.w, self.h, self.index)
        for y in range(self.h):
            row = self.px[y * self.w : (y + 1) * self.w]
            out.px[y * self.w : (y + 1) * self.w] = row[::-1]
        return out

    def over(self, other: Sprite) -> Sprite:
        """Draw ``other``'s opaque pixels on top of this sprite."""
        for i, p in enumerate(other.px):
            if p:
                self.px[i] = p
        return self

    def copy(self) -> Sprite:
        out = Sprite(self.w, self.h, self.index)
        out.px[:] = self.px
        return out


def sheet(sprites: Sequence[Sprite], columns: int) -> tuple[int, int, bytes]:
    """Sprites of one size laid out in rows of ``columns``: (width, height, pixels)."""
    w, h = sprites[0].w, sprites[0].h
    rows = (len(sprites) + columns - 1) // columns
    width = w * columns
    out = bytearray(width * h * rows)
    for n, s in enumerate(sprites):
        x0, y0 = (n % columns) * w, (n // columns) * h
        for y in range(h):
            start = (y0 + y) * width + x0
            out[start : start + w] = s.px[y * w : (y + 1) * w]
    return width, h * rows, bytes(out)


def rgba(pixels: bytes, palette: Sequence[tuple[int, ...]]) -> bytes:
    """Indexed pixels as RGBA bytes."""
    colours = [bytes(c) for c in palette]
    return b"".join(colours[p] for p in pixels)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png(width: int, height: int, colour_type: int, rows: bytes, extra: bytes = b"") -> bytes:
    """A PNG of 8-bit samples: ``rows`` the image's rows one after another (unfiltered),
    ``extra`` chunks to put before the image data (a palette)."""
    stride = len(rows) // height if height else 0
    raw = b"".join(b"\x00" + rows[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + extra
        + _png_chunk(b"IDAT", zlib.compress(raw, 9))
        + _png_chunk(b"IEND", b"")
    )


def png(width: int, height: int, rgba_bytes: bytes) -> bytes:
    """An 8-bit RGBA PNG (zlib + struct, no image library)."""
    return _png(width, height, 6, rgba_bytes)


def png_indexed(
    width: int, height: int, indices: bytes, palette: Sequence[tuple[int, int, int, int]]
) -> bytes:
    """An 8-bit palette PNG: one byte a pixel, indexing ``palette`` (RGBA, at most 256;
    alpha goes into a ``tRNS`` chunk where any colour is not opaque)."""
    if not 0 < len(palette) <= 256:
        raise ValueError(f"a PNG palette has 1 to 256 colours, not {len(palette)}")
    extra = _png_chunk(b"PLTE", b"".join(bytes(c[:3]) for c in palette))
    if any(c[3] != 255 for c in palette):
        extra += _png_chunk(b"tRNS", bytes(c[3] for c in palette))
    return _png(width, height, 3, indices, extra)
