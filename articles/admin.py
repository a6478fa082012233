from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article, Comment
from moderation import services as moderation


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author_name", "language", "published_at", "comments_open"]
    list_filter = ["language", "comments_open"]
    search_fields = ["title", "lead", "author_name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name == "published_at":
            # Django's date and time boxes have only loose text beside them, no label of their own.
            date, time = field.widget.widgets
            date.attrs["aria-label"] = gettext_lazy("Publication date")
            time.attrs["aria-label"] = gettext_lazy("Publication time")
        return field


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments change status only through moderation's actions, which keep the audit trail.

    Moderation adds its read-only inlines (audit trail, assessments) in moderation.admin.
    """

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
    inlines = []
    actions = ["remove_selected", "restore_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would take the audit trail with it; remove the comment instead.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not moderation.is_moderator(request.user):
            actions.pop("remove_selected", None)
            actions.pop("restore_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Remove selected published comments (disrespectful)"))
    def remove_selected(self, request, queryset) -> None:
        report_decisions(
            request, *moderation.remove_comments(comments=queryset, moderator=request.user)
        )

    @admin.action(description=gettext_lazy("Restore selected removed comments"))
    def restore_selected(self, request, queryset) -> None:
        report_decisions(
            request, *moderation.restore_comments(comments=queryset, moderator=request.user)
        )


def report_decisions(request, done: int, refused: list[str]) -> None:
    """Tell the moderator how many comments were decided, and why the others were not."""
    if done:
        messages.success(
            request,
            ngettext("%(count)d comment decided.", "%(count)d comments decided.", done)
            % {"count": done},
        )
    for line in refused:
        messages.warning(request, line)
