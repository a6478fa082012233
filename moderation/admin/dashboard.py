"""The site owners' dashboard and calibration pages, and the audit sample's share.

Owners (moderation.permissions.is_site_owner) see and change everything; moderators see the pages
read-only; everyone else gets 403.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from moderation.admin.charts import Chart
from moderation.admin.review_screen import refuse
from moderation.codes import ReasonCode, toxicity_label
from moderation.models import DEFAULT_LABEL_THRESHOLDS, PolicyVersion
from moderation.permissions import is_moderator, is_site_owner
from moderation.policy import calibration, evidence
from moderation.policy.models import LANGUAGE_CODE
from moderation.review import audit_sample
from moderation.site_model import drift


class BadInput(Exception):
    """A query parameter out of range; str(error) says which, for the owner."""


@dataclass
class _ShownSuggestion(calibration.Suggestion):
    """A suggestion with what the calibration page shows beside it."""

    title: str = ""
    language_name: str = ""
    chart: Chart | None = None


def _allowed_viewer(request: HttpRequest) -> None:
    if not (is_site_owner(request.user) or is_moderator(request.user)):
        raise PermissionDenied


def _languages() -> dict[str, str]:
    return {"": _("all languages"), "de": _("German"), "en": _("English"), "other": _("other")}


def _choices(request: HttpRequest, default_days: int) -> tuple[int, str]:
    days, language = request.GET.get("days", str(default_days)), request.GET.get("language", "")
    if days not in {str(d) for d in evidence.PERIODS}:
        raise BadInput(_("Choose a period of 7, 30 or 90 days."))
    if language not in _languages():
        raise BadInput(_("Choose German, English, other or all languages."))
    return int(days), language


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return TemplateResponse(
        request,
        template,
        {
            **admin.site.each_context(request),
            "is_owner": is_site_owner(request.user),
            "periods": evidence.PERIODS,
            "languages": _languages().items(),
            **context,
        },
    )


def _dashboard_charts(data) -> list[Chart]:
    """The dashboard's three charts: outcomes, the queue, and agreement, per day."""
    day_labels = [day.isoformat() for day in data.days]
    outcome_names = {
        "published": _("published automatically"),
        "review_approved": _("sent to review, then approved"),
        "review_rejected": _("sent to review, then rejected"),
        "review_waiting": _("sent to review, not decided yet"),
        "rejected": _("rejected automatically"),
        "removed_after_report": _("removed after a report"),
    }
    return [
        Chart(
            "chart-outcomes",
            _("Comments by outcome, per day"),
            day_labels,
            [(outcome_names[key], data.outcomes[key]) for key in evidence.OUTCOMES],
            type="bar",
            stacked=True,
        ),
        Chart(
            "chart-queue",
            _("The queue at each day's end"),
            day_labels,
            [
                (_("items waiting"), data.queue_size),
                (_("oldest item, hours"), data.oldest_hours),
                (_("median time to a decision, hours"), data.median_decision_hours),
            ],
        ),
        Chart(
            "chart-agreement",
            _("Of the comments sent to review, the share moderators approved"),
            day_labels,
            [(_("approved"), data.approved_share)],
            percent=True,
        ),
    ]


def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Outcomes, the queue and agreement, per day, for the last 7, 30 or 90 days."""
    _allowed_viewer(request)
    try:
        days, language = _choices(request, default_days=30)
    except BadInput as error:
        return refuse(request, str(error), 400)
    data = evidence.overview(days=days, language=language)
    charts = _dashboard_charts(data)
    agreement = [
        (
            ReasonCode(row.code).label if row.code in ReasonCode.values else row.code,
            toxicity_label(row.label) if row.label else "",
            _languages().get(row.language, row.language),
            row.share,
        )
        for row in data.agreement
    ]
    audit = [
        (_("published automatically"), data.audit_error("publish"), data.audit.get("publish", {})),
        (_("rejected automatically"), data.audit_error("reject"), data.audit.get("reject", {})),
    ]
    return _page(
        request,
        "admin/moderation/dashboard.html",
        {
            "title": _("Moderation dashboard"),
            "days": days,
            "language": language,
            "charts": charts,
            "agreement": agreement,
            "removed_share": data.removed_share,
            "audit": audit,
            "audit_share_percent": f"{PolicyVersion.objects.active().audit_sample_share * 100:g}",
            **_drift_context(),
        },
    )


def _drift_context() -> dict:
    """The active site model's figures per week since activation, and their chart."""
    report = drift.watch()
    chart = None
    if report is not None:
        chart = Chart(
            "chart-site-model",
            _("The site model's recall at the review threshold, per week"),
            [week.label for week in report.weeks],
            [
                (_("recall since activation"), [week.figures.recall for week in report.weeks]),
                (_("recall in validation"), [report.validation_recall] * len(report.weeks)),
            ],
            percent=True,
            x_title=_("week"),
        )
    return {
        "drift": report,
        "drift_chart": chart,
        "min_decisions": drift.MIN_DECISIONS,
        "max_drop": f"{drift.MAX_RECALL_DROP_POINTS:g}",
    }


def calibration_view(request: HttpRequest) -> HttpResponse:
    """Thresholds suggested from moderators' decisions, with the curves they rest on."""
    _allowed_viewer(request)
    try:
        days, _language = _choices(request, default_days=90)
    except BadInput as error:
        return refuse(request, str(error), 400)
    suggestions = calibration.calibrate(
        evidence.decided_comments(days=days),
        list(DEFAULT_LABEL_THRESHOLDS),
        min_decisions=settings.MODERATION_CALIBRATION_MIN_DECISIONS,
    )
    shown = [_shown(index, suggestion) for index, suggestion in enumerate(suggestions)]
    return _page(
        request,
        "admin/moderation/calibration.html",
        {
            "title": _("Calibration suggestions"),
            "days": days,
            "suggestions": shown,
            "use_url": _suggestions_url(suggestions),
            "min_decisions": settings.MODERATION_CALIBRATION_MIN_DECISIONS,
        },
    )


def _shown(index: int, suggestion: calibration.Suggestion) -> _ShownSuggestion:
    title = _name(suggestion.name)
    chart = Chart(
        f"chart-calibration-{index}",
        _("%(name)s: threshold against moderators' decisions") % {"name": title},
        [f"{point.threshold:.2f}" for point in suggestion.curve],
        [
            (_("share rejected at or above"), [p.rejected_share for p in suggestion.curve]),
            (_("share of violations caught"), [p.caught_share for p in suggestion.curve]),
        ],
        percent=True,
        x_title=_("threshold"),
    )
    return _ShownSuggestion(
        **vars(suggestion),
        title=title,
        language_name=_languages().get(suggestion.language, suggestion.language),
        chart=chart,
    )


def _name(name: str) -> str:
    return _("relevance") if name == calibration.RELEVANCE else toxicity_label(name)


def _suggestions_url(suggestions: list[calibration.Suggestion]) -> str:
    """The policy's add form, filled in with the suggestions: those for all languages as the
    thresholds, each language's own as its thresholds per language; "" if there are none."""
    values: dict[str, str] = {}
    overrides: dict[str, dict[str, float]] = {}
    for s in suggestions:
        if s.language and not LANGUAGE_CODE.match(s.language):
            continue  # a language the policy cannot name has no thresholds of its own
        target = overrides.setdefault(s.language, {}) if s.language else None
        for name, value in _suggested_fields(s):
            if target is None:
                values[name] = f"{value:.2f}"
            else:
                target[name] = round(value, 2)
    overrides = {language: fields for language, fields in overrides.items() if fields}
    if overrides:
        values["language_overrides"] = json.dumps(overrides, sort_keys=True)
    if not values:
        return ""
    values["note"] = _("Calibration suggestions")
    return f"{reverse('admin:moderation_policyversion_add')}?{urlencode(values)}"


def _suggested_fields(suggestion: calibration.Suggestion) -> list[tuple[str, float]]:
    """(policy field, suggested value) for what the suggestion sets."""
    if suggestion.name == calibration.RELEVANCE:
        fields = [("relevance_review_below", suggestion.review_at)]
    else:
        fields = [
            (f"{suggestion.name}_review_at", suggestion.review_at),
            (f"{suggestion.name}_reject_at", suggestion.reject_at),
        ]
    return [(name, value) for name, value in fields if value is not None]


@require_POST
@csrf_protect
def audit_share_view(request: HttpRequest) -> HttpResponse:
    """Owners set the audit sample's share (in percent); saves a new policy version."""
    if not is_site_owner(request.user):
        return refuse(request, _("Only site owners can change the audit sample."), 403)
    try:
        percent = float(request.POST.get("percent", "").replace(",", "."))
        if not 0 <= percent <= 100:
            raise ValueError
        audit_sample.change_share(share=percent / 100, owner=request.user)
    except (ValueError, ValidationError):
        return refuse(request, _("Enter a share between 0 and 100 percent."), 400)
    messages.success(
        request,
        _("From now on %(percent)s%% of automatic decisions go to the audit sample.")
        % {"percent": f"{percent:g}"},
    )
    return redirect("moderation_dashboard")


def _signed_in(view):
    """Anonymous visitors log in first; signed-in readers get 403 from the view, not a login."""

    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    path("", _signed_in(dashboard_view), name="moderation_dashboard"),
    path("calibration/", _signed_in(calibration_view), name="moderation_calibration"),
    path("audit-share/", _signed_in(audit_share_view), name="moderation_audit_share"),
]
