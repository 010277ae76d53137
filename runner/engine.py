"""The step engine: perceive, think (concurrently), settle conversations, move, store.

Each step reads one frozen view of the world, lets every agent think against it (in a thread
pool when ``workers`` > 1), pairs the wished-for conversations in agent order and holds them —
in a pool, each as soon as its pair is known, while the others still think — then writes
frames in agent order, in one transaction. Thinking changes only the thinker, a conversation
only its two agents, so with a deterministic backend the stored run is the same whatever the
number of workers, and the same after a kill and resume.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from tqdm import tqdm

from .agent.agent import Agent, StepRecords
from .agent.asker import Asker
from .agent.converse import converse
from .agent.history import plant_history
from .agent.memory import MemoryStream
from .agent.objects import ObjectUse, object_event, objects_in_use
from .agent.state import AgentState
from .agent.town import MindSettings, Seen, Town, View, room_views
from .catchup import CatchUp
from .config import Scenario
from .errors import RingWorldError
from .llm.base import Backend
from .llm.stack import LLMStack
from .runahead import RunAhead, both_sides
from .store import SimStore
from .store.records import Frame
from .world.clock import GameClock
from .world.loader import load_map
from .world.paths import PathFinder
from .world.rooms import Rooms
from .world.townmap import Tile, TownMap


class StopFlag:
    """Turns Ctrl-C (SIGINT) and SIGTERM into a request to stop after the current step."""

    def __init__(self) -> None:
        self.requested = False
        self._old: dict[int, object] = {}

    def __enter__(self) -> StopFlag:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        self.requested = True

    def __exit__(self, *exc) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)


def spawn_tiles(scenario: Scenario, tile_map: TownMap, source: str) -> list[Tile]:
    """Where each agent starts; a clear error for a home or start tile that does not work."""
    tiles = []
    for i, agent in enumerate(scenario.agents):
        area = agent.living_area
        if not tile_map.has(area):
            raise RingWorldError(
                f"{source}: key 'agents[{i}].living_area': '{area}' is not a place on the map"
            )
        if agent.start_tile is not None:
            tile = tuple(agent.start_tile)
            if not tile_map.walkable(tile):
                raise RingWorldError(
                    f"{source}: key 'agents[{i}].start_tile': {list(tile)} is a wall, water or "
                    "outside the map"
                )
        else:
            tile = tile_map.spawns.get(area) or _home_tile(tile_map, area)
        tiles.append(tile)
    return tiles


def _home_tile(tile_map: TownMap, area: str) -> Tile:
    free = [t for t in tile_map.tiles_of(area) if tile_map.walkable(t)]
    return min(free, key=lambda t: (t[1], t[0])) if free else tile_map.tiles_of(area)[0]


class Engine:
    @classmethod
    def from_scenario(
        cls,
        scenario: Scenario,
        store: SimStore,
        backend: Backend,
        workers: int = 1,
        llm: LLMStack | None = None,
        tile_map: TownMap | None = None,
        source: str = "scenario",
        lockstep: bool = False,
    ) -> Engine:
        """The scenario's town (its map, unless already loaded; everyone at their start tile)
        run into ``store`` through ``backend``."""
        if tile_map is None:
            tile_map = load_map(scenario.map, scenario.language)
        spawns = spawn_tiles(scenario, tile_map, source)
        return cls(scenario, tile_map, spawns, store, backend, workers, llm, lockstep)

    def __init__(
        self,
        scenario: Scenario,
        tile_map: TownMap,
        spawns: list[Tile],
        store: SimStore,
        backend: Backend,
        workers: int = 1,
        llm: LLMStack | None = None,
        lockstep: bool = False,
    ):
        self.llm = llm  # the backend's wrappers: per-step writes, budgets, progress
        self.stop_reason: str | None = None
        self.store = store
        self.clock = GameClock(scenario.start, scenario.sec_per_step)
        self.town = Town(
            tile_map,
            PathFinder(tile_map),
            self.clock,
            scenario.language,
            scenario.personas(),
            scenario.vision_radius,
            scenario.style,
            MindSettings.from_scenario(scenario.mind),
        )
        self.workers = workers
        self.lockstep = lockstep  # workers > 1, yet every step waits for the slowest agent
        self._rooms: Rooms | None = None  # the walks to each room, for running ahead
        done = store.steps_done()
        base = store.snapshot_step(done)  # replay steps base+1..done-1 from its states
        self.replay_from = 0 if base is None else base + 1
        self.live_from = done
        blobs = store.latest_states(before_step=self.replay_from)
        upto = self.replay_from if self.replay_from < done else done + 1
        dim = backend.embed(["维度 dimension"]).vectors.shape[1]
        self.agents = []
        self._saved: list[bytes | None] = []
        for i, tile in enumerate(spawns):
            blob = blobs.get(i)
            state = AgentState.from_bytes(blob) if blob else AgentState.at(tile)
            memory = MemoryStream.from_rows(
                # up to the snapshot, or <= done: thoughts planted between runs carry the next
                # step's number (after a replay, catchup.py adds them)
                dim,
                store.memory_rows(i, upto),
                store.last_accesses(i, upto),
            )
            asker = Asker(backend, scenario.language)  # each agent's own: its calls its records
            self.agents.append(Agent(i, self.town, state, asker, memory))
            self._saved.append(blob)
        self.history = scenario.history if self.replay_from == 0 else None
        self._in_use: tuple[int | None, dict[str, ObjectUse]] = (None, {})
        self._seen = [a.seen(self.replay_from - 1) for a in self.agents]  # after the last step
        self.snapshot_every = self.clock.steps_per_hour()
        self._catch_up = CatchUp(store, self.replay_from, done)

    def views(self, step: int, seen: list[Seen]) -> list[View]:
        """Each agent's view at ``step``: its room's, from everyone after ``step - 1``."""
        by_room = room_views(self.town.places, seen, self.objects(step - 1, seen))
        return [by_room[self.town.places.arena_at(a.tile)] for a in seen]

    def objects(self, at: int, seen: Sequence[Seen]) -> dict[str, ObjectUse]:
        """The objects in use at step ``at``, from the agents after it in agent order; the
        frames of a step and the view of the next read the same, so the answer is kept."""
        if self._in_use[0] != at:
            self._in_use = (at, objects_in_use(seen, at, self.town.places, self.town.lang))
        return self._in_use[1]

    def step(self, step: int, pool: ThreadPoolExecutor | None) -> None:
        """Lockstep: every agent thinks against the world after the step before."""
        began = time.perf_counter()
        self.plant_history(step, pool)
        talks = self._think_and_talk(step, self.views(step, self._seen), pool)
        self._seen = seen = [a.seen(step) for a in self.agents]
        frames = self.frames(step, seen)
        records = [a.take_records() for a in self.agents]  # the one outbox, drained here
        if step < self.live_from:  # rebuilding the state of a resumed run: all stored already
            self._catch_up.check(step, frames, self.agents)
            if self.llm is not None:
                self.llm.take_records(step)
            return
        states = lambda: [a.state.to_bytes() for a in self.agents]  # noqa: E731
        self.commit(step, began, frames, talks, records, states)

    def plant_history(self, step: int, pool: ThreadPoolExecutor | None) -> None:
        """The scenario's history, planted once before the first step."""
        if self.history:
            memories = [a.memory for a in self.agents]
            plant_history(
                self.town.personas, memories, self.history, step, pool.map if pool else map
            )
            self.history = None

    def frames(self, step: int, seen: Sequence[Seen]) -> list[Frame]:
        in_use = self.objects(step, seen)
        return [self._frame(a, step, in_use) for a in seen]

    def commit(
        self,
        step: int,
        began: float,
        frames: list[Frame],
        talks: list[tuple],
        records: list[StepRecords],
        states: Callable[[], list[bytes]],
    ) -> None:
        """Store a step in one transaction: its frames, talks (a, b, lines, place, end), the
        agents' records, the backend's, and at snapshots the states that changed."""
        llm = self.llm.take_records(step) if self.llm is not None else []  # the backend's
        snapshot = self.snapshot_at(step)
        changed = self._changed_states(states()) if snapshot else []
        wall_ms = (time.perf_counter() - began) * 1000
        with self.store.transaction() as db:
            self.store.write_step(
                db, step, self.clock.label(step), wall_ms, frames, changed, snapshot
            )
            for a, b, lines, place, end in talks:
                self.store.add_conversation(db, step, end, a, b, place, lines)
            self._store_records(db, step, records, llm)

    def _store_records(self, db, step: int, records: list[StepRecords], llm: list) -> None:
        """The agents' records of a step (in agent order) and the backend's."""
        self.store.add_days(db, step, [(i, *r.day) for i, r in enumerate(records) if r.day])
        self.store.add_calls(db, [call for r in records for call in r.calls])
        if self.llm is not None:
            self.store.add_llm(db, step, llm)
        self.store.add_memories(db, [m for r in records for m in r.memories])
        self.store.add_accesses(db, [a for r in records for a in r.accesses])

    def _changed_states(self, blobs: list[bytes]) -> list[tuple[int, bytes]]:
        """The states that differ from each agent's last stored one (which they replace)."""
        changed = []
        for i, blob in enumerate(blobs):
            if blob != self._saved[i]:
                changed.append((i, blob))
                self._saved[i] = blob
        return changed

    def _think_and_talk(
        self, step: int, views: list[View], pool: ThreadPoolExecutor | None
    ) -> list:
        """Every agent thinks; the wished-for conversations are paired in agent order (each
        agent in at most one) and held. In a pool a pair's talk starts as soon as both have
        thought and every agent before the first of them has wished, while the others still
        think: a conversation touches only its own two agents, so the run is the same."""
        if pool is None:
            wishes = [a.think(step, v) for a, v in zip(self.agents, views)]
            wish = wishes.__getitem__
            hold = lambda a, b: converse(a.talk, b.talk, step, views[a.index])  # noqa: E731
        else:
            thinking = [pool.submit(a.think, step, v) for a, v in zip(self.agents, views)]
            wish = lambda i: thinking[i].result()  # noqa: E731
            hold = lambda a, b: pool.submit(  # noqa: E731
                converse, a.talk, b.talk, step, views[a.index], both_sides
            )
        held, taken = [], set()
        for i, agent in enumerate(self.agents):
            j = wish(i)
            if j is None or i in taken or j in taken:
                continue
            wish(j)  # the other has thought too: whether it is busy now is known
            if agent.busy(step) or self.agents[j].busy(step):
                continue
            held.append((agent, self.agents[j], hold(agent, self.agents[j])))
            taken.update((i, j))
        for i in range(len(self.agents)):
            wish(i)  # every agent's thinking is over before the step is stored
        talks = []
        for a, b, talk in held:
            lines = talk.result() if pool else talk
            named = [[self.agents[speaker].name, text] for speaker, text in lines]
            talks.append((a.index, b.index, named, a.chat.place, a.chat.end))
        return talks

    def _frame(self, agent: Seen, step: int, in_use: dict[str, ObjectUse]) -> Frame:
        chat = agent.chat
        x, y = agent.tile
        if chat is not None and step < chat.end:
            partner = self.town.personas[chat.partner]["name"]
            zh, going = self.town.lang == "zh", chat.approaching(step)
            if going:
                text = f"走向{partner}" if zh else f"walking over to {partner}"
            else:
                text = f"与{partner}交谈" if zh else f"chatting with {partner}"
            return Frame(
                step,
                agent.index,
                x,
                y,
                text,
                "🚶" if going else "💬",
                chat.place,
                chat.line_at(step, agent.index),
            )
        act = agent.action
        use = in_use.get(act.address)
        event = None
        if use is not None and agent.index in use.holders:
            obj = act.address.rsplit(":", 1)[-1]
            event = object_event(obj, act.object_state, self.town.lang)[0]
        return Frame(step, agent.index, x, y, act.description, act.emoji, act.address, None, event)

    def run(self, target: int, progress: bool = True) -> tuple[int, bool]:
        """Run until ``target`` steps are stored or a stop is asked; (steps done, stopped)."""
        start = self.store.steps_done()
        pool = ThreadPoolExecutor(self.workers) if self.workers > 1 else None
        bar = tqdm(
            total=target,
            initial=start,
            unit="step",
            disable=not progress,
            dynamic_ncols=True,
            smoothing=0.05,
        )
        try:
            with StopFlag() as stop:
                if self.llm is not None:
                    self.llm.watch(lambda: stop.requested)
                for step in range(self.replay_from, self.live_from):
                    self.step(step, pool)
                self.replay_from = self.live_from  # once: a later run() goes on from here
                run = self._lockstep if pool is None or self.lockstep else self._ahead
                ahead = run(start, target, pool, stop, bar)
            if not ahead:  # the live states are those of the last stored step
                self._snapshot_last()
        finally:
            bar.close()
            if pool is not None:
                pool.shutdown()
        done = self.store.steps_done()
        return done, done < target and (stop.requested or self.stop_reason is not None)

    def _stopping(self, stop: StopFlag) -> bool:
        """A budget reached or a stop asked: start no further step."""
        self.stop_reason = self.llm.stop_reason() if self.llm else None
        return stop.requested or self.stop_reason is not None

    def _stored(self, step: int, target: int, bar: tqdm) -> None:
        bar.update(1)
        if step % 60 == 0 or step == target - 1:
            spent = self.llm.progress() if self.llm else f"calls {self._calls()}"
            bar.set_postfix_str(f"{self.clock.label(step)} {spent}")

    def _lockstep(self, start: int, target: int, pool, stop: StopFlag, bar: tqdm) -> bool:
        """Step by step, everyone together (``--workers 1``: the sequential reference)."""
        for step in range(start, target):
            if self._stopping(stop):
                break
            self.step(step, pool)
            self._stored(step, target, bar)
        return False

    def _ahead(self, start: int, target: int, pool, stop: StopFlag, bar: tqdm) -> bool:
        """Out of order, stored in order (:mod:`runner.runahead`); whether anyone is ahead of
        the last stored step at the end."""
        if start >= target:
            return False
        self.plant_history(start, pool)
        if self._rooms is None:
            self._rooms = Rooms.of(self.town.map, self.town.places)
        stored, stopping = (
            partial(self._stored, target=target, bar=bar),
            partial(self._stopping, stop),
        )
        ahead = self.llm is not None and self.llm.cache is not None  # answers to keep
        return RunAhead(self, pool, self._rooms, ahead).run(start, target, stopping, stored)

    def snapshot_at(self, step: int) -> bool:
        """Whether the states after ``step`` are stored (hourly, and the first live step)."""
        return step == self.live_from or (step + 1) % self.snapshot_every == 0

    def last_seen(self) -> list[Seen]:
        """Everyone after the last step run."""
        return self._seen

    def _snapshot_last(self) -> None:
        """Make the last stored step a snapshot, so that a resume starts right there."""
        last = self.store.steps_done() - 1
        if last >= self.live_from and self.store.snapshot_step(last + 1) != last:
            with self.store.transaction() as db:
                states = [a.state.to_bytes() for a in self.agents]
                self.store.add_snapshot(db, last, self._changed_states(states))

    def _calls(self) -> int:
        return self.store.last_call_id()
