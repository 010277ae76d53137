"""Game time: step numbers to date-times and back."""

from __future__ import annotations

import datetime as dt


class GameClock:
    """Step ``s`` happens at ``start + s * sec_per_step``."""

    def __init__(self, start: str, sec_per_step: int):
        self.start = dt.datetime.fromisoformat(start)
        self.sec_per_step = sec_per_step

    def time_at(self, step: int) -> dt.datetime:
        return self.start + dt.timedelta(seconds=step * self.sec_per_step)

    def label(self, step: int) -> str:
        return self.time_at(step).strftime("%Y-%m-%d %H:%M:%S")

    def minute_of_day(self, step: int) -> float:
        t = self.time_at(step)
        return t.hour * 60 + t.minute + t.second / 60

    def step_at(self, when: dt.datetime) -> int:
        """The first step at or after ``when``."""
        seconds = (when - self.start).total_seconds()
        return max(0, -int(-seconds // self.sec_per_step))

    def day_start(self, step: int) -> dt.datetime:
        t = self.time_at(step)
        return dt.datetime(t.year, t.month, t.day)

    def steps_per_hour(self) -> int:
        return max(1, 3600 // self.sec_per_step)
