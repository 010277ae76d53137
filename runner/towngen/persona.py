"""The persona of a resident in the scenario's words: who they are, where they live and with
whom, their work and hours, the people they know, a pastime.

Every sentence comes from a template of ``data/persona.yaml`` or ``data/jobs.yaml`` filled with
the resident's own household, places and relations, so the backgrounds of a town differ.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from .people import Person
from .places import Place
from .rooms import flat_name
from .tables import pick, table, word

Near = Callable[[Person, str], Place]  # the place of a key nearest to a person's home
ZH_NUMBERS = "一二三四"
EN_ORDINALS = ("first", "second", "third", "fourth")


def zh_clock(hour: float) -> str:
    whole, half = int(hour), hour % 1 >= 0.5
    period = "早上" if whole < 9 else "上午" if whole < 12 else "中午" if whole == 12 else "下午"
    period = "晚上" if whole >= 19 else "傍晚" if whole == 18 else period
    return f"{period}{whole if whole <= 12 else whole - 12}点{'半' if half else ''}"


def en_clock(hour: float) -> str:
    whole, minutes = int(hour), round(hour % 1 * 60)
    shown = whole % 12 or 12
    return f"{shown}{f':{minutes:02d}' if minutes else ''}{'am' if whole < 12 else 'pm'}"


def article(title: str) -> str:
    return ("an " if title[0].lower() in "aeiou" else "a ") + title


class Writer:
    """Writes the personas of one town in ``lang``."""

    def __init__(self, lang: str, rng: random.Random, near: Near, places: list[Place]):
        self.lang = lang
        self.rng = rng
        self.near = near
        self.places = places
        self.data = table("persona")

    # --- words ----------------------------------------------------------------------------
    def t(self, key: str, person: Person, **fields: str) -> str:
        """A template of ``key`` for ``person``, its fields filled."""
        template = word(pick(self.rng, self.data[key]), self.lang)
        return self.fill(template, person, **fields)

    def fill(self, template: str, person: Person, **fields: str) -> str:
        he = person.sex == "male"
        words = {
            "name": self.name(person),
            "P": "他" if he else "她",
            "He": "He" if he else "She",
            "he": "he" if he else "she",
            "His": "His" if he else "Her",
            "his": "his" if he else "her",
            "him": "him" if he else "her",
        }
        for key in ("park", "square", "bar", "cafe", "market"):
            if "{" + key + "}" in template:
                words[key] = self.near(person, key).name(self.lang)
        words.update(fields)
        return template.format(**words)

    def name(self, person: Person) -> str:
        return person.name.full

    def home(self, person: Person) -> str:
        home = person.household.home
        building = home.unit.names[0 if self.lang == "zh" else 1]
        if not home.flat:
            return building
        zh, en = flat_name(home.number)
        return f"{building}{zh}" if self.lang == "zh" else f"{en}, {building}"

    def place(self, key: str) -> str:
        return next(p for p in self.places if p.key == key).name(self.lang)

    def kin(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def join(self, names: list[str]) -> str:
        if self.lang == "zh":
            return "、".join(names)
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    # --- the fields -----------------------------------------------------------------------
    def intro(self, p: Person) -> str:
        if p.role == "retired":
            return self.t(
                "intro_retired", p, former=word(pick(self.rng, self.data["former"]), self.lang)
            )
        if p.role == "student":
            year = min(4, max(1, p.age - 17))
            shown = ZH_NUMBERS[year - 1] if self.lang == "zh" else EN_ORDINALS[year - 1]
            major = word(pick(self.rng, self.data["majors"]), self.lang)
            return self.t(
                "intro_student", p, college=self.place("college"), major=major, year=shown
            )
        if p.role == "pupil":
            grade = self.data["grades_zh"][p.age - 6] if self.lang == "zh" else str(p.age - 5)
            return self.t(
                "intro_pupil", p, age=str(p.age), school=self.place("school"), grade=grade
            )
        title = word(pick(self.rng, p.job.role["titles"]), self.lang)
        a_title = ("the " + title) if p.job.rank == 0 and p.job.place else article(title)
        if p.job.place is None:
            return self.t("intro_home", p, title=title, a_title=a_title)
        years = self.rng.randint(1, max(1, min(30, p.age - 20)))
        key = "intro_new" if years == 1 else "intro"
        place = p.job.place.name(self.lang)
        return self.t(key, p, place=place, title=title, a_title=a_title, years=str(years))

    def kids(self, p: Person, single: bool) -> str:
        phrases = []
        for kid in p.household.kids:
            son = kid.sex == "male"
            own = self.fill("{his}", p) if single else "their"
            kin = self.kin("儿子" if son else "女儿", f"{own} {'son' if son else 'daughter'}")
            if kid.role == "pupil":
                grade = (
                    self.data["grades_zh"][kid.age - 6] if self.lang == "zh" else str(kid.age - 5)
                )
                phrases.append(
                    self.t(
                        "kid_school",
                        p,
                        word=kin,
                        kid=self.name(kid),
                        school=self.place("school"),
                        grade=grade,
                    )
                )
            else:
                phrases.append(
                    self.t(
                        "kid_college",
                        p,
                        word=kin,
                        kid=self.name(kid),
                        college=self.place("college"),
                        year=ZH_NUMBERS[min(3, max(0, kid.age - 18))],
                    )
                )
        return "".join(self.kin("，", "; ") + ph for ph in phrases)

    def household(self, p: Person) -> str:
        hh, home = p.household, self.home(p)
        if p in hh.kids:
            return self.t("home_child", p, parents=self.parents_of(p), home=home)
        if p in hh.elders:
            father = next((x for x in hh.parents if x.sex == "male"), hh.parents[0])
            son = self.kin("儿子", "son") if father.sex == "male" else self.kin("女儿", "daughter")
            return self.t("home_grandparent", p, child_word=son, child=self.name(father), home=home)
        others = [self.name(x) for x in hh.parents if x is not p]
        if hh.kind == "alone":
            return self.t("home_alone", p, home=home)
        if hh.kind == "mates":
            return self.t("home_mates", p, mates=self.join(others), home=home)
        if not others:
            return self.t("home_single_parent", p, home=home, kids=self.kids(p, True))
        spouse = next(x for x in hh.parents if x is not p)
        wife = spouse.sex == "female"
        old = min(p.age, spouse.age) >= 60
        spouse_word = self.kin("妻子" if wife else "丈夫", "wife" if wife else "husband")
        key = "home_old_couple" if old else "home_couple"
        text = self.t(
            key, p, spouse_word=spouse_word, spouse=others[0], home=home, kids=self.kids(p, False)
        )
        return text + self.elders(p)

    def elders(self, p: Person) -> str:
        old = p.household.elders
        if not old:
            return ""
        own = p.sex == "male"  # the elders are the husband's parents
        if len(old) == 2:
            kin = self.kin("父母" if own else "公公婆婆", "parents" if own else "parents-in-law")
        else:
            male = old[0].sex == "male"
            zh = ("父亲" if male else "母亲") if own else ("公公" if male else "婆婆")
            en = ("father" if male else "mother") + ("" if own else "-in-law")
            kin = self.kin(zh, en)
        names = self.join([self.name(x) for x in old])
        return self.t("home_elder", p, elder_word=kin, elder=names)

    def parents_of(self, kid: Person) -> str:
        hh = kid.household
        parts = []
        for x in [*hh.parents, *hh.elders]:
            elder = x in hh.elders
            male = x.sex == "male"
            zh = ("爷爷" if male else "奶奶") if elder else ("爸爸" if male else "妈妈")
            en = (
                ("grandfather" if male else "grandmother")
                if elder
                else ("father" if male else "mother")
            )
            parts.append(
                self.kin(f"{zh}{self.name(x)}", self.fill("{his} ", kid) + f"{en} {self.name(x)}")
            )
        return self.join(parts)

    def relations(self, p: Person) -> str:
        """A sentence per acquaintance; two of one kind in different words."""
        lines, used = [], {}
        for kind, other in p.relations[:3]:
            templates = self.data[kind]
            start = used.setdefault(kind, self.rng.randrange(len(templates)))
            used[kind] = start + 1
            text = word(templates[start % len(templates)], self.lang)
            lines.append(self.fill(text, p, x=self.name(other), home=self.home(other)))
        return "".join(lines)

    def hobby(self, p: Person) -> str:
        if p.role == "pupil" or self.rng.random() < 0.25:
            return ""
        hobby = self.fill(word(pick(self.rng, self.data["hobbies"]), self.lang), p)
        return self.fill(word(self.data["hobby_line"], self.lang), p, hobby=hobby)

    def hours(self, p: Person) -> tuple[float, float]:
        if p.role == "pupil":
            return 7.5, 16.5
        if p.role == "student":
            return 8, 17
        return tuple(p.job.role["hours"]) if p.job else (9, 17)

    def lifestyle(self, p: Person) -> str:
        start = self.hours(p)[0]
        wake = 6 if p.role == "retired" else min(9, max(5, int(start - 1.5)))
        late = p.job is not None and p.job.role["hours"][1] >= 23
        bed = 21 if p.role in ("retired", "pupil") else 23 if late else self.rng.choice((22, 23))
        line = self.fill(
            word(self.data["lifestyle_line"], self.lang), p, wake=str(wake), bed=str(bed - 12)
        )
        extra = self.fill(word(pick(self.rng, self.data["lifestyle"]), self.lang), p)
        return f"{line}{'' if self.lang == 'zh' or not extra else ' '}{extra}"

    def currently(self, p: Person) -> str:
        key = {"retired": "retiree_now", "student": "student_now", "pupil": "pupil_now"}.get(p.role)
        items = self.data[key] if key else p.job.role["now"]
        now = self.fill(word(pick(self.rng, items), self.lang), p)
        return f"{self.name(p)}{now}。" if self.lang == "zh" else f"{self.name(p)} {now}."

    def requirement(self, p: Person) -> str | None:
        if p.role == "retired":
            return None
        start, end = self.hours(p)
        clock = zh_clock if self.lang == "zh" else en_clock
        times = {"start": clock(start), "end": clock(end)}
        if p.role in ("pupil", "student"):
            where = self.place("school" if p.role == "pupil" else "college")
            return self.fill(word(self.data["school_line"], self.lang), p, place=where, **times)
        duty = word(pick(self.rng, p.job.role["duties"]), self.lang)
        if p.job.place is None:
            return self.fill(word(self.data["home_work_line"], self.lang), p, duty=duty, **times)
        where = p.job.place.name(self.lang)
        return self.fill(
            word(self.data["work_line"], self.lang), p, place=where, duty=duty, **times
        )

    def persona(self, p: Person) -> dict:
        """The scenario's agent entry for ``p``."""
        traits = self.rng.sample(self.data["traits"], 3)
        learned = self.intro(p) + self.household(p) + self.relations(p) + self.hobby(p)
        if self.lang == "en":
            learned = re.sub(r"\.(?=\S)", ". ", learned)
        agent = {"name": self.name(p)}
        if self.lang == "zh":
            agent["name_en"] = p.name.en
        agent.update(
            age=p.age,
            innate=("、" if self.lang == "zh" else ", ").join(word(t, self.lang) for t in traits),
            learned=learned,
            currently=self.currently(p),
            lifestyle=self.lifestyle(p),
            living_area=p.living_area,
        )
        requirement = self.requirement(p)
        if requirement:
            agent["daily_requirement"] = requirement
        return agent
