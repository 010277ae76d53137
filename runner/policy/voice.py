"""How the policy's lines sound: a named speaking style (``data/styles.yaml``) flavours a line
with its word swaps and one of its interjections in front, so a demo shows the feature and
reads as rule-based; and the first person, in which an agent says a memory about itself
(«伊莎贝拉正在…» said by 伊莎贝拉 is «我正在…»)."""

from __future__ import annotations

import re

from ..prompts.styles import named_style
from .tables import table
from .text import persona_text, unit_hash

# style key -> (word swaps, interjections); the interjections mark every styled line
WORDS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    key: (tuple((plain, styled) for plain, styled in s["swaps"]), tuple(s["marks"]))
    for key, s in table("styles").items()
}


def style_marks(style: str | None) -> tuple[str, ...]:
    """The interjections every line in ``style`` carries (none for an unnamed style)."""
    found = named_style(style)
    return WORDS[found.key][1] if found and found.key in WORDS else ()


def flavour(text: str, style: str | None, *keys: object) -> str:
    """``text`` in a named style: its word swaps and an interjection chosen by ``keys``."""
    found = named_style(style)
    if not found or found.key not in WORDS:
        return text
    swaps, marks = WORDS[found.key]
    for plain, styled in swaps:
        text = text.replace(plain, styled)
    return marks[int(unit_hash(found.key, text, *keys) * len(marks))] + text


# --- the first person: a memory about the speaker said as «我» / "I" -----------------------
ZH_PRONOUN = re.compile(r"(?:^|[。！？；])\s*([她他])(?!们)")
EN_PRONOUN = re.compile(r"(?:^|[.!?;]\s+)(She|He)\b")
# the pronoun, not inside another word: 她们/他们 (they), 其他 (other), 吉他 (guitar), 他人 (others)
ZH_SELF = {"她": re.compile(r"她(?!们)"), "他": re.compile(r"(?<![其吉])他(?![们人乡])")}
EN_FORMS = {
    "she": {"herself": "myself", "hers": "mine"},  # "her" is read by its place
    "he": {"himself": "myself", "him": "me", "his": "my"},
}
# "and (often) remembers what…" after "I …": a verb of the same subject, by what follows it
EN_AND_VERB = re.compile(
    r"(\band (?:often |always |usually |also )?)([a-z]+s)\b(?= (?:a|an|the|to|what|how|my|me"
    r"|their|its|them|everyone|people|over|up|out|about|games|in|at)\b)"
)
EN_IRREGULAR = {"is": "am", "was": "was", "has": "have", "does": "do", "goes": "go"}
# after an object "her", not a noun: "met her at", "told her."
EN_NOT_NOUN = (
    "to", "and", "with", "about", "for", "at", "in", "on", "up", "out", "that", "a", "an", "the",
    "again", "today", "yesterday", "before", "after", "later", "too",
)  # fmt: skip


def own_pronoun(persona: dict, zh: bool) -> str | None:
    """The pronoun the persona's own text uses for the agent: the first that opens a sentence
    of it (她/他, she/he); None when none does (nothing is guessed)."""
    found = (ZH_PRONOUN if zh else EN_PRONOUN).search(persona_text(persona))
    return found and found.group(1).lower()


def present(verb: str) -> str:
    """The first-person form of a third-person verb: is -> am, prepares -> prepare."""
    low = verb.lower()
    if low in EN_IRREGULAR:
        return EN_IRREGULAR[low]
    if low.endswith("ies") and len(low) > 4:
        return verb[:-3] + "y"
    if low.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return verb[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return verb[:-1]
    return verb


def _en_subject(text: str, subject: str) -> str:
    """``subject`` as "I" where it opens a sentence or clause (its verb in the first person),
    as "me" elsewhere; "subject's" as "my"."""
    s = re.escape(subject)
    text = re.sub(rf"(^|[.!?;:]\s+){s}'s\b", lambda m: m.group(1) + "My", text)
    text = re.sub(rf"\b{s}'s\b", "my", text)
    text = re.sub(rf"(^|[.!?;:]\s+){s}:\s+", lambda m: m.group(1) + "I ", text)  # "X: cook"
    opening = rf"(^|[.!?;:]\s+|, and\s+){s}\s+([A-Za-z]+)"
    text = re.sub(opening, lambda m: f"{m.group(1)}I {present(m.group(2))}", text)
    return re.sub(rf"\b{s}\b", "me", text)


def _en_pronoun(text: str, pronoun: str) -> str:
    """The agent's own pronoun as the first person: she is -> I am, his -> my, her -> my/me."""
    for word, mine in EN_FORMS[pronoun].items():
        text = re.sub(rf"\b{word}\b", mine, text)
        text = re.sub(rf"\b{word.capitalize()}\b", mine.capitalize(), text)
    either = f"(?:{pronoun}|{pronoun.capitalize()})"
    text = re.sub(rf"\b{either}\s+([A-Za-z]+)", lambda m: "I " + present(m.group(1)), text)
    text = re.sub(rf"\b{either}\b", "I", text)
    if pronoun == "she":  # "her": mine before a noun, me elsewhere
        not_noun = "|".join(EN_NOT_NOUN)
        text = re.sub(rf"\bher\b(?=\s+(?!(?:{not_noun})\b)[A-Za-z])", "my", text)
        text = re.sub(r"\bHer\b", "My", text)
        text = re.sub(r"\bher\b", "me", text)
    return text


def first_person(text: str, name: str, pronoun: str | None, zh: bool) -> str:
    """``text`` as the agent ``name`` says it: its name as «我» / "I"; in a text that opens
    with its name (about the agent itself), its pronoun too (``pronoun``: :func:`own_pronoun`)."""
    about_me = text.startswith(name)
    if zh:
        text = text.replace(name, "我")
        return ZH_SELF[pronoun].sub("我", text) if about_me and pronoun else text
    text = _en_subject(text, name)
    if about_me and pronoun:
        text = _en_pronoun(text, pronoun)
    return (
        re.sub(EN_AND_VERB, lambda m: m.group(1) + present(m.group(2)), text) if about_me else text
    )
