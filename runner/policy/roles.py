"""What a persona's words say about its day (read by :mod:`runner.policy.days`): its work, its
mornings, its lunches and its evenings, as activities of the table ``data/roles.yaml``.

An activity's task is a pair of formats (zh, en); ``{place}`` is filled with a place the agent
knows of the kind the activity asks for (the first such place its persona names, else any it
knows), and an activity whose place the agent does not know is skipped.
"""

from __future__ import annotations

from typing import NamedTuple

from .tables import pair, table, words


class Activity(NamedTuple):
    keywords: tuple[str, ...]  # any of them in the persona's text
    kinds: tuple[str, ...]  # the kinds of place it happens at, in preference; () at home
    zh: str
    en: str


def _activities(key: str) -> list[Activity]:
    return [
        Activity(tuple(a["words"]), tuple(a["kinds"]), a["zh"], a["en"])
        for a in table("roles")[key]
    ]


# the working hours, first match first: the first two give the morning and the afternoon
WORK = _activities("work")
# kinds of place where one works when the persona names it with one of the WORK_WORDS
WORKPLACE_KINDS = words("roles", "workplace_kinds")
WORK_WORDS = words("roles", "work_words")
LESSON_WORDS = words("roles", "lesson_words")  # a pupil's lessons at a school it names
MORNING = _activities("morning")  # early habits, before breakfast
LUNCH_HOME_WORDS = words("roles", "lunch_home_words")
LUNCH_QUICK_WORDS = words("roles", "lunch_quick_words")
EAT_WORDS = words("roles", "eat_words")
FOOD_KINDS = words("roles", "food_kinds")
LUNCH_OUT = _activities("lunch_out")
ERRANDS = _activities("errands")  # after work or in a free afternoon
EVENING = _activities("evening")  # the persona's own evenings, first match first
NIGHTS_OUT = _activities("nights_out")
NIGHTS_IN = [pair(e) for e in table("roles")["nights_in"]]
