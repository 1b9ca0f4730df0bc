"""The engine stays pure: no messenger, HTTP, database or file system under bot/engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import bot.engine

ENGINE = Path(bot.engine.__file__).parent
FORBIDDEN_MODULES = ("telegram", "httpx", "aiosqlite", "sqlite3", "os", "pathlib", "io", "shutil")
FORBIDDEN_CALLS = ("open", "eval", "exec", "compile", "__import__")


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_engine_module_imports_io() -> None:
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad = _imports(tree) & set(FORBIDDEN_MODULES)
        assert not bad, f"{path.name} imports {sorted(bad)}"
        assert _imports(tree) <= _allowed(), f"{path.name} imports {_imports(tree) - _allowed()}"


def _allowed() -> set[str]:
    stdlib = {"__future__", "dataclasses", "datetime", "typing", "collections", "re", "unicodedata"}
    return stdlib | {"ast", "difflib", "functools", "itertools", "math", "operator", "bot"}


def test_engine_imports_nothing_of_the_bot_outside_the_engine() -> None:
    for path in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot"):
                assert (node.module or "").startswith("bot.engine"), f"{path.name}: {node.module}"


def test_no_engine_module_calls_open_or_eval() -> None:
    for path in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, f"{path.name} calls {node.func.id}()"


def test_importing_the_engine_loads_no_io_library() -> None:
    probe = (
        "import sys, bot.engine.conversation;"
        "print(','.join(m for m in ('telegram','httpx','aiosqlite','sqlite3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
