"""The focused review screen: one queue item at a time, decisions and bans, keyboard-driven."""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from articles.models import Comment
from moderation import services
from moderation.codes import RejectReason
from moderation.models import ReviewItem, StatusChange
from moderation.review import queue, selectors

# The review screen's choice of ban durations, in days; "" bans until a moderator unbans.
BAN_DAYS = ["", "1", "7", "30"]


def review_view(request: HttpRequest) -> HttpResponse:
    """One item at a time, with everything needed to decide, and keyboard shortcuts."""
    if not services.is_moderator(request.user):
        raise PermissionDenied
    item = None
    item_id = _int_or_none(request.GET.get("item"))
    if item_id is not None:
        items = selectors.queue_page_queryset(request.user)
        item = items.filter(pk=item_id).first()
        if item is None:
            messages.info(request, _("That item has left the queue; here is the next one."))
    item = item or selectors.queue_page_queryset(request.user).first()
    context = {
        **admin.site.each_context(request),
        "title": _("Review queue"),
        "opts": ReviewItem._meta,
        "reject_reasons": RejectReason.choices,
        "ban_days": BAN_DAYS[1:],
        "c": None,
    }
    if item is not None:
        queue.mark_opened(item=item, moderator=request.user)
        [context["c"]] = selectors.load_contexts([item], viewer=request.user, with_trail=True)
        context["next_id"] = selectors.neighbour_id(item, after=True, viewer=request.user)
        context["previous_id"] = selectors.neighbour_id(item, after=False, viewer=request.user)
        context["queue_size"] = ReviewItem.objects.open().count()
    return TemplateResponse(request, "admin/moderation/review.html", context)


def refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return TemplateResponse(
        request,
        "admin/moderation/refused.html",
        {**admin.site.each_context(request), "title": _("Not done"), "message": message},
        status=status,
    )


@require_POST
@csrf_protect
def decide_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Approve, reject, remove or restore, if the comment is still as the moderator saw it."""
    if not services.is_moderator(request.user):
        return refuse(request, _("Only moderators can decide on comments."), 403)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    try:
        change = services.moderate(
            comment=comment,
            moderator=request.user,
            action=request.POST.get("action", ""),
            expected_status=request.POST.get("expected_status", ""),
            item_id=_int_or_none(request.POST.get("item")),
            reason=request.POST.get("reason", ""),
            reason_text=request.POST.get("reason_text", ""),
        )
    except services.DecisionRefused as error:
        return refuse(request, str(error), error.status_code)
    messages.success(request, _with_undo(request, change))
    return _back_to_review(request)


@require_POST
@csrf_protect
def appeal_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Grant an author's appeal (the comment is published again) or uphold the decision."""
    if not services.is_moderator(request.user):
        return refuse(request, _("Only moderators can decide on comments."), 403)
    get_object_or_404(Comment, pk=comment_id)  # an id out of the database's range too
    outcome = request.POST.get("outcome", "")
    if outcome not in {"grant", "uphold"}:
        return refuse(request, _("Choose whether to grant the appeal or uphold the decision."), 400)
    try:
        change = services.decide_appeal(
            comment_id=comment_id, moderator=request.user, grant=outcome == "grant"
        )
    except services.DecisionRefused as error:
        return refuse(request, str(error), error.status_code)
    messages.success(
        request,
        _("%(outcome)s: comment #%(id)s.") % {"outcome": change.reason_text, "id": comment_id},
    )
    return _back_to_review(request)


def _with_undo(request: HttpRequest, change: StatusChange) -> str:
    """The decision in words, with a button (a POST form) that undoes it."""
    minutes = services.undo_minutes()
    return format_html(
        '{} <form method="post" action="{}" class="ri-undo">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit">{}</button> <span>{}</span></form>',
        services.described(change),
        reverse("admin:moderation_undo", args=[change.pk]),
        get_token(request),
        _("Undo"),
        ngettext("(possible for %(n)d minute)", "(possible for %(n)d minutes)", minutes)
        % {"n": minutes},
    )


@require_POST
@csrf_protect
def undo_view(request: HttpRequest, change_id: int) -> HttpResponse:
    """Undo a decision within the window: the comment returns to its status before it."""
    if not services.is_moderator(request.user):
        return refuse(request, _("Only moderators can decide on comments."), 403)
    try:
        undone = services.undo_decision(change_id=change_id, moderator=request.user)
    except services.DecisionRefused as error:
        return refuse(request, str(error), error.status_code)
    messages.success(
        request,
        _("Undone: comment #%(id)s is “%(status)s” again.")
        % {"id": undone.comment_id, "status": undone.get_to_status_display()},
    )
    item = ReviewItem.objects.open().filter(comment_id=undone.comment_id).first()
    target = reverse("admin:moderation_review")
    return redirect(f"{target}?item={item.pk}" if item else target)


@require_POST
@csrf_protect
def ban_view(request: HttpRequest, user_id: int) -> HttpResponse:
    if not services.is_moderator(request.user):
        return refuse(request, _("Only moderators can ban readers."), 403)
    user = get_object_or_404(get_user_model(), pk=user_id)
    if request.POST.get("unban"):
        services.unban_user(user=user, moderator=request.user)
        messages.success(request, _("%(name)s may comment again.") % {"name": user.username})
        return _back_to_review(request)
    days = request.POST.get("ban_days", "")
    if days not in BAN_DAYS:
        return refuse(request, _("Choose how long the ban lasts."), 400)
    try:
        rejected = services.ban_user(
            user=user,
            moderator=request.user,
            reject_pending=bool(request.POST.get("reject_pending")),
            reason=request.POST.get("ban_reason", ""),
            until=timezone.now() + timedelta(days=int(days)) if days else None,
        )
    except services.BanRefused as error:
        return refuse(request, str(error), 400)
    messages.success(
        request,
        ngettext(
            "%(name)s is banned; %(count)d unpublished comment rejected.",
            "%(name)s is banned; %(count)d unpublished comments rejected.",
            rejected,
        )
        % {"name": user.username, "count": rejected},
    )
    return _back_to_review(request)


def _int_or_none(value: str | None) -> int | None:
    # isdigit() alone takes "²" and other digits int() refuses.
    return int(value) if value and value.isascii() and value.isdigit() else None


def _back_to_review(request: HttpRequest) -> HttpResponse:
    target = reverse("admin:moderation_review")
    next_id = request.POST.get("next", "")
    return redirect(f"{target}?item={next_id}" if _int_or_none(next_id) else target)
