"""Browser tests: Playwright drives Debian's Chromium against a live server.

Each test keeps a numbered screenshot of every step under e2e-artifacts/<test name>/ (CI keeps
the folder), and every page a step lands on is checked with axe-core: no serious or critical
WCAG violations.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "e2e-artifacts"
PASSWORD = "correct-horse-battery"

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside
# one unless told the use is safe (it is: the loop only talks to the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        # Playwright keeps an event loop running in this thread, and Django then holds this
        # thread's connections per context: the tests get a new connection object, which must
        # carry the migrated rows too or serialized_rollback silently restores nothing.
        for alias, contents in serialized.items():
            if contents is not None:
                # Django's test set-up keeps the rows in this private attribute; there is no setter.
                connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield browser
        browser.close()


class Journey:
    """A browser tab plus the habits every journey shares: sign in, screenshot, check axe."""

    def __init__(self, page, base_url: str, folder: Path):
        self.page = page
        self.base_url = base_url
        self.folder = folder
        self.step = 0

    def go(self, path: str):
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")

    def sign_in(self, username: str, password: str = PASSWORD):
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.submit()

    def submit(self, selector: str = "main button[type=submit]"):
        """Click a submit button and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.page.wait_for_load_state("networkidle")

    def sign_out(self):
        self.page.context.clear_cookies()

    def snap(self, name: str, *, accessible: bool = True):
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{slug}.png"), full_page=True)
        if accessible:
            assert_accessible(self.page, name)


def assert_accessible(page, where: str):
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}
    results = Axe().run(page, options=options)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = "; ".join(f"{v['id']}: {v['help']} (e.g. {v['nodes'][0]['html'][:120]})" for v in serious)
    assert not serious, f"Accessibility problems on {where}: {details}"


@pytest.fixture
def journey(browser, live_server, request):
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Journey(page, live_server.url, folder)
    context.close()
