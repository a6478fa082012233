"""Trains a site model version on the labelled examples, with cross-validated metrics."""

import json

from django.core.management.base import BaseCommand, CommandError

from moderation import classifiers, scoring
from moderation.site_model import store, training


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

    def handle(self, *args, activate: bool, embeddings: bool, **options) -> None:
        embed = None
        if embeddings:
            try:
                embed = scoring.load_scorer_and_report().relevance.embed
            except classifiers.ClassifierUnavailable as error:
                raise CommandError(f"The relevance model does not load: {error}") from error
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
