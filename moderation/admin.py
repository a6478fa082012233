import re

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from articles.models import Comment, Profile
from moderation import review, services
from moderation.models import (
    DEFAULT_LABEL_THRESHOLDS,
    Assessment,
    PolicyVersion,
    RejectReason,
    ReviewItem,
    StatusChange,
)

MODERATE = "moderation.moderate_comments"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = [
        "created_at",
        "decision",
        "reasons",
        "toxicity",
        "relevance",
        "language",
        "toxicity_model",
        "relevance_model",
        "policy",
        "timings",
        "error",
        "applied",
    ]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    """The audit trail, read-only: no one adds, edits or deletes it through the admin."""

    model = StatusChange
    fields = ["created_at", "from_status", "to_status", "who", "reason"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("audit trail")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments change status only through the moderation actions, which keep the audit trail."""

    list_display = ["__str__", "article", "author", "status", "created_at"]
    list_filter = ["status", "article__language"]
    search_fields = ["body", "author__username", "author__email"]
    list_select_related = ["article", "author"]
    readonly_fields = [
        "article",
        "parent",
        "author",
        "depth",
        "body",
        "status",
        "rejection_reason",
        "created_at",
    ]
    inlines = [StatusChangeInline, AssessmentInline]
    actions = ["remove_selected", "restore_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would take the audit trail with it; remove the comment instead.
        return False

    @admin.action(description=gettext_lazy("Remove selected published comments (disrespectful)"))
    def remove_selected(self, request, queryset) -> None:
        _apply_to_comments(request, queryset, services.Action.REMOVE, RejectReason.DISRESPECTFUL)

    @admin.action(description=gettext_lazy("Restore selected removed comments"))
    def restore_selected(self, request, queryset) -> None:
        _apply_to_comments(request, queryset, services.Action.RESTORE, "")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(MODERATE):
            actions.pop("remove_selected", None)
            actions.pop("restore_selected", None)
        return actions


def _apply_to_comments(request, comments, action: str, reason: str, items=None) -> None:
    """One decision on many comments; those someone else decided meanwhile are reported."""
    item_ids = dict(items.values_list("comment_id", "id")) if items is not None else {}
    done, refused = 0, []
    for comment in comments.select_related("article"):
        try:
            services.moderate(
                comment=comment,
                moderator=request.user,
                action=action,
                expected_status=comment.status,
                item_id=item_ids.get(comment.pk),
                reason=reason,
            )
            done += 1
        except services.DecisionRefused as error:
            refused.append(f"#{comment.pk}: {error}")
    if done:
        messages.success(
            request,
            ngettext("%(count)d comment decided.", "%(count)d comments decided.", done)
            % {"count": done},
        )
    for line in refused:
        messages.warning(request, line)


class ReasonFilter(admin.SimpleListFilter):
    title = gettext_lazy("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [
            ("reported", _("reported by readers")),
            ("toxicity_reject", _("toxicity: reject threshold")),
            ("toxicity_review", _("toxicity: review threshold")),
            ("off_topic", _("off-topic")),
            ("new_commenter", _("new commenter")),
            ("contains_link", _("contains a link")),
            ("assessment_unavailable", _("automatic assessment unavailable")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "reported":
            return queryset.filter(report_count__gt=0)
        if self.value():
            return queryset.filter(reason_codes__regex=rf"(^| ){re.escape(self.value())}( |$)")
        return queryset


class LabelFilter(admin.SimpleListFilter):
    title = gettext_lazy("label")
    parameter_name = "label"

    def lookups(self, request, model_admin):
        return [(label, label) for label in DEFAULT_LABEL_THRESHOLDS]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # Whole words only: "toxicity" must not match "severe_toxicity".
        return queryset.filter(labels__regex=rf"(^| ){re.escape(self.value())}( |$)")


class LanguageFilter(admin.SimpleListFilter):
    title = gettext_lazy("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [("de", _("German")), ("en", _("English")), ("other", _("other"))]

    def queryset(self, request, queryset):
        if self.value() == "other":
            return queryset.exclude(language__in=["de", "en"])
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(ReviewItem)
class ReviewQueueAdmin(admin.ModelAdmin):
    """The review queue: only for users with the moderate_comments permission (Moderators)."""

    list_display = ["entry"]
    list_display_links = None
    list_filter = [
        ReasonFilter,
        LabelFilter,
        LanguageFilter,
        ("comment__article", admin.RelatedOnlyFieldListFilter),
        ("comment__author", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["comment__body", "comment__author__username", "comment__author__email"]
    list_per_page = 50
    actions = ["approve_selected"] + [
        f"reject_selected_{code}" for code in ["disrespectful", "off_topic", "spam", "illegal"]
    ]
    change_list_template = "admin/moderation/reviewitem/change_list.html"

    # Permissions: the queue is the Moderators' tool, not a table to edit.

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm(MODERATE)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(MODERATE)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return review.queue_page_queryset()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Review queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        contexts = review.load_contexts(list(changelist.result_list), viewer=request.user)
        for item, context in zip(changelist.result_list, contexts, strict=True):
            item.review_context = context
        return changelist

    @admin.display(description=gettext_lazy("comment"))
    def entry(self, item: ReviewItem) -> str:
        from django.template.loader import render_to_string

        return render_to_string(
            "moderation/_review_item.html", {"c": item.review_context, "compact": True}
        )

    # Bulk decisions.

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Approve selected comments"))
    def approve_selected(self, request, queryset) -> None:
        self._bulk(request, queryset, services.Action.APPROVE, "")

    def _bulk(self, request, queryset, action: str, reason: str) -> None:
        comments = Comment.objects.filter(review_item__in=queryset).select_related("article")
        _apply_to_comments(request, comments, action, reason, items=queryset)

    # Custom pages: the focused review screen, decisions and bans.

    def get_urls(self):
        urls = [
            path("review/", self.admin_site.admin_view(self.review_view), name="moderation_review"),
            path("decide/<int:comment_id>/", self.decide_view, name="moderation_decide"),
            path("ban/<int:user_id>/", self.ban_view, name="moderation_ban"),
        ]
        return urls + super().get_urls()

    def review_view(self, request: HttpRequest) -> HttpResponse:
        """One item at a time, with everything needed to decide, and keyboard shortcuts."""
        if not request.user.has_perm(MODERATE):
            raise PermissionDenied
        open_items = ReviewItem.objects.open().in_queue_order()
        item = None
        if request.GET.get("item", "").isdigit():
            item = review.queue_page_queryset().filter(pk=request.GET["item"]).first()
            if item is None:
                messages.info(request, _("That item has left the queue; here is the next one."))
        item = item or review.queue_page_queryset().first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue"),
            "opts": self.model._meta,
            "reject_reasons": RejectReason.choices,
            "c": None,
        }
        if item is not None:
            services.mark_opened(item=item, moderator=request.user)
            [context["c"]] = review.load_contexts([item], viewer=request.user, with_trail=True)
            context["next_id"] = _neighbour_id(open_items, item, after=True)
            context["previous_id"] = _neighbour_id(open_items, item, after=False)
            context["queue_size"] = open_items.count()
        return TemplateResponse(request, "admin/moderation/review.html", context)

    def decide_view(self, request: HttpRequest, comment_id: int) -> HttpResponse:
        return _decide(request, comment_id)

    def ban_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        return _ban(request, user_id)


def _neighbour_id(open_items, item: ReviewItem, *, after: bool) -> int | None:
    key = ("priority", "entered_at", "id")
    values = (item.priority, item.entered_at, item.pk)
    if after:
        later = (
            Q(priority__gt=values[0])
            | Q(priority=values[0], entered_at__gt=values[1])
            | Q(priority=values[0], entered_at=values[1], id__gt=values[2])
        )
        return open_items.filter(later).values_list("id", flat=True).first()
    earlier = (
        Q(priority__lt=values[0])
        | Q(priority=values[0], entered_at__lt=values[1])
        | Q(priority=values[0], entered_at=values[1], id__lt=values[2])
    )
    ordering = [f"-{name}" for name in key]
    return open_items.filter(earlier).order_by(*ordering).values_list("id", flat=True).first()


for _code, _label in [
    ("disrespectful", gettext_lazy("Reject selected: disrespectful or denigrating")),
    ("off_topic", gettext_lazy("Reject selected: off-topic")),
    ("spam", gettext_lazy("Reject selected: spam or advertising")),
    ("illegal", gettext_lazy("Reject selected: illegal content")),
]:

    def _reject(self, request, queryset, _code=_code) -> None:
        self._bulk(request, queryset, services.Action.REJECT, _code)

    _reject.__name__ = f"reject_selected_{_code}"
    setattr(ReviewQueueAdmin, _reject.__name__, admin.action(description=_label)(_reject))


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return TemplateResponse(
        request,
        "admin/moderation/refused.html",
        {**admin.site.each_context(request), "title": _("Not done"), "message": message},
        status=status,
    )


@require_POST
@csrf_protect
def _decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Approve, reject, remove or restore, if the comment is still as the moderator saw it."""
    if not request.user.is_authenticated or not request.user.has_perm(MODERATE):
        return _refuse(request, _("Only moderators can decide on comments."), 403)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    try:
        services.moderate(
            comment=comment,
            moderator=request.user,
            action=request.POST.get("action", ""),
            expected_status=request.POST.get("expected_status", ""),
            item_id=_int_or_none(request.POST.get("item")),
            reason=request.POST.get("reason", ""),
            reason_text=request.POST.get("reason_text", ""),
        )
    except services.DecisionRefused as error:
        return _refuse(request, str(error), error.status_code)
    messages.success(request, _("Decided: comment #%(id)s.") % {"id": comment.pk})
    return _back_to_review(request)


@require_POST
@csrf_protect
def _ban(request: HttpRequest, user_id: int) -> HttpResponse:
    if not request.user.is_authenticated or not request.user.has_perm(MODERATE):
        return _refuse(request, _("Only moderators can ban readers."), 403)
    user = get_object_or_404(get_user_model(), pk=user_id)
    if request.POST.get("unban"):
        services.unban_user(user=user)
        messages.success(request, _("%(name)s may comment again.") % {"name": user.username})
        return _back_to_review(request)
    try:
        rejected = services.ban_user(
            user=user,
            moderator=request.user,
            reject_pending=bool(request.POST.get("reject_pending")),
        )
    except services.BanRefused as error:
        return _refuse(request, str(error), 400)
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
    return int(value) if value and value.isdigit() else None


def _back_to_review(request: HttpRequest) -> HttpResponse:
    target = reverse("admin:moderation_review")
    next_id = request.POST.get("next", "")
    return redirect(f"{target}?item={next_id}" if next_id.isdigit() else target)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The whole audit trail, to read and search; nobody can add, edit or delete an entry."""

    list_display = ["created_at", "comment", "from_status", "to_status", "who", "reason"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["comment__body", "actor__username", "actor_label", "reason"]
    list_select_related = ["comment", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "is_banned", "banned_at", "notify_on_decision", "language"]
    list_filter = ["is_banned"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "is_banned", "banned_at"]
    actions = ["ban_selected", "ban_selected_and_reject", "unban_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=gettext_lazy("Ban selected readers"))
    def ban_selected(self, request, queryset, reject_pending: bool = False) -> None:
        if not request.user.has_perm(MODERATE):
            raise PermissionDenied
        for profile in queryset.select_related("user"):
            try:
                services.ban_user(
                    user=profile.user, moderator=request.user, reject_pending=reject_pending
                )
            except services.BanRefused as error:
                messages.error(request, f"{profile.user}: {error}")

    @admin.action(
        description=gettext_lazy("Ban selected readers and reject their pending comments")
    )
    def ban_selected_and_reject(self, request, queryset) -> None:
        self.ban_selected(request, queryset, reject_pending=True)

    @admin.action(description=gettext_lazy("Unban selected readers"))
    def unban_selected(self, request, queryset) -> None:
        if not request.user.has_perm(MODERATE):
            raise PermissionDenied
        for profile in queryset.select_related("user"):
            services.unban_user(user=profile.user)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Versions are never edited: 'Add' starts from the active one and saves a new version."""

    list_display = ["__str__", "created_at", "created_by", "note", "is_active"]
    readonly_fields = ["created_at", "created_by"]
    fieldsets = [
        (None, {"fields": ["note"]}),
        (
            gettext_lazy("Toxicity thresholds (Detoxify scores, 0 to 1)"),
            {
                "fields": [
                    (f"{label}_review_at", f"{label}_reject_at")
                    for label in DEFAULT_LABEL_THRESHOLDS
                ],
                "description": gettext_lazy(
                    "A comment is rejected when any score reaches its reject threshold, and "
                    "sent to review when any score reaches its review threshold."
                ),
            },
        ),
        (
            gettext_lazy("Further rules"),
            {
                "fields": [
                    "relevance_review_below",
                    "short_text_words",
                    "new_commenter_reviews",
                    "links_to_review",
                ]
            },
        ),
        (gettext_lazy("Saved"), {"fields": ["created_at", "created_by"]}),
    ]

    @admin.display(boolean=True, description=gettext_lazy("active"))
    def is_active(self, version: PolicyVersion) -> bool:
        return version.pk == PolicyVersion.objects.active().pk

    def get_changeform_initial_data(self, request) -> dict:
        active = PolicyVersion.objects.active()
        return {
            field.name: getattr(active, field.name)
            for field in PolicyVersion._meta.concrete_fields
            if field.name not in {"id", "created_at", "created_by", "note"}
        }

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: PolicyVersion, form, change: bool) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
