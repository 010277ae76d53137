"""Thinking models: the answer after the thinking, and how much room the thinking gets.

Qwen3, QwQ, DeepSeek-R1 and its distills write their thinking before the answer: inside the
answer text as ``<think>…</think>`` (a chat template that opens the tag itself leaves only
``</think>``), or apart from it in ``message.reasoning_content`` / ``message.reasoning``
(vLLM's and SGLang's reasoning parsers, DeepSeek's API, llama-server's ``--reasoning-format``,
Ollama). OpenAI's reasoning models think out of sight and report the tokens in
``usage.completion_tokens_details.reasoning_tokens``. :func:`split_thinking` takes the answer
out of such a text; the reasoning fields are never read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .chat import answer_tokens

OPEN, CLOSE = "<think>", "</think>"
# the thinking budget on top of a kind's answer budget, by ``llm.thinking``; "off" is the
# budget of a model that thinks although asked not to
THINKING_TOKENS = {"off": 2048, "low": 1024, "medium": 4096, "high": 16384}


@dataclass(frozen=True)
class Split:
    answer: str
    thinking: str = ""
    unfinished: bool = False  # the thinking was cut off before its end


def split_thinking(text: str) -> Split:
    """The answer after a leading ``<think>…</think>``; an unclosed one at the start is all
    thinking (cut off); a lone ``</think>`` ends the thinking that began the text."""
    stripped = text.lstrip()
    if stripped.startswith(OPEN):
        thinking, closed, answer = stripped[len(OPEN) :].partition(CLOSE)
        if not closed:
            return Split("", thinking.strip(), unfinished=True)
        return Split(answer.strip(), thinking.strip())
    if CLOSE in text:
        thinking, _, answer = text.partition(CLOSE)
        return Split(answer.strip(), thinking.strip())
    return Split(text)


def thinking_budget(level: str, tokens: int | None) -> int:
    """The thinking budget of ``llm.thinking`` (``llm.thinking_tokens`` when set)."""
    return tokens if tokens is not None else THINKING_TOKENS[level]


def token_budget(kind: str, level: str, tokens: int | None, thinks: bool) -> int:
    """A kind's completion budget: its answer budget, plus the thinking budget when thinking
    is on or the model ``thinks`` anyway."""
    budget = answer_tokens(kind)
    if level != "off" or thinks:
        budget += thinking_budget(level, tokens)
    return budget


def reasoning_share(completion_tokens: int, thinking: str, answer: str) -> int:
    """The completion tokens spent thinking, counted from the text when the server does not
    say: the thinking's share of the characters written."""
    chars = len(thinking) + len(answer)
    if not thinking or not chars:
        return 0
    return round(completion_tokens * len(thinking) / chars)
