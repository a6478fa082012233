from django.core.management.base import BaseCommand, CommandError

from moderation.scoring import classifiers, pipeline


class Command(BaseCommand):
    help = "Loads the toxicity and relevance models as a worker would, and says whether they load."

    def handle(self, *args, **options) -> None:
        try:
            scorer = pipeline.load_scorer_and_report()
        except classifiers.ClassifierUnavailable as error:
            raise CommandError(
                f"The models do not load: {error}\n{pipeline.UNAVAILABLE_ADVICE}"
            ) from error
        self.stdout.write(self.style.SUCCESS("The models load:"))
        self.stdout.write(
            f"  toxicity:  {scorer.toxicity.model_id} ({', '.join(scorer.toxicity.labels)})"
        )
        self.stdout.write(f"  relevance: {scorer.relevance.model_id}")
        for language, model in sorted(scorer.relevance_by_language.items()):
            self.stdout.write(f"  relevance ({language}): {model.model_id}")
