"""On PostgreSQL two workers claiming at once never get the same comment (leases, SKIP LOCKED)."""

import threading

import pytest
from django.db import connection, transaction

from moderation.scoring import pipeline
from tests.factories import make_article, make_comment, make_user
from tests.required_services import service_missing

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
        # The first claim's transaction is held open, as if a worker stopped inside it.
        with transaction.atomic():
            _token, batch = pipeline.claim_batch(limit=4)
            claims["first"] = [c.pk for c in batch]
            first_claimed.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert first_claimed.wait(10)
    _token, batch = pipeline.claim_batch(limit=10)
    claims["second"] = [c.pk for c in batch]
    release.set()
    thread.join()

    assert len(claims["first"]) == 4
    assert set(claims["first"]).isdisjoint(claims["second"])
    assert set(claims["first"]) | set(claims["second"]) == ids


def test_a_claim_after_another_committed_skips_its_leased_comments(transactional_db):
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL", "set DATABASE_URL to a PostgreSQL database")
    article = make_article()
    ids = {make_comment(article, make_user(), status="pending").pk for _ in range(5)}

    _first_token, first = pipeline.claim_batch(limit=3)
    _second_token, second = pipeline.claim_batch(limit=10)

    assert {c.pk for c in first}.isdisjoint(c.pk for c in second)
    assert {c.pk for c in first} | {c.pk for c in second} == ids
