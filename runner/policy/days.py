"""The policy's day (rule-based, not a model): a schedule from the persona's words.

The day is painted onto 24 hours, later strokes over earlier ones: sleep; a day at home; the
morning wash, an early habit the persona names (a run, tai chi) and breakfast; the working hours
(read from the daily requirement, "早上8点…晚上8点", else a default) spent as the persona's
words say (:mod:`runner.policy.roles`: a student attends a class, then writes the thesis; a
painter sketches at the square; the grocer works at the shop); lunch at home, at work, at the
café, in the park…; an errand, a walk or a visit after work; dinner; an evening of its own (the
dancers dance, the streamer streams, some go out); the wash before bed. Where a rule offers a
choice, a hash of the seed, the agent and the date picks, so the days are deterministic and
differ from agent to agent and day to day. Places come from what the agent knows (``places``:
its spatial memory), so it goes nowhere it has never seen or been told of.
"""

from __future__ import annotations

import re

from ..world.schedule import DAY, splice
from .roles import (
    EAT_WORDS,
    ERRANDS,
    EVENING,
    FOOD_KINDS,
    LESSON_WORDS,
    LUNCH_HOME_WORDS,
    LUNCH_OUT,
    LUNCH_QUICK_WORDS,
    MORNING,
    NIGHTS_IN,
    NIGHTS_OUT,
    WORK,
    WORK_WORDS,
    WORKPLACE_KINDS,
    Activity,
)
from .text import day_marks, is_news, persona_text, unit_hash

CLOCK = re.compile(r"(凌晨|早上|上午|中午|下午|傍晚|晚上)?\s*(\d{1,2})\s*点(半)?")
CLOCK_EN = re.compile(r"(\d{1,2})(?::(\d\d))?\s*(am|pm)", re.IGNORECASE)
AFTERNOON = ("中午", "下午", "傍晚", "晚上")


def hour_in(text: str, patterns: tuple[str, ...], default: int) -> int:
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            hour = int(m.group(1))
            if m.lastindex and m.lastindex >= 2 and m.group(2).lower() == "pm" and hour < 12:
                hour += 12
            return hour
    return default


def wake_hour(p: dict) -> int:
    return hour_in(
        p.get("lifestyle", ""),
        (r"(\d{1,2})\s*点起床", r"wakes? up (?:at |around )?(\d{1,2})\s*(am|pm)?"),
        7,
    )


def bed_hour(p: dict) -> int:
    pats = (
        r"晚上(\d{1,2})\s*点(?:左右)?(?:上床)?睡觉",
        r"(?:goes|go) to (?:bed|sleep) (?:at |around )?(\d{1,2})\s*(am|pm)?",
    )
    hour = hour_in(p.get("lifestyle", ""), pats, 23)
    if hour < 12:
        hour += 12
    return min(23, max(20, hour))


def working_hours(text: str) -> tuple[int, int] | None:
    """(start, end) minutes of the first two clock times in ``text``, if it has two."""
    times = []
    for period, hour, half in CLOCK.findall(text):
        h = int(hour) + (12 if period in AFTERNOON and int(hour) < 12 else 0)
        times.append(h * 60 + (30 if half else 0))
    for hour, minute, half_day in CLOCK_EN.findall(text):
        h = int(hour) % 12 + (12 if half_day.lower() == "pm" else 0)
        times.append(h * 60 + int(minute or 0))
    if len(times) < 2 or times[1] <= times[0]:
        return None
    return times[0], times[1]


class Day:
    """One agent's day being painted; see the module docstring."""

    def __init__(self, c: dict, seed: int):
        self.c = c
        self.seed = seed
        self.zh = c["lang"] == "zh"
        self.persona = c["persona"]
        self.text = persona_text(self.persona)
        self.low = self.text.lower()
        self.places: dict[str, str] = c["places"]
        self.schedule: list[list] = [[self.say("睡觉", "sleeping"), DAY]]

    # --- helpers ---------------------------------------------------------------------------
    def say(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def roll(self, key: str) -> float:
        return unit_hash(self.seed, self.c["name"], self.c["date"], key)

    def paint(self, start: int, end: int, task: str) -> None:
        if end > start:
            self.schedule = splice(self.schedule, start, end - start, task)

    def place_of(self, kinds: tuple[str, ...]) -> str | None:
        """A known place of the first of ``kinds`` that has one: the one the persona names
        first, else the first known."""
        for kind in kinds:
            known = [name for name, k in self.places.items() if k == kind]
            named = sorted((self.text.find(n), n) for n in known if n in self.text)
            if named or known:
                return named[0][1] if named else known[0]
        return None

    def task(self, activity: Activity, kinds: tuple[str, ...] | None = None) -> str | None:
        """The activity's task at a place the agent knows; None if it knows none."""
        fmt = activity.zh if self.zh else activity.en
        if not activity.kinds:
            return fmt
        place = self.place_of(kinds or activity.kinds)
        return None if place is None else fmt.format(place=place)

    def matching(self, activities: list[Activity]) -> list[str]:
        """The tasks of the activities the persona's words name, in table order."""
        out = []
        for activity in activities:
            if any(k in self.low for k in activity.keywords):
                task = self.task(activity)
                if task is not None and task not in out:
                    out.append(task)
        return out

    def any_of(self, activities: list[Activity], key: str) -> str | None:
        """One of the activities whose place the agent knows, picked by the hash."""
        tasks = [t for t in (self.task(a) for a in activities) if t is not None]
        return tasks[int(self.roll(key) * len(tasks))] if tasks else None

    def workplace(self) -> str | None:
        """A place of work the persona names with words of work (the café its owner runs), or
        the school where a pupil has its lessons."""
        named = sorted(
            (self.text.find(name), name)
            for name, kind in self.places.items()
            if kind in WORKPLACE_KINDS and name in self.text
        )
        if named and any(w in self.low for w in WORK_WORDS):
            return named[0][1]
        return next((name for _, name in named if self.has_lessons(name)), None)

    def has_lessons(self, job: str) -> bool:
        """A pupil's school: a school the persona has lessons at, no work words."""
        lessons = any(w in self.low for w in LESSON_WORDS)
        works = any(w in self.low for w in WORK_WORDS)
        return self.places.get(job) == "school" and lessons and not works

    # --- the day ---------------------------------------------------------------------------
    def build(self) -> list[tuple[str, int]]:
        wake, bed = self.c["wake_hour"] * 60, bed_hour(self.persona) * 60
        self.paint(wake, bed, self.say("在家休息", "rest at home"))
        start, end, job = self.work(self.morning(wake))
        lunch = 11 * 60 + 30 + 30 * int(self.roll("lunch") * 3)
        self.paint(lunch, lunch + 60, self.lunch(job, start <= lunch < end))
        errand_at = self.errand_hour(start, end)
        errand = self.any_of(ERRANDS, "errand")
        if errand is not None and errand_at is not None:
            self.paint(errand_at, errand_at + 60, errand)
        dinner = 17 * 60 + 30 + 30 * int(self.roll("dinner") * 3)
        if errand_at is not None:
            dinner = max(dinner, errand_at + 60)
        at_work = start <= dinner < end
        self.paint(dinner, dinner + (45 if at_work else 60), self.dinner(job if at_work else None))
        evening = max(dinner + 60, end if end < DAY else 0)
        self.paint(evening, bed - 30, self.evening())
        wash = bed - 30 - 15 * int(self.roll("wash") * 3)
        self.paint(wash, bed, self.say("晚上洗漱", "evening wash"))
        event = event_today(
            [*self.c.get("memories", []), self.c.get("plan_note", "")],
            self.c["date"],
            self.places,
            self.zh,
        )
        if event is not None:
            hour, task = event
            self.schedule = splice(self.schedule, hour * 60, 120, task)
        return _merged(self.schedule)

    def errand_hour(self, start: int, end: int) -> int | None:
        """When the hour of an errand begins: after work, before a late shift, or in the
        afternoon of a day without work; None when work fills the day."""
        if start >= DAY:
            return 14 * 60 + 60 * int(self.roll("errand hour") * 3)
        if end <= 18 * 60:
            return end
        return start - 90 if start >= 13 * 60 else None

    def morning(self, wake: int) -> int:
        """Wash, an early habit, breakfast; returns the minute the day's work may begin."""
        self.paint(wake, wake + 30, self.say("起床洗漱", "wake up and wash"))
        t = wake + 30
        habit = self.matching(MORNING)
        if habit:
            self.paint(t, t + 60, habit[0])
            t += 60
        self.paint(t, t + 30, self.say("在家吃早餐", "eat breakfast at home"))
        return t + 30

    def work(self, earliest: int) -> tuple[int, int, str | None]:
        """Paint the working hours; returns (start, end, the place of a job or None)."""
        hours = working_hours(str(self.persona.get("daily_requirement") or ""))
        job = self.workplace()
        tasks = self.matching(WORK)
        if job is not None and (hours is not None or not tasks):
            lessons = self.has_lessons(job)
            tasks = [
                self.say(f"在{job}上课", f"have lessons at {job}")
                if lessons
                else self.say(f"在{job}工作", f"work at {job}")
            ]
        else:
            job = None  # its own work (a student's, a writer's at the café), not a job there
        if not tasks:
            chores = self.say("在家做家务", "do the housework")
            self.paint(earliest, 12 * 60, chores)
            return DAY, DAY, None
        start, end = hours or (
            max(earliest, 8 * 60 + 30 * int(self.roll("start") * 3)),
            16 * 60 + 30 * int(self.roll("end") * 4),
        )
        start = max(start, earliest)
        self.paint(start, end, tasks[0])
        afternoon = tasks[1] if len(tasks) > 1 else tasks[0]
        self.paint(max(start, 13 * 60), end, afternoon)
        return start, end, job

    def lunch(self, job: str | None, working: bool) -> str:
        if any(w in self.low for w in LUNCH_HOME_WORDS):
            return self.say("回家吃午饭", "go home for lunch") if working else self.home_meal()
        if job is not None and working:
            return self.say(f"在{job}吃午饭", f"have lunch at {job}")
        if working and any(w in self.low for w in LUNCH_QUICK_WORDS):
            place = self.place_of(("college", "cafe"))
            if place:
                return self.say(f"在{place}随便吃点东西", f"grab a quick bite at {place}")
        for name, kind in self.places.items():
            i = self.text.find(name)
            if kind in FOOD_KINDS and i >= 0:
                near = self.low[i : i + len(name) + 8]
                if any(w in near for w in EAT_WORDS):
                    return self.say(f"在{name}吃午饭", f"have lunch at {name}")
        if self.roll("lunch out") < 0.35:
            return self.home_meal()
        return self.any_of(LUNCH_OUT, "lunch place") or self.home_meal()

    def home_meal(self) -> str:
        return self.say("在家吃午饭", "have lunch at home")

    def dinner(self, job: str | None) -> str:
        if job is not None:
            return self.say(f"在{job}吃晚饭", f"have dinner at work at {job}")
        bar = self.place_of(("bar",))
        if bar and self.roll("dinner out") < 0.2:
            return self.say(f"在{bar}吃晚饭", f"have dinner at {bar}")
        cooks = ("在家做晚饭", "cook dinner at home"), ("和家人吃晚饭", "have dinner with family")
        return self.say(*cooks[int(self.roll("dinner in") * 2)])

    def evening(self) -> str:
        own = self.matching(EVENING)
        if own and self.roll("own evening") < 0.8:
            return own[0]
        if self.roll("night out") < 0.4:
            out = self.any_of(NIGHTS_OUT, "night out")
            if out is not None:
                return out
        return self.say(*NIGHTS_IN[int(self.roll("night in") * len(NIGHTS_IN))])


def _merged(schedule: list[list]) -> list[tuple[str, int]]:
    """Neighbouring entries of the same task as one."""
    out: list[list] = []
    for task, minutes in schedule:
        if out and out[-1][0] == task:
            out[-1][1] += minutes
        else:
            out.append([task, minutes])
    return [(t, m) for t, m in out]


def day_routine(c: dict, seed: int) -> list[tuple[str, int]]:
    """The offline day of the agent asking (``c``: a daily_plan/hourly_schedule context)."""
    return Day(c, seed).build()


def task_at_hour(routine: list[tuple[str, int]], hour: int) -> str:
    """The routine's task at the start of ``hour``."""
    begin = 0
    for task, minutes in routine:
        if hour * 60 < begin + minutes:
            return task
        begin += minutes
    return routine[-1][0]


def event_today(
    memories: list[str], date: str, places: dict[str, str], zh: bool
) -> tuple[int, str] | None:
    """(hour, task) for news in memory of an event today at a known place, e.g. a party."""
    marks = day_marks(date)
    for text in memories:
        if not is_news(text) or not any(m in text for m in marks):
            continue
        zh_time = re.search(r"(下午|晚上)\s*(\d{1,2})\s*点", text)
        en_time = re.search(r"(\d{1,2})\s*(?::00)?\s*(pm|p\.m\.)", text, re.IGNORECASE)
        hour = int(zh_time.group(2)) if zh_time else int(en_time.group(1)) if en_time else None
        place = next((name for name in places if name in text), None)
        if hour is None or place is None:
            continue
        hour = hour + 12 if hour < 12 else hour
        return hour, f"去{place}参加派对" if zh else f"go to the party at {place}"
    return None
