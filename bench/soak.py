"""The fault test as a command: posts under worker kills, a broker outage and database restarts.

Starts, all on this machine's loopback: its own Redis on a spare port, a gunicorn web server and a
Celery worker (with beat) on tiny local models, against a fresh PostgreSQL database. It posts
`--posts` comments concurrently from many verified readers, SIGKILLs the worker `--kills` times
(restarting it, as a supervisor would), stops Redis for `--outage` seconds, restarts PostgreSQL
`--pg-restart` times (down `--pg-down-seconds` each), then waits for the sweep to settle. With
`--pg-restart`, the database is a throw-away cluster of its own on a spare port, removed at the
end. Prints:

    posted= stored= lost= published_unassessed= pending_after_settle= p95_post_ms=
    refused_503= errors_500=

A post the site answers with its 503 page ("not saved, send it again") is sent again after the
Retry-After wait, up to RETRIES times, as a reader would; one that says "saved" is not. Exits 1
if a comment was lost or published without an assessment, if any answer was a 500, or if a
comment was stored twice (a 503 said "not saved" of a comment that was). Bounded: it gives up
after `--deadline` seconds and always stops what it started, also on Ctrl-C and SIGTERM.

    .venv/bin/python bench/soak.py                                  # 2,000 posts, 5 kills, 60 s
    .venv/bin/python bench/soak.py --posts 200 --kills 2 --outage 10 --pg-restart 1  # CI's run
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
import shutil  # noqa: E402
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
from dataclasses import dataclass, field  # noqa: E402

PYTHON = sys.executable
READERS = 50
BODY = "Die Radwege in der Innenstadt sind eine gute Idee, Beitrag {i} von {reader}."
# How often a post refused with the 503 page is sent again, and the longest wait in between.
RETRIES = 5
RETRY_WAIT_MAX_SECONDS = 5.0
# What the (German) 503 page says when the comment was, or was not, saved.
NOT_SAVED = "wurde nicht gespeichert"
SAVED = "wurde gespeichert"


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


class Cluster:
    """A throw-away PostgreSQL cluster on a spare port (trust authentication, loopback only).

    As root, its programs run as the `postgres` user, who owns its folder.
    """

    def __init__(self, log: Path) -> None:
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        if not versions:
            raise SystemExit(
                "--pg-restart needs PostgreSQL's programs in /usr/lib/postgresql/*/bin"
            )
        self.bin = versions[-1]
        self.port = spare_port()
        self.log = log
        self.root = Path(tempfile.mkdtemp(prefix="agora-soak-pg-"))
        self.data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        try:
            options = "-U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync".split()
            self.pg("initdb", "-D", str(self.data), *options)
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        # A clean stop writes everything out, so fsync buys this throw-away cluster nothing.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.root / "log")
        self.pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        """Stop it if it runs, keep its log next to the soak's, and delete it."""
        if (self.data / "postmaster.pid").exists():
            self.pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        if (self.root / "log").exists():
            shutil.copyfile(self.root / "log", self.log)
        shutil.rmtree(self.root, ignore_errors=True)

    def pg(self, program: str, *args: str, check: bool = True) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*as_postgres, str(self.bin / program), *args],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if check and done.returncode:
            raise SystemExit(f"{program} {' '.join(args)} failed: {done.stderr.strip()}")


@dataclass
class Post:
    """What came of one comment: the answers to each attempt, and whether it was acknowledged
    (by a redirect to the stored comment, or by a 503 page saying it was saved)."""

    body: str
    statuses: list[int] = field(default_factory=list)
    timings_ms: list[float] = field(default_factory=list)
    comment_id: int | None = None
    refused: int = 0  # 503 pages saying "not saved"
    saved_by_503: bool = False

    @property
    def acknowledged(self) -> bool:
        return self.comment_id is not None or self.saved_by_503


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
        self.cluster: Cluster | None = None
        self.stopping = threading.Event()
        self.fault_thread: threading.Thread | None = None

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

    def wait_for_worker(self, deadline: float) -> None:
        """Until the worker's first sweep: the faults then find it at work, not still starting."""
        from django.db import close_old_connections

        from moderation.models import ModelStatus

        while not ModelStatus.objects.filter(pk=1, heartbeat_at__isnull=False).exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"the worker did not start; see {self.work / 'worker.log'}")
            time.sleep(0.5)
            close_old_connections()

    def stop_all(self) -> None:
        self.stopping.set()
        if self.fault_thread:
            self.fault_thread.join(90)
        for process in (self.web, self.worker):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL) if process is self.worker else process.kill()
                process.wait(10)
        self.stop_redis()
        if self.cluster:
            from django.conf import settings
            from django.db import connections

            if settings.configured:
                connections.close_all()
            self.cluster.remove()

    # The data.

    def prepare(self) -> None:
        from moderation.scoring.classifiers.modelkit import build_tiny_models

        database = self.args.database_url
        if self.args.pg_restart:
            self.cluster = Cluster(log=self.work / "postgres.log")
            self.cluster.start()
            database = self.cluster.url("agora_soak")
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

    def post(self, i: int) -> Post:
        """Send comment i; again after the wait the 503 page asks for, while it says "not saved"."""
        user, session = self.readers[i % len(self.readers)]
        post = Post(body=BODY.format(i=i, reader=user.username))
        for attempt in range(RETRIES + 1):
            status, location, page, retry_after, elapsed = self.send(post.body, session)
            post.statuses.append(status)
            post.timings_ms.append(elapsed)
            match = re.search(r"#comment-(\d+)", location)
            if status == 302 and match:
                post.comment_id = int(match.group(1))
            elif status == 503 and NOT_SAVED in page:
                post.refused += 1
                if attempt < RETRIES:
                    time.sleep(min(retry_after, RETRY_WAIT_MAX_SECONDS))
                    continue
            elif status == 503 and SAVED in page:
                post.saved_by_503 = True
            return post
        return post

    def send(self, body: str, session: str) -> tuple[int, str, str, float, float]:
        """(status, Location, page, Retry-After seconds, milliseconds); status 0: no answer."""
        token = secrets.token_hex(16)
        data = urllib.parse.urlencode({"body": body, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.web_port}/articles/radwege/comments/",
            data=data,
            headers={"Cookie": f"sessionid={session}; csrftoken={token}", "Accept-Language": "de"},
        )
        opener = urllib.request.build_opener(NoRedirect)
        started = time.perf_counter()
        page, retry_after = "", 0.0
        try:
            response = opener.open(request, timeout=30)
            status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
            page = error.read().decode(errors="replace")
            retry_after = float(error.headers.get("Retry-After") or 0)
        except OSError:
            status, location = 0, ""
        elapsed = (time.perf_counter() - started) * 1000
        return status, location or "", page, retry_after, elapsed

    def faults(self, duration: float) -> None:
        """Spread the kills over the posting, stop Redis for the outage in the middle of it, and
        restart PostgreSQL before and after it. Each fault is a moment in one plan: none waits
        for another to end."""
        args = self.args
        plan = [
            (duration * (k + 1) / (args.kills + 1), "kill the worker", self.kill_worker)
            for k in range(args.kills)
        ]
        outage_at = max(0.0, duration / 2 - args.outage / 2)
        plan += [
            (outage_at, "stop Redis", self.stop_redis),
            (outage_at + args.outage, "start Redis", self.start_redis),
        ]
        for k in range(args.pg_restart):
            # In the first and last quarter, outside the Redis outage: the worker is at work.
            share = (k + 0.5) / args.pg_restart
            at = duration * (share / 2 if share <= 0.5 else share / 2 + 0.5)
            plan += [
                (at, "stop PostgreSQL", self.cluster.stop),
                (at + args.pg_down_seconds, "start PostgreSQL", self.cluster.start),
            ]
        started = time.monotonic()
        with (self.work / "faults.log").open("a") as log:
            for at, what, act in sorted(plan, key=lambda step: step[0]):
                if self.stopping.wait(max(0.0, at - (time.monotonic() - started))):
                    return
                act()
                print(f"{time.monotonic() - started:7.1f}s {what}", file=log, flush=True)

    def run(self) -> int:
        deadline = time.monotonic() + self.args.deadline
        self.prepare()
        self.start_redis()
        self.start_web()
        self.start_worker()
        self.wait_for_worker(deadline)
        duration = max(20.0, 2.0 * self.args.outage + 10.0)
        interval = duration / self.args.posts
        self.fault_thread = threading.Thread(target=self.faults, args=(duration,), daemon=True)
        self.fault_thread.start()
        posts: list[Post] = []
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = []
            started = time.monotonic()
            for i in range(self.args.posts):
                time.sleep(max(0.0, started + i * interval - time.monotonic()))
                futures.append(pool.submit(self.post, i))
            posts = [future.result() for future in futures]
        self.fault_thread.join()
        counts = self.settle(deadline)
        return self.report(posts, counts)

    def report(self, posts: list[Post], counts: dict) -> int:
        """Print the counts; 1 if a comment was lost, published unassessed or stored twice, or
        if any answer was a 500."""
        acknowledged = [post for post in posts if post.acknowledged]
        lost = sum(
            1
            for post in acknowledged
            if (post.comment_id is not None and post.comment_id not in counts["stored_ids"])
            or (post.saved_by_503 and post.body not in counts["bodies"])
        )
        statuses = [status for post in posts for status in post.statuses]
        refused = sum(post.refused for post in posts)
        errors_500 = statuses.count(500)
        duplicates = len(counts["stored_ids"]) - len(counts["bodies"])
        timings = sorted(ms for post in posts for ms in post.timings_ms)
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"posted={len(acknowledged)} stored={len(counts['stored_ids'])} lost={lost} "
            f"published_unassessed={counts['published_unassessed']} "
            f"pending_after_settle={counts['pending']} p95_post_ms={p95:.0f} "
            f"refused_503={refused} errors_500={errors_500}"
        )
        print(
            f"attempted={self.args.posts} answers={len(statuses)} "
            f"saved_503={sum(post.saved_by_503 for post in posts)} duplicates={duplicates} "
            f"unacknowledged={len(posts) - len(acknowledged)} kills={self.args.kills} "
            f"outage_s={self.args.outage:g} pg_restarts={self.args.pg_restart} "
            f"pg_down_s={self.args.pg_down_seconds:g} logs={self.work}"
        )
        return 1 if lost or counts["published_unassessed"] or errors_500 or duplicates else 0

    def settle(self, deadline: float) -> dict:
        """Wait until nothing is pending (or the deadline), then count."""
        from django.db import close_old_connections, connections
        from django.db.models import Exists, OuterRef

        from articles.models import Comment
        from moderation.models import Assessment, StatusChange

        connections.close_all()  # the soak's own connection did not outlive a database restart
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
            "bodies": set(comments.values_list("body", flat=True)),
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
        "--pg-restart",
        type=int,
        default=0,
        help="restart PostgreSQL this many times (a throw-away cluster of its own)",
    )
    parser.add_argument(
        "--pg-down-seconds", type=float, default=3.0, help="seconds PostgreSQL is down each time"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agora_soak"
        ),
        help="without --pg-restart: the database to recreate and use",
    )
    soak = Soak(parser.parse_args())
    # A CI timeout stops the soak with SIGTERM: clean up as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    try:
        code = soak.run()
    finally:
        # A second signal (`timeout` sends one to the process and one to its group, an impatient
        # Ctrl-C) must not cut the cleanup short and leave the cluster and the worker running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        soak.stop_all()
    sys.exit(code)


if __name__ == "__main__":
    main()
