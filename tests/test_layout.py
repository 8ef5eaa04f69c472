"""The package's layout holds: every SQL statement is in store/, and the stages import downwards only.

Read from the source (ast), not by importing it, so that a failure names the file and line to look at.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "datasette_palmyra"

# Statements, not words: "select" or "update" alone are English, "select ... from" and "update x set" are SQL.
SQL = re.compile(
    r"\bselect\b[\s\S]*\bfrom\b|\binsert\s+(or\s+\w+\s+)?into\b|\bdelete\s+from\b|\bupdate\s+\[?\w+\]?\s+set\b"
    r"|\b(create|drop)\s+(temp\s+)?(table|index|view|trigger)\b|\balter\s+table\b|\bpragma\s+\w+"
    r"|\bbegin(\s+immediate|\s+exclusive)?\s*$|^\s*(rollback|commit)\s*$|\bwith\s+recursive\b",
    re.IGNORECASE,
)


def _sources(under: Path | None = None):
    for path in sorted((under or PACKAGE).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (prose, which may well say "select ... from")."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(tree: ast.AST):
    """(line, text) of each string literal; an f-string's literal parts joined, with {} for its fields."""
    skip = _docstrings(tree)
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                inside_fstrings.add(id(v))
                parts.append(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}")
            yield node.lineno, "".join(parts)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                and id(node) not in inside_fstrings):
            yield node.lineno, node.value


def _concatenated(tree: ast.AST):
    """Adjacent literals joined by + (a statement written over several lines, "SELECT a " + "FROM b")."""
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            texts = []
            for side in (node.left, node.right):
                if isinstance(side, ast.Constant) and isinstance(side.value, str):
                    texts.append(side.value)
                elif isinstance(side, ast.JoinedStr):
                    texts.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in side.values))
            if len(texts) == 2:
                yield node.lineno, "".join(texts)


def sql_outside_store() -> list[str]:
    found = []
    for path, tree in _sources():
        rel = path.relative_to(PACKAGE.parent)
        if rel.parts[1] == "store":
            continue
        for line, text in sorted({*_strings(tree), *_concatenated(tree)}):
            if SQL.search(text):
                found.append(f"{rel}:{line}: {text.strip()[:80]!r}")
    return found


def test_no_sql_outside_store():
    found = sql_outside_store()
    assert not found, "SQL outside datasette_palmyra/store/ (give the store a named function for it):\n" + "\n".join(
        found)


def test_the_sql_check_sees_sql():
    """The test above would pass on a pattern that matches nothing: it does match the store's statements."""
    hits = 0
    for _path, tree in _sources(PACKAGE / "store"):
        hits += sum(bool(SQL.search(text)) for _line, text in _strings(tree))
    assert hits > 50
    for text in ("SELECT id FROM claims", "insert into flags (id) values (?)", "DELETE FROM facts",
                 "UPDATE claims SET signature = ?", "PRAGMA foreign_keys = OFF", "CREATE INDEX [i] ON [t] ([c])",
                 "BEGIN IMMEDIATE", "ROLLBACK"):
        assert SQL.search(text), text
    for text in ("select a rule file", "update the page", "begin with a claim", "the pragma", "drop a table row"):
        assert not SQL.search(text), text


def _imports(path: Path, tree: ast.AST) -> set[str]:
    """The package's modules ``path`` imports at its top level (not inside functions)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    here = parts if path.name == "__init__.py" else parts[:-1]  # the importing module's package
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[:len(here) - node.level + 1]
            target = [*base, *(node.module.split(".") if node.module else [])]
            for alias in node.names:
                found.add(".".join(target))
                candidate = PACKAGE.parent.joinpath(*target, alias.name)
                if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
                    found.add(".".join([*target, alias.name]))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("datasette_palmyra"):
            found.add(node.module)
    return {m for m in found if m.startswith("datasette_palmyra")}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path, tree in _sources():
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts)
        graph[name] = _imports(path, tree) - {name}
    return graph


def test_no_import_loops_between_modules():
    """Module-level imports form no cycle (a package importing its own submodules is no loop)."""
    graph = _graph()

    def owns(a: str, b: str) -> bool:
        return b.startswith(a + ".") or a.startswith(b + ".")

    loops = []
    for start in graph:
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, ()):
                if owns(node, nxt):
                    continue
                if nxt == start:
                    loops.append(" -> ".join([*trail, nxt]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert not loops, "\n".join(sorted(loops))


def test_the_store_imports_no_later_stage():
    """store/ takes and gives rows: it imports nothing of the package outside itself."""
    def in_store(name: str) -> bool:
        return name == "datasette_palmyra.store" or name.startswith("datasette_palmyra.store.")

    upward = [f"{name} imports {m}" for name, deps in _graph().items() if in_store(name)
              for m in deps if not in_store(m)]
    assert not upward, "\n".join(upward)
