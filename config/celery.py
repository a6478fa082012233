"""The Celery application. Tasks live in each app's tasks.py."""

import os
import threading

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("agora")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def load_models_when_a_worker_process_starts(**kwargs: object) -> threading.Thread:
    """Each worker process loads its models at start, so the first comment is decided in seconds."""
    from moderation import model_preload

    return model_preload.load_in_background()
