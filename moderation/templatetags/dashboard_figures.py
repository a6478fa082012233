"""Figures on the owners' pages: shares as percentages, their Wilson intervals, and the
dashboard's link and the site model's alert on the admin index."""

from django import template

from moderation.permissions import is_moderator, is_site_owner
from moderation.policy.calibration import Share
from moderation.site_model import drift

register = template.Library()


@register.simple_tag
def percent(value: float | None) -> str:
    """0.953 as "95.3 %"; a dash where there is nothing to divide."""
    return "–" if value is None else f"{value * 100:.1f} %"


@register.simple_tag
def interval(share: Share) -> str:
    """The 95% Wilson interval, "91.0–98.2 %"; a dash without decisions."""
    if not share.n:
        return "–"
    low, high = share.interval
    return f"{low * 100:.1f}–{high * 100:.1f} %"


@register.filter
def waiting(verdicts: dict) -> int:
    """Audit-sample comments no moderator has decided yet."""
    return verdicts.get("", 0)


@register.inclusion_tag("admin/moderation/_dashboard_link.html", takes_context=True)
def dashboard_link(context) -> dict:
    """The dashboard's entry on the admin index, for owners and moderators."""
    user = context["request"].user
    return {"show": is_site_owner(user) or is_moderator(user), "owner": is_site_owner(user)}


@register.inclusion_tag("admin/moderation/_site_model_alert.html", takes_context=True)
def site_model_alert(context) -> dict:
    """For site owners on the admin index: the warning that the active site model's recall has
    fallen well below its validation (nothing otherwise, and no queries for anyone else)."""
    if not is_site_owner(context["request"].user):
        return {"drift": None}
    return {"drift": drift.watch(), "owner": True}
