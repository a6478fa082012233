"""Trains a site model version on the labelled examples, with cross-validated metrics."""

import argparse
import json
from typing import TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from moderation.scoring import classifiers, pipeline
from moderation.site_model import evaluation, store, training


class Command(BaseCommand):
    help = (
        "Trains the site model on the labelled examples (moderators' decisions and imported "
        "history), validates it across articles, and stores it as a new version. With "
        "--activate it is used for every assessment from then on."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--activate",
            action="store_true",
            help="activate the new version at once, with a new policy version whose site model "
            "thresholds follow from the validation (see --review-recall, --review-share)",
        )
        target = parser.add_mutually_exclusive_group()
        target.add_argument(
            "--review-recall",
            type=_share,
            help="send to review enough comments to catch this share of what moderators turn "
            "down, in validation (default 0.8)",
        )
        target.add_argument(
            "--review-share",
            type=_share,
            help="send at most this share of all comments to review",
        )
        parser.add_argument(
            "--reject-precision",
            type=_share,
            default=0.95,
            help="let the site model reject alone only where validation precision reaches this "
            "(default 0.95; 1.01 never)",
        )
        parser.add_argument(
            "--embeddings",
            action="store_true",
            help="add the comment's sentence embedding (loads the relevance model; slower)",
        )

        parser.add_argument(
            "--score",
            action="store_true",
            help="first score the examples without model scores (imported ones) with the "
            "models, so that Detoxify's labels and the relevance can be features",
        )

    @no_translations  # the command line speaks English; the admin speaks the reader's language
    def handle(self, *args, activate: bool, embeddings: bool, score: bool, **options) -> None:
        if not activate and (options["review_recall"] or options["review_share"]):
            raise CommandError("--review-recall and --review-share apply with --activate.")
        embed = None
        if embeddings or score:
            try:
                scorer = pipeline.load_scorer_and_report()
            except classifiers.ClassifierUnavailable as error:
                raise CommandError(f"The models do not load: {error}") from error
            embed = scorer.relevance.embed if embeddings else None
        if score:
            # The raw stream, as in evaluate_policy (django-stubs does not declare `_out`).
            stream = cast(TextIO, self.stderr._out)
            with tqdm(file=stream, unit="example", desc="scoring") as bar:
                scored = evaluation.add_missing_scores(
                    scorer=scorer, batch_size=settings.MODERATION_BATCH_SIZE, progress=bar.update
                )
            self.stdout.write(f"Scored {scored} examples with the models.")
        try:
            version = store.train_version(embed=embed)
        except training.NotEnoughExamples as error:
            raise CommandError(f"{error} Nothing was trained or activated.") from error
        metrics = version.metrics
        self.stdout.write(
            f"Trained site model version {version.pk} on {version.example_count} examples "
            f"in {metrics['train_seconds']} s; cross-validated AUC {metrics['auc']}."
        )
        self.stdout.write(json.dumps(metrics, indent=2))
        if activate:
            self._activate(version, options)
        else:
            self.stdout.write(
                "Not active yet: activate it in the admin (Site model versions) or run "
                "`manage.py activate_site_model "
                f"{version.pk}`."
            )

    def _activate(self, version, options: dict) -> None:
        try:
            choice = store.thresholds_for(
                version,
                review_recall=options["review_recall"],
                review_share=options["review_share"],
                reject_precision=options["reject_precision"],
            )
            policy = store.activate_with_thresholds(version=version, choice=choice, by_command=True)
        except (store.ActivationRefused, store.SiteModelUnavailable) as error:
            raise CommandError(f"{error} Version {version.pk} is stored, not active.") from error
        review = choice.review
        self.stdout.write(
            f"Version {version.pk} is active. Policy version {policy.pk}: review at "
            f"{review.threshold} (validation: catches {review.recall:.0%} of what moderators "
            f"turned down, sends {review.review_share:.0%} of comments to review)."
        )
        if choice.reject is None:
            self.stdout.write(
                "No threshold reaches the precision target: the site model never rejects alone."
            )
        else:
            low, high = choice.reject.precision_interval
            self.stdout.write(
                f"Reject at {choice.reject.threshold}: precision {choice.reject.precision:.0%} "
                f"(95% interval {low:.0%}–{high:.0%}) in validation."
            )


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from error
    if not 0 < share <= 1.01:
        raise argparse.ArgumentTypeError("give a share between 0 and 1, such as 0.8")
    return share
