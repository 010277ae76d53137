"""The interview battery: the paper's five categories, five questions each (its appendix B),
in zh and en, with other agents' names and the town's places filled in with a seed.

``{p0}`` … ``{p7}`` are other agents (distinct while there are enough of them), ``{l0}`` and
``{l1}`` places. The paper's two memory questions about its own events (the election, the
party) are left to the ``knows`` questions of a scenario's ``eval.facts``; here two questions
about one's own recent past take their slots.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .results import CATEGORIES, AgentRef, Category

PERSON_SLOTS = 8
PLACE_SLOTS = 2

# One question a line, five a category in the order of CATEGORIES; the same line in both
# languages is the same question.
QUESTIONS = {
    "zh": """
请介绍一下你自己。
你是做什么工作的？
你对什么感兴趣？
你和谁住在一起？
大致说说你平常工作日的安排。
{p0}是谁？
{p1}是谁？
{p2}是谁？
你最近一次见到{p3}是什么时候？你们聊了什么？
你最近一次去{l0}是什么时候？在那里做了什么？
明天早上7点你会做什么？
明天上午10点你会做什么？
明天下午1点你会做什么？
明天下午5点你会做什么？
明天晚上9点你会做什么？
你的早饭烧糊了！你会怎么做？
卫生间有人在用。你会怎么做？
你要做晚饭，可冰箱是空的。你会怎么做？
你看见{p4}从{l1}门前走过。你会做什么，说什么？
你看到街上着火了。你会怎么做？
眼下生活中最能激励你的是什么？为什么？
就你对{p5}的了解，你猜{p5}会喜欢哪本书？为什么？
如果要给{p6}挑一份生日礼物，你会送什么？
你会对{p7}说些什么来表达你的感激？
如果要和最近遇到的一个人共度时光，你会选谁？为什么？
""",
    "en": """
Give an introduction of yourself.
What's your occupation?
What is your interest?
Who do you live with?
Describe your typical weekday schedule in broad strokes.
Who is {p0}?
Who is {p1}?
Who is {p2}?
When did you last see {p3}, and what did you talk about?
When were you last at {l0}, and what did you do there?
What will you be doing at 7 am tomorrow?
What will you be doing at 10 am tomorrow?
What will you be doing at 1 pm tomorrow?
What will you be doing at 5 pm tomorrow?
What will you be doing at 9 pm tomorrow?
Your breakfast is burning! What would you do?
The bathroom is occupied. What would you do?
You need to cook dinner but your refrigerator is empty. What would you do?
You see {p4} walking by {l1}. What would you do or say?
You see fire on the street. What would you do?
What inspires you in life the most right now, and why?
Given what you know about {p5}, what book do you think {p5} would like, and why?
If you had to get something {p6} likes for their birthday, what would you get?
What would you say to {p7} to express your appreciation?
If you were to spend time with one person you met recently, who would it be and why?
""",
}
PER_CATEGORY = 5


def templates(lang: Literal["zh", "en"]) -> list[tuple[str, Category, str]]:
    """``(id, category, template)`` of the battery in ``lang``."""
    out = []
    for i, line in enumerate(QUESTIONS[lang].strip().splitlines()):
        block, n = divmod(i, PER_CATEGORY)
        out.append((f"{CATEGORIES[block]}-{n + 1}", CATEGORIES[block], line))
    return out


@dataclass(frozen=True)
class Question:
    id: str  # "memory-2": the same slot across agents, sims and languages
    category: Category
    text: str


def local_name(ref: AgentRef, lang: Literal["zh", "en"]) -> str:
    """The name to use in ``lang``: ``name_en`` in English when there is one."""
    return ref.name_en if lang == "en" and ref.name_en else ref.name


def battery(
    agent: str,
    others: Sequence[str],
    places: Sequence[str],
    lang: Literal["zh", "en"],
    seed: int | str,
) -> list[Question]:
    """The 25 questions for ``agent``; names (of ``others``) and ``places`` are given in
    ``lang`` and picked with ``seed`` (the same seed and agent give the same questions)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, got {lang!r}")
    others = [name for name in others if name != agent]
    if not others or not places:
        raise ValueError("the battery needs at least one other agent and one place")
    rng = random.Random(f"battery:{seed}:{agent}")
    slots = {f"p{i}": name for i, name in enumerate(_pick(rng, others, PERSON_SLOTS))}
    slots |= {f"l{i}": name for i, name in enumerate(_pick(rng, places, PLACE_SLOTS))}
    return [
        Question(qid, category, text.format(**slots)) for qid, category, text in templates(lang)
    ]


def _pick(rng: random.Random, names: Sequence[str], count: int) -> list[str]:
    """``count`` names, distinct until every name is used, then again in a new order."""
    out: list[str] = []
    while len(out) < count:
        batch = sorted(set(names))
        rng.shuffle(batch)
        out += batch
    return out[:count]
