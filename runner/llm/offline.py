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
from . import offline_days, offline_voice
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
    is_news,
    own_thought,
    persona_text,
    pick,
    poignancy,
    score,
    unit_hash,
    wake_hour,
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

    def _action_details(self, c: dict) -> dict:
        text = c["action"].lower()
        emoji = next((e for keys, e in EMOJI_RULES if any(k in text for k in keys)), "🙂")
        zh = c["lang"] == "zh"
        default = object_default(c["action"], c["options"], c["default"])
        obj = pick(c["action"], c["options"], OBJECT_RULES, c["name"], default)
        return {
            "choice": obj,
            "emoji": emoji,
            "predicate": "正在" if zh else "is",
            "object": c["action"],
            "object_state": object_state(obj, c["action"], zh),
            "importance": poignancy("event", c["action"]),
        }

    def _decide_to_wait(self, c: dict) -> dict:
        return {"choice": wait_or_switch(c["action"], c["object"], c["options"])}

    def _decide_to_talk(self, c: dict) -> dict:
        other, last = c["other"], c.get("last_chat")
        knows = any(n and n in persona_text(c["persona"]) for n in other["names"])
        chance = (0.8 if knows else 0.35) * (0.5 if last and last["hours_ago"] < 6 else 1)
        roll = unit_hash(self.seed, c["name"], other["names"][0], c["hour_slot"])
        return {"talk": roll < chance, "reason": "rule: acquaintance" if knows else "rule: chance"}

    def _chat_turn(self, c: dict) -> dict:
        return offline_voice.chat_line(c, self.seed)

    def _conversation(self, c: dict) -> dict:
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
            answer = offline_voice.chat_line(turn_context, self.seed)
            history.append([me["name"], answer["line"]])
            if answer["end"] and turn >= 1:
                break
        return {"lines": [line for _, line in history]}

    def _relationship(self, c: dict) -> dict:
        return offline_voice.relationship(c)

    def _importance(self, c: dict) -> dict:
        return {"score": poignancy(c["memory_kind"], c["description"])}

    def _importances(self, c: dict) -> dict:
        return {"scores": [poignancy(m["kind"], m["description"]) for m in c["memories"]]}

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

        def triple(predicate: str, obj: str) -> dict:
            return {"subject": c["name"], "predicate": predicate, "object": obj}

        subjects: dict[str, list[int]] = {}
        for n, text in enumerate(statements, start=1):
            if text.startswith(("Talked with", "和", *INSIGHT_MARKS)) or own_thought(text):
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
                    **triple("常常遇到" if zh else "keeps running into", who),
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
                    **triple("看重" if zh else "cares about", first[:60]),
                }
            )
        if not out and statements:
            first = statements[0]
            out.append(
                {
                    "insight": f"我最近在忙：{first}" if zh else f"Lately: {first}",
                    "evidence": [1],
                    **triple("忙于" if zh else "is busy with", first[:60]),
                }
            )
        return {"insights": [{**i, "importance": poignancy("thought", i["insight"])} for i in out]}

    def _chat_summary(self, c: dict) -> dict:
        return offline_voice.chat_notes(c)

    def _after_chat(self, c: dict) -> dict:
        return offline_voice.after_chat(c)  # the rule-based policy changes plans only for a walk

    def _revise_schedule(self, c: dict) -> dict:
        """Go on with what was planned for the rest of the window."""
        return {"schedule": [{"task": t, "minutes": m} for t, m in c["planned_rest"]]}

    def _interview(self, c: dict) -> dict:
        return offline_voice.interview(c)

    def _knows(self, c: dict) -> dict:
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

    def _judge(self, c: dict) -> dict:
        """Always a draw: a rule-based policy is no judge of answers (``rw-batch eval
        --judge`` refuses it); this answer only keeps every kind answerable."""
        reason = (
            "规则策略不是评委，不作评判"
            if c["lang"] == "zh"
            else "a rule-based policy does not judge"
        )
        return {"verdict": "draw", "reason": reason}

    def _revise_identity(self, c: dict) -> dict:
        return offline_days.revise_identity(c)

    def _next_hour(self, c: dict) -> dict:
        routine = self._routine({**c, "wake_hour": wake_hour(c["persona"])})
        return {"task": offline_days.task_at_hour(routine, int(c["time"][:2]))}

    # --- the day's routine ---------------------------------------------------------------
    def _routine(self, c: dict) -> list[tuple[str, int]]:
        """A day from the persona's words and the places it knows (runner.llm.offline_day)."""
        return day_routine(c, self.seed)
