"""Activates a site model version (an older one: a rollback), or none."""

from django.core.management.base import BaseCommand, CommandError

from moderation.models import SiteModelVersion
from moderation.site_model import store


class Command(BaseCommand):
    help = "Activates a site model version by its number; --none switches the site model off."

    def add_arguments(self, parser) -> None:
        parser.add_argument("version", nargs="?", type=int)
        parser.add_argument("--none", action="store_true", help="use no site model")

    def handle(self, *args, version=None, none: bool = False, **options) -> None:
        if none:
            store.deactivate()
            self.stdout.write("No site model is active.")
            return
        chosen = SiteModelVersion.objects.filter(pk=version).first() if version else None
        if chosen is None:
            raise CommandError(f"No site model version {version}.")
        try:
            store.activate(version=chosen, by_command=True)
        except store.SiteModelUnavailable as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(f"Version {chosen.pk} is active.")
