"""News in talk: what a speaker has heard and may pass on (from its memories), said in its own
words (its own news in the first person, heard news with who told it), and the statements of
news a line holds, for the listener's notes. Rules, no model (see :mod:`runner.policy`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tables import table
from .text import INSIGHT_MARKS, is_news, own_thought

LEARNED = ("得知：", "learned: ")  # how a chat's summary gives the news heard (chat_notes)
HEARD_FROM = re.compile(r"^(?:和(.+?)聊天，|Talked with (.+?) and )$")
STOP = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+")
# the words a line may put before a statement of news (data/talk.yaml's tell_own), and the
# old «听说» / "I heard that"
LEADS = [
    lead.split("{project}")[0].strip()
    for lang in ("zh", "en")
    for lead in (*table("talk")[lang]["tell_own"], *table("talk")[lang]["project"])
    if not lead.startswith("{")
]
LEAD = re.compile(
    r"^\s*(?:" + "|".join(re.escape(x) for x in LEADS) + r")?\s*(?:听说|I heard that )?\s*"
)
LIMIT = 90


@dataclass(frozen=True)
class News:
    """A statement of news, who told it (None: seen or its own), whether it is the speaker's
    own (about itself, said in the first person)."""

    statement: str
    source: str | None
    own: bool


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, cut at a comma when it is long, without its stop."""
    first = STOP.split(text.strip(), maxsplit=1)[0].strip().rstrip("。！？.!?")
    if len(first) > LIMIT:
        cut = max(first.rfind("，", 0, LIMIT), first.rfind(", ", 0, LIMIT))
        first = first[:cut] if cut > 0 else first[:LIMIT]
    return first


def news_to_pass(memories: list[str], me: str, listener: str) -> News | None:
    """News from the speaker's memories to pass on: not news about the listener, not its own
    thoughts on plans and talks."""
    passable = [t for t in memories if is_news(t) and listener not in t and not own_thought(t)]
    for text in sorted(passable, key=lambda t: not t.startswith(me)):  # its own news first
        for mark in LEARNED:
            if mark in text:
                before, heard = text.split(mark, 1)
                told = HEARD_FROM.match(before)
                source = told and (told.group(1) or told.group(2))
                return News(first_sentence(heard), source, False)
        told = (
            re.split(r"[：:]\s*", text, maxsplit=1)[-1] if text.startswith(INSIGHT_MARKS) else text
        )
        return News(first_sentence(told), None, told.startswith((me, "我", "I ")))
    return None


def news_sentences(line: str) -> list[str]:
    """The statements of news in a line, without the words before them ('by the way')."""
    parts = STOP.split(line)
    return [LEAD.sub("", p) for p in parts if is_news(p) and not p.rstrip().endswith(("？", "?"))]
