"""The user's levers on a stored sim: whisper, load-history, interview and fork.

Whispers and history become thoughts of an agent, stored with the next step's number so the
next ``resume`` sees them. An interview reads memories and answers without writing anything.
A fork copies a sim's state as it was after step N-1, so running it on repeats the original.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .agent.asker import Asker
from .agent.history import agent_names, read_history
from .agent.memory import MemoryStream, Node
from .agent.recollection import Recollection, ask_from_memory, persona_of_the_day
from .agent.town import MindSettings
from .errors import RingWorldError
from .llm.stack import build_stack
from .prompts.styles import voice
from .scenario import Scenario, read_sim_scenario
from .store import SimFolder, fork_store
from .world.clock import GameClock


def _backend(scenario: Scenario):
    """The scenario's backend with retries and limits (no cache: these answers are one-offs);
    a server that stays down ends the command with an error after a minute."""
    return build_stack(scenario, give_up_s=60).backend


def _find_agent(personas: list[dict], name: str, sim_dir: Path) -> int:
    names = agent_names(personas)
    if name not in names:
        known = ", ".join(p["name"] for p in personas)
        raise RingWorldError(f"{sim_dir}: no agent named '{name}' (agents: {known})")
    return names[name]


def plant_thoughts(
    sim_dir: Path, thoughts: dict[str, list[str]], once: bool = False
) -> tuple[int, int]:
    """Store each text as a thought of the named agent, before the next step. With ``once``,
    a text the agent already has as a thought (or twice in ``thoughts``) is skipped, so loading
    one history file again plants nothing. Returns (planted, skipped)."""
    scenario = read_sim_scenario(sim_dir)
    folder = SimFolder(sim_dir)
    with folder.lock():
        store = folder.open()
        step = store.steps_done()
        asker = Asker(_backend(scenario), scenario.language)
        personas = store.agents()
        rows, skipped = [], 0
        nodes: dict[int, int] = {}  # per agent (a name and its English alias are one agent)
        known: dict[int, set[str]] = {}
        for name, texts in thoughts.items():
            agent = _find_agent(personas, name, sim_dir)
            if agent not in nodes:
                nodes[agent] = store.next_node(agent)
                known[agent] = store.thought_texts(agent) if once else set()
            for text in texts:
                text = " ".join(text.split())[:300]
                if text in known[agent]:
                    skipped += 1
                    continue
                if once:
                    known[agent].add(text)
                importance = asker.ask(
                    "importance",
                    {
                        "name": personas[agent]["name"],
                        "persona": personas[agent],
                        "memory_kind": "thought",
                        "description": text,
                    },
                    step,
                    agent,
                )
                embedding = asker.embed([text])[0]
                item = Node("thought", step, text, importance, (name, "remembers", ""))
                rows.append(MemoryStream.node_row(agent, nodes[agent], item, embedding))
                nodes[agent] += 1
        with store.transaction() as db:
            store.add_memories(db, rows)
            store.add_calls(db, asker.take_records())
        store.close()
    return len(rows), skipped


def whisper(sim_dir: Path, agent: str, thought: str) -> int:
    if not thought.strip():
        raise RingWorldError("whisper: the thought is empty")
    return plant_thoughts(sim_dir, {agent: [thought]})[0]


def load_history(sim_dir: Path, csv_path: Path) -> tuple[int, int]:
    """Plant the memories of a history CSV, each (agent, text) once: (planted, skipped)."""
    store = SimFolder(sim_dir).open(readonly=True)
    names = list(agent_names(store.agents()))
    store.close()
    return plant_thoughts(sim_dir, read_history(csv_path, names), once=True)


def interview(sim_dir: Path, agent: str, question: str, k: int = 8) -> tuple[str, list[str]]:
    """The agent's answer from its retrieved memories, and the memories it cites (all those
    retrieved when it cites none); writes nothing."""
    scenario = read_sim_scenario(sim_dir)
    store = SimFolder(sim_dir).open(readonly=True)
    try:
        personas = store.agents()
        index = _find_agent(personas, agent, sim_dir)
        done = store.steps_done()
        asker = Asker(_backend(scenario), scenario.language)
        query = asker.embed([question])[0]
        persona = persona_of_the_day(personas[index], index, store.days(done + 1))
        memory = Recollection.from_rows(
            index,
            persona,
            store.memory_rows(index, done + 1),
            store.last_accesses(index, done + 1),
            done,
            len(query),
        )
    finally:
        store.close()
    clock = GameClock(scenario.start, scenario.sec_per_step)
    weights = MindSettings.from_scenario(scenario.mind).weights
    shown = memory.recall(query, clock.steps_per_hour(), k, weights)
    time = clock.time_at(max(done - 1, 0)).strftime("%H:%M")
    context = {"question": question, "time": time, **voice(memory.persona, scenario.style)}
    answer = ask_from_memory(asker, "interview", memory, shown, context)
    cited = set(answer["cited"]) or {memory.nodes[i] for i in shown}
    texts = [memory.stream.nodes[i].description for i in shown if memory.nodes[i] in cited]
    return answer["answer"], texts


def fork(sim_dir: Path, new_dir: Path, at_step: int) -> Path:
    """A new sim holding ``sim_dir``'s state after steps 0..at_step-1 (and all its cache)."""
    if new_dir.exists():
        raise RingWorldError(f"{new_dir}: already exists; choose another name for the fork")
    source, target = SimFolder(sim_dir), SimFolder(new_dir)
    store = source.open(readonly=True)
    try:
        done = store.steps_done()
        if not 1 <= at_step <= done:
            raise RingWorldError(
                f"{sim_dir}: --at-step must be between 1 and {done} (steps stored)"
            )
        new_dir.mkdir(parents=True)
        fork_store(store, target.store_file, at_step, f"{sim_dir}@{at_step}")
    finally:
        store.close()
    shutil.copyfile(source.scenario, target.scenario)
    return new_dir
