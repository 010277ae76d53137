"""The paper's measures (Park et al. 2023, §6-7) over plain data: answers, frames, memory ids.

Nothing here asks an agent or reads a store: the caller gathers the answers and frames of one
evaluated step and passes them in, and gets the models of ``results`` back. How each measure
is defined, and how it maps to the paper's figures, is in ``docs/eval.md``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from .names import KnownNames, candidates
from .results import (
    AgentRef,
    Answer,
    Attendance,
    Diffusion,
    Event,
    Fact,
    Flag,
    Hallucination,
    KnowsAnswer,
    KnowsVerdict,
    Network,
    Reason,
)

MemoryIds = Mapping[str, Collection[int]]  # agent name -> ids of the memories it has


def mentions(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` contains any of ``words`` (case-insensitive)."""
    folded = text.casefold()
    return any(word.strip() and word.strip().casefold() in folded for word in words)


def judge_knows(answer: KnowsAnswer, words: Iterable[str], memory_ids: MemoryIds) -> KnowsVerdict:
    """An answer counts as knowing only when it says so, mentions one of ``words``, and cites
    at least one memory the agent has."""
    has = memory_ids.get(answer.agent, ())
    if not answer.knows:
        why = "said_no"
    elif not mentions(answer.text, words):
        why = "no_word"
    elif not answer.cited:
        why = "no_citation"
    elif not any(node in has for node in answer.cited):
        why = "cites_unknown_memory"
    else:
        why = "counted"
    return KnowsVerdict(**answer.model_dump(), counted=why == "counted", why=why)


def diffusion(
    fact: Fact,
    answers: Iterable[KnowsAnswer],
    memory_ids: MemoryIds,
    agents: Sequence[str],
) -> Diffusion:
    """Who knows ``fact`` by the agents' ``knows`` answers, and their share of ``agents``."""
    verdicts = [judge_knows(a, fact.words, memory_ids) for a in _of(answers, agents)]
    knowers = _in_order(agents, {v.agent for v in verdicts if v.counted})
    return Diffusion(
        fact=fact.id,
        knowers=knowers,
        share=len(knowers) / len(agents) if agents else 0.0,
        answers=verdicts,
    )


def person_words(agent: AgentRef, town: Sequence[AgentRef] = ()) -> list[str]:
    """The words that show an answer is about ``agent``: its names and their parts, but for
    parts that another agent of ``town`` has too (a family name, 摩尔 of 山姆·摩尔 and
    詹妮弗·摩尔, does not tell which of them an answer is about)."""
    names = [n for n in (agent.name, agent.name_en) if n]
    shared = {p for other in town if other.name != agent.name for p in _parts(other)}
    parts = [p for p in _parts(agent) if p not in shared]
    return list(dict.fromkeys([*names, *parts]))


def _parts(agent: AgentRef) -> list[str]:
    names = [n for n in (agent.name, agent.name_en) if n]
    return [p for n in names for p in re.split(r"[·•・\s]+", n) if len(p) >= 2]


def network(agents: Sequence[str], edges: Iterable[tuple[str, str]]) -> Network:
    """The who-knows-whom network of ordered pairs ``(A, B)``, "A knows B"; self-pairs and
    pairs of unknown agents are left out."""
    order = {name: i for i, name in enumerate(agents)}
    pairs = sorted(
        {(a, b) for a, b in edges if a in order and b in order and a != b},
        key=lambda p: (order[p[0]], order[p[1]]),
    )
    n = len(agents)
    chosen = set(pairs)
    mutual = sum(1 for a, b in pairs if order[a] < order[b] and (b, a) in chosen)
    return Network(
        agents=n,
        edges=pairs,
        density=len(pairs) / (n * (n - 1)) if n > 1 else 0.0,
        mutual_density=2 * mutual / (n * (n - 1)) if n > 1 else 0.0,
    )


def network_from_answers(
    agents: Sequence[AgentRef],
    answers: Iterable[KnowsAnswer],
    memory_ids: MemoryIds,
    certain: Iterable[tuple[str, str]] = (),
) -> Network:
    """The network from ``knows`` answers whose ``subject`` is another agent (judged as
    :func:`judge_knows` does, with that agent's names as the words), plus ``certain`` pairs
    (e.g. from the memory stream, where no question is needed)."""
    by_name = {a.name: a for a in agents}
    edges = list(certain)
    for answer in answers:
        subject = by_name.get(answer.subject)
        words = person_words(subject, agents) if subject else ()
        if subject and judge_knows(answer, words, memory_ids).counted:
            edges.append((answer.agent, answer.subject))
    return network([a.name for a in agents], edges)


def invited_from_memories(memories: Mapping[str, Iterable[str]], words: Iterable[str]) -> list[str]:
    """Agents any of whose memory texts mention the event (in the order of ``memories``)."""
    words = list(words)
    return [agent for agent, texts in memories.items() if any(mentions(t, words) for t in texts)]


def in_place(address: str | None, place: str) -> bool:
    """Whether ``address`` is ``place`` or inside it (``world:sector`` holds
    ``world:sector:arena``)."""
    return bool(address) and (address == place or address.startswith(place + ":"))


def attendance(
    event: Event,
    addresses: Sequence[Sequence[str | None]],
    agents: Sequence[str],
    invited: Iterable[str],
    first_step: int = 0,
) -> Attendance:
    """Who was at ``event.place`` during its window, from frames: ``addresses[i][a]`` is agent
    ``a``'s address at step ``first_step + i``. An agent is present when it was there at least
    ``event.min_share`` of the window's steps (any step when that is 0); only the part of the
    window that ``addresses`` covers is looked at."""
    lo = max(event.start_step, first_step)
    hi = max(lo, min(event.end_step, first_step + len(addresses)))
    counts = dict.fromkeys(agents, 0)
    for row in addresses[lo - first_step : hi - first_step]:
        for name, address in zip(agents, row, strict=True):
            counts[name] += in_place(address, event.place)
    need = max(1, event.min_share * (hi - lo))
    present = [name for name in agents if counts[name] and counts[name] >= need]
    invited = _in_order(agents, set(invited))
    return Attendance(
        event=event.id,
        window=(lo, hi),
        present=present,
        invited=invited,
        invited_present=[name for name in invited if name in present],
        steps_present={name: n for name, n in counts.items() if n},
    )


def hallucination(
    answers: Iterable[Answer], known: KnownNames, memory_ids: MemoryIds
) -> Hallucination:
    """Answers that name a person or place not in the town, or cite a memory the agent does
    not have."""
    answers = list(answers)
    flagged = []
    for answer in answers:
        reasons = [
            Reason(kind=f"unknown_{hit.kind}", detail=hit.text)
            for hit in dict.fromkeys(candidates(answer.text, known))
        ]
        has = memory_ids.get(answer.agent, ())
        missing = [node for node in answer.cited if node not in has]
        if missing:
            reasons.append(Reason(kind="unknown_memory", detail=", ".join(map(str, missing))))
        if reasons:
            flagged.append(
                Flag(
                    agent=answer.agent,
                    question=answer.question,
                    answer=answer.text,
                    reasons=reasons,
                )
            )
    return Hallucination(
        checked=len(answers),
        flagged=flagged,
        rate=len(flagged) / len(answers) if answers else 0.0,
    )


def _of(answers: Iterable[KnowsAnswer], agents: Sequence[str]) -> list[KnowsAnswer]:
    names = set(agents)
    answers = list(answers)
    stray = sorted({a.agent for a in answers} - names)
    if stray:
        raise ValueError(f"answers of agents not in the town: {', '.join(stray)}")
    return answers


def _in_order(agents: Sequence[str], chosen: Collection[str]) -> list[str]:
    return [name for name in agents if name in chosen]
