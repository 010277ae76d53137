"""The import contract: layers that point one way, checked over the import graph.

``LAYERS`` lists the layers top to bottom. A module may import from a lower layer and from its
own package; never from a higher layer, and never from another package of its own layer (those
are independent). ``ONLY`` narrows what a package may import of ours, ``NOT_BELOW`` keeps the
low layers to the store's records (they hand rows to the store; only the top layers write).
``tests/test_layers.py`` runs :func:`check` on the code and on a deliberate back-import.
"""

from __future__ import annotations

import ast
from pathlib import Path

LAYERS: list[tuple[str, ...]] = [
    ("runner.testing",),  # tools of tests and benchmarks
    ("runner.__main__",),
    ("runner.cli", "sitegen"),
    ("runner.batch", "runner.levers", "runner.check_llm", "runner.eval", "runner.towngen"),
    ("runner.engine",),
    ("runner.catchup", "runner.runahead"),  # a resumed run's replay; the run-ahead scheduler
    ("runner.agent",),
    ("runner.policy",),  # the offline rule-based town, a backend the registry names
    ("runner.llm",),
    ("runner.world", "runner.prompts", "runner.store", "runner.scenario"),
    ("runner.config", "runner.yamlfile"),
    ("runner.errors", "runner"),
]

# package -> the only modules of ours it may import (and its own)
ONLY = {
    "sitegen": (
        "runner.errors",
        "runner.store",
        "runner.world",
        "runner.scenario",
        "runner.eval.results",  # the eval.json format, read for the report view
        "runner.clioptions",  # --sims, the option rw-site shares with rw-batch
    ),
    # the offline policy answers a question from its context: a backend, no store, no agent
    "runner.policy": (
        "runner.config",
        "runner.llm.base",
        "runner.llm.hashed",
        "runner.prompts",
        "runner.world",
    ),
}
# package -> modules it may use of a package otherwise below it: the store's records only
NOT_BELOW = {
    "runner.llm": ("runner.store", ("runner.store.records",)),
    "runner.agent": ("runner.store", ("runner.store.records",)),
}
OURS = ("runner", "sitegen")


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the modules of ours it imports (anywhere in it, TYPE_CHECKING too)."""
    graph: dict[str, set[str]] = {}
    for package in OURS:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_init = parts[-1] == "__init__"
            if is_init:
                parts = parts[:-1]
            module = ".".join(parts)
            base = parts if is_init else parts[:-1]
            found: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(a.name for a in node.names)
                elif isinstance(node, ast.ImportFrom):
                    if node.level:
                        up = base[: len(base) - node.level + 1]
                        target = ".".join(up + ([node.module] if node.module else []))
                    else:
                        target = node.module or ""
                    found.update(f"{target}.{a.name}" for a in node.names)
            graph[module] = {m for m in found if m.split(".")[0] in OURS}
    return graph


def _layer(module: str) -> tuple[int, str] | None:
    """(layer number, the entry it falls under), the longest entry that matches."""
    best = None
    for number, entries in enumerate(LAYERS):
        for entry in entries:
            if _under(module, entry) and (best is None or len(entry) > len(best[1])):
                best = (number, entry)
    return best


def check(graph: dict[str, set[str]]) -> list[str]:
    """Every import that breaks the contract, as 'importer -> imported: why'."""
    problems = []
    for importer, targets in sorted(graph.items()):
        mine = _layer(importer)
        for target in sorted(targets):
            theirs = _layer(target)
            if mine is None or theirs is None:
                problems.append(f"{importer} -> {target}: not in any layer of the contract")
                continue
            if _under(target, mine[1]):
                continue  # within its own package
            why = None
            if theirs[0] < mine[0]:
                why = f"a back-import ({mine[1]} is below {theirs[1]})"
            elif theirs[0] == mine[0] and theirs[1] != "runner":
                why = f"{mine[1]} and {theirs[1]} are independent (one layer)"
            for package, allowed in ONLY.items():
                if _under(importer, package) and not any(_under(target, a) for a in allowed):
                    why = f"{package} may import only {', '.join(allowed)}"
            for package, (guarded, allowed) in NOT_BELOW.items():
                if (
                    _under(importer, package)
                    and _under(target, guarded)
                    and not any(_under(target, a) for a in allowed)
                ):
                    why = f"{package} may use of {guarded} only {', '.join(allowed)}"
            if why:
                problems.append(f"{importer} -> {target}: {why}")
    return problems
