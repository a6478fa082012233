"""Trains a site model version on the labelled examples, with cross-validated metrics."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
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
            "--activate", action="store_true", help="activate the new version at once"
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

    def handle(self, *args, activate: bool, embeddings: bool, score: bool, **options) -> None:
        embed = None
        if embeddings or score:
            try:
                scorer = pipeline.load_scorer_and_report()
            except classifiers.ClassifierUnavailable as error:
                raise CommandError(f"The models do not load: {error}") from error
            embed = scorer.relevance.embed if embeddings else None
        if score:
            with tqdm(file=self.stderr._out, unit="example", desc="scoring") as bar:
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
            store.activate(version=version, user=None, by_command=True)
            self.stdout.write(f"Version {version.pk} is active.")
        else:
            self.stdout.write(
                "Not active yet: activate it in the admin (Site model versions) or run "
                "`manage.py activate_site_model "
                f"{version.pk}`."
            )
