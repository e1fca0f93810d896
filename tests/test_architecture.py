"""The floors of docs/architecture.md, read from the imports themselves.

Domain code (models, selectors, services and the rules beside them) imports
only from its own floor or below, so a rule has one home and a new app can
call it without being called back. The web layer (views, pages, API, URLs,
admin, forms, filters, tables, tasks, management commands) composes what a
page shows and may call the domain code of any app. No test database: this
reads source files only.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The floors, lowest first. A package on a floor may import its own floor and
# any floor below; never one above.
FLOORS: dict[str, int] = {
    "common": 0,
    "history": 1,
    "accounts": 1,
    "audit": 1,
    "notifications": 1,
    "registers": 2,
    "locations": 3,
    "intelligence": 4,
    "disruption": 5,
    "people": 6,
    "safeguarding": 7,
    "licensing": 7,
    "analysis": 8,
    "maps": 8,
    "imports": 8,
    "home": 8,
    "demo": 9,
    "intel_map": 10,
}
# Modules that sit above their package's floor (named here with the reason).
MODULE_FLOORS: dict[str, int] = {
    # The periodic coming-due scan reads flags, records and clocks; sending
    # a notification (notifications.services) stays on floor 1.
    "notifications.due": 8,
    # The postcode table's import reads the postcode model of locations.
    "imports.services": 8,
}
# The web layer: composes pages from any app's domain code.
WEB_PARTS = {
    "views",
    "pages",
    "api",
    "api_urls",
    "urls",
    "admin",
    "forms",
    "filters",
    "tables",
    "tasks",
    "management",
    "context_processors",
    "templatetags",
    "apps",
    "views_chart",
    "api_search",
}
# Import cycles between packages that are allowed, and why.
# (accounts.models <-> accounts.sessions is inside one package: Django's
# session-engine pattern, the engine importing the user model it ends.)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _floor_of(module: str) -> int | None:
    for prefix, floor in MODULE_FLOORS.items():
        if module == prefix or module.startswith(prefix + "."):
            return floor
    return FLOORS.get(module.split(".")[0])


def _is_web(module: str) -> bool:
    return any(part in WEB_PARTS for part in module.split(".")[1:])


def _source_files():
    for package in FLOORS:
        folder = ROOT / package
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno


def test_every_package_has_a_floor():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    missing = sorted(packages - set(FLOORS) - {"tests", "scripts"})
    assert not missing, f"Give these packages a floor in {__name__}: {missing}"


def test_domain_code_imports_no_higher_floor():
    upward = []
    for path in _source_files():
        module = _module_name(path)
        if _is_web(module):
            continue
        own = _floor_of(module)
        for imported, line in _imports(path):
            floor = _floor_of(imported)
            if floor is None or imported.split(".")[0] == module.split(".")[0]:
                continue
            if floor > own:
                upward.append(f"{path.relative_to(ROOT)}:{line} {module} -> {imported}")
    assert not upward, "Domain code imports a higher floor:\n" + "\n".join(upward)


def test_domain_code_imports_no_web_layer():
    """A selector or service never reaches into another app's views or API:
    what the web layer knows (requests, responses) stays out of the rules."""
    found = []
    for path in _source_files():
        module = _module_name(path)
        if _is_web(module):
            continue
        for imported, line in _imports(path):
            top = imported.split(".")[0]
            if top in FLOORS and top != module.split(".")[0] and _is_web(imported):
                found.append(f"{path.relative_to(ROOT)}:{line} {module} -> {imported}")
    assert not found, "Domain code imports the web layer:\n" + "\n".join(found)


def test_common_imports_no_app():
    found = [
        f"{path.relative_to(ROOT)}:{line} -> {imported}"
        for path in (ROOT / "common").rglob("*.py")
        for imported, line in _imports(path)
        if imported.split(".")[0] in FLOORS and not imported.startswith("common")
    ]
    assert not found, "common/ is the ground floor:\n" + "\n".join(found)
