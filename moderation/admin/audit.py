"""The whole audit trail, to read and search; nobody can add, edit or delete an entry."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from moderation.models import StatusChange


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "comment", "from_status", "to_status", "who", "reason_text"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["comment__body", "actor__username", "actor_label", "reason"]
    list_select_related = ["comment", "actor"]

    @admin.display(description=gettext_lazy("reason"))
    def reason_text(self, change: StatusChange) -> str:
        return change.reason_text

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
