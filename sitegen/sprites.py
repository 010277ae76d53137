"""The ``sprites`` payload of a replay site: every tile, object sprite, in-use mark and figure,
drawn by code in :mod:`sitegen.art` and packed as palette-indexed pixels.

The page turns these into canvases itself (no image files: an image loaded from ``file://``
would taint the canvas). ``python -m sitegen.sprites OUT.png`` writes the whole art as one PNG
sheet, to look at it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .art import effects, figures, objects, tiles
from .art.pixels import COLOURS, Sprite, png, rgba, sheet

TILE = 16
ATLAS_COLUMNS = 16
EMPTY = "empty"  # atlas index 0: nothing


def atlas_names() -> list[str]:
    """Atlas order: empty, ground tiles, object sprites, in-use marks (two frames each)."""
    names = [EMPTY, *tiles.TILES, *(f"obj_{k}" for k in objects.OBJECTS)]
    for name in effects.EFFECTS:
        names += [f"fx_{name}_0", f"fx_{name}_1"]
    return names


ATLAS = {name: i for i, name in enumerate(atlas_names())}


def _atlas_sprites() -> list[Sprite]:
    out = [Sprite()]
    out += [draw() for draw in tiles.TILES.values()]
    out += [draw() for draw in objects.OBJECTS.values()]
    for frame0, frame1, _ in effects.EFFECTS.values():
        out += [frame0, frame1]
    return out


def _figure_sprites() -> list[Sprite]:
    return [s for style in figures.STYLES for s in figures.frames(style)]


def pack_sprites() -> dict:
    """The payload (see docs/replay-format.md, ``sprites``)."""
    width, height, pixels = sheet(_atlas_sprites(), ATLAS_COLUMNS)
    fig_w, fig_h, fig_pixels = sheet(_figure_sprites(), len(figures.FRAMES))
    return {
        "tile": TILE,
        "palette": b"".join(bytes(c) for c in COLOURS.values()),
        "atlas": {
            "names": atlas_names(),
            "columns": ATLAS_COLUMNS,
            "width": width,
            "height": height,
            "pixels": pixels,
        },
        "effects": {
            name: [ATLAS[f"fx_{name}_0"], ATLAS[f"fx_{name}_1"], dy]
            for name, (_, _, dy) in effects.EFFECTS.items()
        },
        "figures": {
            "width": figures.W,
            "height": figures.H,
            "frames": figures.FRAMES,
            "styles": list(figures.STYLES),
            "width_px": fig_w,
            "height_px": fig_h,
            "pixels": fig_pixels,
        },
    }


def preview(path: Path, scale: int = 3) -> None:
    """Write the atlas and the figures in four sample looks as one PNG, ``scale`` times."""
    blocks = [(*sheet(_atlas_sprites(), ATLAS_COLUMNS), list(COLOURS.values()))]
    for look in figures.looks([f"sample {k}" for k in range(4)]):
        style_frames = figures.frames(figures.STYLES[look["style"]])
        blocks.append((*sheet(style_frames, len(style_frames)), look["colours"]))
    total_w = max(b[0] for b in blocks) * scale
    out = bytearray()
    for w, h, pixels, palette in blocks:
        image = rgba(pixels, palette)
        for y in range(h):
            row = image[y * w * 4 : (y + 1) * w * 4]
            row = b"".join(row[i : i + 4] * scale for i in range(0, len(row), 4))
            out += (row + bytes(total_w * 4 - len(row))) * scale
    path.write_bytes(png(total_w, len(out) // (total_w * 4), bytes(out)))


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the replay art as one PNG sheet.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=3)
    args = parser.parse_args()
    preview(args.out, args.scale)
    print(f"{args.out}: {len(ATLAS)} atlas sprites, {len(figures.FRAMES)} figure frames")


if __name__ == "__main__":
    main()
