"""Talk: whether two agents talk, what each says turn by turn, how one sees the other, and the
notes and plans after a talk. Rules and word lists, no model (see :mod:`runner.policy`); the
lines are flavoured by the speaker's style (:mod:`runner.policy.voice`).
"""

from __future__ import annotations

import re

from .tables import words
from .text import is_news, own_thought, persona_text, poignancy, unit_hash, zh_doing
from .voice import flavour

ACQUAINTED = ("老相识", "上次", "old acquaintance", "last time")
WALK = ("一起去散散步", "go for a walk together")
AGREED = ("好啊，走吧", "Sure, let's go")
BUSY = words("words", "busy")  # either side busy: no walk proposed
FRIENDLY = words("words", "friendly")  # a memory of the other with one: an acquaintance
LEARNED = ("得知：", "learned: ")  # how a chat's summary gives the news heard (chat_notes)


def decide_to_talk(c: dict, seed: int) -> dict:
    """Talk by a hashed chance: likelier with someone the persona names, less so soon after
    the last talk."""
    other, last = c["other"], c.get("last_chat")
    knows = any(n and n in persona_text(c["persona"]) for n in other["names"])
    chance = (0.8 if knows else 0.35) * (0.5 if last and last["hours_ago"] < 6 else 1)
    roll = unit_hash(seed, c["name"], other["names"][0], c["hour_slot"])
    return {"talk": roll < chance, "reason": "rule: acquaintance" if knows else "rule: chance"}


def conversation(c: dict, seed: int) -> dict:
    """The lines the policy gives each side turn by turn, put together in one answer."""
    history: list[list] = []
    for turn in range(c["max_lines"]):
        me, other = c["sides"][turn % 2], c["sides"][1 - turn % 2]
        turn_context = {
            "lang": c["lang"],
            "name": me["name"],
            "persona": me["persona"],
            "listener": other["name"],
            "own_action": me["doing"],
            "listener_action": other["doing"],
            "relationship": me["view"],
            "history": history,
            "time": c["time"],
            "memories": me["memories"],
            "style": me["style"],
        }
        answer = chat_line(turn_context, seed)
        history.append([me["name"], answer["line"]])
        if answer["end"] and turn >= 1:
            break
    return {"lines": [line for _, line in history]}


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
