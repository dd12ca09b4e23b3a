"""scripts/bench is the one entry point of the benchmarks: every benchmark module is
reached from one of its subcommands, and a command line without one runs 'serving'."""

import ast
from pathlib import Path

from benchmarks.__main__ import SUBCOMMANDS, arguments, parser

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _imports(path: Path) -> set[str]:
    """Return the benchmark modules a file imports (``from benchmarks import x``, ``from . import x``,
    ``from .x import ...``, ``from benchmarks.x import ...``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and not module or module == "benchmarks":
                found |= {alias.name for alias in node.names}
            elif node.level == 1:
                found.add(module.split(".")[0])
            elif module.startswith("benchmarks."):
                found.add(module.split(".")[1])
    return found


def test_every_benchmark_module_is_reached_from_a_subcommand():
    modules = {p.stem for p in BENCHMARKS.glob("*.py")} - {"__init__", "__main__"}
    reached, todo = set(), _imports(BENCHMARKS / "__main__.py")
    while todo:
        name = todo.pop()
        if name in modules and name not in reached:
            reached.add(name)
            todo |= _imports(BENCHMARKS / f"{name}.py")
    assert modules - reached == set(), "benchmark modules no subcommand of scripts/bench runs"


def test_help_lists_every_subcommand_and_the_default_is_serving():
    text = parser().format_help()
    assert all(name in text for name in SUBCOMMANDS)
    assert arguments([]).command == "serving"
    assert arguments(["--sizes", "10k"]).sizes == [10_000]
    assert arguments(["publish", "monthend", "--jobs", "3"]).jobs == 3
    assert arguments(["attack", "2", "5"]).seed == 5
