"""The Celery application. Tasks live in each app's tasks.py."""

import os
import threading

from celery import Celery
from celery.signals import worker_process_init
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# filesystem:// (the local default) without kombu's race; see config/broker.py.
TRANSPORT_ALIASES["filesystem"] = "config.broker:Transport"

app = Celery("agora")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def load_models_when_a_worker_process_starts(**kwargs: object) -> threading.Thread:
    """Each worker process loads its models at start, so the first comment is decided in seconds."""
    from moderation.scoring import preload

    return preload.load_in_background()
