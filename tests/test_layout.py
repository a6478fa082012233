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
