"""A day's schedule: a list of [task, minutes] from midnight that covers 24 hours."""

from __future__ import annotations

DAY = 24 * 60
SHORT_TASK = 120  # a window holds its task, and the next one too when it is shorter than this


def task_at(schedule: list[list], minute: float) -> tuple[int, int, int]:
    """(index, start minute, end minute) of the task covering ``minute``."""
    begin = 0
    for i, (_, minutes) in enumerate(schedule):
        if minute < begin + minutes:
            return i, begin, begin + minutes
        begin += minutes
    last = len(schedule) - 1
    return last, begin - schedule[last][1], DAY


def window_at(schedule: list[list], minute: float) -> tuple[int, int]:
    """(start, end) minute of the window around ``minute``, as the original's re-planning
    takes it: the task then, and the next one too when the task is shorter than two hours."""
    i, begin, end = task_at(schedule, minute)
    if end - begin < SHORT_TASK and i + 1 < len(schedule):
        end += schedule[i + 1][1]
    return begin, min(end, DAY)


def between(schedule: list[list], start: float, end: float) -> list[list]:
    """The tasks from minute ``start`` to ``end``, the first and last cut to fit."""
    out, begin = [], 0
    for name, length in schedule:
        low, high = max(begin, start), min(begin + length, end)
        if high > low:
            out.append([name, high - low])
        begin += length
    return out


def replace(schedule: list[list], start: int, end: int, items: list[list]) -> list[list]:
    """The schedule with minutes ``start``…``end`` replaced by ``items`` (which fill them)."""
    return [*between(schedule, 0, start), *items, *between(schedule, end, DAY)]


def splice(schedule: list[list], start: int, minutes: int, task: str) -> list[list]:
    """The schedule with ``task`` from ``start`` for ``minutes``; what it overlaps is cut."""
    end = min(DAY, start + minutes)
    return replace(schedule, start, end, [[task, end - start]] if end > start else [])
