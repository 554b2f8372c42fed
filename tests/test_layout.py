"""The package's layers: each module imports, at its top, only modules of the layers below its own,
so the import graph has no cycle and no upward edge. (An import inside a function is a lazy one,
made where the module is needed, and not counted: the package root imports its names lazily.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "mastery_model"

#: The layers, bottom first: a module may import those of the layers before its own.
LAYERS: list[set[str]] = [
    {"model", "problems", "zones", "language_subtags", "published", "recognised", "builtin.parts", "html_text"},
    {"builtin.schemaorg.page", "builtin.schemaorg.release"},
    {"schemas", "files"},
    {"vocabulary"},
    {"validation", "identity"},
    {"conversion", "selection"},
    {"reading", "plugins.records", "plugins.hookspecs"},
    {"builtin.jsonld.lines"},
    {"builtin.jsonld.document"},
    {"plugins"},
    {"exporting", "outlining", "embedded", "listing"},
    {"importing"},
    {"inputs"},
    # the formats as registered: their names, options and recognition, the work imported on first use
    {"builtin.csv", "builtin.ical", "builtin.jsonld", "builtin.schemaorg.mapping", "builtin"},
    {"builtin.csv.tables", "builtin.schemaorg"},
    {"builtin.jsonld.writing", "builtin.ical.writing", "builtin.csv.writing", "builtin.schemaorg.writing"},
    {"builtin.csv.reading", "builtin.schemaorg.reading", "builtin.ical.reading"},
    {"launch"},
    {"__init__"},  # the public API: its own imports are lazy, made when a name is first used
    {"cli"},
    {"__main__"},
]


def _name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") or "__init__"


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """The package's modules a module imports at its top, and inside functions."""
    top: set[str] = set()
    inner: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mastery_model"):
            module = node.module.removeprefix("mastery_model").removeprefix(".")
            # ``from package import module`` imports the module; ``from module import name``, the module
            found = {
                f"{module}.{alias.name}".lstrip(".")
                if f"{module}.{alias.name}".lstrip(".") in MODULES
                else module or "__init__"
                for alias in node.names
            }
        elif isinstance(node, ast.Import):
            found = {
                alias.name.removeprefix("mastery_model.")
                for alias in node.names
                if alias.name.startswith("mastery_model.")
            }
        else:
            continue
        (top if node in tree.body else inner).update(found)
    return top, inner


MODULES = {_name(path): path for path in ROOT.rglob("*.py")}


def test_every_module_has_a_layer() -> None:
    placed = set().union(*LAYERS)
    assert set(MODULES) == placed, sorted(set(MODULES) ^ placed)


def test_no_module_imports_one_of_its_own_layer_or_above() -> None:
    rank = {name: index for index, layer in enumerate(LAYERS) for name in layer}
    upward = []
    for name, path in MODULES.items():
        top, _inner = _imports(path)
        for imported in top & set(MODULES):
            if imported != name and name != "__init__" and rank[imported] >= rank[name]:
                upward.append(f"{name} -> {imported}")
    assert upward == []


def test_the_command_line_uses_the_public_api_alone() -> None:
    """The command line is a user of the library like any other: it imports the package root (and
    ``launch``, its start-up), never a module of the package, and uses the root's public names."""
    import mastery_model

    tree = ast.parse(MODULES["cli"].read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mastery_model"):
            imported |= {(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {(alias.name, alias.asname) for alias in node.names if alias.name.startswith("mastery_model")}
    assert imported == {("mastery_model", None), ("mastery_model", "launch")}
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "mastery_model"
    }
    assert used, "the command line uses the package's names"
    assert sorted(used - set(mastery_model.__all__)) == []
