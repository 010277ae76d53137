"""Game-object sprites (16 x 16, drawn over the floor), the kind of an object from its names,
and the effect drawn over an object while somebody uses it."""

from __future__ import annotations

import re
from collections.abc import Callable

from .pixels import Sprite

# (kind, pattern over the object's names in both languages): the first match wins, so the
# more specific names come first ("flower bed" is flowers, "computer desk" a computer).
KIND_RULES = [
    ("register", r"cash register|register|收银"),
    ("coffee", r"coffee|咖啡"),
    ("computer", r"computer|laptop|console|电脑|游戏机"),
    ("tv", r"\btv\b|television|电视"),
    ("piano", r"piano|钢琴"),
    ("music", r"jukebox|microphone|guitar|harp|点唱机|麦克风|吉他|竖琴"),
    ("easel", r"easel|画架"),
    ("board", r"blackboard|whiteboard|notice board|黑板|白板|公告|布告"),
    ("lectern", r"lectern|podium|讲台"),
    ("pool", r"pool table|台球"),
    ("flowers", r"flower|garden|花"),
    ("bed", r"\bbed\b|床"),
    ("sofa", r"sofa|couch|沙发"),
    ("toilet", r"toilet|马桶|厕"),
    ("sink", r"sink|水槽|洗手|水池"),
    ("shower", r"shower|bath|淋浴|浴"),
    ("fridge", r"fridge|refrigerator|freezer|冰箱|冷柜"),
    ("stove", r"stove|oven|cook|toaster|grill|灶|炉|烤"),
    ("cabinet", r"medicine|cabinet|药柜"),
    ("shelf", r"shelf|bookcase|书架|货架|架"),
    ("closet", r"closet|wardrobe|衣柜"),
    ("chair", r"chair|bench|seat|stool|椅|凳|座"),
    ("counter", r"counter|\bbar\b|柜台|吧台"),
    ("desk", r"desk|书桌|课桌"),
    ("table", r"table|桌"),
    ("fountain", r"fountain|喷泉"),
    ("fishing", r"fishing|钓"),
    ("crates", r"crate|box|storage|箱"),
    ("weights", r"weight|哑铃|杠铃"),
]
_RULES = [(kind, re.compile(pattern, re.I)) for kind, pattern in KIND_RULES]

# What is drawn above an object in use (see effects.py); kinds not listed get "sparkle".
KIND_EFFECT = {
    "coffee": "steam",
    "stove": "steam",
    "computer": "screen",
    "tv": "screen",
    "piano": "notes",
    "music": "notes",
    "shower": "drops",
    "sink": "drops",
    "bed": "zz",
    "sofa": "zz",
}


def object_kind(*names: str) -> str:
    """The sprite kind of an object from its names (either language), "thing" if unknown."""
    text = " ".join(n for n in names if n)
    return next((kind for kind, rule in _RULES if rule.search(text)), "thing")


def bed(head: bool) -> Sprite:
    s = Sprite().rect(1, 0, 14, 16, "wood_dark").rect(2, 0 if not head else 3, 12, 16, "blue")
    if head:
        s.rect(1, 0, 14, 3, "wood").box(3, 3, 10, 5, "white", "grey_light")
        s.rect(2, 9, 12, 1, "white")
    else:
        s.rect(2, 4, 12, 1, "water_light").rect(1, 14, 14, 2, "wood")
    return s


def desk() -> Sprite:
    s = Sprite().rect(1, 12, 2, 4, "wood_dark").rect(13, 12, 2, 4, "wood_dark")
    s.box(0, 3, 16, 10, "wood_light", "wood_dark")
    return s.box(3, 5, 5, 4, "white", "grey_light").rect(10, 5, 3, 2, "ochre")


def closet() -> Sprite:
    s = Sprite().box(2, 0, 12, 16, "wood", "wood_dark").rect(8, 1, 1, 14, "wood_dark")
    return s.dot(6, 8, "yellow").dot(10, 8, "yellow").rect(3, 1, 10, 1, "wood_light")


def shelf() -> Sprite:
    s = Sprite().box(1, 0, 14, 16, "wood_dark", "brown_dark")
    books = ("red", "blue", "ochre", "leaf", "purple", "cream")
    for row, y in enumerate((1, 6, 11)):
        s.rect(2, y + 4, 12, 1, "wood")
        for k in range(6):
            s.rect(2 + k * 2, y + (k + row) % 2, 2, 4 - (k + row) % 2, books[(k + row * 2) % 6])
    return s


def fridge() -> Sprite:
    s = Sprite().box(3, 0, 10, 16, "steel_light", "steel_dark").rect(4, 6, 8, 1, "steel")
    return s.rect(10, 2, 1, 3, "steel_dark").rect(10, 8, 1, 5, "steel_dark").dot(5, 2, "white")


def stove() -> Sprite:
    s = Sprite().box(1, 2, 14, 14, "steel", "steel_dark").rect(2, 3, 12, 6, "grey_dark")
    for x, y in ((3, 4), (9, 4)):
        s.frame(x, y, 4, 4, "black")
    return s.box(4, 11, 8, 4, "ink", "steel_dark").rect(5, 12, 6, 1, "orange")


def sink() -> Sprite:
    s = (
        Sprite()
        .box(1, 3, 14, 13, "grey_light", "steel_dark")
        .box(4, 6, 8, 6, "steel", "steel_dark")
    )
    return s.rect(7, 3, 2, 3, "steel_dark").rect(5, 7, 6, 3, "water_light")


def shower() -> Sprite:
    s = Sprite().box(1, 1, 14, 14, "tile_blue", "steel_dark").rect(2, 2, 12, 1, "white")
    s.rect(6, 1, 4, 2, "steel_dark").rect(7, 3, 2, 1, "steel")
    return s.frame(6, 9, 4, 4, "steel").dot(7, 10, "steel_dark").dot(8, 11, "steel_dark")


def toilet() -> Sprite:
    s = Sprite().box(4, 1, 8, 5, "white", "grey").box(3, 6, 10, 9, "white", "grey")
    return s.rect(5, 8, 6, 5, "tile_blue").rect(7, 2, 2, 1, "steel")


def table() -> Sprite:
    s = Sprite().rect(1, 11, 2, 5, "wood_dark").rect(13, 11, 2, 5, "wood_dark")
    return (
        s.rect(0, 3, 16, 9, "wood").rect(0, 3, 16, 1, "wood_light").rect(0, 11, 16, 1, "wood_dark")
    )


def chair() -> Sprite:
    s = Sprite().box(3, 2, 10, 5, "wood", "wood_dark").box(3, 7, 10, 5, "wood_light", "wood_dark")
    return s.rect(3, 12, 2, 3, "wood_dark").rect(11, 12, 2, 3, "wood_dark")


def sofa() -> Sprite:
    s = Sprite().box(0, 2, 16, 7, "teal", "ink").box(0, 7, 16, 8, "teal_light", "ink")
    return s.rect(7, 8, 1, 6, "teal").rect(0, 6, 2, 9, "teal").rect(14, 6, 2, 9, "teal")


def counter() -> Sprite:
    s = Sprite().rect(0, 2, 16, 5, "wood_light").rect(0, 2, 16, 1, "cream")
    return s.rect(0, 7, 16, 9, "wood_dark").rect(0, 10, 16, 1, "wood").rect(0, 13, 16, 1, "wood")


def register() -> Sprite:
    s = counter().box(3, 0, 10, 6, "grey_dark", "ink").rect(4, 1, 8, 2, "teal_light")
    return s.rect(4, 4, 2, 1, "white").rect(7, 4, 2, 1, "white").rect(10, 4, 2, 1, "red")


def coffee() -> Sprite:
    s = counter().box(3, 0, 9, 7, "steel_dark", "ink").rect(4, 1, 7, 2, "steel")
    return s.dot(10, 1, "red").rect(6, 4, 3, 2, "white").dot(7, 5, "brown_dark")


def piano() -> Sprite:
    s = Sprite().box(0, 1, 16, 10, "black", "ink").rect(1, 2, 14, 2, "grey_dark")
    s.rect(0, 11, 16, 4, "white").frame(0, 10, 16, 6, "ink")
    for x in range(2, 15, 2):
        s.rect(x, 11, 1, 2, "ink")
    return s


def easel() -> Sprite:
    s = Sprite().rects("wood_dark", (3, 8, 1, 8), (12, 8, 1, 8)).rect(7, 1, 2, 14, "wood")
    s.box(2, 1, 12, 9, "white", "wood_dark")
    return s.rect(4, 3, 3, 3, "red").rect(8, 5, 4, 3, "blue").rect(6, 6, 2, 2, "yellow")


def board() -> Sprite:
    s = Sprite().box(0, 1, 16, 11, "leaf_dark", "wood").rect(2, 4, 8, 1, "white")
    return (
        s.rect(2, 7, 11, 1, "white").rect(3, 12, 1, 4, "wood_dark").rect(12, 12, 1, 4, "wood_dark")
    )


def computer() -> Sprite:
    s = desk().box(4, 0, 9, 7, "ink", "ink").rect(5, 1, 7, 5, "glass")
    return s.rect(7, 7, 3, 1, "grey").rect(4, 9, 8, 2, "grey_light")


def tv() -> Sprite:
    s = Sprite().box(0, 9, 16, 7, "wood", "wood_dark").box(1, 0, 14, 9, "ink", "ink")
    return s.rect(2, 1, 12, 7, "glass").rect(7, 8, 2, 1, "grey")


def lectern() -> Sprite:
    s = Sprite().rect(4, 4, 8, 12, "wood").frame(4, 4, 8, 12, "wood_dark")
    return s.box(2, 1, 12, 4, "wood_light", "wood_dark").rect(5, 2, 6, 1, "white")


def music() -> Sprite:
    """A jukebox."""
    s = Sprite().box(2, 1, 12, 15, "red", "ink").box(4, 3, 8, 6, "yellow", "orange")
    return s.rect(4, 10, 8, 1, "orange").rect(4, 12, 8, 1, "orange").rect(6, 4, 4, 2, "white")


def pool() -> Sprite:
    s = Sprite().box(0, 1, 16, 14, "wood_dark", "ink").rect(2, 3, 12, 10, "leaf")
    for x, y in ((1, 2), (14, 2), (1, 13), (14, 13)):
        s.dot(x, y, "black")
    return s.dot(6, 7, "white").dot(10, 8, "red")


def flowers() -> Sprite:
    s = Sprite().box(0, 4, 16, 12, "dirt_dark", "wood_dark")
    for k in range(8):
        x, y = 2 + (k * 5) % 12, 5 + (k * 3) % 8
        s.dot(x, y + 1, "leaf").rect(x, y, 2, 1, ("red", "yellow", "pink", "purple")[k % 4])
    return s


def fountain() -> Sprite:
    s = Sprite().box(0, 3, 16, 12, "stone", "stone_dark").rect(2, 5, 12, 8, "water")
    s.rect(7, 2, 2, 8, "stone_light")
    return s.rects("water_light", (4, 6, 2, 1), (10, 10, 2, 1))


def fishing() -> Sprite:
    s = Sprite().rect(0, 8, 16, 8, "wood")
    s.rect(0, 8, 16, 1, "wood_light").rect(0, 12, 16, 1, "wood_dark")
    for k in range(8):
        s.dot(12 - k, k, "wood_dark")
    return s.rect(4, 13, 3, 2, "teal").dot(5, 12, "ink")


def crates() -> Sprite:
    s = Sprite().box(1, 6, 8, 9, "wood_light", "wood_dark").box(7, 2, 8, 8, "wood", "wood_dark")
    return s.rect(2, 10, 6, 1, "wood_dark").rect(8, 5, 6, 1, "wood_dark")


def weights() -> Sprite:
    s = Sprite().rect(1, 7, 14, 2, "steel")
    return s.box(2, 4, 3, 8, "black", "ink").box(11, 4, 3, 8, "black", "ink")


def cabinet() -> Sprite:
    s = Sprite().box(2, 0, 12, 16, "white", "grey").rect(8, 1, 1, 14, "grey")
    return s.rects("red", (4, 5, 3, 1), (5, 4, 1, 3), (10, 5, 3, 1), (11, 4, 1, 3))


def thing() -> Sprite:
    """Any object of a kind not drawn here: a small chest."""
    s = Sprite().box(2, 5, 12, 10, "wood", "wood_dark").rect(2, 8, 12, 1, "wood_dark")
    return s.rect(7, 7, 2, 3, "yellow")


OBJECTS: dict[str, Callable[[], Sprite]] = {
    "bed_head": lambda: bed(True),
    "bed": lambda: bed(False),
    "desk": desk,
    "closet": closet,
    "shelf": shelf,
    "fridge": fridge,
    "stove": stove,
    "sink": sink,
    "shower": shower,
    "toilet": toilet,
    "table": table,
    "chair": chair,
    "sofa": sofa,
    "counter": counter,
    "register": register,
    "coffee": coffee,
    "piano": piano,
    "easel": easel,
    "board": board,
    "computer": computer,
    "tv": tv,
    "lectern": lectern,
    "music": music,
    "pool": pool,
    "flowers": flowers,
    "fountain": fountain,
    "fishing": fishing,
    "crates": crates,
    "weights": weights,
    "cabinet": cabinet,
    "thing": thing,
}
