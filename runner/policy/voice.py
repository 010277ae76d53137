"""How the policy's lines sound: a named speaking style (``data/styles.yaml``) flavours a line
with its word swaps and one of its interjections in front, so a demo shows the feature and
reads as rule-based."""

from __future__ import annotations

from ..prompts.styles import named_style
from .tables import table
from .text import unit_hash

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
