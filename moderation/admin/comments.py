"""Moderation's part of the comment screen (which lives with `articles`): the audit trail and the
assessments of each comment, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from articles.admin import CommentAdmin
from moderation.models import Assessment, StatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StatusChangeInline(ReadOnlyInline):
    """The audit trail, read-only: no one adds, edits or deletes it through the admin."""

    model = StatusChange
    fields = readonly_fields = ("created_at", "from_words", "to_words", "by", "reason_words")
    ordering = ["-created_at", "-id"]
    verbose_name_plural = gettext_lazy("audit trail")

    @admin.display(description=gettext_lazy("from"))
    def from_words(self, change: StatusChange) -> str:
        return change.get_from_status_display()

    @admin.display(description=gettext_lazy("to"))
    def to_words(self, change: StatusChange) -> str:
        return change.get_to_status_display()

    @admin.display(description=gettext_lazy("by"))
    def by(self, change: StatusChange) -> str:
        return change.who

    @admin.display(description=gettext_lazy("reason"))
    def reason_words(self, change: StatusChange) -> str:
        return change.reason_text


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = readonly_fields = (
        "created_at",
        "decision",
        "reasons",
        "toxicity",
        "relevance",
        "relevance_article",
        "relevance_parent",
        "relevance_parent_article",
        "relevance_raw",
        "relevance_parent_raw",
        "language",
        "toxicity_model",
        "relevance_model",
        "policy",
        "timings",
        "error",
        "applied",
    )


CommentAdmin.inlines = [*CommentAdmin.inlines, StatusChangeInline, AssessmentInline]
