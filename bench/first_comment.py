"""The first comment after `make run MODELS=demo`: how long until it is decided.

Runs `make run MODELS=demo` on a spare port against a throw-away SQLite file, waits until it
prints its address, waits 5 s more (a newcomer opening the page and logging in), then logs in as
the demo reader over HTTP, posts a comment and waits for its decision. Prints

    address_after_s=A models_loaded_s=L first_decision_s=D status=S

A: seconds from `make run` to the printed address; L: what the worker logged for loading its
models; D: seconds from the post to the decision (the README promises "within seconds"; the
target is at most 3). Stops `make run` at the end.

    .venv/bin/python bench/first_comment.py
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Replace bench/ on the path: bench/queue.py would shadow the standard library's queue module.
sys.path[0] = str(ROOT)

import requests  # noqa: E402

PASSWORD = "agora-demo-2026"  # noqa: S105 (the demo's published password)


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(log: Path, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            sys.exit(f"No {text!r} within {seconds:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def post_and_wait(base: str, database: Path) -> tuple[float, str]:
    session = requests.Session()
    login = f"{base}/accounts/login/"
    session.post(
        login,
        data={
            "csrfmiddlewaretoken": csrf(session.get(login).text),
            "login": "reader@example.org",
            "password": PASSWORD,
        },
        headers={"Referer": login},
    )
    with sqlite3.connect(database) as connection:
        slug = connection.execute("SELECT slug FROM articles_article ORDER BY id").fetchone()[0]
    page = f"{base}/articles/{slug}/"
    body = f"Die neuen Radwege in der Innenstadt sind eine gute Idee ({time.time():.0f})."
    token = csrf(session.get(page).text)
    started = time.monotonic()
    answer = session.post(
        f"{page}comments/",
        data={"csrfmiddlewaretoken": token, "body": body},
        headers={"Referer": page},
        allow_redirects=False,
    )
    if answer.status_code != 302:
        sys.exit(f"The post answered {answer.status_code}")
    while time.monotonic() - started < 120:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT status FROM articles_comment WHERE body = ?", (body,)
            ).fetchone()
        if row and row[0] != "pending":
            return time.monotonic() - started, row[0]
        time.sleep(0.05)
    return time.monotonic() - started, "pending"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="agora-first-comment-"))
    database = folder / "agora.sqlite3"
    log = folder / "make-run.log"
    port = spare_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    started = time.monotonic()
    with log.open("w") as output:
        run = subprocess.Popen(
            ["make", "run", "MODELS=demo", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(log, "Agora is running at", 600)
        address_after = time.monotonic() - started
        time.sleep(5)
        seconds, status = post_and_wait(f"http://127.0.0.1:{port}", database)
        loaded = re.search(r"Moderation models loaded in ([\d.]+) s", log.read_text())
        print(
            f"address_after_s={address_after:.1f} "
            f"models_loaded_s={loaded.group(1) if loaded else 'none'} "
            f"first_decision_s={seconds:.2f} status={status}"
        )
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(30)


if __name__ == "__main__":
    main()
