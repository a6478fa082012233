"""Measures the policy and the active site model on a labelled CSV file."""

import json as _json
from typing import TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from moderation.models import PolicyVersion
from moderation.scoring import classifiers, pipeline
from moderation.site_model import csvfile, evaluation


class Command(BaseCommand):
    help = (
        "Scores every row of a labelled CSV file as the worker would (in batches), applies the "
        "policy and the active site model, and reports each score's ROC AUC and the policy's "
        "outcomes against the labels."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the labelled CSV file (see README, 'Labelled files')")
        parser.add_argument("--policy", type=int, help="policy version (default: the active one)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    @no_translations  # the command line speaks English; the admin speaks the reader's language
    def handle(self, *args, file: str, policy=None, json: bool = False, **options) -> None:
        try:
            rows = csvfile.read_rows(file)
        except csvfile.CsvError as error:
            raise CommandError(f"{file}: {error}") from error
        chosen = PolicyVersion.objects.active()
        if policy is not None:
            found = PolicyVersion.objects.filter(pk=policy).first()
            if found is None:
                raise CommandError(f"No policy version {policy}.")
            chosen = found
        try:
            scorer = pipeline.load_scorer_and_report()
        except classifiers.ClassifierUnavailable as error:
            raise CommandError(f"The models do not load: {error}") from error
        # The raw stream: Django's wrapper would end each of the bar's redraws with a new line.
        # (django-stubs does not declare the wrapper's `_out`.)
        stream = cast(TextIO, self.stderr._out)
        with tqdm(total=len(rows), file=stream, unit="row", desc="scoring") as bar:
            results = evaluation.score_rows(
                rows,
                scorer=scorer,
                policy=chosen,
                batch_size=settings.MODERATION_BATCH_SIZE,
                progress=bar.update,
            )
        summary = evaluation.report(rows, results, chosen)
        summary["policy_version"] = chosen.pk
        if json:
            self.stdout.write(_json.dumps(summary, ensure_ascii=False))
            return
        self._print(summary)

    def _print(self, summary: dict) -> None:
        out = self.stdout.write
        out(f"n={summary['n']} violating={summary['positives']}")
        out(f"policy version: {summary['policy_version'] or 'defaults'}")
        out(f"site model version: {summary['site_model_version'] or 'none'}")
        out("ROC AUC for the label (relevance turned round: higher is better):")
        for name, value in summary["auc"].items():
            out(f"  {name:<28} {'-' if value is None else f'{value:.4f}'}")
        out("outcome   label=0  label=1")
        for outcome, counts in summary["outcomes"].items():
            out(f"  {outcome:<8} {counts['0']:>7}  {counts['1']:>7}")
        out(f"precision of automatic rejection: {summary['reject_precision']}")
        out(
            "share of violating rows published automatically: "
            f"{summary['violating_published_share']}"
        )
        out(f"share sent to review: {summary['review_share']}")
        out(f"share of violating rows sent to review or rejected: {summary['violations_caught']}")
        out(
            "site model at its review threshold: catches "
            f"{summary['site_model_review_recall']} of violating rows, flags "
            f"{summary['site_model_review_share']} of all rows"
        )
