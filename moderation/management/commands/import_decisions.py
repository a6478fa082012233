"""Imports a site's moderation history (the labelled CSV format) as labelled examples."""

from django.core.management.base import BaseCommand, CommandError, no_translations

from moderation.site_model import csvfile, examples


class Command(BaseCommand):
    help = (
        "Imports a moderation history as labelled examples for the site model (not as comments). "
        "CSV, UTF-8, with a header: text, label (1 = not published, 0 = published), and "
        "optionally reason, article_id, article_title, article_text, parent_text, language."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the CSV file")

    @no_translations  # the command line speaks English; the admin speaks the reader's language
    def handle(self, *args, file: str, **options) -> None:
        try:
            rows = csvfile.read_rows(file)
        except csvfile.CsvError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from error
        created = examples.import_rows(rows)
        self.stdout.write(f"Imported {created} labelled examples from {file}.")
