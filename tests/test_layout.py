"""The code's layout rules that review would otherwise have to catch: unique module names and
short functions in the apps."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("articles", "moderation", "notifications", "config")
# Django's conventional modules, and the app's door (STYLE.md's services): one of each per app.
CONVENTIONAL = {"__init__", "admin", "apps", "models", "urls", "views", "forms", "tasks"}
CONVENTIONAL.add("services")
LONGEST_FUNCTION = 60


def app_modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "commands" not in path.parts
    ]


def test_no_two_app_modules_share_a_base_name():
    by_name = defaultdict(list)
    for path in app_modules():
        if path.stem not in CONVENTIONAL:
            by_name[path.stem].append(str(path.relative_to(ROOT)))

    assert {name: paths for name, paths in by_name.items() if len(paths) > 1} == {}


def test_no_app_function_is_longer_than_sixty_lines():
    long = []
    for path in app_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > LONGEST_FUNCTION:
                    long.append(f"{path.relative_to(ROOT)}:{node.name} ({lines} lines)")

    assert long == []


def test_the_layout_rules_see_every_app_module():
    names = {path.stem for path in app_modules()}

    assert {"lifecycle", "pipeline", "rules", "decisions", "follower_mail"} <= names


def imported_modules(source: str, package: str) -> set[str]:
    """Every module (or name in a module) that `source`, a module of `package`, imports, at any
    depth, relative imports resolved."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def conftests_and_test_modules(source: str, package: str) -> set[str]:
    """The conftest files and test modules among what `source` imports."""
    return {
        module
        for module in imported_modules(source, package)
        if any(part == "conftest" or part.startswith("test_") for part in module.split("."))
    }


def test_no_test_file_imports_a_conftest_or_a_test_module():
    wrong = {}
    for path in (ROOT / "tests").rglob("*.py"):
        package = ".".join(path.relative_to(ROOT).parent.parts)
        if found := conftests_and_test_modules(path.read_text(), package):
            wrong[str(path.relative_to(ROOT))] = sorted(found)

    assert wrong == {}


def test_the_import_rule_finds_conftest_and_test_modules_however_they_are_imported():
    source = (
        "from tests import conftest\n"
        "import tests.articles.test_feeds\n"
        "from tests.factories import make_article\n"
        "from tests.browser import journeys\n"
        "def later():\n"
        "    from .test_queue import queued\n"
        "    from . import conftest\n"
        "    from .. import test_layout\n"
    )

    assert conftests_and_test_modules(source, "tests.moderation") == {
        "tests.conftest",
        "tests.articles.test_feeds",
        "tests.moderation.test_queue",
        "tests.moderation.test_queue.queued",
        "tests.moderation.conftest",
        "tests.test_layout",
    }
