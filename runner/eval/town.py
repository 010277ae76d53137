"""What an evaluation takes from a sim's scenario and map: its facts and events, the steps to
evaluate, the names that are in the town, the places the battery names, the sim's mind mode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..errors import RingWorldError
from ..scenario import Scenario, load_scenario, read_sim_scenario, run_key
from ..world.clock import GameClock
from ..world.townmap import TownMap
from .names import KnownNames
from .results import AgentRef, Event, Fact

ABLATIONS = ("observe", "reflect", "plan")  # the mind: keys of the paper's ablations


def sim_scenario(sim_dir: Path, scenario_file: Path | None = None) -> Scenario:
    """The sim's scenario; with ``scenario_file``, that file's ``eval`` block (it must be the
    same run: an eval block added after the run started)."""
    scenario = read_sim_scenario(sim_dir)
    if scenario_file is None:
        return scenario
    other = load_scenario(scenario_file)
    if run_key(other) != run_key(scenario):
        raise RingWorldError(
            f"{scenario_file}: not the scenario of {sim_dir} (another run); --scenario takes "
            "the eval block of the scenario the sim was run from"
        )
    scenario.eval = other.eval
    return scenario


def mind_mode(scenario: Scenario) -> str:
    """``full``, or the ablation: ``no-reflect``, ``no-reflect-plan`` … (the ``mind:`` keys
    ``observe``, ``reflect``, ``plan`` that are false; absent keys count as on)."""
    off = [key for key in ABLATIONS if getattr(scenario.mind, key, True) is False]
    return "no-" + "-".join(off) if off else "full"


def agent_refs(personas: Sequence[dict]) -> list[AgentRef]:
    return [AgentRef(name=p["name"], name_en=p.get("name_en")) for p in personas]


def facts_of(scenario: Scenario) -> list[Fact]:
    """The scenario's facts, their ``known_at_start`` by scenario name."""
    by_en = {a.name_en: a.name for a in scenario.agents if a.name_en}
    return [
        Fact(
            id=f.id,
            question=f.question,
            words=f.words,
            known_at_start=[by_en.get(n, n) for n in f.known_at_start],
        )
        for f in scenario.eval.facts
    ]


def events_of(scenario: Scenario, town: TownMap) -> list[Event]:
    """The scenario's events, their windows in steps; each place must be on the map."""
    clock = GameClock(scenario.start, scenario.sec_per_step)
    out = []
    for i, e in enumerate(scenario.eval.events):
        if not town.has(e.place):
            raise RingWorldError(
                f"{scenario.name}: key 'eval.events[{i}].place': '{e.place}' is not a place "
                f"on the map (give world:sector, e.g. '{town.world}:{next(iter(town.tree), '')}')"
            )
        start = clock.step_at(dt.datetime.fromisoformat(e.start))
        end = max(start + 1, clock.step_at(dt.datetime.fromisoformat(e.end)))
        out.append(
            Event(
                id=e.id,
                place=e.place,
                start_step=start,
                end_step=end,
                words=e.words,
                min_share=e.min_share,
            )
        )
    return out


def day_ends(clock: GameClock, done: int) -> list[int]:
    """The last stored step of each game day (the last day may be partial)."""
    ends, step = [], 0
    while step < done:
        next_day = clock.day_start(step) + dt.timedelta(days=1)
        end = min(clock.step_at(next_day), done) - 1
        ends.append(end)
        step = end + 1
    return ends


def chosen_steps(asked: Sequence[int], clock: GameClock, done: int, where: Path) -> list[int]:
    """The steps to evaluate: ``asked`` (checked) or the end of each game day."""
    if done == 0:
        raise RingWorldError(f"{where}: no steps stored yet; run the sim first")
    for step in asked:
        if not 0 <= step < done:
            raise RingWorldError(
                f"{where}: --at-step {step}: the sim has steps 0 to {done - 1} stored"
            )
    return sorted(set(asked)) if asked else day_ends(clock, done)


def public_places(town: TownMap) -> list[str]:
    """Sectors that are nobody's home: the places the battery asks about."""
    return [sector for sector in town.tree if town.kinds.get(sector) != "home"] or list(town.tree)


def known_names(
    scenario: Scenario, town: TownMap, agents: Sequence[AgentRef], facts, events
) -> KnownNames:
    """The people and places of the town, for the hallucination check (``docs/eval.md``)."""
    people = [n for a in agents for n in (a.name, a.name_en) if n]
    places = {part for address in town.addresses for part in address.split(":")}
    places |= set(town.labels) | set(town.labels.values())
    extra = [w for item in [*facts, *events] for w in item.words]
    keys = ("innate", "learned", "currently", "lifestyle", "daily_requirement")
    mentioned = [p.get(k) or "" for p in scenario.personas() for k in keys]
    if scenario.history and Path(scenario.history).is_file():
        mentioned.append(Path(scenario.history).read_text(encoding="utf-8"))
    return KnownNames(people, sorted(places), extra, mentioned)
