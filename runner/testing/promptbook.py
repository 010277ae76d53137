"""The prompts a sim rendered in this process, with their requests: how the loopback server
(:mod:`runner.testing.loopback`) knows which question a prompt asks, and answers it as the
offline policy would."""

from __future__ import annotations

import threading
from functools import cached_property

from runner.llm.base import Request
from runner.llm.chat import RETRY_NOTE


class PromptBook:
    """Records every prompt rendered in this process with its request (see module doc)."""

    def __init__(self) -> None:
        self.requests: dict[str, Request] = {}
        self._lock = threading.Lock()

    def install(self, monkeypatch) -> PromptBook:
        original = Request.prompt.func
        book = self

        def prompt(request: Request) -> str:
            text = original(request)
            book.record(text, request)
            return text

        recorded = cached_property(prompt)
        recorded.__set_name__(Request, "prompt")
        monkeypatch.setattr(Request, "prompt", recorded)
        return self

    def record(self, text: str, request: Request) -> None:
        with self._lock:
            self.requests[text] = request

    def find(self, text: str) -> Request | None:
        for note in RETRY_NOTE.values():
            if text.endswith("\n\n" + note):
                text = text[: -len(note) - 2]
        with self._lock:
            return self.requests.get(text)
