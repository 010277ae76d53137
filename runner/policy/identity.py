"""Who the agent is today: the policy's revised identity at the start of a day, from the
statements it is shown (rules, no model; see :mod:`runner.policy`)."""

from __future__ import annotations

import datetime as dt
import re

from .text import DAY_NOTE, INSIGHT_MARKS, day_marks, is_news, own_thought


def revise_identity(c: dict) -> dict:
    """Today's note is the first news the agent remembers for today; the new `currently` is
    the first sentence of the old one, then that note (or how yesterday went)."""
    zh, marks = c["lang"] == "zh", day_marks(c["date"])
    texts = [s.split("：" if zh else ": ", 1)[-1] for s in c["statements"]]  # stamp off
    today = [t for t in texts if is_news(t) and any(m in t for m in marks) and not own_thought(t)]
    today.sort(key=lambda t: t.startswith(INSIGHT_MARKS))  # what was heard before conclusions
    talks = sum(t.startswith(("和", "Talked with")) for t in texts)
    if zh:
        note = today[0] if today else "照常过日子"
        feelings = f"昨天和人聊了{talks}次天，过得挺充实" if talks else "昨天过得很平常"
    else:
        note = today[0] if today else "a usual day"
        feelings = (
            f"yesterday brought {talks} conversations; a full day"
            if talks
            else "yesterday was quiet"
        )
    first = re.split(r"(?<=[。.!?！？])", c["persona"]["currently"], maxsplit=1)[0].strip()
    day = dt.date.fromisoformat(c["date"])
    if zh:
        said = DAY_NOTE[0] + note if today else "这天，" + feelings
        currently = f"{first}{day.month}月{day.day}日{said}。"
    else:
        said = DAY_NOTE[1] + note if today else ", " + feelings
        currently = f"{first} On {day:%B} {day.day}{said}."
    return {"plan_note": note, "feelings": feelings, "currently": currently}
