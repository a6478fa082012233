"""The policy's extra admin pages: comparing two versions, restoring one, and a saved version's
what-if against the version before it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from moderation.models import PolicyVersion
from moderation.permissions import is_site_owner
from moderation.policy import versions, whatif


def period_choices() -> list[tuple[str, str]]:
    days = [(str(d), _("last %(days)d days") % {"days": d}) for d in whatif.PERIODS]
    return [*days, ("all", _("all stored assessments"))]


def period_from(data: QueryDict) -> int | None:
    """The chosen period in days (None: all); the default for a missing or unknown choice."""
    value = data.get("whatif_days", "")
    if value == "all":
        return None
    periods = {str(days): days for days in whatif.PERIODS}
    return periods.get(value, whatif.DEFAULT_PERIOD)


def period_value(period: int | None) -> str:
    return "all" if period is None else str(period)


def default_rows() -> list[tuple[str, str]]:
    """The default policy as (setting, value) rows, shown before the first version is saved."""
    defaults = PolicyVersion()
    return [
        (str(field.verbose_name), versions.show_value(getattr(defaults, field.name)))
        for field in versions.policy_fields()
    ]


def choice_value(version: PolicyVersion) -> str:
    """The compare form's value for a version: its id, or "default" for the defaults."""
    return "default" if version.pk is None else str(version.pk)


def newest_two() -> dict[str, str]:
    """The compare form's choices before the owner makes any: the newest version against the
    one before it (the defaults if there is none)."""
    newest = list(PolicyVersion.objects.order_by("-created_at", "-id")[:2])
    return {
        "new_value": choice_value(newest[0]) if newest else "default",
        "old_value": choice_value(newest[1]) if len(newest) > 1 else "default",
    }


def _context(model_admin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def _viewer(model_admin, request: HttpRequest) -> None:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def compare(model_admin) -> Callable:
    def view(request: HttpRequest) -> HttpResponse:
        """Any two versions ("default" is the defaults), showing only what differs."""
        _viewer(model_admin, request)
        try:
            old = versions.version_or_default(request.GET.get("old"))
            new = versions.version_or_default(request.GET.get("new"))
        except (PolicyVersion.DoesNotExist, ValueError) as error:
            raise Http404(_("There is no such policy version.")) from error
        context = _context(
            model_admin,
            request,
            _("Compare policy versions"),
            old=old,
            new=new,
            old_value=choice_value(old),
            new_value=choice_value(new),
            versions=PolicyVersion.objects.order_by("-created_at", "-id"),
            differences=versions.differences(old, new),
        )
        return TemplateResponse(request, "admin/moderation/policyversion/compare.html", context)

    return view


def restore(model_admin) -> Callable:
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        """A new version equal to this one: site owners only, by POST with the CSRF token."""
        if not is_site_owner(request.user):
            raise PermissionDenied
        version = get_object_or_404(PolicyVersion, pk=pk)
        copy = versions.restore(version=version, by=request.user)
        messages.success(
            request,
            _("Version %(old)s was restored as version %(new)s.") % {"old": pk, "new": copy.pk},
        )
        return HttpResponseRedirect(
            reverse("admin:moderation_policyversion_whatif", args=[copy.pk])
        )

    return view


def saved_what_if(model_admin) -> Callable:
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        """What a saved version changes against the version before it, over a period."""
        _viewer(model_admin, request)
        version = get_object_or_404(PolicyVersion, pk=pk)
        before = versions.previous(version)
        period = period_from(request.GET)
        context = _context(
            model_admin,
            request,
            _("What %(version)s changes") % {"version": version},
            version=version,
            before=before,
            old=before,
            new=version,
            differences=versions.differences(before, version),
            whatif=whatif.what_if(
                after=version.thresholds(), before=before.thresholds(), days=period
            ),
            whatif_heading=_("What-if: this version replayed over stored assessments"),
            periods=period_choices(),
            period_value=period_value(period),
        )
        return TemplateResponse(request, "admin/moderation/policyversion/whatif.html", context)

    return view
