"""Browser harness: Playwright for Python driving Debian's Chromium against live_server.

Playwright's own browser download does not work here, so the tests launch
/usr/bin/chromium (CHROMIUM_PATH overrides). Without Chromium the browser tests are
skipped on a developer's machine, and fail in CI (CI=true), where .ci/run installs it.
"""

import os
import shutil

import pytest

from balcao.accounts.tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run should have installed it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser tab (Portuguese, a laptop-sized window) whose base URL is the live server."""
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(
        base_url=live_server.url, locale="pt-PT", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login():
    """Sign in through the real login form."""

    def _login(page, user, password=PASSWORD):
        page.goto("/conta/entrar/")
        page.get_by_label("Nome de utilizador ou e-mail").fill(user.username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_load_state()

    return _login


@pytest.fixture
def assert_accessible():
    """Runs axe-core (WCAG 2.1 A and AA rules) on the page and fails on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
                },
                "resultTypes": ["violations"],
            },
        )
        violations = results.response["violations"]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in violations
        )
        assert not violations, f"axe found violations on {page.url}:\n{report}"

    return _check
