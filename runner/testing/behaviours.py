"""How the loopback server's model behaves: thinking before the answer, OpenAI's parameter rules.

A :class:`Behaviour` is given to :class:`runner.testing.loopback.OpenAIServer` per test:

- ``thinking``: where the model's thinking goes, as servers document it: ``None`` (a plain
  model), ``"content"`` (``<think>…</think>`` before the answer: Qwen3 or an R1 distill on
  llama-server with ``--reasoning-format none``, older Ollama; ``open_tag=False`` leaves out
  ``<think>`` as R1 distills' templates do), ``"reasoning_content"`` (vLLM's reasoning parsers,
  DeepSeek's API, llama-server's ``--reasoning-format deepseek``), ``"reasoning"`` (newer vLLM,
  Ollama) or ``"hidden"`` (OpenAI's reasoning models: only
  ``usage.completion_tokens_details.reasoning_tokens`` tells). It thinks ``thinking_tokens`` a
  call, within the request's token budget: a budget too small for the thinking and the answer
  cuts the reply there (``finish_reason: length``).
- ``honours``: the switches that stop the thinking (``chat_template_kwargs``, ``enable_thinking``,
  ``reasoning_effort``); any other is ignored.
- ``openai_rules``: refuse as OpenAI's reasoning models do: ``max_tokens``
  (``unsupported_parameter``), a ``temperature`` other than 1 and ``reasoning_effort: none``
  (``unsupported_value``), and any field OpenAI does not know ("Unrecognized request argument").

Counted: ``thinking_calls`` (answers that came with thinking) and ``refused`` (per field).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

THINKING_TEXT = "让我想一想：先看看问题，再看看能选什么，然后选一个最合适的。"
OPENAI_FIELDS = {
    "model",
    "messages",
    "temperature",
    "max_completion_tokens",
    "response_format",
    "reasoning_effort",
    "seed",
    "top_p",
    "stop",
}
EFFORTS = ("minimal", "low", "medium", "high")


def tokens(text: str) -> int:
    """The loopback server's token count: two characters a token."""
    return len(text) // 2 + 1


@dataclass
class Behaviour:
    thinking: str | None = None
    thinking_tokens: int = 400
    open_tag: bool = True
    honours: tuple[str, ...] = ()
    openai_rules: bool = False
    thinking_calls: int = 0
    refused: Counter = field(default_factory=Counter)
    fields: Counter = field(default_factory=Counter)  # the fields of the requests answered
    last: dict = field(default_factory=dict)  # the last request answered

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def refusal(self, data: dict) -> dict | None:
        """OpenAI's 400 body for a request it refuses, or None (counted per field)."""
        if not self.openai_rules:
            return None
        found = _openai_refusal(data)
        if found is not None:
            error = found["error"]
            with self._lock:
                self.refused[error["param"] or error["message"].split()[-1]] += 1
        return found

    def thinks(self, data: dict) -> bool:
        """Whether the model thinks for this request (no switch it honours says off)."""
        if self.thinking is None:
            return False
        switches = {
            "chat_template_kwargs": (data.get("chat_template_kwargs") or {}).get("enable_thinking"),
            "enable_thinking": data.get("enable_thinking"),
            "reasoning_effort": data.get("reasoning_effort") not in ("none", "minimal", None)
            if "reasoning_effort" in data
            else None,
        }
        return not any(switches[name] is False for name in self.honours)

    def reply(self, data: dict, answer: str) -> tuple[dict, str, dict]:
        """The message, finish reason and completion usage of ``answer``, thought or not."""
        with self._lock:
            self.fields.update(list(data))
            self.last = data
        if not self.thinks(data):
            return {"role": "assistant", "content": answer}, "stop", _usage(tokens(answer), 0)
        with self._lock:
            self.thinking_calls += 1
        budget = data.get("max_completion_tokens") or data.get("max_tokens") or 10**6
        thought_tokens = min(self.thinking_tokens, budget)
        thinking = (THINKING_TEXT * (2 * self.thinking_tokens // len(THINKING_TEXT) + 1))[
            : 2 * thought_tokens
        ]
        room = budget - thought_tokens
        cut = room < tokens(answer)
        answer = answer[: 2 * max(0, room)] if cut else answer
        finished = thought_tokens == self.thinking_tokens
        message = {"role": "assistant", "content": answer if finished else ""}
        if self.thinking == "content":
            head = "<think>\n" if self.open_tag else ""
            tail = "\n</think>\n\n" + answer if finished else ""
            message["content"] = head + thinking + tail
        elif self.thinking in ("reasoning_content", "reasoning"):
            message[self.thinking] = thinking
        written = thought_tokens + (tokens(answer) if finished and answer else 0)
        usage = _usage(written, thought_tokens if self.thinking != "content" else 0)
        return message, "length" if cut else "stop", usage


def _usage(completion: int, reasoning: int) -> dict:
    usage = {"completion_tokens": completion}
    if reasoning:
        usage["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return usage


def _openai_refusal(data: dict) -> dict | None:
    for key in data:
        if key == "max_tokens":
            return _error(
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead.",
                "max_tokens",
                "unsupported_parameter",
            )
        if key not in OPENAI_FIELDS:
            return _error(f"Unrecognized request argument supplied: {key}", None, None)
    if data.get("temperature", 1) != 1:
        value = data["temperature"]
        return _error(
            f"Unsupported value: 'temperature' does not support {value} with this model. "
            "Only the default (1) value is supported.",
            "temperature",
            "unsupported_value",
        )
    effort = data.get("reasoning_effort")
    if effort is not None and effort not in EFFORTS:
        return _error(
            f"Unsupported value: 'reasoning_effort' does not support '{effort}' with this "
            "model. Supported values are: 'minimal', 'low', 'medium', and 'high'.",
            "reasoning_effort",
            "unsupported_value",
        )
    return None


def _error(message: str, param: str | None, code: str | None) -> dict:
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}
    }
