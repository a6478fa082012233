"""Hostile input on a comment's live status (status.json): only its author reads it, a
malformed or unknown id is 404 and it takes no writing method.
"""

import pytest

from tests.factories import make_article, make_comment, make_user
from tests.hostile import HUGE_IDS, MALFORMED_IDS, assert_no_leak, english, logged_in


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "needs_review", "rejected", "removed"])
def test_someone_elses_unpublished_comment_status_is_404(status):
    comment = make_comment(make_article(language="en"), make_user(), status=status)

    for client in (english(), logged_in(make_user())):
        response = client.get(f"/comments/{comment.pk}/status.json")
        assert response.status_code == 404
        assert_no_leak(response)


@pytest.mark.django_db
@pytest.mark.parametrize("pk", HUGE_IDS + MALFORMED_IDS)
def test_a_status_on_a_malformed_or_huge_id_is_404(pk):
    response = english().get(f"/comments/{pk}/status.json")

    assert response.status_code == 404
    assert_no_leak(response)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_status_takes_no_writing_method(method):
    comment = make_comment(make_article(language="en"), make_user())

    assert getattr(english(), method)(f"/comments/{comment.pk}/status.json").status_code == 405
