"""The site model's data: labelled examples (moderators' decisions and imported history) and the
trained versions, with their validation, of which the site owner activates one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.codes import RejectReason


class LabelledExample(models.Model):
    """One human decision on a text: would a moderator publish it (label 0) or not (label 1)?"""

    class Source(models.TextChoices):
        DECISION = "decision", _("moderator's decision")
        IMPORT = "import", _("imported history")

    text = models.TextField(_("text"))
    label = models.PositiveSmallIntegerField(
        _("not published"), help_text=_("1: rejected or removed; 0: published.")
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=RejectReason.choices, blank=True, default=""
    )
    action = models.CharField(_("decision"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The article's id on the site it came from (imported) or here; groups rows for validation.
    article_ref = models.CharField(_("article"), max_length=100, blank=True, db_index=True)
    article_title = models.CharField(_("article title"), max_length=300, blank=True)
    article_lead = models.TextField(_("article lead"), blank=True)
    parent_text = models.TextField(_("parent comment"), blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    # The automatic assessment's scores when the decision was made: features for training.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("labelled example")
        verbose_name_plural = _("labelled examples")

    def __str__(self) -> str:
        return f"{self.label}: {self.text[:60]}"


class SiteModelVersionQuerySet(models.QuerySet):
    def active(self) -> SiteModelVersion | None:
        return self.filter(is_active=True).order_by("-activated_at", "-id").first()


class SiteModelVersion(models.Model):
    """One trained site model: its file (with the file's SHA-256), validation and features."""

    created_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    example_count = models.PositiveIntegerField(_("examples"))
    features = models.JSONField(_("features"), default=list)
    outputs = models.JSONField(_("outputs"), default=list)
    metrics = models.JSONField(_("validation"), default=dict)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activated by"),
    )

    objects = SiteModelVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("site model version")
        verbose_name_plural = _("site model versions")

    def __str__(self) -> str:
        return _("Site model version %(id)s") % {"id": self.pk}

    @property
    def auc(self) -> float | None:
        return self.metrics.get("auc")


class SiteModelTrainingQuerySet(models.QuerySet):
    def in_progress(self) -> models.QuerySet:
        return self.filter(in_progress=True)

    def latest_first(self) -> models.QuerySet:
        return self.order_by("-created_at", "-id")


class SiteModelTraining(models.Model):
    """One training started from the owners' page: queued, running, then done (with the version
    it made) or failed (with what the owner should know). At most one is in progress at a time:
    the database refuses a second row with `in_progress` set, so two clicks cannot both start."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # True while queued or running, NULL afterwards: unique where set.
    in_progress = models.BooleanField(null=True, default=True, editable=False)
    step = models.CharField(_("step"), max_length=20, blank=True)
    step_done = models.PositiveIntegerField(default=0)
    step_total = models.PositiveIntegerField(default=0)
    # Why it failed, as a code (training_runs.ERRORS): shown in the reader's language.
    error = models.CharField(_("why it failed"), max_length=20, blank=True)
    # How many more examples of each label the training needs ({"1": n, "0": m}), if too few.
    needed = models.JSONField(default=dict, blank=True)
    version = models.ForeignKey(
        SiteModelVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site model version"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # Every step touches it: a run in progress that has not moved for long has lost its worker.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = SiteModelTrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("site model training")
        verbose_name_plural = _("site model trainings")
        constraints = [
            models.UniqueConstraint(
                fields=["in_progress"],
                condition=models.Q(in_progress=True),
                name="one_site_model_training_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return _("Training %(id)s") % {"id": self.pk}
