import shlex
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from moderation.classifiers.modelkit import build_tiny_models


class Command(BaseCommand):
    help = (
        "Builds tiny models with random weights under var/models and prints the settings that "
        "use them: for trying the pipeline without network access. Their scores mean nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--into", default=str(settings.VAR_DIR / "models"))

    def handle(self, *args, into: str, **options) -> None:
        names = build_tiny_models(Path(into), bias=-4.0)
        for name, value in names.items():
            self.stdout.write(f"export {name}={shlex.quote(value)}")
