"""Running ahead (issue 19, docs/engine.md): agents step out of order, steps are stored in order.

An agent may think step ``s`` once every agent it could read at ``s`` has finished ``s - 1``:
an agent ``j`` that has finished only ``t < s - 1`` can still walk ``k = s - 1 - t`` tiles (one
4-connected tile a step), so it cannot be read when its walk to ``i``'s room is longer than
``k``, or, in a room without game objects, when it is further than the vision radius plus ``k``
from ``i`` (what an agent reads is its room: :class:`~runner.agent.town.View`). The wished-for
talks of a step are paired in agent order over each component (agents linked by "same room,
within the vision radius"), exactly the lockstep pairs. A step is stored once every agent has
finished it, in one transaction, from the agents' records of that step.
"""

from __future__ import annotations

import bisect
import queue
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import TypeVar

import numpy as np

from .agent.converse import converse
from .agent.objects import objects_in_use
from .agent.town import Seen, View
from .thinkahead import AHEAD, Guesser, ThinkAhead
from .world.placeindex import PlaceIndex
from .world.rooms import Rooms

T = TypeVar("T")
R = TypeVar("R")
LEAD = 360  # steps an agent may be ahead of the last stored one (memory held)
COPIES = 8  # threads of copies thinking ahead: more would only take the GIL from the rest


def both_sides(fn: Callable[[T], R], sides: Iterable[T]) -> list[R]:
    """``fn`` over the two sides of a conversation at once, the second on a thread of its own:
    each side forms its view and remembers the talk touching only its own agent."""
    first, second = sides
    out: dict[str, object] = {}

    def other() -> None:
        try:
            out["value"] = fn(second)
        except BaseException as exc:  # raised in the caller's thread below
            out["error"] = exc

    thread = threading.Thread(target=other, daemon=True)
    thread.start()
    try:
        mine = fn(first)
    finally:
        thread.join()
    if "error" in out:
        raise out["error"]
    return [mine, out["value"]]


class Finished:
    """What the agents left after each step not stored yet: their records, by step."""

    def __init__(self, n: int, places: PlaceIndex):
        self.n, self.places = n, places
        self.seen: dict[int, list] = {}  # step -> Seen per agent (None: not finished)
        self.rooms: dict[int, dict[int, list[int]]] = {}  # step -> room -> agents, in order
        self.records: dict[int, list] = {}  # step -> StepRecords per agent
        self.states: dict[int, list] = {}  # snapshot step -> state bytes per agent
        self.talks: dict[int, list[tuple]] = {}  # step -> (a, b, lines, place, end)
        self.views: dict[int, dict[int, View]] = {}  # step -> room with objects -> its view
        self.low = 0  # no step before this one is kept

    def add(self, step: int, seen: Seen, records, state: bytes | None) -> None:
        self.seen.setdefault(step, [None] * self.n)[seen.index] = seen
        self.records.setdefault(step, [None] * self.n)[seen.index] = records
        room = self.places.arena_at(seen.tile)
        bisect.insort(self.rooms.setdefault(step, {}).setdefault(room, []), seen.index)
        if state is not None:
            self.states.setdefault(step, [None] * self.n)[seen.index] = state

    def drop_before(self, step: int) -> None:
        for old in range(self.low, step):
            for table in (self.seen, self.rooms, self.records, self.states, self.talks, self.views):
                table.pop(old, None)
        self.low = max(self.low, step)


class RunAhead:
    """Runs ``engine``'s agents from ``start`` (everyone has finished ``start - 1``) toward
    ``target`` in ``pool``, storing each step through ``engine.commit``."""

    def __init__(self, engine, pool: ThreadPoolExecutor, rooms: Rooms, ahead: bool = False):
        self.engine, self.pool, self.rooms = engine, pool, rooms
        self.agents = engine.agents
        self.places = engine.town.places
        self.radius, self.lang = engine.town.vision_radius, engine.town.lang
        n = len(self.agents)
        self.finished = Finished(n, self.places)
        self.tiles = np.zeros((n, 2), dtype=np.int64)  # after each agent's last finished step
        self.room = np.zeros(n, dtype=np.int64)
        self.wishes: dict[int, tuple[int | None, View]] = {}  # thought, not paired yet
        self.links: dict[int, list[int]] = {}  # those near each agent as it began its step
        self.flying: dict[Future, tuple] = {}
        self._pending: list[tuple] = []  # work to submit once the coordinator waits
        self._done: queue.SimpleQueue[Future] = queue.SimpleQueue()  # futures done, in order
        self.idle = set(range(n))
        self.done = np.zeros(n, dtype=np.int64)  # the last step each agent has finished
        self._began = time.perf_counter()  # when the step being stored began to be
        self.ahead = ThinkAhead(self.agents, Guesser(self)) if ahead else None
        self.ahead_pool = ThreadPoolExecutor(min(COPIES, n)) if ahead else None
        self.limit, self.stopped, self.moved = 0, False, True

    def finish(self, i: int, step: int, view: View | None = None, talked: bool = False) -> None:
        """Agent ``i`` has finished ``step`` (thought on ``view``, maybe ``talked``)."""
        agent = self.agents[i]
        if self.ahead is not None and view is not None:
            objects = bool(self.rooms.objects[next(iter(view.in_room))])
            self.ahead.check(i, step, view, objects, talked)
        seen = agent.seen(step)
        state = agent.state.to_bytes() if self.engine.snapshot_at(step) else None
        self.finished.add(step, seen, agent.take_records(), state)
        self.done[i] = step
        self.tiles[i] = seen.tile
        self.room[i] = self.places.arena_at(seen.tile)
        self.idle.add(i)
        self.moved = True

    def run(self, start: int, target: int, stopping: Callable[[], bool], on_commit) -> bool:
        """Step until ``target`` is stored or a stop is asked; whether anyone is ahead of the
        last stored step (its state there is not kept)."""
        self.done[:] = start - 1
        for seen in self.engine.last_seen():
            self.finished.add(start - 1, seen, None, None)
            self.tiles[seen.index] = seen.tile
            self.room[seen.index] = self.places.arena_at(seen.tile)
        front = start
        try:
            front = self._loop(front, target, stopping, on_commit)
        finally:
            if self.ahead_pool is not None:
                self.ahead_pool.shutdown(cancel_futures=True)
                self._keep_sent_ahead()
        ahead = bool(self.done.max() >= front)
        if not ahead:
            self.engine.last_seen()[:] = self.finished.seen[front - 1]
        return ahead

    def _loop(self, front: int, target: int, stopping: Callable[[], bool], on_commit) -> int:
        """Think, pair, talk and store until ``target`` or a stop; the first step not stored.
        The steps everyone has finished are stored after the next work is sent: the workers
        think meanwhile, and no agent waits for the store to be launched."""
        while front < target:
            self.stopped = self.stopped or stopping()
            if not self.stopped and (self.moved or self.limit != min(target, front + LEAD)):
                self.limit = min(target, front + LEAD)
                self.moved = False  # until someone finishes a step, the rule says the same
                self._launch(self.limit)
            self._send()
            while front < target and self.done.min() >= front:
                self._store(front)
                front += 1
                on_commit(front - 1)
            if not self.flying:
                if self.stopped or self.limit == min(target, front + LEAD):
                    break  # nothing thinks, and the store let nobody further
                continue
            for future in self._arrivals():
                self._landed(future)
        return front

    def _fly(self, pool: ThreadPoolExecutor, what: tuple, fn: Callable, *args) -> None:
        """``pool`` runs ``fn(*args)`` for ``what`` once the coordinator waits (:meth:`_send`)."""
        self._pending.append((pool is self.ahead_pool, pool, what, fn, args))

    def _send(self) -> None:
        """Submit the work asked for since the coordinator last waited, all at once, copies last:
        a worker woken mid-work takes the GIL from the coordinator (a forced switch after 5 ms),
        whose turn then takes as long as the workers' and holds back everyone it launches.
        Each future says when it is done (:meth:`_arrivals`)."""
        pending, self._pending = sorted(self._pending, key=lambda p: p[0]), []
        for _, pool, what, fn, args in pending:
            future = pool.submit(fn, *args)
            self.flying[future] = what
            future.add_done_callback(self._done.put)

    def _arrivals(self) -> list[Future]:
        """The futures done since the last call, waiting for one if none is (a queue, not
        ``concurrent.futures.wait``, which visits every future in flight each time)."""
        done = [self._done.get()]
        while not self._done.empty():
            done.append(self._done.get_nowait())
        return done

    def _store(self, step: int) -> None:
        """Step ``step``, which everyone has finished, in one transaction, from its records."""
        f = self.finished
        frames = self.engine.frames(step, f.seen[step])
        states = f.states.get(step)
        talks = f.talks.get(step, [])
        self.engine.commit(step, self._began, frames, talks, f.records[step], lambda: states)
        self._began = time.perf_counter()
        f.drop_before(step)

    # --- the rule ---------------------------------------------------------------------------
    def _launch(self, limit: int) -> None:
        """Start the thinking of every idle agent whose next step may be thought now."""
        who = np.array(sorted(i for i in self.idle if self.done[i] + 1 < limit), dtype=np.int64)
        if not len(who):
            return
        step = self.done[who] + 1
        slack = (step[:, None] - 1) - self.done[None, :]  # steps j may still walk
        room = self.room[who]
        rooms, back = np.unique(room, return_inverse=True)
        ys, xs = self.tiles[:, 1], self.tiles[:, 0]
        walk = np.stack([self.rooms.walk(r)[ys, xs] for r in rooms.tolist()])[back]
        gap = np.abs(self.tiles[who][:, None, :] - self.tiles[None, :, :]).max(axis=2)
        near = self.rooms.objects[room][:, None] | (gap <= self.radius + slack)
        waits = ((slack > 0) & (walk <= slack) & near).any(axis=1)
        for i in who[waits].tolist():
            self._think_ahead(i)
        for i, s in zip(who[~waits].tolist(), step[~waits].tolist()):
            view = self._view(i, s)
            self.idle.discard(i)
            self._fly(self.pool, ("think", i, s, view), self.agents[i].think, s, view)

    def _view(self, i: int, step: int) -> View:
        """Agent ``i``'s room at ``step``, from its agents that finished ``step - 1`` (all who
        may be read: the rule); notes whom ``i`` may pair with at ``step`` (``links``)."""
        f, room = self.finished, int(self.room[i])
        seen = [f.seen[step - 1][j] for j in f.rooms[step - 1][room]]
        x, y = f.seen[step - 1][i].tile
        r = self.radius
        self.links[i] = [
            a.index
            for a in seen
            if a.index != i and abs(a.tile[0] - x) <= r and abs(a.tile[1] - y) <= r
        ]
        if not self.rooms.objects[room]:  # only those near are read: the view is i's own
            return View.of(room, seen, {})
        views = f.views.setdefault(step - 1, {})  # everyone who can be in it has finished
        if room not in views:
            objects = objects_in_use(seen, step - 1, self.places, self.engine.town.lang)
            views[room] = View.of(room, seen, objects)
        return views[room]

    # --- thinking ahead (runner/thinkahead.py) ----------------------------------------------
    def _think_ahead(self, i: int) -> None:
        """Let agent ``i``'s copy think its next steps, if it may."""
        if self.ahead is None or self.stopped:
            return
        copy = self.ahead.next(i, int(self.done[i]), self._ahead_until(i))
        if copy is not None:
            until = partial(self._ahead_until, i)
            self._fly(self.ahead_pool, ("ahead", i, copy), copy.run, self.ahead.guess, until)

    def _ahead_until(self, i: int) -> int:
        """The first step agent ``i``'s copy may not think yet."""
        if self.stopped:
            return 0
        return min(self.limit, int(self.done[i]) + 1 + AHEAD)

    def _keep_sent_ahead(self) -> None:
        """The requests sent ahead in vain that no stored step took: kept as ``ahead`` rows of
        ``llm_calls`` all the same, for what the sim spent."""
        calls = self.engine.llm.cache.unclaimed(1 << 62)
        if calls:
            store = self.engine.store
            with store.transaction() as db:
                store.add_calls(db, calls)

    # --- thoughts, pairs, talks -------------------------------------------------------------
    def _landed(self, future: Future) -> None:
        kind, *what = self.flying.pop(future)
        if kind == "ahead":  # a copy's error only ends the copy: its guesses are never the run
            i, copy = what
            if future.exception() is not None:
                self.ahead.drop(i, copy)
            elif self.ahead.landed(i, copy) and copy.next < self._ahead_until(i):
                self._think_ahead(i)  # its batch is over, not its way ahead
            return
        result = future.result()  # an agent's error ends the run here
        if kind == "think":
            i, step, view = what
            self.wishes[i] = (result, view)
            self._pair(i, step)
        else:
            members, step, talks, a, b = what
            chat = self.agents[a].chat
            named = [[self.agents[who].name, text] for who, text in result]
            talks.append((a, b, named, chat.place, chat.end))
            if not any(w[:2] == ("talk", members) for w in self.flying.values()):
                self._close(members, step, talks)

    def _component(self, i: int, step: int) -> list[int] | None:
        """The agents linked to ``i`` at ``step`` (same room, within the vision radius, after
        ``step - 1``), in agent order; None while one of them has not thought yet."""
        found, todo = {i}, [i]
        while todo:
            k = todo.pop()
            if k not in self.wishes:
                return None
            for j in self.links[k]:  # known: k has thought ``step``
                if j not in found:
                    found.add(j)
                    todo.append(j)
        return sorted(found)

    def _pair(self, i: int, step: int) -> None:
        """Once the whole component of ``i`` has thought: its wishes paired in agent order (as
        the lockstep engine pairs the town's) and the talks held."""
        members = self._component(i, step)
        if members is None:
            return
        taken: set[int] = set()
        talks: list[tuple] = []
        for k in members:
            j, view = self.wishes[k]
            if j is None or k in taken or j in taken:
                continue
            a, b = self.agents[k], self.agents[j]
            if a.busy(step) or b.busy(step):
                continue
            taken.update((k, j))
            talk = ("talk", tuple(members), step, talks, k, j)
            self._fly(self.pool, talk, converse, a.talk, b.talk, step, view, both_sides)
        if not taken:
            self._close(tuple(members), step, talks)

    def _close(self, members: tuple[int, ...], step: int, talks: list[tuple]) -> None:
        """The component's step is over: its agents' records are kept, they may go on."""
        talks.sort()
        if talks:
            self.finished.talks.setdefault(step, []).extend(talks)
            self.finished.talks[step].sort()
        talked = {x for a, b, *_ in talks for x in (a, b)}
        for k in members:
            _, view = self.wishes.pop(k)
            self.finish(k, step, view, k in talked)
