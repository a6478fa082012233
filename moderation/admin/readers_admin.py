"""Reader profiles: ban and unban readers, and see their e-mail choices."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy, ngettext

from moderation import services
from moderation.models import ReaderProfile


@admin.register(ReaderProfile)
class ReaderProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "banned_now",
        "banned_at",
        "ban_reason",
        "banned_until",
        "user__email_preferences__notify_on_decision",
        "user__email_preferences__language",
    ]
    list_filter = ["is_banned"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "is_banned", "banned_at", "ban_reason", "banned_until"]
    actions = ["ban_selected", "ban_selected_and_reject", "unban_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(boolean=True, description=gettext_lazy("banned"))
    def banned_now(self, profile: ReaderProfile) -> bool:
        """A temporary ban that has ended shows as no ban."""
        return profile.is_banned_now

    @admin.action(description=gettext_lazy("Ban selected readers"))
    def ban_selected(self, request, queryset, reject_pending: bool = False) -> None:
        if not services.is_moderator(request.user):
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
        if not services.is_moderator(request.user):
            raise PermissionDenied
        names = [
            profile.user.username
            for profile in queryset.select_related("user")
            if services.unban_user(user=profile.user, moderator=request.user)
        ]
        if names:
            messages.success(
                request,
                ngettext(
                    "Unbanned %(count)d reader, who may comment again: %(names)s.",
                    "Unbanned %(count)d readers, who may comment again: %(names)s.",
                    len(names),
                )
                % {"count": len(names), "names": ", ".join(names)},
            )
        else:
            messages.info(request, gettext_lazy("None of the selected readers was banned."))
