"""Site-wide: imports run one way, without cycles, and no module grows past 600 lines.

The layers (STYLE, docs/architecture.md): ``anhorigstod`` (the platform) <- ``contacts`` <-
``groups`` <- ``followup``. Nothing imports an app above it, not even inside a function or
by a string (``import_module``, ``include``, ``apps.get_model``, a lazy model label, a
migration's dependency). Upper apps register what they add to platform pages in their
ready() (anhorigstod/extensions.py, anhorigstod/privacy/registry.py); the platform's code
and templates never name them. The project wiring (settings.py, urls.py) is the exception.

No two modules of the project import each other, directly or round a longer loop, at any
depth of the code (see :func:`import_graph` for what counts as an edge and why a package's
``__init__`` that re-exports its submodules is not a cycle by itself).
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.test import Client

from tests.conftest import Org

ROOT = Path(__file__).resolve().parent.parent
UPPER_APPS = ("contacts", "groups", "followup")
# URL namespaces of the upper apps.
UPPER_NAMESPACES = ("contacts", "groups", "followup")
WIRING = {"settings.py", "urls.py"}
PLATFORM_TEMPLATES = ("core", "includes", "accounts", "audit", "allauth", "legal", "account")

IMPORT = re.compile(rf"^\s*(from|import)\s+({'|'.join(UPPER_APPS)})\b", re.MULTILINE)
URL_NAME = re.compile(rf"""["']({"|".join(UPPER_NAMESPACES)}):[a-z_]+["']""")
TEMPLATE_PATH = re.compile(rf"""["']({"|".join(UPPER_APPS)})/""")


def platform_modules() -> list[Path]:
    return [
        path
        for path in (ROOT / "anhorigstod").rglob("*.py")
        if "migrations" not in path.parts and not (path.parent.name == "anhorigstod" and path.name in WIRING)
    ]


def platform_templates() -> list[Path]:
    templates = ROOT / "templates"
    found = [path for folder in PLATFORM_TEMPLATES for path in (templates / folder).rglob("*.html")]
    return found + list(templates.glob("*.html"))


def test_platform_code_names_no_upper_app() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in platform_modules()
        for pattern in (IMPORT, URL_NAME, TEMPLATE_PATH)
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, "The platform names an app above it: " + "; ".join(offenders)


def test_platform_templates_name_no_upper_app() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in platform_templates()
        for pattern in (URL_NAME, TEMPLATE_PATH)
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, "A platform template names an app above it: " + "; ".join(offenders)


def test_the_check_finds_an_upward_reference() -> None:
    """The negative control."""
    assert IMPORT.search("from groups.models import Booking")
    assert URL_NAME.search("reverse('groups:activity_list')")
    assert URL_NAME.search("{% url 'contacts:carer_list' %}")
    assert not IMPORT.search("from anhorigstod.extensions import extensions")


def test_the_apps_menu_items_reach_the_staff_menu_in_their_order(client: Client, login_as, org: Org) -> None:  # type: ignore[no-untyped-def]
    page = login_as("manager_a").get("/idag/").content.decode()
    menu = page[page.index('<nav class="main-nav"') : page.index("</nav>")]
    hrefs = re.findall(r'<a href="([^"]+)"', menu)
    assert hrefs == [
        "/idag/",
        "/samtal/nytt/",
        "/anhoriga/",
        "/samtal/",
        "/aktiviteter/",
        "/inkorg/",
        "/vagvisare/",
        "/uppfoljning/",
        "/uppfoljning/rapporter/",
        "/uppfoljning/nationell-export/",
        "/uppfoljning/min-arbetsbelastning/",
        "/dokumentation/",
        "/katalog/",
        "/uppfoljning/sjalvskattning/",
        "/loggkontroll/",
        "/konto/2fa/",
    ], "the manager's items, in the order the apps give them; not the administrator's"


def test_the_public_menu_and_the_unit_links_come_from_the_apps(client: Client, login_as, org: Org) -> None:  # type: ignore[no-untyped-def]
    org.unit_a.public_phone = "0240-860 00"
    org.unit_a.save()
    page = client.get("/kommun/9901/").content.decode()
    assert 'href="/kalender/"' in page
    assert 'href="/mina-sidor/"' not in page, "My pages only when signed in"
    assert 'href="/kontakt/norra/"' in page
    signed_in = login_as("carer")
    assert 'href="/mina-sidor/"' in signed_in.get("/kommun/9901/").content.decode()


# --- Imports between the layers, and cycles --------------------------------------------

# The project's packages, lowest first: a module may import its own layer and those below.
LAYERS = ("anhorigstod", "contacts", "groups", "followup")
# Calls that import the module named by their first argument.
IMPORTING_CALLS = {"import_module", "__import__", "include"}
# A string that is a whole dotted name ("groups.Booking", "followup.tasks.report_render").
DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
MIGRATION_NAME = re.compile(r"\d{4}_\w+|__first__|__latest__")


@dataclass(frozen=True)
class Import:
    """One module naming another. ``target``: a dotted module name, or only an app's label
    where the code names the app without a module (a model label, a migration dependency).
    ``runtime``: the line executes an import (a statement or an importing call); a name in
    a string that Django resolves later (``"groups.Booking"``) is not an edge of the import
    graph, but it is still an upward reference."""

    target: str
    line: int
    runtime: bool


def project_modules() -> dict[str, Path]:
    """Every module of the layers, migrations included: dotted name -> file."""
    found: dict[str, Path] = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def imports_in(source: str, *, module: str, is_package: bool, known: Collection[str]) -> list[Import]:
    """Every import and every import by string in ``source``, at any depth (inside functions,
    classes, ``if TYPE_CHECKING:`` blocks and ``try`` blocks alike).

    ``from pkg import name`` is an import of ``pkg.name`` when that is a module in ``known``,
    else of ``pkg``; relative imports are made absolute from ``module``.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []
    read: set[int] = set()  # the strings already read as an argument, not to be read again on their own
    for node in ast.walk(ast.parse(source)):  # breadth first: a call before its arguments
        if id(node) in read:
            continue
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno, True) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append(Import(candidate if candidate in known else base, node.lineno, True))
        elif isinstance(node, ast.Call):
            name, first = _called_name(node), _string(node.args[0] if node.args else None)
            if first is None or first.startswith("."):
                continue
            if name in IMPORTING_CALLS:
                found.append(Import(first, node.lineno, True))
                read.add(id(node.args[0]))
            elif name == "get_model":  # apps.get_model("groups", "Booking") or ("groups.Booking")
                found.append(Import(first.partition(".")[0], node.lineno, False))
                read.add(id(node.args[0]))
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            app, migration = (_string(element) for element in node.elts)
            if app is not None and migration is not None and MIGRATION_NAME.fullmatch(migration):
                found.append(Import(app, node.lineno, False))  # a migration's dependency
                read.update(id(element) for element in node.elts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.fullmatch(node.value):
            found.append(Import(node.value, node.lineno, False))  # a model label, a task's or a module's name
    return found


def layer_of(name: str) -> int | None:
    top = name.partition(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def upward_imports(source: str, *, module: str, is_package: bool = False, known: Collection[str] = ()) -> list[str]:
    """The imports and names in ``source`` of a layer above ``module``'s, as "line: target"."""
    own = layer_of(module)
    assert own is not None, module
    return [
        f"{found.line}: {found.target}{'' if found.runtime else ' (by name)'}"
        for found in imports_in(source, module=module, is_package=is_package, known=known)
        if (layer := layer_of(found.target)) is not None and layer > own
    ]


def is_wiring(path: Path) -> bool:
    """The project's settings and root URLconf name every app by design."""
    return path.parent == ROOT / "anhorigstod" and path.name in WIRING


def test_no_module_imports_an_app_above_it() -> None:
    modules = project_modules()
    offenders = [
        f"{path.relative_to(ROOT)}:{found}"
        for name, path in modules.items()
        if not is_wiring(path)
        for found in upward_imports(
            path.read_text(), module=name, is_package=path.name == "__init__.py", known=modules.keys()
        )
    ]
    assert not offenders, "Imports run anhorigstod <- contacts <- groups <- followup; upward: " + "; ".join(offenders)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int


def import_graph(sources: Mapping[str, tuple[str, bool]]) -> dict[str, dict[str, Edge]]:
    """module -> {imported module -> the first line importing it}, over the modules of ``sources``
    (dotted name -> (source text, is a package's ``__init__``)).

    An edge is each import that executes (a statement anywhere in the module, even inside a
    function or under ``if TYPE_CHECKING:``, or an importing call), to the module it names:
    ``import a.b.c`` and ``from a.b import c`` (``c`` a module) are edges to ``a.b.c``;
    ``from a.b import f`` (``f`` not a module) is an edge to ``a.b``, the package's
    ``__init__``. An import inside a function only defers the cycle to the first call, and
    one under ``TYPE_CHECKING`` still makes the two modules know each other, so both count.
    A target outside ``sources`` (Django, the standard library) is left out; a self-import too.

    A package's ``__init__`` that re-exports names of its submodules. Importing
    ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first, so a submodule "imports" its
    package's ``__init__`` whether it likes it or not; were that an edge, every package whose
    ``__init__`` re-exports its submodules would be a cycle with each of them, and a
    re-export facade (``from followup.reports.services import report_render``) is what a
    split module leaves behind for its callers. So the implicit import of the enclosing
    packages is *not* an edge: ``a.b.c`` depends on ``a.b`` only when it names ``a.b``
    itself (``from a.b import f``, ``f`` defined or re-exported in the ``__init__``). Then
    the cycle is real: a submodule taking a name from the ``__init__`` that is still
    running its imports finds it half-built, and the shared piece belongs in a submodule
    both import. ``from a.b import c`` with ``c`` a sibling module is an edge to ``a.b.c``,
    not to the ``__init__``.
    """
    known = sources.keys()
    graph: dict[str, dict[str, Edge]] = {name: {} for name in sources}
    for name, (source, is_package) in sources.items():
        for found in imports_in(source, module=name, is_package=is_package, known=known):
            if not found.runtime:
                continue
            target = found.target
            while target and target not in known:  # import a.b.c where a.b.c is a name in a.b
                target = target.rpartition(".")[0]
            if target and target != name and target not in graph[name]:
                graph[name][target] = Edge(name, target, found.line)
    return graph


def strongly_connected(graph: Mapping[str, Collection[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def a_cycle(graph: Mapping[str, Mapping[str, Edge]], component: list[str]) -> list[Edge]:
    """The shortest loop through the component's first module, within the component."""
    start, members = component[0], set(component)
    came_by: dict[str, Edge] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target, edge in sorted(graph[node].items()):
            if target == start:
                path = [edge]
                while path[0].source != start:
                    path.insert(0, came_by[path[0].source])
                return path
            if target in members and target not in came_by:
                came_by[target] = edge
                queue.append(target)
    raise AssertionError(f"no loop through {start} in {component}")


def describe_cycles(graph: Mapping[str, Mapping[str, Edge]], files: Mapping[str, Path] | None = None) -> list[str]:
    """One line per strongly connected component: its modules, and one loop through them
    with the line of each import."""

    def where(edge: Edge) -> str:
        path = files[edge.source].relative_to(ROOT) if files else edge.source
        return f"{edge.source} -> {edge.target} ({path}:{edge.line})"

    return [
        f"[{', '.join(component)}]: " + ", ".join(where(edge) for edge in a_cycle(graph, component))
        for component in strongly_connected(graph)
    ]


def test_no_import_cycle_between_the_projects_modules() -> None:
    modules = project_modules()
    graph = import_graph({name: (path.read_text(), path.name == "__init__.py") for name, path in modules.items()})
    cycles = describe_cycles(graph, modules)
    assert not cycles, "Import cycles (move the shared piece lower): " + "; ".join(cycles)


# --- Module size -----------------------------------------------------------------------

MAX_LINES = 600
SIZED = (*LAYERS, "bench")


def sized_modules() -> Iterator[Path]:
    """The modules held to :data:`MAX_LINES`: all but migrations and demo data (demo*.py)."""
    for top in SIZED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts and not path.name.startswith("demo"):
                yield path


def too_long(text: str) -> int | None:
    """The number of lines of ``text`` when past :data:`MAX_LINES`, else None."""
    lines = len(text.splitlines())
    return lines if lines > MAX_LINES else None


def test_no_module_is_over_600_lines() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in sized_modules()
        if (lines := too_long(path.read_text())) is not None
    ]
    assert not offenders, f"Split into a package past {MAX_LINES} lines (STYLE): " + "; ".join(offenders)


# --- Negative controls: each check above can fail --------------------------------------


def test_the_upward_check_finds_every_kind_of_upward_import() -> None:
    inside_a_function = "def dashboard():\n    from followup.figures import followup_figures\n"
    assert upward_imports(inside_a_function, module="groups.views") == ["2: followup.figures"]
    assert upward_imports("import groups.models\n", module="contacts.models") == ["1: groups.models"]
    assert upward_imports("from .. import x\n", module="contacts.views.carers") == []
    by_string = "import_module('followup.national')\nFK = ForeignKey('groups.Booking', on_delete=CASCADE)\n"
    assert upward_imports(by_string, module="contacts.models") == [
        "1: followup.national",
        "2: groups.Booking (by name)",
    ]
    a_migration = "dependencies = [('contacts', '0001_initial'), ('groups', '0003_booking')]\n"
    assert upward_imports(a_migration, module="contacts.migrations.0002_x") == ["1: groups (by name)"]
    assert upward_imports("apps.get_model('contacts', 'Carer')\n", module="anhorigstod.audit.selectors") == [
        "1: contacts (by name)"
    ]
    downward = "from contacts.policy import enforce\nfrom anhorigstod.extensions import extensions\n"
    assert upward_imports(downward, module="groups.services") == []
    assert upward_imports('"""Reads groups.rollups and writes nothing."""\n', module="contacts.rollups") == []


def test_the_cycle_check_finds_a_cycle_even_inside_a_function() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []
    figures_and_disclosure = {
        "followup.figures": ("def figures():\n    from followup.disclosure import released\n", False),
        "followup.disclosure": ("from followup.figures import Cell\n", False),
    }
    assert describe_cycles(import_graph(figures_and_disclosure)) == [
        "[followup.disclosure, followup.figures]: followup.disclosure -> followup.figures (followup.disclosure:1), "
        "followup.figures -> followup.disclosure (followup.figures:2)"
    ]


def test_a_package_that_re_exports_its_submodules_is_no_cycle_by_itself() -> None:
    package = {
        "followup.reports": ("from followup.reports.services import report_render\n", True),
        "followup.reports.services": ("from followup.reports import context\n", False),
        "followup.reports.context": ("from .selectors import counts\n", False),
        "followup.reports.selectors": ("", False),
    }
    assert describe_cycles(import_graph(package)) == []
    # But a submodule that takes a name from the __init__ that re-exports it is a cycle.
    package["followup.reports.context"] = ("from followup.reports import report_render\n", False)
    assert strongly_connected(import_graph(package)) == [
        ["followup.reports", "followup.reports.context", "followup.reports.services"]
    ]


def test_the_size_check_finds_a_long_module() -> None:
    assert too_long("x = 1\n" * 601) == 601
    assert too_long("x = 1\n" * 600) is None
