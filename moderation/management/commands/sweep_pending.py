from django.core.management.base import BaseCommand

from moderation.scoring import pipeline


class Command(BaseCommand):
    help = (
        "Wakes workers for comments left pending longer than MODERATION_SWEEP_AFTER_SECONDS. "
        "For cron, beside or instead of celery beat. With --inline, scores them in this process "
        "(for when the broker is down)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inline", action="store_true", help="Score here, not in a worker.")

    def handle(self, *args, inline: bool = False, **options) -> None:
        if inline:
            scored = 0
            while batch := pipeline.score_pending():
                scored += batch
            self.stdout.write(f"Scored {scored} pending comments.")
            return
        stale = pipeline.stale_pending_count()
        wakeups = pipeline.sweep_pending()
        self.stdout.write(f"{stale} comments pending too long; {wakeups} wake-ups sent.")
