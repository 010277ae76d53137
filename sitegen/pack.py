"""The replay data format (``docs/replay-format.md``): msgpack payloads, gzip'd, base64'd,
wrapped in classic scripts that call ``ringworldData(key, base64)``.

Everything here turns a :class:`~sitegen.simread.SimData` into plain msgpack-able objects;
writing files is :func:`write_data_file`.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Sequence
from pathlib import Path

import msgpack
import numpy as np

from .art.figures import FACINGS, looks
from .moments import highlights, opening_step
from .simread import TEXT_FIELDS, SimData
from .townpack import pack_town

FORMAT = "ringworld-replay"
VERSION = 2
OPTIONAL_TEXT = ("object_event",)  # packed like the others when the sim has them
MAX_TEXT = 500  # characters kept of one LLM-written line (action, chat, memory)
MAX_PERSONA = 1000  # characters kept of one persona field
MAX_LINES = 80  # lines kept of one conversation
PERSONA_FIELDS = (
    "name",
    "name_en",
    "age",
    "innate",
    "learned",
    "currently",
    "lifestyle",
    "living_area",
    "daily_requirement",
)

# Move codes, one per step after the chunk's first: 0..8 is a step of (dx, dy) in {-1, 0, 1}
# as (dx + 1) * 3 + (dy + 1) (4 = stay); STAY_RUN + varint n: n steps in place; JUMP +
# zigzag varints dx, dy: any other move.
STAY = 4
STAY_RUN = 9
JUMP = 10


def clip(text: object, limit: int = MAX_TEXT) -> str:
    """A bounded string of untrusted text (None -> "")."""
    if text is None:
        return ""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class StringTable:
    """Distinct strings of one payload; index 0 is always the empty string."""

    def __init__(self) -> None:
        self.items: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def add(self, text: object, limit: int = MAX_TEXT) -> int:
        text = clip(text, limit)
        sid = self._index.get(text)
        if sid is None:
            sid = self._index[text] = len(self.items)
            self.items.append(text)
        return sid


def _varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _zigzag(n: int) -> int:
    return n * 2 if n >= 0 else -n * 2 - 1


def encode_moves(xs: Sequence[int], ys: Sequence[int]) -> bytes:
    """Delta codes for positions ``1..n-1`` relative to each previous one."""
    out = bytearray()
    stay = 0
    for i in range(1, len(xs)):
        dx, dy = int(xs[i] - xs[i - 1]), int(ys[i] - ys[i - 1])
        if dx == 0 and dy == 0:
            stay += 1
            continue
        _flush_stay(out, stay)
        stay = 0
        if abs(dx) <= 1 and abs(dy) <= 1:
            out.append((dx + 1) * 3 + dy + 1)
        else:
            out.append(JUMP)
            _varint(out, _zigzag(dx))
            _varint(out, _zigzag(dy))
    _flush_stay(out, stay)
    return bytes(out)


def _flush_stay(out: bytearray, stay: int) -> None:
    if stay == 1:
        out.append(STAY)
    elif stay > 1:
        out.append(STAY_RUN)
        _varint(out, stay)


def encode_changes(values: Sequence[object], table: StringTable) -> list[int]:
    """``[offset, sid, offset, sid, ...]``: each change of value, offsets relative to the
    previous change (the first, at 0, gives the value at the chunk's first step)."""
    out: list[int] = []
    last_step, last = 0, None
    for i, value in enumerate(values):
        if i == 0 or value != last:
            out += [i - last_step, table.add(value)]
            last_step, last = i, value
    return out


def text_fields(sim: SimData) -> list[str]:
    """The per-frame text fields to pack: the four of every sim, and the optional ones the
    sim has."""
    return [*TEXT_FIELDS, *(f for f in OPTIONAL_TEXT if f in sim.text)]


def facings(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """(steps, agents) facing codes (index into ``FACINGS``: down, up, left, right): the
    direction of the latest move, the larger of its x and y (x on a tie); down before any."""
    dx = np.diff(xs, axis=0, prepend=xs[:1])
    dy = np.diff(ys, axis=0, prepend=ys[:1])
    face = np.where(
        np.abs(dx) >= np.abs(dy),
        np.where(dx > 0, FACINGS.index("right"), FACINGS.index("left")),
        np.where(dy > 0, FACINGS.index("down"), FACINGS.index("up")),
    )
    moved = (dx != 0) | (dy != 0)
    rows = np.where(moved, np.arange(len(xs))[:, None], -1)
    latest = np.maximum.accumulate(rows, axis=0)
    cols = np.arange(xs.shape[1])[None, :]
    return np.where(latest >= 0, face[np.maximum(latest, 0), cols], FACINGS.index("down"))


def pack_chunk(sim: SimData, start: int, end: int, memories: list[tuple], face: np.ndarray) -> dict:
    """Steps ``start..end-1``: keyframe positions and facings, moves, text changes,
    memories (``face``: the facings of every step, from :func:`facings`)."""
    table = StringTable()
    n_agents = len(sim.agents)
    chunk = {
        "start": start,
        "end": end,
        "x": sim.x[start].tolist(),
        "y": sim.y[start].tolist(),
        "face": face[start].tolist(),
        "moves": [encode_moves(sim.x[start:end, a], sim.y[start:end, a]) for a in range(n_agents)],
    }
    for name in text_fields(sim):
        column = sim.text[name]
        chunk[name] = [encode_changes(column[start:end, a], table) for a in range(n_agents)]
    per_agent: list[list] = [[] for _ in range(n_agents)]
    for agent, step, kind, description, importance in memories:
        if 0 <= agent < n_agents:
            per_agent[agent] += [
                step,
                table.add(kind, 20),
                _number(importance),
                table.add(description),
            ]
    chunk["memories"] = per_agent
    chunk["strings"] = table.items
    return chunk


def _number(value: object) -> float | int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(number) if number.is_integer() else round(number, 2)


def pack_talk(sim: SimData) -> dict:
    """All stored conversations, each bounded to ``MAX_LINES`` lines."""
    table = StringTable()
    talks = []
    for start, end, a, b, place, lines in sim.conversations:
        flat: list[int] = []
        for speaker, text in _lines(lines)[:MAX_LINES]:
            flat += [table.add(speaker, 100), table.add(text)]
        talks.append([start, end, a, b, table.add(place), flat])
    return {"strings": table.items, "conversations": talks}


def _lines(raw: str) -> list[tuple[str, str]]:
    """Conversation lines, stored as JSON ``[[speaker name, line], ...]``."""
    try:
        lines = json.loads(raw)
    except (TypeError, ValueError):
        return []
    if not isinstance(lines, list):
        return []
    return [
        (str(line[0] or ""), str(line[1] or ""))
        for line in lines
        if isinstance(line, list) and len(line) >= 2
    ]


def pack_meta(sim: SimData, chunks: list[dict], ui_lang: str) -> dict:
    """Run facts, agent profiles, the town, the list of data chunks, and the moments worth
    seeing (see :mod:`sitegen.moments`)."""
    thoughts = thought_steps(sim)
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": clip(sim.name, 200),
        "language": sim.language,
        "ui_lang": ui_lang,
        "backend": clip(sim.meta.get("backend", ""), 100),
        "start_time": sim.meta["start_time"],
        "sec_per_step": sim.sec_per_step,
        "steps": sim.steps,
        "target_steps": int(sim.meta.get("target_steps") or sim.steps),
        "chunks": chunks,
        "has_memories": sim.memories is not None,
        "agents": [
            {**_profile(p), "look": _look(look)} for p, look in zip(sim.agents, _looks(sim.agents))
        ],
        "town": pack_town(sim.town, _visited(sim)),
        "marks": {"thoughts": thoughts, "highlights": highlights(sim, thoughts)},
        "opening": opening_step(sim),
    }


def _looks(agents: list[dict]) -> list[dict]:
    return looks([str(p.get("name", "")) for p in agents], [p.get("age") for p in agents])


def _look(look: dict) -> dict:
    return {"style": look["style"], "colours": b"".join(bytes(c) for c in look["colours"])}


def _visited(sim: SimData) -> np.ndarray:
    """Tiles some agent stood on at some step."""
    seen = np.zeros((sim.town.height, sim.town.width), dtype=bool)
    inside = (sim.x >= 0) & (sim.x < sim.town.width) & (sim.y >= 0) & (sim.y < sim.town.height)
    seen[sim.y[inside], sim.x[inside]] = True
    return seen


def thought_steps(sim: SimData) -> list[int]:
    """Steps at which some agent had new thoughts (reflections, whispers) after the start."""
    rows = sim.memories or ()
    return sorted({int(step) for _, step, kind, _, _ in rows if kind == "thought" and step > 0})


def _profile(persona: dict) -> dict:
    out = {}
    for key in PERSONA_FIELDS:
        value = persona.get(key)
        if value is not None:
            out[key] = value if isinstance(value, int) else clip(value, MAX_PERSONA)
    return out


_KEY = re.compile(r"^[a-z0-9-]+$")


def encode_payload(obj: object) -> bytes:
    """msgpack, then gzip (reproducible: no timestamp)."""
    return gzip.compress(msgpack.packb(obj, use_bin_type=True), compresslevel=9, mtime=0)


def write_data_file(path: Path, key: str, obj: object) -> int:
    """Write ``ringworldData(key, "<base64>")``; returns the size of the gzip'd payload."""
    if not _KEY.match(key):
        raise ValueError(f"bad data key {key!r}")
    payload = encode_payload(obj)
    text = f'ringworldData("{key}","{base64.b64encode(payload).decode("ascii")}");\n'
    path.write_text(text, encoding="ascii")
    return len(payload)


def read_data_file(path: Path) -> tuple[str, object]:
    """The key and decoded object of a data file written by :func:`write_data_file`."""
    match = re.fullmatch(
        r'ringworldData\("([a-z0-9-]+)","([A-Za-z0-9+/=]*)"\);\s*', path.read_text(encoding="ascii")
    )
    if not match:
        raise ValueError(f"{path}: not a RingWorld data file")
    payload = gzip.decompress(base64.b64decode(match.group(2)))
    return match.group(1), msgpack.unpackb(payload, raw=False, strict_map_key=False)
