"""What the offline policy says aloud: conversations, views of others, notes after a talk, and
the word tables that flavour a named speaking style. Rules and word lists, no model (see
:mod:`runner.llm.offline`): a styled line is the plain line with the style's words swapped in
and one of its interjections in front, so a demo shows the feature and reads as rule-based.
"""

from __future__ import annotations

import re

from ..prompts.styles import named_style
from .offline_text import (
    news_sentences,
    news_to_pass,
    persona_text,
    poignancy,
    unit_hash,
    zh_doing,
)

# style key -> (word swaps, interjections); the interjections mark every styled line
WORDS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "东北话": (
        (("什么", "啥"), ("怎么", "咋"), ("非常", "贼"), ("聊天", "唠嗑"), ("看看", "瞅瞅")),
        ("哎呀妈呀，", "老铁，", "嘎哈呢，", "杠杠的，"),
    ),
    "四川话": (
        (
            ("什么", "啥子"),
            ("怎么", "咋个"),
            ("没有", "莫得"),
            ("很好", "巴适"),
            ("聊天", "摆龙门阵"),
        ),
        ("要得，", "哎呀，巴适得板，", "莫得问题，", "晓得不，"),
    ),
    "京片子": (
        (("你", "您"), ("非常", "倍儿"), ("不用", "甭"), ("今天", "今儿"), ("好的", "得嘞")),
        ("得嘞，", "嘿，您猜怎么着，", "倍儿好，", "哥们儿，"),
    ),
    "台湾腔": (
        (("真的", "真的假的"), ("非常", "超"), ("好吧", "好啦")),
        ("厚，", "真的假的，", "我跟你讲喔，", "超酷的耶，"),
    ),
    "Southern US": (
        (("you all", "y'all"), ("going to", "fixin' to"), ("Hi ", "Howdy "), ("very", "mighty")),
        ("Well, ", "I reckon ", "Bless your heart, ", "Well, I'll be, "),
    ),
}

ACQUAINTED = ("老相识", "上次", "old acquaintance", "last time")
WALK = ("一起去散散步", "go for a walk together")
AGREED = ("好啊，走吧", "Sure, let's go")
BUSY = (
    "工作",
    "上班",
    "收银",
    "顾客",
    "上课",
    "讲课",
    "派对",
    "work",
    "serve",
    "customer",
    "lecture",
    "party",
)


def style_marks(style: str | None) -> tuple[str, ...]:
    """The interjections every line in ``style`` carries (none for an unnamed style)."""
    found = named_style(style)
    return WORDS[found.key][1] if found and found.key in WORDS else ()


def flavour(text: str, style: str | None, *keys: object) -> str:
    """``text`` in a named style: its word swaps and an interjection chosen by ``keys``."""
    found = named_style(style)
    if not found or found.key not in WORDS:
        return text
    swaps, marks = WORDS[found.key]
    for plain, styled in swaps:
        text = text.replace(plain, styled)
    return marks[int(unit_hash(found.key, text, *keys) * len(marks))] + text


def chat_line(c: dict, seed: int) -> dict:
    """The next line of a conversation, from the speaker's view of the listener, the news in
    its memories and the turn; a few turns, one of which may propose a walk together."""
    turn, zh, me, listener = len(c["history"]), c["lang"] == "zh", c["persona"], c["listener"]
    short = re.split(r"[，。,.;；]", me.get("currently", ""))[0][:60]
    news = news_to_pass(c.get("memories", []), listener)
    known = any(mark in c["relationship"] for mark in ACQUAINTED)
    free = not any(w in f"{c['own_action']} {c['listener_action']}".lower() for w in BUSY)
    hour = int(c["time"][:2])
    walk = free and 10 <= hour < 19 and unit_hash(seed, c["name"], listener, c["time"]) < 0.4
    proposed = any(WALK[0] in line or WALK[1] in line for _, line in c["history"])
    if zh:
        short = short.replace(me["name"], "我")
        mine, theirs = zh_doing(c["own_action"]), zh_doing(c["listener_action"])
        hello = f"{listener}，又碰见你啦！" if known else f"你好，{listener}！我是{me['name']}。"
        lines = [
            f"{hello}你现在{theirs}吗？",
            f"是啊，我{mine}。你呢？",
            f"我{mine}。{short}。",
            "听起来真不错，祝你一切顺利！",
            f"待会儿要不要{WALK[0]}？" if walk else "谢谢！那我先忙了，回头见。",
            f"{AGREED[0]}！" if proposed else "好，回头见！",
        ]
        by_the_way = "对了，"
    else:
        short = short.replace(me["name"], "I")
        hello = (
            f"Good to see you again, {listener}!" if known else f"Hi {listener}, I'm {me['name']}."
        )
        lines = [
            f"{hello} Are you busy? ({c['listener_action']})",
            f"Yes, I'm busy: {c['own_action']}. And you?",
            f"Me: {c['own_action']}. {short}.",
            "That sounds great, good luck with it!",
            f"Shall we {WALK[1]} later?" if walk else "Thanks! I'll get back to it. See you later.",
            f"{AGREED[1]}!" if proposed else "Sure, see you!",
        ]
        by_the_way = " By the way, "
    last = 5 if proposed or (turn == 4 and walk) else 4
    line = flavour(lines[min(turn, last)], c["style"], c["name"], turn)
    if news and turn in (2, 3):  # the news is passed on as heard, unflavoured
        line += by_the_way + news
    return {"line": line, "end": turn >= last}


FRIENDLY = ("朋友", "同学", "熟", "认识", "friend", "classmate", "know")


def relationship(c: dict) -> dict:
    """How the agent sees the other: an acquaintance when its persona or a memory says so,
    with what it remembers of them and of the last talk."""
    zh, name, other, statements = c["lang"] == "zh", c["name"], c["other"], c["statements"]
    about = [s for s in statements if other in s]
    talks = [s for s in about if s.startswith((f"和{other}聊", f"Talked with {other}"))]
    knows = other in persona_text(c["persona"]) or any(
        word in s.lower() for s in about for word in FRIENDLY
    )
    if zh:
        text = f"{other}是{name}的老相识" if knows else f"{name}和{other}还不太熟"
        text += f"；上次{talks[0][:80]}" if talks else (f"；记得：{about[0][:80]}" if about else "")
    else:
        text = (
            f"{other} is an old acquaintance of {name}" if knows else f"{name} barely knows {other}"
        )
        text += (
            f"; last time: {talks[0][:80]}"
            if talks
            else (f"; recalls: {about[0][:80]}" if about else "")
        )
    return {"relationship": text}


def chat_notes(c: dict) -> dict:
    """The summary (the partner's news, else the gist), the planning thought (a walk agreed,
    else nothing to change) and the memo (what the partner said first)."""
    zh, partner, lines = c["lang"] == "zh", c["partner"], c["lines"]
    heard = [
        sentence.replace("我", partner) if zh else sentence.replace("I ", partner + " ")
        for speaker, line in lines
        if speaker == partner
        for sentence in news_sentences(line)
    ]
    if heard:
        text = "".join(heard) if zh else " ".join(heard)
        learned = f"和{partner}聊天，得知：" if zh else f"Talked with {partner} and learned: "
        summary = learned + text[:120]
    else:
        first = lines[0][1] if lines else ""
        summary = (f"和{partner}聊了聊：" if zh else f"Talked with {partner}: ") + first[:80]
    agreed = any(AGREED[0 if zh else 1] in line for _, line in lines)
    if agreed and zh:
        planning = f"待会儿和{partner}{WALK[0]}"
    elif agreed:
        planning = f"{WALK[1]} with {partner} in a moment"
    else:
        planning = "没有要改的打算" if zh else "nothing to change"
    said = max((line for speaker, line in lines if speaker == partner), key=len, default="")
    memo = (f"{partner}说：" if zh else f"{partner} said: ") + said[:80]
    return {
        "summary": summary,
        "planning": planning,
        "memo": memo,
        "reconsider": agreed,
        "importance": poignancy("chat", summary),
        "planning_importance": poignancy("thought", planning),
        "memo_importance": poignancy("thought", memo),
    }


def after_chat(c: dict) -> dict:
    """Change the plan for a walk agreed in the talk; otherwise go on with the day."""
    if not any(mark in c.get("planning", "") for mark in WALK):
        return {"change": False}
    zh = c["lang"] == "zh"
    task = f"和{c['partner']}去散步" if zh else f"take a walk with {c['partner']}"
    return {"change": True, "task": task, "minutes": 30}


def interview(c: dict) -> dict:
    """The three most relevant memories, said back in the agent's voice, and cited."""
    zh, memories = c["lang"] == "zh", c["memories"][:3]
    if not memories:
        answer = "我不太记得了。" if zh else "I don't really remember."
    else:
        joined = "；".join(memories) if zh else "; ".join(memories)
        answer = f"我想想……{joined}。" if zh else f"Let me think... {joined}."
    return {
        "answer": flavour(answer, c.get("style"), c["name"], c["question"]),
        "cited": list(range(1, len(memories) + 1)),
    }
