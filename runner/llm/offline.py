"""The ``offline`` backend: a deterministic, seeded, rule-based policy. It is NOT an LLM.

It answers every kind of question from the request's context (the persona, the places the agent
knows, the options offered) with fixed rules and word tables, in the same JSON an LLM would give,
so the same parsers check it. Its "randomness" is a hash of the seed and the question, so it
keeps no state: answers do not depend on call order, thread or resume.
"""

from __future__ import annotations

import json
import re

from ..config import Scenario
from .base import Embeddings, Request, Response
from .hashed import hashed_embed
from .offline_day import day_routine
from .offline_rules import (
    ARENA_RULES,
    DECOMPOSITIONS,
    EMOJI_RULES,
    OBJECT_RULES,
    SECTOR_KIND_RULES,
    WORK_KINDS,
)
from .offline_text import (
    INSIGHT_MARKS,
    NEWS_WORDS,
    is_news,
    news_sentences,
    news_to_pass,
    persona_text,
    pick,
    score,
    unit_hash,
    wake_hour,
    zh_doing,
)
from .offline_world import object_default, object_state, wait_or_switch


class OfflinePolicy:
    """Rule-based answers for every kind; see module docstring."""

    name = "offline"
    model = "rules"
    is_llm = False
    serial = False
    embed_model = None

    def __init__(self, scenario: Scenario | None = None, seed: int = 0):
        """The seed of ``scenario`` (as the registry builds backends), else ``seed``."""
        self.seed = scenario.seed if scenario is not None else seed

    def complete(self, request: Request) -> Response:
        answer = getattr(self, "_" + request.kind)(request.context)
        return Response(json.dumps(answer, ensure_ascii=False))

    def embed(self, texts: list[str]) -> Embeddings:
        return Embeddings(hashed_embed(texts))

    def close(self) -> None:
        pass

    # --- one method per kind -------------------------------------------------------------
    def _wake_up_hour(self, c: dict) -> dict:
        return {"hour": wake_hour(c["persona"])}

    def _daily_plan(self, c: dict) -> dict:
        return {"plan": [task for task, _ in self._routine(c)]}

    def _hourly_schedule(self, c: dict) -> dict:
        return {"schedule": [{"task": t, "minutes": m} for t, m in self._routine(c)]}

    def _task_decomp(self, c: dict) -> dict:
        zh = c["lang"] == "zh"
        steps: tuple[str, ...] = (c["task"],)
        task = c["task"].lower()
        work = "工作" in task or "work at" in task
        if work:
            task = " ".join(kind for place, kind in c["places"].items() if place.lower() in task)
        for keywords, zh_steps, en_steps in DECOMPOSITIONS:
            if any(k in task for k in keywords) and (work or not set(keywords) <= WORK_KINDS):
                steps = zh_steps if zh else en_steps
                break
        else:  # nothing to divide it into: one action, not the same one placed again and again
            return {"subtasks": [{"action": c["task"], "minutes": c["minutes"]}]}
        out, left, i = [], c["minutes"], 0
        while left > 0:
            minutes = min(left, 15 + 5 * int(unit_hash(self.seed, c["name"], c["task"], i) * 4))
            out.append({"action": steps[i % len(steps)], "minutes": minutes})
            left -= minutes
            i += 1
        return {"subtasks": out}

    def _action_sector(self, c: dict) -> dict:
        text = f"{c['action']} {c['task']}"
        kinds = c["kinds"]
        scores = {o: score(text, o, []) for o in c["options"]}
        for keywords, (kind,) in SECTOR_KIND_RULES:
            if any(k in text.lower() for k in keywords):
                for o in c["options"]:
                    scores[o] += 3 if kinds.get(o) == kind else 0
        top = max(scores.values())
        best = [o for o in c["options"] if scores[o] == top]
        choice = c["default"] if top == 0 or c["default"] in best else best[0]
        return {"choice": choice}

    def _action_arena(self, c: dict) -> dict:
        text = f"{c['action']} {c['task']}"
        default = c["default"]
        return {"choice": pick(text, c["options"], ARENA_RULES, c["name"], default)}

    def _action_object(self, c: dict) -> dict:
        default = object_default(c["action"], c["options"], c["default"])
        return {"choice": pick(c["action"], c["options"], OBJECT_RULES, c["name"], default)}

    def _action_details(self, c: dict) -> dict:
        text = c["action"].lower()
        emoji = next((e for keys, e in EMOJI_RULES if any(k in text for k in keys)), "🙂")
        zh = c["lang"] == "zh"
        return {
            "emoji": emoji,
            "predicate": "正在" if zh else "is",
            "object": c["action"],
            "object_state": object_state(c["object"], c["action"], zh),
        }

    def _decide_to_wait(self, c: dict) -> dict:
        return {"choice": wait_or_switch(c["action"], c["object"], c["options"])}

    def _decide_to_talk(self, c: dict) -> dict:
        other = c["other"]
        knows = any(n and n in persona_text(c["persona"]) for n in other["names"])
        chance = 0.6 if knows else 0.2
        roll = unit_hash(self.seed, c["name"], other["names"][0], c["hour_slot"])
        return {"talk": roll < chance, "reason": "rule: acquaintance" if knows else "rule: chance"}

    def _chat_turn(self, c: dict) -> dict:
        turn = len(c["history"])
        me = c["persona"]
        short = re.split(r"[，。,.;；]", me.get("currently", ""))[0][:60]
        news = news_to_pass(c.get("memories", []), c["listener"])
        if c["lang"] == "zh":
            short = short.replace(me["name"], "我")
            mine, theirs = zh_doing(c["own_action"]), zh_doing(c["listener_action"])
            lines = [
                f"{c['listener']}，你好！你现在{theirs}吗？",
                f"是啊，我{mine}。你呢？",
                f"我{mine}。{short}。" + (f"对了，{news}" if news else ""),
                "听起来真不错，祝你一切顺利！",
                "谢谢！那我先忙了，回头见。",
            ]
        else:
            short = short.replace(me["name"], "I")
            lines = [
                f"Hi {c['listener']}! Are you busy? ({c['listener_action']})",
                f"Yes, I'm busy: {c['own_action']}. And you?",
                f"Me: {c['own_action']}. {short}." + (f" By the way, {news}" if news else ""),
                "That sounds great, good luck with it!",
                "Thanks! I'll get back to it. See you later.",
            ]
        return {"line": lines[min(turn, len(lines) - 1)], "end": turn >= len(lines) - 1}

    def _importance(self, c: dict) -> dict:
        text = c["description"].lower()
        if any(k in text for k in NEWS_WORDS):
            return {"score": 8}
        if any(k in text for k in ("睡", "sleep")):
            return {"score": 1}
        return {"score": {"chat": 5, "thought": 5}.get(c["memory_kind"], 3)}

    def _focal_points(self, c: dict) -> dict:
        picked: list[str] = []
        for text in sorted(reversed(c["statements"]), key=lambda t: not is_news(t)):
            if text not in picked:
                picked.append(text)
        zh = c["lang"] == "zh"
        questions = [
            f"「{t}」对我意味着什么？" if zh else f"What does '{t}' mean for me?"
            for t in picked[:3]
        ]
        return {"questions": questions or (["我最近过得怎么样？"] if zh else ["How am I doing?"])}

    def _insights(self, c: dict) -> dict:
        """Who keeps coming up, and what news there is, citing the statements that say so."""
        zh, statements = c["lang"] == "zh", c["statements"]
        subjects: dict[str, list[int]] = {}
        for n, text in enumerate(statements, start=1):
            if text.startswith(("Talked with", "和", *INSIGHT_MARKS)):
                continue  # a memory of a talk or a thought, not of someone seen
            m = re.match(r"([^\s:：，。和我这]{2,20}?)(?:正在|在)|([^:]{2,40}): ", text)
            subject = m and (m.group(1) or m.group(2))
            if subject and subject != c["name"]:
                subjects.setdefault(subject, []).append(n)
        out = []
        if subjects:
            who, cites = max(subjects.items(), key=lambda kv: (len(kv[1]), kv[0]))
            out.append(
                {
                    "insight": f"我最近常常遇到{who}" if zh else f"I keep running into {who}",
                    "evidence": cites,
                }
            )
        news = [
            n
            for n, text in enumerate(statements, start=1)
            if is_news(text) and not text.startswith(INSIGHT_MARKS)
        ]
        if news:
            first = statements[news[0] - 1]
            out.append(
                {
                    "insight": f"这件事很重要：{first}" if zh else f"This matters: {first}",
                    "evidence": news,
                }
            )
        if not out and statements:
            first = statements[0]
            out.append(
                {"insight": f"我最近在忙：{first}" if zh else f"Lately: {first}", "evidence": [1]}
            )
        return {"insights": out}

    def _chat_summary(self, c: dict) -> dict:
        """What the partner said that was news (in third person), else the gist."""
        zh, partner = c["lang"] == "zh", c["partner"]
        heard = [
            sentence.replace("我", partner) if zh else sentence.replace("I ", partner + " ")
            for speaker, line in c["lines"]
            if speaker == partner
            for sentence in news_sentences(line)
        ]
        if heard:
            text = "".join(heard) if zh else " ".join(heard)
            return {
                "summary": (
                    f"和{partner}聊天，得知：" if zh else f"Talked with {partner} and learned: "
                )
                + text[:120]
            }
        first = c["lines"][0][1] if c["lines"] else ""
        return {
            "summary": (f"和{partner}聊了聊：" if zh else f"Talked with {partner}: ") + first[:80]
        }

    def _after_chat(self, c: dict) -> dict:
        return {"change": False}  # the rule-based policy keeps its plan after a talk

    def _interview(self, c: dict) -> dict:
        zh, memories = c["lang"] == "zh", c["memories"][:3]
        if not memories:
            return {"answer": "我不太记得了。" if zh else "I don't really remember."}
        joined = "；".join(memories) if zh else "; ".join(memories)
        return {"answer": f"我想想……{joined}。" if zh else f"Let me think... {joined}."}

    # --- the day's routine ---------------------------------------------------------------
    def _routine(self, c: dict) -> list[tuple[str, int]]:
        """A day from the persona's words and the places it knows (runner.llm.offline_day)."""
        return day_routine(c, self.seed)
