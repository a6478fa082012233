"""What the browser journeys share: a session without the log-in form, a context that records
requests leaving the test server, and axe-core's verdict on a page."""

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"critical", "serious"}


def log_in(context, live_server, user) -> None:
    """Give a browser context the session of `user`, without walking through a login form."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def new_context(browser, live_server, locale: str, outside: list[str]):
    """A browser context that records every request that leaves the test server in `outside`."""
    context = browser.new_context(locale=locale, base_url=live_server.url)

    def record(request) -> None:
        if not request.url.startswith(live_server.url):
            outside.append(request.url)

    context.on("request", record)
    return context


def violations(page, state: str) -> list[str]:
    """The page's critical and serious WCAG 2.1 A/AA violations, one line each, named by `state`."""
    found = AXE.run(page, options=WCAG_21_AA).response["violations"]
    return [
        f"{state} ({page.url}): {v['id']} ({v['impact']}) at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in found
        if v["impact"] in BLOCKING
    ]
