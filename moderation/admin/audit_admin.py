"""The audit trails, newest first, to read and search: comments' status changes, bans and
unbans, and authors' appeals. Nobody can add, edit or delete an entry."""

from django.contrib import admin
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext_lazy

from moderation import services
from moderation.models import Appeal, BanChange, StatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """Moderators read the trails too: they answer for their decisions."""

    def has_module_permission(self, request) -> bool:
        return services.is_moderator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return services.is_moderator(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "comment_short", "from_words", "to_words", "by", "reason_words"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["comment__body", "actor__username", "actor_label", "reason"]
    list_select_related = ["comment", "actor"]
    ordering = ["-created_at", "-id"]

    @admin.display(description=gettext_lazy("comment"), ordering="comment_id")
    def comment_short(self, change: StatusChange) -> str:
        # Short enough for the whole row to fit a 1280-pixel screen.
        return truncatechars(str(change.comment), 40)

    @admin.display(description=gettext_lazy("from"), ordering="from_status")
    def from_words(self, change: StatusChange) -> str:
        return change.get_from_status_display()

    @admin.display(description=gettext_lazy("to"), ordering="to_status")
    def to_words(self, change: StatusChange) -> str:
        return change.get_to_status_display()

    @admin.display(description=gettext_lazy("by"))
    def by(self, change: StatusChange) -> str:
        return change.who

    @admin.display(description=gettext_lazy("reason"))
    def reason_words(self, change: StatusChange) -> str:
        return truncatechars(change.reason_text, 80)


@admin.register(BanChange)
class BanChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "action", "actor", "reason", "banned_until"]
    list_filter = ["action"]
    search_fields = ["user__username", "user__email", "actor__username", "reason"]
    list_select_related = ["user", "actor"]
    ordering = ["-created_at", "-id"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "comment",
        "outcome",
        "original_decider",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["outcome"]
    search_fields = ["comment__body", "text", "comment__author__username"]
    list_select_related = ["comment", "original_decider", "decided_by"]
    ordering = ["-created_at", "-id"]
