"""What the report takes from the sim beside ``eval.json``: the scenario's title and households,
and the moments of the replay behind a measure (the talk in which someone first heard a piece of
news). A report built from an ``eval.json`` alone has none of these and shows none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from runner.errors import RingWorldError
from runner.scenario import read_sim_scenario
from runner.store import SimFolder

NOBODY = -1  # the teller of news that a memory holds but no talk passed on (a plan, step 0)


@dataclass
class SimContext:
    """The scenario's words for the sim, and what the replay recorded (agents by index)."""

    title: str
    scenario: str
    households: list[str] = field(default_factory=list)  # per agent, "" when unknown
    talks: list[tuple[int, int, int, list]] = field(default_factory=list)  # step, a, b, lines
    memories: list[tuple[int, int, str]] = field(default_factory=list)  # step, agent, text


def read_context(sim_dir: Path) -> SimContext | None:
    """The sim's scenario and replay record, or None for a folder that is not a stored sim."""
    folder = SimFolder(Path(sim_dir))
    try:
        scenario = read_sim_scenario(folder.path)
    except RingWorldError:
        return None
    context = SimContext(
        title=scenario.description or scenario.name or folder.name,
        scenario=scenario.name or folder.name,
        households=[a.living_area.split(":")[0] for a in scenario.agents],
    )
    store = folder.open(readonly=True)
    try:
        with store.snapshot():
            done = store.steps_done()
            context.talks = [
                (c.step_start, c.agent_a, c.agent_b, _lines(c.lines))
                for c in store.conversations(done)
            ]
            context.memories = sorted(
                (step, agent, text) for agent, _, step, _, text, _ in store.memory_texts()
            )
    finally:
        store.close()
    return context


def _lines(raw: str) -> list:
    try:
        lines = json.loads(raw)
    except ValueError:
        return []
    return [line for line in lines if isinstance(line, list) and len(line) == 2]


def mentions(text: str, words: Sequence[str]) -> bool:
    """Whether ``text`` names any of ``words``, case-insensitive: the rule by which the
    evaluation reads an answer or a memory as knowing (``runner.eval.measures.mentions``)."""
    folded = text.casefold()
    return any(w.strip() and w.strip().casefold() in folded for w in words)


def first_heard(
    context: SimContext, words: Sequence[str], names: Sequence[str], until: int | None = None
) -> dict[int, tuple[int, int]]:
    """For each agent who ever had news with one of ``words``: ``(step, teller)``, the first
    talk in which another agent said it to them, or, where a memory of it came first (a plan,
    the planted history), the step of that memory and :data:`NOBODY`. Only what happened before
    ``until`` (a step) counts when it is given."""
    end = until if until is not None else float("inf")
    first: dict[int, tuple[int, int]] = {}
    index = {name: i for i, name in enumerate(names)}
    for step, a, b, lines in context.talks:
        for speaker, text in lines if step < end else ():
            teller = index.get(speaker)
            if teller in (a, b) and mentions(str(text), words):
                first.setdefault(b if teller == a else a, (step, teller))
    for step, agent, text in context.memories:
        if step < end and step < first.get(agent, (end,))[0] and mentions(text, words):
            first[agent] = (step, NOBODY)
    return first
