"""Every finding text and note is registered once: two pillar modules using the same key would silently replace
one another's words."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import mlready.narrative as narrative

PACKAGE = Path(narrative.__file__).parent


def _registered_keys() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            registry = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
                registry = getattr(node.func.value, "id", None)
                mapping = node.args[0] if node.args else None
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                registry, mapping = getattr(target, "id", None), node.value
            if registry in ("TEMPLATES", "NOTES") and isinstance(mapping, ast.Dict):
                for key in mapping.keys:
                    if isinstance(key, ast.Constant):
                        found[(registry, key.value)].append(path.name)
    return found


def test_no_text_is_registered_twice():
    keys = _registered_keys()
    assert len(keys) > 50  # the parse found the registries
    twice = {key: files for key, files in keys.items() if len(files) > 1}
    assert not twice, twice
    assert {k for r, k in keys if r == "TEMPLATES"} <= set(narrative.TEMPLATES)
    assert {k for r, k in keys if r == "NOTES"} <= set(narrative.NOTES)
