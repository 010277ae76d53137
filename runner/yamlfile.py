"""YAML files read the one way: a syntax error is one line naming the file, line and column."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import RingWorldError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, source: str, problem: str = "YAML syntax error") -> Any:
    """``text`` parsed (safe loader); ``problem`` starts the error line after the file name."""
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(exc, "problem", None) or "invalid YAML"
        raise RingWorldError(f"{source}: {problem}{at}: {detail}") from None
