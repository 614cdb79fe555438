"""Templates follow the apps' dependency direction too (docs/architecture.md).

import-linter checks Python imports (make lint); a template's {% load %} of another app's
tag library is an import that it cannot see, so this test checks it: the templates of an
app load only the tag libraries of that app or of the apps below it.
"""

import re
from pathlib import Path

from django.conf import settings

# Highest first, as in docs/architecture.md and pyproject.toml [tool.importlinter].
LAYERS = [
    {"portal"},
    {"service_requests", "notices"},
    {"billing"},
    {"readings"},
    {"contracts"},
    {"accounts"},
    {"core"},
]
LIBRARY_APP = {"balcao": "core", "readings": "readings", "service_requests": "service_requests"}
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def _level(app: str) -> int:
    return next(i for i, apps in enumerate(LAYERS) if app in apps)


def test_every_app_tag_library_is_known():
    libraries = {
        path.stem
        for path in Path(settings.BASE_DIR, "balcao").glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }
    assert libraries == set(LIBRARY_APP)


def test_an_apps_templates_load_no_tags_of_an_app_above_it():
    wrong = []
    for app in set().union(*LAYERS):
        for template in Path(settings.BASE_DIR, "templates", app).rglob("*.html"):
            for match in LOAD.finditer(template.read_text(encoding="utf-8")):
                for library in match.group(1).split():
                    owner = LIBRARY_APP.get(library)
                    if owner and _level(owner) < _level(app):
                        wrong.append(f"{template.relative_to(settings.BASE_DIR)}: {library}")
    assert wrong == []
