"""Training the site model from the browser (site owners): a CSV of past decisions uploaded with
the checks of `import_decisions`, a training started as a Celery task, and its progress."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from moderation.permissions import is_site_owner
from moderation.site_model import csvfile, examples, training_runs
from moderation.site_model.models import SiteModelTraining

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class DecisionsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file of past decisions"),
        help_text=gettext_lazy(
            "UTF-8 with a header row: text and label (1: not published, 0: published) are "
            "required; reason, article_id, article_title, article_text, parent_text and "
            "language are optional."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it and upload the parts.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        try:
            self.rows = csvfile.parse(upload.read())
        except csvfile.CsvError as error:
            raise forms.ValidationError(
                _("Nothing was imported. %(fault)s") % {"fault": error}, code="faulty"
            ) from error
        return upload


def _owner(request: HttpRequest) -> None:
    if not is_site_owner(request.user):
        raise PermissionDenied


def _page(
    model_admin: ModelAdmin, request: HttpRequest, form: DecisionsUploadForm, status: int = 200
) -> TemplateResponse:
    run = training_runs.current()
    last = SiteModelTraining.objects.filter(in_progress__isnull=True).latest_first().first()
    counts = training_runs.example_counts()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Train the site model"),
        "form": form,
        "run": run,
        "run_step": training_runs.step_text(run) if run else "",
        "last": last,
        "last_error": training_runs.error_text(last) if last and last.error else "",
        "counts": counts,
        "needed": training_runs.needed_more(counts),
        "max_mb": number_format(MAX_UPLOAD_BYTES / (1024 * 1024), 0),
    }
    return TemplateResponse(
        request, "admin/moderation/site_model_train.html", context, status=status
    )


def training_page(model_admin: ModelAdmin) -> Callable:
    def view(request: HttpRequest) -> HttpResponse:
        """The upload form, the training button, and the current or last run."""
        _owner(request)
        return _page(model_admin, request, DecisionsUploadForm())

    return view


def upload(model_admin: ModelAdmin) -> Callable:
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        """Import the uploaded decisions, all or none; a faulty file names its line."""
        _owner(request)
        form = DecisionsUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            too_large = any(e.code == "too_large" for e in form.errors.as_data().get("file", []))
            return _page(model_admin, request, form, status=413 if too_large else 400)
        count = examples.import_rows(form.rows)
        messages.success(
            request, _("%(count)s decisions were imported as examples.") % {"count": count}
        )
        return HttpResponseRedirect(reverse("admin:moderation_sitemodel_train"))

    return view


def start(model_admin: ModelAdmin) -> Callable:
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        """Queue a training; refused with a message while another one runs."""
        _owner(request)
        try:
            training_runs.start(user=request.user)
        except training_runs.TrainingRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The training has started."))
        return HttpResponseRedirect(reverse("admin:moderation_sitemodel_train"))

    return view


def progress(model_admin: ModelAdmin) -> Callable:
    def view(request: HttpRequest) -> HttpResponse:
        """The current run's step, for the page's script (the page also works without it)."""
        _owner(request)
        run = training_runs.current()
        return JsonResponse(
            {
                "in_progress": run is not None,
                "step": training_runs.step_text(run) if run else "",
            }
        )

    return view
