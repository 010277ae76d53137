"""What one endpoint takes, learned from what it refuses and settled once per endpoint.

A chat request carries, besides the model and the messages, optional fields each server family
reads in its own words; :class:`EndpointRules` builds them and learns, from an HTTP 400/422
that names a field (its ``param``, or the field's name in its message), which form the server
takes:

- the token budget: ``max_tokens``; OpenAI's reasoning models refuse it
  (``unsupported_parameter``, "Use 'max_completion_tokens' instead"): then
  ``max_completion_tokens``;
- ``temperature``: left out when refused (OpenAI's reasoning models take only the default);
- structured output (``response_format``), one rung at a time down :data:`MODES`: ``json_schema``;
  ``json_object`` with the schema (bounded, see ``chat.bounded_schema``), which llama.cpp's
  servers turn into a grammar; plain ``json_object``; nothing. A 5xx whose message names the
  format counts as a refusal too (llama-cpp-python's server answers ``json_schema`` with a 500);
- thinking switched off (``llm.thinking: off``), down :data:`THINKING_OFF`:
  ``chat_template_kwargs: {enable_thinking: false}`` (vLLM, SGLang, llama-server: Qwen3 and
  other templates that read it), ``enable_thinking: false`` (DashScope), ``reasoning_effort:
  none`` (Ollama, newer OpenAI models), ``reasoning_effort: minimal`` (OpenAI's GPT-5); a form
  refused, or taken while the model thinks all the same, gives the next; after the last the
  thinking cannot be switched off and the answer is what follows it;
- thinking on (``low``/``medium``/``high``): ``reasoning_effort`` of that level;
- ``llm.extra_body``: sent as is; a field of it that is refused is left out.

Each refusal costs one request, never a retry, and is said once on stderr. Until a request of
the current form has been answered, requests go one at a time (:attr:`proven`), so a form is
refused at most once per endpoint however many agents ask at once; once one is answered, those
that queued behind it go together (``OpenAIBackend.complete``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import openai

from ..config import LLM
from .base import Request
from .chat import bounded_schema, request_schema
from .thinking import thinking_budget, token_budget

MODES = ("json_schema", "json_object+schema", "json_object", "none")  # the step-down ladder
FIRST_MODE = {"json_schema": "json_schema", "json_object": "json_object+schema", "none": "none"}
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "structured", "grammar")
# thinking switched off, in each server family's words, tried in turn
THINKING_OFF: tuple[tuple[str, dict[str, Any]], ...] = (
    ("chat_template_kwargs", {"chat_template_kwargs": {"enable_thinking": False}}),
    ("enable_thinking", {"enable_thinking": False}),
    ("reasoning_effort none", {"reasoning_effort": "none"}),
    ("reasoning_effort minimal", {"reasoning_effort": "minimal"}),
)
_STANDARD = ("model", "messages", "temperature", "max_tokens", "max_completion_tokens")


def response_format(mode: str, request: Request) -> dict:
    """The ``response_format`` of ``mode`` (a rung of :data:`MODES` other than ``none``)."""
    if mode == "json_schema":
        schema = {"name": request.kind, "schema": request_schema(request), "strict": True}
        return {"type": "json_schema", "json_schema": schema}
    if mode == "json_object+schema":
        return {"type": "json_object", "schema": bounded_schema(request_schema(request))}
    return {"type": "json_object"}


def refuses_format(exc: openai.APIStatusError) -> bool:
    """Whether the server refused the structured form rather than the question: HTTP 400, 422
    or a 5xx whose message names it (a 5xx that does not is a server fault, retried)."""
    status = exc.status_code
    if status not in (400, 422) and status < 500:
        return False
    text = str(exc).lower()
    return any(word in text for word in _FORMAT_WORDS)


def refused_field(exc: openai.APIStatusError, body: dict) -> str | None:
    """The optional field of ``body`` that a 400/422 refuses: its ``param``, else the first
    field the message names (OpenAI's "Unrecognized request argument supplied: X" has none)."""
    if exc.status_code not in (400, 422):
        return None
    param = getattr(exc, "param", None)
    optional = [key for key in body if key not in ("model", "messages")]
    if param in optional:
        return param
    text = str(exc)
    for key in sorted(optional, key=len, reverse=True):
        if re.search(rf"(?<![\w.]){re.escape(key)}(?![\w])", text):
            return key
    return None


class EndpointRules:
    """The fields one endpoint is sent, and what it has refused (see module doc)."""

    def __init__(
        self,
        llm: LLM,
        endpoint: str,
        say: Callable[[str], None],
        clean: Callable[[Exception], str] = str,
    ):
        self.endpoint = endpoint
        self.level = llm.thinking
        self.thinking_tokens = llm.thinking_tokens
        self.temperature = llm.temperature
        self.extra_body = dict(llm.extra_body)
        self.structured_mode = FIRST_MODE[llm.structured]
        self.tokens_field = "max_tokens"
        self.dropped: set[str] = set()  # optional fields refused: left out
        self.rung = 0  # of THINKING_OFF while thinking is off; len(THINKING_OFF): no switch
        self.thinks = False  # an answer came with thinking
        self.thought_last = False  # the last answer of the current form came with thinking
        self.proven = False  # a request of the current form was answered
        self.version = 0  # bumped at each change of form
        self._say = say
        self._clean = clean
        self._lock = threading.Lock()

    # --- the request -----------------------------------------------------------------------
    def body(self, request: Request, budget_factor: int = 1) -> dict[str, Any]:
        """Every field of the request but model and messages."""
        budget = token_budget(request.kind, self.level, self.thinking_tokens, self.thinks)
        body: dict[str, Any] = {
            "temperature": self.temperature,
            self.tokens_field: budget * budget_factor,
        }
        if self.structured_mode != "none":
            body["response_format"] = response_format(self.structured_mode, request)
        body.update(self._thinking_fields())
        body.update(self.extra_body)
        return {k: v for k, v in body.items() if k not in self.dropped}

    def _thinking_fields(self) -> dict[str, Any]:
        if self.level != "off":
            return {"reasoning_effort": self.level}
        return THINKING_OFF[self.rung][1] if self.rung < len(THINKING_OFF) else {}

    # --- learning --------------------------------------------------------------------------
    def learn(self, exc: openai.APIStatusError, body: dict, version: int) -> bool:
        """Whether ``exc`` refused a form that the endpoint now changes (send again), or was
        another error (False)."""
        field = refused_field(exc, body)
        if field is None or field == "response_format":
            if not (body.get("response_format") and refuses_format(exc)):
                return False
            field = "response_format"
        with self._lock:
            if self.version != version:
                return True  # changed by another request meanwhile: send in the new form
            note = self._change(field, exc)
            if note is None:
                return False
            self.version += 1
            self.proven = False
        self._say(f"llm: {self.endpoint} {note}")
        return True

    def _change(self, field: str, exc: openai.APIStatusError) -> str | None:
        """Change the form for a refused ``field``; what to say, or None if nothing changes."""
        said = self._clean(exc)[:100]
        why = f"refused {field} ({said})"
        if field == "response_format":
            mode = self.structured_mode
            self.structured_mode = MODES[MODES.index(mode) + 1]
            return (
                f"refused structured output '{mode}' ({said}); "
                f"using '{self.structured_mode}' from now on"
            )
        if field == "max_tokens":
            if "max_completion_tokens" not in str(exc):
                return None  # too many for the context, say: the question's own fault
            self.tokens_field = "max_completion_tokens"
            return f"{why}; sending max_completion_tokens from now on"
        if field in ("max_completion_tokens", "messages", "model"):
            return None
        if self.level == "off" and field in self._thinking_fields():
            return self._next_rung(field, getattr(exc, "code", None), why)
        self.dropped.add(field)
        return f"{why}; leaving it out from now on"

    def _next_rung(self, field: str, code: str | None, why: str) -> str:
        name = THINKING_OFF[self.rung][0]
        self.rung += 1
        if field == "reasoning_effort" and code != "unsupported_value":
            self.rung = len(THINKING_OFF)  # no reasoning_effort at all: skip its other values
        return f"{why}; {self._off_note(name)}"

    def _off_note(self, name: str) -> str:
        if self.rung < len(THINKING_OFF):
            return f"switching thinking off with {THINKING_OFF[self.rung][0]} instead of {name}"
        return "has no switch for thinking that it takes: " + self._anyway()

    def _anyway(self) -> str:
        budget = thinking_budget(self.level, self.thinking_tokens)
        return f"answers are taken after any thinking, with {budget} more tokens for it"

    def answered(self, version: int, thought: bool) -> None:
        """A request of form ``version`` was answered (with thinking or not)."""
        note = None
        last = len(THINKING_OFF) - 1  # the least effort there is: kept though the model thinks
        with self._lock:
            if version == self.version:
                self.proven = True
                self.thought_last = thought
            if thought and not self.thinks:
                self.thinks = True
                note = f"thinks before answering; {self._anyway()}"
            if thought and self.level == "off" and version == self.version and self.rung < last:
                name = THINKING_OFF[self.rung][0]
                self.rung += 1
                self.version += 1
                self.proven = False
                note = f"took {name} but the model thought all the same; {self._off_note(name)}"
        if note:
            self._say(f"llm: {self.endpoint} {note}")

    # --- what it settled on ----------------------------------------------------------------
    def settled(self) -> list[str]:
        """Lines for ``check-llm``: structured mode, thinking, parameters."""
        lines = [f"structured output settled on {self.structured_mode}"]
        lines.append("thinking: " + self._thinking_said())
        changed = []
        if self.tokens_field != "max_tokens":
            changed.append(f"{self.tokens_field} instead of max_tokens")
        if self.dropped:
            changed.append("left out: " + ", ".join(sorted(self.dropped)))
        if changed:
            lines.append("parameters: " + "; ".join(changed))
        return lines

    def _thinking_said(self) -> str:
        if self.level != "off":
            how = "reasoning_effort" if "reasoning_effort" not in self.dropped else "no switch"
            budget = thinking_budget(self.level, self.thinking_tokens)
            return f"{self.level} via {how}, {budget} tokens for it"
        if self.rung < len(THINKING_OFF) and not self.thought_last:
            return f"off via {THINKING_OFF[self.rung][0]}"
        if self.thinks:
            return "cannot be switched off on this server (answers taken after the thinking)"
        return "no switch taken by this server; no answer came with thinking"
