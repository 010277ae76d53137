"""How a long task divides into steps of 15-30 minutes (``task_decomp``), by what the task is
about: the decompositions of ``data/subtasks.yaml``."""

from __future__ import annotations

from .tables import table, words
from .text import unit_hash

# kinds of place whose work task (在X工作 / work at X) is matched by X's kind; an entry whose
# words are all such kinds is for work tasks only ("have lunch at Hobbs Cafe" is no shift there)
SHIFT_KINDS = frozenset(words("subtasks", "shift_kinds"))
# (words of the task, zh steps, en steps), the first match counts
DECOMPOSITIONS = [
    (tuple(e["words"]), tuple(e["zh"]), tuple(e["en"])) for e in table("subtasks")["decompositions"]
]


def task_decomp(c: dict, seed: int) -> dict:
    """The task's steps in turn, each a hashed 15-30 minutes, until its minutes are spent; a
    task of no known kind stays one action."""
    zh = c["lang"] == "zh"
    steps: tuple[str, ...] = (c["task"],)
    task = c["task"].lower()
    work = "工作" in task or "work at" in task
    if work:
        task = " ".join(kind for place, kind in c["places"].items() if place.lower() in task)
    for keywords, zh_steps, en_steps in DECOMPOSITIONS:
        if any(k in task for k in keywords) and (work or not set(keywords) <= SHIFT_KINDS):
            steps = zh_steps if zh else en_steps
            break
    else:  # nothing to divide it into: one action, not the same one placed again and again
        return {"subtasks": [{"action": c["task"], "minutes": c["minutes"]}]}
    out, left, i = [], c["minutes"], 0
    while left > 0:
        minutes = min(left, 15 + 5 * int(unit_hash(seed, c["name"], c["task"], i) * 4))
        out.append({"action": steps[i % len(steps)], "minutes": minutes})
        left -= minutes
        i += 1
    return {"subtasks": out}
