"""Character figures (20 x 25, drawn for the page's default zoom of 20 CSS pixels a tile:
there a figure is one art pixel a CSS pixel, or two device pixels on a phone, crisp rather
than scaled): four directions with a two-step walk, an idle and a sleeping pose, four hair
styles; and each agent's look (skin, hair, clothes) chosen from its name.

Pixels are *slots* (skin, hair, shirt ...), not colours: the page paints each agent's sheet
with that agent's colours, so one sheet serves every agent.
"""

from __future__ import annotations

import zlib

from .pixels import Sprite

SLOTS = ["clear", "outline", "skin", "skin_shade", "hair", "hair_shade", "shirt", "shirt_shade"]
SLOTS += ["pants", "pants_shade", "shoes", "eye", "shadow"]
SLOT = {name: i for i, name in enumerate(SLOTS)}
KEY = {"o": "outline", "s": "skin", "S": "skin_shade", "h": "hair", "H": "hair_shade"}
KEY |= {"c": "shirt", "C": "shirt_shade", "p": "pants", "P": "pants_shade", "b": "shoes"}
KEY |= {"e": "eye", "_": "shadow"}
W, H = 20, 25  # drawn for the page's default zoom: one art pixel a CSS pixel, one tile wide
FACINGS = ("down", "up", "left", "right")
POSES = ("idle", "walk_a", "walk_b")
STYLES = ("short", "long", "bun", "curly")
FRAMES = [f"{f}_{p}" for f in FACINGS for p in POSES] + ["sleep"]
BODY_Y, LEGS_Y = 13, 20  # rows where the body and the legs begin

HEAD = {
    "down": [
        "....................",
        "......oooooooo......",
        ".....ohhhhhhhho.....",
        "....ohhhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....ohssssssssho....",
        "....osssssssssso....",
        "....ossessssesso....",
        "....ossessssesso....",
        "....osssssssssso....",
        ".....osSSSSSSso.....",
        "......oooooooo......",
    ],
    "up": [
        "....................",
        "......oooooooo......",
        ".....ohhhhhhhho.....",
        "....ohhhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....ohHhhhhhhHho....",
        "....ohHHhhhhHHho....",
        "....osHHHHHHHHso....",
        ".....oSSSSSSSSo.....",
        "......oooooooo......",
    ],
    "left": [
        "....................",
        ".......ooooooo......",
        "......ohhhhhhho.....",
        ".....ohhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....ohhhhhhhhhho....",
        "....osshhhhhhhho....",
        "....ossshhhhhhho....",
        "....osesshhhhhho....",
        "....osesssshhhho....",
        "....osssssssshho....",
        ".....osSSSSSSho.....",
        "......oooooooo......",
    ],
}
BODY = {
    "front": [
        ".....occcccccco.....",
        "....oCccccccccCo....",
        "....oCccccccccCo....",
        "....oCccccccccCo....",
        "....oCccccccccCo....",
        "....osCccccccCso....",
        "....osCCCCCCCCso....",
    ],
    "side": [
        "......occcccco......",
        ".....occcCcccco.....",
        ".....occcCcccco.....",
        ".....occcCcccco.....",
        ".....occcCcccco.....",
        ".....occcscccco.....",
        ".....oCCCCCCCCo.....",
    ],
}
LEGS = {
    "front_idle": [
        ".....oppppppppo.....",
        ".....opppoopppo.....",
        ".....opppoopppo.....",
        ".....oPppooPppo.....",
        "...._obbboobbbo_....",
    ],
    "front_step": [
        ".....oppppppppo.....",
        ".....opppoopppo.....",
        ".....obbboopppo.....",
        "....._ooo.oPppo.....",
        "..........obbbo_....",
    ],
    "side_idle": [
        "......oppppo........",
        "......oppppo........",
        "......oppppo........",
        "......oPPppo........",
        "....._obbbbbo_......",
    ],
    "side_step": [
        "......oppppo........",
        ".....opppoppo.......",
        "....oppo..oppo......",
        "...oPpo....oPpo.....",
        "..obbo......obbo....",
    ],
}
# Hair beyond the short cut, per style and view (drawn over the head).
HAIR = {
    "long": {
        "down": [(3, 5, ["oh..........ho"] * 10)],
        "up": [(4, 6, ["ohhhhhhhhhho"] * 9)],
        "left": [(12, 6, ["hhhho"] * 9)],
    },
    "bun": {
        "down": [(8, 0, ["ohho"])],
        "up": [(8, 0, ["ohho"]), (8, 1, ["hHHh"])],
        "left": [(11, 0, ["ohho"])],
    },
    "curly": {
        "down": [(3, 2, ["ohhhhhhhhhhhho"] * 4 + ["oh..........ho"] * 4)],
        "up": [(3, 2, ["ohhhhhhhhhhhho"] * 8)],
        "left": [(3, 2, ["ohhhhhhhhhhhho"] * 4), (12, 6, ["hhhhho"] * 4)],
    },
}
SLEEP_Y = 4  # the sleeping figure's head is this far down (lying in bed, seen from above)
SLEEP = [
    "....................",
    "....................",
    "....................",
    "....................",
    "....................",
    "......oooooooo......",
    ".....ohhhhhhhho.....",
    "....ohhhhhhhhhho....",
    "....ohssssssssho....",
    "....osSSssssSSso....",
    "....osssssssssso....",
    ".....osssssssso.....",
    "...oCCCCCCCCCCCCo...",
    "...occcccccccccco...",
    "...occcccccccccco...",
    "...occCccccccCcco...",
    "...occcccccccccco...",
    "...occcccccccccco...",
    "...occcccccccccco...",
    "...occcccccccccco...",
    "...occcccccccccco...",
    "...occcccccccccco...",
    "...oCCCCCCCCCCCCo...",
    "....oooooooooooo....",
    "....................",
]


def _sprite() -> Sprite:
    return Sprite(W, H, SLOT)


def _standing(view: str, legs: str, style: str) -> Sprite:
    s = _sprite()
    body = "front" if view in ("down", "up") else "side"
    s.stamp(0, BODY_Y, BODY[body], KEY).stamp(0, LEGS_Y, LEGS[legs], KEY)
    s.stamp(0, 0, HEAD[view], KEY)
    for x, y, rows in HAIR.get(style, {}).get(view, []):
        s.stamp(x, y, rows, KEY)
    return s


def frames(style: str) -> list[Sprite]:
    """The sprites of :data:`FRAMES` for one hair style."""
    out = []
    for view in ("down", "up", "left"):
        kind = "front" if view != "left" else "side"
        idle = _standing(view, f"{kind}_idle", style)
        step = _standing(view, f"{kind}_step", style)
        if kind == "front":  # the other foot: mirror the legs only
            other = _standing(view, f"{kind}_idle", style)
            legs = _sprite().stamp(0, LEGS_Y, [r[::-1] for r in LEGS["front_step"]], KEY)
            other.rect(0, LEGS_Y, W, H - LEGS_Y, "clear").over(legs)
            out += [idle, step, other]
        else:
            out += [idle, step, idle.copy()]
    out += [s.mirrored() for s in out[6:9]]  # right: the left view mirrored
    sleep = _sprite().stamp(0, 0, SLEEP, KEY)
    for x, y, rows in HAIR.get(style, {}).get("down", [])[:1]:  # spread on the pillow
        sleep.stamp(x, y + SLEEP_Y, rows[:2], KEY)
    return out + [sleep]


SKIN = [(255, 224, 196), (241, 198, 156), (222, 170, 122), (194, 136, 92), (140, 90, 60)]
SKIN += [(96, 62, 44)]
HAIR_COLOURS = [(42, 32, 30), (92, 58, 38), (148, 96, 54), (222, 186, 108), (168, 64, 44)]
HAIR_COLOURS += [(128, 126, 132), (232, 230, 222), (72, 48, 110)]
SHIRTS = [(200, 68, 60), (232, 138, 58), (236, 200, 80), (88, 160, 80), (60, 150, 140)]
SHIRTS += [(110, 170, 220), (60, 100, 180), (40, 52, 96), (130, 90, 170), (230, 150, 180)]
SHIRTS += [(236, 232, 222), (120, 122, 130), (140, 96, 64), (130, 130, 60)]
PANTS = [(44, 56, 96), (70, 100, 150), (36, 36, 40), (190, 166, 120), (100, 70, 50)]
PANTS += [(104, 106, 112), (88, 96, 60)]
SHOES = [(64, 40, 30), (30, 30, 34), (220, 216, 206)]
FIXED = {"clear": (0, 0, 0, 0), "outline": (40, 32, 40, 255), "eye": (30, 26, 34, 255)}
FIXED["shadow"] = (0, 0, 0, 64)


def _shade(rgb: tuple[int, int, int], f: float = 0.78) -> tuple[int, int, int]:
    return tuple(int(c * f) for c in rgb)


def _distance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


GREY = (5, 6)  # the grey and white hair colours, for the old only
OLD = 60


def looks(names: list[str], ages: list[int | None] | None = None) -> list[dict]:
    """One look per agent: ``style`` (index into :data:`STYLES`) and ``colours`` (RGBA per
    slot). Chosen from the name (grey hair from the age of 60), distinct within ``names``
    (style, hair, shirt), hair and shirt never alike."""
    taken: set[tuple[int, int, int]] = set()
    out = []
    for name, age in zip(names, ages or [None] * len(names)):
        old = isinstance(age, int) and age >= OLD
        for attempt in range(64):
            h = _hash(name if attempt == 0 else f"{name}#{attempt}")
            pick = (h % 4, (h >> 2) % len(HAIR_COLOURS), (h >> 5) % len(SHIRTS))
            if old:
                pick = (pick[0], GREY[h % 2], pick[2])
            elif pick[1] in GREY:
                continue
            if pick not in taken and _distance(HAIR_COLOURS[pick[1]], SHIRTS[pick[2]]) > 90:
                break
        taken.add(pick)
        style, hair, shirt = pick
        skin = SKIN[(h >> 9) % len(SKIN)]
        pants = PANTS[(h >> 12) % len(PANTS)]
        colours = {
            "skin": skin,
            "skin_shade": _shade(skin, 0.86),
            "hair": HAIR_COLOURS[hair],
            "hair_shade": _shade(HAIR_COLOURS[hair]),
            "shirt": SHIRTS[shirt],
            "shirt_shade": _shade(SHIRTS[shirt]),
            "pants": pants,
            "pants_shade": _shade(pants),
            "shoes": SHOES[(h >> 15) % len(SHOES)],
        }
        rgba = [FIXED.get(slot) or (*colours[slot], 255) for slot in SLOTS]
        out.append({"style": style, "colours": rgba})
    return out
