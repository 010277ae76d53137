"""What a speaker can tell of a conversation from its question's context: who the listener is
to it (family, friend, colleague, neighbour, an acquaintance, a stranger: from its persona and
its view of the other), how it calls them, where the two are and the hour, what each is doing
said from its side, and its own work in the first person. Rules and word tables
(``data/talk.yaml``), no model (see :mod:`runner.policy`); :mod:`.lines` writes the lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .tables import table
from .text import persona_text, unit_hash, zh_doing
from .voice import ZH_SELF, first_person, own_pronoun, present

TALK = table("talk")
BONDS = [(b["kind"], tuple(b["zh"]), tuple(b["en"])) for b in TALK["bonds"]]
SETTINGS = [(s["place"], tuple(s["words"])) for s in TALK["settings"]]
SLOTS = [(int(hour), slot) for hour, slot in TALK["slots"]]
ACQUAINTED = ("老相识", "上次", "old acquaintance", "last time")
INTRODUCED = ("我是", "我叫", "I'm ", "I am ")  # a first line that says who the speaker is
ZH_CLAUSE = re.compile(r"[，。；、！？]")
EN_CLAUSE = re.compile(r"[,.;!?]\s*|\s+and\s+")
SENTENCE = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+")
EN_LIST_VERB = re.compile(  # "I work … every day and fetches …, serves …" -> fetch, serve
    r"((?:,|\bevery day and) (?:and )?(?:often |always |usually )?|\band )([a-z]+s)\b"
    r"(?= (?:[a-z]+ )?(?:after|round|around|the|a|an|to|up|out|in|on|with|at|for|over|now"
    r"|their|its|them|people|everyone|customers|prescriptions|guests|drinks|goods|most|there|been|worked|lived)\b)"
)
LONG = {True: 90, False: 180}  # the longest persona sentence said as it stands (zh, en)
EN_HAVE = ("breakfast", "lunch", "dinner", "supper", "snack", "tea", "coffee")  # having lunch
EN_DOUBLE = {"run", "sit", "jog", "shop", "stop", "chat", "swim", "plan", "get", "put", "set"}


def given_name(name: str, zh: bool) -> str:
    """How one calls someone one knows: «伊莎贝拉» of «伊莎贝拉·罗德里格斯», «小雨» of «林小雨»,
    "Maria" of "Maria Lopez"."""
    if "·" in name:
        return name.split("·")[0]
    if zh:
        return name[1:] if len(name) == 3 else name
    return name.split()[0]


def surname(name: str, zh: bool) -> str:
    """The family name: «罗德里格斯» of «伊莎贝拉·罗德里格斯», «林» of «林小雨», "Lopez"."""
    if "·" in name:
        return name.split("·")[-1]
    if zh:
        return name[:1] if len(name) in (2, 3) else ""
    return name.split()[-1] if " " in name else ""


def ing(action: str) -> str:
    """An English action as its -ing form: 'teach at X' -> 'teaching at X'."""
    first, _, rest = action.partition(" ")
    low = first.lower()
    if low in EN_HAVE:
        return "having " + action
    if low in ("morning", "evening", "afternoon", "night"):  # a noun: 'evening wash'
        return "doing the " + action
    if low.endswith("ing") or not low.isalpha():
        word = first
    elif low.endswith("ie"):
        word = first[:-2] + "ying"
    elif low.endswith("e") and not low.endswith(("ee", "ye", "oe")) and len(low) > 2:
        word = first[:-1] + "ing"
    elif low in EN_DOUBLE:
        word = first + first[-1] + "ing"
    else:
        word = first + "ing"
    return f"{word} {rest}".strip()


PARENTS = {
    True: re.compile(r"([^，。、和]+)和([^，。、和]+)的(?:儿子|女儿)"),
    False: re.compile(r"(?:son|daughter) of (.+?) and (.+?)\b[,.]"),
}


def kin_call(text: str, other: str, zh: bool) -> str | None:
    """What a persona's ``text`` calls ``other`` when it names them as its parent or
    grandparent: «爸爸汤姆» -> 爸; «王建军和李桂芳的儿子»: the first 爸, the second 妈."""
    calls = TALK["zh" if zh else "en"]["kin_call"]
    name = re.escape(other)
    for word, call in calls.items():
        if re.search(rf"{word}\s*{name}" if zh else rf"\b{word} {name}", text, re.I):
            return call
    parents = PARENTS[zh].search(text)
    if not parents or not any(g.endswith(other) for g in parents.groups()):
        return None
    father = parents.group(1).endswith(other)
    return calls[("父亲" if father else "母亲") if zh else ("father" if father else "mother")]


def slot_of(time: str) -> str:
    """The time of day of 'HH:MM': morning, noon, afternoon, evening or night."""
    hour = int(time[:2])
    return [slot for start, slot in SLOTS if hour >= start][-1]


@dataclass
class Scene:
    """One line's situation, read from a ``chat_turn`` context (see module doc)."""

    c: dict

    @cached_property
    def zh(self) -> bool:
        return self.c["lang"] == "zh"

    @property
    def me(self) -> str:
        return self.c["name"]

    @property
    def other(self) -> str:
        return self.c["listener"]

    @cached_property
    def pronoun(self) -> str | None:
        """The persona's pronoun for itself; else the one its sentences about itself use."""
        found = own_pronoun(self.c["persona"], self.zh)
        if found or not self.zh:
            return found
        sentences = SENTENCE.split(persona_text(self.c["persona"]))
        about = [x for x in (x.strip() for x in sentences) if x.startswith(self.me)]
        used = {p for p in ("她", "他") for x in about if ZH_SELF[p].search(x)}
        return used.pop() if len(used) == 1 else None

    @cached_property
    def bond(self) -> str:
        """family, friend, colleague or neighbour by the persona's words about the listener;
        else known (its view says it knows them) or stranger."""
        text = persona_text(self.c["persona"])
        clauses = [s for s in (ZH_CLAUSE if self.zh else EN_CLAUSE).split(text) if s]
        names = {self.other, given_name(self.other, self.zh)}
        near = " ".join(
            " ".join(clauses[i : i + 2])
            for i, s in enumerate(clauses)
            if any(n and n in s for n in names)
        ).lower()
        for kind, zh_words, en_words in BONDS:
            if near and any(w in near for w in (zh_words if self.zh else en_words)):
                return kind
        if self.kin_by_home:
            return "family"
        known = any(mark in self.c.get("relationship", "") for mark in ACQUAINTED)
        known = known or self.setting == "home"  # met at home: they live together
        history = self.c.get("history") or []
        greeted = history and history[0][0] != self.me
        if greeted and not any(m in history[0][1] for m in INTRODUCED):
            known = True  # the other greets it as someone it knows
        return "known" if known else "stranger"

    @property
    def kin_by_home(self) -> bool:
        """The listener has the speaker's family name, and the speaker's home is named for it
        («林家住宅», "Moreno House")."""
        mine, theirs = (surname(n, self.zh) for n in (self.me, self.other))
        home = str(self.c["persona"].get("living_area") or "").split(":")[0]
        return bool(mine) and mine == theirs and mine in home

    @cached_property
    def addr(self) -> str:
        """How the speaker calls the listener: a parent or grandparent by its kin word (its
        persona's «爸爸汤姆», «王建军和李桂芳的儿子»), a stranger by the full name, else the
        given name."""
        if self.bond == "stranger":
            return self.other
        call = kin_call(persona_text(self.c["persona"]), self.other, self.zh)
        return call or given_name(self.other, self.zh)

    @cached_property
    def slot(self) -> str:
        return slot_of(self.c["time"])

    @cached_property
    def setting(self) -> str:
        """Where the two are, by the words of what they are doing (street when no word says)."""
        text = f"{self.c['own_action']} {self.c['listener_action']}".lower()
        return next((p for p, words in SETTINGS if any(w in text for w in words)), "street")

    def said_by_me(self, text: str) -> str:
        """``text`` as the speaker says it to the listener: itself «我», the listener «你»."""
        text = first_person(text, self.me, None, self.zh)
        mine = given_name(self.me, self.zh)
        if self.zh:
            text = text.replace(mine, "我") if len(mine) > 1 else text
            return text.replace(self.other, "你")
        text = re.sub(rf"\b{re.escape(mine)}\b", "me", text)
        return re.sub(rf"\b{re.escape(self.other)}\b", "you", text)

    def doing(self, whose: str) -> str:
        """What ``whose`` ('own' or 'listener') is doing, said by the speaker: «在家吃早餐»,
        «正在等我用完洗手池»; "having breakfast at home"."""
        action = self.c[f"{whose}_action"]
        if whose == "listener":
            action = self.said_by_me(action)
            if not self.zh:  # the listener's "my room" is "your room"
                action = re.sub(r"\bmy\b", "your", action)
        elif self.zh:
            action = action.replace(self.other, "你")
        else:
            action = re.sub(rf"\b{re.escape(self.other)}\b", "you", action)
        return zh_doing(action) if self.zh else ing(action)

    @property
    def same_doing(self) -> bool:
        return self.c["own_action"] == self.c["listener_action"]

    @property
    def waits_for_me(self) -> bool:
        """The listener is waiting for the speaker (for an object it uses)."""
        action = self.c["listener_action"]
        return self.me in action and ("等" in action or "wait" in action.lower())

    @cached_property
    def projects(self) -> list[str]:
        """What the persona says it is doing these days (its `currently`, its daily
        requirement), sentence by sentence in the first person whole."""
        p = self.c["persona"]
        text = " ".join(str(p.get(k) or "") for k in ("currently", "daily_requirement"))
        return self._own_sentences(persona_text({"currently": text}))

    @cached_property
    def intro(self) -> str:
        """Who the speaker is, to a stranger: the first sentence of its `learned`, as «我是…»."""
        found = self._own_sentences(str(self.c["persona"].get("learned") or ""))
        return found[0] if found else ""

    def _own_sentences(self, text: str) -> list[str]:
        """The sentences of ``text`` that open with the speaker's name or pronoun, in the first
        person; a pronoun after another's name (a clause with «·») is left to that one."""
        found = []
        for sentence in SENTENCE.split(text):
            sentence = sentence.strip().rstrip("。.!！")
            own = self.pronoun and re.match(rf"{self.pronoun}(?![们\w])", sentence, re.I)
            if own:
                sentence = self.me + sentence[len(self.pronoun) :]
            if (
                not sentence
                or not (own or sentence.startswith(self.me))
                or len(sentence) > LONG[self.zh]
            ):
                continue
            head, others = sentence, ""
            masked = sentence.replace(self.me, "我" * len(self.me)).find("·")
            cut = max(sentence.rfind("，", 0, masked), sentence.rfind("；", 0, masked))
            if self.zh and masked > 0 and cut > 0:
                head, others = sentence[:cut], sentence[cut:]
            head = first_person(head, self.me, self.pronoun, self.zh)
            if not self.zh and head.startswith("I "):  # "I go …, spends …" -> "spend"
                head = EN_LIST_VERB.sub(lambda m: m.group(1) + present(m.group(2)), head)
            found.append(head + others)
        return [self.said_by_me(s) for s in found]  # the listener named in it is «你»

    def pick(self, options: list[str], *keys: object) -> str:
        """One of ``options`` by a fixed hash of the speaker, the listener, the time, ``keys``."""
        roll = unit_hash(self.c.get("seed", 0), self.me, self.other, self.c["time"], *keys)
        return options[int(roll * len(options))]

    def rotate(self, options: list[str], *keys: object) -> str:
        """One of ``options`` by the half hour, from a start fixed by the speaker: a speaker
        says another one at each half hour of the day (no line twice in a day)."""
        hour, minute = int(self.c["time"][:2]), int(self.c["time"][3:5])
        start = int(unit_hash(self.me, *keys) * len(options))
        again = any(m in self.c.get("relationship", "") for m in ACQUAINTED[1::2])  # talked
        return options[(start + hour * 2 + minute // 30 + again) % len(options)]
