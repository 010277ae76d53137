"""The ``offline`` backend: a deterministic, seeded, rule-based policy. It is NOT an LLM.

It answers every kind of question from the request's context (the persona, the places the agent
knows, the options offered) with fixed rules and word tables, in the same JSON an LLM would give,
so the same parsers check it. Its "randomness" is a hash of the seed and the question, so it
keeps no state: answers do not depend on call order, thread or resume. Each kind is a method
``_<kind>`` that hands the context to the module that decides it (see :mod:`runner.policy`).
"""

from __future__ import annotations

import json

from ..config import Scenario
from ..llm.base import Embeddings, Request, Response
from ..llm.hashed import hashed_embed
from . import identity, interview, places, reflect, talk, world
from .days import day_routine, task_at_hour, wake_hour
from .subtasks import task_decomp
from .text import poignancy


class OfflinePolicy:
    """Rule-based answers for every kind; see module docstring."""

    name = "offline"
    model = "rules"
    is_llm = False
    serial = False
    embed_model = None

    def __init__(self, scenario: Scenario | None = None, seed: int = 0):
        """The seed of ``scenario`` (as the registry builds backends), else ``seed``."""
        self.seed = scenario.seed if scenario is not None else seed

    def complete(self, request: Request) -> Response:
        answer = getattr(self, "_" + request.kind)(request.context)
        return Response(json.dumps(answer, ensure_ascii=False))

    def embed(self, texts: list[str]) -> Embeddings:
        return Embeddings(hashed_embed(texts))

    def close(self) -> None:
        pass

    # --- the day (runner.policy.days, .subtasks, .identity) --------------------------------
    def _wake_up_hour(self, c: dict) -> dict:
        return {"hour": wake_hour(c["persona"])}

    def _daily_plan(self, c: dict) -> dict:
        return {"plan": [task for task, _ in day_routine(c, self.seed)]}

    def _hourly_schedule(self, c: dict) -> dict:
        return {"schedule": [{"task": t, "minutes": m} for t, m in day_routine(c, self.seed)]}

    def _next_hour(self, c: dict) -> dict:
        routine = day_routine({**c, "wake_hour": wake_hour(c["persona"])}, self.seed)
        return {"task": task_at_hour(routine, int(c["time"][:2]))}

    def _revise_schedule(self, c: dict) -> dict:
        """Go on with what was planned for the rest of the window."""
        return {"schedule": [{"task": t, "minutes": m} for t, m in c["planned_rest"]]}

    def _task_decomp(self, c: dict) -> dict:
        return task_decomp(c, self.seed)

    def _revise_identity(self, c: dict) -> dict:
        return identity.revise_identity(c)

    # --- where and with what (runner.policy.places, .world) --------------------------------
    def _action_sector(self, c: dict) -> dict:
        return places.action_sector(c)

    def _action_arena(self, c: dict) -> dict:
        return places.action_arena(c)

    def _action_details(self, c: dict) -> dict:
        return world.action_details(c)

    def _decide_to_wait(self, c: dict) -> dict:
        return {"choice": world.wait_or_switch(c["action"], c["object"], c["options"])}

    # --- talk (runner.policy.talk) ---------------------------------------------------------
    def _decide_to_talk(self, c: dict) -> dict:
        return talk.decide_to_talk(c, self.seed)

    def _chat_turn(self, c: dict) -> dict:
        return talk.chat_line(c, self.seed)

    def _conversation(self, c: dict) -> dict:
        return talk.conversation(c, self.seed)

    def _relationship(self, c: dict) -> dict:
        return talk.relationship(c)

    def _chat_summary(self, c: dict) -> dict:
        return talk.chat_notes(c)

    def _after_chat(self, c: dict) -> dict:
        return talk.after_chat(c)  # the rule-based policy changes plans only for a walk

    # --- memory and reflection (runner.policy.reflect) -------------------------------------
    def _importance(self, c: dict) -> dict:
        return {"score": poignancy(c["memory_kind"], c["description"])}

    def _importances(self, c: dict) -> dict:
        return reflect.importances(c)

    def _focal_points(self, c: dict) -> dict:
        return reflect.focal_points(c)

    def _insights(self, c: dict) -> dict:
        return reflect.insights(c)

    # --- questions from outside a run (runner.policy.interview) ----------------------------
    def _interview(self, c: dict) -> dict:
        return interview.interview(c)

    def _knows(self, c: dict) -> dict:
        return interview.knows(c)

    def _judge(self, c: dict) -> dict:
        return interview.judge(c)
