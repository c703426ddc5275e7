"""The shape of the code, from its own imports and sizes (DESIGN §3, STYLE.md).

- Layers: nothing lower imports anything higher. From the ground up: the ground
  utilities (errors, signatures, options, the registry, JSON Lines, statistics,
  config, URLs, paths, hub access, the scoring kernels) -> text -> data (llm beside it) ->
  entities, summarizers ->
  metrics (with the scorer and the integrations built on it) -> runs -> report,
  human -> cli. Modules of one layer may import each other.
- No import cycle between modules (imports inside functions count: they are
  dependencies all the same).
- No module over 400 lines, no function over 60 lines (80 for a CLI command, whose
  option declarations take room).

`ALLOWED_*` are empty: an exception added there must say why. A new violation
anywhere fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "benchmark"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_COMMAND_LINES = 80

GROUND = 0
LAYERS = {  # first dotted part under benchmark -> layer; modules not named: ground
    "text": 1,
    "data": 2, "llm": 2,
    "entities": 3, "summarizers": 3,
    "metrics": 4, "scorer": 4, "integrations": 4,
    "runs": 5,
    "report": 6, "human": 6,
    "cli": 7,
}
GROUND_MODULES = {"__init__", "errors", "signature", "options", "registry", "jsonl",
                  "stats", "config", "urls", "paths", "hub",
                  "kernels",  # scoring kernels on tokens: metrics and the oracle share them
                  "textshow",  # how outside text is shown: every output escapes through it
                  "remembered"}  # values computed from files, kept in the user cache

# (importer, imported): upward imports allowed (none: every layer imports downward).
ALLOWED_UPWARD: set[tuple[str, str]] = set()
# Modules in an import cycle.
ALLOWED_CYCLES: set[frozenset[str]] = set()
# Modules over 400 lines, and functions over their limit.
ALLOWED_LONG_MODULES: set[str] = set()
ALLOWED_LONG_FUNCTIONS: set[str] = set()


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = modules()


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in GROUND_MODULES:
        return GROUND
    return LAYERS[parts[1]]


def imports(module: str) -> set[str]:
    """The benchmark modules `module` imports (a name imported from a package is the
    submodule when one has that name, else the package)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {_known(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else _known(node.module))
    return {name for name in found if name and name != module}


def _known(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


GRAPH = {module: imports(module) for module in MODULES}


def test_every_package_has_a_layer():
    unplaced = {m.split(".")[1] for m in MODULES if "." in m
                and m.split(".")[1] not in LAYERS and m.split(".")[1] not in GROUND_MODULES}
    assert not unplaced, f"give these a layer in LAYERS or GROUND_MODULES: {unplaced}"


def test_no_module_imports_a_higher_layer():
    upward = {(module, other) for module, targets in GRAPH.items() for other in targets
              if layer(other) > layer(module)}
    assert upward - ALLOWED_UPWARD == set(), sorted(upward - ALLOWED_UPWARD)


def test_the_layer_rule_catches_an_upward_import():
    """The rule itself: runs importing report, or text importing data, is upward."""
    assert layer("benchmark.report.compare") > layer("benchmark.runs.harness")
    assert layer("benchmark.data.load") > layer("benchmark.text.tokenize")
    assert layer("benchmark.stats.bootstrap") == layer("benchmark.jsonl") == GROUND
    assert layer("benchmark.llm.client") == layer("benchmark.data.load")


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    unexpected = [sorted(c) for c in cycles(GRAPH) if c not in ALLOWED_CYCLES]
    assert unexpected == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        frozenset({"a", "b", "c"})]
    assert cycles({"a": {"b"}, "b": set()}) == []


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def test_no_module_over_400_lines():
    long = {_relative(path): n for path in MODULES.values()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert set(long) - ALLOWED_LONG_MODULES == set(), long


def function_lengths(path: Path) -> dict[str, int]:
    """Qualified name -> lines, of every function and method of `path` (decorators
    and signature included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lengths: dict[str, int] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([d.lineno for d in child.decorator_list] + [child.lineno])
                lengths[f"{prefix}{child.name}"] = child.end_lineno - start + 1
                walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                walk(child, f"{prefix}{child.name}.")

    walk(tree, "")
    return lengths


def _limit(path: Path) -> int:
    return MAX_COMMAND_LINES if _relative(path).startswith("benchmark/cli/") else \
        MAX_FUNCTION_LINES


@pytest.mark.parametrize("path", sorted(MODULES.values()), ids=_relative)
def test_no_function_over_its_limit(path):
    long = {f"{_relative(path)}:{name}": n for name, n in function_lengths(path).items()
            if n > _limit(path)}
    assert set(long) - ALLOWED_LONG_FUNCTIONS == set(), long


def test_function_lengths_count_decorators_and_bodies(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("@decorator\ndef f(\n    x,\n):\n    return x\n\n\nclass C:\n"
                      "    def g(self):\n        pass\n")
    assert function_lengths(source) == {"f": 5, "C.g": 2}
