"""Questions put to an agent from outside a run (``rw-batch interview``, ``rw-batch eval``):
an interview answer from the memories shown, in the agent's own voice; whether the agent knows
of something; and the judge's verdict, which a rule-based policy does not give."""

from __future__ import annotations

import re

from .voice import first_person, flavour, own_pronoun

STOPS = "。！？.!?"


def _sentences(text: str, zh: bool) -> list[str]:
    """The sentences of ``text``, each with its stop."""
    parts = re.split(r"(?<=[。！？])" if zh else r"(?<=[.!?])\s+", text)
    return [p.strip() for p in parts if p.strip()]


def _gist(sentence: str) -> str:
    """What a sentence tells, without who said or heard it: «和X聊天，得知：…», «对了，听说…»."""
    told = re.split(r"[：:]\s*", sentence)[-1]
    told = re.sub(r"^(对了，|By the way, )?(听说|I heard that )?", "", told)
    return told.rstrip(STOPS)


def interview(c: dict) -> dict:
    """The three most relevant memories that add something, said back in the agent's voice:
    in the first person (a memory about itself is «我…», "I …"), no sentence told twice;
    cites those three."""
    zh, name = c["lang"] == "zh", c["name"]
    pronoun = own_pronoun(c["persona"], zh)
    told: set[str] = set()
    parts: list[str] = []
    cited: list[int] = []
    for n, memory in enumerate(c["memories"], start=1):
        if len(cited) == 3:
            break
        sentences = _sentences(first_person(memory, name, pronoun, zh), zh)
        new = [s for s in sentences if _gist(s) not in told]
        if new:
            told.update(_gist(s) for s in new)
            parts.append(("" if zh else " ").join(new).rstrip(STOPS))
            cited.append(n)
    if not parts:
        answer = "我不太记得了。" if zh else "I don't really remember."
    else:
        joined = "；".join(parts) if zh else "; ".join(parts)
        answer = f"我想想……{joined}。" if zh else f"Let me think... {joined}."
    return {"answer": flavour(answer, c.get("style"), name, c["question"]), "cited": cited}


def knows(c: dict) -> dict:
    """Knows when a retrieved memory mentions one of the context's ``words`` (never shown
    in a prompt: the rule's stand-in for understanding the question); cites those."""
    words = [w.casefold() for w in c["words"] if w.strip()]
    cited = [
        n
        for n, text in enumerate(c["memories"], start=1)
        if any(w in text.casefold() for w in words)
    ][:3]
    if not cited:
        return {"knows": False, "detail": "", "cited": []}
    heard = c["memories"][cited[0] - 1]
    return {
        "knows": True,
        "detail": ("我记得：" if c["lang"] == "zh" else "I recall: ") + heard,
        "cited": cited,
    }


def judge(c: dict) -> dict:
    """Always a draw: a rule-based policy is no judge of answers (``rw-batch eval --judge``
    refuses it); this answer only keeps every kind answerable."""
    zh = c["lang"] == "zh"
    reason = "规则策略不是评委，不作评判" if zh else "a rule-based policy does not judge"
    return {"verdict": "draw", "reason": reason}
