"""Questions put to an agent from outside a run (``rw-batch interview``, ``rw-batch eval``):
an interview answer from the memories shown; whether the agent knows
of something; and the judge's verdict, which a rule-based policy does not give."""

from __future__ import annotations

from .voice import flavour


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
