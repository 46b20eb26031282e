"""tools/import_graph.py draws the package-level import graph and finds its cycles."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "import_graph.py"
EDGE = re.compile(r'^  "([^"]+)" -> "([^"]+)" \[label="(\d+)"\];$')
TEXT_EDGE = re.compile(r"^(\S+) +-> (\S+)  \((\d+)\)$")
NODE = re.compile(r'^  "([^"]+)";$')


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), *args], check=False, capture_output=True, text=True, cwd=ROOT)


def _parse_dot(text: str) -> tuple[set[str], dict[tuple[str, str], int]]:
    lines = text.splitlines()
    assert lines[0].startswith('digraph "'), lines[0]
    assert lines[-1] == "}"
    nodes: set[str] = set()
    edges: dict[tuple[str, str], int] = {}
    for line in lines[1:-1]:
        if edge := EDGE.match(line):
            edges[edge[1], edge[2]] = int(edge[3])
        elif node := NODE.match(line):
            nodes.add(node[1])
        else:
            assert line.strip() in ("rankdir=BT;", "node [shape=box];"), line
    return nodes, edges


def test_the_dot_drawing_of_the_package_parses_into_edges() -> None:
    result = _run("--dot")
    assert result.returncode == 0, result.stderr
    nodes, edges = _parse_dot(result.stdout)
    assert {"models", "services", "documents", "exchange", "scanning", "cli", "ui", "ui.shell", "ui.common",
            "ui.cases", "ui.cases.tabs", "db", "settings", "credentials", "paths", "files", "demo"} <= nodes
    assert {a for a, _ in edges} | {b for _, b in edges} <= nodes
    assert edges["services", "models"] > 10  # the services read and write the tables
    assert ("models", "services") not in edges and all(a != b for a, b in edges)
    # The text form lists the same edges with the same counts.
    listed = [TEXT_EDGE.match(line) for line in _run().stdout.splitlines()]
    assert {(m[1], m[2]): int(m[3]) for m in listed if m} == edges and all(listed)


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_the_cycle_finder_finds_a_crafted_cycle(tmp_path: Path) -> None:
    # low imports high only inside a function and high imports low relatively: still one cycle, and the
    # packages beside it (a chain top → mid → low) are not part of it.
    package = _write(tmp_path / "pkg", {
        "__init__.py": "",
        "low/__init__.py": "",
        "low/a.py": "def f():\n    from pkg.high.b import thing\n    return thing\n",
        "high/__init__.py": "",
        "high/b.py": "from ..low import a\nthing = 1\n",
        "mid/__init__.py": "from pkg.low import a\n",
        "top.py": "from .mid import a\nfrom . import mid\n",
    })
    result = _run("--cycles", "--package", str(package))
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["cycle among high, low: high -> low -> high",
                                          "  edges inside, thinnest first: high -> low (1), low -> high (1)"]
    dot_nodes, dot_edges = _parse_dot(_run("--dot", "--package", str(package)).stdout)
    assert dot_nodes == {"(root)", "low", "high", "mid", "top"}
    assert dot_edges == {("low", "high"): 1, ("high", "low"): 1, ("mid", "low"): 1, ("top", "mid"): 2}


def test_depth_folds_sub_packages_into_their_parent(tmp_path: Path) -> None:
    package = _write(tmp_path / "pkg", {
        "__init__.py": "", "ui/__init__.py": "", "ui/cases/__init__.py": "from .tabs import a\n",
        "ui/cases/tabs/__init__.py": "", "ui/cases/tabs/a.py": "from .. import b\n", "ui/cases/b.py": "",
    })
    assert _run("--cycles", "--package", str(package)).stdout.splitlines()[0] == (
        "cycle among ui.cases, ui.cases.tabs: ui.cases -> ui.cases.tabs -> ui.cases")
    folded = _run("--cycles", "--depth", "1", "--package", str(package))
    assert (folded.returncode, folded.stdout.strip()) == (0, "no cycle between the 2 packages and top modules of pkg")


def test_runtime_leaves_out_imports_only_for_annotations(tmp_path: Path) -> None:
    package = _write(tmp_path / "pkg", {
        "__init__.py": "", "a/__init__.py": "from pkg.b import x\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import y\nelse:\n    import os\n",
    })
    assert _run("--cycles", "--package", str(package)).returncode == 1
    folded = _run("--cycles", "--runtime", "--package", str(package))
    assert (folded.returncode, folded.stdout.strip()) == (0, "no cycle between the 3 packages and top modules of pkg")


def test_no_cycle_exits_zero(tmp_path: Path) -> None:
    package = _write(tmp_path / "pkg", {"__init__.py": "", "a/__init__.py": "", "b.py": "from .a import x\n"})
    result = _run("--cycles", "--package", str(package))
    assert (result.returncode, result.stdout.strip()) == (0, "no cycle between the 3 packages and top modules of pkg")
