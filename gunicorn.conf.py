"""gunicorn's settings for `make serve` and production, from the environment (gunicorn reads this
file from the working directory). WEB_CONCURRENCY: worker processes (default: 2 per core, plus 1);
GUNICORN_THREADS: threads per worker (default 4); PORT: the port (default 8000)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# A request that takes longer than this is cut off: the proxy in front usually waits 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
accesslog = "-"
errorlog = "-"
