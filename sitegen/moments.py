"""Moments worth seeing, found at build time from the frames and the conversations: where the
page opens without a ``#step`` (the first moment most residents are awake and someone is about
to talk), and the highlights the timeline shows (conversations that passed a piece of news on,
the agents' reflections, and the scenario's events such as a party)."""

from __future__ import annotations

import json
import re

import numpy as np

from .simread import SimData
from .townpack import label_points

ASLEEP = re.compile(r"睡|sleep|asleep|nap", re.I)  # as the page's daynight.asleep
LEAD_S = 60  # the opening comes this much game time before the talk it waits for
MAX_HIGHLIGHTS = 24
MIN_NEWS = 8  # characters a sentence needs to count as news passed on
COMMON = 5  # a sentence in more than a fifth of all conversations is small talk
PERSONAL = re.compile(r"我|你|\b(I|I'm|my|me|you|your)\b", re.I)  # news is about others
HEARSAY = re.compile(r"听说|\bheard\b", re.I)  # "I heard that ..."
SENTENCE = re.compile(r"[^。！？!?.；;]+")


def awake(sim: SimData) -> np.ndarray:
    """(steps, agents) bool: the agent is not asleep (no 😴, no sleep in its action)."""
    emoji = sim.text["emoji"]
    action = sim.text["action"]
    sleeping = np.vectorize(lambda e, a: e == "😴" or bool(ASLEEP.search(a or "")), otypes=[bool])
    return ~sleeping(emoji, action)


def opening_step(sim: SimData) -> int:
    """The first step, shortly before a conversation begins, at which at least half the
    residents are awake; else the first step with half awake; else 0."""
    up = awake(sim).sum(axis=1) * 2 >= len(sim.agents)
    lead = max(1, LEAD_S // max(1, sim.sec_per_step))
    for start, *_ in sorted(sim.conversations):
        step = max(0, int(start) - lead)
        if step < sim.steps and up[step]:
            return step
    woken = np.flatnonzero(up)
    return int(woken[0]) if len(woken) else 0


def _sentences(text: str) -> list[str]:
    """The sentences of a line that could be news: long enough, and not about the speaker."""
    out = [s.strip() for s in SENTENCE.findall(text)]
    return [s for s in out if len(s) >= MIN_NEWS and not PERSONAL.search(s.split("听说")[-1])]


def news_talks(sim: SimData) -> list[tuple[int, int, int]]:
    """(step, teller, listener) of each conversation in which somebody passed on news: a
    sentence they heard in an earlier conversation from somebody else (not small talk, not
    about the two of them), or one that says it was heard ("听说…")."""
    names = [str(p.get("name", "")) for p in sim.agents]
    talks = [(int(c[0]), c[2], c[3], _said(c, names)) for c in sorted(sim.conversations)]
    seen: dict[str, int] = {}
    for *_, said in talks:
        for sentence in {s for _, s in said}:
            seen[sentence] = seen.get(sentence, 0) + 1
    common = {s for s, n in seen.items() if n * COMMON > len(talks)}  # small talk, said by all
    heard: list[set[str]] = [set() for _ in names]
    own: list[set[str]] = [set() for _ in names]
    out = []
    for start, a, b, said in talks:
        passed = next(
            (
                who
                for who, s in said
                if HEARSAY.search(s)
                or (
                    s in heard[who]
                    and s not in own[who]
                    and s not in common
                    and names[a + b - who] not in s
                )
            ),
            None,
        )
        for who, sentence in said:
            own[who].add(sentence)
            heard[b if who == a else a].add(sentence)
        if passed is not None:
            out.append((start, passed, b if passed == a else a))
    return out


def _said(conversation: tuple, names: list[str]) -> list[tuple[int, str]]:
    """(speaker, sentence) of a stored conversation's lines (JSON [[name, line], ...])."""
    _start, _end, a, b, _place, raw = conversation
    try:
        lines = json.loads(raw)
    except (TypeError, ValueError):
        return []
    out = []
    for line in lines if isinstance(lines, list) else []:
        if isinstance(line, list) and len(line) >= 2:
            speaker = a if str(line[0]) == names[a] else b
            out += [(speaker, s) for s in _sentences(str(line[1]))]
    return out


def highlights(sim: SimData, thoughts: list[int]) -> list[list]:
    """``[step, kind, agent, other]``, in step order: news passed on (``news``), the first
    reflection of each game hour (``thought``, other -1), at most MAX_HIGHLIGHTS of these; and
    every scenario event that begins within the run (``event``: ``[step, "event", -1, -1,
    name, x, y]``, x and y the place's label tile)."""
    out = [[s, "news", a, b] for s, a, b in news_talks(sim)]
    per_hour = max(1, 3600 // max(1, sim.sec_per_step))
    by_step = {}
    for agent, step, kind, _text, _importance in sim.memories or ():
        if kind == "thought" and step in thoughts:
            by_step.setdefault(int(step), int(agent))
    hours = set()
    for step in sorted(by_step):
        if step // per_hour not in hours:
            hours.add(step // per_hour)
            out.append([step, "thought", by_step[step], -1])
    out.sort(key=lambda h: h[0])
    if len(out) > MAX_HIGHLIGHTS:
        keep = np.linspace(0, len(out) - 1, MAX_HIGHLIGHTS).round().astype(int)
        out = [out[i] for i in sorted(set(keep.tolist()))]
    return sorted(out + _events(sim), key=lambda h: h[0])


def _events(sim: SimData) -> list[list]:
    points = {(level, name): (x, y) for name, level, x, y in label_points(sim.town)}
    out = []
    for name, step, place in sim.events:
        parts = place.split(":")[1:]
        x, y = points.get((len(parts), parts[-1] if parts else ""), (-1, -1))
        if 0 <= step < sim.steps:
            out.append([step, "event", -1, -1, name, x, y])
    return out
