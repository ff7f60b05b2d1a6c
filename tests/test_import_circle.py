"""Issue 15 item 6: the scan's modules import one way. scan imports scan_workers, parallel and report;
none of them (nor what they import) imports scan back, and parallel does not import the report
(the scan and the report hand parallel.render_shops the function that renders a shop).
Read from the source (every import, at the top or inside a function), so a lazy import that closes a
circle is found too."""

import ast
from pathlib import Path

import monitor

ROOT = Path(monitor.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The monitor modules `path` imports (a package counts as its __init__)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("monitor")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("monitor"):
                out.add(target)
                out |= {f"{target}.{a.name}" for a in node.names}     # `from .report import nights`
    return out


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in ROOT.rglob("*.py")}
    return {m: {t for t in _imports(p) if t in files and t != m} for m, p in files.items()}


def _reaches(graph, start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        m = todo.pop()
        for t in graph.get(m, ()):
            if t == goal:
                return True
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return False


def test_scan_is_imported_by_none_of_the_modules_it_uses():
    graph = _graph()
    for used in ("monitor.scan_workers", "monitor.parallel", "monitor.report", "monitor.report.nights",
                 "monitor.report.html"):
        assert "monitor.scan" not in graph[used]
        assert not _reaches(graph, used, "monitor.scan"), used


def test_no_circle_among_the_scan_workers_parallel_and_report():
    graph = _graph()
    names = ["monitor.scan", "monitor.scan_workers", "monitor.parallel",
             *sorted(m for m in graph if m == "monitor.report" or m.startswith("monitor.report."))]
    for m in names:
        assert not _reaches(graph, m, m), m


def test_the_reader_of_imports_sees_a_lazy_import():
    # the check above would pass vacuously if function-level imports were missed
    graph = _graph()
    assert "monitor.scan_workers" in graph["monitor.parallel"]    # imported inside render_shops
    assert "monitor.parallel" in graph["monitor.report"]          # inside render_from_db
    assert "monitor.scan_workers" in graph["monitor.scan"]
