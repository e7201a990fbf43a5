"""The plugin package's layout is its architecture: subpackages in pipeline
order, each importing only from those before it (or from itself), and no
import cycles anywhere. Read from the source with `ast`, so a lazy import
inside a function counts as much as one at the top."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "portal"

# Pipeline order: a subpackage may import from those of a lower rank. The
# features share a rank: none of them may import another, nor the check
# stage (and the check stage none of them).
RANKS = {
    "core": 0,
    "read": 1,
    "render": 2,
    "check": 3,
    "polls": 3,
    "search": 3,
    "visit_stats": 3,
    "migrate": 3,
    "images": 3,
    "documents": 3,
    "organisation": 3,
    "editor": 3,
    "build": 4,
    "quality": 5,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(name: str) -> bool:
    return (PACKAGE.parent / name.replace(".", "/") / "__init__.py").is_file()


def imported_modules(path: Path) -> set[str]:
    """The modules of our package that `path` imports, by full name."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "portal"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "portal":
                origin = node.module
            else:
                continue
            for alias in node.names:
                # `from . import read_ahead` imports a module; `from .x import f` a name of x.
                candidate = f"{origin}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).is_file()
                          or is_package(candidate) else origin)
    return {module for module in found if module != name}


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): imported_modules(path) for path in sorted(PACKAGE.rglob("*.py"))}


def subpackage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    visiting, done = [], set()

    def visit(module):
        if module in visiting:
            return visiting[visiting.index(module):] + [module]
        if module in done:
            return None
        visiting.append(module)
        for imported in sorted(graph.get(module, ())):
            cycle = visit(imported)
            if cycle:
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_the_graph_is_read_from_real_imports():
    graph = import_graph()
    assert "portal.read.reader" in graph["portal.read.plugin"]
    assert "portal.core.problems" in graph["portal.read.reader"]
    assert "portal.check.check_and_fill" in graph["portal.build.site"]


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_plugin_package_has_no_import_cycle():
    assert find_cycle(import_graph()) is None


def test_every_subpackage_has_a_rank():
    folders = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert folders == set(RANKS)


@pytest.mark.parametrize("module", sorted(import_graph()))
def test_no_module_imports_one_above_it_in_the_pipeline(module):
    own = subpackage(module)
    if own is None:
        return  # portal/__init__.py: register() composes every stage and feature
    for imported in import_graph()[module]:
        theirs = subpackage(imported)
        assert theirs is not None, f"{module} imports the package root"
        if theirs != own:
            assert RANKS[theirs] < RANKS[own], (
                f"{module} ({own}, rank {RANKS[own]}) imports {imported} "
                f"({theirs}, rank {RANKS[theirs]})")
