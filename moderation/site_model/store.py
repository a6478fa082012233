"""Site model versions on disk and in use: saving a file safely with its SHA-256, loading only a
file whose hash matches, activating a version (and so rolling back), and scoring with the active
one."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import joblib
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.models import PolicyVersion, SiteModelVersion
from moderation.permissions import is_site_owner
from moderation.policy import versions
from moderation.site_model import tradeoff, training
from moderation.site_model.classifier import Embedder, Sample, SiteClassifier

logger = logging.getLogger(__name__)


class SiteModelUnavailable(Exception):
    """A version's file is missing, altered (its hash differs) or unreadable."""


class ActivationRefused(Exception):
    """Only site owners may activate a site model."""

    status_code = 403


def model_dir() -> Path:
    return Path(settings.VAR_DIR) / "site_models"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save_version(
    classifier: SiteClassifier, *, metrics: dict, example_count: int
) -> SiteModelVersion:
    """Write the file (to a temporary name, then renamed: never half-written) and record it."""
    folder = model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    joblib.dump(classifier, buffer, compress=3)
    data = buffer.getvalue()
    name = f"site-model-{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.joblib"
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return SiteModelVersion.objects.create(
        file_name=name,
        sha256=_sha256(data),
        example_count=example_count,
        features=classifier.features.names(),
        outputs=classifier.outputs,
        metrics=metrics,
    )


def train_version(
    *, embed: Embedder | None = None, progress: training.Progress = training.silent
) -> SiteModelVersion:
    """Train on every labelled example and store the result as a new, inactive version;
    `progress` hears of each step of the training.

    Raises training.NotEnoughExamples when a class has too few examples.
    """
    data = training.training_set()
    classifier, metrics = training.train(data, embed=embed, progress=progress)
    return save_version(classifier, metrics=metrics, example_count=len(data.labels))


def load(version: SiteModelVersion) -> SiteClassifier:
    """The version's classifier, read only if the file's SHA-256 is the one recorded."""
    path = model_dir() / Path(version.file_name).name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SiteModelUnavailable(f"Cannot read {path}: {error.strerror or error}") from error
    if _sha256(data) != version.sha256:
        raise SiteModelUnavailable(
            f"{path} does not match the SHA-256 recorded for version {version.pk}; not loaded."
        )
    return joblib.load(io.BytesIO(data))


@transaction.atomic
def activate(*, version: SiteModelVersion, user=None, by_command: bool = False) -> SiteModelVersion:
    """Make this version the one every assessment uses; activating an older one rolls back.

    A person must be a site owner; `by_command` is the server's command line, trusted as such.
    Raises ActivationRefused or SiteModelUnavailable (a missing or altered file); nothing changes.
    """
    if not by_command and not is_site_owner(user):
        raise ActivationRefused("Only site owners may activate a site model.")
    load(version)  # refuse a file that is missing or altered before it goes live
    SiteModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    version.is_active = True
    version.activated_at = timezone.now()
    version.activated_by = user if getattr(user, "pk", None) else None
    version.save(update_fields=["is_active", "activated_at", "activated_by"])
    return version


def thresholds_for(
    version: SiteModelVersion,
    *,
    review_recall: float | None = None,
    review_share: float | None = None,
    reject_precision: float | None = tradeoff.DEFAULT_REJECT_PRECISION,
) -> tradeoff.Choice:
    """The thresholds the version's validation trade-off gives for the owner's target."""
    metrics = version.metrics or {}
    if not metrics.get("tradeoff"):
        raise ActivationRefused("This version has no validation trade-off; train it again.")
    points = tradeoff.from_stored(metrics["tradeoff"], metrics["violations"], metrics["scored"])
    return tradeoff.choose(
        points,
        review_recall=review_recall,
        review_share=review_share,
        reject_precision=reject_precision,
    )


@transaction.atomic
def activate_with_thresholds(
    *, version: SiteModelVersion, choice: tradeoff.Choice, user=None, by_command: bool = False
) -> PolicyVersion:
    """Activate the version and save a new policy version with its thresholds: review at the
    chosen point, reject alone only where the chosen point reached the precision target."""
    activate(version=version, user=user, by_command=by_command)
    note = _("Site model version %(id)s: review at %(review)s, catching %(recall)s%% in validation")
    return versions.copy_version(
        version=PolicyVersion.objects.active(),
        by=user if getattr(user, "pk", None) else None,
        note=note
        % {
            "id": version.pk,
            "review": choice.review.threshold,
            "recall": round(choice.review.recall * 100),
        },
        site_model_review_at=choice.review.threshold,
        site_model_reject_at=choice.reject.threshold if choice.reject else None,
    )


@transaction.atomic
def deactivate() -> int:
    """No site model: assessments go on without one. Returns how many versions were active."""
    return SiteModelVersion.objects.filter(is_active=True).update(is_active=False)


_loaded: dict[tuple[int, str], SiteClassifier] = {}
_refused: set[tuple[int, str]] = set()  # logged once per process, not on every batch
_lock = threading.Lock()


def forget_loaded() -> None:
    """Drop the classifiers this process loaded (and refused), so the next use reads the files."""
    with _lock:
        _loaded.clear()
        _refused.clear()


def active_classifier() -> tuple[SiteModelVersion, SiteClassifier] | None:
    """The active version and its classifier, loaded once per process; None if there is none or
    its file cannot be loaded (that is logged, and assessments go on without it)."""
    version = SiteModelVersion.objects.active()
    if version is None:
        return None
    key = (version.pk, version.sha256)
    with _lock:
        if key in _refused:
            return None
        if key not in _loaded:
            try:
                classifier = load(version)
            except SiteModelUnavailable as error:
                logger.error("The active site model is not used: %s", error)
                _refused.add(key)
                return None
            _loaded.clear()
            _loaded[key] = classifier
        return version, _loaded[key]


@dataclass
class SiteOutputs:
    version_id: int | None
    scores: list[dict[str, float]]
    terms: list[list[tuple[str, float]]]


def score(texts: list[str], scores: list[dict], *, embed: Embedder | None = None) -> SiteOutputs:
    """The active site model's outputs and weightiest n-grams for each text; empty without one.

    `scores` holds each text's toxicity and relevance, for the features that read them.
    """
    active = active_classifier()
    if active is None or not texts:
        return SiteOutputs(None, [{} for _ in texts], [[] for _ in texts])
    version, classifier = active
    samples = [Sample(text=text, scores=s) for text, s in zip(texts, scores, strict=True)]
    if classifier.features.embeddings and embed is not None:
        for sample, vector in zip(samples, embed(texts), strict=True):
            sample.embedding = vector
    return SiteOutputs(version.pk, *classifier.score(samples))
