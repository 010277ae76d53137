"""The ``map`` payload of a replay site: the town drawn at build time at the art's own 16 pixels
a tile, as palette PNGs of ``SHEET`` x ``SHEET`` tiles (fewer at the map's right and bottom
edges, which are made up to whole chunks of ``CHUNK`` x ``CHUNK`` tiles, clear past the map).

Each tile is its ground sprite with its overlay sprite (an object, a tree) on top: an opaque
pixel replaces what is under it, a translucent one is blended over it (rounded per channel, the
result opaque), a clear one leaves it; a tile with neither stays clear. The page decodes the
sheets it shows (``createImageBitmap``, off its main thread; sheets rather than one image per
chunk, as each image costs the main thread a Blob and a call) and draws them chunk by chunk,
scaled to the zoom, instead of compositing tiles itself. The bytes travel in a data file like
all the data, so no image file is read from ``file://`` (which would taint the canvas).
"""

from __future__ import annotations

import numpy as np

from .art.pixels import png, png_indexed

CHUNK = 8  # tiles per chunk side (as town.js draws them)
SHEET = 64  # tiles per sheet side: 1024 x 1024 pixels, 4 MB decoded


def _atlas_rgba(sprites: dict) -> np.ndarray:
    """The atlas as an (h, w, 4) array of RGBA bytes."""
    atlas = sprites["atlas"]
    palette = np.frombuffer(sprites["palette"], dtype=np.uint8).reshape(-1, 4)
    pixels = np.frombuffer(atlas["pixels"], dtype=np.uint8)
    return palette[pixels].reshape(atlas["height"], atlas["width"], 4)


def _over(under: np.ndarray, sprite: np.ndarray) -> np.ndarray:
    """``sprite`` drawn over ``under`` (both (t, t, 4) uint8), by the rule in the docstring."""
    alpha = sprite[..., 3:4].astype(np.float64)
    u = under[..., :3].astype(np.float64)
    blended = np.floor(u + (sprite[..., :3] - u) * (alpha / 255) + 0.5)
    mixed = np.concatenate([blended, np.full_like(alpha, 255)], axis=-1).astype(np.uint8)
    out = np.where(alpha == 255, sprite, np.where(alpha > 0, mixed, under))
    return out.astype(np.uint8)


def compose(town: dict, sprites: dict) -> np.ndarray:
    """The whole map, (height x 16, width x 16, 4) RGBA bytes, from the ``meta`` payload's
    ``town`` (its ``ground`` and ``overlay``) and the ``sprites`` payload."""
    w, h, t = town["width"], town["height"], sprites["tile"]
    columns = sprites["atlas"]["columns"]
    atlas = _atlas_rgba(sprites)

    def sprite(i: int) -> np.ndarray:
        y, x = (i // columns) * t, (i % columns) * t
        return atlas[y : y + t, x : x + t]

    ground = np.frombuffer(town["ground"], dtype=np.uint8).astype(np.int32)
    overlay = np.frombuffer(town["overlay"], dtype=np.uint8).astype(np.int32)
    pairs, which = np.unique(ground * 256 + overlay, return_inverse=True)
    tiles = np.zeros((len(pairs), t, t, 4), dtype=np.uint8)
    for n, pair in enumerate(pairs.tolist()):
        for layer in (pair // 256, pair % 256):
            if layer:
                tiles[n] = _over(tiles[n], sprite(layer))
    grid = tiles[which.reshape(h, w)]  # (h, w, t, t, 4)
    return grid.transpose(0, 2, 1, 3, 4).reshape(h * t, w * t, 4)


def _encode(block: np.ndarray, palette: np.ndarray | None, lookup: np.ndarray | None) -> bytes:
    """One sheet as a PNG: indexed where the map has at most 256 colours, else RGBA."""
    h, w = block.shape[:2]
    if palette is None:
        return png(w, h, block.tobytes())
    words = np.ascontiguousarray(block).view(np.uint32)[..., 0]
    indices = np.searchsorted(lookup, words).astype(np.uint8)
    return png_indexed(w, h, indices.tobytes(), [tuple(c) for c in palette.tolist()])


def pack_map(town: dict, sprites: dict) -> dict:
    """The payload (see docs/replay-format.md, ``map``)."""
    tile = sprites["tile"]
    side = CHUNK * tile
    image = np.zeros(
        (-(-town["height"] // CHUNK) * side, -(-town["width"] // CHUNK) * side, 4), dtype=np.uint8
    )  # whole chunks
    drawn = compose(town, sprites)
    image[: drawn.shape[0], : drawn.shape[1]] = drawn
    lookup = np.unique(image.view(np.uint32))
    palette = lookup.view(np.uint8).reshape(-1, 4) if len(lookup) <= 256 else None
    step = SHEET * tile
    columns = -(-image.shape[1] // step)
    rows = -(-image.shape[0] // step)
    images = [
        _encode(image[r * step : (r + 1) * step, c * step : (c + 1) * step], palette, lookup)
        for r in range(rows)
        for c in range(columns)
    ]
    return {
        "chunk": CHUNK,
        "sheet": SHEET,
        "tile": tile,
        "columns": columns,
        "rows": rows,
        "images": images,
    }
