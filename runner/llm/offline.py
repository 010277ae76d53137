"""The ``offline`` backend: a deterministic, seeded, rule-based policy. It is NOT an LLM.

It answers every kind of question from the request's context (the persona, the places the agent
knows, the options offered) with fixed rules and word tables, in the same JSON an LLM would give,
so the same parsers check it. Its "randomness" is a hash of the seed and the question, so it
keeps no state: answers do not depend on call order, thread or resume.
"""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np

from .base import Request, Response
from .offline_rules import (
    ARENA_RULES,
    DECOMPOSITIONS,
    EMOJI_RULES,
    OBJECT_RULES,
    PASTIMES,
    SECTOR_KIND_RULES,
    Rule,
)

EMBED_DIM = 256


def unit_hash(*keys: object) -> float:
    """A number in [0, 1) fixed by ``keys``."""
    digest = hashlib.blake2b("|".join(map(str, keys)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _persona_text(p: dict) -> str:
    keys = ("innate", "learned", "currently", "lifestyle", "daily_requirement")
    return " ".join(str(p.get(k) or "") for k in keys)


def _hour(text: str, patterns: tuple[str, ...], default: int) -> int:
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            hour = int(m.group(1))
            if m.lastindex and m.lastindex >= 2 and m.group(2).lower() == "pm" and hour < 12:
                hour += 12
            return hour
    return default


def wake_hour(p: dict) -> int:
    return _hour(
        p.get("lifestyle", ""),
        (r"(\d{1,2})\s*点起床", r"wakes? up (?:at |around )?(\d{1,2})\s*(am|pm)?"),
        7,
    )


def bed_hour(p: dict) -> int:
    pats = (
        r"晚上(\d{1,2})\s*点(?:左右)?(?:上床)?睡觉",
        r"(?:goes|go) to (?:bed|sleep) (?:at |around )?(\d{1,2})\s*(am|pm)?",
    )
    hour = _hour(p.get("lifestyle", ""), pats, 23)
    if hour < 12:
        hour += 12
    return min(23, max(20, hour))


def _zh_doing(action: str) -> str:
    """'在图书馆看书' stays, '看书' becomes '正在看书'."""
    return action if action.startswith(("在", "正在")) else "正在" + action


def _score(text: str, option: str, rules: list[Rule]) -> int:
    text, low = text.lower(), option.lower()
    score = 10 if low in text else 0
    for keywords, targets in rules:
        if any(k in text for k in keywords) and any(t.lower() in low for t in targets):
            score += 3
    return score


def pick(text: str, options: list[str], rules: list[Rule], key: str, default: str) -> str:
    """The option that the text points to most; ties broken by a fixed hash, else default."""
    scores = [(_score(text, o, rules) + (o == default), o) for o in options]
    top = max(s for s, _ in scores)
    if top <= 1:
        return default if default in options else options[0]
    best = [o for s, o in scores if s == top]
    return best[int(unit_hash(key, text) * len(best))]


class OfflinePolicy:
    """Rule-based answers for every kind; see module docstring."""

    name = "offline"
    model = "rules"
    is_llm = False

    def __init__(self, scenario: dict):
        self.seed = scenario.get("seed", 0)

    def complete(self, request: Request) -> Response:
        answer = getattr(self, "_" + request.kind)(request.context)
        return Response(json.dumps(answer, ensure_ascii=False))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Hashed character uni- and bigrams, L2-normalised: works for Chinese and English."""
        out = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            text = text.lower()
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for gram in grams:
                if gram.strip():
                    h = hashlib.blake2b(gram.encode(), digest_size=4).digest()
                    out[row, int.from_bytes(h, "big") % EMBED_DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

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
        if "工作" in task or "work at" in task:
            task = " ".join(kind for place, kind in c["places"].items() if place.lower() in task)
        for keywords, zh_steps, en_steps in DECOMPOSITIONS:
            if any(k in task for k in keywords):
                steps = zh_steps if zh else en_steps
                break
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
        scores = {o: _score(text, o, []) for o in c["options"]}
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
        default = c["default"]
        return {"choice": pick(c["action"], c["options"], OBJECT_RULES, c["name"], default)}

    def _action_details(self, c: dict) -> dict:
        text = c["action"].lower()
        emoji = next((e for keys, e in EMOJI_RULES if any(k in text for k in keys)), "🙂")
        predicate = "正在" if c["lang"] == "zh" else "is"
        return {"emoji": emoji, "predicate": predicate, "object": c["action"]}

    def _decide_to_talk(self, c: dict) -> dict:
        other = c["other"]
        knows = any(n and n in _persona_text(c["persona"]) for n in other["names"])
        chance = 0.6 if knows else 0.2
        roll = unit_hash(self.seed, c["name"], other["names"][0], c["hour_slot"])
        return {"talk": roll < chance, "reason": "rule: acquaintance" if knows else "rule: chance"}

    def _chat_turn(self, c: dict) -> dict:
        turn = len(c["history"])
        me = c["persona"]
        short = re.split(r"[，。,.;；]", me.get("currently", ""))[0][:40]
        if c["lang"] == "zh":
            short = short.replace(me["name"], "我")
            mine, theirs = _zh_doing(c["own_action"]), _zh_doing(c["listener_action"])
            lines = [
                f"{c['listener']}，你好！你现在{theirs}吗？",
                f"是啊，我{mine}。你呢？",
                f"我{mine}。{short}。",
                "听起来真不错，祝你一切顺利！",
                "谢谢！那我先忙了，回头见。",
            ]
        else:
            short = short.replace(me["name"], "I")
            lines = [
                f"Hi {c['listener']}! Are you busy? ({c['listener_action']})",
                f"Yes, I'm busy: {c['own_action']}. And you?",
                f"Me: {c['own_action']}. {short}.",
                "That sounds great, good luck with it!",
                "Thanks! I'll get back to it. See you later.",
            ]
        return {"line": lines[min(turn, len(lines) - 1)], "end": turn >= len(lines) - 1}

    # --- the day's routine ---------------------------------------------------------------
    def _routine(self, c: dict) -> list[tuple[str, int]]:
        """A day from the persona's lifestyle and the places it knows, as (task, minutes)."""
        p, zh, places = c["persona"], c["lang"] == "zh", c["places"]
        wake, bed = c["wake_hour"], bed_hour(p)
        text = _persona_text(p)
        by_kind: dict[str, str] = {}
        for name, kind in places.items():
            by_kind.setdefault(kind, name)
        work = self._workplace(text, places)
        pastime = next(
            ((z if zh else e) for keys, z, e in PASTIMES if any(k in text.lower() for k in keys)),
            None,
        )

        def at(kind: str, zh_fmt: str, en_fmt: str, fallback: tuple[str, str]) -> str:
            place = by_kind.get(kind)
            if place is None:
                return fallback[0] if zh else fallback[1]
            return zh_fmt.format(place) if zh else en_fmt.format(place)

        if work is None:
            job = pastime or ("在家看书" if zh else "read at home")
        elif places[work] == "college":
            job = f"在{work}的图书馆学习" if zh else f"study at the {work} library"
        else:
            job = f"在{work}工作" if zh else f"work at {work}"
        errands = [
            at("grocery", "去{}买菜", "buy groceries at {}", ("在家整理房间", "tidy up at home")),
            at("park", "在{}散步", "take a walk in {}", ("在家休息", "rest at home")),
            at("pharmacy", "去{}买药", "pick up medicine at {}", ("在家休息", "rest at home")),
            at("square", "去{}逛逛", "stroll around {}", ("在家休息", "rest at home")),
        ]
        errand = errands[int(unit_hash(self.seed, c["name"], c["date"], "errand") * len(errands))]
        evening_bar = unit_hash(self.seed, c["name"], c["date"], "bar") < 0.3
        dinner = (
            at("bar", "在{}吃晚饭", "have dinner at {}", ("在家做晚饭", "cook dinner at home"))
            if evening_bar
            else ("在家做晚饭" if zh else "cook dinner at home")
        )
        hours = [
            ("睡觉" if zh else "sleeping", wake * 60),
            ("起床洗漱" if zh else "wake up and wash", 30),
            ("在家吃早餐" if zh else "eat breakfast at home", 30),
            (job, max(0, 12 - wake - 1) * 60),
            (
                at("cafe", "在{}吃午饭", "have lunch at {}", ("在家吃午饭", "have lunch at home")),
                60,
            ),
            (job, 4 * 60),
            (errand, 60),
            (dinner, 60),
            (
                pastime or ("在家看书放松" if zh else "relax at home with a book"),
                max(0, bed - 19) * 60,
            ),
            ("睡觉" if zh else "sleeping", (24 - bed) * 60),
        ]
        return [(t, m) for t, m in hours if m > 0]

    @staticmethod
    def _workplace(text: str, places: dict[str, str]) -> str | None:
        """The first public place named in the persona's text."""
        found = [(text.find(name), name) for name, kind in places.items() if kind != "home"]
        found = [(i, n) for i, n in found if i >= 0]
        return min(found)[1] if found else None
