"""The site model in the admin: its versions with their validation, activation by site owners
(activating an older version rolls back), and the labelled examples it learns from."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.admin.site_model_thresholds import confirm_page, not_loaded, thresholds_page
from moderation.admin.site_model_training import progress, start, training_page, upload
from moderation.codes import site_model_feature_label, site_model_label
from moderation.models import LabelledExample, SiteModelVersion
from moderation.permissions import is_site_owner


class OwnersOnlyReadAdmin(admin.ModelAdmin):
    """Site owners read these; nobody edits them here."""

    def has_module_permission(self, request) -> bool:
        return is_site_owner(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_site_owner(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SiteModelVersion)
class SiteModelVersionAdmin(OwnersOnlyReadAdmin):
    list_display = [
        "__str__",
        "created_at",
        "example_count",
        "auc_shown",
        "review_precision",
        "review_recall",
        "is_active",
        "activation",
    ]
    change_list_template = "admin/moderation/site_model_versions.html"
    readonly_fields = ["created_at", "file_name", "sha256", "example_count", "features", "outputs"]
    exclude = ["metrics"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # assessments name the version that scored them

    @admin.display(description=gettext_lazy("AUC (validated)"))
    def auc_shown(self, version: SiteModelVersion) -> str:
        return "–" if version.auc is None else number_format(version.auc, 3)

    @admin.display(description=gettext_lazy("precision at the review threshold"))
    def review_precision(self, version: SiteModelVersion) -> str:
        return _figure(version, "precision")

    @admin.display(description=gettext_lazy("recall at the review threshold"))
    def review_recall(self, version: SiteModelVersion) -> str:
        return _figure(version, "recall")

    @admin.display(description=gettext_lazy("validation and activation"))
    def activation(self, version: SiteModelVersion) -> str:
        url = reverse("admin:moderation_sitemodel_activate", args=[version.pk])
        return format_html('<a href="{}">{}</a>', url, _("Validation · Activate"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:version_id>/activate/",
                view(self.activate_view),
                name="moderation_sitemodel_activate",
            ),
            path(
                "<int:version_id>/thresholds/",
                view(thresholds_page(self)),
                name="moderation_sitemodel_thresholds",
            ),
            path(
                "<int:version_id>/thresholds/confirm/",
                view(confirm_page(self)),
                name="moderation_sitemodel_confirm",
            ),
            path("train/", view(training_page(self)), name="moderation_sitemodel_train"),
            path(
                "train/upload/",
                view(upload(self)),
                name="moderation_sitemodel_upload",
            ),
            path("train/start/", view(start(self)), name="moderation_sitemodel_start"),
            path(
                "train/progress/",
                view(progress(self)),
                name="moderation_sitemodel_progress",
            ),
            *super().get_urls(),
        ]

    def activate_view(self, request: HttpRequest, version_id: int) -> HttpResponse:
        """GET: the version's validation; POST (site owners only): activate it."""
        if not is_site_owner(request.user):
            raise PermissionDenied
        version = get_object_or_404(SiteModelVersion, pk=version_id)
        if request.method == "POST":
            from moderation.site_model import store  # scikit-learn: not at the web's start-up

            try:
                store.activate(version=version, user=request.user)
            except store.SiteModelUnavailable as error:
                not_loaded(request, version, error)
            else:
                messages.success(request, _("%(version)s is active.") % {"version": version})
            return redirect("admin:moderation_sitemodelversion_changelist")
        metrics = version.metrics
        context = {
            **self.admin_site.each_context(request),
            "title": _("Validation of %(version)s") % {"version": version},
            "opts": self.model._meta,
            "version": version,
            "metrics": metrics,
            "per_output": [
                (site_model_label(name), value)
                for name, value in metrics.get("auc_per_output", {}).items()
            ],
            "thresholds": metrics.get("at_thresholds", {}),
            "features": [site_model_feature_label(name) for name in version.features],
        }
        return TemplateResponse(request, "admin/moderation/site_model_activate.html", context)


def _figure(version: SiteModelVersion, name: str) -> str:
    value = version.metrics.get("at_thresholds", {}).get("review", {}).get(name)
    return "–" if value is None else number_format(value, 3)


@admin.register(LabelledExample)
class LabelledExampleAdmin(OwnersOnlyReadAdmin):
    list_display = ["decided_at", "short_text", "label", "reason", "action", "source", "decided_by"]
    list_filter = ["label", "reason", "source", "language"]
    search_fields = ["text", "article_title"]
    list_select_related = ["decided_by"]

    @admin.display(description=gettext_lazy("text"))
    def short_text(self, example: LabelledExample) -> str:
        return example.text[:80]
