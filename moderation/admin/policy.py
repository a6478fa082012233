"""Policy versions: site owners save a new version; none is ever edited or deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from moderation.models import DEFAULT_LABEL_THRESHOLDS, PolicyVersion


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
        (
            gettext_lazy("Site model (learned from the moderators' decisions)"),
            {
                "fields": [("site_model_review_at", "site_model_reject_at")],
                "description": gettext_lazy(
                    "Thresholds for the active site model's outputs. Leave the reject threshold "
                    "empty and the site model only sends comments to review."
                ),
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
