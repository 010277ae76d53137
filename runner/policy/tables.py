"""The policy's word tables: the YAML files of ``data/``, each read once (see data/README.md).

Every value is a string (YAML's base loader), lists of words become tuples; a rule is a pair
(words of the text, words of an option's name) as :func:`runner.policy.text.score` reads it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"

_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
Rule = tuple[tuple[str, ...], tuple[str, ...]]


@functools.cache
def table(name: str) -> dict[str, Any]:
    """The file ``data/<name>.yaml``, its values as strings."""
    return yaml.load((DATA / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)


def words(name: str, key: str) -> tuple[str, ...]:
    """A list of words of the file ``name``."""
    return tuple(table(name)[key])


def rules(name: str, key: str) -> list[Rule]:
    """A list of {words, names} entries of the file ``name`` as rules."""
    return [(tuple(e["words"]), tuple(e["names"])) for e in table(name)[key]]


def pair(entry: dict[str, str]) -> tuple[str, str]:
    """A {zh, en} entry as (zh, en)."""
    return entry["zh"], entry["en"]
