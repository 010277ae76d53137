"""What the offline policy reads from text: hours in a lifestyle, news in memories, the option
a text points to. Rules and word lists, no model (see :mod:`runner.llm.offline`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from .offline_rules import Rule


def unit_hash(*keys: object) -> float:
    """A number in [0, 1) fixed by ``keys``."""
    digest = hashlib.blake2b("|".join(map(str, keys)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


# how the offline revised `currently` adds the day's note (see runner.llm.offline_days)
DAY_NOTE = ("这天，记着：", ", in mind: ")


def persona_text(p: dict) -> str:
    """The persona's own words: a day's note in a revised `currently` (news heard) is not
    its own, so the pastimes and work read from it stay."""
    currently = str(p.get("currently") or "")
    for mark in DAY_NOTE:
        currently = currently.split(mark, 1)[0]
    parts = (p.get("innate"), p.get("learned"), currently, p.get("lifestyle"))
    return " ".join(str(x or "") for x in (*parts, p.get("daily_requirement")))


def hour_in(text: str, patterns: tuple[str, ...], default: int) -> int:
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            hour = int(m.group(1))
            if m.lastindex and m.lastindex >= 2 and m.group(2).lower() == "pm" and hour < 12:
                hour += 12
            return hour
    return default


def wake_hour(p: dict) -> int:
    return hour_in(
        p.get("lifestyle", ""),
        (r"(\d{1,2})\s*点起床", r"wakes? up (?:at |around )?(\d{1,2})\s*(am|pm)?"),
        7,
    )


def bed_hour(p: dict) -> int:
    pats = (
        r"晚上(\d{1,2})\s*点(?:左右)?(?:上床)?睡觉",
        r"(?:goes|go) to (?:bed|sleep) (?:at |around )?(\d{1,2})\s*(am|pm)?",
    )
    hour = hour_in(p.get("lifestyle", ""), pats, 23)
    if hour < 12:
        hour += 12
    return min(23, max(20, hour))


NEWS_WORDS = ("派对", "聚会", "邀请", "情人节", "party", "invite", "valentine")


def is_news(text: str) -> bool:
    return any(k in text.lower() for k in NEWS_WORDS)


def poignancy(kind: str, description: str) -> int:
    """The rule's importance of a memory: news 8, sleep 1, a talk or a thought 5, else 3."""
    if is_news(description):
        return 8
    if any(k in description.lower() for k in ("睡", "sleep")):
        return 1
    return {"chat": 5, "thought": 5}.get(kind, 3)


LEARNED = ("得知：", "learned: ")
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


def news_to_pass(memories: list[str], listener: str) -> str | None:
    """News from the speaker's memories to pass on (not news about the listener)."""
    for text in memories:
        if not is_news(text) or listener in text or own_thought(text):
            continue
        for mark in LEARNED:
            if mark in text:
                heard = text.split(mark, 1)[1]
                return ("听说" if mark == LEARNED[0] else "I heard that ") + heard[:100]
        return text[:100]
    return None


def news_sentences(line: str) -> list[str]:
    """The statements of news in a line, without the 'by the way, I heard' around them."""
    parts = re.split(r"(?<=[。！？.!?])", line)
    return [
        re.sub(r"^\s*(对了，|By the way, )?(听说|I heard that )?", "", p)
        for p in parts
        if is_news(p) and not p.rstrip().endswith(("？", "?"))
    ]


def event_today(
    memories: list[str], date: str, places: dict[str, str], zh: bool
) -> tuple[int, str] | None:
    """(hour, task) for news in memory of an event today at a known place, e.g. a party."""
    day = dt.date.fromisoformat(date)
    marks = (f"{day.month}月{day.day}日", day.strftime("%B ") + str(day.day), f"Feb {day.day}")
    for text in memories:
        if not is_news(text) or not any(m in text for m in marks):
            continue
        zh_time = re.search(r"(下午|晚上)\s*(\d{1,2})\s*点", text)
        en_time = re.search(r"(\d{1,2})\s*(?::00)?\s*(pm|p\.m\.)", text, re.IGNORECASE)
        hour = int(zh_time.group(2)) if zh_time else int(en_time.group(1)) if en_time else None
        place = next((name for name in places if name in text), None)
        if hour is None or place is None:
            continue
        hour = hour + 12 if hour < 12 else hour
        return hour, f"去{place}参加派对" if zh else f"go to the party at {place}"
    return None


def zh_doing(action: str) -> str:
    """'在图书馆看书' stays, '看书' becomes '正在看书'."""
    return action if action.startswith(("在", "正在")) else "正在" + action


def score(text: str, option: str, rules: list[Rule]) -> int:
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
