"""Reflection: how important a memory is, which questions to reflect on, and the insights
(who keeps coming up, what news there is), each citing the statements that say so."""

from __future__ import annotations

import re

from .text import INSIGHT_MARKS, is_news, own_thought, poignancy


def importances(c: dict) -> dict:
    return {"scores": [poignancy(m["kind"], m["description"]) for m in c["memories"]]}


def focal_points(c: dict) -> dict:
    """What the news (first) and the latest statements mean for the agent, three at most."""
    picked: list[str] = []
    for text in sorted(reversed(c["statements"]), key=lambda t: not is_news(t)):
        if text not in picked:
            picked.append(text)
    zh = c["lang"] == "zh"
    questions = [
        f"「{t}」对我意味着什么？" if zh else f"What does '{t}' mean for me?" for t in picked[:3]
    ]
    return {"questions": questions or (["我最近过得怎么样？"] if zh else ["How am I doing?"])}


def _seen(statements: list[str], name: str) -> dict[str, list[int]]:
    """Who the statements show (not talks, not thoughts): name -> the statements' numbers."""
    subjects: dict[str, list[int]] = {}
    for n, text in enumerate(statements, start=1):
        if text.startswith(("Talked with", "和", *INSIGHT_MARKS)) or own_thought(text):
            continue  # a memory of a talk or a thought, not of someone seen
        m = re.match(r"([^\s:：，。和我这]{2,20}?)(?:正在|在)|([^:]{2,40}): ", text)
        subject = m and (m.group(1) or m.group(2))
        if subject and subject != name:
            subjects.setdefault(subject, []).append(n)
    return subjects


def insights(c: dict) -> dict:
    """Who keeps coming up, and what news there is, citing the statements that say so."""
    zh, statements = c["lang"] == "zh", c["statements"]

    def insight(text: str, evidence: list[int], predicate: str, obj: str) -> dict:
        triple = {"subject": c["name"], "predicate": predicate, "object": obj}
        return {"insight": text, "evidence": evidence, **triple}

    out = []
    subjects = _seen(statements, c["name"])
    if subjects:
        who, cites = max(subjects.items(), key=lambda kv: (len(kv[1]), kv[0]))
        text = f"我最近常常遇到{who}" if zh else f"I keep running into {who}"
        out.append(insight(text, cites, "常常遇到" if zh else "keeps running into", who))
    news = [
        n
        for n, text in enumerate(statements, start=1)
        if is_news(text) and not text.startswith(INSIGHT_MARKS)
    ]
    if news:
        first = statements[news[0] - 1]
        text = f"这件事很重要：{first}" if zh else f"This matters: {first}"
        out.append(insight(text, news, "看重" if zh else "cares about", first[:60]))
    if not out and statements:
        first = statements[0]
        text = f"我最近在忙：{first}" if zh else f"Lately: {first}"
        out.append(insight(text, [1], "忙于" if zh else "is busy with", first[:60]))
    return {"insights": [{**i, "importance": poignancy("thought", i["insight"])} for i in out]}
