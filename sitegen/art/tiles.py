"""Ground tiles (16 x 16): streets, grass, paths, water, bridges, walls, doors, floors, trees.

Each function draws one tile; :data:`TILES` lists them by name in atlas order. Variants that
differ only in pattern take a ``seed``.
"""

from __future__ import annotations

from collections.abc import Callable

from .pixels import Sprite


def road(seed: int) -> Sprite:
    """Cobblestones in offset rows."""
    s = Sprite().fill("stone")
    for band in range(4):
        y = band * 4 + 3
        s.rect(0, y, 16, 1, "stone_seam")
        for x in range((band * 3 + seed * 2) % 5, 16, 5):
            s.rect(x, y - 3, 1, 3, "stone_seam")
    return s.speckle(["stone_light"], seed + 11, 13)


def grass(seed: int) -> Sprite:
    s = Sprite().fill("grass").speckle(["grass_light", "grass_dark"], seed, 7)
    for k in range(3):  # a few blades
        x, y = (seed * 5 + k * 6) % 14 + 1, (seed * 3 + k * 5) % 12 + 2
        s.dot(x, y, "grass_dark").dot(x, y - 1, "grass_dark").dot(x + 1, y - 2, "grass_light")
    return s


def lawn(seed: int) -> Sprite:
    """Park lawn: lighter grass with a few flowers."""
    s = Sprite().fill("grass_light").speckle(["grass"], seed, 6)
    for k, colour in enumerate(("yellow", "white")):
        s.dot((seed * 7 + k * 9) % 15, (seed * 5 + k * 7) % 15, colour)
    return s


def path() -> Sprite:
    return Sprite().fill("dirt").speckle(["dirt_dark", "dirt_light"], 5, 6)


def paving() -> Sprite:
    s = Sprite().fill("stone_light")
    s.rect(0, 7, 16, 1, "stone").rect(0, 15, 16, 1, "stone")
    s.rect(7, 0, 1, 7, "stone").rect(15, 8, 1, 7, "stone")
    return s.speckle(["white"], 3, 13)


def water(edge: bool) -> Sprite:
    s = Sprite().fill("water").speckle(["water_deep"], 9, 11)
    for x, y in ((2, 5), (9, 10), (11, 3)):
        s.rect(x, y, 3, 1, "water_light")
    if edge:  # the bank above
        s.rect(0, 0, 16, 2, "dirt_light").rect(0, 2, 16, 1, "water_light")
    return s


def bridge(rail: str) -> Sprite:
    """Planks running across; a rail on the side given ('w', 'e', 'n', 's' or '')."""
    s = Sprite().fill("wood_light")
    for y in (3, 7, 11, 15):
        s.rect(0, y, 16, 1, "wood")
    s.dot(3, 1, "wood_dark").dot(12, 5, "wood_dark").dot(6, 9, "wood_dark").dot(10, 13, "wood_dark")
    if rail == "w":
        s.rect(0, 0, 2, 16, "wood_dark").rect(2, 0, 1, 16, "wood")
    elif rail == "e":
        s.rect(14, 0, 2, 16, "wood_dark").rect(13, 0, 1, 16, "wood")
    elif rail == "n":
        s.rect(0, 0, 16, 2, "wood_dark")
    elif rail == "s":
        s.rect(0, 14, 16, 2, "wood_dark")
    return s


def wall_top() -> Sprite:
    s = Sprite().fill("plaster").speckle(["plaster_shade"], 4, 10)
    return s.rect(0, 15, 16, 1, "plaster_shade")


def wall_face(window: bool) -> Sprite:
    """The front of a wall seen from the south: a plaster top, then brick."""
    s = Sprite().fill("brick").rect(0, 0, 16, 3, "plaster").rect(0, 3, 16, 1, "plaster_shade")
    for row, y in enumerate(range(4, 16, 3)):
        s.rect(0, y + 2, 16, 1, "brick_dark")
        for x in range(row % 2 * 4, 16, 8):
            s.rect(x, y, 1, 2, "brick_dark")
    s.speckle(["brick_light"], 2, 17)
    if window:
        s.box(3, 5, 10, 8, "glass", "wood_dark").rect(8, 6, 1, 6, "wood_dark")
        s.rect(4, 9, 4, 1, "wood_dark").rect(9, 9, 3, 1, "wood_dark").dot(4, 6, "white")
    return s


def window_lit() -> Sprite:
    """Drawn over a window at night: warm light behind the panes."""
    s = Sprite().rect(2, 4, 12, 10, "glow")
    s.box(3, 5, 10, 8, "glass_lit", "wood_dark").rect(8, 6, 1, 6, "wood_dark")
    return s.rect(4, 9, 4, 1, "wood_dark").rect(9, 9, 3, 1, "wood_dark")


def door() -> Sprite:
    s = Sprite().fill("wood_dark")
    s.rect(2, 0, 12, 16, "wood").rect(3, 2, 10, 12, "wood_light")
    return s.rect(4, 13, 8, 2, "red").rect(4, 13, 8, 1, "orange")


def planks(light: str, dark: str, seed: int) -> Sprite:
    s = Sprite().fill(light)
    for y in (3, 7, 11, 15):
        s.rect(0, y, 16, 1, dark)
        x = (y * 5 + seed * 3) % 16
        s.rect(x, y - 3, 1, 3, dark)
    return s.speckle([dark], seed + 7, 23)


def checker(a: str, b: str, size: int) -> Sprite:
    s = Sprite().fill(a)
    for y in range(0, 16, size):
        for x in range(0, 16, size):
            if (x // size + y // size) % 2:
                s.rect(x, y, size, size, b)
    return s


def carpet(base: str, edge: str) -> Sprite:
    s = Sprite().fill(base)
    for y in range(1, 16, 4):
        for x in range(1 + y % 8 // 4 * 2, 16, 4):
            s.dot(x, y, edge)
    return s


def stone_floor() -> Sprite:
    s = Sprite().fill("stone_light").speckle(["white"], 8, 9)
    return s.rect(0, 15, 16, 1, "stone").rect(15, 0, 1, 16, "stone")


def tree() -> Sprite:
    """A round tree over grass (an overlay: its corners stay clear)."""
    s = Sprite()
    s.rect(3, 14, 10, 2, "shadow").rect(7, 10, 2, 5, "wood_dark")
    rows = [
        "....kkkkkk....",
        "..kkLLLLLLkk..",
        ".kLLLlLLLLLLk.",
        ".kLlllLLLlLLk.",
        "kLLLLLLLLLllLk",
        "kLLLlLLLLLLLLk",
        "kLLLLLLlLLLLdk",
        ".kLLLLLLLLLdk.",
        ".kkdLLLLLddkk.",
        "...kkddddkk...",
        ".....kkkk.....",
    ]
    return s.stamp(
        1, 0, rows, {"k": "leaf_dark", "L": "leaf", "l": "grass_light", "d": "leaf_dark"}
    )


TILES: dict[str, Callable[[], Sprite]] = {
    "road": lambda: road(0),
    "road2": lambda: road(1),
    "grass": lambda: grass(1),
    "grass2": lambda: grass(2),
    "grass3": lambda: grass(3),
    "lawn": lambda: lawn(1),
    "lawn2": lambda: lawn(2),
    "path": path,
    "paving": paving,
    "water": lambda: water(False),
    "water_edge": lambda: water(True),
    "bridge": lambda: bridge(""),
    "bridge_w": lambda: bridge("w"),
    "bridge_e": lambda: bridge("e"),
    "bridge_n": lambda: bridge("n"),
    "bridge_s": lambda: bridge("s"),
    "wall_top": wall_top,
    "wall_face": lambda: wall_face(False),
    "wall_window": lambda: wall_face(True),
    "window_lit": window_lit,
    "door": door,
    "floor_wood": lambda: planks("wood_light", "wood", 1),
    "floor_wood_dark": lambda: planks("wood", "wood_dark", 2),
    "floor_tiles": lambda: checker("tile_white", "tile_blue", 4),
    "floor_kitchen": lambda: checker("tile_white", "grey_light", 8),
    "floor_rose": lambda: carpet("rose_light", "rose"),
    "floor_teal": lambda: carpet("teal_light", "teal"),
    "floor_ochre": lambda: carpet("ochre_light", "ochre"),
    "floor_stone": stone_floor,
    "tree": tree,
}
