"""manage.py in a fresh process, for tests of what happens at start-up."""

import os
import subprocess
import sys

from django.conf import settings


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `manage.py *args` with the test run's environment less its database and DEBUG, no
    .env file, and `env` on top; returns the finished process with its output as text."""
    ignored = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, "AGORA_ENV_FILE": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
