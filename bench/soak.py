"""The fault test as a command: posts under worker kills and a broker outage, then counts.

Starts, all on this machine's loopback: its own Redis on a spare port, a gunicorn web server and a
Celery worker (with beat) on tiny local models, against a fresh PostgreSQL database. It posts
`--posts` comments concurrently from many verified readers, SIGKILLs the worker `--kills` times
(restarting it, as a supervisor would), stops Redis for `--outage` seconds, then waits for the
sweep to settle. Prints one line:

    posted= stored= lost= published_unassessed= pending_after_settle= p95_post_ms=

and exits 1 if any comment was lost or published without an assessment. Bounded: it gives up
after `--deadline` seconds and always stops what it started.

    .venv/bin/python bench/soak.py                                  # 2,000 posts, 5 kills, 60 s
    .venv/bin/python bench/soak.py --posts 200 --kills 2 --outage 10  # the short run CI makes
"""

import sys
from pathlib import Path

# Replace bench/ on the path first: bench/queue.py would shadow the standard library's queue.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

PYTHON = sys.executable
READERS = 50
BODY = "Die Radwege in der Innenstadt sind eine gute Idee, Beitrag {i} von {reader}."


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds}s")


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="agora-soak-"))
        self.redis_port, self.web_port = spare_port(), spare_port()
        self.redis: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_lock = threading.Lock()
        self.env: dict[str, str] = {}

    # The services.

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.redis_port, 10)

    def stop_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(10)

    def start_worker(self) -> None:
        log = (self.work / "worker.log").open("a")
        self.worker = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--schedule",
                str(self.work / "beat-schedule"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_worker(self) -> None:
        """SIGKILL the worker and its pool, as an out-of-memory killer would; then restart it."""
        with self.worker_lock:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(10)
            self.start_worker()

    def start_web(self) -> None:
        log = (self.work / "web.log").open("a")
        env = {
            **self.env,
            "HOST": "127.0.0.1",
            "PORT": str(self.web_port),
            "WEB_CONCURRENCY": "3",
            "GUNICORN_THREADS": "4",
        }
        self.web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.web_port, 60)

    def stop_all(self) -> None:
        for process in (self.web, self.worker):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL) if process is self.worker else process.kill()
                process.wait(10)
        self.stop_redis()

    # The data.

    def prepare(self) -> None:
        from moderation.classifiers.modelkit import build_tiny_models

        database = self.args.database_url
        self.env = {
            **os.environ,
            **build_tiny_models(self.work / "models"),
            "DEBUG": "true",
            "AGORA_ENV_FILE": "",
            "AGORA_VAR_DIR": str(self.work / "var"),
            "DATABASE_URL": database,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "RATELIMIT_ENABLED": "false",
            "HF_HUB_OFFLINE": "1",
            "MODERATION_SWEEP_AFTER_SECONDS": "5",
            "MODERATION_SWEEP_EVERY_SECONDS": "5",
            "MODERATION_LEASE_SECONDS": "15",
            "MODERATION_RETRY_BACKOFF_SECONDS": "1",
            "CELERY_PUBLISH_BACKOFF_SECONDS": "2",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        recreate_database(database)
        os.environ.update(self.env)
        import django

        django.setup()
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        from articles.models import Article

        call_command("migrate", verbosity=0)
        self.article = Article.objects.create(
            title="Radwege in der Innenstadt",
            slug="radwege",
            lead="Der Stadtrat baut Radwege.",
            body="Zwölf Kilometer geschützte Radspuren bis 2028.",
            author_name="Soak",
        )
        self.readers = []
        for n in range(READERS):
            user = get_user_model().objects.create_user(f"soak{n}", f"soak{n}@example.org")
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            self.readers.append((user, session_for(user)))

    # The load.

    def post(self, i: int) -> tuple[int | None, float]:
        """(id of the stored comment, or None if the post was not acknowledged; milliseconds)."""
        user, session = self.readers[i % len(self.readers)]
        token = secrets.token_hex(16)
        data = urllib.parse.urlencode(
            {"body": BODY.format(i=i, reader=user.username), "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.web_port}/articles/radwege/comments/",
            data=data,
            headers={"Cookie": f"sessionid={session}; csrftoken={token}", "Accept-Language": "de"},
        )
        opener = urllib.request.build_opener(NoRedirect)
        started = time.perf_counter()
        try:
            response = opener.open(request, timeout=30)
            status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
        except OSError:
            status, location = 0, ""
        elapsed = (time.perf_counter() - started) * 1000
        match = re.search(r"#comment-(\d+)", location or "")
        return (int(match.group(1)) if status == 302 and match else None), elapsed

    def faults(self, duration: float) -> None:
        """Spread the kills over the posting; stop Redis for the outage in the middle of it."""
        kills = self.args.kills
        times = [duration * (k + 1) / (kills + 1) for k in range(kills)]
        outage_at = max(0.0, duration / 2 - self.args.outage / 2)
        started = time.monotonic()
        events = sorted([(t, "kill") for t in times] + [(outage_at, "outage")])
        for at, what in events:
            time.sleep(max(0.0, at - (time.monotonic() - started)))
            if what == "kill":
                self.kill_worker()
            else:
                self.stop_redis()
                time.sleep(self.args.outage)
                self.start_redis()

    def run(self) -> int:
        deadline = time.monotonic() + self.args.deadline
        self.prepare()
        self.start_redis()
        self.start_web()
        self.start_worker()
        duration = max(20.0, 2.0 * self.args.outage + 10.0)
        interval = duration / self.args.posts
        fault_thread = threading.Thread(target=self.faults, args=(duration,))
        fault_thread.start()
        results: list = []
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = []
            started = time.monotonic()
            for i in range(self.args.posts):
                time.sleep(max(0.0, started + i * interval - time.monotonic()))
                futures.append(pool.submit(self.post, i))
            results = [future.result() for future in futures]
        fault_thread.join()
        counts = self.settle(deadline)
        acknowledged = [pk for pk, _ms in results if pk is not None]
        timings = sorted(ms for _pk, ms in results)
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        lost = len(set(acknowledged) - counts["stored_ids"])
        print(
            f"posted={len(acknowledged)} stored={len(counts['stored_ids'])} lost={lost} "
            f"published_unassessed={counts['published_unassessed']} "
            f"pending_after_settle={counts['pending']} p95_post_ms={p95:.0f}"
        )
        print(
            f"attempted={self.args.posts} kills={self.args.kills} outage_s={self.args.outage} "
            f"logs={self.work}"
        )
        return 1 if lost or counts["published_unassessed"] else 0

    def settle(self, deadline: float) -> dict:
        """Wait until nothing is pending (or the deadline), then count."""
        from django.db import close_old_connections
        from django.db.models import Exists, OuterRef

        from articles.models import Comment
        from moderation.models import Assessment, StatusChange

        comments = Comment.objects.filter(article=self.article)
        while time.monotonic() < deadline and comments.filter(status="pending").exists():
            time.sleep(1)
            close_old_connections()
        assessed = Assessment.objects.filter(comment=OuterRef("pk"), applied=True)
        by_person = StatusChange.objects.filter(comment=OuterRef("pk"), actor__isnull=False)
        published_unassessed = (
            comments.filter(status="approved").exclude(Exists(assessed)).exclude(Exists(by_person))
        )
        return {
            "stored_ids": set(comments.values_list("pk", flat=True)),
            "published_unassessed": published_unassessed.count(),
            "pending": comments.filter(status="pending").count(),
        }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def session_for(user) -> str:
    """A logged-in session for the user, as the login view would make it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def recreate_database(url: str) -> None:
    """An empty database for this run (only a local PostgreSQL database is accepted)."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"} or parts.hostname not in {
        "127.0.0.1",
        "localhost",
    }:
        raise SystemExit("--database-url must name a PostgreSQL database on 127.0.0.1")
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--outage", type=float, default=60.0, help="seconds Redis is down")
    parser.add_argument("--deadline", type=float, default=900.0, help="give up after seconds")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agora_soak"
        ),
    )
    soak = Soak(parser.parse_args())
    try:
        code = soak.run()
    finally:
        soak.stop_all()
    sys.exit(code)


if __name__ == "__main__":
    main()
