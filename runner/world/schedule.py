"""A day's schedule: a list of [task, minutes] from midnight that covers 24 hours."""

from __future__ import annotations

DAY = 24 * 60


def task_at(schedule: list[list], minute: float) -> tuple[int, int, int]:
    """(index, start minute, end minute) of the task covering ``minute``."""
    begin = 0
    for i, (_, minutes) in enumerate(schedule):
        if minute < begin + minutes:
            return i, begin, begin + minutes
        begin += minutes
    last = len(schedule) - 1
    return last, begin - schedule[last][1], DAY


def splice(schedule: list[list], start: int, minutes: int, task: str) -> list[list]:
    """The schedule with ``task`` from ``start`` for ``minutes``; what it overlaps is cut."""
    end = min(DAY, start + minutes)
    before, after, begin = [], [], 0
    for name, length in schedule:
        stop = begin + length
        if begin < start:
            before.append([name, min(stop, start) - begin])
        if stop > end:
            after.append([name, stop - max(begin, end)])
        begin = stop
    return [item for item in [*before, [task, end - start], *after] if item[1] > 0]
