"""The lines of a conversation, turn by turn, as the offline policy writes them: a greeting for
who the listener is and the hour, a question on what they are doing (or a word on the place),
an answer with a question back, then each one's work or the news it has heard, the other's
answer to it, and a goodbye for the hour (or a walk together). Every line is said in the first
person; what was said before in the talk is answered, not repeated. Rules and the word tables
of ``data/talk.yaml``, no model (see :mod:`runner.policy`)."""

from __future__ import annotations

from .news import News, news_to_pass
from .scene import TALK, Scene, given_name
from .tables import words
from .text import is_news, unit_hash
from .voice import flavour

BUSY = words("words", "busy")  # either side busy: no walk proposed
WALK = ("一起去散散步", "go for a walk together")
AGREED = (TALK["zh"]["agreed"], TALK["en"]["agreed"])
WAITED = ("等我", "waiting for me", "keep you waiting")  # the words of data's waiting_for_me


def _words(s: Scene) -> dict:
    return TALK["zh" if s.zh else "en"]


def _fill(s: Scene, template: str, **more: str) -> str:
    doing = s.doing("listener")
    mine = s.doing("own")
    values = {
        "addr": s.addr,
        "me": s.me,
        "hi": _words(s)["hi"][s.slot],
        "doing": doing,
        "doing_cap": doing[:1].upper() + doing[1:],
        "doing_bare": doing.removeprefix("正"),
        "mine": mine,
        "mine_bare": mine.removeprefix("正"),
    }
    return template.format(**{**values, **more})


def opening(s: Scene) -> str:
    """The first line: a greeting, then the listener's doing (or: you wait for me; we both
    do this), now and then a word on the place."""
    w = _words(s)
    hello = _fill(s, s.pick(w["greet"][s.bond], "greet"))
    if s.waits_for_me:
        about = s.pick(w["waiting_for_me"], "wait")
    elif s.same_doing:
        about = _fill(s, s.pick(w["same"], "same"))
    else:
        about = _fill(s, s.pick(w["ask"], "ask"))
    remark = s.pick(w["remark"][s.setting], "remark")
    if unit_hash(s.me, s.c["time"], "remark") < 0.35:
        return _join(s, hello, remark, about)
    return _join(s, hello, about)


def answer(s: Scene, history: list) -> str:
    """The second line: assent (or: no hurry), what the speaker is doing, a question back."""
    w = _words(s)
    first = history[0][1] if history else ""
    hello = _fill(s, w["greet"]["stranger"][0]) if s.bond == "stranger" else ""
    if any(mark in first for mark in WAITED):
        return _join(s, hello, s.pick(w["ack_wait"], "wait"), s.pick(w["back"][s.slot], "back"))
    mine = s.pick(w["mine_same"] if s.same_doing else w["mine"], "mine")
    ack = s.pick(w["ack"], "ack") if first.rstrip().endswith(("？", "?")) else ""
    mine = _fill(s, mine)
    own = ack + (mine if s.zh or not ack or mine.startswith("I") else mine[:1].lower() + mine[1:])
    return _join(s, hello, own, s.pick(w["back"][s.slot], "back"))


def project(s: Scene, skip: str = "") -> str:
    """The speaker's work or days, a persona sentence in the first person (another each half
    hour), not one that holds ``skip`` (news told already)."""
    found = [p for p in s.projects if not (skip and is_news(p))]
    if not found:
        return ""
    pairs = [(frame, p) for frame in _words(s)["project"] for p in found]
    frame, said = s.rotate(pairs, "project")
    return frame.format(project=said)


def tell(s: Scene, news: News) -> str:
    """News in the speaker's words: its own with an invitation, heard news with who told it."""
    w = _words(s)
    if news.own:
        statement = s.said_by_me(news.statement)
        lead = s.pick(w["tell_own"], "tell")
        return f"{lead}{statement}{'。' if s.zh else '.'}{s.pick(w['invite'], 'invite')}"
    said = s.said_by_me(news.statement) + ("。" if s.zh else ".")
    told = ""
    if news.source and news.source != s.other:
        who = given_name(news.source, s.zh) if news.source in said else news.source
        told = s.pick(w["heard_from"], "from").format(source=who)
    return _join(s, s.pick(w["tell"], "tell"), said, told)


def react(s: Scene, said: str, heard_news: bool) -> str:
    """What the speaker says to the other's last line: to news (new to it, or known), to
    the other's work by its words, else a word of interest; never a reaction said before."""
    w = _words(s)
    if heard_news:
        known = any(is_news(m) for m in s.c.get("memories", []))
        first = s.pick(w["news_known"] if known else w["news_new"], "news")
        return _join(s, first, s.pick(w["news_back"], "back"))
    said_before = " ".join(line for _, line in s.c["history"])
    reactions = [x for topic in w["react_topic"] for x in topic["say"]]
    low = said.lower()
    for phrase in reactions:  # what the other said to the speaker's own work
        low = low.replace(phrase.lower(), "")
    mine = " ".join(s.projects).lower()
    for topic in w["react_topic"]:  # not on work the speaker shares (the café's own owner)
        fresh = [x for x in topic["say"] if x not in said_before]
        ours = any(word in mine for word in topic["words"])
        if fresh and not ours and any(word in low for word in topic["words"]):
            return s.pick(fresh, "topic")
    return _fill(s, s.pick(w["react_any"], "any"))


def _join(s: Scene, *parts: str) -> str:
    return ("" if s.zh else " ").join(p for p in parts if p)


def _told_in(history: list, news: News | None) -> bool:
    return news is not None and any(news.statement[:12] in line for _, line in history)


def length(s: Scene) -> int:
    """The last turn: 4 or 5 by a hash both sides compute alike (the pair and the time)."""
    pair = sorted((s.me, s.other))
    return 4 + int(unit_hash(s.c.get("seed", 0), *pair, s.c["time"], "length") * 2)


def _turn(s: Scene, history: list, news: News | None, walk: bool) -> tuple[str, str]:
    """The line of this turn as (its own words, the news or work it passes on)."""
    turn, w = len(history), _words(s)
    said = history[-1][1] if history else ""
    heard = bool(history) and is_news(said)
    if turn == 0:
        return opening(s), ""
    if turn == 1:
        return answer(s, history), ""
    if turn == 2:
        mine = "" if s.same_doing else _fill(s, s.pick(w["mine"], "mine"))
        if s.bond == "stranger" and s.intro:
            mine = s.intro + ("。" if s.zh else ".")
        told = tell(s, news) if news else project(s)
        return mine, told or s.pick(_words(s)["remark"][s.setting], "remark2")
    if turn == 3:
        told = tell(s, news) if news and not heard else project(s, "news" if heard else "")
        return react(s, said, heard), told
    if any(WALK[0] in line or WALK[1] in line for _, line in history):
        return _fill(s, s.rotate(w["agree"], "agree"), agreed=w["agreed"]), ""
    if turn == 4:
        end = s.rotate(w["walk"], "walk") if walk else _fill(s, s.pick(w["close"][s.slot], "end"))
        return _join(s, react(s, said, heard), end), ""
    return _fill(s, s.pick(w["bye"], "end")), ""


def chat_line(c: dict, seed: int) -> dict:
    """The next line of a conversation (see module doc); ``end`` at its last turn."""
    s, history = Scene({**c, "seed": seed}), c["history"]
    turn = len(history)
    news = news_to_pass(c.get("memories", []), s.me, s.other)
    if _told_in(history, news) or (news and not news.own and s.bond == "stranger"):
        news = None  # told already; or heard news, which one keeps from strangers
    proposed = any(WALK[0] in line or WALK[1] in line for _, line in history)
    free = not any(x in f"{c['own_action']} {c['listener_action']}".lower() for x in BUSY)
    hour = int(c["time"][:2])
    walk = free and 10 <= hour < 19 and unit_hash(seed, s.me, s.other, c["time"]) < 0.4
    last = 5 if proposed or (turn == 4 and walk) else length(s)
    own, passed = _turn(s, history, news, walk and turn == 4)
    if not own and not is_news(passed):  # news unflavoured (the listener's notes read it)
        own, passed = passed, ""
    line = _join(s, flavour(own, c["style"], s.me, turn) if own else "", passed)
    return {"line": line, "end": turn >= last}
