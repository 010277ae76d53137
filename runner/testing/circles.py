"""Import circles: modules of ours that import each other, directly or round a loop.

A circle makes the import order matter and hides which of two modules is the lower one, so
there is none: ``tests/test_layers.py`` runs :func:`circles` over ``layers.import_graph`` (which
walks ``TYPE_CHECKING`` imports too) and fails on any.
"""

from __future__ import annotations


def module_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """``import_graph``'s targets (``pkg.mod.Name`` or ``pkg.mod``) resolved to modules: each
    to the longest of its prefixes that is a module of the graph; self-imports dropped."""
    out: dict[str, set[str]] = {}
    for importer, targets in graph.items():
        found = set()
        for target in targets:
            parts = target.split(".")
            for n in range(len(parts), 0, -1):
                module = ".".join(parts[:n])
                if module in graph:
                    found.add(module)
                    break
        out[importer] = found - {importer}
    return out


def circles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """Every import circle of ``graph`` (from :func:`import_graph`): the strongly connected
    components of more than one module (Tarjan's algorithm), each sorted, in sorted order."""
    edges = module_graph(graph)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return sorted(found)
