"""Where an action goes: the sector (a café, a park, home) and the arena in it (the kitchen,
the reading room), from the words of the action and the rules of ``data/places.yaml``."""

from __future__ import annotations

from .tables import rules, table
from .text import pick, score

# a word of the action or its task -> the kind of sector it points to
SECTOR_KINDS = [(tuple(e["words"]), e["kind"]) for e in table("places")["sector_kinds"]]
ARENA_RULES = rules("places", "arenas")


def action_sector(c: dict) -> dict:
    """The option the action's words point to (its name, then its kind); the default where
    nothing points anywhere or the default is among the best."""
    text = f"{c['action']} {c['task']}"
    kinds = c["kinds"]
    scores = {o: score(text, o, []) for o in c["options"]}
    for keywords, kind in SECTOR_KINDS:
        if any(k in text.lower() for k in keywords):
            for o in c["options"]:
                scores[o] += 3 if kinds.get(o) == kind else 0
    top = max(scores.values())
    best = [o for o in c["options"] if scores[o] == top]
    choice = c["default"] if top == 0 or c["default"] in best else best[0]
    return {"choice": choice}


def action_arena(c: dict) -> dict:
    text = f"{c['action']} {c['task']}"
    return {"choice": pick(text, c["options"], ARENA_RULES, c["name"], c["default"])}
