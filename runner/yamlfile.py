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
        mark, detail = _where(exc)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RingWorldError(f"{source}: {problem}{at}: {detail}") from None


def _where(exc: yaml.YAMLError) -> tuple[Any, str]:
    """The mark to report and what went wrong. A scanner error ("while scanning a simple key",
    "… a quoted scalar") is found past the token it could not finish, often on the next line:
    the token's start (the context mark) is where the mistake is. A parser error's context is
    the enclosing block, which may start far above: there the problem mark is the place."""
    problem = getattr(exc, "problem", None) or "invalid YAML"
    context = getattr(exc, "context", None) or ""
    context_mark = getattr(exc, "context_mark", None)
    if context.startswith("while scanning") and context_mark is not None:
        return context_mark, f"{problem} ({context})"
    return getattr(exc, "problem_mark", None), problem
