"""The review queue's list: filters, the rows, bulk decisions, and the review screen's URLs."""

from typing import Protocol, cast

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin import report_decisions
from articles.models import Comment
from moderation import services
from moderation.admin.review_screen import (
    appeal_view,
    ban_view,
    decide_view,
    review_view,
    undo_view,
)
from moderation.codes import TOXICITY_LABELS, QueueAction, QueueSource, ReasonCode, RejectReason
from moderation.models import DEFAULT_LABEL_THRESHOLDS, ReviewItem
from moderation.review import selectors


class _ListedItem(Protocol):
    """A queue item on the change list, with the context its row renders (set on each item by
    get_changelist_instance, which loads them all at once)."""

    review_context: selectors.ItemContext


class ReasonFilter(admin.SimpleListFilter):
    title = gettext_lazy("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return ReasonCode.choices

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.with_reason(value) if value in ReasonCode.values else queryset


class LabelFilter(admin.SimpleListFilter):
    title = gettext_lazy("label")
    parameter_name = "label"

    def lookups(self, request, model_admin):
        return [(label, TOXICITY_LABELS[label]) for label in DEFAULT_LABEL_THRESHOLDS]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.with_label(value) if value in DEFAULT_LABEL_THRESHOLDS else queryset


class LanguageFilter(admin.SimpleListFilter):
    title = gettext_lazy("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [("de", _("German")), ("en", _("English")), ("other", _("other"))]

    def queryset(self, request, queryset):
        if self.value() == "other":
            return queryset.exclude(language__in=["de", "en"])
        if self.value() in {"de", "en"}:
            return queryset.filter(language=self.value())
        return queryset


@admin.register(ReviewItem)
class ReviewQueueAdmin(admin.ModelAdmin):
    """The review queue: only for moderators (see moderation.permissions.is_moderator)."""

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

    # Permissions: the queue is the moderators' tool, not a table to edit.

    def has_module_permission(self, request) -> bool:
        return services.is_moderator(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return services.is_moderator(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return selectors.queue_page_queryset(request.user)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Review queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        contexts = selectors.load_contexts(list(changelist.result_list), viewer=request.user)
        for item, context in zip(changelist.result_list, contexts, strict=True):
            cast(_ListedItem, item).review_context = context
        return changelist

    @admin.display(description=gettext_lazy("comment"))
    def entry(self, item: ReviewItem) -> str:
        return render_to_string(
            "moderation/_review_item.html",
            {"c": cast(_ListedItem, item).review_context, "compact": True},
        )

    # Bulk decisions.

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Approve selected comments"))
    def approve_selected(self, request, queryset) -> None:
        self._bulk(request, queryset, QueueAction.APPROVE, "")

    def _bulk(self, request, queryset, action: str, reason: str) -> None:
        # An appeal is granted or upheld, not approved or rejected: approving grants it; a reason
        # to reject does not apply to it (the review screen upholds it).
        appealed = set(
            queryset.filter(source=QueueSource.APPEAL).values_list("comment_id", flat=True)
        )
        comments = Comment.objects.filter(review_item__in=queryset).exclude(pk__in=appealed)
        done, refused = services.decide_many(
            comments=comments,
            moderator=request.user,
            action=action,
            reason=reason,
            item_ids=dict(queryset.values_list("comment_id", "id")),
        )
        for comment_id in sorted(appealed):
            if action != QueueAction.APPROVE:
                refused.append(
                    f"#{comment_id}: "
                    + _("An appeal is upheld on the review screen. Nothing was changed.")
                )
                continue
            try:
                services.decide_appeal(comment_id=comment_id, moderator=request.user, grant=True)
                done += 1
            except services.DecisionRefused as error:
                refused.append(f"#{comment_id}: {error}")
        report_decisions(request, done, refused)

    # The focused review screen, decisions and bans.

    def get_urls(self):
        urls = [
            path(
                "review/",
                self.admin_site.admin_view(review_view),
                name="moderation_review",
            ),
            path("decide/<int:comment_id>/", decide_view, name="moderation_decide"),
            path("ban/<int:user_id>/", ban_view, name="moderation_ban"),
            path("undo/<int:change_id>/", undo_view, name="moderation_undo"),
            path("appeal/<int:comment_id>/", appeal_view, name="moderation_decide_appeal"),
        ]
        return urls + super().get_urls()


# A reported comment is published: turning it down removes it (see decisions.decide_many).
for _code, _label in [
    (
        RejectReason.DISRESPECTFUL,
        gettext_lazy("Reject or remove selected: disrespectful or denigrating"),
    ),
    (RejectReason.OFF_TOPIC, gettext_lazy("Reject or remove selected: off-topic")),
    (RejectReason.SPAM, gettext_lazy("Reject or remove selected: spam or advertising")),
    (RejectReason.ILLEGAL, gettext_lazy("Reject or remove selected: illegal content")),
]:

    def _reject(self, request, queryset, _code=_code) -> None:
        self._bulk(request, queryset, QueueAction.REJECT, _code)

    _reject.__name__ = f"reject_selected_{_code.value}"
    setattr(ReviewQueueAdmin, _reject.__name__, admin.action(description=_label)(_reject))
