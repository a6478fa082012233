"""The owner's choice of a site model version's thresholds (site owners): its validation, the
trade-off between violations caught and comments sent to review as a chart with its table, the
thresholds that follow from the owner's target, their what-if on stored assessments, and the
activation that saves them as a new policy version."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.admin.charts import Chart
from moderation.models import PolicyVersion, SiteModelVersion
from moderation.permissions import is_site_owner
from moderation.policy import whatif
from moderation.policy.rules import Outcome
from moderation.site_model import tradeoff

logger = logging.getLogger(__name__)


class TargetForm(forms.Form):
    target = forms.ChoiceField(
        label=gettext_lazy("Target"),
        choices=[
            ("recall", gettext_lazy("catch a share of what moderators reject")),
            ("share", gettext_lazy("send at most a share of all comments to review")),
        ],
        initial="recall",
        widget=forms.RadioSelect,
    )
    recall = forms.FloatField(
        label=gettext_lazy("Catch this share of what moderators reject (%)"),
        min_value=1,
        max_value=100,
        initial=80,
        required=False,
    )
    share = forms.FloatField(
        label=gettext_lazy("Send at most this share of comments to review (%)"),
        min_value=0.1,
        max_value=100,
        initial=10,
        required=False,
    )
    precision = forms.FloatField(
        label=gettext_lazy("Reject automatically only at this precision (%)"),
        min_value=50,
        max_value=100,
        initial=95,
    )
    reject = forms.BooleanField(
        label=gettext_lazy("Also reject automatically where validation reaches that precision"),
        required=False,
    )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        target = data.get("target")
        if target and data.get(target) is None and not self.has_error(target):
            self.add_error(target, _("Enter the share for this target."))
        return data

    @classmethod
    def from_data(cls, data: QueryDict) -> TargetForm:
        """Bound to `data` if it holds a target, otherwise bound to the defaults."""
        if "target" in data:
            return cls(data)
        return cls({name: field.initial for name, field in cls.base_fields.items()})

    def choice(self, version: SiteModelVersion) -> tradeoff.Choice:
        """The thresholds the version's trade-off gives for the cleaned target."""
        data = self.cleaned_data
        metrics = version.metrics
        points = tradeoff.from_stored(metrics["tradeoff"], metrics["violations"], metrics["scored"])
        by_recall = data["target"] == "recall"
        return tradeoff.choose(
            points,
            review_recall=data["recall"] / 100 if by_recall else None,
            review_share=None if by_recall else data["share"] / 100,
            reject_precision=data["precision"] / 100,
        )

    def hidden(self) -> dict:
        """The cleaned target, for the next step's hidden fields."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value is not False and value is not None
        }


def _percent(share: float | None) -> str:
    return "–" if share is None else number_format(share * 100, 1)


def shown(choice: tradeoff.Choice, target_precision: float) -> dict[str, str]:
    """The chosen thresholds' validation figures as the page shows them (percentages)."""
    review, reject = choice.review, choice.reject
    figures = {
        "review_at": number_format(review.threshold, 2),
        "recall": _percent(review.recall),
        "share": _percent(review.review_share),
        "precision": _percent(review.precision),
        "target_precision": number_format(target_precision, 1),
    }
    if reject is not None:
        low, high = reject.precision_interval
        figures.update(
            reject_at=number_format(reject.threshold, 2),
            reject_precision=_percent(reject.precision),
            reject_low=_percent(low),
            reject_high=_percent(high),
            reject_flagged=str(reject.flagged),
        )
    return figures


def _version(request: HttpRequest, version_id: int) -> SiteModelVersion:
    if not is_site_owner(request.user):
        raise PermissionDenied
    return get_object_or_404(SiteModelVersion, pk=version_id)


def tradeoff_chart(metrics: dict) -> Chart:
    rows = metrics["tradeoff"]
    return Chart(
        id="tradeoff-chart",
        title=_("Violations caught and comments sent to review, by threshold"),
        labels=[f"{row['threshold']:.2f}" for row in rows],
        datasets=[
            (_("violations caught (recall)"), [row["recall"] for row in rows]),
            (_("comments sent to review"), [row["review_share"] for row in rows]),
            (_("precision"), [row["precision"] for row in rows]),
        ],
        percent=True,
        x_title=_("threshold"),
    )


def _context(
    model_admin: ModelAdmin, request: HttpRequest, version: SiteModelVersion, **extra: object
) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "version": version,
        "metrics": version.metrics,
        **extra,
    }


def thresholds_page(model_admin: ModelAdmin) -> Callable:
    def view(request: HttpRequest, version_id: int) -> HttpResponse:
        """The validation, the trade-off, and the thresholds of the owner's target."""
        version = _version(request, version_id)
        form = TargetForm.from_data(request.GET)
        has_tradeoff = bool(version.metrics.get("tradeoff"))
        valid = form.is_valid()
        choice = form.choice(version) if valid and has_tradeoff else None
        context = _context(
            model_admin,
            request,
            version,
            title=_("Thresholds for %(version)s") % {"version": version},
            form=form,
            has_tradeoff=has_tradeoff,
            chart=tradeoff_chart(version.metrics) if has_tradeoff else None,
            choice=choice,
            shown=shown(choice, form.cleaned_data["precision"]) if choice else {},
            hidden=form.hidden() if valid else {},
        )
        return TemplateResponse(
            request,
            "admin/moderation/site_model_thresholds.html",
            context,
            status=200 if valid else 400,
        )

    return view


def outcome_totals(report: whatif.Report) -> list[tuple[str, int, int]]:
    """(outcome, comments before, comments after) for review and automatic rejection."""
    rows = []
    for outcome in (Outcome.REVIEW, Outcome.REJECT):
        before = sum(n for (b, _a), n in report.matrix.items() if b == outcome)
        after = sum(n for (_b, a), n in report.matrix.items() if a == outcome)
        rows.append((str(whatif.OUTCOME_LABELS[outcome]), before, after))
    return rows


def confirm_page(model_admin: ModelAdmin) -> Callable:
    def view(request: HttpRequest, version_id: int) -> HttpResponse:
        """GET: the what-if of the chosen thresholds; POST: activate with them."""
        version = _version(request, version_id)
        form = TargetForm(request.POST if request.method == "POST" else request.GET)
        if not version.metrics.get("tradeoff") or not form.is_valid():
            messages.error(request, _("Choose a target first; the thresholds follow from it."))
            return HttpResponseRedirect(
                reverse("admin:moderation_sitemodel_thresholds", args=[version.pk]), status=303
            )
        choice = form.choice(version)
        if not form.cleaned_data["reject"]:
            choice = dataclasses.replace(choice, reject=None)
        if request.method == "POST":
            return _activate(request, version, choice)
        before = PolicyVersion.objects.active().thresholds()
        after = dataclasses.replace(
            before,
            site_model_review_at=choice.review.threshold,
            site_model_reject_at=choice.reject.threshold if choice.reject else None,
        )
        report = whatif.what_if(after=after, before=before)
        context = _context(
            model_admin,
            request,
            version,
            title=_("Activate %(version)s with these thresholds") % {"version": version},
            choice=choice,
            shown=shown(choice, form.cleaned_data["precision"]),
            hidden=form.hidden(),
            whatif=report,
            totals=outcome_totals(report),
            whatif_heading=_("What-if: these thresholds replayed over stored assessments"),
        )
        return TemplateResponse(request, "admin/moderation/site_model_confirm.html", context)

    return view


def not_loaded(request: HttpRequest, version: SiteModelVersion, error: Exception) -> None:
    """Tell the owner which version could not be loaded; where its file lies is the server's
    business, and goes to the log for whoever runs it."""
    logger.warning("Site model version %s not activated: %s", version.pk, error)
    messages.error(
        request,
        _(
            "Site model version %(id)s could not be loaded: its file is missing or "
            "has changed. Nothing was changed; the server's log names the file."
        )
        % {"id": version.pk},
    )


def _activate(
    request: HttpRequest, version: SiteModelVersion, choice: tradeoff.Choice
) -> HttpResponse:
    from moderation.site_model import store  # scikit-learn: not at the web's start-up

    try:
        policy = store.activate_with_thresholds(version=version, choice=choice, user=request.user)
    except store.SiteModelUnavailable as error:
        not_loaded(request, version, error)
    else:
        messages.success(
            request,
            _("%(version)s is active; policy version %(policy)s reviews from %(review)s.")
            % {"version": version, "policy": policy.pk, "review": choice.review.threshold},
        )
    return HttpResponseRedirect(reverse("admin:moderation_sitemodelversion_changelist"))
