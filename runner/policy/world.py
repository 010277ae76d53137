"""Objects: which one an action uses, what the object is doing while used, the action's emoji,
and whether to wait for a taken object or use another (rules of ``data/objects.yaml``)."""

from __future__ import annotations

from .tables import pair, rules, table, words
from .text import pick, poignancy, score

OBJECT_RULES = rules("objects", "objects")
# (words of an object's name, its state in zh, in en): what the object is doing while used
OBJECT_STATES = [(tuple(e["names"]), e["zh"], e["en"]) for e in table("objects")["states"]]
BED_SLEPT_IN = pair(table("objects")["bed_slept_in"])
BED_LAIN_ON = pair(table("objects")["bed_lain_on"])
IN_USE = pair(table("objects")["in_use"])
EMOJI = [(tuple(e["words"]), e["emoji"]) for e in table("objects")["emoji"]]
SEATS = words("objects", "seats")
# lying down on a bed, a night's sleep and a nap alike: not the agent's night sleep
# (runner.agent), which a nap is not
RESTING_WORDS = words("objects", "resting_words")


def lies_down(action: str) -> bool:
    """Whether ``action`` is one a bed is for (sleep, a nap)."""
    return any(w in action.lower() for w in RESTING_WORDS)


def _bed(name: str) -> bool:
    return "床" in name or "bed" in name.lower()


def object_state(obj: str, action: str, zh: bool) -> str:
    """What ``obj`` is doing while used for ``action``, by its name (a bed slept in)."""
    name = obj.lower()
    if _bed(name):
        state = BED_SLEPT_IN if lies_down(action) else BED_LAIN_ON
    else:
        state = next(
            ((z, e) for names, z, e in OBJECT_STATES if any(w in name for w in names)), IN_USE
        )
    return state[0] if zh else state[1]


def object_default(action: str, options: list[str], default: str) -> str:
    """The fail-safe object, but not a bed for an action that is not lying down."""
    if lies_down(action) or not any(w in default for w in ("床", "bed")):
        return default
    return next((o for o in options if not _bed(o)), default)


def action_details(c: dict) -> dict:
    """The object the action points to, its emoji and state, the action's importance."""
    text = c["action"].lower()
    emoji = next((e for keys, e in EMOJI if any(k in text for k in keys)), "🙂")
    zh = c["lang"] == "zh"
    default = object_default(c["action"], c["options"], c["default"])
    obj = pick(c["action"], c["options"], OBJECT_RULES, c["name"], default)
    return {
        "choice": obj,
        "emoji": emoji,
        "predicate": "正在" if zh else "is",
        "object": c["action"],
        "object_state": object_state(obj, c["action"], zh),
        "importance": poignancy("event", c["action"]),
    }


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
