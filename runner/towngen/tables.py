"""The word tables of the generator: the YAML files of ``runner/towngen/data``."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

from ..yamlfile import parse_yaml

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def table(name: str) -> Any:
    """The parsed ``data/<name>.yaml``."""
    path = DATA / f"{name}.yaml"
    return parse_yaml(path.read_text(encoding="utf-8"), str(path))


def pick(rng: random.Random, items: list, weights: list[float] | None = None) -> Any:
    """One of ``items`` (by ``weights`` if given); the same for the same state of ``rng``."""
    if weights is None:
        return items[rng.randrange(len(items))]
    return rng.choices(items, weights=weights, k=1)[0]


def word(pair: list, lang: str) -> str:
    """The ``lang`` side of a [zh, en] pair."""
    return pair[0] if lang == "zh" else pair[1]
