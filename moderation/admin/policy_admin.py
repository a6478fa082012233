"""Policy versions: site owners save a new version; none is ever edited or deleted.

The add form previews the draft before saving (the "Preview" button replays it over the stored
assessments); saving shows the new version's what-if against the one before.
"""

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy

import moderation.admin.policy_views as views
from moderation.models import DEFAULT_LABEL_THRESHOLDS, PolicyVersion, WordListEntry
from moderation.permissions import is_site_owner
from moderation.policy import whatif

PREVIEW = "_preview"
WORDS = "word_entries"  # the inline formset's prefix


class WordListInline(admin.TabularInline):
    """The version's word lists; a new version starts with the active version's entries."""

    model = WordListEntry
    fields = ["language", "rule", "phrase"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The table's column headings do not label its inputs for screen readers; this does.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.fields:
            field.widget.attrs["aria-label"] = str(db_field.verbose_name)
        return field

    def get_extra(self, request, obj=None, **kwargs) -> int:
        if obj is None and request.method != "POST":
            return len(_active_entries()) + 1
        return 0 if obj is not None else 1

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None and is_site_owner(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None and is_site_owner(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("moderation.view_policyversion") or is_site_owner(request.user)


def _active_tuples() -> list[tuple[str, str, str]]:
    return PolicyVersion.objects.active().word_entries_as_tuples()


def _active_entries() -> list[dict]:
    return [
        {"language": language, "rule": rule, "phrase": phrase}
        for language, rule, phrase in _active_tuples()
    ]


class NestedJSONField(forms.JSONField):
    """Django's JSON field, where JSON nested too deep for the parser is a form error too
    (Python's parser raises RecursionError, not the JSONDecodeError Django catches)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


class PreviewOnly(forms.BaseForm):
    """Mixed into the add form when "Preview" was pressed: it validates but never saves."""

    previewing = True
    draft_valid = False

    def is_valid(self) -> bool:
        self.draft_valid = super().is_valid()
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Versions are never edited: 'Add' starts from the active one and saves a new version."""

    list_display = ["__str__", "created_at", "created_by", "note", "is_active"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [WordListInline]
    change_form_template = "admin/moderation/policyversion/change_form.html"
    change_list_template = "admin/moderation/policyversion/change_list.html"
    formfield_overrides = {models.JSONField: {"form_class": NestedJSONField}}
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
        (gettext_lazy("Audit sample"), {"fields": ["audit_sample_share"]}),
        (
            gettext_lazy("Thresholds per language"),
            {
                "fields": ["language_overrides"],
                "description": gettext_lazy(
                    "A comment is judged by its language's own thresholds where this sets some, "
                    "and by the ones above otherwise."
                ),
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

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path(
                "compare/",
                view(views.compare(self)),
                name="moderation_policyversion_compare",
            ),
            path(
                "<int:pk>/restore/",
                view(views.restore(self)),
                name="moderation_policyversion_restore",
            ),
            path(
                "<int:pk>/what-if/",
                view(views.saved_what_if(self)),
                name="moderation_policyversion_whatif",
            ),
            *super().get_urls(),
        ]

    def get_changeform_initial_data(self, request) -> dict:
        """The active version's values, overridden by the query string's (the calibration's
        "Use these suggestions" link fills a draft that way; nothing is saved until the owner
        saves it)."""
        active = PolicyVersion.objects.active()
        initial = {
            field.name: getattr(active, field.name)
            for field in PolicyVersion._meta.concrete_fields
            if field.name not in {"id", "created_at", "created_by", "note"}
        }
        # Query parameters (the calibration's "Use these suggestions") win over the active values.
        suggested: dict[str, Any] = super().get_changeform_initial_data(request)
        overrides = suggested.get("language_overrides")
        if isinstance(overrides, str):  # a list only for many-to-many fields
            suggested["language_overrides"] = _merged_overrides(
                initial["language_overrides"] or {}, overrides
            )
        initial.update(suggested)
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is None and request.method != "POST":
            kwargs["initial"] = _active_entries()
        return kwargs

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.method == "POST" and PREVIEW in request.POST and obj is None:
            return type(form.__name__, (PreviewOnly, form), {})
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["periods"] = views.period_choices()
        context["period"] = views.period_from(request.POST if add else request.GET)
        context["period_value"] = views.period_value(context["period"])
        context["active_pk"] = PolicyVersion.objects.active().pk
        context["can_restore"] = is_site_owner(request.user)
        if getattr(form, "previewing", False):
            formsets = [inline.formset for inline in context["inline_admin_formsets"]]
            if form.draft_valid and all(formset.is_valid() for formset in formsets):
                words = _entries_of(formsets) if formsets else _active_tuples()
                draft = form.instance.thresholds(words=words)
                context["whatif"] = whatif.what_if(
                    after=draft,
                    before=PolicyVersion.objects.active().thresholds(),
                    days=context["period"],
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # Owners hold only the add permission; they read every version they might restore.
        return super().has_view_permission(request, obj) or is_site_owner(request.user)

    def get_inline_instances(self, request, obj=None) -> list:
        # A form posted without the word lists (a script, an older form) keeps the active lists.
        if request.method == "POST" and f"{WORDS}-TOTAL_FORMS" not in request.POST:
            return []
        return super().get_inline_instances(request, obj)

    def save_model(self, request, obj: PolicyVersion, form, change: bool) -> None:
        kept = None if f"{WORDS}-TOTAL_FORMS" in request.POST else _active_entries()
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if kept:
            WordListEntry.objects.bulk_create(WordListEntry(version=obj, **entry) for entry in kept)

    def response_add(self, request, obj: PolicyVersion, post_url_continue=None):
        """After saving: what the new version changes against the previous one."""
        self.message_user(request, gettext_lazy("The new policy version is in force."))
        return HttpResponseRedirect(reverse("admin:moderation_policyversion_whatif", args=[obj.pk]))

    def changelist_view(self, request, extra_context=None):
        extra = {
            "default_policy": views.default_rows() if not PolicyVersion.objects.exists() else None,
            "versions": PolicyVersion.objects.order_by("-created_at", "-id"),
            "can_restore": is_site_owner(request.user),
            **views.newest_two(),
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})


def _merged_overrides(active: dict, suggested_json: str) -> dict:
    """The active version's thresholds per language, with the suggested ones (JSON, as the
    calibration's link writes them) put over them; the active ones alone if that is no JSON
    object of languages."""
    try:
        suggested = json.loads(suggested_json)
    except (ValueError, RecursionError):  # "[[[[…": too deep for the parser
        return active
    if not isinstance(suggested, dict):
        return active
    merged = {language: dict(values) for language, values in active.items()}
    for language, values in suggested.items():
        if isinstance(values, dict) and isinstance(merged.get(language, {}), dict):
            merged[language] = {**merged.get(language, {}), **values}
    return merged


def _entries_of(formsets) -> list[tuple[str, str, str]]:
    """(language, rule, phrase) of the draft's word lists, from the valid inline forms."""
    entries = []
    for formset in formsets:
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("phrase") and not data.get("DELETE"):
                entries.append((data.get("language", ""), data["rule"], data["phrase"]))
    return entries
