"""Render a kind's prompt template (``runner/prompts/<lang>/<kind>.j2``) from its context."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .kinds import KINDS

TEMPLATES = Path(__file__).parent


@lru_cache(maxsize=2)
def _environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / lang),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["tojson_zh"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def render_prompt(kind: str, lang: str, context: dict[str, Any]) -> str:
    """The full prompt text: the persona and the JSON schema the answer must follow first (the
    same bytes in every prompt of an agent and kind: a server's prefix cache keeps them), what
    changes after."""
    template = _environment(lang).get_template(f"{kind}.j2")
    schema = json.dumps(KINDS[kind].schema, ensure_ascii=False)
    return template.render(**context, answer_schema=schema).strip()
