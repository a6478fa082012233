"""On PostgreSQL two workers claiming at once never get the same comment (SKIP LOCKED)."""

import threading

import pytest
from django.db import connection, transaction

from moderation import services
from tests.conftest import make_article, make_comment, make_user, service_missing

pytestmark = pytest.mark.postgres


def test_two_concurrent_claims_never_share_a_comment(transactional_db):
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL", "set DATABASE_URL to a PostgreSQL database")
    article = make_article()
    ids = {make_comment(article, make_user(), status="pending").pk for _ in range(6)}
    first_claimed = threading.Event()
    release = threading.Event()
    claims: dict[str, list[int]] = {}

    def first_worker():
        with transaction.atomic():
            claims["first"] = [c.pk for c in services._claim(limit=4, comment_ids=None)]
            first_claimed.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert first_claimed.wait(10)
    with transaction.atomic():
        claims["second"] = [c.pk for c in services._claim(limit=10, comment_ids=None)]
    release.set()
    thread.join()

    assert len(claims["first"]) == 4
    assert set(claims["first"]).isdisjoint(claims["second"])
    assert set(claims["first"]) | set(claims["second"]) == ids
