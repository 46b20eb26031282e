"""Draw the package-level import graph of ``mediation_desk`` (or another package folder).

Usage::

    python tools/import_graph.py            # edges with counts, as text
    python tools/import_graph.py --dot      # Graphviz DOT: ... | dot -Tsvg > imports.svg
    python tools/import_graph.py --cycles   # the package-level cycles; exit status 1 if there is one
    python tools/import_graph.py --depth 1  # fold sub-packages into their parent: ui.cases.tabs is ui
    python tools/import_graph.py --runtime  # only the imports that run (not those under TYPE_CHECKING)
    python tools/import_graph.py --package path/to/pkg   # another package folder

A node is a package (``services``, ``ui.cases``, ``ui.cases.tabs``) or a module at the top of the
package (``db``, ``settings``, ``paths``…; the package's own ``__init__`` is ``(root)``). Every import
counts — at the top, inside functions, under ``if TYPE_CHECKING:`` (unless ``--runtime``) — with
relative imports resolved; an edge's count is the number of names imported along it. Imports inside
one node are not drawn. The rules the arrows must obey are in ``tests/test_layers.py``.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOT_NODE = "(root)"

Edges = Counter[tuple[str, str]]


def _module_name(path: Path, package: Path) -> str:
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(source: str, is_package: bool, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    base = source.split(".") if is_package else source.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _imported(tree: ast.AST, source: str, is_package: bool, *, runtime: bool = False) -> Iterator[str]:
    """Every module an import in ``tree`` may reach: ``a.b`` and, for ``from a.b import c``, ``a.b.c``.
    With ``runtime``, imports under ``if TYPE_CHECKING:`` are left out (they never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(source, is_package, node.level, node.module)
            for alias in node.names:
                yield f"{target}.{alias.name}\0{target}"
        elif runtime and isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.orelse:
                yield from _imported(statement, source, is_package, runtime=runtime)
            continue
        yield from _imported(node, source, is_package, runtime=runtime)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class Graph:
    """The modules of one package folder, grouped into nodes, and the imports between nodes."""

    def __init__(self, package: Path, depth: int | None = None, *, runtime: bool = False) -> None:
        self.package = package
        self.depth = depth
        self.top = package.name
        files = sorted(p for p in package.rglob("*.py") if "versions" not in p.relative_to(package).parts)
        self.packages = {_module_name(p, package) for p in files if p.name == "__init__.py"}
        self.modules = {_module_name(p, package) for p in files} | self.packages
        self.nodes: set[str] = set()
        self.edges: Edges = Counter()
        for file in files:
            source = _module_name(file, package)
            here = self.node_of(source)
            self.nodes.add(here)
            tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
            for reached in _imported(tree, source, file.name == "__init__.py", runtime=runtime):
                target = self._resolve(reached)
                if target is None:
                    continue
                there = self.node_of(target)
                self.nodes.add(there)
                if there != here:
                    self.edges[here, there] += 1

    def _resolve(self, reached: str) -> str | None:
        """The module of ours an import reaches (``from a import b`` reaches ``a.b`` when that is a
        module, else ``a``), or None for another library."""
        full, _, base = reached.partition("\0")
        for candidate in (full, base) if base else (full,):
            if candidate in self.modules:
                return candidate
        name = base or full
        return name if name == self.top or name.startswith(self.top + ".") else None

    def node_of(self, module: str) -> str:
        """A package is its own node; a module belongs to its package's, except at the top."""
        while module not in self.modules and "." in module:
            module = module.rsplit(".", 1)[0]  # an imported name that is no module: its module
        if module not in self.packages:
            parent = module.rsplit(".", 1)[0]
            if parent != self.top:
                module = parent
        if module == self.top:
            return ROOT_NODE
        node = module.removeprefix(self.top + ".")
        return node if self.depth is None else ".".join(node.split(".")[: self.depth])


def strongly_connected(nodes: set[str], edges: Edges) -> list[list[str]]:
    """The groups of nodes that reach each other (Tarjan), each sorted; single nodes left out."""
    successors: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        successors[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(successors[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return sorted(groups)


def shortest_cycle(group: list[str], edges: Edges) -> list[str]:
    """One shortest way round a group, from its first node back to it."""
    start = group[0]
    inside = set(group)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for a, b in sorted(edges):
            if a != node or b not in inside:
                continue
            if b == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if b not in came_from:
                came_from[b] = node
                queue.append(b)
    return [start]


def as_text(graph: Graph) -> str:
    width = max((len(a) for a, _ in graph.edges), default=0)
    lines = [f"{a:<{width}} -> {b}  ({count})" for (a, b), count in sorted(graph.edges.items())]
    return "\n".join(lines)


def as_dot(graph: Graph) -> str:
    lines = [f'digraph "{graph.top}" {{', "  rankdir=BT;", "  node [shape=box];"]
    lines += [f'  "{node}";' for node in sorted(graph.nodes)]
    lines += [f'  "{a}" -> "{b}" [label="{count}"];' for (a, b), count in sorted(graph.edges.items())]
    lines.append("}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--package", type=Path, default=ROOT / "mediation_desk", help="the package folder")
    parser.add_argument("--depth", type=int, default=None, metavar="N",
                        help="fold packages deeper than N levels into their parent (2: ui.cases.tabs is ui.cases)")
    parser.add_argument("--runtime", action="store_true",
                        help="leave out imports under `if TYPE_CHECKING:` (annotations only, never run)")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--dot", action="store_true", help="print Graphviz DOT")
    shown.add_argument("--cycles", action="store_true", help="list package-level cycles; exit 1 if any")
    args = parser.parse_args(argv)
    graph = Graph(args.package.resolve(), args.depth, runtime=args.runtime)
    if args.dot:
        print(as_dot(graph))
        return 0
    if args.cycles:
        groups = strongly_connected(graph.nodes, graph.edges)
        for group in groups:
            way = shortest_cycle(group, graph.edges)
            print(f"cycle among {', '.join(group)}: {' -> '.join(way)}")
            inside = sorted(((count, a, b) for (a, b), count in graph.edges.items() if a in group and b in group))
            print("  edges inside, thinnest first: " + ", ".join(f"{a} -> {b} ({n})" for n, a, b in inside))
        if not groups:
            print(f"no cycle between the {len(graph.nodes)} packages and top modules of {graph.top}")
        return 1 if groups else 0
    print(as_text(graph))
    return 0


if __name__ == "__main__":
    sys.exit(main())
