"""How often one account and one address may comment, reply, report and appeal, and the 429 page.

django-ratelimit counts in the cache (CACHE_URL), one fixed window per limit. New accounts get
stricter limits: spam and trolling accounts start new. Sign-up and log-in are allauth's views with
allauth's own limits (ACCOUNT_RATE_LIMITS); its 429 comes here too, through config.urls.handler429.

While the cache is down nothing can be counted, and each limit fails open or closed
(`FAILS_CLOSED`): comments, replies, reports and appeals go on uncounted, since each is moderated
anyway and a reader's words must not be turned away; a visitor's request to follow a discussion,
which sends a mail to an address a stranger typed, is refused with a 503 until the cache is back.
allauth's log-in and sign-up limits count in the same cache and fail open.
"""

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from django_ratelimit import UNSAFE
from django_ratelimit.core import get_usage

from config.cache import CacheUnavailable
from moderation import services as moderation

# The actions refused while the cache cannot count them; the others go on uncounted.
FAILS_CLOSED = frozenset({"follow"})
# What the refusal asks a visitor to wait: about as long as the cache's retry plus a reload.
UNAVAILABLE_RETRY_SECONDS = 60


class LimitsUnavailable(Exception):
    """The cache cannot count this action, and the action fails closed."""


@dataclass(frozen=True)
class Limits:
    per_minute: int
    per_minute_new: int
    per_hour_new: int
    per_minute_per_ip: int


# Each action's settings: RATELIMIT_<PREFIX>_PER_MINUTE, …_PER_MINUTE_NEW, …_PER_HOUR_NEW and
# …_PER_MINUTE_PER_IP.
SETTING_PREFIXES = {"comment": "COMMENTS", "report": "REPORTS", "appeal": "APPEALS"}


def limits_for(action: str) -> Limits:
    """The limits of "comment" (comments and replies), "report" or "appeal", as configured now."""
    if action not in SETTING_PREFIXES:
        raise ValueError(f"No rate limits for {action!r}")
    prefix = f"RATELIMIT_{SETTING_PREFIXES[action]}"
    return Limits(
        getattr(settings, f"{prefix}_PER_MINUTE"),
        getattr(settings, f"{prefix}_PER_MINUTE_NEW"),
        getattr(settings, f"{prefix}_PER_HOUR_NEW"),
        getattr(settings, f"{prefix}_PER_MINUTE_PER_IP"),
    )


def is_new_account(user) -> bool:
    age = timedelta(hours=settings.RATELIMIT_NEW_ACCOUNT_HOURS)
    return user.date_joined > timezone.now() - age


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth sees it (TRUSTED_PROXY_COUNT), for both sets of limits."""
    from allauth.account.adapter import get_adapter

    return get_adapter().get_client_ip(request)


def _address_key(group: str, request: HttpRequest) -> str:
    """The posted address as it would be stored, so that `Victim@…`, `VICTIM@…` and ` victim@…`
    count as the one mailbox they are. This runs before the form: anything goes in."""
    posted = request.POST.get("email", "")
    try:
        return moderation.normalised_address(posted)
    except ValueError:
        return posted.strip().casefold()


# What django-ratelimit counts by, for the keys it cannot name itself.
KEYS: dict[str, Callable[[str, HttpRequest], str]] = {"address": _address_key}


def _rates(action: str, request: HttpRequest) -> list[tuple[str, str]]:
    if action == "follow":  # visitors asking for a confirmation e-mail to an address they name
        return [
            ("ip", f"{settings.RATELIMIT_FOLLOWS_PER_HOUR_PER_IP}/h"),
            ("address", f"{settings.RATELIMIT_FOLLOWS_PER_HOUR_PER_ADDRESS}/h"),
        ]
    limits = limits_for(action)
    rates = [("ip", f"{limits.per_minute_per_ip}/m")]
    if request.user.is_authenticated:
        if is_new_account(request.user):
            rates += [("user", f"{limits.per_minute_new}/m"), ("user", f"{limits.per_hour_new}/h")]
        else:
            rates.append(("user", f"{limits.per_minute}/m"))
    return rates


def seconds_to_wait(request: HttpRequest, action: str) -> int | None:
    """Count this request; if it is over a limit, the seconds until one would pass, else None.

    Raises LimitsUnavailable when the cache is down and the action fails closed.
    """
    waits = []
    for key, rate in _rates(action, request):
        try:
            usage = get_usage(
                request,
                group=f"agora.{action}.{key}",
                key=KEYS.get(key, key),
                rate=rate,
                method=UNSAFE,
                increment=True,
            )
        except CacheUnavailable:  # config.cache logs the outage, once a minute
            if action in FAILS_CLOSED:
                raise LimitsUnavailable(action) from None
            continue
        if usage is not None and usage["should_limit"]:
            # The window still counts at its last second: the next one starts a second later.
            waits.append(max(usage["time_left"] + 1, 1))
    return max(waits, default=None)


def rate_limited(action: str) -> Callable:
    """A view decorator: a POST over the action's limits gets the 429 page and nothing is stored;
    one that cannot be counted and fails closed gets the 503 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                seconds = seconds_to_wait(request, action)
            except LimitsUnavailable:
                return limits_unavailable(request)
            if seconds is not None:
                return too_many_requests(request, seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Please wait %(count)d second, then try again.",
            "Please wait %(count)d seconds, then try again.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Please wait %(count)d minute, then try again.",
        "Please wait %(count)d minutes, then try again.",
        minutes,
    ) % {"count": minutes}


def too_many_requests(request: HttpRequest, seconds: float) -> HttpResponse:
    """The 429 page in the reader's language, with Retry-After."""
    seconds = max(1, math.ceil(seconds))
    response = render(request, "429.html", {"wait_message": wait_message(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def limits_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page for an action that fails closed while the cache is down, with Retry-After."""
    response = render(request, "limits_unavailable.html", status=503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response


# allauth's views and the limits they consume; a view not listed may have consumed any of them.
ALLAUTH_ACTIONS = {
    "account_signup": ["signup"],
    "account_login": ["login", "login_failed"],
    "account_reset_password": ["reset_password"],
    "account_change_password": ["change_password"],
    "account_email": ["manage_email"],
}


def allauth_too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's 429 (config.urls.handler429): our page, and when the first of its limits frees.

    allauth does not say which limit refused the request. Its counters in the cache say when each
    of the view's limits frees again; a limit keyed by something we cannot see (the e-mail
    address tried) frees at the latest after its whole period.
    """
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import get_cache_key, parse_rates

    match = request.resolver_match
    configured = app_settings.RATE_LIMITS
    actions = ALLAUTH_ACTIONS.get((match.url_name if match else None) or "", list(configured))
    waits = [0.0]
    for action in actions:
        for rate in parse_rates(configured.get(action)):
            if rate.per == "ip" or (rate.per == "user" and request.user.is_authenticated):
                key = get_cache_key(request, app="allauth.account", action=action, rate=rate)
                history = cache.get(key, [])
                if len(history) >= rate.amount:
                    waits.append(history[rate.amount - 1] + rate.duration - time.time())
            elif rate.per == "key":
                waits.append(rate.duration)
    return too_many_requests(request, max(waits) or 60)
