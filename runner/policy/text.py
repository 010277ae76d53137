"""What the policy reads from text, shared by its parts: the persona's own words, news and
thoughts in memories, the importance of a memory, the option a text points to, a fixed hash
in place of chance. Rules and word lists, no model (see :mod:`runner.policy`)."""

from __future__ import annotations

import datetime as dt
import hashlib

from .tables import Rule, words


def unit_hash(*keys: object) -> float:
    """A number in [0, 1) fixed by ``keys``."""
    digest = hashlib.blake2b("|".join(map(str, keys)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


# how the revised `currently` adds the day's note (see runner.policy.identity)
DAY_NOTE = ("这天，记着：", ", in mind: ")


def persona_text(p: dict) -> str:
    """The persona's own words: a day's note in a revised `currently` (news heard) is not
    its own, so the pastimes and work read from it stay."""
    currently = str(p.get("currently") or "")
    for mark in DAY_NOTE:
        currently = currently.split(mark, 1)[0]
    parts = (p.get("innate"), p.get("learned"), currently, p.get("lifestyle"))
    return " ".join(str(x or "") for x in (*parts, p.get("daily_requirement")))


def day_marks(date: str) -> tuple[str, ...]:
    """How a memory may name the day ``date``: '2月14日', 'February 14', 'Feb 14'."""
    day = dt.date.fromisoformat(date)
    return f"{day.month}月{day.day}日", day.strftime("%B ") + str(day.day), f"Feb {day.day}"


NEWS_WORDS = words("words", "news")


def is_news(text: str) -> bool:
    return any(k in text.lower() for k in NEWS_WORDS)


def poignancy(kind: str, description: str) -> int:
    """The rule's importance of a memory: news 8, sleep 1, a talk or a thought 5, else 3."""
    if is_news(description):
        return 8
    if any(k in description.lower() for k in ("睡", "sleep")):
        return 1
    return {"chat": 5, "thought": 5}.get(kind, 3)


# how the policy's own insights begin (runner.policy.reflect): conclusions, not news heard
INSIGHT_MARKS = ("这件事很重要", "我最近", "This matters", "I keep", "Lately")
# an agent's own thoughts on its plans and talks: not news to pass on as it stands
THOUGHT_MARKS = (
    "为今后的打算",
    "想记住的事",
    "的计划：",
    "'s planning:",
    "wants to remember",
    "'s plan for",
)


def own_thought(text: str) -> bool:
    return any(mark in text for mark in THOUGHT_MARKS)


def zh_doing(action: str) -> str:
    """'在图书馆看书' stays, '看书' becomes '正在看书'."""
    return action if action.startswith(("在", "正在")) else "正在" + action


def score(text: str, option: str, rules: list[Rule]) -> int:
    """How much ``text`` points to ``option``: 10 when it names it, 3 for each rule whose
    words are in the text and whose names are in the option's."""
    text, low = text.lower(), option.lower()
    score = 10 if low in text else 0
    for keywords, targets in rules:
        if any(k in text for k in keywords) and any(t.lower() in low for t in targets):
            score += 3
    return score


def pick(text: str, options: list[str], rules: list[Rule], key: str, default: str) -> str:
    """The option that the text points to most; ties broken by a fixed hash, else default."""
    scores = [(score(text, o, rules) + (o == default), o) for o in options]
    top = max(s for s, _ in scores)
    if top <= 1:
        return default if default in options else options[0]
    best = [o for s, o in scores if s == top]
    return best[int(unit_hash(key, text) * len(best))]
