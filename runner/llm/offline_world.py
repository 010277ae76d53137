"""The offline policy's answers about the world (rule-based, not a model): what an object is
doing while it is used, and whether to wait for a taken object or use another."""

from __future__ import annotations

from .offline_rules import OBJECT_RULES
from .offline_text import score

SLEEP_WORDS = ("睡", "sleep", "nap")

# (words in the object's name, its state in zh, in en): what the object is doing while used.
OBJECT_STATES: list[tuple[tuple[str, ...], str, str]] = [
    (("咖啡机", "coffee"), "煮咖啡", "brewing coffee"),
    (("洗手池", "水槽", "sink"), "流着水", "running water"),
    (("淋浴", "shower", "浴缸", "bath"), "哗哗地放着热水", "running hot water"),
    (("灶台", "炉", "stove", "kitchen"), "烧着火", "heating up"),
    (("烤箱", "oven"), "烤着点心", "baking"),
    (("冰箱", "冷柜", "fridge", "refrigerator", "freezer"), "开着门", "standing open"),
    (("电脑", "computer"), "开着", "switched on"),
    (("电视", "tv", "television"), "播放节目", "showing a programme"),
    (("钢琴", "piano"), "被人弹奏", "being played"),
    (("画架", "easel"), "架着一幅画", "holding a painting"),
    (("点唱机", "jukebox"), "放着音乐", "playing music"),
    (("收银台", "register"), "在结账", "ringing up a sale"),
    (("书架", "货架", "shelf", "shelves"), "被人翻找", "being browsed"),
    (("黑板", "blackboard", "whiteboard"), "写满了板书", "covered in writing"),
    (("讲台", "lectern", "podium"), "有人在讲课", "in use for a lecture"),
    (("钓鱼台", "fishing"), "有人在钓鱼", "in use for fishing"),
    (("花坛", "花盆", "flower", "garden"), "被人照料", "being tended"),
    (("书桌", "阅览桌", "课桌", "desk"), "摊着书本", "covered in books and papers"),
    (("桌", "table", "吧台", "counter"), "摆着东西", "set with things"),
    (("沙发", "长椅", "椅", "座位", "sofa", "bench", "chair", "seat"), "有人坐着", "being sat on"),
]  # fmt: skip
BED_STATE = ("被人睡着", "being slept in")
ON_BED = ("有人躺着", "being lain on")
ANY_STATE = ("被使用", "in use")


def object_state(obj: str, action: str, zh: bool) -> str:
    """What ``obj`` is doing while used for ``action``, by its name (a bed slept in)."""
    name, text = obj.lower(), action.lower()
    if "床" in name or "bed" in name:
        pair = BED_STATE if any(w in text for w in SLEEP_WORDS) else ON_BED
    else:
        pair = next(
            ((z, e) for words, z, e in OBJECT_STATES if any(w in name for w in words)), ANY_STATE
        )
    return pair[0] if zh else pair[1]


def object_default(action: str, options: list[str], default: str) -> str:
    """The fail-safe object, but not a bed for an action that is not sleep."""
    if any(w in action.lower() for w in SLEEP_WORDS) or not any(
        w in default for w in ("床", "bed")
    ):
        return default
    return next((o for o in options if "床" not in o and "bed" not in o.lower()), default)


SEATS = ("桌", "椅", "沙发", "座", "凳", "table", "chair", "sofa", "bench", "seat", "stool")


def _seat(name: str) -> bool:
    return any(w in name.lower() for w in SEATS)


def wait_or_switch(action: str, obj: str, options: list[str]) -> str:
    """Another free object the action points to (by the object rules), or any free seat when
    the taken object is one (a table, a sofa); else wait (the first option: a bed, a shower)."""
    scores = [(score(action, o, OBJECT_RULES), o) for o in options[1:]]
    best = max(scores, default=(0, options[0]))
    if best[0] > 0:
        return best[1]
    seats = [o for o in options[1:] if _seat(o)]
    return seats[0] if seats and _seat(obj) else options[0]
