"""Training the site model from the owners' page: a run is recorded, queued for a worker, and
reports each step; one runs at a time, and a run whose worker died stops blocking the next.

The web process imports this module without scikit-learn: training itself loads in the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation import dispatch
from moderation.permissions import is_site_owner
from moderation.site_model.models import LabelledExample, SiteModelTraining

logger = logging.getLogger(__name__)

TRAIN_SITE_MODEL_RUN = "moderation.tasks.train_site_model_run"
# A run in progress that has reported nothing for this long has lost its worker.
STALE_AFTER = timedelta(minutes=30)
STEPS = {
    "queued": gettext_lazy("waiting for a worker"),
    "checking": gettext_lazy("checking the examples"),
    "candidates": gettext_lazy("cross-validating candidate %(done)s of %(total)s"),
    "reasons": gettext_lazy("cross-validating the reject reasons"),
    "fitting": gettext_lazy("fitting the chosen candidate on all examples"),
    "holdout": gettext_lazy("checking on the newest examples, held out"),
}
# Why a run failed, by the code stored on it: the page shows it in the owner's language.
ERRORS = {
    "stale": gettext_lazy("The training stopped reporting (its worker may have stopped)."),
    "broker": gettext_lazy(
        "The task queue cannot be reached; nothing was trained. Try again later."
    ),
    "articles": gettext_lazy(
        "Cross-validation needs examples from at least two articles; nothing was trained."
    ),
    "too_few": gettext_lazy("There are too few decisions to train on; nothing was trained."),
    "failed": gettext_lazy("The training failed; the server's log has the details."),
}


class TrainingRefused(Exception):
    """The run cannot start; str(error) tells the owner why."""


def step_text(run: SiteModelTraining) -> str:
    """The run's current step as the owner reads it."""
    text = STEPS.get(run.step or "queued", STEPS["queued"])
    return str(text) % {"done": run.step_done, "total": run.step_total}


def error_text(run: SiteModelTraining) -> str:
    """Why the run failed, as the owner reads it."""
    return str(ERRORS.get(run.error, ERRORS["failed"]))


def release_stale() -> int:
    """Mark runs in progress that stopped reporting as failed; returns how many."""
    return SiteModelTraining.objects.filter(
        in_progress=True, updated_at__lt=timezone.now() - STALE_AFTER
    ).update(
        status=SiteModelTraining.Status.FAILED,
        in_progress=None,
        error="stale",
        finished_at=timezone.now(),
    )


def current() -> SiteModelTraining | None:
    """The run in progress, if any (stale ones released first)."""
    release_stale()
    return SiteModelTraining.objects.in_progress().first()


def start(*, user) -> SiteModelTraining:
    """Record a run and queue it once the transaction commits. Site owners only.

    Raises TrainingRefused while another run is in progress (the database's unique constraint
    decides when two owners click at once).
    """
    if not is_site_owner(user):
        raise TrainingRefused(_("Only site owners may train the site model."))
    release_stale()
    try:
        with transaction.atomic():
            run = SiteModelTraining.objects.create(started_by=user)
    except IntegrityError as error:
        raise TrainingRefused(
            _("A training is already running; wait until it has finished.")
        ) from error
    transaction.on_commit(lambda: _queue(run.pk))
    return run


def _queue(run_id: int) -> None:
    """Send the task; if the broker cannot be reached, say so on the run rather than wait."""
    if not dispatch.send(TRAIN_SITE_MODEL_RUN, args=(run_id,)):
        _finish(
            run_id,
            status=SiteModelTraining.Status.FAILED,
            error="broker",
        )


def _finish(run_id: int, **fields: object) -> None:
    SiteModelTraining.objects.filter(pk=run_id).update(
        in_progress=None, finished_at=timezone.now(), **fields
    )


def _reporter(run_id: int) -> Callable[[str, int, int], None]:
    def report(step: str, done: int, total: int) -> None:
        SiteModelTraining.objects.filter(pk=run_id, in_progress=True).update(
            status=SiteModelTraining.Status.RUNNING,
            step=step,
            step_done=done,
            step_total=total,
            updated_at=timezone.now(),
        )

    return report


def execute(*, run_id: int) -> SiteModelTraining | None:
    """Train (in the worker), storing the new version or why there is none on the run.

    Returns the run, or None if it is no longer in progress (finished, released as stale).
    """
    from moderation.site_model import store, training  # scikit-learn: only in the worker

    run = SiteModelTraining.objects.in_progress().filter(pk=run_id).first()
    if run is None:
        return None
    report = _reporter(run_id)
    report("checking", 0, 1)
    try:
        version = store.train_version(progress=report)
    except training.NotEnoughExamples as error:
        needed = {str(label): n for label, n in error.needed.items()}
        code = "too_few" if needed else "articles"
        _finish(run_id, status=SiteModelTraining.Status.FAILED, error=code, needed=needed)
    except Exception:
        logger.exception("Site model training %s failed", run_id)
        _finish(
            run_id,
            status=SiteModelTraining.Status.FAILED,
            error="failed",
        )
    else:
        _finish(run_id, status=SiteModelTraining.Status.DONE, version=version, step="")
    run.refresh_from_db()
    return run


def example_counts() -> dict[str, int]:
    """Examples per label ("1": not published, "0": published) as training counts them: every
    import, and each decided comment once (its latest decision), over how many articles."""
    latest: dict[object, tuple[int, str]] = {}
    rows = LabelledExample.objects.order_by("decided_at", "id").values_list(
        "pk", "comment_id", "label", "article_ref"
    )
    for pk, comment_id, label, article in rows.iterator(chunk_size=2000):
        latest[("comment", comment_id) if comment_id else ("row", pk)] = (label, article)
    labels = [label for label, _article in latest.values()]
    return {"1": labels.count(1), "0": labels.count(0)}


def needed_more(counts: dict[str, int]) -> dict[str, int]:
    """How many more examples of each label training needs ({} when it has enough)."""
    from moderation.site_model.training import MIN_PER_CLASS  # scikit-learn, loaded on demand

    needed = {label: max(0, MIN_PER_CLASS - counts[label]) for label in ("1", "0")}
    return needed if any(needed.values()) else {}
