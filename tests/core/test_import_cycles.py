"""No import cycles in `kiosk/`, counting the imports inside functions too.

An import moved into a function to dodge a cycle still makes one: the two modules cannot
be understood, tested or loaded apart. The graph is grimp's (import-linter's own graph
builder), read from the source's syntax trees: module-level and function-level imports
alike. Imports under `if TYPE_CHECKING:` are left out: they never run (mypy reads them).

Importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first, so those count as
imported too. The one pattern that is no cycle is a package's `__init__` importing its own
sub-modules (`kiosk.cli` lists its commands' modules): Python runs a package's `__init__`
before any of its sub-modules, so a sub-module never imports its package back unless it
names it, and that is reported. import-linter's `acyclic_siblings` contract
(`pyproject.toml`) checks the same between whole sub-packages.
"""

from __future__ import annotations

import grimp


def ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph(package: str) -> grimp.ImportGraph:
    """`package`'s imports as they run, with the packages each import initialises first."""
    graph = grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            for package_init in ancestors(imported):
                if package_init != importer and package_init not in ancestors(importer):
                    graph.add_import(importer=importer, imported=package_init)
    return graph


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """One shortest cycle through each import that has one, each cycle once: [a, b, …, a]."""
    found: dict[frozenset[str], list[str]] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                found.setdefault(frozenset(back), [importer, *back])
    return list(found.values())


def test_kiosk_has_no_import_cycle():
    found = cycles(import_graph("kiosk"))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_check_sees_a_cycle_hidden_in_a_function(tmp_path, monkeypatch):
    """The check itself: a cycle made by an import inside a function, and one through a
    package's `__init__`, are found; a package importing its own sub-module is not one."""
    pkg = tmp_path / "cyclic"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from cyclic import a\n")
    (pkg / "a.py").write_text("import cyclic.b\n")
    (pkg / "b.py").write_text("def later():\n    from cyclic import a\n    return a\n")
    (pkg / "sub" / "__init__.py").write_text("from cyclic.sub import c, d\n")
    (pkg / "sub" / "c.py").write_text("X = 1\n")
    (pkg / "sub" / "d.py").write_text("from cyclic.sub import X\n")
    (pkg / "e.py").write_text("from cyclic.sub import d\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = {tuple(c) for c in cycles(import_graph("cyclic"))}
    assert found == {
        ("cyclic.a", "cyclic.b", "cyclic.a"),
        ("cyclic.sub", "cyclic.sub.d", "cyclic.sub"),
    }
